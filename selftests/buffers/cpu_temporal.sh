#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# -x cpu=N and -x temporal against ./bufload's pinned workloads: a process
# pinned to CPU 1 is seen whole with cpu=1 and not at all with cpu=0; of one
# child per CPU only CPU N's events are counted; BEGIN and END still run
# with ktrace on another CPU; and two processes taking turns on CPU 0 and
# CPU 1 print in the order they took them under a fast switchrate.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./bufload ] || ktap_skip_all "bufload helper missing"
[ "$(nproc)" -ge 2 ] || ktap_skip_all "needs 2 CPUs (CPU 0 and CPU 1)"

B=$(pwd)/bufload
OUT=/tmp/cpu_temporal.$$.out
ERR=/tmp/cpu_temporal.$$.err
D=/tmp/cpu_temporal.$$.d
trap 'rm -f $OUT $OUT.all $ERR $D' EXIT
ktap_plan 6

# $OUT: the output without the blank line ktrace ends it with; $PIN: a command ktrace runs under
PIN=
kt() { $PIN ktrace -q "$@" >$OUT.all 2>$ERR; rc=$?; grep . $OUT.all >$OUT; return $rc; }
ERRTXT() { head -c 300 $ERR | tr '\n' '|'; }
OUTTXT() { head -c 300 $OUT | tr '\n' '|'; }
# every read of the workload (fd 42) counted in one global: its events come from one CPU
COUNT='syscall::read:entry /pid == $target && arg0 == 42/ { n++; } END { printf("n=%d\n", n); }'

# a process pinned to CPU 1: cpu=1 sees each of its 300 reads
kt -x cpu=1 -n "$COUNT" -c "env BUFLOAD_CPU=1 $B reads 300"
if [ $? = 0 ] && grep -qx 'n=300' $OUT; then ktap_ok cpu_1_sees_all_of_cpu_1
else ktap_fail cpu_1_sees_all_of_cpu_1 "$(OUTTXT) $(ERRTXT)"; fi

# ... and cpu=0 none of them
kt -x cpu=0 -n "$COUNT" -c "env BUFLOAD_CPU=1 $B reads 300"
if [ $? = 0 ] && grep -qx 'n=0' $OUT; then ktap_ok cpu_0_sees_none_of_cpu_1
else ktap_fail cpu_0_sees_none_of_cpu_1 "$(OUTTXT) $(ERRTXT)"; fi

# the pragma does the same as -x
printf '#pragma D option cpu=0\n%s\n' "$COUNT" >$D
kt -s $D -c "env BUFLOAD_CPU=1 $B reads 300"
rc0=$? o0=$(OUTTXT)
printf '#pragma D option cpu=1\n%s\n' "$COUNT" >$D
kt -s $D -c "env BUFLOAD_CPU=1 $B reads 300"
rc1=$? o1=$(OUTTXT)
if [ $rc0 = 0 ] && [ "$o0" = 'n=0|' ] && [ $rc1 = 0 ] && [ "$o1" = 'n=300|' ]; then
	ktap_ok cpu_pragma_as_x
else ktap_fail cpu_pragma_as_x "cpu=0: rc=$rc0 $o0 cpu=1: rc=$rc1 $o1 $(ERRTXT)"; fi

# one child pinned to each CPU, 200 reads each: cpu=1 counts CPU 1's, exactly
kt -x cpu=1 -n 'syscall::read:entry /arg0 == 42 && execname == "bufload"/ { @[cpu] = count(); }
END { printa("%d %@d\n", @); }' -c "$B percpu 200"
if [ $? = 0 ] && [ "$(grep -c . $OUT)" = 1 ] && grep -qx '1 200' $OUT; then
	ktap_ok cpu_1_counts_only_cpu_1_of_percpu
else ktap_fail cpu_1_counts_only_cpu_1_of_percpu "$(OUTTXT) $(ERRTXT)"; fi

# ktrace itself on CPU 0, cpu=1: BEGIN and END run all the same (as DTrace's)
PIN="taskset -c 0"
kt -x cpu=1 -n 'BEGIN { printf("begin\n"); } END { printf("end\n"); }' \
	-c "env BUFLOAD_CPU=1 $B reads 1"
rc=$?
PIN=
if [ $rc = 0 ] && [ "$(tr '\n' ' ' <$OUT)" = 'begin end ' ]; then ktap_ok cpu_keeps_begin_end
else ktap_fail cpu_keeps_begin_end "rc=$rc $(OUTTXT) $(ERRTXT)"; fi

# temporal: reads of 1..1000 bytes taken in turns by CPU 0 and CPU 1 print as 1..1000,
# buffers read every millisecond (many reads cut the run between two turns)
kt -x temporal -x switchrate=1000hz -n 'syscall::read:entry /arg0 == 42 && execname == "bufload"/ { printf("%d %d\n", arg2, cpu); }' \
	-c "$B pingpong 500"
rc=$?
n=$(grep -c '^[0-9]* [0-9]*$' $OUT)
bad=$(awk '$1 != NR { print NR ": " $0; exit }' $OUT)
cpus=$(awk '{ c[$2 ($1 % 2)]++ } END { print c["01"] + 0, c["10"] + 0 }' $OUT)
if [ $rc = 0 ] && [ "$n" = 1000 ] && [ -z "$bad" ] && [ "$cpus" = "500 500" ]; then
	ktap_ok temporal_turns_in_order
else ktap_fail temporal_turns_in_order "rc=$rc records=$n first out of order: $bad cpus(odd on 0, even on 1)=$cpus $(ERRTXT)"; fi
# for the record: the same run without temporal (each read in order by itself only)
kt -x switchrate=1000hz -n 'syscall::read:entry /arg0 == 42 && execname == "bufload"/ { printf("%d\n", arg2); }' \
	-c "$B pingpong 500"
ktap_diag "without temporal: $(awk '$1 != NR { n++ } END { print n + 0 }' $OUT) of $(grep -c . $OUT) records out of place"
ktap_finished
