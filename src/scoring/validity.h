/* Careless-responding indices for one respondent (pure; docs/validity.md has the
 * definitions and sources). */
#ifndef RFS_VALIDITY_H
#define RFS_VALIDITY_H

#include <stddef.h>

#include "cell.h"
#include "definition/instrument.h"

typedef struct rfsi_indices {
    size_t longstring;   /* longest run of identical answers in item order; 0 when none */
    int has_irv;         /* needs 2 answers */
    double irv;          /* sample SD of the answers: sqrt(irv_d / (irv_n (irv_n - 1))) */
    unsigned long long irv_d; /* the exact integers it comes from: n sum(x^2) - sum(x)^2 ... */
    unsigned int irv_n;  /* ... and n, the answers counted */
    int has_even_odd;
    double even_odd;     /* Spearman-Brown corrected even/odd half correlation */
    int has_synonyms, has_antonyms;
    double synonyms, antonyms; /* within-person correlation over the declared pairs */
} rfsi_indices;

void rfsi_indices_compute(const rfs_instrument *inst, const rfsi_response *resp, rfsi_indices *out);
/* Its parts, for a caller that runs over the answers its own way (fastkey.h): longstring
 * and IRV from the longest run and the answers' count, sum and sum of squares; then the
 * indices the definition declares (even-odd, synonyms, antonyms). */
void rfsi_longstring_irv_finish(size_t longstring, long long n, long long s, long long ss, rfsi_indices *out);
/* The same but for irv itself, which it leaves NaN: most rows' IRV is printed from a cache
 * keyed by its integers, so the square root and division are done only when a flag
 * threshold or a cache miss needs the value (rfsi_irv_value). */
void rfsi_longstring_irv_counts(size_t longstring, long long n, long long s, long long ss, rfsi_indices *out);
/* The IRV from irv_d and irv_n: bit for bit the irv rfsi_indices_compute() gives. */
double rfsi_irv_value(const rfsi_indices *ix);
void rfsi_indices_declared(const rfs_instrument *inst, const rfsi_response *resp, rfsi_indices *out);

/* Pearson correlation of n pairs; 0 (no value) when n < 2 or a variance is 0. */
int rfsi_pearson(const double *x, const double *y, size_t n, double *r);

#endif
