#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The guest half of test_prometheus.sh (runs in /mnt/add under vm/run; its
# stdout is streamed to the host).  Markers "@@ NAME" tell the host where
# it is; the host answers by fetching http://GUEST:8080/cgi-bin/NAME.
export LD_LIBRARY_PATH=/mnt/add/lib
X=/mnt/add/ktrace-exporter
nsess() { ktrace --sessions 2>/dev/null | tail -n +2 | grep -c .; }
waitfile() {	# NAME: until the host fetched cgi-bin/NAME (at most 120 s)
	i=0
	while [ ! -e "/tmp/go-$1" ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i + 1)); done
}
scrape() { wget -q -O - http://127.0.0.1:9464/metrics; }

httpd -p 8080 -h /mnt/add/www || { echo "@@ FAIL httpd"; exit 1; }

# bad configurations start nothing and leave no session behind
$X --config /mnt/add/bad-syntax --listen 127.0.0.1:9465 2>/tmp/bad1.err; echo "@@ bad-syntax status $? sessions $(nsess)"
sed 's/^/# /' /tmp/bad1.err
$X --config /mnt/add/bad-probe --listen 127.0.0.1:9465 2>/tmp/bad2.err; echo "@@ bad-probe status $? sessions $(nsess)"
sed 's/^/# /' /tmp/bad2.err

# no configuration (/etc/ktrace/exporter.d does not exist), no --listen: the
# built-in set, on 127.0.0.1:9464 only (not on the guest's 10.0.2.15)
[ -e /etc/ktrace/exporter.d ] && echo "@@ FAIL /etc/ktrace/exporter.d exists"
$X 2>/tmp/builtin.err &
bpid=$!
i=0
until scrape >/dev/null 2>&1 || [ $i -ge 600 ]; do sleep 0.2; i=$((i + 1)); done
echo "@@ builtin-listeners $(cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A" && $2 ~ /:24F8$/ { printf "%s ", $2 }')"
wget -q -T 5 -O /dev/null http://10.0.2.15:9464/metrics 2>/dev/null && echo "@@ builtin-external answered" ||
	echo "@@ builtin-external refused"
./xload 100 60 40 25; echo "@@ builtin-xload status $?"
# 64 direct reads of the null_blk disk: 64 block requests
dd if=/dev/nullb0 of=/dev/null bs=4k count=64 iflag=direct 2>/dev/null; echo "@@ builtin-dd status $?"
scrape | sed 's/^/@@B /'
kill -TERM $bpid; wait $bpid; echo "@@ builtin-exit $? sessions $(nsess)"
sed 's/^/# builtin: /' /tmp/builtin.err

$X --config /mnt/add/conf --listen 0.0.0.0:9464 2>/tmp/exporter.err &
xpid=$!
i=0
until scrape >/dev/null 2>&1 || [ $i -ge 300 ]; do sleep 0.2; i=$((i + 1)); done
# ktrace's own printa of the same program, alongside
ktrace -q -s /mnt/add/conf/load.d >/tmp/printa.txt 2>/tmp/printa.err &
kpid=$!
i=0
until [ "$(nsess)" -ge 2 ] || [ $i -ge 300 ]; do sleep 0.2; i=$((i + 1)); done
echo "@@ sessions-begin"; ktrace --sessions; echo "@@ sessions-end"
echo "@@ ready sessions $(nsess)"
waitfile start
./xload 100 60 40 25; echo "@@ load1 status $?"
waitfile reload
kill -HUP $xpid
i=0
until scrape | grep -q '^ktrace_exporter_reloads_total{result="ok"} 1$' || [ $i -ge 300 ]; do sleep 0.2; i=$((i + 1)); done
./xload 50 0 0 0; echo "@@ load2 status $?"
waitfile stop
kill -INT $kpid; wait $kpid
echo "@@ printa-begin"; cat /tmp/printa.txt; echo "@@ printa-end"
sed 's/^/# printa stderr: /' /tmp/printa.err
scrape >/tmp/final.txt
grep -E '^ktrace_exporter_(cpu_seconds|scrapes)_total ' /tmp/final.txt | sed 's/^/@@ own /'
# a killed exporter leaves no probes: its sessions end with it
kill -KILL $xpid; wait $xpid 2>/dev/null
i=0
while [ "$(nsess)" -gt 0 ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
echo "@@ killed sessions $(nsess)"
sed 's/^/# exporter: /' /tmp/exporter.err
echo "@@ done"
