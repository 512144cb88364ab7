"""cffi build script: compiles rfscore/_native.c against librfscore (found by pkg-config,
or RFSCORE_CFLAGS / RFSCORE_LIBS / RFSCORE_LIBDIR / RFSCORE_INSTRUMENT_DIR) into
rfscore._rfscore, with an rpath so a library in a private prefix is found at run time."""
import os
import shlex
import subprocess

from cffi import FFI

HERE = os.path.dirname(os.path.abspath(__file__))


def pkg_config(*args):
    cmd = [os.environ.get("PKG_CONFIG", "pkg-config")] + list(args) + ["rfscore"]
    try:
        return subprocess.check_output(cmd, text=True).strip()
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(
            "rfscore: librfscore not found by pkg-config (%s): run 'make install' in the rfscore "
            "tree and set PKG_CONFIG_PATH to PREFIX/lib/pkgconfig" % e
        )


cflags = os.environ.get("RFSCORE_CFLAGS")
libs = os.environ.get("RFSCORE_LIBS")
if libs is None:
    cflags, libs = pkg_config("--cflags"), pkg_config("--libs")
libdir = os.environ.get("RFSCORE_LIBDIR") or pkg_config("--variable=libdir")
instrument_dir = os.environ.get("RFSCORE_INSTRUMENT_DIR") or pkg_config("--variable=instrumentdir")

CDEF = """
typedef enum rfs_status { RFS_OK = 0, RFS_E_NOMEM, RFS_E_USAGE, RFS_E_OPEN, RFS_E_DEFINITION,
                          RFS_E_DATA, RFS_E_OUTPUT, RFS_E_LIMIT } rfs_status;
typedef struct rfs_error {
    rfs_status code; char file[256]; unsigned long line; unsigned long column; char message[512];
} rfs_error;
typedef struct rfs_instrument rfs_instrument;
typedef struct rfs_scorer rfs_scorer;
typedef int (*rfs_write_fn)(const char *data, size_t len, void *userdata);
typedef void (*rfs_problem_fn)(const rfs_error *err, void *userdata);
typedef struct rfs_counts { unsigned long long rows_read, rows_written, rows_flagged; } rfs_counts;

const char *rfs_version(void);
void rfs_error_clear(rfs_error *err);
const char *rfs_status_text(rfs_status code);
rfs_instrument *rfs_instrument_load(const char *path, rfs_error *err);
void rfs_instrument_free(rfs_instrument *inst);
const char *rfs_instrument_id(const rfs_instrument *inst);
const char *rfs_instrument_name(const rfs_instrument *inst);
const char *rfs_instrument_version(const rfs_instrument *inst);
const char *rfs_instrument_citation(const rfs_instrument *inst);
const char *rfs_instrument_doi(const rfs_instrument *inst);
const char *rfs_instrument_license(const rfs_instrument *inst);
const char *rfs_instrument_path(const rfs_instrument *inst);
const char *rfs_instrument_sha256(const rfs_instrument *inst);
size_t rfs_instrument_item_count(const rfs_instrument *inst);
const char *rfs_instrument_item_column(const rfs_instrument *inst, size_t n);
size_t rfs_instrument_score_count(const rfs_instrument *inst);
const char *rfs_instrument_score_id(const rfs_instrument *inst, size_t i);
char *rfs_instrument_describe(const rfs_instrument *inst);
char *rfs_codebook(const rfs_instrument *const *insts, size_t n, const char *format);

rfs_scorer *rfs_scorer_new(rfs_error *err);
void rfs_scorer_free(rfs_scorer *s);
int rfs_scorer_add_instrument(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err);
int rfs_scorer_set_id_column(rfs_scorer *s, const char *name, rfs_error *err);
int rfs_scorer_keep_column(rfs_scorer *s, const char *name, rfs_error *err);
int rfs_scorer_set_min_answered(rfs_scorer *s, const char *rule, rfs_error *err);
int rfs_scorer_set_input_name(rfs_scorer *s, const char *name, rfs_error *err);
int rfs_scorer_set_output(rfs_scorer *s, rfs_write_fn fn, void *userdata, rfs_error *err);
int rfs_scorer_set_threshold(rfs_scorer *s, const char *name, double value, rfs_error *err);
int rfs_scorer_add_missing_code(rfs_scorer *s, const char *type, const char *code, rfs_error *err);
int rfs_scorer_set_duration_column(rfs_scorer *s, const char *name, rfs_error *err);
int rfs_scorer_set_delimiter(rfs_scorer *s, char delimiter, rfs_error *err);
int rfs_scorer_set_encoding(rfs_scorer *s, const char *name, rfs_error *err);
int rfs_scorer_set_duplicate_check(rfs_scorer *s, int on, rfs_error *err);
int rfs_scorer_set_columns(rfs_scorer *s, const rfs_instrument *inst, const char *prefix,
                           const char *suffix, rfs_error *err);
int rfs_scorer_map_item(rfs_scorer *s, const rfs_instrument *inst, size_t item, const char *column,
                        rfs_error *err);
int rfs_scorer_set_raw_text(rfs_scorer *s, int on, rfs_error *err);
int rfs_scorer_enable_report(rfs_scorer *s, int all_rows, rfs_error *err);
char *rfs_scorer_report(const rfs_scorer *s, const char *format);
int rfs_scorer_set_warning_fn(rfs_scorer *s, rfs_problem_fn fn, void *userdata, rfs_error *err);
int rfs_scorer_prescan_finish(rfs_scorer *s, rfs_error *err);
int rfs_scorer_finish(rfs_scorer *s, rfs_error *err);
int rfs_scorer_run_file(rfs_scorer *s, FILE *in, rfs_error *err);
char *rfs_scorer_summary(const rfs_scorer *s, int json);

void free(void *p);
FILE *fopen(const char *path, const char *mode);
int fclose(FILE *f);

typedef struct rfspy_column {
    int kind; const double *dbl; const long long *i64; const unsigned char *b8;
    const unsigned char *mask; const char *text; const long long *offsets; long long n_text;
} rfspy_column;
int rfspy_feed_frame(rfs_scorer *s, const char *header, size_t header_len, const rfspy_column *cols,
                     size_t ncol, size_t nrow, int prescan, rfs_error *err);
typedef struct rfspy_out rfspy_out;
rfspy_out *rfspy_out_new(const rfs_instrument *const *insts, const char *const *names, size_t n_inst,
                         size_t n_keep, int row_numbers, size_t rows_hint, int frame);
int rfs_scorer_add_id_column(rfs_scorer *s, const char *name, rfs_error *err);
int rfs_scorer_set_row_numbers(rfs_scorer *s, int on, rfs_error *err);
int rfs_scorer_add_filter(rfs_scorer *s, const char *expr, rfs_error *err);
int rfs_scorer_set_instrument_name(rfs_scorer *s, const rfs_instrument *inst, const char *name, rfs_error *err);
void rfspy_out_free(rfspy_out *p);
int rfspy_out_write(const char *data, size_t len, void *userdata);
int rfspy_write_null(const char *data, size_t len, void *userdata);
void rfspy_out_warn(const rfs_error *e, void *userdata);
size_t rfspy_out_ncol(const rfspy_out *p);
size_t rfspy_out_nrow(const rfspy_out *p);
const char *rfspy_out_name(const rfspy_out *p, size_t j);
int rfspy_out_kind(const rfspy_out *p, size_t j);
void *rfspy_out_data(const rfspy_out *p, size_t j);
size_t rfspy_out_dict_size(const rfspy_out *p, size_t j);
const char *rfspy_out_dict_text(const rfspy_out *p, size_t j);
const long long *rfspy_out_dict_offsets(const rfspy_out *p, size_t j);
size_t rfspy_out_warning_count(const rfspy_out *p, size_t *shown);
const char *rfspy_out_warning(const rfspy_out *p, size_t i);
const char *rfspy_instrument_dir(void);
int rfspy_out_skip(rfspy_out *p, const char *names, size_t len);
int rfspy_out_write_text(const char *data, size_t len, void *userdata);
const char *rfspy_out_text(const rfspy_out *p);
int rfs_scorer_set_dry_run(rfs_scorer *s, int on, rfs_error *err);
"""

ffibuilder = FFI()
ffibuilder.cdef(CDEF)
with open(os.path.join(HERE, "_native.c"), encoding="utf-8") as f:
    native = f.read()
c_dir = instrument_dir.replace("\\", "\\\\").replace('"', '\\"')
ffibuilder.set_source(
    "rfscore._rfscore",
    native + '\nconst char *rfspy_instrument_dir(void) { return "%s"; }\n' % c_dir,
    extra_compile_args=shlex.split(cflags or ""),
    extra_link_args=shlex.split(libs) + (["-Wl,-rpath," + libdir] if libdir else []),
)

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
