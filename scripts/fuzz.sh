#!/usr/bin/env bash
# fuzz.sh - build the libFuzzer targets and run each for a while
# SPDX-License-Identifier: MIT
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Builds build-fuzz/ (CC=clang, -Dfuzzing=true) and runs every target in
# fuzz/ (or the TARGETs named: read, convert, migrate) for SECONDS each
# (default 60), one after the other, on one core. Each starts from a fresh
# corpus: every *.yaml, *.yml and *.json under fixtures/ (the manifests of
# the fixtures/migrate/ repos among them) and every file in fuzz/repro/.
# Inputs are at most 16 kB (GWS_FUZZ_MAX_LEN): with the sanitizers a run
# costs some 20 us per input byte, so a well-behaved input stays far below
# the limit of 1 s; large inputs are the benchmark's and tests/hostile.sh's.
# An input slower than 1 s, a crash, a leak, a sanitizer report or more
# than 2 GB of memory fails the run: the input is saved under
# build-fuzz/fuzz-artifacts/<target>/, its path and first bytes are
# printed, and the exit status is 1. Reproduce with
#   build-fuzz/fuzz/fuzz_<target> FILE
# then fix the bug and add the input as a fixture (see docs/performance.md).
#
# A timeout that does not come back when its input runs alone was the
# machine's load: it is dropped and the run goes on (at most 5 times).
#
# environment
#   GWS_FUZZ_CORPUS=DIR  keep the corpus in DIR/<target>/ across runs
#   GWS_FUZZ_MAX_LEN=N   the largest input (default 16384)
#   GWS_FUZZ_ARGS=...    more libFuzzer options, e.g. -jobs=2 -workers=2
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage() {
	sed -n '5,29s/^# \{0,1\}//p' "$root/scripts/fuzz.sh"
}

seconds=60
targets=()
for arg in "$@"; do
	case $arg in
	-h | --help) usage; exit 0 ;;
	*[!0-9]*) targets+=("$arg") ;;
	*) seconds=$arg ;;
	esac
done
if [ ${#targets[@]} -eq 0 ]; then
	targets=(read convert migrate)
fi

build="build-fuzz"
artifacts=$root/$build/fuzz-artifacts

say() {
	printf 'fuzz: %s\n' "$*"
}

command -v clang >/dev/null || {
	say "clang is missing (scripts/setup.sh --test installs it)"
	exit 2
}
if [ -f "$build/meson-private/coredata.dat" ]; then
	CC=clang meson setup --reconfigure "$build" -Dfuzzing=true \
		-Dtests=false >/dev/null
else
	rm -rf "$build"
	CC=clang meson setup "$build" -Dfuzzing=true -Dtests=false >/dev/null
fi
for t in "${targets[@]}"; do
	meson compile -C "$build" "fuzz/fuzz_$t" >/dev/null || {
		say "building fuzz_$t failed"
		meson compile -C "$build" "fuzz/fuzz_$t" 2>&1 | tail -n 30
		exit 2
	}
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# seeds: the fixtures and the inputs of bugs found before
seed() {
	local dir=$1 f i=0
	mkdir -p "$dir"
	while IFS= read -r -d '' f; do
		i=$((i + 1))
		cp "$f" "$dir/fixture-$i-${f##*/}"
	done < <(find fixtures \( -name '*.yaml' -o -name '*.yml' \
		-o -name '*.json' \) -type f -print0 | LC_ALL=C sort -z)
	if [ -d fuzz/repro ]; then
		find fuzz/repro -type f ! -name '*.md' -exec cp {} "$dir/" \;
	fi
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

# run_target T CORPUS SECONDS LOG - one libFuzzer run; Returns: its status
run_target() {
	local rc=0
	# shellcheck disable=SC2086 # GWS_FUZZ_ARGS is a list of options
	"$build/fuzz/fuzz_$1" "$2" -max_total_time="$3" \
		-timeout=1 -max_len="${GWS_FUZZ_MAX_LEN:-16384}" \
		-rss_limit_mb=2048 -malloc_limit_mb=2048 \
		-dict=fuzz/gwshift.dict -close_fd_mask=3 -print_final_stats=1 \
		-artifact_prefix="$artifacts/$1/" ${GWS_FUZZ_ARGS:-} \
		>"$4" 2>&1 || rc=$?
	return "$rc"
}

# load_only T FILE - a timeout that does not come back when FILE runs
# alone (three times, 1 s each) was the machine's load, not the input
load_only() {
	case ${2##*/} in
	timeout-*) ;;
	*) return 1 ;;
	esac
	"$build/fuzz/fuzz_$1" -timeout=1 -runs=3 "$2" >/dev/null 2>&1
}

# report T LOG START - print the finding and its reproducers
report() {
	local f
	grep -E -A 40 '^(==[0-9]+==ERROR|.*runtime error|ALARM|==[0-9]+== ERROR)' \
		"$2" | head -n 60 || tail -n 40 "$2"
	while IFS= read -r -d '' f; do
		say "reproducer: $f ($(wc -c <"$f") bytes); first bytes:"
		head -c 512 "$f" | od -A d -c | head -n 20
	done < <(find "$artifacts/$1" -type f -newer "$3" -print0)
}

failed=0
for t in "${targets[@]}"; do
	corpus=$tmp/corpus-$t
	if [ -n "${GWS_FUZZ_CORPUS:-}" ]; then
		corpus=$GWS_FUZZ_CORPUS/$t
	fi
	seed "$corpus"
	mkdir -p "$artifacts/$t"
	say "fuzz_$t: ${seconds}s, $(find "$corpus" -type f | wc -l) seeds"
	end=$((SECONDS + seconds))
	left=$seconds
	restarts=0
	while :; do
		rc=0
		touch "$tmp/$t.start"
		run_target "$t" "$corpus" "$left" "$tmp/$t.log" || rc=$?
		grep -E '^(stat::number_of_executed_units|Done )' \
			"$tmp/$t.log" | tail -n 1 | sed "s/^/fuzz: fuzz_$t: /"
		[ "$rc" -ne 0 ] || break
		new=$(find "$artifacts/$t" -type f -newer "$tmp/$t.start" |
			head -n 1)
		left=$((end - SECONDS))
		if [ -z "$new" ] || ! load_only "$t" "$new"; then
			break
		fi
		say "fuzz_$t: ${new##*/} runs in time alone: the machine" \
			"was busy, not the input"
		rm -f "$new"
		rc=0
		restarts=$((restarts + 1))
		if [ "$restarts" -gt 5 ] || [ "$left" -le 5 ]; then
			break
		fi
		say "fuzz_$t: going on for ${left}s"
	done
	if [ "$rc" -eq 0 ]; then
		say "fuzz_$t: ok"
		continue
	fi
	failed=$((failed + 1))
	say "fuzz_$t: FAILED (exit $rc)"
	report "$t" "$tmp/$t.log" "$tmp/$t.start"
done

if [ "$failed" -ne 0 ]; then
	say "$failed target(s) failed"
	exit 1
fi
say "every target ran ${seconds}s without a finding"
