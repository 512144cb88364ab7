/* One-factor minres and McDonald's omega total.
 *
 * minres (Harman and Jones 1966; psych::fa's default, fm = "minres") chooses loadings l
 * minimising F(l) = sum over i != j of (r_ij - l_i l_j)^2: the model's fit to the
 * off-diagonal correlations, the diagonal left free. psych minimises it over the
 * uniquenesses with optim (L-BFGS-B); here it is minimised over the loadings by exact
 * coordinate descent: F is a convex quadratic in each l_i alone, least at
 *     l_i = sum_{j != i} r_ij l_j / sum_{j != i} l_j^2,
 * so every step lowers F and the sweeps converge to psych's solution (to about 1e-8,
 * psych's own optimiser tolerance; tests/report/reference.R checks both). psych's bound
 * on the uniquenesses, u_i >= 0.005, is a bound |l_i| <= sqrt(0.995) here, and the
 * constrained minimum of a convex quadratic on an interval is the clamped one.
 *
 * Omega total as psych::omega computes it (omegah: om.tot <- (Vt - uniq) / Vt): with
 * Vt = sum(R) the variance of the standardised total and uniq = sum(1 - l_i^2),
 *     omega_t = 1 - sum(1 - l_i^2) / sum(R)
 * (McDonald 1999, ch. 6; Revelle and Zinbarg 2009, doi:10.1007/s11336-008-9102-z). */
#include "omega.h"

#include <math.h>

#define POWER_STEPS 60
#define MAX_SWEEPS 200000
#define STEP_TOL 1e-14

/* Starting loadings: the first principal component, sqrt(lambda) v, by power iteration
 * (a correlation matrix is positive semi-definite, so its top eigenvalue dominates). */
static void start_values(const double *r, size_t k, double *l)
{
    double norm = sqrt((double)k), lambda = 0, bound = sqrt(RFSI_OMEGA_MAX_COMMUNALITY);
    size_t step, i, j;

    for (i = 0; i < k; i++)
        l[i] = 1 / norm;
    for (step = 0; step < POWER_STEPS; step++) {
        double next_norm = 0;
        for (i = 0; i < k; i++) {
            double v = 0;
            for (j = 0; j < k; j++)
                v += r[i * k + j] * l[j];
            l[k + i] = v; /* the caller gives 2k of room */
            next_norm += v * v;
        }
        next_norm = sqrt(next_norm);
        if (!(next_norm > 0))
            break;
        lambda = next_norm;
        for (i = 0; i < k; i++)
            l[i] = l[k + i] / next_norm;
    }
    for (i = 0; i < k; i++) {
        l[i] *= sqrt(lambda);
        if (l[i] > bound)
            l[i] = bound;
        if (l[i] < -bound)
            l[i] = -bound;
    }
}

int rfsi_omega_minres(const double *r, size_t k, double *loadings, rfsi_omega_fit *out)
{
    double bound = sqrt(RFSI_OMEGA_MAX_COMMUNALITY), total = 0, sum_r = 0, uniq = 0, sum_l = 0, fit = 0;
    double *l = loadings;
    unsigned sweep;
    size_t i, j;

    out->omega_total = out->fit = NAN;
    out->iterations = 0;
    out->converged = out->heywood = 0;
    if (k < 3)
        return -1;
    for (i = 0; i < k * k; i++) {
        if (isnan(r[i]))
            return -1;
        sum_r += r[i];
    }
    start_values(r, k, l);
    for (i = 0; i < k; i++)
        total += l[i] * l[i];
    for (sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
        double biggest = 0;
        for (i = 0; i < k; i++) {
            double num = 0, den = total - l[i] * l[i], next;
            for (j = 0; j < k; j++)
                if (j != i)
                    num += r[i * k + j] * l[j];
            next = den > 0 ? num / den : 0;
            if (next > bound)
                next = bound;
            if (next < -bound)
                next = -bound;
            if (fabs(next - l[i]) > biggest)
                biggest = fabs(next - l[i]);
            total += next * next - l[i] * l[i];
            l[i] = next;
        }
        out->iterations = sweep;
        if (biggest < STEP_TOL) {
            out->converged = 1;
            break;
        }
    }
    for (i = 0; i < k; i++)
        sum_l += l[i];
    for (i = 0; i < k; i++) {
        if (sum_l < 0)
            l[i] = -l[i];
        uniq += 1 - l[i] * l[i];
        out->heywood |= fabs(l[i]) >= bound * (1 - 1e-12);
        for (j = 0; j < k; j++)
            if (j != i)
                fit += (r[i * k + j] - l[i] * l[j]) * (r[i * k + j] - l[i] * l[j]);
    }
    out->fit = fit;
    out->omega_total = sum_r > 0 ? 1 - uniq / sum_r : NAN;
    return 0;
}
