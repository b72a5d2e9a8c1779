#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# `make demo` (and any target that runs after `make deps`) on a fresh machine:
# the kernel header trees appear only when deps installs them, and the same
# make invocation must then use them (issue 12: the first `make demo` stopped
# with "no kernel headers in ''").  Runs the real Makefile in a copy of the
# tree, with a scratch headers root whose trees the fake package installer
# creates (HEADERS_ROOT, DEPS_QUERY, DEPS_INSTALL), a stand-in kbuild tree
# that records the build, and a stand-in vm/run (VMRUN) that checks the
# module it was given.  The CLI build is the real one.
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
. selftests/lib/ktap.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/fresh-deps.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
command -v make >/dev/null || ktap_skip_all "no make"
ktap_plan 4

# the tree: sources plus the already-built CLI objects (mtimes kept, so the
# copy's `make user` has nothing to do when the caller built the CLI)
mkdir -p "$T/src"
tar -C "$TOP" --exclude=./.git --exclude=./build --exclude='*.ko' --exclude='*.o' \
	--exclude='*.cmd' --exclude='*.mod' --exclude='*.mod.c' -cf - . | tar -C "$T/src" -xf -
[ -d build/user ] && mkdir -p "$T/src/build" && cp -a build/user "$T/src/build/"

# fake package manager: a package is installed once its marker exists;
# installing linux-headers-* creates a kbuild tree in the scratch root
cat >"$T/query" <<'Q'
#!/bin/sh
[ -e "$FRESH/installed/$1" ] && echo "install ok installed"
exit 0
Q
cat >"$T/install" <<'I'
#!/bin/sh
echo "$*" >>"$FRESH/install.log"
for p in "$@"; do
	: >"$FRESH/installed/$p"
	case $p in
	linux-headers-cloud-amd64) f=6.1.0-99-cloud-amd64 ;;
	linux-headers-amd64) f=6.1.0-99-amd64 ;;
	linux-headers-rt-amd64) f=6.1.0-99-rt-amd64 ;;
	*) continue ;;
	esac
	mkdir -p "$FRESH/usr/src/linux-headers-$f"
	printf 'modules:\n\t@echo "$(CURDIR)" >>"$(M)/kbuild.log"\n\t@echo "built against $(CURDIR)" >"$(M)/ktrace.ko"\n' \
		>"$FRESH/usr/src/linux-headers-$f/Makefile"
done
I
cat >"$T/vmrun" <<'V'
#!/bin/sh
k=cloud
[ "$1" = --kernel ] && k=$2
echo "$k $(cat "build/$k/ktrace.ko" 2>&1)" >>"$FRESH/vmrun.log"
V
chmod +x "$T/query" "$T/install" "$T/vmrun"

# fresh WHO: an empty machine (no package installed, no headers)
fresh() {
	rm -rf "$T/m" && mkdir -p "$T/m/installed" "$T/m/usr/src"
	rm -rf "$T/src/build/cloud" "$T/src/build/generic" "$T/src/build/rt" "$T/src/kbuild.log"
}
# mk LOG ARGS...: make in the copy against the fake machine
mk() {
	_log=$1; shift
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u KDIR -u KDIR_cloud -u KDIR_generic -u KDIR_rt \
		-u KERNEL FRESH=$T/m make -C "$T/src" HEADERS_ROOT="$T/m/usr/src" DEPS_QUERY="$T/query" \
		DEPS_INSTALL="$T/install" VMRUN="$T/vmrun" "$@" >"$T/$_log" 2>&1
}
why() { echo "status $1; $(tail -n 5 "$T/$2" | tr '\n' '|')"; }

fresh
mk demo.out demo; rc=$?
want="cloud built against $T/m/usr/src/linux-headers-6.1.0-99-cloud-amd64"
if [ $rc = 0 ] && [ "$(cat "$T/m/vmrun.log" 2>/dev/null)" = "$want" ]; then
	ktap_ok demo_on_fresh_machine_uses_headers_deps_installed
else
	ktap_fail demo_on_fresh_machine_uses_headers_deps_installed "$(why $rc demo.out)"
fi

# the second run installs nothing and boots again
mk demo2.out demo; rc=$?
if [ $rc = 0 ] && [ "$(wc -l <"$T/m/install.log")" = 1 ] && [ "$(wc -l <"$T/m/vmrun.log")" = 2 ]; then
	ktap_ok demo_second_run_installs_nothing
else
	ktap_fail demo_second_run_installs_nothing "$(why $rc demo2.out)"
fi

# KERNEL=rt, in parallel: the demo boots the flavour it built the module for
fresh
mk demo-rt.out -j4 demo KERNEL=rt; rc=$?
want="rt built against $T/m/usr/src/linux-headers-6.1.0-99-rt-amd64"
if [ $rc = 0 ] && [ "$(cat "$T/m/vmrun.log" 2>/dev/null)" = "$want" ]; then
	ktap_ok demo_rt_on_fresh_machine_boots_rt_module
else
	ktap_fail demo_rt_on_fresh_machine_boots_rt_module "$(why $rc demo-rt.out)"
fi

# deps and a module build as goals of one make
fresh
mk goals.out deps module KERNEL=generic; rc=$?
if [ $rc = 0 ] && [ "$(cat "$T/src/build/generic/ktrace.ko" 2>/dev/null)" = \
	"built against $T/m/usr/src/linux-headers-6.1.0-99-amd64" ]; then
	ktap_ok deps_then_module_in_one_make
else
	ktap_fail deps_then_module_in_one_make "$(why $rc goals.out)"
fi
ktap_finished
