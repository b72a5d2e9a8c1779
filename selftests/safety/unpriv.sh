#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unprivileged users (nobody) cannot trace: opening /dev/ktrace fails and
# the CLI says so in one line and exits 1; they cannot list sessions or
# watch session events either.
cd "$(dirname "$0")" || exit 1
. ./common.sh
RUNAS=../lib/runas
[ -x $RUNAS ] || ktap_skip_all "no lib/runas"
ktap_plan 5

$RUNAS nobody sh -c 'exec 3<>/dev/ktrace' 2>/dev/null; rc=$?
[ $rc != 0 ] && ktap_ok nobody_cannot_open_device || ktap_fail nobody_cannot_open_device "open succeeded"

# one_line NAME CMD...: CMD fails with exit 1 and exactly one line of stderr
one_line() {
	_n=$1; shift
	$RUNAS nobody "$@" >$T/out 2>$T/err; _rc=$?
	_l=$(grep -c . $T/err)
	if [ $_rc = 1 ] && [ "$_l" = 1 ] && grep -q '^ktrace: .*Operation not permitted' $T/err && ! grep -q . $T/out; then
		ktap_ok "$_n"
	else
		ktap_fail "$_n" "rc=$_rc lines=$_l err='$(head -c 300 $T/err | tr '\n' '|')' out='$(head -c 100 $T/out)'"
	fi
}
one_line nobody_trace_fails_one_line ktrace -n 'BEGIN { exit(0); }'
one_line nobody_list_probes_fails_one_line ktrace -l -n 'syscall::read:entry'
one_line nobody_sessions_fails_one_line ktrace --sessions
one_line nobody_watch_fails_one_line ktrace --watch
ktap_finished
