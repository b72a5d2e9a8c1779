#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktrace-profile folds user stacks of a spinning process (frames walk up
# from the leaf through main, by name), and kernel stacks of a syscall storm.
. "$(dirname "$0")/lib.sh"
ktap_plan 7
usage_checks ktrace-profile
# -p: the profile ends when the process does (10 s of spinning; -d 120 is
# only a bound), and its frames resolve although it is gone by then
"$W" spin 10000 & p=$!
t0=$(date +%s)
ktrace-profile -u -p $p -d 120 >$OUT 2>$OUT.err
t=$(($(date +%s) - t0))
kill $p 2>/dev/null; wait $p 2>/dev/null
[ $t -lt 100 ] && ktap_ok profile_ends_with_its_process ||
	ktap_fail profile_ends_with_its_process "ran $t s, the process spun 10 s"
if grep -Eq '^[^ ]+ [0-9]+$' $OUT && ! grep -Evq '^[^ ]+ [0-9]+$' $OUT; then ktap_ok profile_folded_format
else ktap_fail profile_folded_format "$(head -c 300 $OUT | tr '\n' '|') $(head -c 200 $OUT.err)"; fi
# the spin loop's stacks have two or more frames (leaf;...;caller)
n=$(awk '$1 ~ /;/ { s += $2 } END { print s + 0 }' $OUT)
[ "$n" -ge 20 ] && ktap_ok profile_user_stacks_walk || ktap_fail profile_user_stacks_walk "$n multi-frame samples: $(head -c 300 $OUT | tr '\n' '|')"
# ... with symbols, not addresses: main calls spin_leaf, which calls spin_mix
n=$(awk '$1 ~ /(^|;)toolwork`main;(.*;)?toolwork`spin_(leaf|mix)$/ { s += $2 } END { print s + 0 }' $OUT)
[ "$n" -ge 20 ] && ktap_ok profile_user_frames_symbolic ||
	ktap_fail profile_user_frames_symbolic "$n samples in toolwork\`main;...;toolwork\`spin_*: $(head -c 300 $OUT | tr '\n' '|')"
"$W" sys 6000 & p=$!
ktrace-profile -k -p $p -d 2 >$OUT 2>$OUT.err
kill $p 2>/dev/null; wait $p 2>/dev/null
has profile_kernel_stacks "(getppid|syscall|entry_SYSCALL).* [0-9]+$"
ktap_finished
