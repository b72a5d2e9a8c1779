#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ustack() and the user symbol keys (usym, uaddr, ufunc, umod) of a -c
# target that has exited before its aggregations are printed, on the
# workloads of ustack_app.c: a PIE executable built with frame pointers
# whose call chain ust_a -> ust_b -> ust_c ends in a getppid(2), and the
# same chain ust_lib_* in a shared library it loads (mapped only after the
# command's exec, when ktrace starts it).  Every expected frame is exact:
# module and function, in order, with the count of the rounds made.  The
# command runs its rounds and exits; the session ends with it and prints.
# Then the same for a -p process (followed with ptrace, released when
# ktrace ends first, or traced as before when another tracer has it), and
# ustackmode=dwarf: the chains without frame pointers, and ucaller and
# ustackdepth derived from the same unwinding.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./ustack_fp ] && [ -f ./libustack_fp.so ] || ktap_skip_all "ustack_fp helper missing"

P=$(pwd)
OUT=/tmp/ustack.$$
DEL=/tmp/ustack-del.$$
ktap_plan 25

kt() { ktrace -q "$@" >$OUT 2>&1; }
# the output on one line, each line trimmed, empty ones dropped, '|' around lines
flat() { printf '|'; sed 's/^[[:space:]]*//; s/[[:space:]]*$//; /^$/d' $OUT | tr '\n' '|'; }
expect_flat() {	# NAME ERE: the flattened output matches ERE
	if flat | grep -Eq "$2"; then ktap_ok "$1"
	else ktap_fail "$1" "wanted /$2/, got: $(flat | head -c 600)"; fi
}
O='\+0x[0-9a-f]+'	# a frame's offset in its function

STACKS='syscall::getppid:entry /pid == $target/ { @[ustack(4)] = count(); }'

# the executable's chain: PIE, frames in order, the count of rounds
kt -n "$STACKS" -c "$P/ustack_fp 5"
expect_flat ustack_exe_chain_after_exit "\|ustack_fp\`ust_c$O\|ustack_fp\`ust_b$O\|ustack_fp\`ust_a$O\|ustack_fp\`main$O\|5\|"
# the library's chain: mapped after the exec, resolved after the exit
expect_flat ustack_library_chain_after_exit "\|libustack_fp\.so\`ust_lib_c$O\|libustack_fp\.so\`ust_lib_b$O\|libustack_fp\.so\`ust_lib_a$O\|ustack_fp\`main$O\|5\|"
# the command ran as without ktrace
expect_flat ustack_target_output_unchanged "\|done 5\|"

# usym, uaddr, ufunc and umod keys of the caller (in the library and in
# the executable), printed after the exit
kt -n 'syscall::getppid:entry /pid == $target/ { @f[ufunc(ucaller)] = count(); @m[umod(ucaller)] = count();
	@s[usym(ucaller)] = count(); @a[uaddr(ucaller)] = count(); }' -c "$P/ustack_fp 3"
ok=1
# (a key of usym, ufunc or uaddr is the function, as in DTrace)
for want in "libustack_fp\.so\`ust_lib_b" "ustack_fp\`ust_b" "libustack_fp\.so" "ustack_fp"; do
	flat | grep -Eq "\|$want[[:space:]]+3\|" || ok=0
done
# four aggregations of two keys each, every one resolved
[ $ok = 1 ] && [ "$(grep -Ec '^[[:space:]]*(libustack_fp\.so|ustack_fp)([`[:space:]]|$)' $OUT)" = 8 ] &&
	ktap_ok ufunc_umod_usym_uaddr_keys_after_exit ||
	ktap_fail ufunc_umod_usym_uaddr_keys_after_exit "$(flat | head -c 600)"

# a deleted executable (the command unlinks itself first): its symbols are
# read through the process while it lives, its name without " (deleted)"
rm -rf $DEL && mkdir -p $DEL && cp "$P/ustack_fp" "$P/libustack_fp.so" $DEL/
kt -n "$STACKS" -c "$DEL/ustack_fp 4 unlink"
if [ -e $DEL/ustack_fp ]; then ktap_fail ustack_deleted_executable "the command did not unlink itself: $(flat | head -c 300)"
else expect_flat ustack_deleted_executable "\|ustack_fp\`ust_c$O\|ustack_fp\`ust_b$O\|ustack_fp\`ust_a$O\|ustack_fp\`main$O\|4\|"; fi
rm -rf $DEL

# the target execs twice (a script, whose shell execs the program): the
# last image's symbols, after the exit
rm -rf $DEL && mkdir -p $DEL
printf '#!/bin/sh\nexec %s/ustack_fp 2\n' "$P" >$DEL/run.sh
chmod +x $DEL/run.sh
kt -n "$STACKS" -c "$DEL/run.sh"
expect_flat ustack_after_exec "\|libustack_fp\.so\`ust_lib_c$O\|libustack_fp\.so\`ust_lib_b$O\|libustack_fp\.so\`ust_lib_a$O\|ustack_fp\`main$O\|2\|"

# job control still reaches the command (ktrace follows it with ptrace, as
# the program shows user stacks):
# stopped by its own SIGSTOP, it stays stopped until a SIGCONT, then runs on
printf '#!/bin/sh\necho $$ >%s/pid\nkill -STOP $$\nexec %s/ustack_fp 3\n' $DEL "$P" >$DEL/stop.sh
chmod +x $DEL/stop.sh
kt -n 'syscall::getppid:entry /pid == $target && execname == "ustack_fp"/ { n++; @[ustack(1)] = count(); }
	END { printf("n=%d\n", n); }' \
	-c "$DEL/stop.sh" &
k=$!
state() { sed -n 's/^State:[[:space:]]*\([A-Za-z]\).*/\1/p' /proc/$1/status 2>/dev/null; }
i=0
c=
st=
while [ $i -lt 200 ]; do
	[ -z "$c" ] && c=$(cat $DEL/pid 2>/dev/null)
	[ -n "$c" ] && st=$(state $c)
	case "$st" in T|t) break ;; esac
	i=$((i + 1))
	sleep 0.1
done
st2=
if [ -n "$c" ]; then
	sleep 1
	st2=$(state $c)
	kill -CONT $c
fi
wait $k
case "$st$st2" in
[Tt][Tt]) expect_flat ustack_target_job_control "\|done 3\|n=6\|" ;;	# 2 getppid a round
*) ktap_fail ustack_target_job_control "the command was not seen stopped (states '$st' '$st2'): $(flat | head -c 300)" ;;
esac
rm -rf $DEL

# -p: a running process (an executable it has deleted, read through the
# process only) is followed with ptrace while the program shows user
# addresses: its mappings and symbols are read at its exit stop, and the
# stacks print after it has gone
line_in() {	# FILE LINE: up to 60 s for LINE in FILE
	i=0
	while ! grep -qx "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}
tracer() { sed -n 's/^TracerPid:[[:space:]]*//p' /proc/$1/status 2>/dev/null; }
GO='BEGIN { printf("go\n"); } '
rm -rf $DEL && mkdir -p $DEL && cp "$P/ustack_fp" "$P/libustack_fp.so" $DEL/
rm -f $OUT	# (each file waited for is new: a redirection truncates it only once the job runs)
$DEL/ustack_fp 4 unlink wait $DEL/go >$DEL/app 2>&1 &
w=$!
line_in $DEL/app ready
ktrace -q -x aggrate=1h -n "$GO$STACKS" -p $w >$OUT 2>&1 &
k=$!
if line_in $OUT go; then
	t=$(tracer $w)
	touch $DEL/go
	wait $w; rc=$?
	wait $k
	if [ "$t" = "$k" ] && [ $rc = 0 ] && grep -qx 'done 4' $DEL/app &&
	   flat | grep -Eq "\|ustack_fp\`ust_c$O\|ustack_fp\`ust_b$O\|ustack_fp\`ust_a$O\|ustack_fp\`main$O\|4\|"; then
		ktap_ok ustack_pid_target_after_exit
	else ktap_fail ustack_pid_target_after_exit "TracerPid '$t' (ktrace $k), target rc $rc $(tr '\n' '|' <$DEL/app): $(flat | head -c 600)"; fi
else
	kill -9 $k $w; wait $k; wait $w
	ktap_fail ustack_pid_target_after_exit "ktrace did not start: $(flat | head -c 300)"
fi

# a library the -p process loads after ktrace has read its mappings, in
# dwarf mode: its samples, unwound after the exit, reach main
rm -f $DEL/go $DEL/app $OUT
"$P/ustack_fp" 3 wait $DEL/go dlopen "$P/libustack_nofp.so" >$DEL/app 2>&1 &
w=$!
line_in $DEL/app ready
ktrace -q -x ustackmode=dwarf -x aggrate=1h -n "$GO$STACKS" -p $w >$OUT 2>&1 &
k=$!
if line_in $OUT go; then
	touch $DEL/go
	wait $w; rc=$?
	wait $k
	if [ $rc = 0 ] && grep -qx 'done 3' $DEL/app &&
	   flat | grep -Eq "\|libustack_nofp\.so\`ust_lib_c$O\|libustack_nofp\.so\`ust_lib_b$O\|libustack_nofp\.so\`ust_lib_a$O\|ustack_fp\`main$O\|3\|"; then
		ktap_ok ustack_pid_target_late_library_after_exit
	else ktap_fail ustack_pid_target_late_library_after_exit "target rc $rc $(tr '\n' '|' <$DEL/app): $(flat | head -c 600)"; fi
else
	kill -9 $k $w; wait $k; wait $w
	ktap_fail ustack_pid_target_late_library_after_exit "ktrace did not start: $(flat | head -c 300)"
fi

# ktrace ending first (SIGINT) leaves the -p target untraced and running
rm -f $DEL/go $DEL/app $OUT
"$P/ustack_fp" 2 wait $DEL/go >$DEL/app 2>&1 &
w=$!
line_in $DEL/app ready
ktrace -q -n "$GO$STACKS" -p $w >$OUT 2>&1 &
k=$!
if line_in $OUT go; then
	t=$(tracer $w)
	kill -INT $k
	wait $k
	t2=$(tracer $w)
	st=$(state $w)
	touch $DEL/go
	wait $w; rc=$?
	# not stopped (T, t) after the detach: sleeping in its wait, or running
	if [ "$t" = "$k" ] && [ "$t2" = 0 ] && { [ "$st" = S ] || [ "$st" = R ]; } && [ $rc = 0 ] &&
	   grep -qx 'done 2' $DEL/app; then
		ktap_ok ustack_pid_target_released
	else ktap_fail ustack_pid_target_released "TracerPid '$t' (ktrace $k) then '$t2', state '$st', rc $rc: $(tr '\n' '|' <$DEL/app)"; fi
else
	kill -9 $k $w; wait $k; wait $w
	ktap_fail ustack_pid_target_released "ktrace did not start: $(flat | head -c 300)"
fi

# a -p target another tracer follows: ktrace says (-v) it cannot follow it,
# traces it as before, and ends when it exits
rm -f $DEL/go $DEL/app $OUT
"$P/ustack_fp" 3 wait $DEL/go >$DEL/app 2>&1 &
w=$!
line_in $DEL/app ready
"$P/ustack_fp" trace $w >$DEL/tracer 2>&1 &
h=$!
line_in $DEL/tracer tracing
ktrace -q -v -x aggrate=1h -n "$GO$STACKS" -p $w >$OUT 2>&1 &
k=$!
if line_in $OUT go; then
	touch $DEL/go
	wait $w; rc=$?
	wait $h
	wait $k; krc=$?
	if [ $rc = 0 ] && [ $krc = 0 ] && grep -qx 'done 3' $DEL/app &&
	   grep -q "pid $w is not followed with ptrace (Operation not permitted)" $OUT &&
	   flat | grep -Eq "\|libustack_fp\.so\`ust_lib_c$O\|libustack_fp\.so\`ust_lib_b$O\|libustack_fp\.so\`ust_lib_a$O\|ustack_fp\`main$O\|3\|" &&
	   flat | grep -Eq "\|ustack_fp\`ust_c$O\|ustack_fp\`ust_b$O\|ustack_fp\`ust_a$O\|ustack_fp\`main$O\|3\|"; then
		ktap_ok ustack_pid_target_traced_by_another
	else ktap_fail ustack_pid_target_traced_by_another "rc $rc ktrace $krc: $(flat | head -c 600)"; fi
else
	kill -9 $k $w $h; wait $k; wait $w; wait $h
	ktap_fail ustack_pid_target_traced_by_another "ktrace did not start: $(flat | head -c 300)"
fi
rm -rf $DEL

# ustackmode=dwarf: the same chains in the build without frame pointers,
# unwound by the consumer from .eh_frame; aggregation keys of samples with
# the same frames are one key (the count is the rounds')
[ -x ./ustack_nofp ] && [ -f ./libustack_nofp.so ] || { ktap_fail ustack_dwarf_helpers "ustack_nofp missing"; ktap_finished; }
kt -x ustackmode=dwarf -n "$STACKS" -c "$P/ustack_nofp 5"
expect_flat ustack_dwarf_exe_chain_without_frame_pointers "\|ustack_nofp\`ust_c$O\|ustack_nofp\`ust_b$O\|ustack_nofp\`ust_a$O\|ustack_nofp\`main$O\|5\|"
expect_flat ustack_dwarf_library_chain_without_frame_pointers "\|libustack_nofp\.so\`ust_lib_c$O\|libustack_nofp\.so\`ust_lib_b$O\|libustack_nofp\.so\`ust_lib_a$O\|ustack_nofp\`main$O\|5\|"
# where there are frame pointers, dwarf gives the same frames
kt -x ustackmode=dwarf -n "$STACKS" -c "$P/ustack_fp 3"
expect_flat ustack_dwarf_frame_pointer_build "\|ustack_fp\`ust_c$O\|ustack_fp\`ust_b$O\|ustack_fp\`ust_a$O\|ustack_fp\`main$O\|3\|"
# ustack() as an action, printed as the records come: on through libc to _start
kt -x ustackmode=dwarf -n 'syscall::getppid:entry /pid == $target/ { ustack(); }' -c "$P/ustack_nofp 1"
expect_flat ustack_dwarf_action_to_start "\|ustack_nofp\`ust_c$O\|ustack_nofp\`ust_b$O\|ustack_nofp\`ust_a$O\|ustack_nofp\`main$O\|libc\.so\.6\`[^|]+\|(libc\.so\.6\`[^|]+\|)*ustack_nofp\`_start$O\|"
# ustack(n) and ustacksize bound the frames: 64 bytes reach main, not its caller
kt -x ustackmode=dwarf -x ustacksize=64 -n 'syscall::getppid:entry /pid == $target/ { ustack(); }' -c "$P/ustack_nofp 1"
if flat | grep -Eq "\|ustack_nofp\`ust_c$O\|ustack_nofp\`ust_b$O\|ustack_nofp\`ust_a$O\|" && ! flat | grep -q '_start'; then
	ktap_ok ustack_dwarf_ustacksize_bounds_the_copy
else ktap_fail ustack_dwarf_ustacksize_bounds_the_copy "$(flat | head -c 600)"; fi
kt -x ustackmode=dwarf -x ustacksize=8192 -n 'syscall::getppid:entry /pid == $target/ { ustack(2); }' -c "$P/ustack_nofp 1"
expect_flat ustack_dwarf_ustacksize_at_limit "\|ustack_nofp\`ust_c$O\|ustack_nofp\`ust_b$O\|libustack_nofp\.so\`ust_lib_c$O\|libustack_nofp\.so\`ust_lib_b$O\|"
ktrace -q -x ustackmode=dwarf -x ustacksize=8193 -n 'BEGIN { exit(0); }' >$OUT 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'ustacksize.*8193 is not in 64\.\.8192' $OUT; then ktap_ok ustack_dwarf_ustacksize_over_limit_refused
else ktap_fail ustack_dwarf_ustacksize_over_limit_refused "rc $rc: $(flat | head -c 300)"; fi
ktrace -q -x ustackmode=frames -n 'BEGIN { exit(0); }' >$OUT 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'ustackmode' $OUT; then ktap_ok ustackmode_bad_value_refused
else ktap_fail ustackmode_bad_value_refused "rc $rc: $(flat | head -c 300)"; fi
# a -c command that has exited: its samples were unwound while it lived or
# from what was read at its exit stop (aggregations are printed after it)
kt -x ustackmode=dwarf -x aggrate=1h -n "$STACKS" -c "$P/ustack_nofp 2"
expect_flat ustack_dwarf_unwound_after_exit "\|libustack_nofp\.so\`ust_lib_c$O\|libustack_nofp\.so\`ust_lib_b$O\|libustack_nofp\.so\`ust_lib_a$O\|ustack_nofp\`main$O\|2\|"
# ucaller and ustackdepth in dwarf mode come from the same unwinding as
# ustack(): the caller of the chain's last function, whose frame pointer
# is not there (ust_b, ust_lib_b), and the frames ustack() shows
kt -x ustackmode=dwarf -x aggrate=1h -n 'syscall::getppid:entry /pid == $target/ {
	@f[ufunc(ucaller)] = count(); @m[umod(ucaller)] = count(); }' -c "$P/ustack_nofp 3"
if flat | grep -Eq "\|ustack_nofp\`ust_b[[:space:]]+3\|" && flat | grep -Eq "\|libustack_nofp\.so\`ust_lib_b[[:space:]]+3\|" &&
   flat | grep -Eq "\|ustack_nofp[[:space:]]+3\|" && flat | grep -Eq "\|libustack_nofp\.so[[:space:]]+3\|" &&
   [ "$(grep -c . $OUT)" = 5 ]; then	# "done 3" and four keys
	ktap_ok ustack_dwarf_ucaller_keys_without_frame_pointers
else ktap_fail ustack_dwarf_ucaller_keys_without_frame_pointers "$(flat | head -c 600)"; fi
kt -x ustackmode=dwarf -n 'syscall::getppid:entry /pid == $target/ { printf("%A %d\n", ucaller, ustackdepth); ustack(); }' -c "$P/ustack_nofp 2"
# each record: the caller, the depth, then as many frames (ust_c/ust_lib_c first)
chk=$(awk '/^(libustack_nofp\.so|ustack_nofp)`ust_(lib_)?b\+0x[0-9a-f]+ [0-9]+$/ {
		if (d != "" && n != d) bad = 1; d = $2; n = 0; recs++; next }
	/^[[:space:]]+[^[:space:]]+`/ { n++; if (n == 1 && $1 !~ /`ust_(lib_)?c\+/) bad = 1; next }
	END { if (n != d || d < 5) bad = 1; print (bad ? "bad" : "ok") " " recs }' $OUT)
if [ "$chk" = "ok 4" ] && flat | grep -q '_start+0x'; then ktap_ok ustack_dwarf_ucaller_ustackdepth_match_ustack
else ktap_fail ustack_dwarf_ucaller_ustackdepth_match_ustack "$chk: $(flat | head -c 800)"; fi
# in the probe they are not known: a predicate or an expression is refused
ktrace -q -x ustackmode=dwarf -n 'syscall::getppid:entry /ustackdepth > 3/ { @ = count(); }' -c "$P/ustack_nofp 1" >$OUT 2>&1
rc=$?
if [ $rc != 0 ] && grep -q 'ustackdepth with ustackmode=dwarf is derived by ktrace from a stack sample' $OUT && ! grep -q 'done 1' $OUT
then ktap_ok ustack_dwarf_ustackdepth_in_predicate_refused
else ktap_fail ustack_dwarf_ustackdepth_in_predicate_refused "rc $rc: $(flat | head -c 300)"; fi
# fp mode: ustackdepth counts at most ustackframes, which maxframes caps
# (both chains are ust_*c, b, a, main and libc's start: 5 frames or more)
D='syscall::getppid:entry /pid == $target/ { printf("depth %d\n", ustackdepth); }'
kt -n "$D" -c "$P/ustack_fp 2"
full=$(awk '$1 == "depth" { print $2 }' $OUT | sort -un | tr '\n' ' ')
kt -x maxframes=3 -n "$D" -c "$P/ustack_fp 2"
capped=$(awk '$1 == "depth" { print $2 }' $OUT | sort -un | tr '\n' ' ')
if [ -n "$full" ] && [ "${full%% *}" -ge 5 ] && [ "$capped" = "3 " ]; then ktap_ok ustack_ustackdepth_capped_by_maxframes
else ktap_fail ustack_ustackdepth_capped_by_maxframes "full '$full', maxframes=3 '$capped'"; fi
# -x noresolve: the same chains as MODULE:0xOFFSET, no symbol; each offset
# lies inside its object (below its file size)
kt -x noresolve -n "$STACKS" -c "$P/ustack_fp 5"
exe=$(wc -c <"$P/ustack_fp") lib=$(wc -c <"$P/libustack_fp.so")
e=0 l=0 bad=
grep -q '`' $OUT && bad="a resolved frame"
for f in $(awk '$1 ~ /^(ustack_fp|libustack_fp\.so):0x[0-9a-f]+$/ { print $1 }' $OUT); do
	off=$((${f#*:}))
	case $f in
	ustack_fp:*) e=$((e + 1)); [ "$off" -lt "$exe" ] || bad="$bad $f beyond $exe" ;;
	*) l=$((l + 1)); [ "$off" -lt "$lib" ] || bad="$bad $f beyond $lib" ;;
	esac
done
# the exe chain's 4 frames and the library chain's main; the library's 3
if [ -z "$bad" ] && [ $e = 5 ] && [ $l = 3 ] && [ "$(grep -cx '[[:space:]]*5' $OUT)" = 2 ]; then
	ktap_ok ustack_noresolve_module_offsets
else ktap_fail ustack_noresolve_module_offsets "exe $e lib $l $bad: $(flat | head -c 600)"; fi
rm -f $OUT
ktap_finished
