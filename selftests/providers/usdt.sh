#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# USDT (<sys/sdt.h> probes) through the CLI, on ./usdt_app (provider ktest,
# a static binary built with the tests): the DTrace names (ktest$target,
# ktest*, -c, -p), the path form usdt:PATH:PROVIDER:NAME for processes
# started later, arguments of every operand kind, copyinstr() of a string
# argument, is-enabled semaphores set while traced and cleared at the end
# and when the consumer is killed, and -l.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./usdt_app ] || ktap_skip_all "usdt_app helper missing"
[ -x ./usdt_gen ] || ktap_skip_all "usdt_gen helper missing"

U=$(pwd)/usdt_app
G=$(pwd)/usdt_gen
OUT=/tmp/usdt.$$
ktap_plan 14

kt() { ktrace -q "$@" >$OUT 2>&1; }
expect() {	# NAME PATTERN: the output has a line matching PATTERN (whole line)
	if grep -qx "$2" $OUT; then ktap_ok "$1"; else ktap_fail "$1" "wanted '$2', got: $(head -c 300 $OUT | tr '\n' '|')"; fi
}
wait_for() {	# FILE PATTERN: up to 60 s for a line matching PATTERN
	i=0
	while ! grep -qx "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}

# PROVIDER$target with -c: counts and arguments (registers, signed)
kt -n 'ktest$target:::hit { n++; s0 += arg0; s1 += (long)arg1; } END { printf("n=%d s0=%d s1=%d\n", n, s0, s1); }' -c "$U hit 10"
expect usdt_pid_count_and_args "n=10 s0=45 s1=-45"
# copyinstr() of a string argument; the probe's names (module, function, name)
kt -n 'ktest$target:::hit /arg0 == 3/ { printf("%s %s %s %s %s\n", copyinstr(arg2), probeprov, probemod, probefunc, probename); }' -c "$U hit 5"
expect usdt_copyinstr_and_names "hello ktest[1-9][0-9]* usdt_app work hit"
# operands: constant, 1-byte signed register, 2-byte unsigned, rip-relative global, stack slot
kt -n 'ktest$target:::ops /arg5 == 2/ { printf("%d %d %d %d %d %d\n", arg0, (long)arg1, arg2, arg3, arg4, arg5); }' -c "$U ops 3"
expect usdt_operands_of_every_kind "12345 -1 65535 4242 77 2"
# is-enabled: the semaphore is set while traced ("__" is "-" in the name)
kt -n 'ktest$target:::query-start { n++; } END { printf("n=%d\n", n); }' -c "$U hit 7"
if grep -qx "n=7" $OUT && grep -qx "enabled=7" $OUT; then ktap_ok usdt_semaphore_set_while_traced
else ktap_fail usdt_semaphore_set_while_traced "$(head -c 300 $OUT | tr '\n' '|')"; fi
"$U" hit 7 >$OUT 2>&1
expect usdt_semaphore_clear_untraced "enabled=0"
# a provider glob matches the target's providers
kt -n 'ktest*:::hit { n++; } END { printf("n=%d\n", n); }' -c "$U hit 4"
expect usdt_provider_glob "n=4"
# probes written in a .d provider file, compiled from the header of ktrace -h
kt -n 'ktgen$target:::start { n++; s += arg1; } ktgen$target:::start /arg1 == 3/ { printf("%s\n", copyinstr(arg0)); } ktgen$target:::query-done /arg0 == 6/ { printf("%d %d %d %s\n", arg0, arg1, arg2, probefunc); } ktgen$target:::tick { t++; } END { printf("n=%d s=%d t=%d\n", n, s, t); }' -c "$G 10"
if grep -qx "gen" $OUT && grep -qx "6 6000 206 step" $OUT && grep -qx "n=10 s=45 t=10" $OUT; then
	ktap_ok usdt_generated_header_probes
else ktap_fail usdt_generated_header_probes "$(head -c 300 $OUT | tr '\n' '|')"; fi
expect usdt_generated_header_enabled_while_traced "enabled=10"
"$G" 10 >$OUT 2>&1
expect usdt_generated_header_disabled_untraced "enabled=0"
# -l lists the probes of the path form
ktrace -l -n "usdt:$U:ktest:" >$OUT 2>&1
n=$(grep -Ec '^ *[0-9]+ +ktest +usdt_app +(work +(hit|query-start)|ops +ops)$' $OUT)
[ "$n" = 3 ] && [ "$(grep -c ktest $OUT)" = 3 ] && ktap_ok usdt_list_path ||
	ktap_fail usdt_list_path "$(head -c 400 $OUT | tr '\n' '|')"

# usdt:PATH:PROVIDER:NAME: processes started after the session began,
# their semaphores set; END after SIGTERM
ktrace -q -n "BEGIN { printf(\"go\\n\"); } usdt:$U:ktest:hit { n++; } usdt:$U:ktest:query-start { q++; } END { printf(\"n=%d q=%d\\n\", n, q); }" >$OUT 2>&1 &
k=$!
if wait_for $OUT go; then
	"$U" hit 6 >$OUT.app 2>&1
	"$U" hit 6 >>$OUT.app 2>&1
	kill -TERM $k
	wait $k
	if grep -qx "n=12 q=12" $OUT && [ "$(grep -cx enabled=6 $OUT.app)" = 2 ]; then
		ktap_ok usdt_path_later_processes
	else ktap_fail usdt_path_later_processes "$(head -c 200 $OUT | tr '\n' '|') app: $(tr '\n' '|' <$OUT.app)"; fi
else
	kill -9 $k; wait $k
	ktap_fail usdt_path_later_processes "ktrace did not start: $(head -c 300 $OUT | tr '\n' '|')"
fi

# -p: the semaphore of a running process goes up when the session starts,
# back to 0 when the consumer ends normally, and when it is killed (SIGKILL)
"$U" watch 120000 >$OUT.w 2>&1 &
w=$!
wait_for $OUT.w ready
for how in TERM KILL; do
	before=$(grep -c '^sem=1$' $OUT.w)
	ktrace -q -p $w -n 'BEGIN { printf("go\n"); } ktest$target:::query-start { }' >$OUT 2>&1 &
	k=$!
	ok=0
	if wait_for $OUT go; then
		i=0
		while [ "$(grep -c '^sem=1$' $OUT.w)" = "$before" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
		kill -$how $k
		wait $k 2>/dev/null
		i=0
		while [ "$(tail -n1 $OUT.w)" != "sem=0" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
		[ "$(grep -c '^sem=1$' $OUT.w)" = $((before + 1)) ] && [ "$(tail -n1 $OUT.w)" = "sem=0" ] && ok=1
	else
		kill -9 $k; wait $k
	fi
	name=$(echo $how | tr A-Z a-z)
	[ $ok = 1 ] && ktap_ok usdt_semaphore_restored_on_$name ||
		ktap_fail usdt_semaphore_restored_on_$name "app: $(tr '\n' '|' <$OUT.w) ktrace: $(head -c 200 $OUT | tr '\n' '|')"
done
kill -TERM $w; wait $w
# the process still runs its probes untraced: no breakpoint left behind
"$U" hit 3 >$OUT 2>&1 && expect usdt_untraced_after_sessions "enabled=0" ||
	ktap_fail usdt_untraced_after_sessions "exit $?: $(head -c 200 $OUT)"
rm -f $OUT $OUT.app $OUT.w
ktap_finished
