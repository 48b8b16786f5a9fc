#!/usr/bin/env bash
# setup.sh - install what gwshift needs to build and test on Debian 12
# SPDX-License-Identifier: MIT
#
# Usage: scripts/setup.sh [--test]
# Installs only what is missing. --test adds what the test suite needs
# (libyaml, cmocka, the Gateway API validators' python3 modules, node, valgrind,
# git for the migrate checks, GNU time for the benchmarks and the hostile
# inputs, clang and its libFuzzer runtime for scripts/fuzz.sh).
set -euo pipefail

pkgs=(build-essential pkg-config meson ninja-build libfyaml-dev libcjson-dev)
if [ "${1:-}" = "--test" ]; then
	pkgs+=(libyaml-dev libcmocka-dev python3-yaml python3-jsonschema
	       valgrind git time clang libclang-rt-14-dev)
	# cel-check needs node >= 20 and npm; use the machine's if it has them
	command -v node >/dev/null && command -v npm >/dev/null || pkgs+=(nodejs npm)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
		|| missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing ${missing[*]}" >&2
	sudo_cmd=""
	[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
