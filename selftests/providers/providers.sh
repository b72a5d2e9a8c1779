#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Provider selftests through the CLI: each probe fires the expected number
# of times for a deterministic workload (./workload), with the right
# arguments, and enabling/disabling leaves no kprobe, uprobe or ftrace
# registration behind, also when the consumer is killed with SIGKILL.
cd "$(dirname "$0")" || exit 1
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"

TR=/sys/kernel/tracing
KPL=/sys/kernel/debug/kprobes/list
[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
[ -f $KPL ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
W=$(pwd)/workload
WD=$(pwd)/workload-dyn
OUT=/tmp/providers.$$
ktap_plan 42

kt() { ktrace -q "$@" >$OUT 2>&1; }
# expect NAME PATTERN: the output has a line equal to PATTERN
expect() {
	if grep -qx "$2" $OUT; then ktap_ok "$1"; else ktap_fail "$1" "wanted '$2', got: $(head -c 300 $OUT | tr '\n' '|')"; fi
}
clean_state() {	# no registration of ours left behind
	[ ! -s $KPL ] || ! grep -q . $KPL || return 1
	[ ! -f $TR/uprobe_events ] || ! grep -q . $TR/uprobe_events || return 1
	[ ! -f $TR/enabled_functions ] || ! grep -q . $TR/enabled_functions || return 1
	return 0
}

# syscall: 100 reads + 1 failing read(-1)
kt -n 'syscall::read:entry /pid == $target/ { n++; } END { printf("n=%d\n", n); }' -c "$W read 100"
expect syscall_entry_count "n=101"
kt -n 'syscall::read:entry /pid == $target && arg0 != 4294967295/ { @c[arg2] = count(); } syscall::read:entry /pid == $target && (int)arg0 == -1/ { printf("badfd len=%d\n", arg2); }' -c "$W read 100"
expect syscall_entry_args "badfd len=1"
kt -n 'syscall::read:return /pid == $target && errno == 9/ { printf("ret=%d errno=%d\n", (int)arg1, errno); } syscall::read:return /pid == $target && arg1 == 7/ { n++; } END { printf("n=%d\n", n); }' -c "$W read 100"
expect syscall_return_errno "ret=-9 errno=9"
expect syscall_return_count "n=100"

# fbt
kt -n 'fbt:vmlinux:vfs_read:entry /pid == $target/ { n++; } END { printf("n=%d\n", n); }' -c "$W read 100"
expect fbt_entry_count "n=100"
kt -n 'fbt:vmlinux:vfs_read:entry /pid == $target && arg2 == 7/ { n++; } END { printf("n=%d\n", n); }' -c "$W read 50"
expect fbt_entry_args "n=50"
kt -n 'fbt:vmlinux:vfs_read:return /pid == $target && arg1 == 7/ { n++; } END { printf("n=%d\n", n); }' -c "$W read 100"
expect fbt_return_value "n=100"
n=$(ktrace -l -n 'fbt::vfs_read*:entry' 2>/dev/null | grep -c 'vfs_read')
w=$(grep -c '^vfs_read' $TR/available_filter_functions)
[ "$n" -ge 1 ] && [ "$n" -le "$w" ] && ktap_ok fbt_wildcard_listing || ktap_fail fbt_wildcard_listing "listed $n, available $w"
# a listing with a description shows the ids the probes have when enabled
id=$(ktrace -l -n 'fbt::vfs_read:entry' 2>/dev/null | awk '$2 == "fbt" && $4 == "vfs_read" { print $1 }')
ktrace -n 'fbt::vfs_read:entry /pid == $target/ { exit(0); }' -c "$W read 5" >$OUT 2>&1
got=$(awk '$3 == "vfs_read:entry" { print $2; exit }' $OUT)
[ -n "$id" ] && [ "$id" -gt 0 ] && [ "$id" = "$got" ] && ktap_ok fbt_listing_shows_ids ||
	ktap_fail fbt_listing_shows_ids "listed id '$id', enabled id '$got'"
# -i ID: dtrace(1)'s probe identifier, that probe's description (+ a clause)
kt -i "${id:-0}"'/pid == $target/ { n++; f = strjoin(probefunc, strjoin(":", probename)); } END { printf("%s n=%d\n", f, n); }' -c "$W read 40"
expect cli_i_enables_probe_by_id "vfs_read:entry n=40"
ktrace -l -i "${id:-0}" >$OUT 2>&1
[ "$(awk 'NR > 1 { print $1, $2, $4, $5 }' $OUT)" = "$id fbt vfs_read entry" ] && ktap_ok cli_i_lists_probe_by_id ||
	ktap_fail cli_i_lists_probe_by_id "$(head -c 300 $OUT | tr '\n' '|')"
kt -i '1{ printf("begin\n"); exit(0); }'
expect cli_i_1_is_begin "begin"
# id 0 and an id no probe has: exit 1, nothing enabled
ktrace -i 0 >$OUT 2>&1; r0=$?
ktrace -i 4294967295 >>$OUT 2>&1; r1=$?
[ $r0 = 1 ] && [ $r1 = 1 ] && grep -q '^ktrace: invalid probe specifier 0: invalid probe identifier 0: Unknown probe identifier$' $OUT &&
	grep -q 'invalid probe identifier 4294967295: Unknown probe identifier$' $OUT && ktap_ok cli_i_bad_ids_rejected ||
	ktap_fail cli_i_bad_ids_rejected "status $r0 $r1: $(head -c 300 $OUT | tr '\n' '|')"

# fbt return: the return value is arg1 (DTrace), the stack starts at the function
kt -n 'fbt:vmlinux:vfs_read:return /pid == $target && arg1 == 7/ { printf("depth=%d\n", stackdepth); stack(); exit(0); }' -c "$W read 5"
# stack(): real frames from the probed function down to the syscall entry, and
# stackdepth agrees with the frames stack() prints (default stackframes=20)
stack_ok() {	# FIRST-REGEX [LAST-REGEX]: N frames after "depth=N", first/last match
	d=$(sed -n 's/^depth=//p' $OUT | head -n1)
	f=$(sed -n '/^depth=/,$p' $OUT | sed 1d | grep -c '^ *[a-zA-Z_].*')
	first=$(sed -n '/^depth=/,$p' $OUT | sed 1d | grep -m1 '^ *[a-zA-Z_]' | tr -d ' ')
	last=$(sed -n '/^depth=/,$p' $OUT | sed 1d | grep '^ *[a-zA-Z_]' | tail -n1 | tr -d ' ')
	[ -n "$d" ] && [ "$d" -ge 3 ] && [ "$d" -le 20 ] && [ "$f" -eq "$d" ] &&
		echo "$first" | grep -Eq "$1" &&
		echo "$last" | grep -Eq "^(${2:-entry_SYSCALL_64_after_hwframe})[+]"
}
if stack_ok '^vfs_read$' && sed -n '/^depth=/,$p' $OUT | grep -q '^ *ksys_read+0x'; then
	ktap_ok fbt_return_stack
else ktap_fail fbt_return_stack "$(head -c 400 $OUT | tr '\n' '|')"; fi
kt -n 'fbt:vmlinux:vfs_read:entry /pid == $target/ { printf("depth=%d\n", stackdepth); stack(); exit(0); }' -c "$W read 5"
if stack_ok '^vfs_read$' && grep -q '^ *ksys_read+0x' $OUT && grep -q '^ *do_syscall_64+0x' $OUT; then
	ktap_ok fbt_entry_stack
else ktap_fail fbt_entry_stack "$(head -c 400 $OUT | tr '\n' '|')"; fi
# syscall provider: its regs are the user's; the kernel stack is the current one
kt -n 'syscall::read:entry /pid == $target/ { printf("depth=%d\n", stackdepth); stack(); exit(0); }' -c "$W read 5"
if stack_ok '^(syscall_trace_enter|do_syscall_64)' && ! grep -q 'ktrace\]' $OUT; then
	ktap_ok syscall_kernel_stack
else ktap_fail syscall_kernel_stack "$(head -c 400 $OUT | tr '\n' '|')"; fi
# profile: a sample in the kernel part of a read loop unwinds to the kernel entry
# from user mode (the syscall, or a page fault or interrupt taken meanwhile)
kt -n 'profile:::profile-997 /pid == $target && arg0 != 0 && stackdepth > 2/ { printf("depth=%d\n", stackdepth); stack(); exit(0); }' -c "$W read 300000"
if stack_ok '.' 'entry_SYSCALL_64_after_hwframe|asm_exc_[a-z_]+|asm_sysvec_[a-z_]+|asm_common_interrupt'; then
	ktap_ok profile_kernel_stack
else ktap_fail profile_kernel_stack "$(head -c 400 $OUT | tr '\n' '|')"; fi
# profile: a sample that stopped user code has an empty kernel stack (DTrace),
# not the timer interrupt's own frames; its user stack is there
kt -n 'profile:::profile-997 /pid == $target && arg1 != 0/ { printf("depth=%d u=%d\n", stackdepth, ustackdepth > 0); exit(0); }' -c "$W spin 3000"
expect profile_user_sample_no_kernel_stack "depth=0 u=1"

# tracepoint: args->FIELD from the raw record
kt -n 'tracepoint:syscalls::sys_enter_read /pid == $target && args->count == 7/ { n++; } END { printf("n=%d\n", n); }' -c "$W read 100"
expect tracepoint_field_count "n=100"
# tracepoint: a __data_loc char[] field (offset | len << 16 in a u32) is the
# string it locates: the path the target (a script, traced from its start) exec'd
printf '#!/bin/sh\nexec %s read 1\n' "$W" >$OUT.sh && chmod +x $OUT.sh
kt -n 'tracepoint:sched:sched_process_exec /args->pid == $target/ { printf("exec=%s\n", stringof(args->filename)); exit(0); }' -c $OUT.sh
expect tracepoint_data_loc_string "exec=$W"

# profile: tick-100 for 1 s ~ 100 firings (TCG timing: allow 50..150)
kt -n 'profile:::tick-100 { n++; } tick-1s { printf("n=%d\n", n); exit(0); }'
n=$(sed -n 's/^n=//p' $OUT)
[ -n "$n" ] && [ "$n" -ge 50 ] && [ "$n" -le 150 ] && ktap_ok profile_tick_rate || ktap_fail profile_tick_rate "n=$n"
kt -n 'profile:::profile-199 /pid == $target && arg1 != 0/ { u++; } END { printf("user=%d\n", u > 0); }' -c "$W spin 1000"
expect profile_user_pc "user=1"
# user symbols of a live process: usym() keys, %A, ufunc() and umod() name the
# functions of toolwork's spin loop (spin_leaf/spin_mix: nearly every sample)
T=$(pwd)/../tools/toolwork
if [ -x "$T" ]; then
	kt -n 'profile:::profile-997 /pid == $target && arg1 != 0/ { @[usym(arg1)] = count(); }' -c "$T spin 1000"
	# by function, as DTrace: one line per function, the loop's on top
	if tail -n1 $OUT | grep -Eq '^ *toolwork`spin_(leaf|mix) +[0-9]+$' &&
	   [ -z "$(grep -Eo '^ *toolwork`[A-Za-z_]+' $OUT | sort | uniq -d)" ]; then
		ktap_ok usym_key_resolved
	else ktap_fail usym_key_resolved "$(tail -c 300 $OUT | tr '\n' '|')"; fi
	kt -n 'profile:::profile-997 /pid == $target && arg1 != 0/ { n++; } profile:::profile-997 /pid == $target && arg1 != 0 && n == 20/ { printf("A=%A\n", arg1); trace(ufunc(arg1)); printf("\n"); trace(umod(arg1)); printf("\n"); exit(0); }' -c "$T spin 3000"
	if grep -Eq '^A=toolwork`[A-Za-z_]+(\+0x[0-9a-f]+)?$' $OUT && grep -Eq '^ *toolwork`[A-Za-z_]+ *$' $OUT &&
	   grep -Eq '^ *toolwork *$' $OUT; then
		ktap_ok ufunc_umod_printf_A_resolved
	else ktap_fail ufunc_umod_printf_A_resolved "$(head -c 300 $OUT | tr '\n' '|')"; fi
else
	ktap_skip usym_key_resolved "no tools/toolwork staged"
	ktap_skip ufunc_umod_printf_A_resolved "no tools/toolwork staged"
fi

# uprobe / pid
kt -n "uprobe:$W:kt_target:entry /pid == \$target && arg1 == 7/ { n++; } END { printf(\"n=%d\\n\", n); }" -c "$W call 10"
expect uprobe_entry_count "n=10"
kt -n "uprobe:$W:kt_target:return /pid == \$target/ { s += arg1; } END { printf(\"s=%d\\n\", s); }" -c "$W call 3"
expect uprobe_return_value "s=3021"
kt -n 'pid$target::kt_target:entry { n++; } END { printf("n=%d\n", n); }' -c "$W sleep 300"
expect pid_entry_count "n=3"

# pid provider on a static binary: malloc is an alias of __libc_malloc (same address)
ktrace -l -n 'pid$target::malloc:entry' -c "$W call 1" >$OUT 2>&1
if grep -Eq '^ *[0-9]+ +pid[0-9]+ +workload +malloc +entry$' $OUT && grep -q . $OUT; then
	ktap_ok pid_static_malloc_listed
else ktap_fail pid_static_malloc_listed "$(head -c 300 $OUT | tr '\n' '|')"; fi
kt -n 'pid$target::malloc:entry /arg0 == 4242/ { n++; } END { printf("n=%d\n", n); }' -c "$W malloc 25"
expect pid_static_malloc_count "n=25"
# a.out names the executable (DTrace), static or not (below)
kt -n 'pid$target:a.out:kt_target:entry { n++; } END { printf("n=%d\n", n); }' -c "$W call 11"
expect pid_aout_static_count "n=11"
# strlen is an indirect function (GNU ifunc) that ktrace cannot resolve in a
# static binary: an error naming its implementations, which can be traced
ktrace -q -n 'pid$target::strlen:entry { }' -c "$W strlen 1" >$OUT 2>&1; rc=$?
if [ $rc -ne 0 ] && grep -q 'strlen is an indirect function' $OUT && grep -q '__strlen_sse2' $OUT; then
	ktap_ok pid_ifunc_static_error_names_impls
else ktap_fail pid_ifunc_static_error_names_impls "status $rc: $(head -c 300 $OUT | tr '\n' '|')"; fi
kt -n 'pid$target::__strlen_*:return /arg1 == 4243/ { n++; } END { printf("n=%d\n", n); }' -c "$W strlen 23"
expect pid_ifunc_static_impl_count "n=23"
# ... and on a dynamic binary: libc is mapped only after the probes are on
if [ -x "$WD" ] && "$WD" malloc 1; then
	ktrace -l -n 'pid$target::malloc:entry' -c "$WD malloc 1" >$OUT 2>&1
	if grep -Eq '^ *[0-9]+ +pid[0-9]+ +libc[.]so[.]6 +malloc +entry$' $OUT; then
		ktap_ok pid_dynamic_malloc_listed
	else ktap_fail pid_dynamic_malloc_listed "$(head -c 300 $OUT | tr '\n' '|')"; fi
	kt -n 'pid$target::malloc:entry /arg0 == 4242/ { n++; } pid$target::malloc:return /arg1 != 0/ { r++; } END { printf("n=%d r>=n:%d\n", n, r >= n); }' -c "$WD malloc 25"
	expect pid_dynamic_malloc_count "n=25 r>=n:1"
	# the module field: a library by its name, or a glob; a.out the executable
	ktrace -l -n 'pid$target:libc.so.6:str*:entry' -c "$WD malloc 1" >$OUT 2>&1
	if awk 'NR > 1 && $3 != "libc.so.6" { bad = 1 } NR > 1 && $4 == "strlen" { s = 1 } END { exit bad || !s }' $OUT; then
		ktap_ok pid_module_name_listed
	else ktap_fail pid_module_name_listed "$(head -c 300 $OUT | tr '\n' '|')"; fi
	kt -n 'pid$target:libc.so.6:malloc:entry /arg0 == 4242/ { n++; } END { printf("n=%d\n", n); }' -c "$WD malloc 19"
	expect pid_module_name_count "n=19"
	kt -n 'pid$target:libc.so.*:malloc:entry /arg0 == 4242/ { a++; } pid$target:libc*:malloc:entry /arg0 == 4242/ { b++; } END { printf("a=%d b=%d\n", a, b); }' -c "$WD malloc 17"
	expect pid_module_glob_count "a=17 b=17"
	kt -n 'pid$target:a.out:kt_target:entry { n++; } END { printf("n=%d\n", n); }' -c "$WD call 13"
	expect pid_aout_dynamic_count "n=13"
	ktrace -q -n 'pid$target:a.out:malloc:entry { }' -c "$WD malloc 1" >$OUT 2>&1; rc=$?
	if [ $rc -ne 0 ] && grep -q 'a.out:malloc:entry does not match any probes' $OUT; then
		ktap_ok pid_aout_not_a_library
	else ktap_fail pid_aout_not_a_library "status $rc: $(head -c 300 $OUT | tr '\n' '|')"; fi
	# strlen: the probes are on the implementation its resolver chooses
	kt -n 'pid$target::strlen:entry { e++; } pid$target:libc.so.6:strlen:return /arg1 == 4243/ { n++; } END { printf("n=%d e>=n:%d\n", n, e >= n); }' -c "$WD strlen 21"
	expect pid_ifunc_dynamic_count "n=21 e>=n:1"
else
	for t in pid_dynamic_malloc_listed pid_dynamic_malloc_count pid_module_name_listed \
		pid_module_name_count pid_module_glob_count pid_aout_dynamic_count \
		pid_aout_not_a_library pid_ifunc_dynamic_count; do
		ktap_skip $t "no runnable dynamically linked workload"
	done
fi

ktap_result no_registrations_left clean_state
# SIGKILL of the consumer while fbt, kretprobe, uprobe and syscall probes are on
ktrace -q -n "fbt::vfs_read:entry, fbt::vfs_read:return, syscall:::entry, uprobe:$W:kt_target:entry { }" >/dev/null 2>&1 &
k=$!
sleep 3
kill -9 $k; wait $k 2>/dev/null
sleep 1
ktap_result sigkill_leaves_nothing clean_state
rm -f $OUT $OUT.sh
ktap_finished
