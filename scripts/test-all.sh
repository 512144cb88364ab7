#!/bin/sh
# The whole test suite, as CI runs it: dependencies, a normal build with `make check`
# (unit, end-to-end, instrument lint and self-tests, exports, README), then the same
# suite built with AddressSanitizer + UndefinedBehaviorSanitizer, then the end-to-end
# tests under valgrind memcheck. Exits non-zero when anything fails. About 15-20 minutes
# on two cores.
#
# Everything is built in a temporary directory from a copy of the sources, so the
# user's tree and any build in it (./configure && make, ./rfscore) are left as they were.
set -e
cd "$(dirname "$0")/.."
top=$(pwd)
./scripts/install-deps.sh
work=$(mktemp -d "${TMPDIR:-/tmp}/rfscore-test-all.XXXXXX")
keep=
trap '[ -n "$keep" ] || rm -rf "$work"' EXIT
trap 'exit 130' INT TERM HUP

# The copy: the files git tracks, as they are in the working tree (a configured tree
# cannot host out-of-tree builds, and autogen must not rewrite the user's files); outside
# git (a release tarball), everything, cleaned of an in-place configuration.
src="$work/src"
mkdir "$src"
if git -C "$top" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$top" ls-files -z | tar -C "$top" -c --null --ignore-failed-read -T - | tar -C "$src" -x
else
    cp -R "$top/." "$src"
    if [ -f "$src/config.status" ]; then (cd "$src" && make distclean >/dev/null); fi
fi
(cd "$src" && ./autogen.sh >/dev/null 2>&1)
jobs=$(nproc 2>/dev/null || echo 2)

run_suite() { # name, configure flags...
    name=$1
    shift
    dir="$work/$name"
    start=$(date +%s)
    mkdir -p "$dir"
    (cd "$dir" && "$src/configure" -q "$@" && make -s -j"$jobs" && make -s -j"$jobs" check) || {
        keep=1
        echo "test-all: $name suite FAILED after $(($(date +%s) - start)) s; logs in $dir/tests" >&2
        find "$dir" -name '*.log' -path '*tests*' -exec grep -l -E '^(FAIL|ERROR)' {} + 2>/dev/null |
            while read -r log; do echo "==> ${log#"$work"/}"; tail -n 40 "$log"; done
        exit 1
    }
    echo "test-all: $name suite passed in $(($(date +%s) - start)) s"
}

all_start=$(date +%s)
run_suite plain
# From the copy: the user's tree may be configured in place (README command 1), which
# test-bindings.sh refuses, as it builds out of tree.
(cd "$src" && ./scripts/test-bindings.sh) || { echo "test-all: R and Python packages FAILED" >&2; exit 1; }
run_suite sanitizers --enable-asan --enable-ubsan
run_suite valgrind --enable-valgrind
echo "test-all: everything passed in $(($(date +%s) - all_start)) s"
# The closing line CI reads, counting suites (plain, R and Python, sanitizers, valgrind);
# a failed suite has exited above.
echo "test-all: 4 passed, 0 failed"
