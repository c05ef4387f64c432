#!/bin/sh
# bootstrap.sh — generates ./configure (autoreconf) and puts automake's TAP
# test driver into build-aux/ (automake ships it but does not install it).
set -e
cd "$(dirname "$0")/.."
mkdir -p build-aux m4
drv=$(ls /usr/share/automake-*/tap-driver.sh 2>/dev/null | tail -n 1)
[ -n "$drv" ] || { echo "bootstrap: tap-driver.sh not found (install automake)" >&2; exit 1; }
cp "$drv" build-aux/tap-driver.sh
autoreconf -fi
