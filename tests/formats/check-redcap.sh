#!/bin/sh
# Does `rfscore codebook --format redcap` describe exactly what `rfscore score --format
# redcap` writes, as a REDCap data dictionary that REDCap would take?
#
# For each shipped instrument, and for all of them together:
#   dictionary  the 18 standard REDCap dictionary columns, in order, on the header and on
#               every row; record_id first; field names REDCap accepts (lowercase letter,
#               then [a-z0-9_], at most 100 characters), each once; form "scores"; field
#               types text, notes, dropdown or yesno; validation empty, integer or number;
#   import      the score output of a REDCap raw export (record_id, redcap_event_name,
#               redcap_repeat_instrument, redcap_repeat_instance,
#               redcap_data_access_group, every item): its header minus REDCap's key
#               columns (which follow record_id, as in the export) is the dictionary's
#               field list, in order; the same without the key columns for a plain file
#               whose id column is participant_id (it becomes record_id);
#   values      every value written fits its field: a dropdown value is one of the
#               field's choice codes, yesno is 0/1, integer and number values are plain
#               numbers within the field's min..max.
# The data rows: every item 4; every item empty; every item REDCap's UNK; 1..7 cycling.
# Exit 0 pass, 1 fail, 99 setup error.
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
bin="$top_builddir/rfscore"
inst_dir="$top_srcdir/instruments"
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0
US=$(printf '\037')

# CSV (RFC 4180, quotes, "" and newlines inside quotes, CRLF) -> one line per record,
# fields separated by \037; a newline inside a field is shown as \n.
csv_records() {
    awk '
    BEGIN { inq = 0; field = ""; nf = 0; rec = "" }
    function put(f) { rec = (nf++ ? rec "\037" : "") f }
    {
        line = $0
        if (!inq) sub(/\r$/, "", line)
        n = length(line)
        for (i = 1; i <= n; i++) {
            c = substr(line, i, 1)
            if (inq) {
                if (c == "\"") {
                    if (substr(line, i + 1, 1) == "\"") { field = field "\""; i++ }
                    else inq = 0
                } else field = field c
            } else if (c == "\"" && field == "") inq = 1
            else if (c == ",") { put(field); field = "" }
            else field = field c
        }
        if (inq) { field = field "\\n"; next }
        put(field); print rec
        field = ""; nf = 0; rec = ""
    }
    END { if (inq) { print "unterminated quote" > "/dev/stderr"; exit 1 } }' "$1"
}

bad() {
    echo "FAIL $*"
    fail=$((fail + 1))
}

std_header="Variable / Field Name${US}Form Name${US}Section Header${US}Field Type${US}Field Label${US}Choices, Calculations, OR Slider Labels${US}Field Note${US}Text Validation Type OR Show Slider Number${US}Text Validation Min${US}Text Validation Max${US}Identifier?${US}Branching Logic (Show field only if...)${US}Required Field?${US}Custom Alignment${US}Question Number (surveys only)${US}Matrix Group Name${US}Matrix Ranking?${US}Field Annotation"

check_set() {
    label=$1
    shift
    fail_before=$fail
    iargs=
    for id in "$@"; do
        iargs="$iargs -i $id"
    done
    # shellcheck disable=SC2086
    if ! $VALGRIND "$bin" codebook -I "$inst_dir" $iargs --format redcap >"$tmp/dict.csv"; then
        bad "$label: rfscore codebook exited $?"
        return
    fi
    csv_records "$tmp/dict.csv" >"$tmp/dict.rec" || { bad "$label: dictionary is not CSV"; return; }

    # -- the dictionary itself
    [ "$(head -n 1 "$tmp/dict.rec")" = "$std_header" ] || bad "$label: dictionary header is not REDCap's 18 columns"
    awk -F "$US" -v label="$label" '
        NR == 1 { next }
        NF != 18 { printf "FAIL %s: dictionary row %d has %d fields, not 18\n", label, NR, NF; bad++ }
        NR == 2 && $1 != "record_id" { printf "FAIL %s: first field is %s, not record_id\n", label, $1; bad++ }
        $1 !~ /^[a-z][a-z0-9_]*$/ || length($1) > 100 { printf "FAIL %s: field name \"%s\" is not a REDCap variable name\n", label, $1; bad++ }
        seen[$1]++ { printf "FAIL %s: field %s twice\n", label, $1; bad++ }
        $2 != "scores" { printf "FAIL %s: field %s on form \"%s\"\n", label, $1, $2; bad++ }
        $4 != "text" && $4 != "notes" && $4 != "dropdown" && $4 != "yesno" {
            printf "FAIL %s: field %s has type \"%s\"\n", label, $1, $4; bad++ }
        $8 != "" && $8 != "integer" && $8 != "number" { printf "FAIL %s: field %s has validation \"%s\"\n", label, $1, $8; bad++ }
        $4 == "dropdown" && $6 == "" { printf "FAIL %s: dropdown %s has no choices\n", label, $1; bad++ }
        END { exit bad > 0 }' "$tmp/dict.rec" || fail=$((fail + 1))
    tail -n +2 "$tmp/dict.rec" | cut -d "$US" -f 1 >"$tmp/fields"

    # -- a REDCap raw export with every item, and a plain file
    items=
    for id in "$@"; do
        # shellcheck disable=SC2086
        t=$($VALGRIND "$bin" template -I "$inst_dir" "$id" | head -n 1 | tr -d '\r') || { bad "$label: template $id"; return; }
        items="$items,${t#*,}"
    done
    nitems=$(printf '%s\n' "${items#,}" | tr ',' '\n' | wc -l)
    {
        echo "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,redcap_data_access_group$items"
        awk -v n="$nitems" 'BEGIN {
            printf "1,baseline_arm_1,,,site_a"; for (i = 0; i < n; i++) printf ",4"; print ""
            printf "2,baseline_arm_1,,,site_a"; for (i = 0; i < n; i++) printf ","; print ""
            printf "3,followup_arm_1,,,site_b"; for (i = 0; i < n; i++) printf ",UNK"; print ""
            printf "4,followup_arm_1,scores,2,site_b"; for (i = 0; i < n; i++) printf ",%d", i % 7 + 1; print ""
        }'
    } >"$tmp/export.csv"
    sed -e '1s/^record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,redcap_data_access_group/participant_id/' \
        -e '2,$s/^\([^,]*\),[^,]*,[^,]*,[^,]*,[^,]*/\1/' "$tmp/export.csv" >"$tmp/plain.csv"

    for kind in export plain; do
        # shellcheck disable=SC2086
        if ! $VALGRIND "$bin" score -q --no-id-check -I "$inst_dir" $iargs --format redcap -o "$tmp/out.csv" "$tmp/$kind.csv"; then
            bad "$label: rfscore score --format redcap ($kind) exited $?"
            continue
        fi
        csv_records "$tmp/out.csv" >"$tmp/out.rec" || { bad "$label: $kind output is not CSV"; continue; }
        head -n 1 "$tmp/out.rec" | tr "$US" '\n' >"$tmp/header"
        if [ "$kind" = export ]; then
            keys=$(sed -n 2,5p "$tmp/header" | tr '\n' ' ')
            [ "$keys" = "redcap_event_name redcap_repeat_instrument redcap_repeat_instance redcap_data_access_group " ] ||
                bad "$label: REDCap keys after record_id are: $keys"
        fi
        grep -v '^redcap_' "$tmp/header" >"$tmp/header.fields"
        if ! cmp -s "$tmp/fields" "$tmp/header.fields"; then
            bad "$label: dictionary fields != score --format redcap columns ($kind; - dictionary, + output)"
            diff "$tmp/fields" "$tmp/header.fields" | sed 's/^/    /' | head -20
        fi
        [ "$(wc -l <"$tmp/out.rec")" -eq 5 ] || bad "$label: $kind: $(($(wc -l <"$tmp/out.rec") - 1)) rows, expected 4"
        # every value fits its field
        awk -F "$US" -v label="$label ($kind)" '
            function trim(s) { sub(/^ +/, "", s); sub(/ +$/, "", s); return s }
            FNR == NR {
                if (FNR == 1) next
                type[$1] = $4; valid[$1] = $8; lo[$1] = $9; hi[$1] = $10
                if ($4 == "dropdown") {
                    n = split($6, ch, "|")
                    for (k = 1; k <= n; k++) { split(ch[k], cv, ","); codes[$1, trim(cv[1])] = 1 }
                }
                next
            }
            FNR == 1 { for (i = 1; i <= NF; i++) col[i] = $i; next }
            {
                for (i = 1; i <= NF; i++) {
                    f = col[i]; v = $i
                    if (v == "" || !(f in type)) continue
                    if (type[f] == "dropdown" && !((f, v) in codes)) { printf "FAIL %s: %s = \"%s\" is no choice code\n", label, f, v; bad++ }
                    if (type[f] == "yesno" && v != "0" && v != "1") { printf "FAIL %s: %s = \"%s\" is not 0/1\n", label, f, v; bad++ }
                    if (valid[f] == "integer" && v !~ /^-?[0-9]+$/) { printf "FAIL %s: %s = \"%s\" is not an integer\n", label, f, v; bad++ }
                    if (valid[f] == "number" && v !~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) { printf "FAIL %s: %s = \"%s\" is not a number\n", label, f, v; bad++ }
                    if (valid[f] != "" && lo[f] != "" && v + 0 < lo[f] + 0) { printf "FAIL %s: %s = %s < min %s\n", label, f, v, lo[f]; bad++ }
                    if (valid[f] != "" && hi[f] != "" && v + 0 > hi[f] + 0) { printf "FAIL %s: %s = %s > max %s\n", label, f, v, hi[f]; bad++ }
                }
            }
            END { exit bad > 0 }' "$tmp/dict.rec" "$tmp/out.rec" || fail=$((fail + 1))
    done
    [ "$fail" -eq "$fail_before" ] && echo "ok   $label: $(wc -l <"$tmp/fields") fields match, values fit"
}

for id in rfq8 prfq ecrr ecrrs; do
    check_set "$id" "$id"
done
check_set "rfq8 prfq ecrr ecrrs" rfq8 prfq ecrr ecrrs

[ "$fail" -eq 0 ]
