/* F quantiles through the regularised incomplete beta function.
 *
 * P(F <= f; d1, d2) = I_x(d1/2, d2/2) with x = d1 f / (d1 f + d2), so the quantile is found
 * by inverting I_x(a, b) in x and mapping back. I_x is evaluated by its continued fraction
 * (DLMF 8.17.22, modified Lentz), on the side of the mean where it converges fast (DLMF
 * 8.17.4 for the other side); the inverse by Newton steps kept inside a shrinking bracket,
 * falling back to bisection, so it cannot diverge. */
#include "fdist.h"

#include <float.h>
#include <math.h>

#define CF_EPS 1e-16
#define CF_TINY 1e-300
/* Lentz needs O(sqrt(max(a, b))) terms; alpha's df2 = (n-1)(k-1) reaches ~1e9 for a
 * million rows of a 1000-item scale, i.e. a ~5e8 and ~3e4 terms: this bound is ample. */
#define CF_MAX_ITER 1000000

static double log_beta(double a, double b)
{
    return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/* The continued fraction of I_x(a, b) (x below the mean), without its prefactor. */
static double beta_cf(double x, double a, double b)
{
    double c = 1, d = 1 - (a + b) * x / (a + 1), f;
    long m;

    if (fabs(d) < CF_TINY)
        d = CF_TINY;
    d = 1 / d;
    f = d;
    for (m = 1; m <= CF_MAX_ITER; m++) {
        double m2 = 2.0 * (double)m, num, delta;
        /* even step d_{2m} */
        num = (double)m * (b - (double)m) * x / ((a + m2 - 1) * (a + m2));
        d = 1 + num * d;
        c = 1 + num / c;
        if (fabs(d) < CF_TINY)
            d = CF_TINY;
        if (fabs(c) < CF_TINY)
            c = CF_TINY;
        d = 1 / d;
        f *= d * c;
        /* odd step d_{2m+1} */
        num = -(a + (double)m) * (a + b + (double)m) * x / ((a + m2) * (a + m2 + 1));
        d = 1 + num * d;
        c = 1 + num / c;
        if (fabs(d) < CF_TINY)
            d = CF_TINY;
        if (fabs(c) < CF_TINY)
            c = CF_TINY;
        d = 1 / d;
        delta = d * c;
        f *= delta;
        if (fabs(delta - 1) < CF_EPS)
            break;
    }
    return f;
}

/* x^a (1-x)^b / B(a, b) in logs, to survive large a and b. */
static double log_front(double x, double a, double b)
{
    return a * log(x) + b * log1p(-x) - log_beta(a, b);
}

double rfsi_beta_inc(double x, double a, double b)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1))
        return NAN;
    if (x == 0 || x == 1)
        return x;
    if (x < (a + 1) / (a + b + 2))
        return exp(log_front(x, a, b)) * beta_cf(x, a, b) / a;
    return 1 - exp(log_front(1 - x, b, a)) * beta_cf(1 - x, b, a) / b;
}

/* The x in (0, 1) with I_x(a, b) = p, 0 < p < 1. */
static double beta_quantile(double p, double a, double b)
{
    double lo = 0, hi = 1, x = a / (a + b), lb = log_beta(a, b);
    int i;

    for (i = 0; i < 2000; i++) {
        double f = rfsi_beta_inc(x, a, b) - p, dens, next;
        if (f == 0)
            return x;
        if (f < 0)
            lo = x;
        else
            hi = x;
        /* converged: the bracket is as narrow as doubles allow around x */
        if (hi - lo <= 4 * DBL_EPSILON * x || hi <= nextafter(lo, 2))
            break;
        dens = exp((a - 1) * log(x) + (b - 1) * log1p(-x) - lb);
        next = x - f / dens;
        if (!(dens > 0) || !isfinite(next) || next <= lo || next >= hi)
            next = lo + (hi - lo) / 2; /* Newton left the bracket: bisect */
        else if (fabs(next - x) <= 1e-17 * x)
            return next;
        x = next;
    }
    return x;
}

double rfsi_f_quantile(double p, double df1, double df2)
{
    double a = df1 / 2, b = df2 / 2, x, y;

    if (!(df1 > 0) || !(df2 > 0) || !(p >= 0) || !(p <= 1))
        return NAN;
    if (p == 0)
        return 0;
    if (p == 1)
        return INFINITY;
    /* Solve for whichever of x and 1 - x is the smaller, so f = (df2/df1) x / (1 - x)
     * keeps its precision. */
    if (a <= b) {
        x = beta_quantile(p, a, b);
        return df2 / df1 * x / (1 - x);
    }
    y = beta_quantile(1 - p, b, a); /* y = 1 - x, I_y(b, a) = 1 - p */
    return df2 / df1 * (1 - y) / y;
}
