#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list) of build/user/ktrace-flamegraph:
# known folded input -> frame widths, order, titles; ktrace printa input
# folds root first; bad input is an error; --countname, --inverted,
# --reverse, --colors (every palette), --width, fractional counts, --diff and
# its folded "stack BEFORE AFTER" form as input; the script is inline.
# Its behaviour in a browser: test_flamegraph_browser.sh.  Not executable: the guest runner
# skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
FG=build/user/ktrace-flamegraph
[ -x $FG ] || ktap_skip_all "$FG not built (make -C user/tools)"
T=${TMPDIR:-/tmp}/fgtest.$$
trap 'rm -f $T $T.*' EXIT
ktap_plan 33
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
# fractional counts: 0.5 of 1.75 samples
printf 'main;a 0.5\nmain;b 1.25\n' | $FG --width 1200 >$T
ktap_result fg_fractional_counts grep -q '<title>a (0.5 samples, 28.57%)</title><rect x="10.00" y="[0-9]*" width="337.14"' $T
printf 'main;a;b 3\nmain;d 4\n' | $FG --countname bytes >$T
ktap_result fg_countname sh -c "grep -q '<title>d (4 bytes, 57.14%)</title>' $T && grep -q '>7 bytes; width' $T"
# icicle: the root at the top (y = 40), its child below it
printf 'main;a 1\n' | $FG --inverted >$T
ktap_result fg_inverted sh -c "grep -q '<title>all (1 samples, 100.00%)</title><rect x=\"10.00\" y=\"40\"' $T &&
	grep -q '<title>main (1 samples, 100.00%)</title><rect x=\"10.00\" y=\"56\"' $T"
printf 'main;a;b 3\nmain;a;c 1\n' | $FG --reverse --fold >$T
printf 'b;a;main 3\nc;a;main 1\n' >$T.want
ktap_result fg_reverse cmp -s $T $T.want
# rgb of the frame whose tooltip starts with NAME
rgb() { grep -o "<title>$1 ([^<]*</title><rect [^>]*fill=\"rgb([0-9,]*)\"" $T | sed 's/.*rgb(\([0-9,]*\)).*/\1/'; }
printf 'java/lang/Thread.run;foo::bar;malloc;do_sys_open_[k] 1\n' | $FG --colors java >$T
j=$(rgb java/lang/Thread.run) y=$(rgb foo::bar) r=$(rgb malloc) k=$(rgb do_sys_open)
if echo "$j" | awk -F, '{ exit !($2 > $1 && $2 > $3) }' && echo "$y" | awk -F, '{ exit !($1 > $3 + 80 && $2 > $3 + 80) }' &&
   echo "$r" | awk -F, '{ exit !($1 > $2 + 60 && $1 > $3 + 60) }' && echo "$k" | awk -F, '{ exit !($1 >= 200 && $3 < 60 && $2 > $3) }' &&
   grep -q '>do_sys_open</text>' $T; then ktap_ok fg_colors_java
else ktap_fail fg_colors_java "java $j c++ $y native $r kernel $k"; fi
printf 'prog`main;libc.so.6`read;vfs_read;0x7f00aa 1\n' | $FG --colors kernel >$T
u=$(rgb 'prog`main') k=$(rgb vfs_read) a=$(rgb 0x7f00aa)
if echo "$u" | awk -F, '{ exit !($3 > $1 + 60) }' && echo "$a" | awk -F, '{ exit !($3 > $1 + 60) }' &&
   echo "$k" | awk -F, '{ exit !($1 > $3 + 100) }'; then ktap_ok fg_colors_kernel_user
else ktap_fail fg_colors_kernel_user "user $u addr $a kernel $k"; fi
echo 'a 1' | $FG --colors rainbow >/dev/null 2>$T.err; rc=$?
[ $rc -eq 2 ] && grep -q "unknown palette 'rainbow'" $T.err && ktap_ok fg_unknown_palette || ktap_fail fg_unknown_palette "status $rc"
# differential: x doubled (red), y halved (blue); widths from the second profile
printf 'main;x 10\nmain;y 10\n' >$T.a
printf 'main;x 20\nmain;y 5\n' >$T.b
$FG --diff $T.a $T.b >$T
x=$(rgb x) y=$(rgb y)
if grep -q '<title>x (20 samples, 80.00%; +10, +100.00%)</title><rect x="10.00" y="[0-9]*" width="944.00"' $T &&
   grep -q '<title>y (5 samples, 20.00%; -5, -50.00%)</title>' $T &&
   [ "$x" = 255,0,0 ] && echo "$y" | awk -F, '{ exit !($3 == 255 && $1 < 255 && $1 == $2) }' &&
   grep -q '>Differential Flame Graph<' $T; then ktap_ok fg_diff_red_blue
else ktap_fail fg_diff_red_blue "x rgb($x) y rgb($y)"; fi
$FG --diff --fold $T.a $T.b >$T
printf 'main;x 10 20\nmain;y 10 5\n' >$T.want
ktap_result fg_diff_fold cmp -s $T $T.want
$FG --diff $T.a >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok fg_diff_needs_two_profiles || ktap_fail fg_diff_needs_two_profiles "status $rc"
# the "stack BEFORE AFTER" lines --diff --fold printed are a differential
# profile on their own: the same graph, the same lines folded again
cp $T $T.d
$FG --diff $T.a $T.b >$T.want
$FG $T.d >$T 2>$T.err; rc=$?
[ $rc -eq 0 ] && cmp -s $T $T.want && [ "$($FG --fold $T.d)" = "$(cat $T.d)" ] &&
	ktap_ok fg_diff_folded_is_a_diff || ktap_fail fg_diff_folded_is_a_diff "status $rc: $(cat $T.err)"
# one form per file: a line with one count among lines with two is reported
# (and the other way round), never read as a frame named "y 10"
printf 'main;x 10 20\nmain;y 5\n' | $FG >/dev/null 2>$T.err; rc1=$?
grep -q "line 2: expected 'frame;frame;... BEFORE AFTER'" $T.err; g1=$?
printf 'main;x 5\nmain;y 10 20\n' | $FG --fold >$T 2>$T.err; rc2=$?
if [ $rc1 -eq 1 ] && [ $g1 -eq 0 ] && [ $rc2 -eq 1 ] && grep -q "line 2: expected 'frame;frame;... COUNT'" $T.err &&
   [ "$(cat $T)" = 'main;x 5' ]; then ktap_ok fg_count_forms_not_mixed
else ktap_fail fg_count_forms_not_mixed "status $rc1, $rc2: $(cat $T.err)"; fi
$FG --diff $T.d $T.b >$T 2>$T.err; rc=$?
[ $rc -eq 1 ] && [ ! -s $T ] && grep -q "$T.d has two counts per stack: it is a differential profile already" $T.err &&
	ktap_ok fg_diff_refuses_a_diff || ktap_fail fg_diff_refuses_a_diff "status $rc: $(cat $T.err)"
# --width 600: 580 px for 8 samples, 72.5 px each; the buttons at the right edge
printf 'main;a;b 3\nmain;d 4\nmain;a;c 1\n' | $FG --width 600 >$T
if grep -q '<svg [^>]* width="600" height="[0-9]*" viewBox="0 0 600 [0-9]*" [^>]*data-width="600"' $T &&
   frame all 10.00 580.00 && frame b 10.00 217.50 && frame c 227.50 72.50 && frame d 300.00 290.00 &&
   grep -q '<text id="search" class="button" x="590"' $T; then ktap_ok fg_width_600
else ktap_fail fg_width_600 "$(grep -o '<title>[^<]*</title><rect x="[^"]*" y="[0-9]*" width="[^"]*"' $T | tr '\n' '|')"; fi
# every palette: each frame (not the root "all") in the palette's range, in more
# than one shade.  mem is green, io blue.
for f in 1 2 3 4 5 6 7 8 9 10 11 12; do printf 'main;fn%d 1\n' $f; done >$T.in
for pal in mem:50-129,200-254,=r io:80-159,=r,200-254 red:200-254,50-129,=g green:50-129,200-254,=r \
	   blue:80-159,=r,200-254 aqua:50-129,165-219,=g yellow:175-229,=r,50-104 \
	   purple:190-244,80-159,=r orange:200-254,110-164,0-54; do
	name=${pal%%:*} want=${pal#*:}
	$FG --colors $name $T.in >$T
	grep -o '<title>[^<]*</title><rect [^>]*fill="rgb([0-9,]*)"' $T | grep -v '^<title>all ' |
		sed 's/.*rgb(\([0-9,]*\)).*/\1/' >$T.rgb
	bad=$(awk -F, -v want="$want" '
	function ok(v, spec, lo) {
		if (spec == "=r") return v == $1
		if (spec == "=g") return v == $2
		split(spec, lo, "-"); return v >= lo[1] && v <= lo[2]
	}
	BEGIN { split(want, w, ",") }
	{ seen[$0] = 1; n++ }
	!(ok($1, w[1]) && ok($2, w[2]) && ok($3, w[3])) { print "rgb(" $0 ")" }
	END { k = 0; for (c in seen) k++; if (n != 13 || k < 2) print n " frames, " k " shades" }' $T.rgb)
	[ -z "$bad" ] && ktap_ok fg_colors_$name || ktap_fail fg_colors_$name "$(echo $bad)"
done
# interactive and offline: an inline script, no URL but the SVG namespace
printf 'main;a 1\n' | $FG --title 'a<b&"c' >$T
if grep -q '<script type="text/ecmascript"><!\[CDATA\[' $T && grep -q 'onload="init()"' $T &&
   ! grep -o 'https\?://[^" ]*' $T | grep -vqx 'http://www.w3.org/2000/svg' &&
   grep -q '>a&lt;b&amp;&quot;c</text>' $T && grep -q 'id="search"' $T && grep -q 'id="resetzoom"' $T &&
   grep -q '<g class="f" data-x="10.00" data-w="1180.00" data-d="0">' $T; then ktap_ok fg_interactive_offline_svg
else ktap_fail fg_interactive_offline_svg "$(head -c 300 $T)"; fi
echo 'main;a -1' | $FG >/dev/null 2>&1; rc=$?
[ $rc -eq 1 ] && ktap_ok fg_negative_count_refused || ktap_fail fg_negative_count_refused "status $rc"
ktap_finished
