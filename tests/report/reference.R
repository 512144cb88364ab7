# Reference figures for the study report (tests/unit/test_report.c compares to 1e-6).
# Run from this directory:  Rscript reference.R   (writes reference.csv and qf.csv)
# Needs R and psych (Debian: r-base-core r-cran-psych). The keys below are typed from
# the definitions in instruments/ independently of rfscore's loader, so the test checks
# the keying as well as the statistics.
#
# Per data set (rfq8.csv, ecrr.csv), per row set (valid: rows with valid == 1, the
# report's default; all: every row, rfsi_study_set_all_rows), per scale:
#   describe  psych::describe() of the scale score (type 3 skew and kurtosis) over rows
#             where the scale is scored (mean of the scored items, >= 80% answered);
#   alpha     psych::alpha() of the scored item values (after reversal and recode) over
#             the rows where every item of the scale is answered (listwise), with the
#             Feldt 95% interval it returns ($feldt) and the item statistics;
#   omega     psych::omega(x, nfactors = 1, flip = FALSE) on the same complete rows:
#             omega.tot and the minres loadings of the one factor ($schmid$sl[, 1],
#             as loading_psych: psych's optimiser stops about 1e-6 from the minimum, so
#             the test holds these to 1e-5, and the base-R loadings below, "loading", to
#             1e-6);
#             flip = FALSE because rfscore keeps the declared keying (psych would reverse
#             negatively loading items first, hiding a keying error). Checked once more
#             here against minres written out in base R (optim on the loadings with a
#             tight tolerance), to 1e-6;
#   cor       per pair of scales, cor(use = "pairwise.complete.obs") of the two scores
#             (rows where both are scored) and its n; cor_disattenuated = r divided by
#             sqrt(raw_alpha_a raw_alpha_b).
suppressPackageStartupMessages(library(psych))

# minres for one factor without psych: minimise the off-diagonal residual sum of squares.
minres1 <- function(R) {
    f <- function(l) { E <- R - tcrossprod(l); diag(E) <- 0; sum(E^2) }
    g <- function(l) { E <- R - tcrossprod(l); diag(E) <- 0; -4 * as.vector(E %*% l) }
    l0 <- sqrt(pmax(1 - 1 / diag(solve(R)), 0.05))
    optim(l0, f, g, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))$par
}

# Scored value of a raw answer x (1..7) of item j of a scale.
rfq8_cert <- c(3, 2, 1, 0, 0, 0, 0)
rfq8_unc <- c(0, 0, 0, 0, 1, 2, 3)
keys <- list(
    rfq8 = list(
        c = list(items = 1:6, score = function(j, x) rfq8_cert[x]),
        u = list(items = c(2, 4, 5, 6, 7, 8),
                 score = function(j, x) rfq8_unc[if (j == 7) 8 - x else x])),
    ecrr = list(
        anxiety = list(items = 1:18,
                       score = function(j, x) if (j %in% c(9, 11)) 8 - x else x),
        avoidance = list(items = 19:36,
                         score = function(j, x) if (j %in% c(20, 22, 26:31, 33:36)) 8 - x else x)))

# A cell is an answer when it is an integer 1..7; anything else is NA here.
answer <- function(cells) {
    v <- suppressWarnings(as.numeric(cells))
    v[!is.na(v) & (v < 1 | v > 7 | v != round(v))] <- NA
    v
}

emit <- function(set, rows, scale, item, stat, value)
    cat(sprintf("%s,%s,%s,%s,%s,%.17g\n", set, rows, scale, item, stat, value))

sink("reference.csv")
cat("set,rows,scale,item,statistic,value\n")
for (set in names(keys)) {
    d <- read.csv(paste0(set, ".csv"), colClasses = "character", na.strings = character(0))
    for (rows in c("valid", "all")) {
        use <- if (rows == "valid") d$valid == "1" else rep(TRUE, nrow(d))
        scores <- list()
        alphas <- list()
        for (scale in names(keys[[set]])) {
            k <- keys[[set]][[scale]]
            cols <- paste0(set, "_", k$items)
            x <- sapply(seq_along(k$items), function(i) {
                raw <- answer(d[[cols[i]]])
                sapply(raw, function(r) if (is.na(r)) NA else k$score(k$items[i], r))
            })
            colnames(x) <- cols
            x <- x[use, , drop = FALSE]
            answered <- rowSums(!is.na(x))
            min_answered <- ceiling(0.8 * length(k$items))
            score <- ifelse(answered >= min_answered, rowMeans(x, na.rm = TRUE), NA)

            ds <- describe(score)
            for (s in c("n", "mean", "sd", "min", "max", "range", "skew", "kurtosis", "se"))
                emit(set, rows, scale, "", s, ds[[s]])

            cc <- x[complete.cases(x), , drop = FALSE]
            a <- alpha(as.data.frame(cc), warnings = FALSE)
            emit(set, rows, scale, "", "alpha_n", nrow(cc))
            emit(set, rows, scale, "", "raw_alpha", a$total$raw_alpha)
            emit(set, rows, scale, "", "std_alpha", a$total$std.alpha)
            emit(set, rows, scale, "", "ase", a$total$ase)
            emit(set, rows, scale, "", "feldt_lower", a$feldt$lower.ci[[1]])
            emit(set, rows, scale, "", "feldt_upper", a$feldt$upper.ci[[1]])
            for (i in seq_along(cols)) {
                emit(set, rows, scale, cols[i], "alpha_drop", a$alpha.drop$raw_alpha[i])
                emit(set, rows, scale, cols[i], "std_alpha_drop", a$alpha.drop$std.alpha[i])
                emit(set, rows, scale, cols[i], "r_drop", a$item.stats$r.drop[i])
                emit(set, rows, scale, cols[i], "item_mean", a$item.stats$mean[i])
                emit(set, rows, scale, cols[i], "item_sd", a$item.stats$sd[i])
            }

            om <- suppressWarnings(suppressMessages(
                omega(cc, nfactors = 1, flip = FALSE, plot = FALSE)))
            l <- minres1(cor(cc))
            base_omega <- 1 - sum(1 - l^2) / sum(cor(cc))
            if (abs(base_omega - om$omega.tot) > 1e-6)
                stop(sprintf("%s %s %s: psych omega %.10f, base R minres %.10f", set, rows, scale,
                             om$omega.tot, base_omega))
            emit(set, rows, scale, "", "omega_total", om$omega.tot)
            load <- om$schmid$sl[, 1]
            if (sum(load) < 0) load <- -load
            if (sum(l) < 0) l <- -l
            for (i in seq_along(cols)) {
                emit(set, rows, scale, cols[i], "loading", l[i])
                emit(set, rows, scale, cols[i], "loading_psych", load[i])
            }
            scores[[scale]] <- score
            alphas[[scale]] <- a$total$raw_alpha
        }
        sc <- names(scores)
        for (i in seq_along(sc)) for (j in seq_along(sc)) if (i < j) {
            both <- !is.na(scores[[i]]) & !is.na(scores[[j]])
            r <- cor(scores[[i]], scores[[j]], use = "pairwise.complete.obs")
            emit(set, rows, sc[i], sc[j], "cor_n", sum(both))
            emit(set, rows, sc[i], sc[j], "cor", r)
            emit(set, rows, sc[i], sc[j], "cor_disattenuated", r / sqrt(alphas[[i]] * alphas[[j]]))
        }
    }
}
sink()

# F quantiles for src/fdist.c (R's qf; df small enough for R's own qbeta to be exact:
# at df near 1e6 R's qf drifts, e.g. pf(qf(0.3, 1e6, 1.7e7), 1e6, 1.7e7) = 0.305).
qf_cases <- rbind(c(0.975, 304, 1520), c(0.025, 304, 1520), c(0.5, 1, 1), c(0.9, 2, 3),
                  c(0.01, 5, 2), c(0.999, 100, 10), c(0.975, 1, 1), c(0.025, 9, 9),
                  c(0.5, 0.5, 0.5), c(0.025, 20, 3), c(0.975, 599, 10183), c(1e-6, 3, 40),
                  c(0.999999, 40, 3), c(0.975, 20000, 380000))
sink("qf.csv")
cat("p,df1,df2,quantile\n")
for (i in seq_len(nrow(qf_cases)))
    cat(sprintf("%.17g,%.17g,%.17g,%.17g\n", qf_cases[i, 1], qf_cases[i, 2], qf_cases[i, 3],
                qf(qf_cases[i, 1], qf_cases[i, 2], qf_cases[i, 3])))
sink()
