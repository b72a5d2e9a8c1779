#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rwsnoop on toolwork slowrw FILE 1 (2 writes and 2 reads of 4096 bytes of
# FILE), toolwork read 5 (5 reads of 64 bytes of /dev/zero) and toolwork
# pipe 3 1 (tw_writer writes 3 single bytes to a pipe, tw_reader reads them).
. "$(dirname "$0")/lib.sh"
ktap_plan 8
usage_checks rwsnoop
rwsnoop -R -W >$OUT 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok rwsnoop_R_W_exclusive || ktap_fail rwsnoop_R_W_exclusive "status $rc"
F=/tmp/kt_rw.dat
# count COMM D BYTES FILE_ERE: lines of $OUT with these columns
count() {
	awk -v c="$1" -v d="$2" -v b="$3" -v f="$4" '$2 == c && $3 == d && $5 == b && $6 ~ f { n++ }
		END { print n + 0 }' $OUT
}
uffd=1
no_uffd && uffd=0
bg_until 'PID +COMM' rwsnoop
[ $uffd = 0 ] || "$W" slowrw $F 1
"$W" read 5
"$W" pipe 3 1
sleep 0.3
bg_stop
if [ $uffd = 0 ]; then ktap_skip rwsnoop_file_reads_writes "$UFFD_WHY"
else
	[ "$(count toolwork W 4096 '^kt_rw[.]dat$')" = 2 ] && [ "$(count toolwork R 4096 '^kt_rw[.]dat$')" = 2 ] &&
		ktap_ok rwsnoop_file_reads_writes ||
		ktap_fail rwsnoop_file_reads_writes "$(grep kt_rw $OUT | tr '\n' '|' | head -c 600)"
fi
[ "$(count toolwork R 64 '^zero$')" = 5 ] && ktap_ok rwsnoop_device_reads ||
	ktap_fail rwsnoop_device_reads "$(grep zero $OUT | tr '\n' '|' | head -c 600)"
# both ends of the pipe: the same pipe:[INODE]
w=$(awk '$2 == "tw_writer" && $3 == "W" && $5 == 1 { print $6 }' $OUT | sort -u)
r=$(awk '$2 == "tw_reader" && $3 == "R" && $5 == 1 { print $6 }' $OUT | sort -u)
if [ "$(count tw_writer W 1 '^pipe:[[][0-9]+[]]$')" = 3 ] && [ "$(count tw_reader R 1 '^pipe:')" = 3 ] &&
   [ "$w" = "$r" ]; then ktap_ok rwsnoop_pipe_both_ends
else ktap_fail rwsnoop_pipe_both_ends "writer '$w' reader '$r': $(grep tw_ $OUT | tr '\n' '|' | head -c 600)"; fi
if [ $uffd = 0 ]; then
	ktap_skip rwsnoop_fd_column "$UFFD_WHY"
	ktap_skip rwsnoop_reads_only "$UFFD_WHY"
else
	# the file descriptor column: slowrw's file is its first open (fd 3)
	[ "$(awk '$6 == "kt_rw.dat" { print $4 }' $OUT | sort -u)" = 3 ] && ktap_ok rwsnoop_fd_column ||
		ktap_fail rwsnoop_fd_column "$(grep kt_rw $OUT | tr '\n' '|' | head -c 300)"
	# -R -n toolwork: the reads only
	bg_until 'PID +COMM' rwsnoop -R -n toolwork
	"$W" slowrw $F 1
	sleep 0.3
	bg_stop
	if [ "$(count toolwork R 4096 '^kt_rw[.]dat$')" = 2 ] && ! awk '$3 == "W"' $OUT | grep -q .; then
		ktap_ok rwsnoop_reads_only
	else ktap_fail rwsnoop_reads_only "$(tr '\n' '|' <$OUT | head -c 600)"; fi
fi
ktap_finished
