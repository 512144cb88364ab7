# score(), report() and report_html(): a data.frame (or a CSV file) through librfscore.
# R only prepares the options and types the columns; the library does all the scoring.

status_levels <- c("ok", "too_few_items", "component_not_scored")

#' @noRd
rfscore_error <- function(e, call = NULL) {
  where <- ""
  row <- NA_real_
  if (identical(e$file, "<data.frame>")) {
    # Line n of the CSV made from a data frame is its row n - 1; columns are named in the text.
    if (e$line > 1) {
      row <- e$line - 1
      where <- sprintf("row %s: ", format(row, scientific = FALSE))
    }
  } else if (nzchar(e$file)) {
    where <- paste0(e$file, ":")
    if (e$line > 0) {
      where <- paste0(where, format(e$line, scientific = FALSE), ":")
      if (e$column > 0) where <- paste0(where, format(e$column, scientific = FALSE), ":")
    }
    where <- paste0(where, " ")
  }
  structure(class = c("rfscore_error", "error", "condition"),
            list(message = paste0("rfscore: ", where, e$message), call = call,
                 code = e$code, file = e$file, line = e$line, column = e$column, row = row,
                 text = e$message))
}

check <- function(value, call = sys.call(-1)) {
  if (is.list(value) && !is.null(value$error)) stop(rfscore_error(value$error, call))
  value
}

# How each column is written as CSV (the codes of RFSR_COL_* in src/glue.h). Columns of
# other classes (Date, POSIXct, ...) are written as as.character() gives them; a labelled
# column (haven, or any vector with a "labels" attribute) is written as its codes, which
# is what the command reads from the same data saved as CSV.
prepare_frame <- function(data) {
  cols <- unclass(data)
  attributes(cols) <- NULL
  kinds <- integer(length(cols))
  for (j in seq_along(cols)) {
    x <- cols[[j]]
    if (is.factor(x)) {
      kinds[j] <- 4L
    } else if (is.character(x)) {
      kinds[j] <- 0L
    } else if (is.logical(x)) {
      kinds[j] <- 3L
    } else if (is.numeric(x) && (is.null(oldClass(x)) || inherits(x, c("haven_labelled", "labelled")) ||
                                   !is.null(attr(x, "labels")))) {
      kinds[j] <- if (is.integer(x)) 2L else 1L
      if (!is.null(oldClass(x)) || !is.null(attributes(x))) {
        cols[[j]] <- if (is.integer(x)) as.vector(unclass(x), "integer") else as.vector(unclass(x), "double")
      }
    } else if (is.atomic(x)) {
      cols[[j]] <- as.character(x)
      kinds[j] <- 0L
    } else {
      stop(sprintf("rfscore: column '%s' is a %s: give a data frame of atomic columns",
                   names(data)[j], class(x)[1]), call. = FALSE)
    }
  }
  names(cols) <- enc2utf8(names(data))
  list(cols = cols, kinds = kinds)
}

# An option per instrument: unnamed, one value per instrument (in order); or named by the
# instruments' ids or, with `as`, their names.
per_instrument <- function(value, ids, what) {
  if (is.null(value)) return(NULL)
  if (is.null(names(value))) {
    if (length(value) != length(ids))
      stop(sprintf("rfscore: %s: give one value per instrument, or name them, e.g. c(%s = ...)", what, ids[1]),
           call. = FALSE)
    return(as.character(value))
  }
  unknown <- setdiff(names(value), ids)
  if (length(unknown))
    stop(sprintf("rfscore: %s names '%s', which is not among the instruments scored", what, unknown[1]),
         call. = FALSE)
  out <- rep(NA_character_, length(ids))
  out[match(names(value), ids)] <- as.character(value)
  out
}

# map = list(rfq8 = c("1" = "Q5_1", rfq8_2 = "Q5_2")): item number or default column name
# -> the column holding it.
map_arg <- function(map, infos, ids) {
  if (is.null(map)) return(NULL)
  unknown <- setdiff(names(map), ids)
  if (length(unknown))
    stop(sprintf("rfscore: map names '%s', which is not among the instruments scored", unknown[1]), call. = FALSE)
  lapply(seq_along(infos), function(k) {
    m <- map[[ids[k]]]
    if (is.null(m)) return(NULL)
    keys <- names(m)
    if (is.null(keys)) stop(sprintf("rfscore: map for %s: name each column by its item", ids[k]), call. = FALSE)
    items <- suppressWarnings(as.integer(keys))
    byname <- is.na(items)
    items[byname] <- match(tolower(keys[byname]), tolower(infos[[k]]$items))
    if (anyNA(items))
      stop(sprintf("rfscore: map for %s: '%s' is not an item number 1..%d or an item column of %s",
                   ids[k], keys[is.na(items)][1], length(infos[[k]]$items), ids[k]), call. = FALSE)
    list(items, enc2utf8(as.character(m)))
  })
}

# The pre-pass that lets duplicate_id flag the first occurrence of a repeated id too reads
# only the ids (and, in REDCap data, event and instance): when the id column's non-empty
# values are all distinct it can find nothing, so it is skipped. Which column is the id is
# the library's choice, read from a dry run of the header and the first rows.
needs_prescan <- function(prep, paths, opts) {
  opts$dry <- TRUE
  dry <- check(.Call(rfsr_run, prep$cols, prep$kinds, paths, opts))$dry
  col <- suppressWarnings(as.integer(sub('^id column ([0-9]+) .*', '\\1',
                                         grep("^id column [0-9]+ ", strsplit(dry, "\n", fixed = TRUE)[[1]], value = TRUE)[1])))
  if (is.na(col) || col > length(prep$cols)) return(TRUE)
  ids <- prep$cols[[col]]
  if (prep$kinds[col] == 4L) ids <- as.integer(ids) # a factor: its codes
  ids <- ids[!is.na(ids)]
  if (is.character(ids)) ids <- ids[nzchar(ids)]
  anyDuplicated(ids) > 0
}

run_scorer <- function(data, instruments, id, keep, prefix, suffix, map, min_answered, missing,
                       duration, thresholds, id_check, delimiter, encoding, path, scores,
                       report = FALSE, all_rows = FALSE, html = FALSE, input_name = NULL,
                       as = NULL, where = NULL) {
  paths <- instrument_paths(instruments, path)
  infos <- lapply(paths, function(p) check(.Call(rfsr_instrument_info, p))[[1]])
  infos <- lapply(infos, function(i) check(i))
  ids <- vapply(infos, `[[`, "", "id")
  if (!is.null(as)) {
    as <- per_instrument(as, ids, "as")
    ids <- ifelse(is.na(as), ids, as)
  }
  if (anyDuplicated(ids))
    stop(sprintf("rfscore: instrument '%s' given twice (score it under another name with as = ...)",
                 ids[anyDuplicated(ids)]), call. = FALSE)
  row_numbers <- length(id) == 1 && is.na(id)
  if (row_numbers) id <- NULL
  mtypes <- character(); mcodes <- character()
  if (!is.null(missing)) {
    if (is.null(names(missing)) || any(!nzchar(names(missing))))
      stop("rfscore: missing: give codes by type, e.g. list(refused = -99, dont_know = -98)", call. = FALSE)
    for (t in names(missing)) {
      codes <- as.character(missing[[t]])
      mtypes <- c(mtypes, rep(t, length(codes))); mcodes <- c(mcodes, codes)
    }
  }
  if (!is.null(thresholds)) {
    thresholds <- vapply(thresholds, as.double, 0)
    if (is.null(names(thresholds))) stop("rfscore: thresholds: give a named vector, e.g. c(irv_min = 0.5)", call. = FALSE)
  }
  if (!is.null(delimiter) && delimiter %in% c("tab", "\\t")) delimiter <- "\t"
  if (!is.null(min_answered)) min_answered <- as.character(min_answered)
  opts <- list(id = if (length(id)) enc2utf8(as.character(id)), keep = if (length(keep)) enc2utf8(as.character(keep)),
               as = as, names = ids, row_numbers = row_numbers,
               where = if (length(where)) enc2utf8(as.character(where)),
               text_columns = if (row_numbers) length(keep) else max(length(id), 1L) - 1L + length(keep),
               take_keys = !row_numbers && !length(where),
               prefix = per_instrument(prefix, ids, "prefix"), suffix = per_instrument(suffix, ids, "suffix"),
               map = map_arg(map, infos, ids), min_answered = min_answered, duration = duration,
               missing_types = if (length(mtypes)) mtypes, missing_codes = if (length(mcodes)) mcodes,
               thresholds = thresholds, id_check = isTRUE(id_check), delimiter = delimiter,
               encoding = encoding, input_name = input_name, scores = scores, report = report,
               all_rows = isTRUE(all_rows), html = html)
  if (is.data.frame(data)) {
    prep <- prepare_frame(data)
    opts$prescan <- opts$id_check && !row_numbers && needs_prescan(prep, paths, opts)
    res <- check(.Call(rfsr_run, prep$cols, prep$kinds, paths, opts))
  } else if (is.character(data) && length(data) == 1) {
    res <- check(.Call(rfsr_run, path.expand(data), integer(), paths, opts))
  } else {
    stop("rfscore: data: give a data frame or the path of a CSV file", call. = FALSE)
  }
  res$infos <- infos
  res$text_columns <- opts$text_columns
  res
}

emit_warnings <- function(res, quiet) {
  if (quiet) return(invisible())
  for (w in res$warnings) warning(paste0("rfscore: ", w), call. = FALSE)
  if (res$warning_count > length(res$warnings))
    warning(sprintf("rfscore: ... %s invalid answers in all (flagged in the output)",
                    format(res$warning_count, scientific = FALSE)), call. = FALSE)
}

type_columns <- function(cols, data, text_columns) {
  kinds <- attr(cols, "kinds")
  attr(cols, "kinds") <- NULL
  for (j in which(kinds == 3L)) {
    x <- cols[[j]]
    attributes(x) <- list(levels = status_levels, class = "factor")
    cols[[j]] <- x
  }
  # The id and kept columns the parser left empty: the data frame's own values and types.
  for (j in which(kinds == 6L)) cols[[j]] <- data[[match(names(cols)[j], names(data))]]
  structure(cols, class = "data.frame", row.names = .set_row_names(length(cols[[1]])))
}

#' Score questionnaires: one typed row per input row, in input order.
score <- function(data, instruments, id = NULL, keep = NULL, prefix = NULL, suffix = NULL, map = NULL,
                  min_answered = NULL, missing = NULL, duration = NULL, thresholds = NULL,
                  id_check = TRUE, delimiter = NULL, encoding = NULL, path = NULL, quiet = FALSE,
                  as = NULL, where = NULL) {
  res <- run_scorer(data, instruments, id, keep, prefix, suffix, map, min_answered, missing, duration,
                    thresholds, id_check, delimiter, encoding, path, scores = TRUE, as = as, where = where)
  emit_warnings(res, quiet)
  out <- type_columns(res$columns, data, res$text_columns)
  attr(out, "summary") <- fromJSON(res$summary, simplifyVector = FALSE)
  out
}
