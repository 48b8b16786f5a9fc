#!/usr/bin/env bash
# validate-fixtures.sh - check expected Gateway API output: schemas, CEL
# SPDX-License-Identifier: MIT
#
# usage: scripts/validate-fixtures.sh
#
# Runs ../shared/tools/validate-gateway-api (structural schema) and
# ../shared/tools/cel-check (CEL rules) on every file under a fixture's
# expected/ folder that holds a gateway.networking.k8s.io/ apiVersion.
# A case whose args name '--channel' and 'experimental' is checked against
# the experimental channel, every other case against the standard one.
# Exit 0 when every tool passes or when ../shared is missing (skipped),
# 1 when a tool fails.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared="$(dirname "$root")/shared"
tools=$shared/tools
me=validate-fixtures

if [ ! -d "$shared" ]; then
	echo "$me: ../shared not found, skipped"
	exit 0
fi
for t in "$tools/validate-gateway-api" "$tools/cel-check/cel-check"; do
	if [ ! -f "$t" ]; then
		echo "$me: ${t#"$(dirname "$root")/"} not found, skipped"
		exit 0
	fi
done

# case_channel FILE - the channel of the fixture case that holds FILE
case_channel() {
	local dir
	dir=$(dirname "$1")
	while [ "$dir" != "$root/fixtures" ] && [ "$dir" != / ]; do
		if [ -f "$dir/args" ]; then
			if grep -q -e '--channel' "$dir/args" &&
				grep -q -e 'experimental' "$dir/args"; then
				echo experimental
			else
				echo standard
			fi
			return 0
		fi
		dir=$(dirname "$dir")
	done
	echo standard
}

# manifest FILE - is FILE Gateway API manifests (not a diff or a report)?
# *.yaml, *.yml and *.json are; stdout is when the case ran 'convert'
manifest() {
	local dir
	case $1 in
	*.yaml | *.yml | *.json) return 0 ;;
	*/stdout) ;;
	*) return 1 ;;
	esac
	dir=$(dirname "$1")
	while [ "$dir" != "$root/fixtures" ] && [ "$dir" != / ]; do
		if [ -f "$dir/args" ]; then
			[ "$(head -n 1 "$dir/args")" = convert ]
			return
		fi
		dir=$(dirname "$dir")
	done
	return 1
}

standard=()
experimental=()
pattern='apiVersion"?[[:space:]]*:[[:space:]]*"?gateway\.networking\.k8s\.io/'
while IFS= read -r -d '' f; do
	manifest "$f" && grep -qE "$pattern" "$f" || continue
	if [ "$(case_channel "$f")" = experimental ]; then
		experimental+=("$f")
	else
		standard+=("$f")
	fi
done < <(find "$root/fixtures" -path '*/expected/*' -type f -print0 |
	LC_ALL=C sort -z)

if [ $((${#standard[@]} + ${#experimental[@]})) -eq 0 ]; then
	echo "$me: no Gateway API output under fixtures/, nothing to check"
	exit 0
fi

failed=0
# run_tool NAME CHANNEL FILE... - run one tool, print its result line
run_tool() {
	local name=$1 channel=$2 rc=0
	shift 2
	local -a cmd=("$tools/validate-gateway-api")
	[ "$name" = cel-check ] && cmd=(bash "$tools/cel-check/cel-check")
	echo "$me: $name --channel $channel: $# file(s)"
	(cd "$root" && "${cmd[@]}" --channel "$channel" -q "${@#"$root/"}") ||
		rc=$?
	if [ "$rc" -eq 0 ]; then
		echo "$me: $name ($channel): ok"
	else
		echo "$me: $name ($channel): FAILED (exit $rc)"
		failed=1
	fi
}

for tool in validate-gateway-api cel-check; do
	if [ ${#standard[@]} -gt 0 ]; then
		run_tool "$tool" standard "${standard[@]}"
	fi
	if [ ${#experimental[@]} -gt 0 ]; then
		run_tool "$tool" experimental "${experimental[@]}"
	fi
done

if [ "$failed" -ne 0 ]; then
	echo "$me: FAILED"
	exit 1
fi
echo "$me: ok"
