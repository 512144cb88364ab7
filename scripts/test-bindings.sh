#!/bin/sh
# Builds, installs and tests the R and Python packages (bindings/r, bindings/python) the
# way a user would: librfscore is built out of tree in a temporary directory and installed
# into a temporary prefix; the R package goes into a temporary library with R CMD INSTALL,
# the Python one into a temporary target with pip install --no-build-isolation; then the
# testthat and pytest suites run against them and the installed command (for the
# cross-checks). Prints "N passed, N failed" last; exits non-zero when anything failed.
# Needs the Debian packages of scripts/install-deps.sh. Nothing is written to the tree.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
if [ -f config.status ]; then
    echo "test-bindings: the source tree is configured in place; run 'make distclean' first" >&2
    exit 1
fi
[ -x configure ] || ./autogen.sh >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rfscore-bindings.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
jobs=$(nproc 2>/dev/null || echo 2)
log="$tmp/log"

step() { # what, command...
    what=$1
    shift
    if ! "$@" >"$log" 2>&1; then
        echo "test-bindings: $what FAILED:" >&2
        tail -n 40 "$log" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
}

mkdir -p "$tmp/build"
step "building librfscore" sh -c "cd '$tmp/build' && '$top/configure' -q --prefix='$tmp/prefix' && make -s -j$jobs && make -s install"
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
unset RFSCORE_PATH || true

# Copies, so that neither build leaves objects in the tree.
cp -R bindings/r "$tmp/r-src"
cp -R bindings/python "$tmp/py-src"
mkdir -p "$tmp/r-lib"
step "R CMD INSTALL" R CMD INSTALL --no-multiarch -l "$tmp/r-lib" "$tmp/r-src"

python=""
for p in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$p" -c 'import pandas, cffi, pytest, setuptools, wheel' 2>/dev/null; then
        python=$p
        break
    fi
done
if [ -z "$python" ]; then
    echo "test-bindings: no python3 with pandas, cffi, pytest, setuptools and wheel (scripts/install-deps.sh)" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
step "pip install" "$python" -m pip install -q --no-build-isolation --no-deps --no-index --target "$tmp/py-lib" "$tmp/py-src"

# A generated data set for the larger cross-check with the command.
step "building the data generator" cc -O2 -o "$tmp/gen" bench/gen.c
"$tmp/gen" questionnaire 2000 7 >"$tmp/gen.csv"

RFSCORE_SRCDIR=$top RFSCORE_CMD="$tmp/prefix/bin/rfscore" RFSCORE_GEN_CSV="$tmp/gen.csv"
export RFSCORE_SRCDIR RFSCORE_CMD RFSCORE_GEN_CSV

echo "test-bindings: R (testthat)"
R_LIBS="$tmp/r-lib" Rscript -e '
  suppressPackageStartupMessages({library(testthat); library(rfscore)})
  r <- as.data.frame(test_dir(commandArgs(TRUE)[1], reporter = "summary", stop_on_failure = FALSE))
  bad <- r$failed > 0 | r$error
  cat(sprintf("R: %d passed, %d failed, %d skipped\n", sum(!bad & !r$skipped), sum(bad), sum(r$skipped & !bad)),
      file = commandArgs(TRUE)[2])
' "$tmp/r-src/tests/testthat" "$tmp/r-counts" || true
[ -s "$tmp/r-counts" ] || echo "R: 0 passed, 1 failed, 0 skipped" >"$tmp/r-counts"
cat "$tmp/r-counts"

echo "test-bindings: Python (pytest)"
(cd "$tmp/py-src/tests" && PYTHONPATH="$tmp/py-lib" "$python" -m pytest -q -p no:cacheprovider \
    --junitxml="$tmp/py.xml" .) || true
"$python" - "$tmp/py.xml" >"$tmp/py-counts" <<'EOF' || echo "Python: 0 passed, 1 failed, 0 skipped" >"$tmp/py-counts"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
s = root if root.tag == "testsuite" else root.find("testsuite")
tests, failed = int(s.get("tests")), int(s.get("failures")) + int(s.get("errors"))
skipped = int(s.get("skipped"))
print("Python: %d passed, %d failed, %d skipped" % (tests - failed - skipped, failed, skipped))
EOF
cat "$tmp/py-counts"

set -- $(cat "$tmp/r-counts" "$tmp/py-counts" | sed 's/[^0-9 ]//g')
passed=$(($1 + $4))
failed=$(($2 + $5))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
