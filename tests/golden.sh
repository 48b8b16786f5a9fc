#!/usr/bin/env bash
# golden.sh - run one golden fixture case, compare with its expected files
# SPDX-License-Identifier: MIT
#
# usage: golden.sh GWSHIFT REREAD CASE_DIR
#
# CASE_DIR holds
#   args             the command-line arguments, one per line (blank lines
#                    are ignored)
#   stdin            optional: standard input (else /dev/null)
#   expected.rc      optional: the exit status (default 0)
#   expected.stderr  optional: standard error, byte for byte
#   expected/        files that must exist after the run with the same bytes,
#                    at the same path in the working folder; expected/stdout
#                    is standard output (no expected/stdout: stdout must be
#                    empty). A folder under expected/ (expected/out) lists
#                    every file the run may leave in that folder. A symbolic
#                    link under expected/ must be a link to the same target.
#   anything else    input: copied, with args and stdin, into a fresh working
#                    folder where GWSHIFT runs with the arguments
# After a failing run (expected.rc not 0) with no expected/out, there must be
# no 'out' folder; no run may leave '*.gwshift-tmp-*' files behind. Every
# compared YAML file (*.yaml, *.yml, and stdout unless it is help, the
# version, the mapping tables, or JSON that an argument containing 'json' asked for) must read
# the same as YAML 1.1 and 1.2: 'REREAD --check FILE'; a file that is byte for byte the input
# file at its path is input, not output, and is not re-read.
#
# environment
#   GWS_UPDATE_GOLDEN=1    write expected/, expected.rc and expected.stderr from
#                          the run instead of comparing (fixture bootstrap); a
#                          folder made by hand under expected/ (other than out)
#                          is filled with that folder of the working folder
#   GWS_GOLDEN_VALGRIND=1  run GWSHIFT under valgrind; any error fails the case
#   GWS_GOLDEN_KEEP=1      keep the working folder and print where it is
#
# Exit status: 0 pass, 1 fail, 2 usage or setup error.
set -euo pipefail

die() {
	printf 'golden: %s\n' "$*" >&2
	exit 2
}

[ $# -eq 3 ] || die "usage: golden.sh GWSHIFT REREAD CASE_DIR"
abs_exe() {
	case $1 in
	*/*) [ -x "$1" ] || die "'$1' is not an executable"
	     (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "${1##*/}") ;;
	*) command -v "$1" || die "'$1' not found" ;;
	esac
}
gwshift=$(abs_exe "$1")
reread=$(abs_exe "$2")
[ -f "$3/args" ] || die "'$3' is not a fixture case (no args file)"
case_dir=$(cd "$3" && pwd)
case $case_dir in
*/fixtures/*) name=${case_dir##*/fixtures/} ;;
*) name=${case_dir##*/} ;;
esac
expected=$case_dir/expected

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-golden.XXXXXX")
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "${GWS_GOLDEN_KEEP:-}" = 1 ]; then
		printf 'golden: %s: kept %s\n' "$name" "$tmp"
	else
		chmod -R u+rwX "$tmp" 2>/dev/null || true
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
work=$tmp/work
mkdir "$work"

# ---- set up and run ----

shopt -s dotglob nullglob
for f in "$case_dir"/*; do
	case ${f##*/} in
	expected*) continue ;;
	esac
	cp -R -- "$f" "$work/"
done
shopt -u dotglob nullglob

args=()
while IFS= read -r line || [ -n "$line" ]; do
	line=${line%$'\r'}
	[ -n "${line//[[:space:]]/}" ] || continue
	args+=("$line")
done <"$case_dir/args"

want_rc=0
if [ -f "$case_dir/expected.rc" ]; then
	want_rc=$(tr -d ' \t\r\n' <"$case_dir/expected.rc")
	case $want_rc in
	'' | *[!0-9]*) die "$name: expected.rc must hold a number" ;;
	esac
fi

input=/dev/null
[ -f "$case_dir/stdin" ] && input=$case_dir/stdin

runner=()
if [ "${GWS_GOLDEN_VALGRIND:-}" = 1 ]; then
	runner=(valgrind -q --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite --log-file="$tmp/valgrind.log")
fi

set +e
(cd "$work" && LC_ALL=C TZ=UTC exec ${runner[@]+"${runner[@]}"} \
	"$gwshift" ${args[@]+"${args[@]}"}) \
	<"$input" >"$tmp/stdout" 2>"$tmp/stderr"
rc=$?
set -e
mv -f "$tmp/stdout" "$work/stdout"

# ---- checks shared by both modes ----

problems=0
fail() {
	printf 'golden: %s: FAIL: %s\n' "$name" "$*"
	problems=$((problems + 1))
}

# show_diff LABEL_EXPECTED LABEL_ACTUAL EXPECTED ACTUAL - expected side first
show_diff() {
	{ diff -u --label "$1" --label "$2" "$3" "$4" || true; } | head -n 400
}

# is_yaml REL - whether a compared file is YAML and must be re-read
is_yaml() {
	case $1 in
	*.yaml | *.yml) return 0 ;;
	stdout) stdout_is_yaml ;;
	*) return 1 ;;
	esac
}

show_stderr() {
	[ -s "$tmp/stderr" ] || return 0
	printf -- '--- stderr of the run:\n'
	head -n 100 "$tmp/stderr"
}

# stdout is YAML unless it is help, the version, the mapping tables, or JSON
# the arguments asked for (an argument contains 'json' and stdout starts with
# '{' or '[')
stdout_is_yaml() {
	local a json=0 first
	for a in ${args[@]+"${args[@]}"}; do
		case $a in
		--help | -h | help | --version | version | mappings | diff | migrate) return 1 ;;
		*json*) json=1 ;;
		esac
	done
	first=$(tr -d ' \t\r\n' <"$work/stdout" | head -c 1)
	! { [ "$json" = 1 ] && { [ "$first" = '{' ] || [ "$first" = '[' ]; }; }
}

# check_yaml REL... - both YAML readers must agree on each file (unchanged
# inputs are not output: they are not checked)
check_yaml() {
	local rel out
	for rel in "$@"; do
		if [ -f "$case_dir/$rel" ] && cmp -s "$case_dir/$rel" "$work/$rel"; then
			continue
		fi
		if ! out=$(cd "$work" && "$reread" --check "$rel" 2>&1); then
			fail "'$rel' does not read the same as YAML 1.1 and 1.2"
			printf '%s\n' "$out"
		fi
	done
}

check_valgrind() {
	if [ -s "$tmp/valgrind.log" ]; then
		fail "valgrind reported errors"
		head -n 200 "$tmp/valgrind.log"
	fi
}

check_tmp_files() {
	local f
	while IFS= read -r -d '' f; do
		f=${f#./}
		[ -e "$case_dir/$f" ] || fail "temporary file '$f' left behind"
	done < <(cd "$work" && find . -name '*.gwshift-tmp-*' -print0 |
		LC_ALL=C sort -z)
}

# ---- update mode: write the expected files from this run ----

update() {
	local new=$tmp/expected rel
	local -a old=()
	if [ "$rc" -gt 125 ]; then
		fail "the run crashed (exit $rc); nothing written"
		show_stderr
		return 0
	fi
	mkdir "$new"
	if [ -d "$expected" ]; then
		while IFS= read -r -d '' rel; do
			old+=("${rel#./}")
		done < <(cd "$expected" && find . ! -type d -print0 |
			LC_ALL=C sort -z)
	fi
	if [ -s "$work/stdout" ]; then
		cp "$work/stdout" "$new/stdout"
	fi
	if [ -d "$work/out" ]; then
		cp -R "$work/out" "$new/out"
		if [ "$rc" != 0 ]; then
			printf 'golden: %s: warning: the run failed (exit %s) but' \
				"$name" "$rc"
			printf ' left out/; pinned as expected/out\n'
		fi
	fi
	for rel in "$work"/report.*; do
		if [ -e "$rel" ]; then
			cp -R "$rel" "$new/"
		fi
	done
	# a folder an author put in expected/ by hand is refreshed whole
	local dir
	while IFS= read -r -d '' dir; do
		dir=${dir#./}
		if [ "$dir" != out ] && [ -d "$work/$dir" ]; then
			cp -R "$work/$dir" "$new/$dir"
		fi
	done < <([ -d "$expected" ] && cd "$expected" &&
		find . -mindepth 1 -maxdepth 1 -type d -print0 | LC_ALL=C sort -z)
	# files an author put in expected/ by hand are refreshed too
	for rel in ${old[@]+"${old[@]}"}; do
		case $rel in
		stdout | out/* | report.*) continue ;;
		esac
		[ -e "$new/$rel" ] || [ -L "$new/$rel" ] && continue
		if [ -f "$work/$rel" ]; then
			mkdir -p "$new/$(dirname "$rel")"
			cp "$work/$rel" "$new/$rel"
		else
			printf 'golden: %s: dropped expected/%s (not produced)\n' \
				"$name" "$rel"
		fi
	done
	rm -rf "$expected"
	if [ -n "$(ls -A "$new")" ]; then
		cp -R "$new" "$expected"
	fi
	printf '%s\n' "$rc" >"$case_dir/expected.rc"
	cp "$tmp/stderr" "$case_dir/expected.stderr"
	printf 'golden: %s: wrote expected.rc (%s), expected.stderr (%s bytes)\n' \
		"$name" "$rc" "$(wc -c <"$tmp/stderr" | tr -d ' ')"
	if [ -d "$expected" ]; then
		(cd "$expected" && find . ! -type d | LC_ALL=C sort) |
			sed "s|^\./|golden: $name: wrote expected/|"
	fi
}

# ---- compare mode ----

compare_rc_stderr() {
	if [ "$rc" != "$want_rc" ]; then
		fail "exit status $rc, expected $want_rc"
		[ -f "$case_dir/expected.stderr" ] || show_stderr
	fi
	if [ -f "$case_dir/expected.stderr" ] &&
		! cmp -s "$case_dir/expected.stderr" "$tmp/stderr"; then
		fail "stderr differs"
		show_diff expected.stderr stderr "$case_dir/expected.stderr" \
			"$tmp/stderr"
	fi
}

# every expected file must exist with the same bytes
compare_files() {
	local rel
	yaml=()
	if [ ! -e "$expected/stdout" ] && [ -s "$work/stdout" ]; then
		fail "unexpected output on stdout (no expected/stdout)"
		show_diff /dev/null stdout /dev/null "$work/stdout"
	fi
	[ -d "$expected" ] || return 0
	while IFS= read -r -d '' rel; do
		rel=${rel#./}
		if [ -L "$expected/$rel" ]; then
			[ -L "$work/$rel" ] &&
				[ "$(readlink "$expected/$rel")" = "$(readlink "$work/$rel")" ] ||
				fail "'$rel' is not a link to '$(readlink "$expected/$rel")'"
			continue
		fi
		if [ -d "$work/$rel" ] ||
			{ [ ! -e "$work/$rel" ] && [ ! -L "$work/$rel" ]; }; then
			fail "missing file '$rel'"
			continue
		fi
		if ! cmp -s "$expected/$rel" "$work/$rel"; then
			fail "'$rel' differs"
			show_diff "expected/$rel" "$rel" "$expected/$rel" "$work/$rel"
		fi
		if is_yaml "$rel"; then
			yaml+=("$rel")
		fi
	done < <(cd "$expected" && find . ! -type d -print0 | LC_ALL=C sort -z)
}

# a folder under expected/ holds every file of its folder: nothing extra
compare_folders() {
	local dir rel
	[ -d "$expected" ] || return 0
	while IFS= read -r -d '' dir; do
		dir=${dir#./}
		[ -d "$work/$dir" ] || continue
		while IFS= read -r -d '' rel; do
			rel=$dir/${rel#./}
			[ -e "$expected/$rel" ] || [ -L "$expected/$rel" ] ||
				fail "unexpected file '$rel'"
		done < <(cd "$work/$dir" && find . ! -type d -print0 |
			LC_ALL=C sort -z)
	done < <(cd "$expected" && find . -mindepth 1 -maxdepth 1 -type d \
		-print0 | LC_ALL=C sort -z)
}

# a failed run leaves nothing partial on disk
compare_no_partial() {
	if [ "$want_rc" != 0 ] && [ ! -e "$expected/out" ] &&
		{ [ -e "$work/out" ] || [ -L "$work/out" ]; }; then
		fail "'out' exists after a failing run (partial output)"
	fi
}

if [ "${GWS_UPDATE_GOLDEN:-}" = 1 ]; then
	update
	yaml=()
	while IFS= read -r -d '' rel; do
		rel=${rel#./}
		if is_yaml "$rel"; then
			yaml+=("$rel")
		fi
	done < <([ -d "$expected" ] && cd "$expected" &&
		find . ! -type d -print0 | LC_ALL=C sort -z)
else
	compare_rc_stderr
	compare_files
	compare_folders
	compare_no_partial
fi
check_tmp_files
check_valgrind
check_yaml ${yaml[@]+"${yaml[@]}"}

if [ "$problems" -gt 0 ]; then
	printf 'golden: %s: FAIL (%d problem(s); %s %s)\n' "$name" "$problems" \
		"${gwshift##*/}" "${args[*]-}"
	exit 1
fi
printf 'golden: %s: ok\n' "$name"
exit 0
