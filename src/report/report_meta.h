/* The report's metadata (report_meta.c): the run's provenance, copied from the scorer,
 * and the minimum of answered items in force per scale. Private to src/report. */
#ifndef RFS_REPORT_META_H
#define RFS_REPORT_META_H

#include <stddef.h>

#include "definition/instrument.h"
#include "report.h"

/* insts is read during the call only. NULL on no memory. */
rfsi_study_meta *rfsi_meta_new(const rfs_instrument *const *insts, size_t n_insts);
void rfsi_meta_free(rfsi_study_meta *m);

#endif
