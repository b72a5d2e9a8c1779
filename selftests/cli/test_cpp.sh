#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktrace -C and its companions -D, -U, -I, -H (as dtrace(1)), through the
# CLI on the host with -e (compile and verify, no module needed).  KTAP.
ktrace=${KTRACE:-ktrace}
echo "KTAP version 1"
if [ ! -x "$ktrace" ]; then
	echo "1..0 # SKIP $ktrace not built"
	exit 4
fi
echo "1..19"
d=$(mktemp -d /tmp/ktrace-cpp.XXXXXX) || exit 1
trap 'rm -rf "$d"' EXIT
n=0 fail=0
# t NAME STATUS CMD...: CMD exits with STATUS; its output is in $d/out, $d/err
t() {
	name=$1 want=$2; shift 2
	n=$((n + 1))
	"$@" >"$d/out" 2>"$d/err"; rc=$?
	if [ "$rc" = "$want" ]; then echo "ok $n $name"; else
		fail=1; echo "# $name: exit $rc, want $want"; sed 's/^/# /' "$d/err" | head -5
		echo "not ok $n $name"; fi
}
# has NAME FILE TEXT: FILE has a line containing TEXT
has() {
	n=$((n + 1))
	if grep -qF -- "$3" "$2"; then echo "ok $n $1"; else
		fail=1; echo "# $1: no '$3' in: $(head -c 300 "$2" | tr '\n' '|')"; echo "not ok $n $1"; fi
}

mkdir -p "$d/inc"
cat >"$d/inc/limits.h" <<'EOF'
#define LIMIT 100
EOF
cat >"$d/prog.d" <<'EOF'
#!/usr/sbin/ktrace -Cs
#include <limits.h>
#ifndef VAL
#error VAL is not defined
#endif
#if VAL != 3
#error VAL is not 3
#endif
#ifdef __ktrace
#define WHO "ktrace"
#else
#error __ktrace undefined
#endif
#define RATIO(a, b) ((a) * LIMIT / (b))
BEGIN { printf("%s %d\n", WHO, RATIO(VAL, 2)); exit(0); }
EOF

t C_D_I_program_compiles 0 "$ktrace" -e -C -D VAL=3 -I "$d/inc" -s "$d/prog.d"
t directive_without_C_fails 1 "$ktrace" -e -D VAL=3 -I "$d/inc" -s "$d/prog.d"
has directive_without_C_names_C "$d/err" "needs the C preprocessor (ktrace -C)"
t D_value_checked_by_if 1 "$ktrace" -e -C -D VAL=4 -I "$d/inc" -s "$d/prog.d"
has error_directive_reported_with_place "$d/err" "prog.d:7:1: error: #error VAL is not 3"
t U_undefines_predefined 1 "$ktrace" -e -C -D VAL=3 -U __ktrace -I "$d/inc" -s "$d/prog.d"
t include_not_found_without_I 1 "$ktrace" -e -C -D VAL=3 -s "$d/prog.d"
t H_lists_included_files 0 "$ktrace" -e -C -H -D VAL=3 -I "$d/inc" -s "$d/prog.d"
has H_prints_depth_and_path "$d/err" ". $d/inc/limits.h"
t D_bad_name_is_usage_error 2 "$ktrace" -e -C -D 1VAL=3 -n 'BEGIN { exit(0); }'
# the expansion reaches the program: -S shows the folded constant 150
# (RATIO(3, 2) = 3 * 100 / 2)
"$ktrace" -e -S -C -D VAL=3 -I "$d/inc" -s "$d/prog.d" >"$d/out" 2>&1
has expansion_reaches_bytecode "$d/out" "seti  %r1, 150"
# DTrace's -x forms (options/tst.cpp.d, tst.undef.d, tst.stdc-*.d): cpp is -C,
# define/undef are -D/-U, stdc=a|t define __STDC__ as 0, c as 1, s not at all
t x_cpp_define_are_C_D 0 "$ktrace" -e -xcpp -xdefine=VAL=3 -I "$d/inc" -s "$d/prog.d"
# options/tst.incdir.sh: -x incdir=DIR is -I DIR
t x_incdir_is_I 0 "$ktrace" -e -xcpp -xdefine=VAL=3 -xincdir="$d/inc" -s "$d/prog.d"
t x_incdir_without_dir_is_usage_error 2 "$ktrace" -e -C -xincdir -s "$d/prog.d"
t x_undef_is_U 1 "$ktrace" -e -xcpp -xdefine=VAL=3 -xundef=__ktrace -I "$d/inc" -s "$d/prog.d"
cat >"$d/stdc.d" <<'EOF'
#ifdef __STDC__
BEGIN { exit(__STDC__ + 10); }
#else
BEGIN { exit(99); }
#endif
EOF
for x in a:10 c:11 s:99; do
	"$ktrace" -e -S -C -xstdc=${x%:*} -s "$d/stdc.d" >"$d/out" 2>&1
	has x_stdc_${x%:*}_stdc_is_${x#*:} "$d/out" "seti  %r1, ${x#*:}"
done
t x_stdc_bad_value_exit_1 1 "$ktrace" -e -C -xstdc=X -s "$d/stdc.d"
exit $fail
