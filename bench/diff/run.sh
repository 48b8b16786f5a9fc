#!/usr/bin/env bash
# run.sh - time 'gwshift diff' on 1,000 and 10,000 Ingresses; not a test
# SPDX-License-Identifier: MIT
#
# usage: bench/diff/run.sh [GWSHIFT] [SIZES...]
#
# For each size N: N Ingresses (one HTTPRoute each) against about N existing
# objects (bench/diff/gen.py: server-set fields on all, 10% changed, 5%
# missing, 5% orphans). Prints the best of 3 runs of 'gwshift convert' and
# 'gwshift diff' on the same input, and the diff time per object (generated
# plus existing): that figure stays flat when the cost is linear. Use a
# build without sanitizers (meson setup build-rel -Dbuildtype=release).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
gwshift=${1:-build/gwshift}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
[ -x "$gwshift" ] || {
	echo "run.sh: '$gwshift' is not executable" >&2
	exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-bench-diff.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
opts=(--gateway-namespace edge --gateway-name web)

now() { date +%s%N; }

# best_of CMD... - the shortest of 3 runs, in nanoseconds
best_of() {
	local best="" t0 t1 _
	for _ in 1 2 3; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || [ $? -eq 1 ]
		t1=$(now)
		if [ -z "$best" ] || [ $((t1 - t0)) -lt "$best" ]; then
			best=$((t1 - t0))
		fi
	done
	printf '%s\n' "$best"
}

printf '%10s %10s %10s %12s %12s %12s\n' ingresses generated existing \
	convert-ms diff-ms diff-ns/obj
for n in "${sizes[@]}"; do
	python3 "$here/gen.py" ingresses "$n" "$tmp/in-$n.yaml"
	"$gwshift" convert "$tmp/in-$n.yaml" "${opts[@]}" >"$tmp/gen-$n.yaml" \
		2>/dev/null
	python3 "$here/gen.py" existing "$tmp/gen-$n.yaml" "$tmp/ex-$n.yaml"
	gen=$(grep -c '^kind: ' "$tmp/gen-$n.yaml")
	ex=$(grep -c '^kind: ' "$tmp/ex-$n.yaml")
	conv=$(best_of "$gwshift" convert "$tmp/in-$n.yaml" "${opts[@]}")
	diff=$(best_of "$gwshift" diff "$tmp/in-$n.yaml" --against \
		"$tmp/ex-$n.yaml" "${opts[@]}" --format json)
	printf '%10d %10d %10d %12d %12d %12d\n' "$n" "$gen" "$ex" \
		$((conv / 1000000)) $((diff / 1000000)) $((diff / (gen + ex)))
done
