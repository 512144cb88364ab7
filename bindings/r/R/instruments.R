# Finding instrument definitions and reading their metadata, as the command does: a name
# is looked up as NAME.ini in `path`, then $RFSCORE_PATH (colon-separated), then the
# directory librfscore was installed with; a name with a "/" or ending in .ini is a file.

search_dirs <- function(path = NULL) {
  env <- Sys.getenv("RFSCORE_PATH", "")
  dirs <- c(path, if (nzchar(env)) strsplit(env, ":", fixed = TRUE)[[1]], instrument_dir_default)
  dirs[nzchar(dirs)]
}

instrument_paths <- function(instruments, path = NULL) {
  if (!is.character(instruments) || !length(instruments) || anyNA(instruments))
    stop("rfscore: instruments: give ids (\"rfq8\") or definition files", call. = FALSE)
  dirs <- search_dirs(path)
  vapply(instruments, function(name) {
    if (grepl("/", name, fixed = TRUE) || grepl("\\.ini$", name)) {
      if (!file.exists(name)) stop(sprintf("rfscore: %s: cannot open the instrument definition", name), call. = FALSE)
      return(normalizePath(name))
    }
    for (d in dirs) {
      f <- file.path(d, paste0(name, ".ini"))
      if (file.exists(f)) return(f)
    }
    stop(sprintf("rfscore: no instrument '%s' on the search path (%s); give a file path, path = DIR, or see instruments()",
                 name, paste(dirs, collapse = ":")), call. = FALSE)
  }, "", USE.NAMES = FALSE)
}

info <- function(instruments, path = NULL) {
  lapply(instrument_paths(instruments, path), function(p) check(check(.Call(rfsr_instrument_info, p))[[1]]))
}

#' The instruments on the search path (or those named): id, name, version, citation, doi,
#' license, items, scores, path and SHA-256 of the definition.
instruments <- function(ids = NULL, path = NULL) {
  if (is.null(ids)) {
    files <- unlist(lapply(search_dirs(path), function(d) list.files(d, pattern = "\\.ini$", full.names = TRUE)))
    ids <- sub("\\.ini$", "", basename(files))
    keep <- !duplicated(ids)
    ids <- files[keep]
  }
  rows <- lapply(info(ids, path), function(i) data.frame(
    id = i$id, name = i$name, version = i$version, citation = i$citation, doi = i$doi,
    license = i$license, items = length(i$items), scores = paste(i$scores, collapse = ","),
    path = i$path, sha256 = i$sha256, stringsAsFactors = FALSE))
  if (!length(rows)) return(data.frame())
  do.call(rbind, rows)
}

#' One instrument's key: a data frame of its items (item number, column) with the whole key
#' as readable text in attribute "describe" (printed when quiet = FALSE, as `rfscore show`).
show <- function(id, path = NULL, quiet = FALSE) {
  i <- info(id[1], path)[[1]]
  if (!quiet) cat(i$describe)
  out <- data.frame(item = seq_along(i$items), column = i$items, stringsAsFactors = FALSE)
  attr(out, "describe") <- i$describe
  attr(out, "scores") <- i$scores
  invisible(out)
}

#' The data dictionary of the output columns (rfscore codebook): a data frame for format
#' "csv" (the default), text for "markdown" or "redcap".
codebook <- function(ids, format = "csv", path = NULL) {
  text <- check(.Call(rfsr_codebook, instrument_paths(ids, path), format))
  if (format != "csv") return(text)
  read.csv(text = text, stringsAsFactors = FALSE, check.names = FALSE, na.strings = character(),
           encoding = "UTF-8")
}

#' The version of librfscore this package is linked with.
rfscore_version <- function() .Call(rfsr_version)
