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
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./ustack_fp ] && [ -f ./libustack_fp.so ] || ktap_skip_all "ustack_fp helper missing"

P=$(pwd)
OUT=/tmp/ustack.$$
DEL=/tmp/ustack-del.$$
ktap_plan 7

kt() { ktrace -q "$@" >$OUT 2>&1; }
# the output on one line, each line trimmed, '|' between lines
flat() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//' $OUT | tr '\n' '|'; }
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
for want in "libustack_fp\.so\`ust_lib_b" "ustack_fp\`ust_b" "libustack_fp\.so" "ustack_fp" \
	"libustack_fp\.so\`ust_lib_b$O" "ustack_fp\`ust_b$O"; do
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

# job control still reaches the command (ktrace follows it with ptrace):
# stopped by its own SIGSTOP, it stays stopped until a SIGCONT, then runs on
printf '#!/bin/sh\necho $$ >%s/pid\nkill -STOP $$\nexec %s/ustack_fp 3\n' $DEL "$P" >$DEL/stop.sh
chmod +x $DEL/stop.sh
kt -n 'syscall::getppid:entry /pid == $target/ { n++; } END { printf("n=%d\n", n); }' -c "$DEL/stop.sh" &
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
[Tt][Tt]) expect_flat ustack_target_job_control "\|done 3\|n=3\|" ;;
*) ktap_fail ustack_target_job_control "the command was not seen stopped (states '$st' '$st2'): $(flat | head -c 300)" ;;
esac
rm -rf $DEL
rm -f $OUT
ktap_finished
