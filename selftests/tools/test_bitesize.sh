#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bitesize -n dd while dd makes direct I/O of known sizes on the null_blk
# disk: 8 reads of 4 KiB, 4 of 64 KiB and 3 writes of 16 KiB land in dd's
# histogram in exactly those buckets (the writes are issued by a kworker,
# but counted for dd, which submitted them); with -R the writes are left
# out; with -p only that process's I/O is counted.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks bitesize
if [ ! -b /dev/nullb0 ]; then
	ktap_missing bitesize_sizes nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_missing bitesize_reads_only nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_missing bitesize_pid_filter nullb0 "no null_blk disk (nullb0) in this guest"
	ktap_finished
fi
# hist: "KIB:COUNT ..." of dd's histogram in $OUT
hist() {
	awk '/^dd$/ { on = 1; next } on && $2 ~ /^\|/ && $NF > 0 { printf "%s:%s ", $1, $NF }
		on && /^$/ && n++ { on = 0 }' $OUT
}
# sizes OPTION...: bitesize -n dd OPTION... during the I/O
sizes() {
	bg_until '^Tracing block I/O sizes' bitesize -n dd "$@"
	dd if=/dev/nullb0 of=/dev/null bs=4k count=8 iflag=direct 2>/dev/null
	dd if=/dev/nullb0 of=/dev/null bs=64k count=4 iflag=direct 2>/dev/null
	dd if=/dev/zero of=/dev/nullb0 bs=16k count=3 oflag=direct 2>/dev/null
	bg_stop
	hist
}
got=$(sizes)
[ "$got" = "4:8 16:3 64:4 " ] && ktap_ok bitesize_sizes ||
	ktap_fail bitesize_sizes "got '$got', wanted '4:8 16:3 64:4 ': $(head -c 900 $OUT | tr '\n' '|')"
got=$(sizes -R)
[ "$got" = "4:8 64:4 " ] && ktap_ok bitesize_reads_only ||
	ktap_fail bitesize_reads_only "got '$got', wanted '4:8 64:4 ': $(head -c 900 $OUT | tr '\n' '|')"
# -p: a dd whose pid is known before it runs (it waits on a fifo), and
# another dd that is not counted
mkfifo $OUT.go
sh -c "read x <$OUT.go; exec dd if=/dev/nullb0 of=/dev/null bs=8k count=5 iflag=direct 2>/dev/null" &
p=$!
bg_until '^Tracing block I/O sizes' bitesize -p $p
dd if=/dev/nullb0 of=/dev/null bs=4k count=2 iflag=direct 2>/dev/null
echo go >$OUT.go
wait $p
bg_stop
got=$(hist)
[ "$got" = "8:5 " ] && ktap_ok bitesize_pid_filter ||
	ktap_fail bitesize_pid_filter "got '$got', wanted '8:5 ': $(head -c 900 $OUT | tr '\n' '|')"
ktap_finished
