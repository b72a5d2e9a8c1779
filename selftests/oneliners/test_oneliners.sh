#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The classic DTrace one-liners of corpus/oneliners.txt (one program a line):
# each compiles and verifies with `ktrace -e`; where /dev/ktrace exists (the
# guest) each also runs for one second (`-c 'sleep 1'`) and must exit 0 with
# nothing on stderr but the "matched N probes" notice.  KTAP.
here=$(cd "$(dirname "$0")" && pwd)
list=$here/../corpus/oneliners.txt
ktrace=${KTRACE:-ktrace}
command -v "$ktrace" >/dev/null 2>&1 || ktrace=$here/../../build/user/ktrace
echo "KTAP version 1"
if [ ! -f "$list" ] || [ ! -x "$(command -v "$ktrace")" ]; then
	echo "1..0 # SKIP no $list or no ktrace binary"
	exit 0
fi
run=0
[ -c /dev/ktrace ] && run=1
n=$(grep -c . "$list")
echo "1..$((n * (1 + run)))"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
i=0 t=0 fail=0
while IFS= read -r prog; do
	[ -n "$prog" ] || continue
	i=$((i + 1))
	t=$((t + 1))
	if "$ktrace" -e -n "$prog" >/dev/null 2>"$tmp/err"; then
		echo "ok $t oneliner_${i}_compiles"
	elif [ $run = 0 ] && grep -q "cannot read the format of tracepoint" "$tmp/err"; then
		echo "ok $t oneliner_${i}_compiles # SKIP no tracefs on this host"
	else
		fail=1
		echo "# $prog"
		sed 's/^/# /' "$tmp/err" | head -5
		echo "not ok $t oneliner_${i}_compiles"
	fi
	[ $run = 1 ] || continue
	t=$((t + 1))
	timeout 30 "$ktrace" -q -n "$prog" -c 'sleep 1' >/dev/null 2>"$tmp/err" </dev/null
	rc=$?
	grep -v "matched [0-9]* probe" "$tmp/err" >"$tmp/err2"
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err2" ]; then
		echo "ok $t oneliner_${i}_runs_1s"
	else
		fail=1
		echo "# $prog: exit $rc"
		sed 's/^/# /' "$tmp/err2" | head -5
		echo "not ok $t oneliner_${i}_runs_1s"
	fi
done <"$list"
exit $fail
