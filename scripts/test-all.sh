#!/bin/sh
# The whole test suite, as CI runs it: dependencies, a normal build with `make check`
# (unit, end-to-end, instrument lint and self-tests, exports, README), then the same
# suite built with AddressSanitizer + UndefinedBehaviorSanitizer, then the end-to-end
# tests under valgrind memcheck. Exits non-zero when anything fails.
set -e
cd "$(dirname "$0")/.."
top=$(pwd)
./scripts/install-deps.sh
# The suites build out of tree, which needs a source tree not configured in place.
if [ -f config.status ]; then
    make distclean >/dev/null
fi
./autogen.sh >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)

run_suite() { # name, configure flags...
    name=$1
    shift
    dir="$top/build/$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    (cd "$dir" && "$top/configure" -q "$@" && make -s -j"$jobs" && make -s -j"$jobs" check) || {
        echo "test-all: $name suite FAILED; logs in build/$name/tests" >&2
        find "$dir" -name '*.log' -path '*tests*' -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null |
            while read -r log; do echo "==> $log"; tail -n 40 "$log"; done
        exit 1
    }
    echo "test-all: $name suite passed"
}

run_suite plain
run_suite sanitizers --enable-asan --enable-ubsan
run_suite valgrind --enable-valgrind
echo "test-all: everything passed"
