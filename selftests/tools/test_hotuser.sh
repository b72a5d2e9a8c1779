#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hotuser: toolwork spin burns CPU in spin_leaf -> spin_mix (user mode): they
# lead the list, offsets merged per function, shares summing to ~100%; -l
# puts the samples in the toolwork binary; -p samples a running process.
. "$(dirname "$0")/lib.sh"
ktap_plan 6
usage_checks hotuser
hotuser -t 0 -c "$W spin 1500" >$OUT 2>&1
has hotuser_header "^FUNCTION +SAMPLES +PCT$"
# the two spin functions have most of the samples
top=$(awk '$1 ~ /`spin_(leaf|mix)$/ { p += $3 } END { print int(p) }' $OUT)
if [ "$top" -ge 60 ] && ! grep -q '+0x' $OUT; then ktap_ok hotuser_finds_spin_functions
else ktap_fail hotuser_finds_spin_functions "spin_* $top%: $(head -c 700 $OUT | tr '\n' '|')"; fi
hotuser -l -c "$W spin 1500" >$OUT 2>&1
has hotuser_by_library "^toolwork +[0-9]+ +([6-9][0-9]|100)\.[0-9]%$"
"$W" spin 600000 & S=$!
sleep 0.3
hotuser -p $S -d 1 >$OUT 2>&1
kill $S; wait $S 2>/dev/null
top=$(awk '$1 ~ /`spin_(leaf|mix)$/ { p += $3 } END { print int(p) }' $OUT)
[ "$top" -ge 60 ] && ktap_ok hotuser_attaches_to_pid ||
	ktap_fail hotuser_attaches_to_pid "spin_* $top%: $(head -c 700 $OUT | tr '\n' '|')"
ktap_finished
