/* Scale intercorrelations in the report: per pair of scales of an instrument, Pearson's r
 * over the analysed rows where both are scored, and r disattenuated by the scales' alphas
 * (r / sqrt(alpha_a alpha_b), Spearman 1904): the correlation the true scores would have
 * if alpha were their reliability. Above 1 means the two scales measure the same thing
 * more than their alphas allow, or alpha understates their reliability. */
#include <math.h>
#include <string.h>

#include "pairs.h"
#include "report.h"
#include "report_fmt.h"

int rfsi_study_scale_cor(const rfsi_study *st, size_t inst, size_t a, size_t b, double *r,
                         unsigned long long *n, double *r_disattenuated)
{
    rfsi_score_stats sa, sb;
    const rfsi_pairs *p = st ? rfsi_study_scale_pairs(st, inst) : NULL;

    if (!p || a >= p->k || b >= p->k)
        return -1;
    *r = rfsi_pairs_cor(p, a, b, n);
    *r_disattenuated = NAN;
    if (rfsi_study_score_stats(st, inst, a, &sa, NULL) < 0 || rfsi_study_score_stats(st, inst, b, &sb, NULL) < 0)
        return -1;
    if (sa.alpha.raw > 0 && sb.alpha.raw > 0) /* Spearman's correction for attenuation */
        *r_disattenuated = *r / sqrt(sa.alpha.raw * sb.alpha.raw);
    return 0;
}

void rfsi_study_cor_render(const rfsi_study *st, size_t inst, int format, rfsi_buf *b, int *rc)
{
    const rfs_instrument *in = rfsi_study_instrument(st, inst);
    size_t i, j, w = 5, shown = 0;
    char t[2][RFSI_NUMFMT_MAX];

    if (format == 1)
        rfsi_rput(b, rc, "\"intercorrelations\": [");
    if (in->n_scales < 2) {
        rfsi_rput(b, rc, "%s", format == 1 ? "]" : "");
        return;
    }
    for (i = 0; i < in->n_scales; i++)
        if (strlen(in->scales[i].id) > w)
            w = strlen(in->scales[i].id);
    if (format == 0)
        rfsi_rput(b, rc, "\nscale intercorrelations (rows where both are scored; disattenuated: r / sqrt(alpha "
                  "alpha))\n%-*s %-*s %7s %8s %15s\n", (int)w, "scale", (int)w, "scale", "n", "r", "disattenuated");
    else if (format == 2) {
        rfsi_rput(b, rc, "<h3>Scale intercorrelations</h3>\n<p class=\"note\">Pearson r over the analysed rows "
                  "where both scales are scored; disattenuated: r / sqrt(alpha<sub>a</sub> alpha<sub>b</sub>) with "
                  "the raw alphas above (Spearman 1904).</p>\n<table class=\"cor\" id=\"cor-");
        rfsi_rid(b, rc, in->id);
        rfsi_rput(b, rc, "\"><tr><th>scale</th><th>scale</th><th>n</th><th>r</th><th>r disattenuated</th></tr>\n");
    }
    for (i = 0; i < in->n_scales && *rc == 0; i++)
        for (j = i + 1; j < in->n_scales; j++) {
            double r, rd;
            unsigned long long n;
            if (rfsi_study_scale_cor(st, inst, i, j, &r, &n, &rd) < 0) {
                *rc = -1;
                return;
            }
            if (format == 0)
                rfsi_rput(b, rc, "%-*s %-*s %7llu %8s %15s\n", (int)w, in->scales[i].id, (int)w, in->scales[j].id, n,
                          rfsi_rf3(t[0], r), rfsi_rf3(t[1], rd));
            else if (format == 1) {
                rfsi_rput(b, rc, "%s\n        {\"a\": ", shown++ ? "," : "");
                rfsi_rjson_str(b, rc, in->scales[i].id);
                rfsi_rput(b, rc, ", \"b\": ");
                rfsi_rjson_str(b, rc, in->scales[j].id);
                rfsi_rput(b, rc, ", \"n\": %llu, ", n);
                rfsi_rjson_num(b, rc, "r", r);
                rfsi_rput(b, rc, ", ");
                rfsi_rjson_num(b, rc, "r_disattenuated", rd);
                rfsi_rput(b, rc, "}");
            } else {
                rfsi_rput(b, rc, "<tr><td>");
                rfsi_resc(b, rc, in->scales[i].id);
                rfsi_rput(b, rc, "</td><td class=\"t\">");
                rfsi_resc(b, rc, in->scales[j].id);
                rfsi_rput(b, rc, "</td><td>%llu</td><td%s>%s</td><td%s>%s</td></tr>\n", n, isnan(r) ? " class=\"na\"" : "",
                          rfsi_rf3(t[0], r), isnan(rd) ? " class=\"na\"" : fabs(rd) > 1 ? " class=\"over\"" : "",
                          rfsi_rf3(t[1], rd));
            }
        }
    rfsi_rput(b, rc, "%s", format == 1 ? "]" : format == 2 ? "</table>\n" : "");
}
