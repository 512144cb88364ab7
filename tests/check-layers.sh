#!/bin/sh
# Layers only look down: each folder of src/ may include its own files and those of the
# folders below it, never a sibling's or a higher one's (src/README.md draws the order).
# Only one file includes libcsv and only one folder includes iniparser.
set -u
src="${top_srcdir:-.}/src"
rank() {
    case $1 in
    base) echo 0 ;;
    definition | input | output) echo 1 ;;
    scoring) echo 2 ;;
    report) echo 3 ;;
    scorer) echo 4 ;;
    cli) echo 5 ;;
    *) echo x ;;
    esac
}
bad=0
for file in $(find "$src" -name '*.[ch]' | sort); do
    rel=${file#"$src"/}
    from=${rel%%/*}
    [ "$from" = "$rel" ] && { echo "check-layers: $rel is outside every layer folder"; bad=1; continue; }
    rf=$(rank "$from")
    [ "$rf" = x ] && { echo "check-layers: unknown folder src/$from (add it to tests/check-layers.sh and src/README.md)"; bad=1; continue; }
    # every quoted include that names a folder of ours: "folder/file.h"
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([a-z_]*\)\/[^"]*".*/\1/p' "$file"); do
        ri=$(rank "$inc")
        if [ "$ri" = x ]; then
            echo "check-layers: $rel includes from unknown folder $inc/"; bad=1
        elif [ "$from" = cli ]; then
            echo "check-layers: $rel includes $inc/: the command uses rfscore.h only"; bad=1
        elif [ "$inc" != "$from" ] && [ "$ri" -ge "$rf" ]; then
            echo "check-layers: $rel (layer $from) includes $inc/, which is not below it"; bad=1
        fi
    done
    # a plain "x.h" must be a file of the same folder (or config.h / the public header)
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"/]*\)".*/\1/p' "$file"); do
        case $inc in config.h | rfscore.h) continue ;; esac
        [ -f "$(dirname "$file")/$inc" ] || { echo "check-layers: $rel includes \"$inc\", not in its folder: name the folder"; bad=1; }
    done
done
# The dependencies behind one door each.
csv=$(grep -rl '#[[:space:]]*include[[:space:]]*<csv\.h>' "$src" | sed "s#^$src/##")
[ "$csv" = "input/csv_reader.c" ] || { echo "check-layers: <csv.h> must be included by input/csv_reader.c only (found: $csv)"; bad=1; }
ini=$(grep -rlE '#[[:space:]]*include[[:space:]]*<(iniparser|dictionary)' "$src" | sed "s#^$src/##" | grep -v '^definition/')
[ -z "$ini" ] || { echo "check-layers: iniparser included outside definition/: $ini"; bad=1; }
if [ $bad -eq 0 ]; then
    echo "check-layers: $(find "$src" -name '*.[ch]' | wc -l) files, every include looks down"
    echo "1 passed, 0 failed"
fi
exit $bad
