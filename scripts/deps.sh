#!/bin/sh
# deps.sh — installs the Debian packages nixe needs to build, test and
# benchmark, if any is missing.  Needs root (or sudo) when it installs.
set -e
PKGS="gcc g++ make clang autoconf automake pkg-config gawk time python3 \
libjemalloc-dev libunwind-dev libssl-dev libbenchmark-dev \
nix-bin hyperfine lua5.4 libtoml11-dev \
libcurl4-openssl-dev tar gzip bzip2 xz-utils zstd git mercurial"
# The static archives that configure links by default (libcrypto.a from
# libssl-dev, libjemalloc_pic.a from libjemalloc-dev, libstdc++.a from g++'s
# libstdc++-12-dev) come with packages already listed; libcurl4-openssl-dev
# provides the headers and the libcurl.so.4 that fetch_io.c loads with dlopen.
# libFuzzer (make fuzz) ships with the compiler-rt of the installed clang
# (Debian 12's clang is 14).
clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1)
PKGS="$PKGS libclang-rt-${clang_major:-14}-dev"
missing=""
for p in $PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "deps: missing Debian packages:$missing (run this script as root)" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq $missing >/dev/null
