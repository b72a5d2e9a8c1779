#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# print(P) of a pointer to a kernel struct shows the object member by
# member, typed from BTF, as dtrace(1) does: "ADDR = *", then the struct
# indented past the probe columns.  The values are the workload's: cat
# run with RLIMIT_NOFILE 77 soft, 99 hard opens a path the predicate
# picks; there its task's struct rlimit for RLIMIT_NOFILE (7) holds 77 and
# 99, and its task_struct holds its pid and the comm "cat".
#  - the text, exactly (the address is the one %x prints of the pointer);
#  - -x printsize=8: rlim_max (bytes 8..15) is past it: "..." in its place;
#  - print(S) of the struct value (rlim[7]): the same, without the address;
#  - -x format=json: the object as a JSON value, members by name;
#  - print(curthread): its pid and comm among the members, the object cut
#    at the default printsize (8192 bytes: task_struct is larger).
# Runs in the guest (needs /dev/ktrace).
. "$(dirname "$0")/common.sh"

# the workload: cat with RLIMIT_NOFILE 77/99 opening a path that does not exist
cat >"$tmp/work.sh" <<'EOF'
ulimit -S -n 77
ulimit -H -n 99
exec cat /ktrace-print-nofile
EOF
pred='syscall::openat:entry /pid == $target && copyinstr(arg1) == "/ktrace-print-nofile"/'

run() {	# PROGRAM [ARGS...]: stdout in $tmp/out, stderr in $tmp/err, status in $rc
	p=$1; shift
	timeout 120 "$ktrace" -q -n "$p" "$@" -c "sh $tmp/work.sh" >"$tmp/out" 2>"$tmp/err" \
		</dev/null
	rc=$?
}
# NAME: $tmp/out equals $tmp/want (ktrace succeeded)
check_out() {
	if [ $rc = 0 ] && cmp -s "$tmp/want" "$tmp/out"; then
		ktap_ok "$1"
	else
		ktap_fail "$1" "exit $rc; $(diff "$tmp/want" "$tmp/out" | head -n 12 | tr '\n' '|') $(head -n3 "$tmp/err" | tr '\n' ' ')"
	fi
}
ind=$(printf '%44s' '')

ktap_plan 5

run "$pred { printf(\"%x\n\", (uint64_t)&curthread->signal->rlim[7]);
	print(&curthread->signal->rlim[7]); exit(0); }"
addr=$(head -n1 "$tmp/out")
{
	echo "$addr"
	echo "0x$addr = *"
	echo "$ind(struct rlimit) {"
	echo "$ind .rlim_cur = (__kernel_ulong_t)77,"
	echo "$ind .rlim_max = (__kernel_ulong_t)99,"
	echo "$ind}"
	echo
} >"$tmp/want"
check_out print_kernel_struct_members

run "$pred { printf(\"%x\n\", (uint64_t)&curthread->signal->rlim[7]);
	print(&curthread->signal->rlim[7]); exit(0); }" -x printsize=8
addr=$(head -n1 "$tmp/out")
{
	echo "$addr"
	echo "0x$addr = *"
	echo "$ind(struct rlimit) {"
	echo "$ind .rlim_cur = (__kernel_ulong_t)77,"
	echo "$ind ..."
	echo "$ind}"
	echo
} >"$tmp/want"
check_out print_printsize_cuts_the_object

# print(S) of a struct value: no address, the same members
run "$pred { print(curthread->signal->rlim[7]); exit(0); }"
{
	echo "$ind(struct rlimit) {"
	echo "$ind .rlim_cur = (__kernel_ulong_t)77,"
	echo "$ind .rlim_max = (__kernel_ulong_t)99,"
	echo "$ind}"
	echo
} >"$tmp/want"
check_out print_kernel_struct_value

run "$pred { print(&curthread->signal->rlim[7]); exit(0); }" -x format=json
got=$(grep -o '{"action":"print","address":[0-9]*,"type":"struct rlimit","value":{[^}]*}}' "$tmp/out")
want='"value":{"rlim_cur":77,"rlim_max":99}}'
case "$rc:$got" in
0:*"$want") ktap_ok print_json_value ;;
*) ktap_fail print_json_value "exit $rc, got '$(head -c 400 "$tmp/out")', want ...$want" ;;
esac

# print(curthread): the workload's pid and comm, and task_struct cut at 8192 bytes
run "$pred { printf(\"pid %d\n\", pid); print(curthread); exit(0); }"
pid=$(sed -n 's/^pid \([0-9]*\)$/\1/p' "$tmp/out")
comm=$(grep -A4 -E "^$ind +\.comm = \(char \[16\]\) \[\$" "$tmp/out" | tr -d ' \n')
if [ $rc = 0 ] && [ -n "$pid" ] &&
   grep -Eqx "$ind +\.pid = \(pid_t\)$pid," "$tmp/out" &&
   [ "$comm" = ".comm=(char[16])[(char)'c',(char)'a',(char)'t',]," ] &&
   grep -q "^$ind *\.\.\.\$" "$tmp/out" && [ "$(tail -n2 "$tmp/out" | head -n1)" = "$ind}" ]; then
	ktap_ok print_task_struct_pid_and_comm
else
	ktap_fail print_task_struct_pid_and_comm "exit $rc, pid '$pid', comm '$comm'; $(grep -m3 -e '\.pid = ' -e '\.\.\.' "$tmp/out" | tr '\n' '|') $(head -n3 "$tmp/err" | tr '\n' ' ')"
fi
ktap_finished
