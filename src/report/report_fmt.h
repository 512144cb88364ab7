/* Formatting helpers shared by the report's section renderers (report_meta.c,
 * report_flow.c, report_cor.c): each appends to a buffer and sets *rc to -1 when memory
 * runs out, so a renderer can write straight on and check once. */
#ifndef RFS_REPORT_FMT_H
#define RFS_REPORT_FMT_H

#include "base/buf.h"
#include "base/error.h"
#include "output/numfmt.h"

void rfsi_rput(rfsi_buf *b, int *rc, const char *fmt, ...) RFS_PRINTF(3, 4);
/* A JSON string (NULL as ""). */
void rfsi_rjson_str(rfsi_buf *b, int *rc, const char *s);
/* "key": number in shortest round-trip form, or null when not finite. */
void rfsi_rjson_num(rfsi_buf *b, int *rc, const char *key, double v);
/* HTML text or attribute value (NULL as ""). */
void rfsi_resc(rfsi_buf *b, int *rc, const char *s);
/* An HTML id token: letters, digits, - and _ kept, anything else _. */
void rfsi_rid(rfsi_buf *b, int *rc, const char *s);
/* A figure to 3 decimals ("NA" for NaN, never "-0.000"); out has RFSI_NUMFMT_MAX bytes. */
const char *rfsi_rf3(char *out, double v);

#endif
