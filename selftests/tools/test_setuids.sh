#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# setuids shows the helper's child calling setgid(1234) and setuid(1234) as
# root (UID 0), both successful, once each.
. "$(dirname "$0")/lib.sh"
ktap_plan 3
usage_checks setuids
bg_until '^ +PID +COMM' setuids -n toolwork
"$W" setuid 1234
bg_stop
# PID COMM UID CALL RET ARGS
g=$(awk '$2 == "toolwork" && $3 == 0 && $4 == "setgid" && $5 == 0 && $6 == 1234 && NF == 6' $OUT | wc -l)
u=$(awk '$2 == "toolwork" && $3 == 0 && $4 == "setuid" && $5 == 0 && $6 == 1234 && NF == 6' $OUT | wc -l)
[ "$g" -eq 1 ] && [ "$u" -eq 1 ] && ktap_ok setuids_sees_calls ||
	ktap_fail setuids_sees_calls "$g setgid, $u setuid lines: $(head -c 600 $OUT | tr '\n' '|')"
ktap_finished
