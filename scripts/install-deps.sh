#!/bin/sh
# Installs the Debian 12 packages rfscore needs to build and test (run as root).
# The list is the single source of truth: README, .ci/run and configure's messages agree.
set -e
packages="build-essential autoconf automake libtool pkg-config libcsv-dev libiniparser-dev libcmocka-dev valgrind chromium python3 python3-pandas r-base-core r-cran-psych r-cran-gparotation parallel r-base-dev r-cran-testthat r-cran-jsonlite r-cran-haven python3-cffi python3-pytest python3-setuptools python3-wheel python3-pip"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run as root (apt-get install $packages)" >&2
    exit 1
fi
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
