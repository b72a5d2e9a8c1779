# SPDX-License-Identifier: GPL-2.0
# The prologue of the language tests (test_*.sh here): sourced, not a test.
# The test is a SKIP without /dev/ktrace (it runs in the guest).  It gives
#   here     the test's directory
#   ktrace   the CLI: $KTRACE, ktrace on PATH, or the tree's build/user/ktrace
#   tmp      a directory removed at exit
# run, check and got below (a test may define its own got).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/ktap.sh"
ktrace=${KTRACE:-ktrace}
command -v "$ktrace" >/dev/null 2>&1 || ktrace=$here/../../build/user/ktrace
[ -c /dev/ktrace ] || ktap_skip_all "no /dev/ktrace (run in the guest)"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

run() {	# PROGRAM [ARGS...]: stdout in $tmp/out, stderr in $tmp/err, status in $rc
	p=$1; shift
	timeout 120 "$ktrace" -q -n "$p" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
}
got() {	# what check compares: the output's lines that start with '>', each followed by '|'
	grep '^>' "$tmp/out" | tr '\n' '|'
}
check() {	# NAME WANT: ktrace succeeded and got is WANT
	g=$(got)
	if [ $rc = 0 ] && [ "$g" = "$2" ]; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "exit $rc, got '$g', want '$2'; $(head -n3 "$tmp/err" | tr '\n' ' ')"
	fi
}
