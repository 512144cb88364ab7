/* McDonald's omega total from a one-factor model fitted by minres (unweighted least
 * squares) to a correlation matrix, as psych::omega(x, nfactors = 1) reports it
 * (src/report/report.c, docs/report.md). Pure functions, no state. */
#ifndef RFS_OMEGA_H
#define RFS_OMEGA_H

#include <stddef.h>

/* psych::fa bounds each uniqueness to [0.005, 1]: a communality never exceeds 0.995. */
#define RFSI_OMEGA_MAX_COMMUNALITY 0.995

typedef struct rfsi_omega_fit {
    double omega_total;  /* 1 - sum(1 - l_i^2) / sum(R): psych's omega.tot */
    double fit;          /* sum over i != j of (r_ij - l_i l_j)^2 at the solution */
    unsigned iterations; /* sweeps of coordinate descent */
    int converged;       /* 0: stopped at the sweep limit */
    int heywood;         /* a communality reached RFSI_OMEGA_MAX_COMMUNALITY */
} rfsi_omega_fit;

/* Fits one factor to the k x k correlation matrix r (row-major, unit diagonal, k >= 3) by
 * minimising the off-diagonal residual sum of squares, and writes the k loadings (signed
 * so that their sum is not negative) to loadings[0..k-1]; loadings must hold 2k doubles
 * (the rest is scratch). Returns 0, or -1 when k < 3 or r holds a NaN. */
int rfsi_omega_minres(const double *r, size_t k, double *loadings, rfsi_omega_fit *out);

#endif
