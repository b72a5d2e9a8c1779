#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# tcpsynbl while the helper queues 8 connections on a listener of backlog 8
# that does not accept them (the queue holds 0, 1, ..., 7 as each completes,
# two the same length when their handshakes complete at once)
# and makes 3 connections to a listener of backlog 16 that accepts each at
# once (0 every time): the two histograms hold exactly that; -P keeps only
# the listener on that port.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks tcpsynbl
P=$((20000 + ($$ + 53) % 20000)) Q=$((20000 + ($$ + 59) % 20000))
# hist LIMIT: "VALUE:COUNT ..." of the histogram for backlog limit LIMIT
hist() {
	awk -v t="backlog limit $1" '$0 == t { on = 1; next } /^backlog limit / { on = 0 }
		on && $2 ~ /^\|/ && $NF > 0 { printf "%s:%s ", $1, $NF }' $OUT
}
bg_until '^Tracing SYN backlog' tcpsynbl
"$W" backlog $P 8
"$W" tcp $Q 3
bg_stop
# Serially the eight completions see 0, 1, ..., 7 ("0:1 1:1 2:2 4:4").  Two
# handshakes' last ACKs can be processed at once on the two CPUs (one
# deferred to ksoftirqd), and then both see the same length: what must
# hold is eight completions, the first at 0, and the queue reaching 4..7.
got=$(hist 8)
n8=$(echo "$got" | tr ' ' '\n' | awk -F: '{ n += $2 } END { print n + 0 }')
case "$got" in
0:*" 4:"*) grows=1 ;;
*) grows=0 ;;
esac
[ "$n8" = 8 ] && [ $grows = 1 ] && ! echo "$got" | grep -q ' 8:' && ktap_ok tcpsynbl_queue_grows ||
	ktap_fail tcpsynbl_queue_grows "limit 8: '$got': $(head -c 900 $OUT | tr '\n' '|')"
got=$(hist 16)
[ "$got" = "0:3 " ] && ktap_ok tcpsynbl_queue_empty ||
	ktap_fail tcpsynbl_queue_empty "limit 16: '$got': $(head -c 900 $OUT | tr '\n' '|')"
bg_until '^Tracing SYN backlog' tcpsynbl -P $Q
"$W" backlog $P 8
"$W" tcp $Q 3
bg_stop
got="$(hist 8)|$(hist 16)"
[ "$got" = "|0:3 " ] && ktap_ok tcpsynbl_port_filter ||
	ktap_fail tcpsynbl_port_filter "'$got': $(head -c 900 $OUT | tr '\n' '|')"
ktap_finished
