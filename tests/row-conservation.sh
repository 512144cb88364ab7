#!/bin/sh
# Property test: every input record gives exactly one output row, or the run fails cleanly.
#
# A python3 script with a fixed seed writes a few hundred CSV files for instruments/rfq8.ini:
# valid ones (BOM, CRLF/LF/CR, quoted names and cells with commas, quotes and newlines,
# blank lines, missing and invalid cells, repeated ids, no final newline) and damaged
# copies (bytes deleted, inserted, swapped; lines cut, doubled or dropped; fields added or
# removed; stray quotes, NULs, 0xFF (not UTF-8), CRs; truncation). Each is scored with
# `rfscore score -o OUT` (one in five through standard input), and then either
#   - the exit code is 0, OUT has exactly (input records + 1) rows, counted with Python's
#     csv module (which handles quoted newlines; blank lines are not records), every row
#     has as many fields as OUT's header, and the ids come out in input order; or
#   - the exit code is not 0, stderr names the input with a line (NAME:LINE:), and neither
#     OUT nor a temporary OUT.tmp.* exists.
# Exits 1 on any violation (each is printed, and the input kept when ROWCONS_KEEP=DIR is
# set), 77 (skip) without python3. ROWCONS_N sets the number of files (default 300; 60
# under valgrind), ROWCONS_SEED the seed (default 20261126). $VALGRIND, when set, wraps
# every rfscore run; its error exit code counts as a failure without a location.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "row-conservation: python3 not found, skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export tmp
# Under valgrind, run the real program: rfscore in the build tree is a libtool wrapper
# script, and valgrind does not follow its exec of .libs/rfscore.
LIBTOOL_EXEC=
[ -n "${VALGRIND:-}" ] && [ -x "$top_builddir/libtool" ] && LIBTOOL_EXEC="$top_builddir/libtool --mode=execute"
export LIBTOOL_EXEC
RFSCORE="$top_builddir/rfscore" INSTRUMENT="$top_srcdir/instruments/rfq8.ini" \
    exec python3 - <<'PYEOF'
import csv, io, os, random, re, shlex, shutil, subprocess, sys

csv.field_size_limit(sys.maxsize)
tmp = os.environ["tmp"]
rfscore = os.environ["RFSCORE"]
instrument = os.environ["INSTRUMENT"]
valgrind = shlex.split(os.environ.get("VALGRIND", ""))
if valgrind:
    valgrind = shlex.split(os.environ.get("LIBTOOL_EXEC", "")) + valgrind
n_files = int(os.environ.get("ROWCONS_N", "60" if valgrind else "300"))
seed = int(os.environ.get("ROWCONS_SEED", "20261126"))
keep_dir = os.environ.get("ROWCONS_KEEP", "")
rng = random.Random(seed)

ITEMS = ["rfq8_%d" % i for i in range(1, 9)]
CELLS = ["1", "2", "3", "4", "5", "6", "7", "7", "1", "4", "", "NA", "n/a", ".", " 3 ", "4.0",
         "+2", "9", "0", "-99", "3.5", "abc", "1e0", "nan", "0x4", '"5"', '" 6 "', '"4,0"',
         '"a ""q"" b"', '"multi\nline"', '"cr\rinside"', "\xc3\xa9", "-0"]
TEXT = ["control", "clinical", "", '"with, comma"', '"two\nlines"', '"say ""hi"""', "x y",
        "caf\xc3\xa9", '"\r\n"']


def make_valid():
    """Returns (bytes, options) for a well-formed file."""
    eol = rng.choice(["\n"] * 6 + ["\r\n"] * 3 + ["\r"])
    extra = rng.random() < 0.5             # a free-text column, sometimes kept
    quote_names = rng.random() < 0.2
    names = ["id"] + (["note"] if extra else []) + ITEMS
    if rng.random() < 0.3:
        rng.shuffle(names)
    if rng.random() < 0.2:                 # names match ignoring case and spaces
        names = [n.upper() if rng.random() < 0.3 else n for n in names]
    header = ",".join('"%s"' % n if quote_names else n for n in names)
    lines = [header]
    ids = ["p%03d" % rng.randrange(60) for _ in range(rng.randrange(0, 40))]
    for pid in ids:
        row = []
        for n in names:
            if n.lower() == "id":
                row.append(pid if rng.random() < 0.9 else '"%s"' % pid)
            elif n.lower() == "note":
                row.append(rng.choice(TEXT))
            else:
                row.append(rng.choice(CELLS))
        lines.append(",".join(row))
        if rng.random() < 0.05:
            lines.append(rng.choice(["", "   ", "\t"]))   # blank lines are not records
    text = eol.join(lines)
    if rng.random() < 0.85:
        text += eol
    data = text.encode("latin-1")
    if rng.random() < 0.15:
        data = b"\xef\xbb\xbf" + data
    opts = ["--keep", "note"] if extra and rng.random() < 0.5 else []
    return data, opts


DAMAGE_BYTES = [b'"', b",", b"\n", b"\r", b"\x00", b"\xff", b" ", b"\r\n", b'""', b"x"]


def damage(data):
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        kind = rng.randrange(10)
        n = len(data)
        pos = rng.randrange(n + 1)
        if kind == 0 and n:                      # delete bytes
            del data[pos:pos + rng.randrange(1, 4)]
        elif kind == 1:                          # insert a troublesome byte
            data[pos:pos] = rng.choice(DAMAGE_BYTES)
        elif kind == 2 and n > 1:                # swap two bytes
            a, b = rng.randrange(n), rng.randrange(n)
            data[a], data[b] = data[b], data[a]
        elif kind == 3:                          # truncate
            del data[pos:]
        elif kind in (4, 5, 6):                  # line-level: drop, double, cut a field, add one
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            if kind == 4 and len(lines) > 1:
                del lines[i]
            elif kind == 5:
                lines.insert(i, lines[i])
            else:
                fields = lines[i].split(b",")
                if rng.random() < 0.5 and len(fields) > 1:
                    del fields[rng.randrange(len(fields))]
                else:
                    fields.insert(rng.randrange(len(fields) + 1), b"7")
                lines[i] = b",".join(fields)
            data = bytearray(b"\n".join(lines))
        elif kind == 7:                          # an unmatched quote at a field start
            data[pos:pos] = b',"' if rng.random() < 0.5 else b'"'
        elif kind == 8:                          # the header goes
            data = bytearray(bytes(data).split(b"\n", 1)[-1] if b"\n" in data else b"")
        elif rng.random() < 0.3:                 # nothing at all
            data = bytearray()
        else:                                    # cut inside the last line
            del data[max(0, n - rng.randrange(1, 8)):]
    return bytes(data)


def records(data):
    """Records as rfscore defines them (docs/output.md): CSV rows; blank lines are not records."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("latin-1")
    rows = list(csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=False))
    blank = lambda r: not r or (len(r) == 1 and r[0].strip(" \t") == "")
    return [r for r in rows if not blank(r)]


def table(data):
    return list(csv.reader(io.StringIO(data.decode("latin-1"), newline=""), strict=True))


violations = 0
stats = {"ok": 0, "error": 0}
for k in range(n_files):
    if rng.random() < 0.35:
        data, opts = make_valid()
        kind = "valid"
    else:
        data, opts = make_valid()
        data = damage(data)
        kind = "damaged"
    src = os.path.join(tmp, "in%04d.csv" % k)
    out = os.path.join(tmp, "out%04d.csv" % k)
    with open(src, "wb") as f:
        f.write(data)
    use_stdin = rng.random() < 0.2
    cmd = valgrind + [rfscore, "score", "-i", instrument] + opts + ["-o", out, "-" if use_stdin else src]
    with open(src, "rb") as stdin:
        p = subprocess.run(cmd, stdin=stdin if use_stdin else subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = p.stderr.decode("latin-1")
    problems = []
    leftovers = [f for f in os.listdir(tmp) if f.startswith("out%04d.csv." % k)]
    if p.returncode == 0:
        stats["ok"] += 1
        want = len(records(data))  # the header is the first record
        try:
            with open(out, "rb") as f:
                rows = table(f.read())
        except (OSError, csv.Error) as e:
            rows = None
            problems.append("exit 0 but OUT unreadable: %s" % e)
        if rows is not None:
            if len(rows) != want:
                problems.append("exit 0 but OUT has %d rows, expected %d (%d records + header)"
                                % (len(rows), want, want - 1))
            widths = {len(r) for r in rows}
            if len(widths) > 1:
                problems.append("OUT rows have different field counts: %s" % sorted(widths))
            if len(rows) == want and want > 1:
                recs = records(data)
                names = [n.strip(" \t").lower() for n in recs[0]]
                if "id" in names:
                    i = names.index("id")
                    for r, o in zip(recs[1:], rows[1:]):
                        v = r[i] if i < len(r) else None
                        if v is None or (o[0] != v and o[0] != v.strip(" \t")):
                            problems.append("ids out of order: input %r, output %r" % (v, o[0]))
                            break
        if leftovers:
            problems.append("temporary files left: %s" % leftovers)
    else:
        stats["error"] += 1
        name = "<stdin>" if use_stdin else src
        if not re.search(re.escape(name) + r":[0-9]+:", err):
            problems.append("exit %d without a %s:LINE: location" % (p.returncode, name))
        if os.path.exists(out):
            problems.append("exit %d but OUT exists" % p.returncode)
        if leftovers:
            problems.append("exit %d and temporary files left: %s" % (p.returncode, leftovers))
    if problems:
        violations += 1
        print("FAIL file %d (%s%s, %d bytes, seed %d): %s" % (
            k, kind, ", stdin" if use_stdin else "", len(data), seed, "; ".join(problems)))
        print("    " + err.strip().replace("\n", "\n    ")[:600])
        if keep_dir:
            os.makedirs(keep_dir, exist_ok=True)
            shutil.copy(src, os.path.join(keep_dir, "in%04d.csv" % k))
    for f in [out] + [os.path.join(tmp, x) for x in leftovers]:
        if os.path.exists(f):
            os.remove(f)
    os.remove(src)

print("row-conservation: %d files (%d scored, %d refused), %d violations"
      % (n_files, stats["ok"], stats["error"], violations))
sys.exit(1 if violations else 0)
PYEOF
