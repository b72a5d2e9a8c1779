#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hardirqs while the test writes 2000 bytes to the serial console, ttyS0
# (the vm/run guest's console log; nothing else writes to it meanwhile, the
# kernel's own messages are polled): the UART interrupts as it drains its
# FIFO, and the ttyS0 row counts exactly the interrupts the kernel counted
# for it in /proc/interrupts meanwhile; with -H its histogram holds the
# same number; -C splits them by CPU.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks hardirqs
if [ ! -c /dev/ttyS0 ] || ! grep -q ' ttyS0$' /proc/interrupts; then
	for t in hardirqs_counts_serial hardirqs_histogram hardirqs_per_cpu; do
		ktap_missing $t ttyS0 "no interrupt-driven serial console (ttyS0) in this guest"
	done
	ktap_finished
	exit 0
fi
# irqs: the kernel's count of ttyS0 interrupts, all CPUs
irqs() { awk '$NF == "ttyS0" { for (i = 2; i < NF; i++) if ($i ~ /^[0-9]+$/) s += $i; print s }' /proc/interrupts; }
# run OPTION...: hardirqs OPTION... while 2000 bytes go out on ttyS0 (and
# 0.5 s more: write(2) returns before the UART has sent them); $want: how
# many interrupts the kernel counted
run() {
	bg_until '^Tracing hard' hardirqs "$@"
	a=$(irqs)
	printf '%2000s\r' '' >/dev/ttyS0
	sleep 0.5
	want=$(($(irqs) - a))
	bg_stop
}
run
got=$(awk '$2 == "ttyS0" && $3 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { print $3 }' $OUT)
[ "$want" -ge 2 ] && [ "$got" = "$want" ] && ktap_ok hardirqs_counts_serial ||
	ktap_fail hardirqs_counts_serial "ttyS0 count '$got', /proc/interrupts $want: $(head -c 600 $OUT | tr '\n' '|')"
run -H
got=$(awk '/^IRQ [0-9]+ ttyS0, us$/ { on = 1; next } /^IRQ / { on = 0 } on && $2 ~ /^\|/ { s += $NF }
	END { print s + 0 }' $OUT)
[ "$want" -ge 2 ] && [ "$got" = "$want" ] && ktap_ok hardirqs_histogram ||
	ktap_fail hardirqs_histogram "ttyS0 histogram $got, /proc/interrupts $want: $(head -c 600 $OUT | tr '\n' '|')"
run -C
got=$(awk '$3 == "ttyS0" && $1 ~ /^[0-9]+$/ && $4 ~ /^[0-9]+$/ { s += $4 } END { print s + 0 }' $OUT)
[ "$want" -ge 2 ] && [ "$got" = "$want" ] && ktap_ok hardirqs_per_cpu ||
	ktap_fail hardirqs_per_cpu "ttyS0 rows sum to $got, /proc/interrupts $want: $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
