#!/bin/sh
# The README cannot drift: its example output is what the command prints, and CI runs
# the README's test command.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
bin="$(cd "$top_builddir" && pwd)/rfscore"
readme="$top_srcdir/README.md"
cmd=$(sed -n 's/^<!-- example-output: rfscore \(.*\) -->$/\1/p' "$readme")
[ -n "$cmd" ] || { echo "README has no example-output marker"; exit 1; }
sed -n '/^<!-- example-output:/,/^<!-- end-example-output -->/p' "$readme" | sed -e '1,2d' -e '$d' | sed '$d' >readme.want
# shellcheck disable=SC2086
(cd "$top_srcdir" && $VALGRIND "$bin" $cmd) >readme.got 2>readme.err || { cat readme.err; rm -f readme.*; exit 1; }
if ! diff -u readme.want readme.got; then
    echo "README example output differs from what rfscore prints"
    rm -f readme.want readme.got
    exit 1
fi
rm -f readme.want readme.got readme.err
grep -q '^\./scripts/test-all\.sh$' "$readme" || { echo "README lost its test command"; exit 1; }
grep -q '^\./scripts/test-all\.sh$' "$top_srcdir/.ci/run" || { echo ".ci/run does not run the README's test command"; exit 1; }
grep -q '^\./scripts/install-deps\.sh && \./autogen\.sh && \./configure && make && make example$' "$readme" ||
    { echo "README lost its first command"; exit 1; }
