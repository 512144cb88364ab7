# instruments(), show(), codebook(), report(), report_html(): the library's metadata and report.

test_that("instruments() lists the shipped definitions", {
  need_tree()
  i <- instruments(path = tree("instruments"))
  expect_true(all(c("rfq8", "prfq", "ecrr", "ecrrs") %in% i$id))
  expect_identical(i$items[i$id == "rfq8"], 8L)
  expect_identical(i$scores[i$id == "rfq8"], "c,u")
})

test_that("show() gives the items and the key's text", {
  need_tree()
  s <- show("rfq8", path = tree("instruments"), quiet = TRUE)
  expect_identical(s$column, paste0("rfq8_", 1:8))
  expect_match(attr(s, "describe"), "Fonagy")
})

test_that("codebook() is a data frame of the output columns", {
  need_tree()
  cb <- codebook("rfq8", path = tree("instruments"))
  expect_true("rfq8_c" %in% cb$name)
  expect_true("rfq8_flags" %in% cb$name)
  expect_match(codebook("rfq8", "markdown", path = tree("instruments")), "rfq8_c")
})

test_that("report() equals the command's JSON report", {
  need_tree(); need_command()
  file <- tree("examples", "data", "rfq8_sample.csv")
  r <- report(read.csv(file), "rfq8", path = tree("instruments"), quiet = TRUE)
  json <- jsonlite::fromJSON(paste(system2(command, c("report", "-q", "-I", tree("instruments"), "-i", "rfq8",
                                                        "--format", "json", file), stdout = TRUE), collapse = "\n"),
                             simplifyVector = FALSE)
  c <- json$instruments[[1]]$scores[[1]]
  expect_identical(r$scales$raw_alpha[1], c$alpha$raw_alpha)
  expect_identical(r$scales$mean[1], c$describe$mean)
  expect_identical(r$scales$n[1], as.double(c$describe$n))
  expect_identical(r$items$r_drop[1], c$items[[1]]$r_drop)
  expect_identical(r$rows$rows_valid, 9)
  expect_identical(r$flags$rows[r$flags$flag == "empty_row"], 1)
  # rfq8_1 answers in the sample: 1 x2, 2 x3, 3 x2, 4 x2, 5, 6 (and one blank)
  expect_identical(r$responses$count[r$responses$column == "rfq8_1"], c(2, 3, 2, 2, 1, 1, 0))
})

test_that("report_html() writes a self-contained page", {
  need_tree()
  f <- tempfile(fileext = ".html")
  report_html(read.csv(tree("examples", "data", "rfq8_sample.csv")), "rfq8", f, path = tree("instruments"),
              quiet = TRUE)
  expect_match(paste(readLines(f), collapse = "\n"), "<html", ignore.case = TRUE)
})
