#!/bin/sh
# Output validity over the fuzz corpus (issue 12, test class d): each CSV input of
# tests/fuzz/corpus/fuzz_score and tests/fuzz/regressions/fuzz_score (less its two option
# bytes) is scored with instruments/rfq8.ini in every output format, wide and long, with
# --summary and --report-format json, and read under a file name that is not UTF-8
# (caf\xE9.csv: its bytes reach the summary and the report). Whatever the exit code, every
# CSV or TSV output must be valid UTF-8 and every JSON output (each jsonl line, the summary,
# the report) must parse (python3 json, strict UTF-8). Exits 77 (skip) without python3.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
command -v python3 >/dev/null 2>&1 || { echo "output validity: python3 not found, skipped"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
export tmp top_srcdir top_builddir
exec python3 - <<'PYEOF'
import glob, json, os, shlex, subprocess, sys

tmp, top, build = os.environ["tmp"], os.environ["top_srcdir"], os.environ["top_builddir"]
valgrind = shlex.split(os.environ.get("VALGRIND", ""))
if valgrind and os.path.exists(os.path.join(build, "libtool")):
    valgrind = [os.path.join(build, "libtool"), "--mode=execute"] + valgrind
rfscore = os.path.join(build, "rfscore")
env = dict(os.environ)
if not valgrind and os.path.exists(os.path.join(build, ".libs", "rfscore")):
    # the program itself, not libtool's wrapper script: a tenth of the time per run
    rfscore = os.path.join(build, ".libs", "rfscore")
    env["LD_LIBRARY_PATH"] = os.path.join(build, ".libs") + ":" + env.get("LD_LIBRARY_PATH", "")
inst = os.path.join(top, "instruments")
files = sorted(glob.glob(os.path.join(top, "tests/fuzz/corpus/fuzz_score/*")) +
               glob.glob(os.path.join(top, "tests/fuzz/regressions/fuzz_score/*")))
variants = [["--format", "csv"], ["--format", "tsv"], ["--format", "jsonl"], ["--format", "redcap"],
            ["--format", "csv", "--long"], ["--format", "jsonl", "--long"],
            ["--format", "csv", "--keep", "group"], ["--format", "jsonl", "--keep", "group"]]
name = os.path.join(tmp.encode(), b"caf\xe9.csv")
problems = runs = 0


def bad(what):
    global problems
    problems += 1
    print("FAIL " + what)


for path in files:
    data = open(path, "rb").read()[2:]
    open(name, "wb").write(data)
    for v in variants:
        out, summary, report = (os.path.join(tmp, f) for f in ("out", "summary.json", "report.json"))
        for f in (out, summary, report):
            if os.path.exists(f):
                os.remove(f)
        args = valgrind + [rfscore, "score", "-q", "-I", inst, "-i", "rfq8"] + v + \
            ["--summary", summary, "--report", report, "--report-format", "json", "-o", out]
        p = subprocess.run([a.encode() for a in args] + [name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        runs += 1
        where = "%s %s (exit %d)" % (os.path.basename(path), " ".join(v), p.returncode)
        if valgrind and p.returncode == 99:
            bad(where + ": valgrind: " + p.stderr.decode(errors="replace")[-300:])
        if os.path.exists(out):
            text = open(out, "rb").read()
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as e:
                bad("%s: output not UTF-8: %s" % (where, e))
                continue
            if "jsonl" in v:
                for k, line in enumerate(text.splitlines()):
                    try:
                        json.loads(line)
                    except ValueError as e:
                        bad("%s: jsonl line %d: %s: %r" % (where, k + 1, e, line[:200]))
        for f in (summary, report):
            if os.path.exists(f):
                try:
                    json.loads(open(f, "rb").read().decode("utf-8"))
                except ValueError as e:
                    bad("%s: %s does not parse: %s" % (where, os.path.basename(f), e))
print("output validity: %d inputs, %d runs, %d problems" % (len(files), runs, problems))
sys.exit(1 if problems else 0)
PYEOF
