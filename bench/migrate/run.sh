#!/usr/bin/env bash
# run.sh - benchmark 'gwshift migrate' on a generated repo
# SPDX-License-Identifier: MIT
#
# usage: bench/migrate/run.sh [--build DIR] [--runs R] [--files N] [--per-file K]
#                             [--tmp DIR]
#
# Generates a repo of N files (default 10000) with K Ingresses each (default
# 2) with bench/migrate/gen.py, kept in DIR/bench-data/. Then R rounds
# (default 3), each: for --jobs 1 and --jobs 2, a fresh copy of the repo (the
# copy is not timed) and 'gwshift migrate --jobs J COPY', and one
# 'gwshift migrate --dry-run --jobs 2' on the pristine repo. Keeps the
# fastest of each; prints a Markdown table (wall, user and system seconds,
# peak RSS) and the speed-up of --jobs 2 over --jobs 1. Rounds alternate the
# runs so that a busy machine slows them alike, and each round first
# measures how many cores the machine really gives: the same CPU-bound loop
# in one process, then in two at once ('cores free', 2.0 on an idle
# 2-core machine); the best round's figure is printed with the table.
# The copies are made in --tmp (default: $TMPDIR or /tmp). On ext4, a file
# created soon after many were deleted costs the kernel a search for a free
# inode (recently_deleted), and each run deletes 10,000: on /dev/shm
# (tmpfs) the runs measure gwshift rather than the history of the disk.
# The two real runs swap places every round.
# DIR (default build-rel) is set up with --buildtype=release if needed.
# Time and RSS come from GNU time (/usr/bin/time).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=$root/build-rel
runs=3
files=10000
per_file=2
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$(cd "$2" && pwd); shift ;;
	--runs) runs=$2; shift ;;
	--files) files=$2; shift ;;
	--per-file) per_file=$2; shift ;;
	--tmp) TMPDIR=$(cd "$2" && pwd); shift ;;
	-h | --help) sed -n '5,26s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "run.sh: bad argument '$1'" >&2; exit 2 ;;
	esac
	shift
done

[ -x /usr/bin/time ] || { echo "run.sh: needs GNU time (apt-get install time)" >&2; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$root" --buildtype=release -Dtests=false >/dev/null
fi
ninja -C "$build" gwshift >/dev/null
gwshift=$build/gwshift

data=$build/bench-data
repo=$data/migrate-$files-$per_file
mkdir -p "$data"
if [ ! -d "$repo" ]; then
	python3 "$root/bench/migrate/gen.py" "$repo.tmp" "$files" "$per_file"
	mv "$repo.tmp" "$repo"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/gws-bench-migrate.XXXXXX")
trap 'rm -rf "$work"' EXIT

# measure NAME ARGS... - one timed run; keeps the fastest per NAME
declare -A wall user sys rss
measure() {
	local name=$1 out
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$work/time" "$gwshift" "$@" \
		>"$work/stdout" 2>"$work/stderr" || {
		echo "run.sh: '$name' failed:" >&2
		tail -5 "$work/stderr" >&2
		exit 1
	}
	read -r out u s m <"$work/time"
	if [ -z "${wall[$name]:-}" ] ||
		awk "BEGIN { exit !($out < ${wall[$name]}) }"; then
		wall[$name]=$out user[$name]=$u sys[$name]=$s rss[$name]=$m
	fi
}

# cores_free - how many cores two CPU-bound processes get right now
cores_free() {
	local spin='import sys
n = 0
for i in range(6000000): n += i'
	local t0 t1 t2
	t0=$(date +%s.%N)
	python3 -c "$spin"
	t1=$(date +%s.%N)
	python3 -c "$spin" & python3 -c "$spin"
	wait
	t2=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v c="$t2" \
		'BEGIN { printf "%.2f", 2 * (b - a) / (c - b) }'
}

ingresses=$((files * per_file))
echo "repo: $files files, $ingresses Ingresses," \
	"$(du -sm "$repo" | cut -f1) MB; $(nproc) cores; $runs rounds" >&2
best_free=0
for ((r = 1; r <= runs; r++)); do
	free_now=$(cores_free)
	if awk "BEGIN { exit !($free_now > $best_free) }"; then
		best_free=$free_now
	fi
	for j in $((r % 2 ? 1 : 2)) $((r % 2 ? 2 : 1)); do
		rm -rf "$work/repo"
		cp -a "$repo" "$work/repo"
		sync
		measure "jobs$j" migrate --jobs "$j" "$work/repo"
	done
	measure dry migrate --dry-run --jobs 2 "$repo"
	echo "round $r: $free_now cores free; best so far: jobs1" \
		"${wall[jobs1]} s, jobs2 ${wall[jobs2]} s, dry-run ${wall[dry]} s" >&2
done
grep '^gwshift: migrate' "$work/stderr" >&2 || true

printf '| run | wall s | user s | sys s | peak RSS MB |\n|---|---|---|---|---|\n'
for name in jobs1 jobs2 dry; do
	case $name in
	jobs1) label='`migrate --jobs 1`' ;;
	jobs2) label='`migrate --jobs 2`' ;;
	dry) label='`migrate --dry-run --jobs 2`' ;;
	esac
	printf '| %s | %s | %s | %s | %d |\n' "$label" "${wall[$name]}" \
		"${user[$name]}" "${sys[$name]}" $((rss[$name] / 1024))
done
awk -v a="${wall[jobs1]}" -v b="${wall[jobs2]}" \
	'BEGIN { printf "\nspeed-up of --jobs 2 over --jobs 1: %.2fx\n", a / b }'
echo "cores free (best round): $best_free of $(nproc)"
