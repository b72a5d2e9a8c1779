# SPDX-License-Identifier: GPL-2.0
# Sourced by the lab tests (lab_NN.sh): each starts its lab, runs the lab's
# reference solution (ktrace commands and tools only: it never reads the
# lab's state), checks the answer it prints last, checks that a wrong
# answer is refused, and that stop leaves no process and no file behind.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh
LABS=$(cd ../lib/labs 2>/dev/null && pwd)
TOOLS=$(cd ../lib/tools 2>/dev/null && pwd)
[ -n "$LABS" ] && [ -x "$LABS/ktrace-lab" ] || ktap_skip_all "labs not staged (../lib/labs)"
[ -n "$TOOLS" ] || ktap_skip_all "tools not staged (../lib/tools)"
PATH=$LABS:$TOOLS:$PATH
export KTRACE_LAB_DIR=$LABS
command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
OUT=/tmp/labtest.$$
trap 'rm -f $OUT $OUT.*' EXIT

# lab_procs: pids of processes running a lab program (one ls, not a
# process per pid: forks are slow under TCG)
lab_procs() {
	ls -l /proc/[0-9]*/exe 2>/dev/null | awk -v d="$LABS/" '
		index($NF, d) == 1 { split($(NF - 2), p, "/"); print p[3] }'
}

# comm_pids NAME: pids of processes named NAME
comm_pids() {
	grep -lx -- "$1" /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3
}

# lab_test N: the whole check of lab N.  The test defines wrong(), which
# prints plausible wrong answers (called while the lab runs): the first that
# differs from the solution's answer is tried.
lab_test() {
	n=$1
	ktap_plan 5
	ktrace-lab stop "$n" >/dev/null 2>&1
	if ktrace-lab start "$n" >$OUT.start 2>&1 && grep -q "ktrace-lab check $n ANSWER" $OUT.start; then
		ktap_ok "lab${n}_starts_with_symptom"
	else
		ktap_fail "lab${n}_starts_with_symptom" "$(tr '\n' '|' <$OUT.start)"
	fi
	ktrace-lab solution "$n" >$OUT.sol
	t0=$(cut -d' ' -f1 /proc/uptime)
	sh $OUT.sol >$OUT.run 2>&1
	ktap_diag "lab $n: solution took $(awk -v a="$t0" '{ printf "%.1f", $1 - a }' /proc/uptime)s"
	ans=$(tail -n 1 $OUT.run)
	if [ -n "$ans" ] && ktrace-lab check "$n" "$ans" >$OUT.chk 2>&1; then
		ktap_ok "lab${n}_solution_finds_culprit"
	else
		ktap_fail "lab${n}_solution_finds_culprit" "answer '$ans': $(cat $OUT.chk); solution output: $(head -c 1500 $OUT.run | tr '\n' '|')"
	fi
	wrong=
	for w in $(wrong); do [ "$w" != "$ans" ] && { wrong=$w; break; }; done
	ktrace-lab check "$n" "$wrong" >$OUT.chk 2>&1; rc=$?
	if [ -n "$wrong" ] && [ $rc = 1 ] && grep -q '^wrong' $OUT.chk; then
		ktap_ok "lab${n}_wrong_answer_refused"
	else
		ktap_fail "lab${n}_wrong_answer_refused" "'$wrong': status $rc, $(cat $OUT.chk)"
	fi
	before=$(lab_procs | wc -l)
	if ktrace-lab stop "$n" >$OUT.stop 2>&1 && [ "$before" -gt 0 ] && [ -z "$(lab_procs)" ]; then
		ktap_ok "lab${n}_stop_ends_every_process"
	else
		ktap_fail "lab${n}_stop_ends_every_process" "$before before, left: $(lab_procs | tr '\n' ' ') $(cat $OUT.stop)"
	fi
	if [ ! -e "/tmp/ktrace-lab.$(printf %02d "$n")" ] && [ ! -e "/run/ktrace-lab/$(printf %02d "$n")" ]; then
		ktap_ok "lab${n}_stop_removes_files"
	else
		ktap_fail "lab${n}_stop_removes_files" "$(ls -d /tmp/ktrace-lab.* /run/ktrace-lab/* 2>&1 | tr '\n' ' ')"
	fi
	ktap_finished
}
