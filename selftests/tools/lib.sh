# SPDX-License-Identifier: GPL-2.0
# Sourced by the guest tool tests (test_*.sh): KTAP helpers, the staged
# tools on PATH, the toolwork helper, a background workload loop.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh
# TOOLS_STRIDE=N (make vm-check on the debug kernel: DEBUG_TOOLS_STRIDE, and
# the Makefile says why): only every Nth tool test, in name order, runs; the
# others are a SKIP that says so.
if [ "${TOOLS_STRIDE:-1}" -gt 1 ]; then
	_n=0
	for _t in test_*.sh; do
		[ "$_t" = "$(basename "$0")" ] && break
		grep -q '^\. "$(dirname "$0")/lib.sh"' "$_t" && _n=$((_n + 1))
	done
	[ $((_n % TOOLS_STRIDE)) = 0 ] ||
		ktap_skip_all "one tool test in ${TOOLS_STRIDE} runs on this kernel (TOOLS_STRIDE): not this one"
fi
TOOLS=$(cd ../lib/tools 2>/dev/null && pwd)
[ -n "$TOOLS" ] || ktap_skip_all "tools not staged (../lib/tools)"
PATH=$TOOLS:$PATH
command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
W=$(pwd)/toolwork
[ -x "$W" ] || ktap_skip_all "toolwork helper missing"
OUT=/tmp/tooltest.$$
trap 'rm -f $OUT $OUT.*' EXIT

# loop_start CMD...: run CMD over and over in the background until loop_stop
loop_start() {
	: >$OUT.run
	( while [ -e $OUT.run ]; do "$@" >/dev/null 2>&1; done ) &
	LOOP=$!
}
loop_stop() { rm -f $OUT.run; wait $LOOP 2>/dev/null; }

# bg_until ERE CMD...: run CMD in the background with its output in $OUT,
# and wait (at most 30 s) for a line matching ERE: the tool is tracing.
# bg_stop ends it (SIGTERM: ktrace drains its buffers and runs END), so a
# test does not depend on how long the workload takes on a loaded machine.
bg_until() {
	_re=$1; shift
	: >$OUT
	"$@" >>$OUT 2>&1 &
	BG=$!
	_i=0
	while ! grep -Eq -- "$_re" $OUT && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
}
bg_stop() { kill -TERM $BG 2>/dev/null; wait $BG; }
# has NAME ERE: ok if a line of $OUT matches ERE
has() {
	if grep -Eq -- "$2" $OUT; then ktap_ok "$1"
	else ktap_fail "$1" "no line matching /$2/ in: $(head -c 600 $OUT | tr '\n' '|')"; fi
}
# usage_checks TOOL: -h exits 0 with "usage:", a bad option exits 2
usage_checks() {
	"$1" -h >$OUT.u 2>&1; rc=$?
	if [ $rc -eq 0 ] && grep -q '^usage:' $OUT.u; then ktap_ok "$1_help"
	else ktap_fail "$1_help" "status $rc"; fi
	"$1" -Q >$OUT.u 2>&1; rc=$?
	[ $rc -eq 2 ] && ktap_ok "$1_bad_option" || ktap_fail "$1_bad_option" "status $rc, wanted 2"
}
# wait_lines N ERE: wait (at most 30 s) until N lines of $OUT match ERE (a
# tool that prints as it goes has seen that much of the workload)
wait_lines() {
	_i=0
	while [ "$(grep -Ec -- "$2" $OUT)" -lt "$1" ] && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
}
# no_uffd: this kernel has no userfaultfd (CONFIG_USERFAULTFD; the debug
# kernel's config leaves it out), so toolwork slowrw cannot make slow I/O:
# the cases that need it are a SKIP saying so
no_uffd() { ! "$W" uffd; }
UFFD_WHY="no userfaultfd in this kernel (CONFIG_USERFAULTFD): toolwork slowrw cannot make its I/O"
