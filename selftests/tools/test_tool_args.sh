#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list): every tool passes user values to
# ktrace as data, never as program text.  Each tool runs with KTRACE set to
# a recorder that keeps ktrace's arguments and compiles the program offline
# (ktrace -e).  Hostile strings must reach ktrace verbatim as macro arguments
# (after "--", referenced as $$N) and compile; hostile numbers must be
# refused by the tool itself (status 2, a message naming the option) before
# ktrace runs.  Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
K=$(pwd)/build/user/ktrace
[ -x "$K" ] || ktap_skip_all "$K not built"
T=${TMPDIR:-/tmp}/toolargs.$$
trap 'rm -rf $T' EXIT
mkdir -p $T
# the recorder: argument N of ktrace in $T/arg.N, ktrace -e's status in $T/rc
cat >$T/ktrace <<EOF
#!/bin/sh
rm -f $T/arg.* $T/rc
i=0
for a; do i=\$((i + 1)); printf '%s' "\$a" >$T/arg.\$i; done
echo \$i >$T/argc
$K -e "\$@" >$T/out 2>$T/err
echo \$? >$T/rc
EOF
chmod +x $T/ktrace
export KTRACE=$T/ktrace
TOOLS=user/tools

# the hostile strings, one file each
printf 'a"b' >$T/s.1
printf 'x"); system("id"); printf("' >$T/s.2
printf 'kt_line1\nkt_line2' >$T/s.3
printf '\\"; } BEGIN { exit(1); } /* ' >$T/s.4
printf -- '-w' >$T/s.5
NSTR=5
# tool option: the string options
STROPTS="errinfo:-n execsnoop:-n funccount:-n killsnoop:-n ktrace-profile:-n
opensnoop:-n opensnoop:-f syscount:-n syslat:-n exitsnoop:-n statsnoop:-n statsnoop:-f
syncsnoop:-n pidpersec:-n setuids:-n mountsnoop:-n runqlat:-n cpudist:-n tcpconnect:-n
tcpaccept:-n funclatency:-n stackcount:-n wakeuptime:-n
threadsnoop:-n capable:-n"
# tool:option:bad-value (numbers out of range or not numbers; strings that are
# part of the program: checked, refused)
BAD="hotkernel:-F:0 hotkernel:-F:5001 ktrace-profile:-F:0 errinfo:-p:-1 errinfo:-d:0
execsnoop:-p:99999999999999999999 execsnoop:-d:1e3 funccount:-t:-5 funccount:-i:0x10
killsnoop:-p:0 opensnoop:-d:010 syscount:-t:1_0 syscount:-i:0 syslat:-p:4194305
malloccount:-p:abc biolatency:-i:-1 biolatency:-d:86401 vfsstat:-p:1.5 hotkernel:-d:''
syslat:-s:read;exit malloccount:-f:malloc\"\) funccount:-n:ok:vfs_*\"x
exitsnoop:-p:0 exitsnoop:-d:1.5 statsnoop:-p:abc statsnoop:-d:86401 syncsnoop:-p:4194305
syncsnoop:-d:-3 biosnoop:-D:8 biosnoop:-D:8,x biosnoop:-D:4096,0 biosnoop:-D:8,1048576
biosnoop:-d:0 pidpersec:-p:-1 setuids:-p:0x1 mountsnoop:-d:99999 runqlat:-p:1e2 runqlat:-i:0
cpudist:-p:-0 cpudist:-d:5x softirqs:-i:00 softirqs:-d:five tcpconnect:-P:0 tcpconnect:-P:65536
tcpaccept:-P:http tcpretrans:-P:70000 tcpretrans:-d:3s funclatency:-i:-2 stackcount:-t:x
wakeuptime:-p:0 wakeuptime:-t:1.0 funclatency:-n:ok:vfs_read;exit stackcount:-n:ok:a\"b
threadsnoop:-p:0 threadsnoop:-d:86401 capable:-p:12ab capable:-d:-1"
BAD="$BAD ktrace-stat:-i:0 ktrace-stat:-d:86401 ktrace-stat:-p:0 ktrace-stat:-e:cycles;exit
ktrace-stat:-e:page-faults:0 ktrace-stat:-e:a}b ktrace-stat:-m:both"
ntools=$(ls $TOOLS | grep -cv -e Makefile -e '\.c$' -e '\.h$')
nbad=$(echo $BAD | wc -w)
ktap_plan $(( $(echo $STROPTS | wc -w) * NSTR + nbad + 4 ))

# args_after_dashes: the arguments after "--", one per line, as file names
dash_args() {
	i=1 argc=$(cat $T/argc) on=0
	while [ $i -le "$argc" ]; do
		[ $on = 1 ] && echo $T/arg.$i
		[ "$(cat $T/arg.$i)" = -- ] && on=1
		i=$((i + 1))
	done
}
# prog: the text given to -n
prog() {
	i=1 argc=$(cat $T/argc)
	while [ $i -lt "$argc" ]; do
		[ "$(cat $T/arg.$i)" = -n ] && { cat $T/arg.$((i + 1)); return; }
		i=$((i + 1))
	done
}
# the extra arguments each tool needs to run at all
need() {
	case $1 in
	funccount|funclatency|stackcount) echo vfs_read ;;
	malloccount) echo "-p $$" ;;
	esac
}

for so in $STROPTS; do
	tool=${so%%:*} opt=${so#*:}
	s=1
	while [ $s -le $NSTR ]; do
		v=$(cat $T/s.$s; echo .); v=${v%.}
		name=${tool}_${opt#-}_string_$s
		rm -f $T/rc $T/argc
		# shellcheck disable=SC2046
		sh $TOOLS/$tool $(need $tool) "$opt" "$v" >/dev/null 2>$T/toolerr
		noformat=0
		[ -f $T/rc ] && [ "$(cat $T/rc)" != 0 ] &&
			grep -q 'cannot read the format of tracepoint' $T/err && noformat=1
		if [ ! -f $T/rc ]; then
			ktap_fail $name "ktrace not run: $(head -c 200 $T/toolerr)"
		elif [ "$(cat $T/rc)" != 0 ] && [ $noformat = 0 ]; then
			ktap_fail $name "ktrace -e failed: $(head -c 300 $T/err | tr '\n' '|')"
		elif prog | grep -qF -e "$(head -n 1 $T/s.$s)"; then
			ktap_fail $name "the value is in the program text"
		elif ! prog | grep -qF '$$'; then
			ktap_fail $name "the program takes no macro argument"
		else
			found=0
			for f in $(dash_args); do cmp -s $f $T/s.$s && found=1; done
			if [ $found = 0 ]; then
				ktap_fail $name "the value is not a macro argument after --"
			elif [ $noformat = 1 ]; then	# the guest test compiles and runs it
				ktap_skip $name "passed as data, but this host has no tracepoint formats to compile it"
			else
				ktap_ok $name
			fi
		fi
		s=$((s + 1))
	done
done

for b in $BAD; do
	tool=${b%%:*} rest=${b#*:} opt=${rest%%:*} v=${rest#*:}
	[ "$v" = "''" ] && v=
	name=${tool}_refuses_${opt#-}_$(echo "$v" | tr -c 'A-Za-z0-9\n' _)
	rm -f $T/rc
	case $opt in -n) set -- -n "${v%%:*}" "${v#*:}" ;; *) set -- "$opt" "$v" ;; esac
	[ $opt = -n ] && name=${tool}_refuses_glob
	# shellcheck disable=SC2046
	sh $TOOLS/$tool $(need $tool | grep -v vfs_read) "$@" >/dev/null 2>$T/toolerr; rc=$?
	if [ -f $T/rc ]; then ktap_fail $name "ktrace ran (status $rc)"
	elif [ $rc -ne 2 ]; then ktap_fail $name "status $rc, wanted 2"
	elif ! grep -q "^$tool: " $T/toolerr; then
		ktap_fail $name "no message naming the tool: $(head -c 200 $T/toolerr)"
	else ktap_ok $name; fi
done

# hotkernel -F 0: the message says what is wrong
sh $TOOLS/hotkernel -F 0 >/dev/null 2>$T/toolerr
grep -q '^hotkernel: -F 0 is out of range (1\.\.5000)$' $T/toolerr && ktap_ok hotkernel_F0_message ||
	ktap_fail hotkernel_F0_message "$(cat $T/toolerr)"
# funccount takes options after its operand, as its man page shows
rm -f $T/rc
sh $TOOLS/funccount 'vfs_*' -d 5 >/dev/null 2>$T/toolerr
if [ "$(cat $T/rc 2>/dev/null)" = 0 ] && prog | grep -q 'tick-5s' && prog | grep -qF 'fbt::vfs_*:entry'; then
	ktap_ok funccount_options_after_glob
else ktap_fail funccount_options_after_glob "$(head -c 200 $T/toolerr)"; fi
rm -f $T/rc
sh $TOOLS/funccount -n toolwork 'vfs_*' -t 3 -d 2 >/dev/null 2>$T/toolerr
if [ "$(cat $T/rc 2>/dev/null)" = 0 ] && prog | grep -q 'tick-2s' && prog | grep -q 'trunc(@c, 3)'; then
	ktap_ok funccount_options_both_sides
else ktap_fail funccount_options_both_sides "$(head -c 200 $T/toolerr)"; fi
sh $TOOLS/funccount 'vfs_*' 'tcp_*' >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && ktap_ok funccount_one_glob_only || ktap_fail funccount_one_glob_only "status $rc"
ktap_finished
