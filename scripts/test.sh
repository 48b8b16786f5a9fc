#!/usr/bin/env bash
# test.sh - build with sanitizers, run every test, validate the fixtures
# SPDX-License-Identifier: MIT
#
# usage: scripts/test.sh [--valgrind] [--fuzz]
#
#  1. scripts/setup.sh --test installs what is missing
#  2. build-test/ (-Db_sanitize=address,undefined): meson test, every suite
#  3. scripts/validate-fixtures.sh: one more check (not counted if skipped)
#  4. --valgrind: build-vg/ without sanitizers; the unit tests run under
#     valgrind (meson test --wrap), and the golden cases and the hostile
#     inputs run gwshift under valgrind (GWS_GOLDEN_VALGRIND=1,
#     GWS_HOSTILE_VALGRIND=1: wrapping the scripts would check bash, and
#     valgrind's messages would break the stderr comparison)
#  5. --fuzz, or CI=true: scripts/fuzz.sh runs each libFuzzer target for
#     GWS_FUZZ_SECONDS (default 60) seconds; each target counts once
# Every meson test counts, in every build. The last line is
# 'N passed, N failed'; the exit status is 1 when anything failed.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

usage() {
	sed -n '5,18s/^# \{0,1\}//p' "$root/scripts/test.sh"
}

valgrind=0
fuzz=0
[ "${CI:-}" = true ] && fuzz=1
for arg in "$@"; do
	case $arg in
	--valgrind) valgrind=1 ;;
	--fuzz) fuzz=1 ;;
	-h | --help) usage; exit 0 ;;
	*)
		echo "test.sh: unknown option '$arg'" >&2
		echo "see 'scripts/test.sh --help'" >&2
		exit 2
		;;
	esac
done

passed=0
failed=0
skipped=0
logs=$(mktemp -d "${TMPDIR:-/tmp}/gws-test.XXXXXX")
trap 'rm -rf "$logs"' EXIT

say() {
	printf '\n==== test.sh: %s\n' "$*"
}

finish() {
	[ "$skipped" -eq 0 ] || echo "test.sh: $skipped meson test(s) skipped"
	echo "$passed passed, $failed failed"
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

# setup_dir DIR OPTION... - configure DIR, reconfiguring a configured one
setup_dir() {
	local dir=$1
	shift
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$dir" "$@" ||
			meson setup --wipe "$dir" "$@"
	else
		rm -rf "$dir"
		meson setup "$dir" "$@"
	fi
}

# build DIR OPTION... - configure and compile; a failure counts as one
build() {
	local dir=$1
	say "build $dir"
	if setup_dir "$@" && meson compile -C "$dir"; then
		return 0
	fi
	echo "test.sh: building $dir failed"
	failed=$((failed + 1))
	return 1
}

# count LOG RC - add the summary of a 'meson test' run to the totals
count() {
	local log=$1 rc=$2 ok xfail fail upass skip tmo found
	read -r ok xfail fail upass skip tmo found < <(awk '
		$1 == "Ok:" { ok = $2; found = 1 }
		$1 == "Expected" && $2 == "Fail:" { xf = $3 }
		$1 == "Fail:" { f = $2 }
		$1 == "Unexpected" && $2 == "Pass:" { up = $3 }
		$1 == "Skipped:" { sk = $2 }
		$1 == "Timeout:" { to = $2 }
		END { print ok + 0, xf + 0, f + 0, up + 0, sk + 0, to + 0,
			  found + 0 }' "$log")
	passed=$((passed + ok + xfail))
	failed=$((failed + fail + upass + tmo))
	skipped=$((skipped + skip))
	if [ "$found" -eq 0 ]; then
		echo "test.sh: meson test printed no summary (exit $rc)"
		failed=$((failed + 1))
	elif [ "$rc" -ne 0 ] && [ $((fail + upass + tmo)) -eq 0 ]; then
		echo "test.sh: meson test exited $rc with no failed test"
		failed=$((failed + 1))
	fi
}

# run_tests NAME DIR MESON_TEST_ARG... - one counted 'meson test' run
run_tests() {
	local name=$1 dir=$2 rc=0
	shift 2
	say "meson test: $name"
	meson test -C "$dir" --print-errorlogs "$@" 2>&1 |
		tee "$logs/$name.log" || rc=$?
	count "$logs/$name.log" "$rc"
}

say "setup"
if ! bash scripts/setup.sh --test; then
	echo "test.sh: scripts/setup.sh --test failed"
	failed=$((failed + 1))
	finish
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
if build build-test -Dtests=true -Db_sanitize=address,undefined \
	-Db_lundef=false; then
	run_tests sanitized build-test
fi
unset ASAN_OPTIONS UBSAN_OPTIONS

say "validate fixtures"
rc=0
bash scripts/validate-fixtures.sh 2>&1 | tee "$logs/validate.log" || rc=$?
if [ "$rc" -ne 0 ]; then
	failed=$((failed + 1))
elif grep -q '^validate-fixtures: .* skipped$' "$logs/validate.log"; then
	echo "test.sh: fixture validation skipped, not counted"
else
	passed=$((passed + 1))
fi

if [ "$valgrind" -eq 1 ]; then
	vg='valgrind --error-exitcode=1 --leak-check=full'
	vg+=' --errors-for-leak-kinds=definite'
	if build build-vg -Dtests=true -Db_sanitize=none; then
		run_tests valgrind-unit build-vg --suite unit --wrap="$vg" \
			--timeout-multiplier 4
		GWS_GOLDEN_VALGRIND=1 run_tests valgrind-golden build-vg \
			--suite golden --timeout-multiplier 4
		GWS_HOSTILE_VALGRIND=1 run_tests valgrind-hostile build-vg \
			--suite hostile
	fi
fi

if [ "$fuzz" -eq 1 ]; then
	say "fuzz: ${GWS_FUZZ_SECONDS:-60}s per target"
	rc=0
	bash scripts/fuzz.sh "${GWS_FUZZ_SECONDS:-60}" 2>&1 |
		tee "$logs/fuzz.log" || rc=$?
	ok=$(grep -c '^fuzz: fuzz_[a-z]*: ok$' "$logs/fuzz.log" || true)
	bad=$(grep -c '^fuzz: fuzz_[a-z]*: FAILED' "$logs/fuzz.log" || true)
	passed=$((passed + ok))
	failed=$((failed + bad))
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		echo "test.sh: scripts/fuzz.sh exited $rc with no failed target"
		failed=$((failed + 1))
	fi
fi

finish
