/* The CSV file of a norm table ([norms.ID] table = FILE, beside the definition). Private
 * to the INI loader. */
#ifndef RFS_NORM_TABLE_H
#define RFS_NORM_TABLE_H

#include "ini_loader.h"

/* Reads file (relative to the definition's folder unless absolute) into nm->rows, whose
 * group columns and levels are already set, and checks it: the header, every row's
 * levels and numbers, no overlapping rows within a group, and a row for every declared
 * combination of levels. Problems are reported at sec's table key. 0, or -1 when memory
 * runs out. */
int rfsi_norm_table_load(loader *L, const char *sec, rfsi_norms *nm, const char *file);

#endif
