#!/usr/bin/env bash
# example.sh - set up, build, and convert the bundled example export
# SPDX-License-Identifier: MIT
#
# The first command of the README quick start: installs what is missing
# (apt-get), builds gwshift in build/, converts fixtures/examples/export.yaml
# into gw-example/ and shows the result. The same run is the golden fixture
# fixtures/convert/example, so this output cannot drift from the tests.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
meson compile -C build >/dev/null

rm -rf gw-example
set -x
build/gwshift convert fixtures/examples/export.yaml \
	--gateway-namespace edge --gateway-name public-web \
	--gateway-class cilium --out-dir gw-example \
	--report gw-example-report.md
{ set +x; } 2>/dev/null
echo
echo "== the output tree (kubectl apply -k gw-example)"
find gw-example -type f | sort
for f in gw-example/platform/edge/gateway-public-web.yaml \
	 gw-example/apps/store/httproute-store.yaml; do
	echo
	echo "== $f"
	cat "$f"
done
echo
echo "== the full report is in gw-example-report.md"
