#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make install` / `make uninstall` (issue 12): with DESTDIR, the files are
# exactly the layout docs/install.md lists (its placeholders expanded from the
# source tree), man pages are compressed in their .TH section with the
# version in the footer, the udev rule and the boot-load file follow the
# options, DKMS is driven (or its absence explained), and uninstall removes
# all of it.  DKMS itself is a stand-in here (test_dkms.sh runs the real one).
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
. selftests/lib/ktap.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/install-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
ktap_plan 12
V=$(sed -n 's/^#define KTRACE_VERSION "\(.*\)"$/\1/p' module/version.h)

mk() {	# LOG ARGS...: make in the tree, isolated from a calling make
	_log=$1; shift
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$TOP" "$@" >"$T/$_log" 2>&1
}
why() { echo "status $1; $(tail -n 5 "$T/$2" | tr '\n' '|')"; }

# the layout docs/install.md promises, for PREFIX $1, expanded
expected() {
	tools= drawers= docs=README.md examples= srcs= libs= labs=
	for f in user/tools/*; do head -c 2 "$f" | grep -q '#!' && tools="$tools ${f##*/}"; done
	for f in user/tools/*.c; do f=${f##*/}; case $f in *_*) continue ;; esac; drawers="$drawers ktrace-${f%.c}"; done	# NAME_PART.c: a part of ktrace-NAME
	for f in docs/*.md; do docs="$docs ${f##*/}"; done
	for f in user/labs/[0-9][0-9]-*.c; do f=${f##*/}; labs="$labs ${f%.c}"; done
	for f in docs/tools/examples/*; do examples="$examples ${f##*/}"; done
	for f in user/lib/*.d; do libs="$libs ${f##*/}"; done
	for f in module/*.c module/*.h; do
		[ -e "module/.${f##*/}.cmd" ] || srcs="$srcs ${f##*/}"; done
	sed -n '/^### What goes where/,/^### /p' docs/install.md | sed -n '/^```$/,/^```$/p' |
	grep -v '^```' | while read -r path rest; do
		case $rest in *LOAD_AT_BOOT=1*) [ "$2" = boot ] || continue ;; esac
		path=$(echo "$path" | sed "s|^PREFIX|$1|; s|VERSION|$V|")
		case $path in
		*TOOL*) for x in $tools; do echo "$path" | sed "s|TOOL|$x|"; done ;;
		*DRAWER*) for x in $drawers; do echo "$path" | sed "s|DRAWER|$x|"; done ;;
		*/LAB) for x in $labs; do echo "${path%LAB}$x"; done ;;
		*/DOC) for x in $docs; do echo "${path%DOC}$x"; done ;;
		*EXAMPLE) for x in $examples; do echo "${path%EXAMPLE}$x"; done ;;
		*/LIB) for x in $libs; do echo "${path%LIB}$x"; done ;;
		*MODSRC) for x in $srcs; do echo "${path%MODSRC}$x"; done ;;
		*) echo "$path" ;;
		esac
	done | sort -u
}
have() { (cd "$1" && find . -type f | sed 's|^\.||' | sort); }

# 1. the documented layout, exactly
mk install.out install DESTDIR="$T/root"; rc=$?
expected /usr/local >"$T/want"; have "$T/root" >"$T/got"
if [ $rc = 0 ] && [ -s "$T/want" ] && cmp -s "$T/want" "$T/got"; then
	ktap_ok install_lays_out_what_docs_say
else
	ktap_fail install_lays_out_what_docs_say "$(why $rc install.out) diff: $(diff "$T/want" "$T/got" | grep '^[<>]' | head -n 8 | tr '\n' ' ')"
fi

# 2. man pages: gzip, in the section their .TH names, version in the footer
bad=
for m in "$T"/root/usr/local/share/man/man*/*.gz; do
	sec=${m%/*}; sec=${sec##*/man}
	th=$(gzip -dc "$m" 2>/dev/null | grep -m1 '^\.TH ') || { bad="$bad ${m##*/}:not-gzip"; continue; }
	echo "$th" | awk -v s="$sec" '$3 != s { exit 1 }' || bad="$bad ${m##*/}:section"
	echo "$th" | grep -q "\"ktrace $V\"" || bad="$bad ${m##*/}:version"
done
for p in "$T"/root/usr/local/sbin/* "$T"/root/usr/local/bin/*; do
	n=${p##*/}; ls "$T"/root/usr/local/share/man/man*/"$n".[18].gz >/dev/null 2>&1 || bad="$bad $n:no-page"
done
[ -z "$bad" ] && ktap_ok install_man_pages_sections_and_version || ktap_fail install_man_pages_sections_and_version "$bad"

# 3. the installed CLI is the release; the module source says the same
out=$("$T/root/usr/local/sbin/ktrace" -V 2>&1)
if echo "$out" | grep -q "ktrace $V " && grep -q "^PACKAGE_VERSION=\"$V\"$" "$T/root/usr/src/ktrace-$V/dkms.conf" &&
   grep -q 'MODULE_VERSION(KTRACE_VERSION)' "$T/root/usr/src/ktrace-$V/module/main.c"; then
	ktap_ok installed_cli_and_dkms_source_carry_version
else
	ktap_fail installed_cli_and_dkms_source_carry_version "ktrace -V: $out; want $V"
fi

# 3b. the installed CLI reads the installed D library (SONPROC is procfs.d's inline, 6)
out=$("$T/root/usr/local/sbin/ktrace" -S -n 'BEGIN { trace(SONPROC); }' 2>&1)
if echo "$out" | grep -q 'seti  %r1, 6$'; then
	ktap_ok installed_cli_reads_installed_d_library
else
	ktap_fail installed_cli_reads_installed_d_library "$(echo "$out" | head -n 3 | tr '\n' ' ')"
fi

# 4. /dev/ktrace stays 0600 root unless a group is asked for
r=$T/root/etc/udev/rules.d/60-ktrace.rules
if grep -q '^KERNEL=="ktrace", SUBSYSTEM=="misc", OWNER="root", GROUP="root", MODE="0600"$' "$r" &&
   [ "$(grep -vc '^#' "$r")" = 1 ] && [ ! -e "$T/root/etc/modules-load.d/ktrace.conf" ]; then
	ktap_ok default_udev_rule_0600_root_no_boot_load
else
	ktap_fail default_udev_rule_0600_root_no_boot_load "$(grep -v '^#' "$r" 2>&1)"
fi

# 5. uninstall removes every file and the ktrace directories
mk uninstall.out uninstall DESTDIR="$T/root"; rc=$?
left=$(have "$T/root"; cd "$T/root" && find . -type d \( -name 'ktrace*' -o -path '*/doc/ktrace*' \))
[ $rc = 0 ] && [ -z "$left" ] && ktap_ok uninstall_removes_everything ||
	ktap_fail uninstall_removes_everything "$(why $rc uninstall.out) left: $(echo $left | head -c 300)"

# 6. options: PREFIX, a group, boot loading (and uninstall takes them back)
mk opts.out install DESTDIR="$T/opt" PREFIX=/opt/kt KTRACE_GROUP=tracing LOAD_AT_BOOT=1; rc=$?
expected /opt/kt boot >"$T/want"; have "$T/opt" >"$T/got"
if [ $rc = 0 ] && cmp -s "$T/want" "$T/got" &&
   grep -q '^KERNEL=="ktrace", SUBSYSTEM=="misc", OWNER="root", GROUP="tracing", MODE="0660"$' "$T/opt/etc/udev/rules.d/60-ktrace.rules" &&
   [ "$(grep -v '^#' "$T/opt/etc/modules-load.d/ktrace.conf")" = ktrace ]; then
	ktap_ok install_prefix_group_and_boot_load
else
	ktap_fail install_prefix_group_and_boot_load "$(why $rc opts.out) diff: $(diff "$T/want" "$T/got" | grep '^[<>]' | head -n 5 | tr '\n' ' ')"
fi
mk opts-un.out uninstall DESTDIR="$T/opt" PREFIX=/opt/kt; rc=$?
[ $rc = 0 ] && [ -z "$(have "$T/opt")" ] && ktap_ok uninstall_removes_boot_load_file ||
	ktap_fail uninstall_removes_boot_load_file "left: $(have "$T/opt" | head -n 3 | tr '\n' ' ')"

# 8. DKMS: add, build, install of this version from the installed source
cat >"$T/dkms" <<'D'
#!/bin/sh
echo "$*" >>"$DKMS_LOG"
[ "$1" = status ] && [ -e "$DKMS_LOG.added" ] && echo "ktrace/x: added"
[ "$1" = add ] && : >"$DKMS_LOG.added"
[ "$1" = remove ] && rm -f "$DKMS_LOG.added"
exit 0
D
chmod +x "$T/dkms"
export DKMS_LOG="$T/dkms.log"
mk dkms.out install DESTDIR="$T/d" DKMS_INSTALL=1 DKMS="$T/dkms"; rc=$?
want="status ktrace/$V|add ktrace/$V|build ktrace/$V|install ktrace/$V|"
[ $rc = 0 ] && [ "$(tr '\n' '|' <"$DKMS_LOG")" = "$want" ] && ktap_ok install_runs_dkms_add_build_install ||
	ktap_fail install_runs_dkms_add_build_install "$(why $rc dkms.out) calls: $(tr '\n' '|' <"$DKMS_LOG")"

# 9. a second install replaces the registration; uninstall removes it
: >"$DKMS_LOG"
mk dkms2.out install DESTDIR="$T/d" DKMS_INSTALL=1 DKMS="$T/dkms" &&
mk dkms3.out uninstall DESTDIR="$T/d" DKMS_INSTALL=1 DKMS="$T/dkms"; rc=$?
want="status ktrace/$V|remove ktrace/$V --all|add ktrace/$V|build ktrace/$V|install ktrace/$V|status ktrace/$V|remove ktrace/$V --all|"
[ $rc = 0 ] && [ "$(tr '\n' '|' <"$DKMS_LOG")" = "$want" ] && [ -z "$(have "$T/d")" ] &&
	ktap_ok reinstall_and_uninstall_drive_dkms ||
	ktap_fail reinstall_and_uninstall_drive_dkms "status $rc calls: $(tr '\n' '|' <"$DKMS_LOG")"

# 10. without dkms: the files are installed and the user is told how to get it
mk nodkms.out install DESTDIR="$T/n" DKMS_INSTALL=1 DKMS="$T/no-such-dkms"; rc=$?
if [ $rc = 0 ] && grep -q 'dkms is not installed: apt-get install dkms' "$T/nodkms.out" &&
   grep -q "then: dkms install ktrace/$V" "$T/nodkms.out" && [ -f "$T/n/usr/src/ktrace-$V/dkms.conf" ]; then
	ktap_ok install_without_dkms_says_how_to_get_it
else
	ktap_fail install_without_dkms_says_how_to_get_it "$(why $rc nodkms.out)"
fi
# 11. bad options: a clear error, nothing installed
mk bad1.out install DESTDIR="$T/bad" LOAD_AT_BOOT=yes; rc1=$?
mk bad2.out install DESTDIR="$T/bad" KTRACE_GROUP='a"b; x'; rc2=$?
if [ $rc1 = 2 ] && [ $rc2 = 2 ] && grep -q "LOAD_AT_BOOT must be 0 or 1, not 'yes'" "$T/bad1.out" &&
   grep -q "KTRACE_GROUP 'a\"b; x' is not a group name" "$T/bad2.out" && [ ! -e "$T/bad" ]; then
	ktap_ok install_rejects_bad_options_installing_nothing
else
	ktap_fail install_rejects_bad_options_installing_nothing "$(why $rc1 bad1.out) / $(why $rc2 bad2.out)"
fi
ktap_finished
