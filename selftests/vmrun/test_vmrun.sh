#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm/run's contract (issue 2; other tooling depends on it): exit status,
# stdout and stderr kept apart, --add, the kernel-log verdict, --timeout,
# usage errors, and a wedged guest stopped soon after its console says so.
# Runs on the host: each case boots the cloud kernel (a few seconds).
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
VMRUN=vm/run
T=$(mktemp -d "${TMPDIR:-/tmp}/vmrun-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || ktap_skip_all "no cloud kernel in /boot (make deps)"
command -v qemu-system-x86_64 >/dev/null || ktap_skip_all "no qemu-system-x86_64 (make deps)"
ktap_plan 10

# vmrun NAME [ENV=V...] -- ARGS...: run vm/run, keep status/stdout/stderr/seconds
vmrun() {
	_n=$1; shift
	_s=$(date +%s)
	env KTRACE_CLI=none "$@" >"$T/$_n.out" 2>"$T/$_n.err"
	echo $? >"$T/$_n.rc"
	echo $(($(date +%s) - _s)) >"$T/$_n.secs"
}
rc() { cat "$T/$1.rc"; }
why() { echo "status $(rc "$1"), stderr: $(head -c 300 "$T/$1.err" | tr '\n' '|')"; }

vmrun status $VMRUN --no-module -- sh -c 'exit 7'
[ "$(rc status)" = 7 ] && ktap_ok vmrun_exit_status_is_commands || ktap_fail vmrun_exit_status_is_commands "$(why status)"

vmrun streams $VMRUN --no-module -- sh -c 'echo to-stdout; echo to-stderr >&2'
if [ "$(rc streams)" = 0 ] && [ "$(cat "$T/streams.out")" = to-stdout ] &&
   [ "$(cat "$T/streams.err")" = to-stderr ]; then
	ktap_ok vmrun_stdout_and_stderr_apart
else
	ktap_fail vmrun_stdout_and_stderr_apart "$(why streams), stdout: $(tr '\n' '|' <"$T/streams.out")"
fi

mkdir -p "$T/add" && echo payload >"$T/add/file"
vmrun add $VMRUN --no-module --add "$T/add" -- sh -c 'pwd; cat file'
if [ "$(rc add)" = 0 ] && [ "$(tr '\n' ' ' <"$T/add.out")" = "/mnt/add payload " ]; then
	ktap_ok vmrun_add_dir_is_cwd
else
	ktap_fail vmrun_add_dir_is_cwd "$(why add), stdout: $(tr '\n' '|' <"$T/add.out")"
fi

# a BUG line in the kernel log fails a command that succeeded
vmrun bug $VMRUN --no-module -- sh -c 'echo "<3>BUG: vmrun-selftest marker" >/dev/kmsg'
if [ "$(rc bug)" = 125 ] && grep -q 'guest kernel log shows: BUG: vmrun-selftest marker' "$T/bug.err"; then
	ktap_ok vmrun_kernel_log_bug_fails
else
	ktap_fail vmrun_kernel_log_bug_fails "$(why bug)"
fi

# so does the OOM killer (the kernel's own lines, as it prints them)
vmrun oom $VMRUN --no-module -- sh -c 'echo "<4>sh invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0" >/dev/kmsg'
vmrun oom2 $VMRUN --no-module -- sh -c 'echo "<3>Out of memory: Killed process 99 (sh) total-vm:1kB" >/dev/kmsg'
if [ "$(rc oom)" = 125 ] && grep -q 'guest kernel log shows: sh invoked oom-killer' "$T/oom.err" &&
   [ "$(rc oom2)" = 125 ] && grep -q 'guest kernel log shows: Out of memory: Killed' "$T/oom2.err"; then
	ktap_ok vmrun_kernel_log_oom_fails
else
	ktap_fail vmrun_kernel_log_oom_fails "$(why oom); $(why oom2)"
fi

# a soft lockup report: the guest is stopped GRACE seconds later, not at --timeout
vmrun wedge env VM_WEDGE_GRACE=3 $VMRUN --no-module --timeout 300 -- sh -c \
	'echo "<3>watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [vmrun-selftest:1]" >/dev/kmsg; sleep 600'
if [ "$(rc wedge)" = 125 ] && [ "$(cat "$T/wedge.secs")" -lt 150 ] &&
   grep -q 'stopping the guest 3s after its console showed: watchdog: BUG: soft lockup' "$T/wedge.err"; then
	ktap_ok vmrun_wedged_guest_stopped_early
else
	ktap_fail vmrun_wedged_guest_stopped_early "$(why wedge), $(cat "$T/wedge.secs") s"
fi

vmrun tmo $VMRUN --no-module --timeout 20 -- sleep 600
if [ "$(rc tmo)" = 124 ] && [ "$(cat "$T/tmo.secs")" -lt 150 ] && grep -q 'guest timed out after 20s' "$T/tmo.err"; then
	ktap_ok vmrun_timeout_124
else
	ktap_fail vmrun_timeout_124 "$(why tmo), $(cat "$T/tmo.secs") s"
fi

vmrun badopt $VMRUN --bogus -- true
vmrun nocmd $VMRUN --kernel cloud
vmrun badkern $VMRUN --kernel nosuch -- true
if [ "$(rc badopt)" = 2 ] && [ "$(rc nocmd)" = 2 ] && [ "$(rc badkern)" = 2 ] &&
   grep -q "unknown option '--bogus'" "$T/badopt.err" && grep -q 'no COMMAND' "$T/nocmd.err"; then
	ktap_ok vmrun_usage_errors_2
else
	ktap_fail vmrun_usage_errors_2 "$(why badopt); $(why nocmd); $(why badkern)"
fi

vmrun badenv env VM_TCG_THREAD=many $VMRUN --no-module -- true
vmrun badgrace env VM_WEDGE_GRACE=soon $VMRUN --no-module -- true
if [ "$(rc badenv)" = 2 ] && [ "$(rc badgrace)" = 2 ] && grep -q 'VM_TCG_THREAD must be' "$T/badenv.err"; then
	ktap_ok vmrun_bad_environment_2
else
	ktap_fail vmrun_bad_environment_2 "$(why badenv); $(why badgrace)"
fi

# the default: ktrace.ko loaded, /dev/ktrace there (needs the module built)
ko=build/cloud/ktrace.ko
if [ -f $ko ]; then
	vmrun mod $VMRUN -- sh -c 'grep -q "^ktrace " /proc/modules && test -c /dev/ktrace'
	[ "$(rc mod)" = 0 ] && ktap_ok vmrun_module_loaded || ktap_fail vmrun_module_loaded "$(why mod)"
else
	ktap_skip vmrun_module_loaded "$ko not built (make module)"
fi
ktap_finished
