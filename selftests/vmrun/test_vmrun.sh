#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm/run's contract (issue 2; other tooling depends on it): exit status,
# stdout and stderr kept apart, --add, the kernel-log verdict, --timeout,
# usage errors, a wedged guest stopped soon after its console says so, and
# --forward (issue 16): host 127.0.0.1 port to a guest port, no network without it.
# Runs on the host: each case boots the cloud kernel (a few seconds).
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
VMRUN=vm/run
T=$(mktemp -d "${TMPDIR:-/tmp}/vmrun-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || ktap_skip_all "no cloud kernel in /boot (make deps)"
command -v qemu-system-x86_64 >/dev/null || ktap_skip_all "no qemu-system-x86_64 (make deps)"
ktap_plan 13

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
# (and without --forward the guest has no network interface but lo)
vmrun add $VMRUN --no-module --add "$T/add" -- sh -c 'pwd; cat file; ls -1 /sys/class/net'
if [ "$(rc add)" = 0 ] && [ "$(tr '\n' ' ' <"$T/add.out")" = "/mnt/add payload lo " ]; then
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
# except the one a test provokes on purpose: kt_oomhog, killed in its memory
# cgroup (toolwork oom, oomkill's test); the same line for any other task fails
vmrun oomhog $VMRUN --no-module -- sh -c 'echo "<4>kt_oomhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0" >/dev/kmsg'
vmrun oomhog2 $VMRUN --no-module -- sh -c 'echo "<4>kt_oomhogx invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0" >/dev/kmsg'
# the allowed line after console output with no newline (a tool's progress
# line): still allowed, and what precedes it on the line still checked
vmrun oomhog3 $VMRUN --no-module -- sh -c 'printf "      " >/dev/console; echo "<4>kt_oomhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)" >/dev/kmsg; sleep 1'
vmrun oomhog4 $VMRUN --no-module -- sh -c 'printf "WARNING: vmrun-selftest " >/dev/console; echo "<4>kt_oomhog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL)" >/dev/kmsg; sleep 1'
if [ "$(rc oomhog)" = 0 ] && [ "$(rc oomhog2)" = 125 ] && [ "$(rc oomhog3)" = 0 ] && [ "$(rc oomhog4)" = 125 ] &&
   grep -q 'guest kernel log shows: kt_oomhogx invoked oom-killer' "$T/oomhog2.err"; then
	ktap_ok vmrun_kernel_log_only_the_test_oom_allowed
else
	ktap_fail vmrun_kernel_log_only_the_test_oom_allowed "$(why oomhog); $(why oomhog2); $(why oomhog3); $(why oomhog4)"
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

vmrun badfwd1 $VMRUN --forward 70000:80 -- true
vmrun badfwd2 $VMRUN --forward 8080 -- true
vmrun badfwd3 $VMRUN --forward=1:0 -- true
if [ "$(rc badfwd1)" = 2 ] && [ "$(rc badfwd2)" = 2 ] && [ "$(rc badfwd3)" = 2 ] &&
   grep -q "forward wants HOSTPORT:GUESTPORT (TCP ports 1-65535), not '70000:80'" "$T/badfwd1.err"; then
	ktap_ok vmrun_forward_usage_errors_2
else
	ktap_fail vmrun_forward_usage_errors_2 "$(why badfwd1); $(why badfwd2); $(why badfwd3)"
fi

# --forward: a server in the guest answers on the host's 127.0.0.1 (and on
# nothing else); a second run asking for the same host port fails (125)
# instead of running without its forward.  The guest serves until the host
# fetches /cgi-bin/stop.
listening() {	# PORT: the local addresses listening on TCP PORT (hex, /proc/net/tcp)
	awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p { print $2 }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}
port=
for p in $(seq 20000 20100); do
	[ -z "$(listening $p)" ] && { port=$p; break; }
done
mkdir -p "$T/www/cgi-bin"
echo guest-says-hello >"$T/www/hello"
printf '#!/bin/sh\ntouch /tmp/stop\nprintf "Content-Type: text/plain\\r\\n\\r\\nstopping\\n"\n' >"$T/www/cgi-bin/stop"
chmod +x "$T/www/cgi-bin/stop"
vmrun fwd $VMRUN --no-module --timeout 120 --add "$T/www" --forward "$port:8080" -- sh -c \
	'httpd -p 8080 -h /mnt/add && while [ ! -e /tmp/stop ]; do sleep 0.2; done; ls -1 /sys/class/net' &
fwdpid=$!
got= bound= busy=
for _ in $(seq 1 100); do
	got=$(curl -s --max-time 2 "http://127.0.0.1:$port/hello") && [ -n "$got" ] && break
	sleep 1
done
if [ -n "$got" ]; then
	bound=$(listening $port | tr '\n' ' ')
	vmrun busy $VMRUN --no-module --forward "$port:80" -- true
	curl -s --max-time 5 "http://127.0.0.1:$port/cgi-bin/stop" >/dev/null
fi
wait $fwdpid
if [ "$got" = guest-says-hello ] && [ "$(rc fwd)" = 0 ] && [ "$bound" = "0100007F:$(printf %04X "$port") " ] &&
   [ "$(tr '\n' ' ' <"$T/fwd.out")" = "eth0 lo " ] && [ "$(rc busy)" = 125 ] &&
   grep -q 'forwarding rule' "$T/busy.err"; then
	ktap_ok vmrun_forward_host_loopback_to_guest
else
	ktap_fail vmrun_forward_host_loopback_to_guest "port $port, got '$got', listening on '$bound', $(why fwd), stdout $(tr '\n' '|' <"$T/fwd.out"); busy: $( [ -f "$T/busy.rc" ] && why busy)"
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
