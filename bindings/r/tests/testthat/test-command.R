# score() equals the rfscore command cell for cell on the same data.

test_that("score() on examples/data equals the command, from a data frame and from the file", {
  need_tree(); need_command()
  file <- tree("examples", "data", "rfq8_sample.csv")
  want <- run_command(c("-I", tree("instruments"), "-i", "rfq8", "--keep", "group", file))
  expect_same_cells(suppressWarnings(score(read.csv(file), "rfq8", keep = "group",
                                           path = tree("instruments"))), want)
  expect_same_cells(suppressWarnings(score(file, "rfq8", keep = "group", path = tree("instruments"))), want)
})

test_that("three instruments on generated data equal the command", {
  need_tree(); need_command()
  file <- Sys.getenv("RFSCORE_GEN_CSV", "")
  if (!nzchar(file)) skip("RFSCORE_GEN_CSV not set")
  want <- run_command(c("-I", tree("instruments"), "-i", "rfq8", "-i", "prfq", "-i", "ecrr", file))
  got <- suppressWarnings(score(read.csv(file), c("rfq8", "prfq", "ecrr"), path = tree("instruments")))
  expect_same_cells(got, want)
})

test_that("repeated ids are flagged at every occurrence, as the command does", {
  need_tree(); need_command()
  d <- data.frame(id = c("a", "b", "a"), rfq8_1 = 1:3, rfq8_2 = 1:3, rfq8_3 = 1:3, rfq8_4 = 1:3,
                  rfq8_5 = 1:3, rfq8_6 = 1:3, rfq8_7 = 1:3, rfq8_8 = 1:3)
  f <- tempfile(fileext = ".csv"); write.csv(d, f, row.names = FALSE)
  got <- score(d, "rfq8", path = tree("instruments"))
  expect_same_cells(got, run_command(c("-I", tree("instruments"), "-i", "rfq8", f)))
  expect_match(got$rfq8_flags[1], "duplicate_id")
  expect_match(got$rfq8_flags[3], "duplicate_id")
})

test_that("repeated ids in a later column (participant_id, or id = ...) are flagged everywhere too", {
  need_tree(); need_command()
  d <- data.frame(rfq8_1 = 1:4, rfq8_2 = 1:4, rfq8_3 = 1:4, rfq8_4 = 1:4, rfq8_5 = 1:4, rfq8_6 = 1:4,
                  rfq8_7 = 1:4, rfq8_8 = 1:4, participant_id = c("x", "y", "x", NA), subject = c(7, 8, 9, 7))
  f <- tempfile(fileext = ".csv"); write.csv(d, f, row.names = FALSE, na = "")
  got <- score(d, "rfq8", path = tree("instruments"))
  expect_same_cells(got, run_command(c("-I", tree("instruments"), "-i", "rfq8", f)))
  expect_identical(grepl("duplicate_id", got$rfq8_flags), c(TRUE, FALSE, TRUE, FALSE))
  got <- score(d, "rfq8", id = "subject", path = tree("instruments"))
  expect_same_cells(got, run_command(c("-I", tree("instruments"), "-i", "rfq8", "--id", "subject", f)))
  expect_identical(grepl("duplicate_id", got$rfq8_flags), c(TRUE, FALSE, FALSE, TRUE))
  d$participant_id <- c("x", "y", "z", NA) # distinct: nothing flagged
  expect_false(any(grepl("duplicate_id", score(d, "rfq8", path = tree("instruments"))$rfq8_flags)))
})
