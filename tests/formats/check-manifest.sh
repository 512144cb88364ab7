#!/bin/sh
# Is `rfscore score --manifest FILE` valid JSON that really identifies the run's inputs?
#   - python3 -m json.tool accepts it;
#   - input.sha256 and input.bytes are sha256sum and wc -c of the input file, as read
#     from a path, from a pipe (stdin), and in Windows-1252 converted with --encoding
#     (the digest is of the file's bytes, not of the converted text);
#   - each instruments[].sha256 is sha256sum of the definition file at instruments[].path,
#     which is the file the -I search path found;
#   - run.rows_read and run.rows_written are the number of data rows;
#   - with --where and --as, run.rows_excluded and run.filters record the filters, and the
#     instrument its output name (design_where_qualtrics: 4 rows, 2 kept, 2 excluded);
#   - an input whose file name is not UTF-8 (Latin-1 "é") still gives a manifest that
#     parses, with the byte as \u00e9.
# Exit 0 pass, 1 fail, 77 skip (no python3), 99 setup error.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
bin="$top_builddir/rfscore"
cases="$top_srcdir/tests/e2e/cases"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

python=
for p in ${PYTHON:-} python3 /usr/bin/python3; do
    if "$p" -c 'import json' >/dev/null 2>&1; then
        python=$p
        break
    fi
done
if [ -z "$python" ]; then
    echo "SKIP: no python3 to read the manifest"
    exit 77
fi

# check NAME INPUT ROWS: the manifest in $tmp/m.json against INPUT (a file) and ROWS.
check() {
    name=$1 input=$2 rows=$3
    if ! "$python" -m json.tool "$tmp/m.json" >/dev/null; then
        echo "FAIL $name: manifest is not JSON"
        fail=$((fail + 1))
        return
    fi
    want_sha=$(sha256sum "$input" | cut -c1-64)
    want_bytes=$(wc -c <"$input" | tr -d ' ')
    "$python" - "$tmp/m.json" "$want_sha" "$want_bytes" "$rows" "$name" <<'EOF' || fail=$((fail + 1))
import hashlib, json, sys
path, sha, size, rows, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
m = json.load(open(path))
bad = []
if m["input"]["sha256"] != sha:
    bad.append("input.sha256 %s, sha256sum says %s" % (m["input"]["sha256"], sha))
if m["input"]["bytes"] != size:
    bad.append("input.bytes %s, the file has %d" % (m["input"]["bytes"], size))
if not m["instruments"]:
    bad.append("no instruments")
for inst in m["instruments"]:
    with open(inst["path"], "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if inst["sha256"] != digest:
        bad.append("%s sha256 %s, the file %s has %s" % (inst["id"], inst["sha256"], inst["path"], digest))
    for key in ("id", "version", "doi"):
        if not inst.get(key):
            bad.append("%s: no %s" % (inst.get("id"), key))
if m["run"]["rows_read"] != rows or m["run"]["rows_written"] != rows:
    bad.append("run rows_read %s rows_written %s, expected %d" % (m["run"]["rows_read"], m["run"]["rows_written"], rows))
if not m.get("rfscore_version") or not isinstance(m.get("arguments"), list):
    bad.append("no rfscore_version or arguments")
for b in bad:
    print("FAIL %s: %s" % (name, b))
if not bad:
    print("ok   %s" % name)
sys.exit(1 if bad else 0)
EOF
}

# sha256sum of the definitions must be the files -I found
two="$cases/export_two_instruments"
# shellcheck disable=SC2086
if $VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --prefix RFQ_ -i prfq --map "$two/prfq-map.csv" \
    --manifest "$tmp/m.json" -o "$tmp/out.csv" "$two/input.csv"; then
    check "file input, two instruments" "$two/input.csv" 2
    for id in rfq8 prfq; do
        grep -q "\"sha256\": \"$(sha256sum "$top_srcdir/instruments/$id.ini" | cut -c1-64)\"" "$tmp/m.json" ||
            { echo "FAIL: no sha256 of instruments/$id.ini in the manifest"; fail=$((fail + 1)); }
    done
else
    echo "FAIL: rfscore score --manifest (file) exited $?"; fail=$((fail + 1))
fi

# stdin through a pipe (rfscore buffers it for the id pre-pass)
rm -f "$tmp/m.json"
# a pipe, not a redirect: the input must not be seekable
# shellcheck disable=SC2002,SC2086
if cat "$cases/export_redcap_missing_codes/input.csv" |
    $VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --manifest "$tmp/m.json" -o "$tmp/out.csv" -; then
    check "stdin pipe" "$cases/export_redcap_missing_codes/input.csv" 4
else
    echo "FAIL: rfscore score --manifest (stdin) exited $?"; fail=$((fail + 1))
fi

# converted input: the digest is of the bytes read, before conversion
rm -f "$tmp/m.json"
# shellcheck disable=SC2086
if $VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --encoding cp1252 --manifest "$tmp/m.json" \
    -o "$tmp/out.csv" "$cases/export_cp1252/input.csv"; then
    check "cp1252 input" "$cases/export_cp1252/input.csv" 3
else
    echo "FAIL: rfscore score --manifest (cp1252) exited $?"; fail=$((fail + 1))
fi

# filters and output names are recorded
rm -f "$tmp/m.json"
# shellcheck disable=SC2086
if $VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --as rfq8_v1 --where Finished=1 --where 'Status!=1' \
    --manifest "$tmp/m.json" -o "$tmp/out.csv" "$cases/design_where_qualtrics/input.csv"; then
    "$python" - "$tmp/m.json" <<'PYEOF' || fail=$((fail + 1))
import json, sys
m = json.load(open(sys.argv[1]))
r = m["run"]
bad = []
if (r["rows_read"], r["rows_written"], r["rows_excluded"]) != (4, 2, 2):
    bad.append("rows read/written/excluded %s %s %s, expected 4 2 2" % (r["rows_read"], r["rows_written"],
               r["rows_excluded"]))
if r["filters"] != ["Finished=1", "Status!=1"]:
    bad.append("run.filters %s" % r["filters"])
if m["instruments"][0].get("as") != "rfq8_v1" or m["instruments"][0]["id"] != "rfq8":
    bad.append("instruments[0] %s" % m["instruments"][0])
if r["instruments"][0]["id"] != "rfq8_v1" or r["instruments"][0].get("definition") != "rfq8":
    bad.append("run.instruments[0] id %s" % r["instruments"][0]["id"])
for b in bad:
    print("FAIL --where/--as manifest: " + b)
sys.exit(1 if bad else 0)
PYEOF
else
    echo "FAIL: rfscore score --manifest (--where) exited $?"; fail=$((fail + 1))
fi

# A file name in Latin-1: the manifest is still JSON (the byte escaped as \u00e9).
latin="$tmp/$(printf 'donn\351es').csv"
cp "$top_srcdir/examples/data/rfq8_sample.csv" "$latin"
if $VALGRIND "$bin" score -q -I "$top_srcdir/instruments" -i rfq8 --manifest "$tmp/latin.json" -o "$tmp/latin.csv" "$latin"; then
    "$python" - "$tmp/latin.json" <<'PYEOF' || fail=$((fail + 1))
import json, sys
m = json.load(open(sys.argv[1], "rb"))
if not m["input"]["path"].endswith("donn\u00e9es.csv"):
    print("FAIL Latin-1 file name in the manifest: %r" % m["input"]["path"])
    sys.exit(1)
PYEOF
else
    echo "FAIL: rfscore score --manifest (Latin-1 file name) exited $?"; fail=$((fail + 1))
fi

[ "$fail" -eq 0 ]
