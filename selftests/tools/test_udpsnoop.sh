#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# udpsnoop -P PORT while the helper makes 3 exchanges with a socket of its own
# bound to 127.0.0.1:PORT: 100 bytes sent to PORT and received there, 300
# bytes sent back and received: 12 lines of the helper's pid, the client's
# port the same on all, each direction with its addresses, ports and bytes.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks udpsnoop
P=$((20000 + ($$ + 67) % 20000))
bg_until '^ +PID +COMM' udpsnoop -P $P
"$W" udp $P 3 & w=$!; wait $w
bg_stop
# PID COMM D IP LADDR LPORT RADDR RPORT BYTES
# lines D LPORT-FIELD-IS-P BYTES: the other ports of the helper's matching lines
lines() {
	awk -v w=$w -v p=$P -v d=$1 -v f=$2 -v b=$3 '$1 == w && $2 == "toolwork" && $3 == d &&
		$4 == 4 && $7 == "127.0.0.1" && $f == p && $9 == b { print (f == 6 ? $8 : $6) }' $OUT |
		sort | uniq -c | awk '{ print $1 ":" $2 }'
}
# the client: sends 100 to PORT, receives 300 from it, always from one port C
cs=$(lines S 8 100) cr=$(lines R 8 300)
c=${cs#3:}
[ "$cs" = "3:$c" ] && [ "$cr" = "3:$c" ] && [ "$c" -gt 0 ] && ktap_ok udpsnoop_client ||
	ktap_fail udpsnoop_client "sent '$cs', received '$cr': $(head -c 900 $OUT | tr '\n' '|')"
# the server on PORT: receives 100 from C, sends 300 to C
sr=$(lines R 6 100) ss=$(lines S 6 300)
[ "$sr" = "3:$c" ] && [ "$ss" = "3:$c" ] && ktap_ok udpsnoop_server ||
	ktap_fail udpsnoop_server "received '$sr', sent '$ss' (client port $c): $(head -c 900 $OUT | tr '\n' '|')"
all=$(grep -vc -e '^ *PID' -e '^$' $OUT)
[ "$all" -eq 12 ] && ktap_ok udpsnoop_only_these ||
	ktap_fail udpsnoop_only_these "$all lines, wanted 12: $(head -c 900 $OUT | tr '\n' '|')"
ktap_finished
