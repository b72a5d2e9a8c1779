#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# README.md's "A taste of the language" runs as written: its D block
# compiles as one script, and each of its ktrace commands runs without an
# error and prints what it promises (the malloc one a quantize() histogram,
# with a dynamically linked ls as README says: lib/dynbin, staged by
# build.mk).  Commands that trace until Ctrl-C are stopped after 4 s; those
# that end by themselves (-l, -c) get 120 s: on the rt kernel under load,
# listing fbt::vfs_* (creating its probes) has taken more than 4 s.
. "$(dirname "$0")/lib.sh"
R=../lib/README.md
[ -f $R ] || ktap_skip_all "README.md not staged"
DYN=$(cd ../lib/dynbin 2>/dev/null && pwd)
awk '/^## A taste/ { t = 1 } t && /^```d/ { d = 1; next } d && /^```/ { exit } d' $R >$OUT.d
awk '/^## A taste/ { t = 1 } t && /^```sh/ { s = 1; next } s && /^```/ { exit } s && /^ktrace /' $R >$OUT.cmds
n=$(grep -c . $OUT.cmds)
[ "$n" -gt 0 ] || ktap_skip_all "no ktrace commands in README's taste section"
ktap_plan $((n + 1))
if [ -s $OUT.d ] && ktrace -e -s $OUT.d -c 'ls /' >$OUT 2>&1; then ktap_ok readme_d_block_compiles
else ktap_fail readme_d_block_compiles "$(head -c 400 $OUT | tr '\n' '|')"; fi
loop_start cat /etc/hosts
i=0
while IFS= read -r cmd; do
	i=$((i + 1))
	case $cmd in *" -l "*|*" -c "*) t=120 ;; *) t=4 ;; esac
	PATH=$DYN:$PATH LD_LIBRARY_PATH=$DYN/lib timeout $t sh -c "$cmd" >$OUT 2>$OUT.err; rc=$?
	why=
	case $rc in 0|124|143) ;; *) why="status $rc" ;; esac
	grep -Eqi 'error|invalid|failed|no probe|not found' $OUT.err && why="$why stderr: $(head -c 300 $OUT.err)"
	[ -s $OUT ] || why="$why no output"
	case $cmd in *malloc*quantize*) grep -q 'Distribution' $OUT || why="$why no histogram" ;; esac
	[ -z "$why" ] && ktap_ok "readme_cmd_$i" ||
		ktap_fail "readme_cmd_$i" "$cmd: $why: $(head -c 200 $OUT | tr '\n' '|')"
done <$OUT.cmds
loop_stop
ktap_finished
