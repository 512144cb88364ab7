# The C tests' hand-worked cases (tests/e2e/cases/*_basic: every value worked from the
# published key in the comments of expected.csv) and the README example (hand-checked).

for (case in c("rfq8_basic", "prfq_basic", "ecrr_basic", "ecrrs_basic")) {
  test_that(paste(case, "from a text data frame equals the hand-worked expected.csv"), {
    need_tree()
    dir <- tree("tests", "e2e", "cases", case)
    inst <- tree("instruments", paste0(sub("_basic$", "", case), ".ini"))
    input <- read_text_csv(file.path(dir, "input.csv"))
    got <- suppressWarnings(score(input, inst))
    expect_same_cells(got, read_text_csv(file.path(dir, "expected.csv")))
  })
  test_that(paste(case, "from the file equals the hand-worked expected.csv"), {
    need_tree()
    dir <- tree("tests", "e2e", "cases", case)
    inst <- tree("instruments", paste0(sub("_basic$", "", case), ".ini"))
    got <- suppressWarnings(score(file.path(dir, "input.csv"), inst))
    expect_same_cells(got, read_text_csv(file.path(dir, "expected.csv")))
  })
}

test_that("rfq8_basic: the typed columns hold the hand-worked values", {
  need_tree()
  input <- read_text_csv(tree("tests", "e2e", "cases", "rfq8_basic", "input.csv"))
  got <- suppressWarnings(score(input, tree("instruments", "rfq8.ini")))
  # p04: raw 1,2,3,4,5,6,2,7; c = (3+2+1+0+0+0)/6 = 1; u = (0+0+1+2 + 2 (7: 2r6) + 3)/6 = 8/6
  expect_identical(got$rfq8_c[4], 1)
  expect_identical(got$rfq8_u[4], 8 / 6)
  expect_identical(got$rfq8_c_n[4], 6L)
  expect_true(is.factor(got$rfq8_c_status))
  expect_identical(levels(got$rfq8_c_status), c("ok", "too_few_items", "component_not_scored"))
  expect_type(got$rfq8_valid, "logical")
  expect_type(got$rfq8_flags, "character")
  # p19 answered nothing: not scored, 0 answered, flagged empty
  expect_true(is.na(got$rfq8_c[19]))
  expect_identical(got$rfq8_c_n[19], 0L)
  expect_identical(as.character(got$rfq8_c_status[19]), "too_few_items")
  expect_false(got$rfq8_valid[19])
})

readme_example <- function() {
  lines <- readLines(tree("README.md"), encoding = "UTF-8")
  start <- grep("^<!-- example-output: rfscore score", lines)[1]
  block <- lines[(start + 2):length(lines)]
  block <- block[seq_len(which(block == "```")[1] - 1)]
  read.csv(text = block, colClasses = "character", na.strings = character(), check.names = FALSE)
}

test_that("the README example: score(read.csv(...), 'rfq8', keep = 'group') gives its table", {
  need_tree()
  d <- read.csv(tree("examples", "data", "rfq8_sample.csv"))
  expect_warning(got <- score(d, "rfq8", keep = "group", path = tree("instruments")),
                 'row 10: column "rfq8_3" \\(item 3 of rfq8\\): "9" is not an answer')
  expect_same_cells(got, readme_example())
  # s09 skipped two RFQ_c items: 4 answered, 5 needed
  expect_true(is.na(got$rfq8_c[9]))
  expect_identical(got$rfq8_flags[9], "too_few_items:c=4<5")
  # s01: c items 2,3,2,4,3,3 -> 2,1,2,0,1,1 = 7/6
  expect_identical(got$rfq8_c[1], 7 / 6)
})

test_that("the README's R example runs", {
  need_tree()
  lines <- readLines(tree("README.md"), encoding = "UTF-8")
  start <- grep("^<!-- readme-example: r -->", lines) + 2
  code <- lines[start:(start + which(lines[start:length(lines)] == "```")[1] - 2)]
  old <- setwd(srcdir); on.exit(setwd(old))
  env <- new.env()
  eval(parse(text = code), envir = env)
  expect_s3_class(env$s, "data.frame")
  # valid rows' mean certainty per group, from the README table: clinical s06-s08
  # (0, 0, 0.2) -> 0.2/3; control s01-s05, s12 (7/6, 2.5, 0, 1/3, 2, 8/3) -> 8.666../6
  agg <- aggregate(rfq8_c ~ group, data = env$s[env$s$rfq8_valid, ], FUN = mean)
  expect_equal(agg$rfq8_c, c(0.2 / 3, (7 / 6 + 2.5 + 0 + 1 / 3 + 2 + 8 / 3) / 6))
  expect_true("raw_alpha" %in% names(env$r$scales))
})
