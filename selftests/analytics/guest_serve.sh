#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run in the cloud guest by test_browser.sh and test_instr.sh (sh
# guest_serve.sh N [SECONDS]): the server on 0.0.0.0:8377 (forwarded from
# the host), a workload whose latency is known (toolwork pipe: a reader
# blocked on a pipe that a writer feeds every 10 ms, after ~a few ms of
# produce_byte), toolwork opening /etc/hosts and making one TCP connection
# to itself on 127.0.0.1:7390 every 0.2 s (instr_driver.js's TCP_PORT) and,
# when there is a null_blk disk, 16 direct reads of it every 0.2 s, until
# the host says it is done (it connects to guest port 8378, its second
# --forward: ka_guest_done in prereq.sh) and every session has ended (at
# most SECONDS, default 300); N sessions running is when the live list is
# shown.  Prints, between @@@ markers: `ktrace --sessions`
# while the page's sessions run and after, the server's session list, its
# exit status and output.
cd "$(dirname "$0")" || exit 1
want=${1:?sessions} secs=${2:-300}
LD_LIBRARY_PATH=$PWD/lib ./ktrace-analytics --listen 0.0.0.0:8377 >/tmp/ka.out 2>&1 &
srv=$!
./toolwork pipe 1000000 10 &
work=$!
while :; do ./toolwork open /etc/hosts 1; ./toolwork tcp 7390 1; sleep 0.2; done >/dev/null 2>&1 &
loop=$!
bio=
if [ -b /dev/nullb0 ]; then
	while :; do dd if=/dev/nullb0 of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null; sleep 0.2; done &
	bio=$!
fi
# the host's "done": one connection to 8378 ends this nc.  Only the host
# knows when it has started its last session; the list alone cannot tell
# (a session the host is about to start looks like no session).
command -v nc >/dev/null || { echo "guest_serve.sh: no nc in the guest" >&2; exit 1; }
nc -l -p 8378 </dev/null >/dev/null 2>&1 &
donec=$!
list() { wget -qO- http://127.0.0.1:8377/api/sessions 2>/dev/null; }
# one snapshot per look: a request that failed (a busy server) is no answer,
# not an empty list
i=0 shown=0
while [ $i -lt $((secs * 2)) ]; do
	l=$(list)
	i=$((i + 1))
	case $l in *'"sessions":'*) ;; *) sleep 0.5; continue ;; esac
	n=$(echo "$l" | grep -o '"state":"running"' | wc -l)
	if [ $shown = 0 ] && [ "$n" -ge "$want" ]; then
		echo "@@@ live-sessions"; ktrace --sessions; shown=1
	fi
	! kill -0 $donec 2>/dev/null && [ "$n" = 0 ] && ! echo "$l" | grep -q '"state":"starting"' && break
	sleep 0.5
done
echo "@@@ server-sessions"; list; echo
# the stopped sessions' ktrace processes are gone (reaped by the server)
i=0
while list | grep -q '"ktrace_pid":[1-9]' && [ $i -lt 40 ]; do sleep 0.5; i=$((i + 1)); done
echo "@@@ final-sessions"; ktrace --sessions
kill $work $loop $bio $donec 2>/dev/null
kill -TERM $srv; wait $srv; echo "@@@ server-exit $?"
cat /tmp/ka.out
