#!/usr/bin/env bash
# hostile.sh - large and hostile inputs, made at test time, against gwshift
# SPDX-License-Identifier: MIT
#
# usage: hostile.sh GWSHIFT [CASE...]
#
# Each case writes its input into a fresh folder under one temporary folder
# (nothing big is kept in the repository), runs 'GWSHIFT convert' there and
# checks:
#   - the exit status and the diagnostic (a fixed string in stderr);
#   - no crash and no sanitizer report;
#   - time: 'timeout' ends a run after GWS_HOSTILE_TIMEOUT seconds (default
#     300, generous for sanitizer builds): a hang guard, not a benchmark;
#   - memory: the peak RSS (GNU time) stays under the case's bound, set
#     generously for sanitizer builds (ulimit -v cannot be used: ASan
#     reserves terabytes of address space);
#   - nothing changed outside the case's --out-dir (every other file of the
#     temporary folder is listed with its size and time before and after),
#     no '*.gwshift-tmp-*' file anywhere, and no --out-dir after a failure.
# Cases that need another user (an unreadable input, an unwritable folder)
# run as 'nobody' through setpriv when root, else use chmod; they are
# skipped, with a note, when neither can work.
#
# GWS_HOSTILE_VALGRIND=1 runs gwshift under valgrind memcheck (any error or
# definite leak fails the case) with the large inputs ten times smaller
# and no memory bound: valgrind is some fifty times slower.
#
# A check marked KNOWN is a bug reported to the owner of the code (see
# docs/performance.md, hostile inputs): it is printed but not counted; when
# it starts to pass, the run says so and the mark should go.
#
# Exit status: 0 when every case passed, 1 otherwise.
set -uo pipefail

die() {
	printf 'hostile: %s\n' "$*" >&2
	exit 2
}

[ $# -ge 1 ] || die "usage: hostile.sh GWSHIFT [CASE...]"
case $1 in
/*) gwshift=$1 ;;
*) gwshift=$(pwd)/$1 ;;
esac
[ -x "$gwshift" ] || die "'$1' is not an executable"
shift
only=("$@")
limit=${GWS_HOSTILE_TIMEOUT:-300}
command -v python3 >/dev/null || die "python3 is missing"
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gws-hostile.XXXXXX")
chmod 755 "$tmp"
mkdir -m 1777 "$tmp/vg"
scale=1
valgrind=()
if [ "${GWS_HOSTILE_VALGRIND:-}" = 1 ]; then
	command -v valgrind >/dev/null || die "valgrind is missing"
	scale=10
	valgrind=(valgrind -q --error-exitcode=99 --leak-check=full
		--errors-for-leak-kinds=definite)
fi
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	chmod -R u+rwX "$tmp" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
failed=0
known=0
problems=0

say() {
	printf 'hostile: %s\n' "$*"
}

bad() {
	say "$name: FAIL: $*"
	problems=$((problems + 1))
}

# known MESSAGE - a failed check that is a reported, open bug
known() {
	say "$name: KNOWN: $*"
	known=$((known + 1))
}

wanted() {
	local c
	[ ${#only[@]} -eq 0 ] && return 0
	for c in "${only[@]}"; do
		[ "$c" = "$1" ] && return 0
	done
	return 1
}

# the state of the temporary folder, but for the case's out/ and report.*
snapshot() {
	(cd "$tmp" && find . -path "./$name/out" -prune -o \
		-path "./$name/report.*" -prune -o -path "./$name.*" -prune -o \
		-path ./vg -prune -o \
		-type d -printf '%p %y\n' -o -printf '%p %y %s %T@\n' |
		LC_ALL=C sort)
}

# start NAME - a fresh case folder; Returns: 1 when the case is not wanted
start() {
	name=$1
	wanted "$name" || return 1
	dir=$tmp/$name
	mkdir -p "$dir"
	chmod 755 "$dir"
	problems=0
	return 0
}

# run [--as-nobody] WANT_RC MAX_RSS_MB ARG... - run gwshift in $dir with
# the arguments (an --out-dir given must be 'out'), through ${wrap[@]} if
# set; sets rc, secs, rss_mb
run() {
	local user=() want max before after
	if [ "$1" = --as-nobody ]; then
		user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
		shift
	fi
	want=$1
	max=$2
	shift 2
	local vg=()
	if [ ${#valgrind[@]} -gt 0 ]; then
		vg=("${valgrind[@]}" --log-file="$tmp/vg/$name.log")
		max=1000000
	fi
	before=$(snapshot)
	(cd "$dir" && LC_ALL=C exec /usr/bin/time -f '%e %M' \
		-o "$tmp/$name.time" ${user[@]+"${user[@]}"} \
		timeout -s KILL "$limit" ${wrap[@]+"${wrap[@]}"} \
		${vg[@]+"${vg[@]}"} "$gwshift" convert "$@") \
		<"${stdin:-/dev/null}" >"${stdout:-$tmp/$name.stdout}" \
		2>"$tmp/$name.stderr"
	rc=$?
	after=$(snapshot)
	if [ -s "$tmp/vg/$name.log" ]; then
		bad "valgrind reported errors"
		head -n 40 "$tmp/vg/$name.log"
	fi
	read -r secs rss_kb < <(tail -n 1 "$tmp/$name.time" 2>/dev/null ||
		echo "0 0")
	rss_mb=$((${rss_kb:-0} / 1024))
	if [ "$rc" -eq 137 ] || [ "$rc" -eq 124 ]; then
		bad "no result within ${limit}s (killed)"
	elif [ "$rc" -gt 125 ]; then
		bad "crashed (exit $rc)"
	elif [ "$rc" -ne "$want" ]; then
		bad "exit status $rc, expected $want"
	fi
	if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		"$tmp/$name.stderr"; then
		bad "sanitizer report"
		grep -m 5 -E 'Sanitizer|runtime error' "$tmp/$name.stderr"
	fi
	if [ "$rss_mb" -gt "$max" ]; then
		bad "peak RSS ${rss_mb} MB, bound ${max} MB"
	fi
	if [ "$before" != "$after" ]; then
		bad "files outside --out-dir changed:"
		diff <(printf '%s\n' "$before") <(printf '%s\n' "$after") |
			head -n 10
	fi
	if [ -n "$(find "$tmp" -name '*.gwshift-tmp-*' -print -quit)" ]; then
		bad "temporary files left behind"
	fi
	if [ "$rc" -ne 0 ] && { [ -e "$dir/out" ] || [ -L "$dir/out" ]; } &&
		[ -z "${out_existed:-}" ]; then
		bad "'out' exists after a failed run"
	fi
}

# has TEXT - stderr holds TEXT
has() {
	grep -q -F -e "$1" "$tmp/$name.stderr" ||
		bad "stderr lacks '$1': $(head -c 300 "$tmp/$name.stderr")"
}

# stderr_max BYTES [known] - stderr is at most BYTES long
stderr_max() {
	local n
	n=$(wc -c <"$tmp/$name.stderr")
	[ "$n" -le "$1" ] && return 0
	if [ "${2:-}" = known ]; then
		known "stderr is $n bytes (a message quotes the whole input)"
	else
		bad "stderr is $n bytes, bound $1"
	fi
}

finish_case() {
	if [ "$problems" -eq 0 ]; then
		say "$name: ok (exit $rc, ${secs}s, ${rss_mb} MB)"
		passed=$((passed + 1))
	else
		say "$name: FAIL (${secs}s, ${rss_mb} MB)"
		failed=$((failed + 1))
	fi
	rm -rf "$dir" "$tmp/$name".* "$tmp/vg/$name.log"
	unset stdin stdout out_existed wrap
}

gen() {
	python3 - "$@"
}

# an Ingress in block style: NAME NAMESPACE [EXTRA METADATA LINES]
INGRESS='
def ingress(name, ns="web", meta="", host=None):
    host = host or name + ".example.com"
    return ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n"
            "  name: %s\n  namespace: %s\n%sspec:\n  rules:\n  - host: %s\n"
            "    http:\n      paths:\n      - path: /\n        pathType: Prefix\n"
            "        backend:\n          service:\n            name: web\n"
            "            port:\n              number: 80\n" % (name, ns, meta, host))
'

# ---- alias and merge-key bombs ----

if start alias-bomb-rules; then
	gen "$dir/in.yaml" <<EOF
import sys
n = 3000
with open(sys.argv[1], "w") as f:
    f.write("x-path: &p {path: /, pathType: Prefix, backend: "
            "{service: {name: s, port: {number: 80}}}}\n")
    f.write("x-paths: &ps [" + ", ".join(["*p"] * n) + "]\n")
    f.write("x-rule: &r {host: a.example.com, http: {paths: *ps}}\n")
    f.write("apiVersion: networking.k8s.io/v1\nkind: Ingress\n")
    f.write("metadata: {name: bomb, namespace: web}\n")
    f.write("spec:\n  rules: [" + ", ".join(["*r"] * n) + "]\n")
EOF
	run 3 1024 in.yaml --out-dir out
	has "error: too many aliases: the document would expand to more than"
	finish_case
fi

if start merge-key-bomb; then
	gen "$dir/in.yaml" <<EOF
import sys
with open(sys.argv[1], "w") as f:
    f.write("l0: &l0 {" + ", ".join("k%d: v" % i for i in range(10)) + "}\n")
    for lvl in range(1, 40):
        f.write("l%d: &l%d {<<: [%s], k: v%d}\n"
                % (lvl, lvl, ", ".join(["*l%d" % (lvl - 1)] * 10), lvl))
    f.write("apiVersion: networking.k8s.io/v1\nkind: Ingress\n")
    f.write("metadata:\n  <<: *l39\n  name: bomb\n  namespace: web\n")
EOF
	run 3 1024 in.yaml --out-dir out
	has "error: too many aliases"
	finish_case
fi

if start merge-keys-resolved; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
with open(sys.argv[1], "w") as f:
    f.write("x-meta: &m {namespace: shop, labels: {team: shop}}\n")
    f.write(ingress("cart").replace("  namespace: web\n", "  <<: *m\n"))
EOF
	run 0 1024 in.yaml --out-dir out
	has "1 Ingresses -> "
	grep -q -F 'namespace: shop' "$dir/out/apps/shop/httproute-cart.yaml" ||
		bad "the merge key did not set the namespace"
	finish_case
fi

# ---- nesting ----

if start nesting-flow-10000; then
	gen "$dir/in.yaml" <<EOF
import sys
open(sys.argv[1], "w").write("a: " + "[" * 10000 + "]" * 10000 + "\n")
EOF
	run 3 1024 in.yaml --out-dir out
	has "error: Max depth (64) exceeded"
	finish_case
fi

if start nesting-block-10000; then
	gen "$dir/in.yaml" <<EOF
import sys
open(sys.argv[1], "w").write("- " * 10000 + "x\n")
EOF
	run 3 1024 in.yaml --out-dir out
	has "error: Max depth (64) exceeded"
	finish_case
fi

if start nesting-json-10000; then
	gen "$dir/in.json" <<EOF
import sys
open(sys.argv[1], "w").write('{"a":' * 10000 + "1" + "}" * 10000 + "\n")
EOF
	run 3 1024 in.json --out-dir out
	has "error: Max depth (64) exceeded"
	finish_case
fi

# ---- a 100 MB scalar ----

BIG="\"x\" * (100 * 1024 * 1024 // $scale)"

if start scalar-100mb-annotation; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
meta = "  annotations:\n    example.com/blob: " + $BIG + "\n"
open(sys.argv[1], "w").write(ingress("big", meta=meta))
EOF
	run 0 2048 in.yaml --out-dir out --report report.json
	has "1 Ingresses -> "
	stderr_max 65536
	finish_case
fi

if start scalar-100mb-name; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress($BIG))
EOF
	run 3 2048 in.yaml --out-dir out
	has "is not a valid Kubernetes name (DNS-1123 subdomain)"
	has "xxx... ($((100 * 1024 * 1024 / scale - 256)) more bytes)' is not"
	stderr_max 65536
	finish_case
fi

if start scalar-100mb-nginx-annotation; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
meta = ("  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: "
        + $BIG + "\n")
open(sys.argv[1], "w").write(ingress("big", meta=meta))
EOF
	run 0 2048 in.yaml --out-dir out
	has "1 Ingresses -> "
	has "Its content, cut:"
	has "xxx... ($((100 * 1024 * 1024 / scale - 4096)) more bytes)"
	stderr_max 65536
	finish_case
fi

# ---- 1,000,000 small documents ----

if start documents-1000000; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
with open(sys.argv[1], "w") as f:
    chunk = []
    for i in range(1000000 // $scale):
        if i % 10 == 0:
            chunk.append("---\n")
        else:
            chunk.append("--- {apiVersion: v1, kind: Pod, metadata: "
                         "{name: p%d, namespace: web}}\n" % i)
        if len(chunk) == 10000:
            f.write("".join(chunk))
            chunk = []
    f.write("".join(chunk))
    f.write("---\n" + ingress("last"))
EOF
	run 0 2048 in.yaml --out-dir out --report report.json
	has "1 Ingresses -> "
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(d["summary"]["kinds-not-used"].get("Pod") != int(sys.argv[2]))' \
		"$dir/report.json" $((900000 / scale)) ||
		bad "the report does not count $((900000 / scale)) Pods"
	finish_case
fi

if start documents-100000-errors; then
	gen "$dir/in.yaml" <<EOF
import sys
open(sys.argv[1], "w").write("--- {}\n" * (100000 // $scale))
EOF
	run 3 2048 in.yaml --out-dir out
	has "error: object has no 'kind'"
	finish_case
fi

# ---- output that cannot be written ----

if start report-dev-full; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress("a"))
EOF
	run 4 1024 in.yaml --report /dev/full --out-dir out
	has "gwshift: error: cannot write '/dev/full': No space left on device"
	[ -c /dev/full ] || bad "/dev/full is no longer a device"
	finish_case
fi

if start stdout-dev-full; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress("a"))
EOF
	stdout=/dev/full
	run 4 1024 in.yaml
	has "gwshift: error: cannot write the output"
	finish_case
fi

if start report-dev-null; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress("a"))
EOF
	run 0 1024 in.yaml --report /dev/null --out-dir out
	[ -c /dev/null ] || bad "/dev/null was replaced"
	finish_case
fi

# a disk that fills up: no file may grow past 2 kB (SIGXFSZ ignored, so
# write() fails with EFBIG where a full disk gives ENOSPC); the route of an
# Ingress with 16 paths is larger than that
if start out-dir-disk-full; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
doc = ingress("a")
path = doc[doc.index("      - path: /\n"):]
more = "".join(path.replace("path: /\n", "path: /p%d\n" % i) for i in range(15))
open(sys.argv[1], "w").write(ingress("small", ns="aaa") + "---\n" + doc + more)
EOF
	wrap=(bash -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' bash)
	run 4 1024 in.yaml --out-dir out
	has "gwshift: error: cannot write 'out/"
	has "File too large"
	[ ! -e "$dir/out" ] || bad "'out' left behind"
	finish_case
fi

if start out-dir-symlink-inside; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress("a"))
EOF
	mkdir -p "$dir/out" "$dir/elsewhere"
	ln -s ../elsewhere "$dir/out/apps"
	out_existed=1
	run 4 1024 in.yaml --out-dir out
	has "cannot write 'out/apps': a symbolic link, not followed inside"
	[ -z "$(ls -A "$dir/elsewhere")" ] || bad "wrote through the link"
	[ ! -e "$dir/out/platform" ] || bad "out/platform left behind"
	finish_case
fi

if start names-as-paths; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
docs = [
    ingress("a", meta="  annotations:\n    kubernetes.io/ingress.class: ../../x\n"),
    ingress("b").replace("spec:\n", "spec:\n  ingressClassName: ../../../etc\n"),
    ingress("c").replace("name: web", "name: ../../svc"),
    ingress("d") + "  tls:\n  - hosts: [d.example.com]\n    secretName: ../../s\n",
]
open(sys.argv[1], "w").write("---\n".join(docs))
EOF
	# each name is an input error at its scalar, and nothing is written
	# (run checks that no 'out' is left after a failure)
	run 3 1024 in.yaml --out-dir out
	not="is not a valid Kubernetes"
	has "in.yaml:7:34: error: class '../../x' $not IngressClass name (DNS-1123 subdomain)"
	has "in.yaml:27:21: error: class '../../../etc' $not IngressClass name (DNS-1123"
	has "in.yaml:54:19: error: Service '../../svc' $not Service name (DNS-1035 label)"
	has "in.yaml:77:17: error: Secret '../../s' $not Secret name (DNS-1123 subdomain)"
	finish_case
fi

# ---- permissions: another user when root ----

as_nobody=()
can_drop=0
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null &&
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		test -x "$gwshift" 2>/dev/null; then
	as_nobody=(--as-nobody)
	can_drop=1
elif [ "$(id -u)" -ne 0 ]; then
	can_drop=1
fi

if start input-unreadable; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress("a"))
EOF
	chmod 000 "$dir/in.yaml"
	if [ "$can_drop" -eq 0 ]; then
		say "$name: skipped: root, and no way to run as another user"
		rm -rf "$dir"
	else
		run ${as_nobody[@]+"${as_nobody[@]}"} 4 1024 in.yaml --out-dir out
		has "gwshift: error: cannot read 'in.yaml': Permission denied"
		finish_case
	fi
fi

if start out-dir-not-writable; then
	gen "$dir/in.yaml" <<EOF
import sys
$INGRESS
open(sys.argv[1], "w").write(ingress("a"))
EOF
	mkdir -p "$dir/ro"
	chmod 555 "$dir/ro"
	if [ "$can_drop" -eq 0 ]; then
		say "$name: skipped: root, and no way to run as another user"
		rm -rf "$dir"
	else
		run ${as_nobody[@]+"${as_nobody[@]}"} 4 1024 in.yaml \
			--out-dir ro/out
		has "gwshift: error: cannot write 'ro/out': Permission denied"
		[ ! -e "$dir/ro/out" ] || bad "ro/out exists"
		finish_case
	fi
fi

total=$((passed + failed))
say "$passed of $total cases passed, $failed failed, $known known issue(s)"
[ "$failed" -eq 0 ]
