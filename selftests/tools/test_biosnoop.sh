#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# biosnoop shows one line per request of dd's 8 direct 4 KiB reads from the
# null_blk disk: issued by dd, that disk, read, sectors 0, 8, ..., 56, 4096
# bytes each; -D takes the disk, and another disk's filter shows none.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks biosnoop
dev=$(cat /sys/block/nullb0/dev 2>/dev/null)
if [ -z "$dev" ]; then
	ktap_missing biosnoop_sees_requests nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_missing biosnoop_disk_filter nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_finished
	exit 0
fi
d=$(echo $dev | tr : ,)
# reads DISK: run biosnoop -D DISK during the 8 reads; the matching lines
reads() {
	biosnoop -D "$1" -d 4 >$OUT 2>&1 &
	BG=$!
	_i=0
	while ! grep -q '^COMM' $OUT && [ $_i -lt 300 ]; do sleep 0.1; _i=$((_i + 1)); done
	dd if=/dev/nullb0 of=/dev/null bs=4k count=8 iflag=direct 2>/dev/null
	wait $BG
	# COMM PID DISK T SECTOR BYTES LAT
	awk -v d=$d '$1 == "dd" && $3 == d && $4 ~ /^R/ && $6 == 4096 && $7 ~ /^[0-9]+$/ { print $5 }' $OUT |
		sort -n | tr '\n' ' '
}
got=$(reads $d)
[ "$got" = "0 8 16 24 32 40 48 56 " ] && ktap_ok biosnoop_sees_requests ||
	ktap_fail biosnoop_sees_requests "sectors '$got': $(head -c 600 $OUT | tr '\n' '|')"
got=$(reads 4095,1048575)
n=$(grep -vc -e '^COMM' -e '^Tracing' $OUT)
[ -z "$got" ] && [ "$n" -eq 0 ] && ktap_ok biosnoop_disk_filter ||
	ktap_fail biosnoop_disk_filter "$n lines for another disk: $(head -c 300 $OUT | tr '\n' '|')"
ktap_finished
