# Writes the two report test data sets (rfq8.csv, ecrr.csv) from a seeded simulation.
# Run once from this directory: Rscript simulate.R. The CSV files are checked in, so the
# tests never depend on R's random number generator; this script documents where they
# came from. Columns: id, valid (the row's <inst>_valid as the scorer would give it),
# then the raw item responses as text: answers 1-7, and on purpose some blank cells,
# "NA" (missing), and out-of-range "9" or "x" (invalid answers, whose rows get valid 0).
set.seed(20240611)

likert <- function(z) pmin(7, pmax(1, round(4 + z)))

# Damages a data frame of answers: blanks, NAs and invalid cells; returns text cells.
damage <- function(d, p_blank, p_na, p_bad) {
    cells <- matrix(as.character(as.matrix(d)), nrow(d))
    u <- matrix(runif(length(cells)), nrow(d))
    cells[u < p_blank] <- ""
    cells[u >= p_blank & u < p_blank + p_na] <- "NA"
    bad <- u >= p_blank + p_na & u < p_blank + p_na + p_bad
    cells[bad] <- sample(c("9", "x"), sum(bad), replace = TRUE)
    cells
}

write_set <- function(file, prefix, cells) {
    n <- nrow(cells)
    invalid <- apply(cells, 1, function(r) any(r %in% c("9", "x")))
    careless <- runif(n) < 0.04 # rows another screen (longstring, too_fast) would reject
    out <- data.frame(id = sprintf("p%04d", seq_len(n)),
                      valid = as.integer(!(invalid | careless)))
    colnames(cells) <- paste0(prefix, seq_len(ncol(cells)))
    out <- cbind(out, cells, stringsAsFactors = FALSE)
    write.csv(out, file, row.names = FALSE, quote = FALSE, na = "")
}

# RFQ-8: one latent trait (uncertainty); item 7 is worded the other way.
n <- 400
theta <- rnorm(n)
loading <- c(1.0, 1.3, 0.9, 1.2, 1.1, 1.4, -1.0, 1.2)
rfq <- sapply(loading, function(l) likert(l * theta + rnorm(n, sd = 1.1)))
write_set("rfq8.csv", "rfq8_", damage(rfq, 0.02, 0.01, 0.004))

# ECR-R: anxiety (items 1-18) and avoidance (19-36), correlated .25; reversed items are
# generated reversed so that the declared key straightens them.
n <- 600
anx <- rnorm(n)
avo <- 0.25 * anx + sqrt(1 - 0.25^2) * rnorm(n)
rev_items <- c(9, 11, 20, 22, 26:31, 33:36)
ecr <- sapply(1:36, function(j) {
    f <- if (j <= 18) anx else avo
    l <- runif(1, 0.7, 1.5) * (if (j %in% rev_items) -1 else 1)
    likert(l * f + rnorm(n, sd = 1.2))
})
write_set("ecrr.csv", "ecrr_", damage(ecr, 0.015, 0.005, 0.002))
