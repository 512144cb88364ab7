# The tests read the source tree's fixtures and run the rfscore command for cross-checks:
# scripts/test-bindings.sh sets RFSCORE_SRCDIR (the source tree) and RFSCORE_CMD (the
# command built from it).
srcdir <- Sys.getenv("RFSCORE_SRCDIR", "")
command <- Sys.getenv("RFSCORE_CMD", "")

need_tree <- function() if (!nzchar(srcdir)) skip("RFSCORE_SRCDIR not set")
need_command <- function() if (!nzchar(command)) skip("RFSCORE_CMD not set")

tree <- function(...) file.path(srcdir, ...)

# A CSV with '#' comment lines (the e2e expected files) as an all-text data frame.
read_text_csv <- function(file) {
  lines <- readLines(file, encoding = "UTF-8")
  lines <- lines[!startsWith(lines, "#")]
  read.csv(text = lines, colClasses = "character", na.strings = character(), check.names = FALSE,
           encoding = "UTF-8")
}

# A typed result back as the command prints it: numbers in the shortest form that reads
# back exactly, _valid as 1/0, NA as empty.
shortest <- function(x) {
  out <- sprintf("%.15g", x)
  for (digits in 16:17) {
    redo <- !is.na(x) & suppressWarnings(as.numeric(out)) != x
    out[redo] <- sprintf(paste0("%.", digits, "g"), x[redo])
  }
  out[is.na(x)] <- ""
  out
}
as_command_text <- function(df) {
  out <- lapply(df, function(x) {
    if (is.logical(x)) ifelse(is.na(x), "", ifelse(x, "1", "0"))
    else if (is.numeric(x)) shortest(x)
    else ifelse(is.na(x), "", as.character(x))
  })
  as.data.frame(out, stringsAsFactors = FALSE, check.names = FALSE)
}

# The command's output on a file, as an all-text data frame.
run_command <- function(args) {
  out <- system2(command, c("score", "-q", args), stdout = TRUE, stderr = FALSE)
  read.csv(text = out, colClasses = "character", na.strings = character(), check.names = FALSE,
           encoding = "UTF-8")
}

expect_same_cells <- function(result, expected) {
  got <- as_command_text(result)
  expect_identical(names(got), names(expected))
  for (n in names(expected)) expect_identical(got[[n]], expected[[n]], label = n)
}
