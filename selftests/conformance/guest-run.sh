#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# guest-run.sh MANIFEST [FIRST]: run the conformance cases of MANIFEST (see
# manifest.sh) from line FIRST on, inside the vm/run guest, from the staging
# directory this script sits in (test/unittest: the suite, test/triggers: the
# triggers built on the host, xfail: the expected-failures list).  Per case
# it prints "@@case N PATH" before running it and then one line
#
#   @@result N PATH STATUS [reason]
#
# STATUS: PASS, FAIL, XFAIL (fails as our expected-failures list says),
# XPASS (listed there but passed), DTXFAIL (fails, and fails on DTrace too:
# the suite's own @@xfail or .x), SKIP.  With
# CONFORMANCE_VERBOSE=1 a failure is followed by "# " lines (the diff).
# CONFORMANCE_BUDGET (seconds, default 600): cases left when it is spent are
# SKIPped.  Rules (DTrace's runtest.sh): tst.* must exit 0 or be stopped by
# the timeout, err.* must exit 1; with a .r, stdout (postprocessed by .r.p,
# hex numbers as {ptr}, both sides sorted unless @@nosort) must equal the
# part of .r before "-- @@stderr --".  ktrace's diagnostics are its own
# (compiler-style), so stderr is not compared (docs/language.md).
manifest=$1
first=${2:-1}
cd "$(dirname "$0")" || exit 1
stage=$(pwd)
ktrace=${KTRACE:-$(command -v ktrace)}
budget=${CONFORMANCE_BUDGET:-600}
verbose=${CONFORMANCE_VERBOSE:-0}
tmp=/tmp/conformance
mkdir -p "$tmp"
export LC_ALL=C

# bash, gawk... for the .sh drivers and .x/.p/.r.p helpers (staged with their
# libraries by the host under root/, see run); the guest is busybox
# otherwise: a staged tool replaces busybox's applet of the same path
if [ -d "$stage/root" ]; then
	(cd "$stage/root" && find . -type f) | while read -r f; do
		if [ ! -e "/$f" ] || [ "$(readlink "/$f")" = /bin/busybox ]; then
			mkdir -p "$(dirname "/$f")" && rm -f "/$f" && cp "$stage/root/$f" "/$f"
		fi
	done
	[ -e /bin/bash ] || ln -s /usr/bin/bash /bin/bash
fi
# every busybox applet also under the other bin directories: the cases call
# some by a Debian path (/usr/bin/sleep); not one a staged tool replaces
# (/usr/sbin/ps would come before the staged /usr/bin/ps in PATH)
for a in $(busybox --list); do
	[ -e "$stage/root/usr/bin/$a" ] && continue
	for d in /bin /usr/bin /sbin /usr/sbin; do
		[ -e "$d/$a" ] || ln -s /bin/busybox "$d/$a" 2>/dev/null
	done
done

# the TCP service the tcp/ and ip/ local cases connect to (sshd's port 22 on
# DTrace's test machines): it answers each connection with an SSH-style
# banner line and closes, so both directions carry data and both sides close
printf '#!/bin/sh\necho SSH-2.0-ktrace-conformance-guest\nread -t 5 l\n' >"$tmp/banner"
chmod +x "$tmp/banner"
nc -ll -p 22 -e "$tmp/banner" </dev/null >/dev/null 2>&1 &

xfail_of() {	# $1 = case path: the reason in our expected-failures list
	awk -v p="$1" '$1 == p { $1 = ""; sub(/^ +/, ""); print; exit }' "$stage/xfail"
}

# run_timed SECONDS CMD...: run CMD in its own session with stdin from
# /dev/null, stdout/stderr to $tmp/out, $tmp/err; kill its whole process
# group (a -c child, a trigger) when it is over or out of time.  Prints the
# exit status, 126 for a timeout (runtest.sh's convention).
run_timed() {
	t=$1
	shift
	rm -f "$tmp/pgid" "$tmp/rc"
	setsid sh -c 'echo $$ >"$0/pgid"; "$@" </dev/null >"$0/out" 2>"$0/err"; echo $? >"$0/rc"' \
		"$tmp" "$@" &
	w=$!
	i=0
	while [ ! -f "$tmp/rc" ] && [ $i -lt $((t * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	pg=$(cat "$tmp/pgid" 2>/dev/null)
	[ -n "$pg" ] && kill -KILL -"$pg" 2>/dev/null
	wait $w 2>/dev/null
	if [ -f "$tmp/rc" ]; then cat "$tmp/rc"; else echo 126; fi
}

start=$(date +%s)
n=0
while IFS='	' read -r path kind tmo opts trig timing sort upx skip; do
	n=$((n + 1))
	[ $n -lt "$first" ] && continue
	echo "@@case $n $path"
	res() { echo "@@result $n $path $*"; }
	if [ "$skip" != - ]; then res SKIP "$skip"; continue; fi
	if [ $(($(date +%s) - start)) -ge "$budget" ]; then
		res SKIP "time budget of ${budget}s spent"
		continue
	fi
	t=test/unittest/$path
	base=${t%.*}
	# the case's path, as DTrace's runtest.sh exports it to every case: its
	# triggers read it too (readwholedir reads the files beside the case)
	export _test=$t
	xf=$(xfail_of "$path")
	dtxf=
	[ "$upx" != - ] && dtxf=$upx
	if [ -x "$base.x86_64.x" ] || [ -x "$base.x" ]; then
		xs=$base.x
		[ -x "$base.x86_64.x" ] && xs=$base.x86_64.x
		msg=$("./$xs" 2>/dev/null </dev/null)
		case $? in
		1) dtxf=".x: ${msg:-expected to fail}" ;;
		2) res SKIP ".x: ${msg:-unreliable here}"; continue ;;
		esac
	fi
	script=$t
	if [ -x "$base.p" ]; then
		script=$tmp/$(basename "$t")
		"./$base.p" <"$t" >"$script" 2>/dev/null
	fi
	[ "$opts" = - ] && opts=
	trigcmd=
	[ -x "$base.t" ] && trig=@t
	case "$trig" in
	-|none) ;;
	@t) trigcmd=./$base.t ;;
	*)	set -- $trig
		if [ -x "test/triggers/$1" ]; then trigcmd="test/triggers/$trig"
		else res SKIP "trigger $1 not built"; continue; fi ;;
	esac
	flags=
	case "$kind" in
	shtst|sherr)
		# tst: the case's path without its extension, as DTrace's
		# runtest.sh gives it (drivers name themselves with it: "$tst: dtrace failed")
		export tst=$base dt_flags=$opts
		cmd="./$t $ktrace" ;;
	*)	cmd="$ktrace -s $script $opts" ;;
	esac
	tpid=
	if [ -n "$trigcmd" ]; then
		case "$cmd $opts" in
		*'$_pid'*)
			if [ "$timing" = before ]; then
				$trigcmd </dev/null >/dev/null 2>&1 &
			else
				d=1
				[ "$timing" != after ] && d=$timing
				sh -c "sleep $d; exec $trigcmd" </dev/null >/dev/null 2>&1 &
			fi
			tpid=$!
			cmd=$(echo "$cmd" | sed "s/\\\$_pid/$tpid/g")
			# a .sh driver passes its options on as $dt_flags
			dt_flags=$(echo "${dt_flags-}" | sed "s/\\\$_pid/$tpid/g")
			export _pid=$tpid ;;
		*)	case "$kind" in
			sh*) ;;
			*) cmd="$cmd -c '$trigcmd'" ;;
			esac ;;
		esac
	fi
	t0=$(cut -d' ' -f1 /proc/uptime)
	rc=$(eval "run_timed $tmo $cmd")
	t1=$(cut -d' ' -f1 /proc/uptime)
	[ "$rc" = 126 ] && echo "@@timeout $n ${tmo}s"
	echo "@@time $n $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
	[ -n "$tpid" ] && kill -KILL "$tpid" 2>/dev/null && wait "$tpid" 2>/dev/null
	why=
	case "$kind" in
	*err) [ "$rc" = 1 ] || why="exit status $rc, expected 1" ;;
	*)    [ "$rc" = 0 ] || [ "$rc" = 126 ] || why="exit status $rc, expected 0" ;;
	esac
	# exit 67: the case found it cannot run here (no remote host answers
	# for the ip/tcp remote cases); runtest.sh counts it as XFAIL
	case "$kind:$rc" in
	*tst:67) [ -n "$dtxf" ] || dtxf="exit 67: the case says it cannot run here" ;;
	esac
	r=$base.x86_64.r
	[ -f "$r" ] || r=$base.r
	if [ -z "$why" ] && [ -f "$r" ]; then
		sed '/^-- @@stderr --$/,$d' "$r" >"$tmp/want"
		# DTrace's suite expects its testing mode (_DTRACE_TESTING): the
		# default output without the CPU and ID columns ("%3d %6d ")
		# (-F: without the CPU column, " -> func" or "| f:n" after any indent)
		sed -E -e 's/^CPU     ID //' -e 's/^[ 0-9]{2}[0-9] [ 0-9]{5}[0-9] //' \
			-e 's/^CPU (FUNCTION {33})$/\1/' \
			-e 's/^[ 0-9]{2}[0-9] ( *( [-=]> | <[-=] |\| ))/\1/' \
			"$tmp/out" >"$tmp/tm"
		if [ -x "$base.r.p" ]; then
			"./$base.r.p" <"$tmp/tm" >"$tmp/pp" 2>/dev/null || cp "$tmp/tm" "$tmp/pp"
		else
			cp "$tmp/tm" "$tmp/pp"
		fi
		sed 's/0x[0-9a-f][0-9a-f]*/{ptr}/g' "$tmp/pp" >"$tmp/got"
		if [ "$sort" = sort ]; then
			sort "$tmp/want" >"$tmp/want.s" && mv "$tmp/want.s" "$tmp/want"
			sort "$tmp/got" >"$tmp/got.s" && mv "$tmp/got.s" "$tmp/got"
		fi
		cmp -s "$tmp/want" "$tmp/got" || why="output differs from $(basename "$r")"
	fi
	if [ -z "$why" ]; then
		if [ -n "$xf" ]; then res XPASS "$xf"; else res PASS; fi
	elif [ -n "$xf" ]; then
		res XFAIL "$xf"
	elif [ -n "$dtxf" ]; then
		res DTXFAIL "$dtxf"
	else
		res FAIL "$why"
		if [ "$verbose" = 1 ]; then
			case "$why" in
			output*) diff -u "$tmp/want" "$tmp/got" | head -n 30 | sed 's/^/# /' ;;
			esac
			head -c 2000 "$tmp/err" | head -n 8 | sed 's/^/# stderr: /'
		fi
	fi
	unset _test _pid dt_flags
done <"$manifest"
echo "@@done"
