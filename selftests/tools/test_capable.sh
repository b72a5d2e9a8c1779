#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# capable shows the helper's child, as root, passing the capability checks of
# setgid(1234) (CAP_SETGID, 6) and setuid(1234) (CAP_SETUID, 7), once each.
. "$(dirname "$0")/lib.sh"
ktap_plan 3
usage_checks capable
bg_until '^ +PID +COMM' capable -n toolwork
"$W" setuid 1234
bg_stop
# PID COMM UID CAP NAME AUDIT RES
g=$(awk '$2 == "toolwork" && $3 == 0 && $4 == 6 && $5 == "SETGID" && $7 == 0' $OUT | wc -l)
u=$(awk '$2 == "toolwork" && $3 == 0 && $4 == 7 && $5 == "SETUID" && $7 == 0' $OUT | wc -l)
[ "$g" -eq 1 ] && [ "$u" -eq 1 ] && ktap_ok capable_sees_checks ||
	ktap_fail capable_sees_checks "$g SETGID, $u SETUID lines: $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
