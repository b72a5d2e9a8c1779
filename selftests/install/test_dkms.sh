#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module through DKMS (issue 12): the source `make install` puts in
# /usr/src/ktrace-VERSION (here under a DESTDIR) is added to a scratch DKMS
# tree and built by the real dkms against each installed Debian flavour's
# headers (cloud, generic, rt); the DKMS-built ktrace.ko carries the release
# (modinfo = ktrace -V) and the kernel's vermagic, then loads in a guest of
# that kernel (vm/run, one short boot each) and runs a D program end to end.
# The debug kernel is not a Debian package flavour (no headers package, no
# DKMS user): it is left out.  dkms keeps its module-signing key in
# /var/lib/dkms (made on its first build on a machine, as any DKMS install does).
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
. selftests/lib/ktap.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/dkms-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
command -v dkms >/dev/null || ktap_skip_all "no dkms (make deps)"
command -v qemu-system-x86_64 >/dev/null || ktap_skip_all "no qemu-system-x86_64 (make deps)"
[ "$(id -u)" = 0 ] || [ -r /var/lib/dkms/mok.key ] ||
	ktap_skip_all "dkms signs what it builds with /var/lib/dkms/mok.key: not readable, and not root to make it"
FLAVOURS=${DKMS_FLAVOURS:-cloud generic rt}
ktap_plan $((1 + 2 * $(echo $FLAVOURS | wc -w)))
V=$(sed -n 's/^#define KTRACE_VERSION "\(.*\)"$/\1/p' module/version.h)
D="--dkmstree $T/dkms --sourcetree $T/root/usr/src"

env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" install DESTDIR="$T/root" >"$T/install.out" 2>&1 &&
	mkdir -p "$T/dkms" && dkms add -m ktrace -v "$V" $D >"$T/add.out" 2>&1; rc=$?
if [ $rc = 0 ] && [ -f "$T/dkms/ktrace/$V/source/dkms.conf" ]; then
	ktap_ok dkms_add_installed_source
else
	ktap_fail dkms_add_installed_source "status $rc: $(tail -n 5 "$T/install.out" "$T/add.out" | tr '\n' '|')"
fi

cli=$(build/user/ktrace -V 2>&1)
for k in $FLAVOURS; do
	case $k in
	cloud) pat='-cloud-amd64$' ;; generic) pat='-[0-9]+-amd64$' ;; rt) pat='-rt-amd64$' ;;
	*) pat='^$' ;;
	esac
	kdir=$(ls -d /usr/src/linux-headers-* 2>/dev/null | grep -E -- "$pat" | sort -V | tail -n 1)
	if [ -z "$kdir" ] || [ ! -e "/boot/vmlinuz-${kdir#/usr/src/linux-headers-}" ]; then
		ktap_skip "dkms_build_$k" "no linux-headers/linux-image of the $k flavour (make deps)"
		ktap_skip "dkms_module_runs_in_${k}_guest" "no $k kernel"
		continue
	fi
	kver=${kdir#/usr/src/linux-headers-}
	s=$(date +%s)
	dkms build -m ktrace -v "$V" $D -k "$kver" --kernelsourcedir "$kdir" >"$T/build-$k.out" 2>&1; rc=$?
	ko=$(find "$T/dkms/ktrace/$V/$kver" -name 'ktrace.ko*' 2>/dev/null | head -n 1)
	ver=$(modinfo -F version "$ko" 2>&1) magic=$(modinfo -F vermagic "$ko" 2>&1)
	ktap_diag "dkms build for $kver: $(($(date +%s) - s)) s"
	if [ $rc = 0 ] && [ -n "$ko" ] && [ "$ver" = "$V" ] && [ "${magic%% *}" = "$kver" ] &&
	   echo "$cli" | grep -q "^ktrace: ktrace $ver "; then
		ktap_ok "dkms_build_$k"
	else
		ktap_fail "dkms_build_$k" "status $rc, ko '$ko', version '$ver' (ktrace -V: $cli), vermagic '$magic': $(tail -n 5 "$T/build-$k.out" | tr '\n' '|')"
		ktap_skip "dkms_module_runs_in_${k}_guest" "no DKMS-built module"
		continue
	fi
	KTRACE_KO=$ko vm/run --kernel "$k" --rmmod -- sh -c 'cat /sys/module/ktrace/version; ls -ln /dev/ktrace;
		ktrace -q -n "BEGIN { printf(\"dkms %d\\n\", 6 * 7); exit(0); }"' >"$T/run-$k.out" 2>"$T/run-$k.err"; rc=$?
	out=$(tr '\n' '|' <"$T/run-$k.out")
	if [ $rc = 0 ] && [ "$(sed -n 1p "$T/run-$k.out")" = "$V" ] &&
	   sed -n 2p "$T/run-$k.out" | grep -q '^crw------- *1 0 *0 ' &&
	   [ "$(sed -n 3p "$T/run-$k.out")" = "dkms 42" ]; then
		ktap_ok "dkms_module_runs_in_${k}_guest"
	else
		ktap_fail "dkms_module_runs_in_${k}_guest" "status $rc, stdout: $out stderr: $(tail -n 3 "$T/run-$k.err" | tr '\n' '|')"
	fi
done
ktap_finished
