#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make deb` (issue 12): two packages built by dpkg-buildpackage, their
# contents (dpkg-deb -c) the `make install PREFIX=/usr` layout split as
# docs/install.md says, their control fields and dependencies, the DKMS
# maintainer scripts, the packaged CLI's version, and no lintian errors.
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
. selftests/lib/ktap.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/deb-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
for c in dpkg-buildpackage dh dh_dkms lintian; do
	command -v $c >/dev/null || ktap_skip_all "no $c (make deps)"
done
ktap_plan 6
V=$(sed -n 's/^#define KTRACE_VERSION "\(.*\)"$/\1/p' module/version.h)
mk() {	# LOG ARGS...
	_log=$1; shift
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" "$@" >"$T/$_log" 2>&1
}
cli=build/deb/ktrace_${V}_amd64.deb dkms=build/deb/ktrace-dkms_${V}_all.deb

s=$(date +%s)
mk deb.out deb; rc=$?
ktap_diag "make deb: $(($(date +%s) - s)) s"
if [ $rc = 0 ] && [ -f "$cli" ] && [ -f "$dkms" ]; then
	ktap_ok make_deb_builds_both_packages
else
	ktap_fail make_deb_builds_both_packages "status $rc: $(tail -n 5 "$T/deb.out" | tr '\n' '|')"
	ktap_finished
fi

# contents: what `make install PREFIX=/usr UDEVDIR=/lib/udev/rules.d SYSTEMDDIR=/lib/systemd/system` lays out,
# /usr/src in ktrace-dkms, the rest in ktrace; each with its copyright and
# changelog (debhelper may gzip the docs)
mk stage.out install DESTDIR="$T/stage" PREFIX=/usr UDEVDIR=/lib/udev/rules.d SYSTEMDDIR=/lib/systemd/system
files() { dpkg-deb -c "$1" | awk '$1 !~ /^d/ { print $6 }' | sed 's|^\.||; s|\(/usr/share/doc/.*\)\.gz$|\1|' | sort; }
files "$cli" >"$T/got-cli"; files "$dkms" >"$T/got-dkms"
(cd "$T/stage" && find . -type f | sed 's|^\.||') >"$T/all"
{ grep -v '^/usr/src/' "$T/all"; printf '/usr/share/doc/ktrace/%s\n' copyright changelog; } | sort >"$T/want-cli"
{ grep '^/usr/src/' "$T/all"; printf '/usr/share/doc/ktrace-dkms/%s\n' copyright changelog; } | sort >"$T/want-dkms"
if cmp -s "$T/want-cli" "$T/got-cli" && cmp -s "$T/want-dkms" "$T/got-dkms"; then
	ktap_ok packages_hold_the_install_layout
else
	ktap_fail packages_hold_the_install_layout "$(diff "$T/want-cli" "$T/got-cli"; diff "$T/want-dkms" "$T/got-dkms" | grep '^[<>]' | head -n 8 | tr '\n' ' ')"
fi

# control fields: version, architecture, dependencies
f() { dpkg-deb -f "$1" "$2"; }
bad=
[ "$(f "$cli" Version)" = "$V" ] && [ "$(f "$dkms" Version)" = "$V" ] || bad="$bad version"
[ "$(f "$cli" Architecture)" = amd64 ] && [ "$(f "$dkms" Architecture)" = all ] || bad="$bad arch"
f "$dkms" Depends | grep -Eq '(^|, )dkms( |,|$)' || bad="$bad dkms-depends:$(f "$dkms" Depends)"
for l in libelf1 libnl-genl-3-200 libc6; do f "$cli" Depends | grep -q "$l" || bad="$bad cli-depends-$l"; done
[ "$(f "$cli" Recommends)" = "ktrace-dkms (= $V)" ] || bad="$bad recommends:$(f "$cli" Recommends)"
[ -z "$bad" ] && ktap_ok control_fields_and_dependencies || ktap_fail control_fields_and_dependencies "$bad"

# ktrace-dkms: postinst adds/builds/installs through dkms, prerm removes
mkdir -p "$T/ctl" && dpkg-deb -e "$dkms" "$T/ctl"
if grep -q '^DKMS_NAME=ktrace$' "$T/ctl/postinst" && grep -q "^DKMS_VERSION=$V$" "$T/ctl/postinst" &&
   grep -q 'common.postinst' "$T/ctl/postinst" && grep -q "^DKMS_VERSION=$V$" "$T/ctl/prerm" &&
   grep -q 'dkms remove -m $DKMS_NAME -v $DKMS_VERSION --all' "$T/ctl/prerm"; then
	ktap_ok dkms_maintainer_scripts_add_and_remove
else
	ktap_fail dkms_maintainer_scripts_add_and_remove "postinst/prerm: $(ls "$T/ctl" | tr '\n' ' ')"
fi

# the packaged CLI is the release
dpkg-deb -x "$cli" "$T/x"
out=$("$T/x/usr/sbin/ktrace" -V 2>&1)
echo "$out" | grep -q "^ktrace: ktrace $V " && ktap_ok packaged_cli_reports_version ||
	ktap_fail packaged_cli_reports_version "ktrace -V: $out; want $V"

s=$(date +%s)
lintian --fail-on error build/deb/ktrace_${V}_amd64.changes >"$T/lintian.out" 2>&1; rc=$?
ktap_diag "lintian: $(($(date +%s) - s)) s, $(grep -c '^W:' "$T/lintian.out") warnings"
if [ $rc = 0 ] && ! grep -q '^E:' "$T/lintian.out"; then
	ktap_ok lintian_reports_no_errors
else
	ktap_fail lintian_reports_no_errors "status $rc: $(grep -v '^W:' "$T/lintian.out" | head -n 5 | tr '\n' '|')"
fi
ktap_finished
