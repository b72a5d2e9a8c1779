#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list): every tool passes user values to
# ktrace as data, never as program text.  Each tool runs with KTRACE set to
# a recorder that keeps ktrace's arguments and compiles the program offline
# (ktrace -e).  Hostile strings must reach ktrace verbatim as macro arguments
# (after "--", referenced as $$N) and compile; hostile numbers must be
# refused by the tool itself (status 2, a message naming the option) before
# ktrace runs; so must bad operands (INTERVAL, COUNT, FUNC...).  A command
# (-c) must reach ktrace -c verbatim.  Every option that takes a value and
# every operand of every tool in user/tools must be one of these cases or be
# exempt, with the reason.  Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
K=$(pwd)/build/user/ktrace
[ -x "$K" ] || ktap_skip_all "$K not built"
T=${TMPDIR:-/tmp}/toolargs.$$
trap 'rm -rf $T' EXIT
mkdir -p $T
# the recorder: argument N of ktrace in $T/arg.N, ktrace -e's status in $T/rc.
# A listing (biosnoop and biolatency look for their tracepoints with
# "ktrace -l -n PROBE") lists the probe asked for, and nothing for -P.
cat >$T/ktrace <<EOF
#!/bin/sh
if [ "\$1" = -l ]; then
	[ "\$2" = -n ] && printf '%5d %s\\n' 1 "\$3"
	exit 0
fi
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
# tool:option: the options that take a string (data: a macro argument)
STROPTS="errinfo:-n execsnoop:-n funccount:-n killsnoop:-n ktrace-profile:-n
opensnoop:-n opensnoop:-f syscount:-n syslat:-n exitsnoop:-n statsnoop:-n statsnoop:-f
syncsnoop:-n pidpersec:-n setuids:-n mountsnoop:-n runqlat:-n cpudist:-n tcpconnect:-n
tcpaccept:-n funclatency:-n stackcount:-n wakeuptime:-n
threadsnoop:-n capable:-n biosnoop:-n tcplife:-n bitesize:-n iotop:-n argdist:-n udpsnoop:-n sockstat:-n
ktruss:-n offcputime:-n procsystime:-n cpuwalk:-n naptime:-n shellsnoop:-n"
# tool:option: the options that take a command (it goes to ktrace -c verbatim)
CMDOPTS="funclatency:-c syncsnoop:-c syslat:-c malloccount:-c ktrace-stat:-c memleak:-c ktruss:-c
cpuwalk:-c hotuser:-c"
# tool:option:bad-value (numbers out of range or not numbers; strings that are
# part of the program: checked, refused)
BAD="hotkernel:-F:0 hotkernel:-F:5001 ktrace-profile:-F:0 errinfo:-p:-1 errinfo:-d:0
execsnoop:-p:99999999999999999999 execsnoop:-d:1e3 funccount:-t:-5 funccount:-i:0x10
killsnoop:-p:0 opensnoop:-d:010 syscount:-t:1_0 syscount:-i:0 syslat:-p:4194305
malloccount:-p:abc biolatency:-i:-1 biolatency:-d:86401 vfsstat:-p:1.5 hotkernel:-d:''
syslat:-s:read;exit malloccount:-f:malloc\"\)
exitsnoop:-p:0 exitsnoop:-d:1.5 statsnoop:-p:abc statsnoop:-d:86401 syncsnoop:-p:4194305
syncsnoop:-d:-3 biosnoop:-D:8 biosnoop:-D:8,x biosnoop:-D:4096,0 biosnoop:-D:8,1048576
biosnoop:-d:0 pidpersec:-p:-1 setuids:-p:0x1 mountsnoop:-d:99999 runqlat:-p:1e2 runqlat:-i:0
cpudist:-p:-0 cpudist:-d:5x softirqs:-i:00 softirqs:-d:five tcpconnect:-P:0 tcpconnect:-P:65536
tcpaccept:-P:http tcpretrans:-P:70000 tcpretrans:-d:3s funclatency:-i:-2 stackcount:-t:x
wakeuptime:-p:0 wakeuptime:-t:1.0
threadsnoop:-p:0 threadsnoop:-d:86401 capable:-p:12ab capable:-d:-1
oomkill:-d:0 oomkill:-d:86401 cpuwalk:-p:0 cpuwalk:-F:5001 cpuwalk:-d:x
runqlen:-F:0 runqlen:-i:1.5 runqlen:-d:-1 naptime:-p:0 naptime:-d:1s shellsnoop:-p:x shellsnoop:-d:0
hotuser:-p:0 hotuser:-F:0 hotuser:-t:-1 hotuser:-d:86401 ktruss:-p:0 ktruss:-d:1e3 offcputime:-p:-1 offcputime:-m:0 offcputime:-m:4000000001
offcputime:-d:0 procsystime:-p:abc procsystime:-d:86401"
BAD="$BAD ktrace-stat:-i:0 ktrace-stat:-d:86401 ktrace-stat:-p:0 ktrace-stat:-e:cycles;exit
ktrace-stat:-e:page-faults:0 ktrace-stat:-e:a}b ktrace-stat:-m:both
cpudist:-i:86401 funccount:-p:1;exit funccount:-d:0 funclatency:-p:0 funclatency:-d:1e1
hotkernel:-t:1000000001 killsnoop:-d:-1 ktrace-profile:-p:4194305 ktrace-profile:-d:2s
malloccount:-d:0 mountsnoop:-p:x opensnoop:-p:0 runqlat:-d:86401 setuids:-d:0x3
stackcount:-p:-1 stackcount:-d:0 syscount:-p:1.0 syscount:-d:86401 syslat:-d:0
tcpaccept:-p:0 tcpaccept:-d:-2 tcpconnect:-p:abc tcpconnect:-d:86401 wakeuptime:-d:07
tcplife:-p:0 tcplife:-P:65536 tcplife:-d:1.5 tcpstates:-P:0x50 tcpstates:-d:86401"
BAD="$BAD bitesize:-p:0 bitesize:-i:0 bitesize:-d:1x iotop:-p:1x iotop:-r:0 iotop:-r:100001
argdist:-H:vfs_read:arg2);exit(0 argdist:-H:vfs_*:arg1 argdist:-C:vfs_read:arg6 argdist:-C:a\"b:retval
argdist:-C:vfs_read argdist:-H::arg0 argdist:-H:9f:arg0 argdist:-C:vfs_read:retval/1/ argdist:-p:0
argdist:-T:0 argdist:-i:0 argdist:-d:86401 hardirqs:-i:0 hardirqs:-d:x tcpdrop:-P:65536 tcpdrop:-d:0
tcpsynbl:-P:-1 tcpsynbl:-i:0 tcpsynbl:-d:86401 udpsnoop:-p:0 udpsnoop:-P:0 udpsnoop:-d:1.0 sockstat:-p:x"
# TOOL OPERAND ARG|ARG...: bad operands, refused by the tool (status 2) before
# ktrace runs.  INTERVAL and COUNT become probe names (tick-Ns) and numbers.
OPBAD='vfsstat INTERVAL 1s { system("id"); } tick-1
vfsstat INTERVAL 0
vfsstat INTERVAL 86401
vfsstat INTERVAL 1e3
vfsstat COUNT 1|5/ { exit(1); } /x
vfsstat COUNT 1|-1
vfsstat COUNT 1|0x10
pidpersec INTERVAL 1s { system("id"); } tick-1
pidpersec INTERVAL 0
pidpersec INTERVAL 010
pidpersec COUNT 1|5/ { exit(1); } /x
pidpersec COUNT 1|1000000001
iotop INTERVAL 1;exit
iotop INTERVAL 0
iotop COUNT 1|1/ { exit(1); } /x
iotop COUNT 1|010
loads INTERVAL 1s { system("id"); } tick-1
loads INTERVAL 0
loads COUNT 1|5/ { exit(1); } /x
loads COUNT 1|0x10
sockstat INTERVAL 2 } BEGIN {
sockstat INTERVAL 86401
sockstat COUNT 1|-3
funccount GLOB vfs_*"x
funccount GLOB vfs_read:entry { exit(0); } fbt::x
funclatency FUNC vfs_read;exit
stackcount FUNC a"b'
OPBAD="$OPBAD
rwtop INTERVAL 1s { system(\"id\"); } tick-1
rwtop INTERVAL 0
rwtop INTERVAL 086400
rwtop COUNT 1|2/ { exit(1); } /x
rwtop COUNT 1|1000000001"
# TOOL:OPTION or TOOL:OPERAND that takes a user value no test above feeds hostile
# values to, each with the reason
EXEMPT='ktrace-stat:-f the predicate is D by design (PREDICATE in ktrace-stat(8))
ktrace-tools:WORD a word to look for in the tool list: no program, no ktrace'
# the memory and file tools (tools2)
STROPTS="$STROPTS fileslower:-n filelife:-n rwsnoop:-n rwtop:-n vfscount:-n dcsnoop:-n pagefaults:-n swapin:-n"
CMDOPTS="$CMDOPTS pagefaults:-c"
BAD="$BAD memleak:-p:0 memleak:-a:-1 memleak:-a:86400001 memleak:-t:0 memleak:-t:1001 memleak:-i:0
memleak:-d:86401"
BAD="$BAD fileslower:-m:-1 fileslower:-m:86400001 fileslower:-m:1.5 fileslower:-p:0 fileslower:-d:0"
BAD="$BAD filelife:-m:x filelife:-m:86400001 filelife:-p:4194305 filelife:-d:0"
BAD="$BAD rwsnoop:-p:0 rwsnoop:-d:86401"
BAD="$BAD rwtop:-p:x rwtop:-r:0 rwtop:-r:100001"
BAD="$BAD vfscount:-p:0 vfscount:-t:0 vfscount:-t:100001 vfscount:-i:1s vfscount:-d:86401"
BAD="$BAD dcsnoop:-p:-5 dcsnoop:-d:1m"
BAD="$BAD pagefaults:-p:0 pagefaults:-t:0 pagefaults:-t:100001 pagefaults:-d:0"
BAD="$BAD swapin:-p:0 swapin:-i:0 swapin:-d:86401"
BAD="$BAD writeback:-D:8 writeback:-D:8:x writeback:-D:4096:0 writeback:-D:1:1048576 writeback:-D:a\"b writeback:-d:0"
nbad=$(echo $BAD | wc -w)
nopbad=$(echo "$OPBAD" | wc -l)
# the tools: every script in user/tools
tools=$(cd $TOOLS && for f in *; do case $f in Makefile|*.c|*.h) ;; *) echo "$f" ;; esac; done)
ntools=$(echo $tools | wc -w)
ktap_plan $(( $(echo $STROPTS | wc -w) * NSTR + $(echo $CMDOPTS | wc -w) * NSTR + nbad + \
	nopbad + 2 * ntools + 6 ))

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
# refused NAME STATUS: the tool refused its input (status 2, a message
# naming the tool) and did not run ktrace
refused() {
	if [ -f $T/rc ]; then ktap_fail $1 "ktrace ran (status $2)"
	elif [ $2 -ne 2 ]; then ktap_fail $1 "status $2, wanted 2"
	elif ! grep -q "^$tool: " $T/toolerr; then
		ktap_fail $1 "no message naming the tool: $(head -c 200 $T/toolerr)"
	else ktap_ok $1; fi
}
# the extra arguments each tool needs to run at all
need() {
	case $1 in
	funccount|funclatency|stackcount) echo vfs_read ;;
	argdist) echo "-C vfs_read:retval" ;;
	malloccount|memleak) echo "-p $$" ;;
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
	# shellcheck disable=SC2046
	sh $TOOLS/$tool $(need $tool | grep -v vfs_read) "$opt" "$v" >/dev/null 2>$T/toolerr
	refused $name $?
done

# the command of -c reaches ktrace -c verbatim, and never the program text
for co in $CMDOPTS; do
	tool=${co%%:*} opt=${co#*:}
	s=1
	while [ $s -le $NSTR ]; do
		v=$(cat $T/s.$s; echo .); v=${v%.}
		name=${tool}_${opt#-}_command_$s
		rm -f $T/rc $T/argc
		# shellcheck disable=SC2046
		sh $TOOLS/$tool $(need $tool | grep -v -e -p) "$opt" "$v" >/dev/null 2>$T/toolerr
		i=1 found=0
		while [ -f $T/rc ] && [ $i -lt "$(cat $T/argc)" ]; do
			[ "$(cat $T/arg.$i)" = -c ] && cmp -s $T/arg.$((i + 1)) $T/s.$s && found=1
			i=$((i + 1))
		done
		noformat=0
		[ -f $T/rc ] && [ "$(cat $T/rc)" != 0 ] &&
			grep -q 'cannot read the format of tracepoint' $T/err && noformat=1
		if [ ! -f $T/rc ]; then
			ktap_fail $name "ktrace not run: $(head -c 200 $T/toolerr)"
		elif [ "$(cat $T/rc)" != 0 ] && [ $noformat = 0 ]; then
			ktap_fail $name "ktrace -e failed: $(head -c 300 $T/err | tr '\n' '|')"
		elif prog | grep -qF -e "$(head -n 1 $T/s.$s)"; then
			ktap_fail $name "the command is in the program text"
		elif [ $found = 0 ]; then
			ktap_fail $name "the command is not the argument of ktrace -c"
		elif [ $noformat = 1 ]; then	# the guest test compiles and runs it
			ktap_skip $name "passed verbatim, but this host has no tracepoint formats to compile it"
		else
			ktap_ok $name
		fi
		s=$((s + 1))
	done
done

# bad operands: the Nth line of TOOL OPERAND is test TOOL_refuses_OPERAND_N
last= n=0
while read -r tool what args; do
	[ "$tool $what" = "$last" ] && n=$((n + 1)) || n=1
	last="$tool $what"
	rm -f $T/rc
	IFS='|'
	# shellcheck disable=SC2086
	set -- $args
	unset IFS
	sh $TOOLS/$tool "$@" </dev/null >/dev/null 2>$T/toolerr
	refused ${tool}_refuses_${what}_$n $?
done <<EOF
$OPBAD
EOF

# Every tool is covered: each option that takes a value (from its getopts
# string) and each operand (the capitalised words of its usage line that are
# not an option's argument) is fed bad values above or is in EXEMPT.
# tcpaccept is tcpconnect --accept: its options are tcpconnect's.
covered() {	# TOOL OPTION-or-OPERAND
	case " $(echo $STROPTS $CMDOPTS) " in *" $1:$2 "*) return 0 ;; esac
	case " $(echo $BAD) " in *" $1:$2:"*) return 0 ;; esac
	printf '%s\n' "$OPBAD" | grep -q "^$1 $2 " && return 0
	printf '%s\n' "$EXEMPT" | grep -q "^$1:$2 "
}
for t in $tools; do
	src=$(sed -n 's|^exec "$(dirname "$0")/\([a-z-]*\)" .*|\1|p' $TOOLS/$t)
	src=$TOOLS/${src:-$t}
	os=$(sed -n 's/^[[:space:]]*while getopts \([^ ]*\) o; do$/\1/p' $src | head -n 1)
	# the options: all letters (gopts) and those with a value (vopts)
	gopts= vopts= rest=$os
	while [ -n "$rest" ]; do
		c=${rest%"${rest#?}"} rest=${rest#?}
		gopts="$gopts $c"
		case $rest in :*) rest=${rest#:} vopts="$vopts -$c" ;; esac
	done
	# the usage lines: "usage: TOOL ..." and its continuations ("   [...")
	awk -v t="$t" 'index($0, "usage: " t " ") == 1 { on = 1; print; next }
		on && /^ +\[/ { print; next } { on = 0 }' $src >$T/usage
	operands=$(awk '{ for (i = 1; i <= NF; i++) { w = $i; gsub(/[][()\047]/, "", w)
		if (w ~ /^[A-Z]+$/ && p !~ /^[[(]?-/) print w; p = $i } }' $T/usage)
	miss=
	for v in $vopts $operands; do covered $t $v || miss="$miss $v"; done
	if [ -z "$os" ]; then ktap_fail ${t}_values_covered "no getopts loop in $src"
	elif [ -n "$miss" ]; then
		ktap_fail ${t}_values_covered "not fed bad values, not exempt:$miss"
	else ktap_ok ${t}_values_covered; fi
	# the options the usage line lists are the ones getopts takes
	uopts=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[[(|]?-[A-Za-z]/) {
		w = $i; sub(/^[[(|]?-/, "", w); sub(/[^A-Za-z].*/, "", w); print w } }' $T/usage |
		fold -w 1 | sort | tr '\n' ' ')
	want=$(echo $gopts | tr ' ' '\n' | sort | tr '\n' ' ')
	if [ "$src" != $TOOLS/$t ]; then	# a subset: tcpaccept refuses tcpconnect's -x
		extra=
		for c in $uopts; do case " $want" in *" $c "*) ;; *) extra="$extra -$c" ;; esac; done
		[ -z "$extra" ] && [ -n "$uopts" ] && ktap_ok ${t}_usage_lists_its_options ||
			ktap_fail ${t}_usage_lists_its_options "usage lists$extra, getopts takes $want"
	elif [ -n "$uopts" ] && [ "$uopts" = "$want" ]; then ktap_ok ${t}_usage_lists_its_options
	else ktap_fail ${t}_usage_lists_its_options "usage lists '$uopts', getopts takes '$want'"; fi
done

# good operands reach the program as numbers: a line every 2 s, 3 of them
for t in vfsstat pidpersec; do
	rm -f $T/rc
	sh $TOOLS/$t 2 3 >/dev/null 2>$T/toolerr
	if [ "$(cat $T/rc 2>/dev/null)" != 0 ] &&
	   ! grep -q 'cannot read the format of tracepoint' $T/err 2>/dev/null; then
		ktap_fail ${t}_interval_count "ktrace -e failed: $(head -c 300 $T/err $T/toolerr | tr '\n' '|')"
	elif prog | grep -q 'tick-2s /++n == 3/ { exit(0); }'; then ktap_ok ${t}_interval_count
	else ktap_fail ${t}_interval_count "$(prog | grep tick)"; fi
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
