#!/usr/bin/env bash
# run.sh - benchmark 'gwshift convert --out-dir' against libfyaml's own load
# SPDX-License-Identifier: MIT
#
# usage: bench/run.sh [--build DIR] [--runs R] [--tmp DIR] [--keep] [N...]
#
# For each N (default 1000 10000 100000): generate an export of N Ingresses
# (bench/gen-export.py, kept in DIR/bench-data/), then, in the same run,
#   fyload FILE                        libfyaml loads every document
#   gwshift convert FILE --out-dir D   the whole pipeline, files written
# each R times (default 3; 1 for N >= 100000), keeping the fastest. Prints
# a table: N, input MB, libfyaml load s, convert s, ratio, convert MB/s,
# peak RSS MB of convert, and the RSS target (2 x input + 32 MB); then the
# same runs' CPU seconds (user + system), which a busy machine disturbs
# less than wall time; then the time-linearity check (each N against the
# one 10 times smaller).
# The --out-dir is made in --tmp DIR (default $TMPDIR or /tmp): /dev/shm
# leaves the file system out of the figures (ext4 slows down the creation
# of new files after many deletions; see docs/performance.md).
# DIR (default build-rel) is set up with --buildtype=release if needed.
# Time and RSS come from GNU time (/usr/bin/time).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build-rel
runs=
keep=0
tmp=${TMPDIR:-/tmp}
sizes=()
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$(cd "$2" && pwd); shift ;;
	--runs) runs=$2; shift ;;
	--tmp) tmp=$2; shift ;;
	--keep) keep=1 ;;
	-h | --help) sed -n '5,20s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*[!0-9]*) echo "run.sh: bad argument '$1'" >&2; exit 2 ;;
	*) sizes+=("$1") ;;
	esac
	shift
done
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)

[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$root" --buildtype=release -Dtests=false >/dev/null
fi
meson compile -C "$build" gwshift bench/fyload >/dev/null
gwshift=$build/gwshift
fyload=$build/bench/fyload
data=$build/bench-data
mkdir -p "$data"
work=$(mktemp -d "$tmp/gws-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# measure OUT CMD... - run CMD, append "seconds peak-kB" to OUT
measure() {
	local out=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >/dev/null \
		2>"$work/err" || {
		echo "run.sh: '$*' failed:" >&2
		tail -n 5 "$work/err" >&2
		exit 1
	}
	tail -n 1 "$work/time" >>"$out"
}

# best FILE - the fastest run: "seconds peak-kB user system"
best() {
	sort -n "$1" | head -n 1
}

printf '%-9s %9s %10s %10s %6s %8s %10s %10s\n' N "input MB" "fyload s" \
	"convert s" ratio "MB/s" "RSS MB" "RSS target"
declare -A secs cpu
for n in "${sizes[@]}"; do
	file=$data/export-$n.yaml
	if [ ! -s "$file" ]; then
		python3 "$root/bench/gen-export.py" "$n" --out "$file.tmp"
		mv "$file.tmp" "$file"
	fi
	r=${runs:-$([ "$n" -ge 100000 ] && echo 1 || echo 3)}
	: >"$work/fy"
	: >"$work/cv"
	for _ in $(seq "$r"); do
		measure "$work/fy" "$fyload" "$file"
		rm -rf "$work/out"
		measure "$work/cv" "$gwshift" convert "$file" --out-dir "$work/out"
	done
	bytes=$(stat -c %s "$file")
	read -r fy_s _ fy_u fy_k < <(best "$work/fy")
	read -r cv_s cv_kb cv_u cv_k < <(best "$work/cv")
	secs[$n]=$cv_s
	cpu[$n]=$(awk -v a="$fy_u" -v b="$fy_k" -v c="$cv_u" -v d="$cv_k" \
		'BEGIN { printf "%.2f %.2f", a + b, c + d }')
	awk -v n="$n" -v b="$bytes" -v fy="$fy_s" -v cv="$cv_s" -v kb="$cv_kb" '
		BEGIN {
			mb = b / 1048576
			printf "%-9d %9.1f %10.2f %10.2f %6.2f %8.1f %10.0f %10.0f\n",
			       n, mb, fy, cv, cv / (fy > 0 ? fy : 0.001),
			       mb / (cv > 0 ? cv : 0.001), kb / 1024, 2 * mb + 32
		}'
	if [ "$keep" -eq 0 ]; then
		rm -rf "$work/out"
	fi
done

echo
printf '%-9s %12s %12s %6s\n' N "fyload cpu s" "convert cpu s" ratio
for n in "${sizes[@]}"; do
	read -r a b <<<"${cpu[$n]}"
	awk -v n="$n" -v a="$a" -v b="$b" 'BEGIN {
		printf "%-9d %12.2f %12.2f %6.2f\n", n, a, b, b / (a > 0 ? a : 0.001)
	}'
done

echo
for n in "${sizes[@]}"; do
	small=$((n / 10))
	[ -n "${secs[$small]:-}" ] || continue
	awk -v n="$n" -v s="$small" -v a="${secs[$n]}" -v b="${secs[$small]}" '
		BEGIN {
			printf "N=%d costs %.1fx N=%d (target at most 11x)\n", n,
			       a / (b > 0 ? b : 0.001), s
		}'
done
