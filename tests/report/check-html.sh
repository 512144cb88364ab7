#!/bin/sh
# The HTML study report renders in a real browser. Headless Chromium loads a copy of the
# report with a probe script appended (the report itself has no script); the probe
# measures what the browser laid out and writes its findings into the page, and
# --dump-dom hands them back. Every histogram, histogram bar, item response bar and flag
# table in the source must come out as a drawn SVG or table.
#
# The report comes from $RFS_REPORT_HTML when set (e.g. written by `rfscore report
# --format html`), else from `tests/unit/test_report --html FILE` (two data sets and a
# mis-keyed instrument, so a warning shows). Exit 77 (skip) without Chromium or without
# the test program.
top_builddir=${top_builddir:-.}

chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome) || {
    echo "check-html: no chromium: skipped"
    exit 77
}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
html=$tmp/report.html

if [ -n "$RFS_REPORT_HTML" ]; then
    cp "$RFS_REPORT_HTML" "$html" || exit 1
else
    prog=$top_builddir/tests/unit/test_report
    [ -x "$prog" ] || {
        echo "check-html: $prog not built (cmocka missing?): skipped"
        exit 77
    }
    # shellcheck disable=SC2086
    $VALGRIND "$prog" --html "$html" || {
        echo "check-html: $prog --html failed"
        exit 1
    }
fi

fail() {
    echo "check-html: $*"
    exit 1
}

# Self-contained: no script, no link, no fetched URL; "http" only as the SVG namespace.
if grep -Eq '<script|<link|<img|<iframe|(src|href)=|url\(|@import' "$html"; then
    fail "the report refers to something outside itself"
fi
if grep -o 'https\{0,1\}://[^"]*' "$html" | grep -vqx 'http://www.w3.org/2000/svg'; then
    fail "the report holds a URL other than the SVG namespace"
fi

count() { grep -o "$1" "$html" | wc -l | tr -d ' '; }
want_hist=$(count '<figure class="histogram"')
want_bars=$(count '<rect class="bar"')
want_resp=$(count '<svg class="response-bar"')
want_segs=$(count '<rect class="seg ')
want_flags=$(count '<table class="flags"')
want_warn=$(count '<li class="warning">')
for n in "$want_hist" "$want_bars" "$want_resp" "$want_flags"; do
    [ "$n" -gt 0 ] || fail "the report has no histogram, bar, response bar or flag table"
done

# The probe: counts only what the browser drew (SVG elements in the SVG namespace with a
# non-empty box), and whether the inline style sheet applied.
probe='<script>(function () {
  function drawn(el) { var r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; }
  function count(sel, test) { var n = 0; document.querySelectorAll(sel).forEach(function (e) { if (test(e)) n++; }); return n; }
  var svg = function (e) { return e instanceof SVGElement && drawn(e); };
  var out = [];
  out.push("histograms " + count("figure.histogram > svg.histogram", svg));
  out.push("bars " + count("svg.histogram rect.bar", function (e) { return svg(e) && e.getBBox().height > 0; }));
  out.push("response-bars " + count("table.responses svg.response-bar", svg));
  out.push("segments " + count("svg.response-bar rect.seg", function (e) { return svg(e) && e.getBBox().width > 0; }));
  out.push("flag-tables " + count("table.flags", function (e) { return drawn(e) && e.rows.length === 13; }));
  out.push("warnings " + count("ul.warnings > li.warning", drawn));
  out.push("style " + (getComputedStyle(document.querySelector("table")).borderCollapse === "collapse" ? "applied" : "missing"));
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = "\n" + out.join("\n") + "\n";
  document.body.appendChild(pre);
})();</script>'
{
    sed '/<\/body>/,$d' "$html"
    printf '%s\n</body>\n</html>\n' "$probe"
} >"$tmp/probe.html"

to=""
command -v timeout >/dev/null 2>&1 && to="timeout 120"
# shellcheck disable=SC2086
$to "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
    --dump-dom "file://$tmp/probe.html" >"$tmp/dom.html" 2>"$tmp/chromium.log" || {
    cat "$tmp/chromium.log"
    fail "chromium failed"
}
sed -n '/<pre id="probe">/,/<\/pre>/p' "$tmp/dom.html" >"$tmp/probe.txt"
[ -s "$tmp/probe.txt" ] || {
    cat "$tmp/chromium.log"
    fail "the probe did not run (no <pre id=probe> in the dumped DOM)"
}

got() { sed -n "s/^$1 //p" "$tmp/probe.txt"; }
check() {
    [ "$(got "$1")" = "$2" ] || fail "$1: browser drew $(got "$1"), the report holds $2"
}
check histograms "$want_hist"
check bars "$want_bars"
check response-bars "$want_resp"
check segments "$want_segs"
check flag-tables "$want_flags"
check warnings "$want_warn"
check style applied
echo "check-html: chromium drew $want_hist histograms ($want_bars bars), $want_resp response bars ($want_segs segments), $want_flags flag tables, $want_warn warnings"
