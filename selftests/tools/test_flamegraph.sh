#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list) of build/user/ktrace-flamegraph:
# known folded input -> frame widths, order, titles; ktrace printa input
# folds root first; bad input is an error.  Not executable: the guest runner
# skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
FG=build/user/ktrace-flamegraph
[ -x $FG ] || ktap_skip_all "$FG not built (make -C user/tools)"
T=${TMPDIR:-/tmp}/fgtest.$$
trap 'rm -f $T $T.*' EXIT
ktap_plan 8
# 8 samples over 1180 px (width 1200 - 2*10): 147.5 px per sample
printf 'main;a;b 3\nmain;d 4\nmain;a;c 1\n# comment\n' | $FG --width 1200 >$T
frame() {	# name x width
	grep -q "<title>$1 ([0-9]* samples, [0-9.]*%)</title><rect x=\"$2\" y=\"[0-9]*\" width=\"$3\"" $T
}
ktap_result fg_root_full_width frame all 10.00 1180.00
ktap_result fg_frame_widths_by_samples sh -c "grep -q '<title>b (3 samples, 37.50%)</title><rect x=\"10.00\" y=\"[0-9]*\" width=\"442.50\"' $T &&
	grep -q '<title>d (4 samples, 50.00%)</title><rect x=\"600.00\" y=\"[0-9]*\" width=\"590.00\"' $T"
# children sorted by name: a (x=10) before d (x=600), c right after b
ktap_result fg_sorted_alphabetically frame c 452.50 147.50
# same name, same colour: warm (red >= 205, blue <= 55)
cols=$(grep -o 'fill="rgb([0-9]*,[0-9]*,[0-9]*)"' $T | sed 's/[^0-9,]//g' |
	awk -F, '$1 < 205 || $3 > 55 { bad++ } END { print bad + 0 }')
[ "$cols" -eq 0 ] && ktap_ok fg_warm_palette || ktap_fail fg_warm_palette "$cols non-warm frames"
ktap_result fg_valid_svg_envelope sh -c "head -n 2 $T | grep -q '<svg ' && tail -n 1 $T | grep -qx '</svg>'"
printf '\n              vmlinux`vfs_read+0x10\n              vmlinux`ksys_read+0x5\n                5\n\n              vmlinux`vfs_read+0x22\n              vmlinux`ksys_read+0x5\n                2\n\n              vmlinux`schedule+0x1\n\n              libc.so.6`read+0x4\n              prog`main+0x9\n                1\n' |
	$FG --from-ktrace --fold >$T
printf 'ksys_read;vfs_read 7\nprog`main;libc.so.6`read;schedule 1\n' >$T.want
ktap_result fg_from_ktrace_folds cmp -s $T $T.want
echo 'main;a notanumber' | $FG >$T 2>$T.err; rc=$?
[ $rc -ne 0 ] && grep -q 'line 1' $T.err && ktap_ok fg_bad_line_reported || ktap_fail fg_bad_line_reported "status $rc"
$FG --width 5 </dev/null >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok fg_bad_width_usage || ktap_fail fg_bad_width_usage "status $rc"
ktap_finished
