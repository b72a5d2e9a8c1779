#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list): ktrace-tools lists every tool of
# user/tools (the scripts, and the drawers found on PATH) with the purpose
# from its own header, filters by a word, and follows the usage conventions;
# every tool has its man page (with the sections the issue names), example,
# guest test and docs/tools.md row.
# Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
[ -x build/user/ktrace-flamegraph ] && [ -x build/user/ktrace-heatmap ] ||
	ktap_skip_all "the drawers are not built (make -C user/tools)"
T=${TMPDIR:-/tmp}/ktools.$$
trap 'rm -rf $T' EXIT
mkdir -p $T
# the tools: every script of user/tools, and ktrace-NAME for each NAME.c without "_"
scripts=$(cd user/tools && for f in *; do
	case $f in Makefile|*.c|*.h) ;; *) echo "$f" ;; esac; done)
drawers=$(cd user/tools && for f in *.c; do
	case $f in *_*) ;; *) echo "ktrace-${f%.c}" ;; esac; done)
ns=$(echo $scripts | wc -w)
ktap_plan $((6 + 4 * ns))
run() { PATH=$(pwd)/build/user:/usr/bin:/bin sh user/tools/ktrace-tools "$@"; }

run >$T/all 2>$T/err; rc=$?
want=$(printf '%s\n' $scripts $drawers | sort | tr '\n' ' ')
got=$(awk '{ print $1 }' $T/all | tr '\n' ' ')
[ $rc -eq 0 ] && [ "$got" = "$want" ] && ktap_ok ktrace_tools_lists_every_tool ||
	ktap_fail ktrace_tools_lists_every_tool "status $rc; got '$got', wanted '$want'"
bad=$(awk 'NF < 3 || $NF !~ /\.$/' $T/all)
[ -z "$bad" ] && ktap_ok ktrace_tools_purposes || ktap_fail ktrace_tools_purposes "$bad"
# the purpose is the header's first sentence, verbatim
p=$(awk '$1 == "opensnoop" { $1 = ""; print substr($0, 2) }' $T/all)
[ "$p" = "trace file opens (open, openat) with process, result and errno." ] &&
	ktap_ok ktrace_tools_header_sentence || ktap_fail ktrace_tools_header_sentence "'$p'"
run svg >$T/svg 2>&1
[ "$(awk '{ print $1 }' $T/svg | tr '\n' ' ')" = "ktrace-flamegraph ktrace-heatmap " ] &&
	ktap_ok ktrace_tools_filter || ktap_fail ktrace_tools_filter "$(cat $T/svg)"
run no-such-word-kt >$T/none 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^ktrace-tools: no tool matches no-such-word-kt$' $T/none &&
	ktap_ok ktrace_tools_no_match || ktap_fail ktrace_tools_no_match "status $rc: $(cat $T/none)"
run -h >$T/h 2>&1; rc1=$?
run -Q >$T/q 2>&1; rc2=$?
[ $rc1 -eq 0 ] && grep -q '^usage:' $T/h && [ $rc2 -eq 2 ] && ktap_ok ktrace_tools_usage ||
	ktap_fail ktrace_tools_usage "-h status $rc1, -Q status $rc2"
# what every tool comes with
for t in $scripts; do
	miss=
	for sec in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES OVERHEAD SOURCE "SEE ALSO"; do
		grep -q "^\.SH $sec\$" docs/tools/$t.8 2>/dev/null || miss="$miss '$sec'"
	done
	[ -z "$miss" ] && ktap_ok ${t}_man_page || ktap_fail ${t}_man_page "docs/tools/$t.8 lacks$miss"
	[ -f docs/tools/examples/${t}_example.txt ] && ktap_ok ${t}_example ||
		ktap_fail ${t}_example "no docs/tools/examples/${t}_example.txt"
	[ -f selftests/tools/test_$t.sh ] && ktap_ok ${t}_test || ktap_fail ${t}_test "no selftests/tools/test_$t.sh"
	grep -q "^| \`$t\` |" docs/tools.md && ktap_ok ${t}_in_tools_md ||
		ktap_fail ${t}_in_tools_md "no row for $t in docs/tools.md"
done
ktap_finished
