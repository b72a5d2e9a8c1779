# SPDX-License-Identifier: GPL-2.0
# The prologue of the stable providers' tests (stable.sh, stable_hold.sh,
# stable_net.sh, stable_oneliners.sh): sourced from the test's directory,
# not a test.  The test is a SKIP when the ktrace CLI, the module or
# ./workload is missing.  It gives
#   W        the workload (selftests/providers/workload.c)
#   OUT      this test's output file (and OUT.* its others), removed at exit
#   KPL      the kernel's kprobe list (debugfs mounted for it)
# and the helpers below.  The test prints its own ktap_plan.
. ../lib/ktap.sh

command -v ktrace >/dev/null 2>&1 || ktap_skip_all "no ktrace CLI on PATH"
[ -c /dev/ktrace ] || ktap_skip_all "ktrace.ko not loaded"
[ -x ./workload ] || ktap_skip_all "workload helper missing"

KPL=/sys/kernel/debug/kprobes/list
[ -f $KPL ] || mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
W=$(pwd)/workload
OUT=/tmp/$(basename "$0" .sh).$$
trap 'rm -f $OUT $OUT.*' EXIT

# kt ARGS...: ktrace -q ARGS, its output (stdout and stderr) in $OUT
kt() { ktrace -q "$@" >$OUT 2>&1; }
# same NAME WANT GOT: GOT is WANT, and not empty
same() {
	if [ -n "$2" ] && [ "$2" = "$3" ]; then ktap_ok "$1"
	else ktap_fail "$1" "wanted '$(echo "$2" | tr '\n' '|')', got '$(echo "$3" | tr '\n' '|')' ($(head -c 600 $OUT | tr '\n' '|'))"; fi
}
# within NAME LO HI GOT: LO <= GOT <= HI
within() {
	if [ -n "$4" ] && [ "$4" -ge "$2" ] && [ "$4" -le "$3" ]; then ktap_ok "$1"
	else ktap_fail "$1" "wanted $2..$3, got '${4}' ($(head -c 300 $OUT | tr '\n' '|'))"; fi
}
# val KEY: the second field of $OUT's first line whose first field is KEY
val() { awk -v k="$1" '$1 == k { print $2 }' $OUT | head -n 1; }
# lines ARG...: the arguments as sorted lines joined by |
lines() { printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' '|'; }
# names PROVIDER: the names of the provider's probes, as listed, each followed by a space
names() { ktrace -l -n "$1:::" 2>/dev/null | awk -v p="$1" '$2 == p { print $NF }' | tr '\n' ' '; }
# no_kprobe_left NAME: every kprobe of the test's sessions is gone
no_kprobe_left() {
	if [ ! -s $KPL ] || ! grep -q . $KPL; then ktap_ok "$1"
	else ktap_fail "$1" "$(head -c 300 $KPL | tr '\n' '|')"; fi
}
