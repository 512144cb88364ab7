#!/bin/sh
# The HTML study report renders in a real browser. Headless Chromium loads a copy of the
# report with a probe script appended (the report itself has no script); the probe
# measures what the browser laid out and writes its findings into the page, and
# --dump-dom hands them back. Every histogram, histogram bar, item response bar and flag
# table in the source must come out as a drawn SVG or table; so must the provenance
# block, each exclusion-flow diagram (its boxes) and table, and the intercorrelation
# tables, and a mis-keyed item's row must be highlighted.
#
# Then a screenshot: the page is photographed at its full height and the picture is
# read back (in a second page, through a canvas) for the colours only the flow diagram's
# boxes, the table headers, the histogram bars and a highlighted item row are painted in,
# so a report whose diagram or tables do not reach the screen fails even when the DOM
# looks right. Last, --print-to-pdf must give a PDF (the print style sheet's output).
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
want_flow=$(count '<figure class="flow"')
want_flow_boxes=$(count '<rect class="flow-box')
want_flow_tables=$(count '<table class="flow"')
want_cor=$(count '<table class="cor"')
want_negative=$(count '<tr class="negative">')
want_prov=$(count '<table class="provenance">')
for n in "$want_hist" "$want_bars" "$want_resp" "$want_flags" "$want_flow" "$want_flow_tables" "$want_prov"; do
    [ "$n" -gt 0 ] || fail "the report has no histogram, bar, response bar, flag table, flow diagram or provenance"
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
  out.push("flow " + count("figure.flow > svg.flow", svg));
  out.push("flow-boxes " + count("svg.flow rect.flow-box", function (e) { return svg(e) && e.getBBox().height > 0; }));
  out.push("flow-tables " + count("table.flow", function (e) { return drawn(e) && e.rows.length >= 3; }));
  out.push("cor-tables " + count("table.cor", drawn));
  out.push("provenance " + count("table.provenance", function (e) { return drawn(e) && e.rows.length >= 5; }));
  out.push("negative " + count("tr.negative", function (e) { return drawn(e) && getComputedStyle(e.cells[0]).backgroundColor === "rgb(253, 232, 228)"; }));
  out.push("height " + Math.ceil(document.documentElement.scrollHeight));
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
check flow "$want_flow"
check flow-boxes "$want_flow_boxes"
check flow-tables "$want_flow_tables"
check cor-tables "$want_cor"
check provenance "$want_prov"
check negative "$want_negative"
check style applied

# The screenshot, read back pixel by pixel. Colours (report_html.c's style sheet): flow
# main boxes #dbe8f7, flow exclusion boxes #fff1cc, table headers #eef2f8, histogram bars
# #4a7ab8, a mis-keyed item's row #fde8e4.
height=$(got height)
[ "$height" -gt 0 ] 2>/dev/null || fail "no page height from the probe"
[ "$height" -le 16000 ] || height=16000
# shellcheck disable=SC2086
$to "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
    --hide-scrollbars --window-size="1280,$height" --screenshot="$tmp/shot.png" "file://$html" \
    >"$tmp/shot.log" 2>&1 || {
    cat "$tmp/shot.log"
    fail "chromium --screenshot failed"
}
[ -s "$tmp/shot.png" ] || fail "chromium wrote no screenshot"
{
    printf '<!DOCTYPE html><html><body><img id="shot" src="data:image/png;base64,'
    base64 "$tmp/shot.png" | tr -d '\n'
    printf '"><script>(function () {
  var img = document.getElementById("shot"), c = document.createElement("canvas");
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  var g = c.getContext("2d"); g.drawImage(img, 0, 0);
  var d = g.getImageData(0, 0, c.width, c.height).data, want = {
    "flow-main": [219, 232, 247], "flow-excl": [255, 241, 204], "th": [238, 242, 248],
    "bar": [74, 122, 184], "negative": [253, 232, 228] }, n = {}, k, i;
  for (k in want) n[k] = 0;
  for (i = 0; i < d.length; i += 4)
    for (k in want)
      if (d[i] === want[k][0] && d[i + 1] === want[k][1] && d[i + 2] === want[k][2]) n[k]++;
  var out = ["size " + c.width + "x" + c.height];
  for (k in want) out.push("px-" + k + " " + n[k]);
  var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = "\\n" + out.join("\\n") + "\\n";
  document.body.appendChild(pre);
})();</script></body></html>\n'
} >"$tmp/pixels.html"
# shellcheck disable=SC2086
$to "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
    --dump-dom "file://$tmp/pixels.html" >"$tmp/pixels-dom.html" 2>"$tmp/chromium.log" || fail "chromium failed on the screenshot probe"
sed -n '/<pre id="probe">/,/<\/pre>/p' "$tmp/pixels-dom.html" >"$tmp/probe.txt"
[ -s "$tmp/probe.txt" ] || fail "the screenshot probe did not run"
# Each flow diagram paints at least two main boxes (250 x 44 px) and one exclusion box;
# every table has a header row; a highlighted row is at least 20 x 600 px.
px() { got "px-$1"; }
atleast() {
    [ "$(px "$1")" -ge "$2" ] || fail "screenshot: $(px "$1") pixels of $1, expected at least $2 ($3)"
}
atleast flow-main $((want_flow * 2 * 200 * 30)) "the flow diagrams' main boxes"
atleast flow-excl $((want_flow * 200 * 40)) "the flow diagrams' exclusion boxes"
atleast th 20000 "table headers"
atleast bar 5000 "histogram bars"
[ "$want_negative" -eq 0 ] || atleast negative $((want_negative * 20 * 600)) "the mis-keyed item's row"

# Printing: the print style sheet's PDF.
# shellcheck disable=SC2086
$to "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile" \
    --no-pdf-header-footer --print-to-pdf="$tmp/report.pdf" "file://$html" >"$tmp/pdf.log" 2>&1 || {
    cat "$tmp/pdf.log"
    fail "chromium --print-to-pdf failed"
}
[ "$(head -c 5 "$tmp/report.pdf")" = "%PDF-" ] || fail "--print-to-pdf did not write a PDF"
pdf_bytes=$(wc -c <"$tmp/report.pdf" | tr -d ' ')
[ "$pdf_bytes" -gt 20000 ] || fail "the PDF has only $pdf_bytes bytes"
pdf_pages=$(grep -aoE '/Type /Pages?' "$tmp/report.pdf" | grep -vc Pages)
[ "$pdf_pages" -ge 2 ] || fail "the PDF has $pdf_pages pages"
echo "check-html: chromium drew $want_hist histograms ($want_bars bars), $want_resp response bars ($want_segs segments), $want_flags flag tables, $want_warn warnings, $want_flow flow diagrams ($want_flow_boxes boxes), $want_cor intercorrelation tables, $want_negative highlighted items"
echo "check-html: screenshot $(got size): flow boxes $(px flow-main) + $(px flow-excl) px, headers $(px th) px, bars $(px bar) px, highlighted rows $(px negative) px; PDF $pdf_pages pages, $pdf_bytes bytes"
