#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list) of build/user/ktrace-heatmap:
# known events -> exact cell counts (log2 and linear rows), SVG cells with
# their counts in the tooltips, bad input reported.  Not executable: the
# guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
HM=build/user/ktrace-heatmap
[ -x $HM ] || ktap_skip_all "$HM not built (make -C user/tools)"
T=${TMPDIR:-/tmp}/hmtest.$$
trap 'rm -f $T $T.*' EXIT
ktap_plan 7
# t0 = 1000; steps of 100 ns: columns 0, 1, 2
cat >$T.in <<'IN'
1000 5
1010 6
1099 1000
1100 7
1250 1023
1250 1024
IN
$HM --step 100 --text $T.in >$T
cat >$T.want <<'W'
# 3 columns of 100ns from t0=1000 ns; rows: latency, highest first; cells: counts
[1.02us,2.05us) 0 0 1
[512ns,1.02us) 1 0 1
[256ns,512ns) 0 0 0
[128ns,256ns) 0 0 0
[64ns,128ns) 0 0 0
[32ns,64ns) 0 0 0
[16ns,32ns) 0 0 0
[8ns,16ns) 0 0 0
[4ns,8ns) 2 1 0
W
ktap_result hm_log2_cells cmp -s $T $T.want
$HM --step 1us --linear --max 1000 --rows 4 --text $T.in >$T
printf '%s\n' '# 1 columns of 1us from t0=1000 ns; rows: latency, highest first; cells: counts' \
	'[750ns,+) 3' '[500ns,750ns) 0' '[250ns,500ns) 0' '[0ns,250ns) 3' >$T.want
ktap_result hm_linear_cells_clamp_top cmp -s $T $T.want
$HM --step 100 $T.in >$T
n=$(grep -c '<rect [^>]*><title>' $T)
[ "$n" -eq 5 ] && ktap_ok hm_svg_one_rect_per_nonempty_cell || ktap_fail hm_svg_one_rect_per_nonempty_cell "$n rects"
ktap_result hm_svg_tooltip_count grep -q '<title>t 0ns..100ns, latency 4ns..8ns: 2</title>' $T
ktap_result hm_svg_axis_labels sh -c "grep -q '>latency (log2)</text>' $T && grep -q '>time (columns of 100ns); max 2 events per cell</text>' $T"
printf '1 2\nfoo bar\n3 -4\n' | $HM --text >$T 2>$T.err; rc=$?
[ $rc -eq 1 ] && grep -q 'line 2' $T.err && grep -q 'line 3' $T.err && ktap_ok hm_bad_lines_reported ||
	ktap_fail hm_bad_lines_reported "status $rc: $(cat $T.err)"
$HM --linear </dev/null >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok hm_linear_needs_max || ktap_fail hm_linear_needs_max "status $rc"
ktap_finished
