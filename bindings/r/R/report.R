# report() and report_html(): the library's study report (docs/report.md), its JSON form
# turned into data frames.

num <- function(x) if (is.null(x)) NA_real_ else as.double(x)
int <- function(x) if (is.null(x)) NA_integer_ else as.integer(x)
lgl <- function(x) if (is.null(x)) NA else as.logical(x)

rows_df <- function(rows) {
  if (!length(rows)) return(data.frame())
  do.call(rbind, lapply(rows, as.data.frame, stringsAsFactors = FALSE))
}

report_frames <- function(json) {
  doc <- fromJSON(json, simplifyVector = FALSE)
  scales <- list(); items <- list(); responses <- list(); missing <- list(); flags <- list()
  rows <- list(); warnings <- character()
  for (inst in doc$instruments) {
    rows[[length(rows) + 1]] <- list(instrument = inst$id, rows = num(inst$rows), rows_valid = num(inst$rows_valid))
    for (f in names(inst$flags))
      flags[[length(flags) + 1]] <- list(instrument = inst$id, flag = f, rows = num(inst$flags[[f]]))
    for (s in inst$scores) {
      d <- s$describe; a <- s$alpha
      scales[[length(scales) + 1]] <- list(
        instrument = inst$id, score = s$id, name = s$name, kind = s$kind, scored = num(s$scored),
        too_few_items = num(s$not_scored$too_few_items),
        component_not_scored = num(s$not_scored$component_not_scored),
        n = num(d$n), mean = num(d$mean), sd = num(d$sd), min = num(d$min), max = num(d$max),
        range = num(d$range), skew = num(d$skew), kurtosis = num(d$kurtosis), se = num(d$se),
        alpha_n = num(a$n), alpha_items = num(a$items), raw_alpha = num(a$raw_alpha),
        std_alpha = num(a$std_alpha), alpha_ase = num(a$ase), feldt_lower = num(a$feldt_lower),
        feldt_upper = num(a$feldt_upper))
      for (it in s$items)
        items[[length(items) + 1]] <- list(
          instrument = inst$id, score = s$id, column = it$column, reversed = lgl(it$reversed),
          recoded = lgl(it$recoded), in_alpha = lgl(it$in_alpha), alpha_drop = num(it$alpha_drop),
          std_alpha_drop = num(it$std_alpha_drop), r_drop = num(it$r_drop), mean = num(it$mean),
          sd = num(it$sd))
    }
    for (it in inst$items) {
      for (v in names(it$responses))
        responses[[length(responses) + 1]] <- list(instrument = inst$id, column = it$column,
                                                   value = as.integer(v), count = num(it$responses[[v]]))
      missing[[length(missing) + 1]] <- list(instrument = inst$id, column = it$column,
                                             missing = num(it$missing), invalid = num(it$invalid))
    }
    warnings <- c(warnings, vapply(inst$warnings, function(w) if (is.list(w)) paste(unlist(w), collapse = " ") else as.character(w), ""))
  }
  list(rows = rows_df(rows), scales = rows_df(scales), items = rows_df(items),
       responses = rows_df(responses), missing = rows_df(missing), flags = rows_df(flags),
       warnings = warnings)
}

#' The study report's figures as data frames: rows, scales (descriptives, alpha with its
#' Feldt interval), items (alpha if deleted, item-total r), responses, missing, flags.
report <- function(data, instruments, id = NULL, prefix = NULL, suffix = NULL, map = NULL,
                   min_answered = NULL, missing = NULL, duration = NULL, thresholds = NULL,
                   id_check = TRUE, delimiter = NULL, encoding = NULL, all_rows = FALSE, path = NULL,
                   quiet = FALSE, as = NULL, where = NULL) {
  res <- run_scorer(data, instruments, id, NULL, prefix, suffix, map, min_answered, missing, duration,
                    thresholds, id_check, delimiter, encoding, path, scores = FALSE, report = TRUE,
                    all_rows = all_rows, as = as, where = where)
  emit_warnings(res, quiet)
  out <- report_frames(res$report_json)
  if (!quiet) for (w in out$warnings) warning(paste0("rfscore: ", w), call. = FALSE)
  out
}

#' Writes the self-contained HTML report to file; returns file, invisibly.
report_html <- function(data, instruments, file, ..., all_rows = FALSE, quiet = FALSE) {
  args <- list(...)
  get <- function(n) args[[n]]
  res <- run_scorer(data, instruments, get("id"), NULL, get("prefix"), get("suffix"), get("map"),
                    get("min_answered"), get("missing"), get("duration"), get("thresholds"),
                    if (is.null(get("id_check"))) TRUE else get("id_check"), get("delimiter"),
                    get("encoding"), get("path"), scores = FALSE, report = TRUE, all_rows = all_rows,
                    html = TRUE, as = get("as"), where = get("where"))
  emit_warnings(res, quiet)
  con <- file(file, open = "wb")
  on.exit(close(con))
  writeBin(charToRaw(enc2utf8(res$report_html)), con)
  invisible(file)
}
