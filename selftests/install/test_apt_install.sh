#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The packages as a user installs them (issue 12): `apt-get install
# ./ktrace_V_amd64.deb ./ktrace-dkms_V_all.deb` on this machine, for real.
# DKMS's postinst builds ktrace.ko for every kernel whose headers are
# installed (make deps installs cloud, generic and rt); the module it put
# under /lib/modules/<cloud>/updates/dkms and the packaged /usr/sbin/ktrace
# then run a D program in the cloud guest.  Purging removes every file the
# packages brought and DKMS's trees.  Before installing: no file of ours is
# also shipped by the Debian packages of the other tracing toolkits
# (perf-tools-unstable, bpfcc-tools, bpftrace, systemtap-sdt-dev), so both
# can be installed side by side.
# Changes the machine (root, apt): it SKIPs when ktrace is installed
# already (someone's real installation is not touched) or without root.
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
. selftests/lib/ktap.sh
[ "$(id -u)" = 0 ] || ktap_skip_all "installing packages needs root"
for c in apt-get dpkg-buildpackage dkms; do
	command -v $c >/dev/null || ktap_skip_all "no $c (make deps)"
done
dpkg-query -W -f '${Status}' ktrace 2>/dev/null | grep -q 'installed' &&
	ktap_skip_all "a ktrace package is installed on this machine: not replacing it"
dpkg-query -W -f '${Status}' ktrace-dkms 2>/dev/null | grep -q 'installed' &&
	ktap_skip_all "a ktrace-dkms package is installed on this machine: not replacing it"
T=$(mktemp -d "${TMPDIR:-/tmp}/apt-test.XXXXXX") || exit 1
chmod 755 "$T"	# apt's download user reads it
installed=
cleanup() {
	[ -n "$installed" ] && apt-get purge -y ktrace ktrace-dkms >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
# killed (a timeout, ^C, a stopped make): exit, so that the EXIT trap still
# purges the packages (sh runs no EXIT trap on a signal it does not trap;
# left installed, they would make every later run of this test a SKIP)
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP
ktap_plan 5

V=$(sed -n 's/^#define KTRACE_VERSION "\(.*\)"$/\1/p' module/version.h)
cli=$TOP/build/deb/ktrace_${V}_amd64.deb dkms=$TOP/build/deb/ktrace-dkms_${V}_all.deb
# test_deb.sh (run before this one) built them; they are rebuilt if not
# there or older than the tree's last commit
if [ ! -f "$cli" ] || [ ! -f "$dkms" ] ||
   [ "$(stat -c %Y "$cli")" -lt "$(git log -1 --format=%ct 2>/dev/null || echo 0)" ]; then
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" deb >"$T/deb.out" 2>&1 ||
		ktap_skip_all "make deb failed: $(tail -n 3 "$T/deb.out" | tr '\n' '|')"
fi
files() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\.||' | sort; }
{ files "$cli"; files "$dkms"; } | sort >"$T/ours"

# 1. no file in common with the other tracing toolkits' packages
(cd "$T" && apt-get download perf-tools-unstable bpfcc-tools bpftrace systemtap-sdt-dev \
	>"$T/download.out" 2>&1)
n=$(ls "$T"/*.deb 2>/dev/null | wc -l)
if [ "$n" != 4 ]; then
	ktap_skip no_file_shared_with_other_tracing_toolkits "apt-get download got $n of 4 packages: $(grep -E '^(E|W):' "$T/download.out" | head -n 2 | tr '\n' '|')"
else
	for d in "$T"/*.deb; do files "$d"; done | sort -u >"$T/theirs"
	common=$(comm -12 "$T/ours" "$T/theirs" | grep -v '^/usr/share/doc/' | head -n 5 | tr '\n' ' ')
	[ -z "$common" ] && ktap_ok no_file_shared_with_other_tracing_toolkits ||
		ktap_fail no_file_shared_with_other_tracing_toolkits "also shipped by $(ls "$T"/*.deb | xargs -n1 basename | tr '\n' ' '): $common"
fi

# 2. apt installs both, pulling what they depend on
s=$(date +%s)
apt-get install -y "$cli" "$dkms" >"$T/install.out" 2>&1; rc=$?
installed=1
ktap_diag "apt-get install: $(($(date +%s) - s)) s (DKMS builds for every installed kernel's headers)"
st=$(dpkg-query -W -f '${Status} ${Version}|' ktrace ktrace-dkms 2>&1)
if [ $rc = 0 ] && [ "$st" = "install ok installed $V|install ok installed $V|" ]; then
	ktap_ok apt_installs_both_packages
else
	ktap_fail apt_installs_both_packages "status $rc, $st: $(grep -E '^(E|W|dpkg):' "$T/install.out" | head -n 4 | tr '\n' '|')"
fi

# 3. the installed commands and pages answer; ktrace is found on PATH
bad=
# from a login shell's PATH, as a user types it
env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin ktrace -V 2>&1 |
	grep -q "^ktrace: ktrace $V " || bad="$bad ktrace-V-from-PATH"
for t in $(files "$cli" | grep '^/usr/s\{0,1\}bin/'); do
	[ -x "$t" ] || bad="$bad $t"
done
for p in ktrace ktrace-exporter execsnoop; do
	man -w "$p" >/dev/null 2>&1 || bad="$bad man:$p"
done
[ -z "$bad" ] && ktap_ok installed_commands_on_path_and_man_pages ||
	ktap_fail installed_commands_on_path_and_man_pages "missing or broken:$bad"

# 4. DKMS built and installed the module for the cloud kernel; it and the
# packaged CLI run a D program in that kernel's guest
kver=$(ls -d /lib/modules/*-cloud-amd64 2>/dev/null | head -n 1 | xargs -r basename)
ko=/lib/modules/$kver/updates/dkms/ktrace.ko
if [ -z "$kver" ]; then
	ktap_fail dkms_module_runs_packaged_cli "no cloud kernel in /lib/modules (make deps)"
elif ! dkms status -m ktrace -v "$V" -k "$kver" 2>/dev/null | grep -q ': installed' || [ ! -f "$ko" ]; then
	ktap_fail dkms_module_runs_packaged_cli "dkms status for $kver: $(dkms status -m ktrace 2>&1 | tr '\n' '|')"
else
	KTRACE_KO=$ko KTRACE_CLI=/usr/sbin/ktrace vm/run --kernel cloud --rmmod --timeout 300 -- \
		sh -c 'ktrace -q -n "BEGIN { printf(\"packaged %d\\n\", 6 * 7); exit(0); }"; cat /sys/module/ktrace/version' \
		>"$T/guest.out" 2>"$T/guest.err"; rc=$?
	if [ $rc = 0 ] && grep -qx 'packaged 42' "$T/guest.out" && grep -qx "$V" "$T/guest.out"; then
		ktap_ok dkms_module_runs_packaged_cli
	else
		ktap_fail dkms_module_runs_packaged_cli "vm/run status $rc: $(tail -c 300 "$T/guest.out" "$T/guest.err" | tr '\n' '|')"
	fi
fi

# 5. purge: nothing of ours is left, DKMS forgot the module
apt-get purge -y ktrace ktrace-dkms >"$T/purge.out" 2>&1; rc=$?
installed=
left=$(grep -v '^/usr/share/doc/' "$T/ours" | while read -r f; do [ -e "$f" ] && echo "$f"; done | head -n 5 | tr '\n' ' ')
ls /lib/modules/*/updates/dkms/ktrace.ko >/dev/null 2>&1 && left="$left $(ls /lib/modules/*/updates/dkms/ktrace.ko | tr '\n' ' ')"
[ -d /var/lib/dkms/ktrace ] && left="$left /var/lib/dkms/ktrace"
if [ $rc = 0 ] && [ -z "$left" ] && ! dpkg-query -W -f '${Status}' ktrace 2>/dev/null | grep -q installed; then
	ktap_ok purge_removes_every_file
else
	ktap_fail purge_removes_every_file "status $rc, left: $left"
fi

ktap_finished
