# Idiomatic base-R scorer of RFQ-8, PRFQ and ECR-R: the comparison for bench/run.sh.
#
# Same keys as instruments/{rfq8,prfq,ecrr}.ini: reverse as 8 - x before recoding,
# RFQ-8 recodes, a scale scored as rowMeans() of its answered items when at least 80%
# (rounded up) are answered. Answers outside 1..7 count as missing (rfscore flags them
# too; non-integer or text cells are not handled: the generated data has none). Writes id and the seven scores as CSV to standard output (empty = not scored).
# (psych::scoreItems(impute = "none") computes the same means but has no minimum-answered
# rule, so the rule would be applied by hand anyway; rowMeans is the plain idiom.)
#
#   Rscript bench/score_r.R FILE > scores.csv

args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript score_r.R FILE")
d <- read.csv(args[1], colClasses = c(id = "character"))

certainty   <- c(3, 2, 1, 0, 0, 0, 0)  # raw 1..7 -> scored value
uncertainty <- c(0, 0, 0, 0, 1, 2, 3)

scale_mean <- function(inst, items, reverse = integer(0), recode = NULL) {
  x <- as.matrix(d[paste0(inst, "_", items)])
  x[!is.na(x) & !(x %in% 1:7)] <- NA                 # out of range -> missing
  if (length(reverse)) {
    rev_cols <- paste0(inst, "_", reverse)
    x[, rev_cols] <- 8 - x[, rev_cols]
  }
  if (!is.null(recode)) x[] <- recode[x]               # NA indexes give NA
  s <- rowMeans(x, na.rm = TRUE)
  s[rowSums(!is.na(x)) < ceiling(0.8 * length(items))] <- NA
  s
}

out <- data.frame(
  id             = d$id,
  rfq8_c         = scale_mean("rfq8", 1:6, recode = certainty),
  rfq8_u         = scale_mean("rfq8", c(2, 4:8), reverse = 7, recode = uncertainty),
  prfq_pm        = scale_mean("prfq", c(1, 4, 7, 10, 13, 16)),
  prfq_cms       = scale_mean("prfq", c(2, 5, 8, 11, 14, 17), reverse = 11),
  prfq_ic        = scale_mean("prfq", c(3, 6, 9, 12, 15, 18), reverse = 18),
  ecrr_anxiety   = scale_mean("ecrr", 1:18, reverse = c(9, 11)),
  ecrr_avoidance = scale_mean("ecrr", 19:36, reverse = c(20, 22, 26:31, 33:36))
)
write.csv(out, stdout(), row.names = FALSE, na = "")
