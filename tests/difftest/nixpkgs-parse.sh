#!/bin/sh
# nixpkgs-parse.sh NIXPKGS [NIXE] — compares `nixe --parse` with
# `nix-instantiate --parse` on every .nix file of a nixpkgs tree (not part
# of make check: it takes minutes).  Prints one line per file that is not
# identical and a summary:
#   identical      same stdout and exit status
#   same-failure   both fail with the same first error line
#   reordered      outputs are permutations of the same bytes (Nix 2.8
#                  prints let bindings and formals in symbol-address order)
#   different      anything else (a bug)
set -u
root=${1:?usage: nixpkgs-parse.sh NIXPKGS [NIXE]}
NIXE=${2:-$(cd "$(dirname "$0")/../.." && pwd)/nixe}
export NIXE
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
HOME=$tmp/home
export HOME
cd "$root" || exit 1
find . -name '*.nix' -type f | sort > "$tmp/files"
cat > "$tmp/one.sh" <<'SH'
f=$1; t=$2
o=$t/$(echo "$f" | tr '/' '_')
nix-instantiate --parse "$f" > "$o.a" 2> "$o.ae"; ra=$?
"$NIXE" --parse "$f" > "$o.b" 2> "$o.be"; rb=$?
if [ $ra = 0 ] && [ $rb = 0 ] && cmp -s "$o.a" "$o.b"; then echo "identical $f"
elif [ $ra != 0 ] && [ $rb != 0 ] && [ "$(head -n 1 "$o.ae")" = "$(head -n 1 "$o.be")" ]; then echo "same-failure $f"
elif [ $ra = 0 ] && [ $rb = 0 ] && python3 -c 'import sys; a=open(sys.argv[1],"rb").read(); b=open(sys.argv[2],"rb").read(); sys.exit(0 if sorted(a)==sorted(b) else 1)' "$o.a" "$o.b"; then echo "reordered $f"
else echo "different $f"; fi
rm -f "$o.a" "$o.b" "$o.ae" "$o.be"
SH
while read -r f; do printf '%s\n' "$f"; done < "$tmp/files" |
    xargs -P "$(nproc)" -I{} sh "$tmp/one.sh" {} "$tmp" > "$tmp/results"
grep -v '^identical ' "$tmp/results" | sort
echo "files: $(wc -l < "$tmp/files")"
for k in identical same-failure reordered different; do
    echo "$k: $(grep -c "^$k " "$tmp/results")"
done
[ "$(grep -c '^different ' "$tmp/results")" -eq 0 ]
