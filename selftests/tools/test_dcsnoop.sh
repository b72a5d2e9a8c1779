#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dcsnoop -n toolwork on toolwork stat of a name that does not exist, 5 times
# (the guest's / and /tmp are ramfs/tmpfs, which keep no negative dentries:
# every stat misses), and of /etc/hosts 5 times (in the cache: no miss).
# /tmp is a mount in the guest: its root directory shows as "/", the file as /NAME.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks dcsnoop
bg_until 'PID +COMM' dcsnoop -n toolwork
"$W" stat /tmp/kt_dc_nope 5 & p=$!
wait $p
"$W" stat /etc/hosts 5
sleep 0.3
bg_stop
n=$(grep -cE "^ *$p toolwork +(tmp)?/kt_dc_nope$" $OUT)
[ "$n" = 5 ] && ktap_ok dcsnoop_misses_counted ||
	ktap_fail dcsnoop_misses_counted "$n misses of /kt_dc_nope by pid $p, wanted 5: $(tr '\n' '|' <$OUT | head -c 600)"
n=$(grep -c 'hosts$' $OUT)
[ "$n" = 0 ] && ktap_ok dcsnoop_hits_not_shown || ktap_fail dcsnoop_hits_not_shown "$n lines for hosts"
# the other path: unlink's lookup (d_lookup) of a name that is not there
bg_until 'PID +COMM' dcsnoop -n rm
rm -f /tmp/kt_dc_gone
sleep 0.3
bg_stop
n=$(grep -cE '^ *[0-9]+ rm +(tmp)?/kt_dc_gone$' $OUT)
[ "$n" -ge 1 ] && ktap_ok dcsnoop_unlink_lookup_miss ||
	ktap_fail dcsnoop_unlink_lookup_miss "$(tr '\n' '|' <$OUT | head -c 400)"
ktap_finished
