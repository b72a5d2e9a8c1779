#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The classic one-liners of the stable providers (DTrace's documentation,
# the DTrace book, the one-liner pages), run unchanged through the D
# library's translators (user/lib/proc.d, sched.d, io.d, ip.d, tcp.d,
# udp.d), each on a
# workload this test controls, each with the output that workload must
# give: the translated members agree with what the workload says it did.
cd "$(dirname "$0")" || exit 1
. ./stable_lib.sh
ktap_plan 18

# new processes: the exec'd image's name
kt -n 'proc:::exec-success { trace(curpsinfo->pr_fname); }' -c "$W exec 1"
same oneliner_exec_success_fname "workload" "$(grep -o 'workload' $OUT | head -n1)"

# process creation, child pid and parent from psinfo_t
kt -n 'proc:::create /pid == $target/ { printf("%d %d\n", args[0]->pr_pid, args[0]->pr_ppid); }' -c "$W fork 3"
same oneliner_create_psinfo "$(awk '$1 == "child" { print $2 }' $OUT | sort)" \
	"$(awk 'NF == 2 && $1 ~ /^[0-9]+$/ { print $1 }' $OUT | sort)"
pp=$(awk 'NF == 2 && $1 ~ /^[0-9]+$/ { print $2 }' $OUT | sort -u)
[ -n "$pp" ] && [ "$(echo "$pp" | wc -l)" = 1 ] && ktap_ok oneliner_create_ppid_is_target ||
	ktap_fail oneliner_create_ppid_is_target "ppids '$pp'"

# signals by sender, recipient and number (sig.d)
kt -n 'proc:::signal-send { @[execname, stringof(args[1]->pr_fname), args[2]] = count(); }' -c "$W kill 3"
same oneliner_signal_send "workload workload 15 3" "$(awk '$1 == "workload" && $3 == 15 { print $1, $2, $3, $4 }' $OUT)"

# exit reasons
kt -n 'proc:::exit /ppid == $target/ { @[args[0] == CLD_KILLED ? "killed" : args[0] == CLD_EXITED ? "exited" : "dumped"] = count(); }' -c "$W kill 2"
same oneliner_exit_reason "killed 2" "$(awk 'NF == 2 { print $1, $2 }' $OUT)"

# threads created: lwpsinfo_t's id is a thread of the creator's process
kt -n 'proc:::lwp-create /pid == $target/ { @[args[0]->pr_lwpid != pid && args[1]->pr_pid == pid] = count(); }' -c "$W threads 3"
same oneliner_lwp_create "1 3" "$(awk 'NF == 2 { print $1, $2 }' $OUT)"

# on-CPU time per CPU (the DTrace guide's sched example): one
# distribution per CPU, every value counted
kt -n 'sched:::on-cpu { self->ts = timestamp; } sched:::off-cpu /self->ts/ { @[cpu] = quantize(timestamp - self->ts); self->ts = 0; }' -c "$W sleep 30"
n=$(grep -c 'value  ---' $OUT)
[ "$n" -ge 1 ] && [ "$n" -le "$(grep -c ^processor /proc/cpuinfo)" ] && ktap_ok oneliner_oncpu_quantize ||
	ktap_fail oneliner_oncpu_quantize "$n distributions: $(head -c 300 $OUT | tr '\n' '|')"

# who wakes the target: the woken thread is the target's
kt -n 'sched:::wakeup /args[1]->pr_pid == $target/ { @[args[0]->pr_lwpid == $target] = count(); }' -c "$W sleep 30"
same oneliner_wakeup_lwpsinfo "1" "$(awk 'NF == 2 { print $1 }' $OUT)"

if [ -b /dev/nullb0 ]; then
	# I/O size distribution by process (iosnoop's classic)
	kt -n 'io:::start { @size[execname] = quantize(args[0]->b_bcount); }' -c "dd if=/dev/nullb0 of=/dev/null bs=8k count=4 iflag=direct"
	same oneliner_io_size_quantize "8192 4" "$(awk '$1 == 8192 { print $1, $NF }' $OUT)"
	# bytes by device and direction (the DTrace guide's io example)
	kt -n 'io:::start { @[args[1]->dev_statname, args[0]->b_flags & B_READ ? "R" : "W"] = sum(args[0]->b_bcount); }' \
		-c "dd if=/dev/zero of=/dev/nullb0 bs=4k count=3 oflag=direct"
	same oneliner_io_dev_bytes "nullb0 W 12288" "$(awk '$1 == "nullb0" { print $1, $2, $3 }' $OUT)"
else
	ktap_missing oneliner_io_size_quantize nullb0 "no /dev/nullb0 (null_blk not loaded)"
	ktap_missing oneliner_io_dev_bytes nullb0 "no /dev/nullb0 (null_blk not loaded)"
fi
# TCP and UDP on loopback (selftests/providers/workload.c): a connection
# from 127.0.0.1 to 127.0.0.2:P carrying 1000 bytes out and 2000 back, one
# refused at P+1; UDP datagrams of 1234 and 321 bytes; the same on ::1.
# rows N prints the aggregation's rows of N fields (keys and value; not
# the workload's own lines), sorted, |-joined.
rows() {
	awk -v n="$1" 'NF == n && $1 !~ /^(tcp|refused|udp4|udp6|noipv6)$/ { $1 = $1; print }' $OUT |
		LC_ALL=C sort | tr '\n' '|'
}
# only the rows of the workload's addresses (a guest may send DHCP or
# IPv6 router solicitations meanwhile)
ours() {
	tr '|' '\n' | grep -E '^(127\.0\.0\.[12]|::1) ' | tr '\n' '|'
}
P=47151
# who connects (the DTrace guide's accept-established example)
kt -n 'tcp:::accept-established { @[args[3]->tcps_raddr] = count(); }' -c "$W tcp $P"
same oneliner_tcp_accept_raddr "127.0.0.1 1|" "$(rows 2)"

# state transitions, as tcpstate.d prints them (Linux's: a closing socket
# goes fin-wait-2 -> closed, its time-wait is another object)
kt -n 'tcp:::state-change { @[tcp_state_string[args[5]->tcps_state], tcp_state_string[args[3]->tcps_state]] = count(); }' \
	-c "$W tcp $((P + 2))"
same oneliner_tcp_state_string "$(lines "state-close-wait state-last-ack 1" "state-closed state-listen 1" \
	"state-closed state-syn-sent 2" "state-established state-close-wait 1" \
	"state-established state-fin-wait-1 1" "state-fin-wait-1 state-fin-wait-2 1" \
	"state-fin-wait-2 state-closed 1" "state-last-ack state-closed 1" "state-listen state-closed 1" \
	"state-listen state-syn-received 1" "state-syn-received state-established 1" \
	"state-syn-sent state-closed 1" "state-syn-sent state-established 1")" "$(rows 3)"

# payload bytes sent, by destination address and port (tcpbytes)
kt -n 'tcp:::send { @[args[2]->ip_daddr, args[4]->tcp_dport] = sum(args[2]->ip_plength - args[4]->tcp_offset); }' \
	-c "$W tcp $((P + 4))"
c=$(awk '$1 == "tcp" { print $2 }' $OUT)
r=$(awk '$1 == "refused" { print $2 }' $OUT)
same oneliner_tcp_send_bytes "$(lines "127.0.0.1 $c 2000" "127.0.0.2 $((P + 4)) 1000" \
	"127.0.0.1 $r 0" "127.0.0.2 $((P + 5)) 0")" "$(rows 3)"

# connections to closed ports, by remote address and local port
kt -n 'tcp:::accept-refused { @[args[2]->ip_daddr, args[4]->tcp_sport] = count(); }' -c "$W tcp $((P + 6))"
same oneliner_tcp_accept_refused "127.0.0.1 $((P + 7)) 1|" "$(rows 3)"

# segments received with SYN set, by flags (TH_* constants)
kt -n 'tcp:::receive /args[4]->tcp_flags & TH_SYN/ { @[args[4]->tcp_flags & TH_ACK ? "syn-ack" : "syn"] = count(); }' \
	-c "$W tcp $((P + 8))"
same oneliner_tcp_receive_flags "syn 1|syn-ack 1|" "$(rows 2)"

if "$W" tcp6 $((P + 10)) >/dev/null 2>&1; then
	kt -n 'tcp:::accept-established { @[args[3]->tcps_raddr] = count(); }' -c "$W tcp6 $((P + 10))"
	same oneliner_tcp6_accept_raddr "::1 1|" "$(rows 2)"
else
	ktap_skip oneliner_tcp6_accept_raddr "no IPv6 loopback in this guest"
fi

# UDP datagrams received, by source address and destination port
kt -n 'udp:::receive { @[args[2]->ip_saddr, args[4]->udp_dport] = count(); }' -c "$W udp $((P + 12))"
u4=$(awk '$1 == "udp4" { print $2 }' $OUT)
u6=$(awk '$1 == "udp6" { print $2 }' $OUT)
if [ -n "$u6" ]; then
	want=$(lines "127.0.0.1 $((P + 12)) 1" "127.0.0.2 $u4 1" "::1 $((P + 12)) 1" "::1 $u6 1")
else
	want=$(lines "127.0.0.1 $((P + 12)) 1" "127.0.0.2 $u4 1")
fi
same oneliner_udp_receive "$want" "$(rows 3 | ours)"

# IP payload bytes sent, by destination (the DTrace guide's ip example)
kt -n 'ip:::send { @[args[2]->ip_daddr] = sum(args[2]->ip_plength); }' -c "$W udp $((P + 14))"
if grep -q '^udp6' $OUT; then
	want=$(lines "127.0.0.1 329" "127.0.0.2 1242" "::1 1571")
else
	want=$(lines "127.0.0.1 329" "127.0.0.2 1242")
fi
same oneliner_ip_send_bytes "$want" "$(rows 2 | ours)"
ktap_finished
