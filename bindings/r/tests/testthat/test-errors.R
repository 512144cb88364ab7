# Library errors are R errors carrying file, line and column; invalid answers are warnings.

test_that("an unknown instrument is an error naming it", {
  expect_error(score(data.frame(id = 1), "no_such_instrument"), "no instrument 'no_such_instrument'")
})

test_that("a missing item column is an error naming the column", {
  need_tree()
  d <- data.frame(id = "a", rfq8_1 = 1, rfq8_2 = 1, rfq8_3 = 1, rfq8_4 = 1, rfq8_5 = 1,
                           rfq8_6 = 1, rfq8_7 = 1)
  e <- tryCatch(score(d, "rfq8", path = tree("instruments")), error = identity)
  expect_s3_class(e, "rfscore_error")
  expect_match(conditionMessage(e), "rfq8_8")
  expect_identical(e$line, 1)
})

test_that("a malformed file gives file, line and column", {
  need_tree()
  f <- tempfile(fileext = ".csv")
  writeLines(c("id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8", "a,1,2,3,4,5,6,7,1",
               "b,1,2,3,4,5,6,7,1,9"), f)
  e <- tryCatch(score(f, "rfq8", path = tree("instruments")), error = identity)
  expect_s3_class(e, "rfscore_error")
  expect_identical(e$file, f)
  expect_identical(e$line, 3)
  expect_gt(e$column, 0)
  expect_match(conditionMessage(e), paste0(f, ":3:"), fixed = TRUE)
})

test_that("a file that does not exist is an error naming it", {
  expect_error(score("/nonexistent/x.csv", "rfq8", path = if (nzchar(srcdir)) tree("instruments")),
               "/nonexistent/x.csv")
})

test_that("invalid answers are located warnings, and quiet = TRUE silences them", {
  need_tree()
  d <- data.frame(id = "a", rfq8_1 = 9, rfq8_2 = 1, rfq8_3 = 1, rfq8_4 = 1, rfq8_5 = 1,
                  rfq8_6 = 1, rfq8_7 = 1, rfq8_8 = 1)
  expect_warning(score(d, "rfq8", path = tree("instruments")), "row 1: column \"rfq8_1\"")
  expect_silent(score(d, "rfq8", path = tree("instruments"), quiet = TRUE))
})

test_that("options the library rejects are errors", {
  need_tree()
  d <- read.csv(tree("examples", "data", "rfq8_sample.csv"))
  expect_error(score(d, "rfq8", path = tree("instruments"), min_answered = "lots"), class = "rfscore_error")
  expect_error(score(d, "rfq8", path = tree("instruments"), keep = "nope", quiet = TRUE), "nope")
})
