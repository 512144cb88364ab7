/* The F distribution's quantile, for Feldt's confidence interval of Cronbach's alpha
 * (src/report.c). Pure functions, no state. */
#ifndef RFS_FDIST_H
#define RFS_FDIST_H

/* The regularised incomplete beta function I_x(a, b), for a, b > 0 and 0 <= x <= 1;
 * NaN outside. */
double rfsi_beta_inc(double x, double a, double b);

/* The p-quantile of the F distribution with df1, df2 > 0 degrees of freedom
 * (R: qf(p, df1, df2)) for 0 < p < 1; 0 at p = 0, +inf at p = 1, NaN otherwise. */
double rfsi_f_quantile(double p, double df1, double df2);

#endif
