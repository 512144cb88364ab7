# Factor and character item columns, labelled columns, NA in every form, non-ASCII column
# names: the same result as the command on the same data written as CSV.

same_as_command <- function(d, args = character(), ...) {
  f <- tempfile(fileext = ".csv")
  write.csv(d, f, row.names = FALSE, na = "", fileEncoding = "UTF-8")
  want <- run_command(c("-I", tree("instruments"), args, f))
  got <- suppressWarnings(score(d, ..., path = tree("instruments")))
  expect_same_cells(got, want)
  got
}

items <- function(n = 5) {
  set.seed(1)
  d <- data.frame(id = sprintf("p%02d", seq_len(n)))
  for (k in 1:8) d[[paste0("rfq8_", k)]] <- sample(1:7, n, replace = TRUE)
  d
}

test_that("factor and character item columns", {
  need_tree(); need_command()
  d <- items()
  d$rfq8_1 <- factor(d$rfq8_1)
  d$rfq8_2 <- as.character(d$rfq8_2); d$rfq8_2[2] <- "N/A"; d$rfq8_2[3] <- "abc"; d$rfq8_2[4] <- " 4 "
  d$rfq8_3 <- factor(c("strongly agree", "1", NA, "7", "3.5"))
  got <- same_as_command(d, c("-i", "rfq8"), "rfq8")
  expect_match(got$rfq8_flags[3], "invalid_answer:rfq8_2=abc", fixed = TRUE)
})

test_that("NA in every form: NA, NaN, NA_character_, \"NA\", \"\", \".\", \"n/a\"", {
  need_tree(); need_command()
  d <- items(7)
  d$rfq8_1 <- c(NA, NaN, 1, 2, 3, 4, 5)
  d$rfq8_2 <- c(NA_character_, "NA", "", ".", "n/a", " ", "6")
  d$rfq8_3 <- c(NA, TRUE, FALSE, NA, NA, NA, NA)
  got <- same_as_command(d[, c("id", paste0("rfq8_", 1:8))], c("-i", "rfq8"), "rfq8")
  # NaN is missing, never an invalid answer
  expect_false(grepl("rfq8_1", got$rfq8_flags[2]))
})

test_that("labelled columns (a 'labels' attribute, haven or not) are read as their codes", {
  need_tree(); need_command()
  d <- items()
  x <- d$rfq8_4
  attr(x, "labels") <- c("not at all" = 1, "completely" = 7)
  class(x) <- c("haven_labelled", "vctrs_vctr", "double")
  d$rfq8_4 <- x
  same_as_command(d, c("-i", "rfq8"), "rfq8")
  if (requireNamespace("haven", quietly = TRUE)) {
    d$rfq8_5 <- haven::labelled(as.double(d$rfq8_5), c(agree = 6))
    d$rfq8_6 <- haven::labelled(c(1, 2, haven::tagged_na("a"), 4, 5), c(refused = haven::tagged_na("a")))
    got <- same_as_command(d, c("-i", "rfq8"), "rfq8")
    expect_identical(got$rfq8_c_n[3], 5L)
  }
})

test_that("non-ASCII column names: kept columns, mapped items, and the id", {
  need_tree(); need_command()
  d <- items()
  names(d)[names(d) == "rfq8_1"] <- "Frage_\u00e41"
  d[["gruppe_\u00fc"]] <- c("a", "\u00e9t\u00e9", "b", "c", "d")
  map <- tempfile(); writeLines(enc2utf8("1,Frage_\u00e41"), map, useBytes = TRUE)
  got <- same_as_command(d, c("-i", "rfq8", "--map", map, "--keep", "gruppe_\u00fc"), "rfq8",
                         keep = "gruppe_\u00fc", map = list(rfq8 = c("1" = "Frage_\u00e41")))
  expect_identical(names(got)[2], "gruppe_\u00fc")
  expect_identical(got[[2]][2], "\u00e9t\u00e9")
})

test_that("text with commas, quotes and line breaks in a kept column", {
  need_tree(); need_command()
  d <- items(3)
  d$note <- c("a, b", "say \"hi\"", "two\nlines")
  got <- same_as_command(d, c("-i", "rfq8", "--keep", "note"), "rfq8", keep = "note")
  expect_identical(got$note, d$note)
})
