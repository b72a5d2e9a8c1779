#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# softirqs: loopback TCP traffic (the helper's 20 connections) is received
# in NET_RX soft interrupts, which show with counts and times; -i prints
# one table per interval.
. "$(dirname "$0")/lib.sh"
ktap_plan 4
usage_checks softirqs
P=$((20000 + ($$ + 29) % 20000))
bg_until '^Tracing soft' softirqs
"$W" tcp $P 20
bg_stop
n=$(awk '$1 == "NET_RX" && $2 ~ /^[0-9]+$/ && $3 ~ /^[0-9]+$/ { print $2 }' $OUT)
[ "${n:-0}" -ge 1 ] && ktap_ok softirqs_sees_net_rx ||
	ktap_fail softirqs_sees_net_rx "$(head -c 600 $OUT | tr '\n' '|')"
softirqs -C -i 1 -d 3 >$OUT 2>&1
t=$(grep -c '^ *CPU SOFTIRQ' $OUT)
[ "$t" -ge 2 ] && ktap_ok softirqs_intervals || ktap_fail softirqs_intervals "$t tables: $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
