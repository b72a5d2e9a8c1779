#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --format json (JSON Lines): records and aggregations, one JSON object a
# line, compared exactly once the fields that vary between runs ("cpu",
# "timestamp") are dropped with sed; one test per action, each checking
# that the action does in JSON what it does in text (trunc, clear,
# normalize, setopt, system, freopen, ftruncate, speculations...), and the
# shape of every aggregating function's value.  Runs in the guest (needs
# /dev/ktrace and the staged tools/toolwork).  KTAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/ktap.sh"
ktrace=${KTRACE:-ktrace}
command -v "$ktrace" >/dev/null 2>&1 || ktrace=$here/../../build/user/ktrace
[ -c /dev/ktrace ] || ktap_skip_all "no /dev/ktrace (run in the guest)"
command -v "$ktrace" >/dev/null 2>&1 || ktap_skip_all "no ktrace binary"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# json_case NAME PROGRAM [FLAG [SED]]: stdout (cpu and timestamp removed, and
# what the sed expression SED changes) must equal $tmp/want, stderr must be
# empty and the exit status 0.
json_case() {
	timeout 60 "$ktrace" -q ${3:-} --format json -n "$2" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	sed -e 's/"cpu":[0-9]*,//' -e 's/"timestamp":[0-9]*,//' -e "${4:-}" "$tmp/out" >"$tmp/got"
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/want" "$tmp/got"; then
		ktap_ok "$1"
		return
	fi
	ktap_diag "$1: exit $rc"
	sed 's/^/# stderr: /' "$tmp/err" | head -5
	diff "$tmp/want" "$tmp/got" | sed 's/^/# /' | head -20
	ktap_fail "$1"
}

ktap_plan 21

# the fields removed above are there, with numbers
timeout 60 "$ktrace" -q --format json -n 'BEGIN { exit(0); }' >"$tmp/out" 2>&1 </dev/null
if grep -q '^{"type":"record","cpu":[0-9][0-9]*,"id":1,"probe":"dtrace:::BEGIN","timestamp":[1-9][0-9]*,"data":\[' "$tmp/out"; then
	ktap_ok "json_record_has_cpu_and_timestamp"
else
	sed 's/^/# /' "$tmp/out" | head -5
	ktap_fail "json_record_has_cpu_and_timestamp"
fi

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"printf","output":"hello 42 \"q\"\n"},{"action":"trace","values":[7]},{"action":"trace","values":["s\tt"]},{"action":"exit","values":[0]}]}
EOT
json_case "json_record_actions" \
	'BEGIN { printf("hello %d \"q\"\n", 42); trace(7); trace("s\tt"); exit(0); }'

# trace() of a struct and tracemem(): the bytes' values
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"trace","values":[[2,1,0,0,65,0,0,0]]},{"action":"tracemem","values":[[2,1,0]]},{"action":"tracemem","values":[[]]},{"action":"exit","values":[0]}]}
EOT
json_case "json_trace_bytes_tracemem" \
	'struct s { int a; char b; } v; BEGIN { v.a = 258; v.b = 65; trace(v); this->p = (char *)alloca(8); this->p[0] = 2; this->p[1] = 1; tracemem(this->p, 8, 3); tracemem(this->p, 8, 0); exit(0); }'

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"exit","values":[0]}]}
{"type":"aggregation","name":"c","function":"count","entries":[{"keys":["a"],"value":1},{"keys":["b"],"value":2}]}
{"type":"aggregation","name":"s","function":"sum","entries":[{"keys":[1,"x"],"value":10}]}
{"type":"aggregation","name":"q","function":"quantize","entries":[{"keys":[],"buckets":[{"value":4,"count":1}]}]}
EOT
json_case "json_aggregations_at_exit" \
	'BEGIN { @c["a"] = count(); @c["b"] = count(); @c["b"] = count(); @s[1, "x"] = sum(10); @q = quantize(5); exit(0); }'

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[]}
{"type":"aggregation","name":"n","function":"max","entries":[{"keys":[3],"value":-4}]}
{"type":"record-continued","data":[{"action":"exit","values":[0]}]}
EOT
json_case "json_printa_inside_a_record" \
	'BEGIN { @n[3] = max(-4); printa(@n); exit(0); }'

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[]}
{"type":"aggregation","name":"a","function":"count","entries":[{"keys":["x"],"value":1}]}
{"type":"aggregation","name":"b","function":"sum","entries":[{"keys":["x"],"value":10}]}
{"type":"record-continued","data":[{"action":"exit","values":[0]}]}
EOT
json_case "json_printa_of_two_aggregations" \
	'BEGIN { @a["x"] = count(); @b["x"] = sum(10); printa("%s %@d %@d\n", @a, @b); exit(0); }'

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"print","values":[5]},{"action":"exit","values":[0]}]}
EOT
json_case "json_print" 'BEGIN { print(5); exit(0); }'

# print(P) of an object: its address, type and value (members by name, chars as a string)
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"print","address":A,"type":"struct s","value":{"a":-1,"n":"hi","v":[0,7]}},{"action":"exit","values":[0]}]}
EOT
json_case "json_print_object" 'struct s { int a; char n[4]; short v[2]; };
	BEGIN { t = (struct s *)alloca(sizeof (struct s)); t->a = -1; t->n[0] = 104; t->n[1] = 105;
	t->v[1] = 7; print(t); exit(0); }' "" 's/"address":[1-9][0-9]*,/"address":A,/'

# trunc(@, 1) keeps the biggest entry only, as in text mode
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"trunc","values":[1]}]}
{"type":"aggregation","name":"c","function":"count","entries":[{"keys":["b"],"value":2}]}
{"type":"record-continued","data":[{"action":"exit","values":[0]}]}
EOT
json_case "json_trunc" \
	'BEGIN { @c["a"] = count(); @c["b"] = count(); @c["b"] = count(); trunc(@c, 1); printa(@c); exit(0); }'

# clear(): what was counted before it is gone; END's printa sees zero
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"clear","values":[]},{"action":"exit","values":[0]}]}
{"type":"record","id":2,"probe":"dtrace:::END","data":[]}
{"type":"aggregation","name":"n","function":"count","entries":[{"keys":[],"value":0}]}
{"type":"record-continued","data":[]}
EOT
json_case "json_clear" 'BEGIN { @n = count(); clear(@n); exit(0); } END { printa(@n); }'

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"normalize","values":[5]},{"action":"exit","values":[0]}]}
{"type":"aggregation","name":"s","function":"sum","entries":[{"keys":[],"value":2}]}
EOT
json_case "json_normalize" 'BEGIN { @s = sum(10); normalize(@s, 5); exit(0); }'

cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"normalize","values":[5]},{"action":"denormalize","values":[]},{"action":"exit","values":[0]}]}
{"type":"aggregation","name":"s","function":"sum","entries":[{"keys":[],"value":10}]}
EOT
json_case "json_denormalize" 'BEGIN { @s = sum(10); normalize(@s, 5); denormalize(@s); exit(0); }'

# setopt("aggsortrev"): the biggest first
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"setopt","values":["aggsortrev"]},{"action":"exit","values":[0]}]}
{"type":"aggregation","name":"c","function":"count","entries":[{"keys":["b"],"value":2},{"keys":["a"],"value":1}]}
EOT
json_case "json_setopt" \
	'BEGIN { setopt("aggsortrev"); @c["a"] = count(); @c["b"] = count(); @c["b"] = count(); exit(0); }'

# system(): the command runs; its output is the item's, the line stays JSON
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"system","command":"echo hi 3","output":"hi 3\n"},{"action":"exit","values":[0]}]}
EOT
json_case "json_system" 'BEGIN { system("echo hi %d", 3); exit(0); }' -w

# ftruncate(): what was written goes, the record goes on in a whole line
cat >"$tmp/want" <<'EOT'
{"type":"record-continued","data":[{"action":"printf","output":"y"},{"action":"exit","values":[0]}]}
EOT
json_case "json_ftruncate" 'BEGIN { printf("x"); ftruncate(); printf("y"); exit(0); }'

# freopen(): each file gets whole JSON lines (an action's item goes where
# the output is when the action runs)
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"freopen","values":[]}]}
{"type":"record-continued","data":[{"action":"exit","values":[0]}]}
EOT
rm -f "$tmp/f"
json_case "json_freopen" "BEGIN { freopen(\"$tmp/f\"); printf(\"in f\"); freopen(\"\"); exit(0); }" -w
if [ "$(cat "$tmp/f" 2>/dev/null)" = '{"type":"record-continued","data":[{"action":"printf","output":"in f"},{"action":"freopen","values":[]}]}' ]; then
	ktap_ok "json_freopen_file"
else
	sed 's/^/# f: /' "$tmp/f" 2>/dev/null | head -5
	ktap_fail "json_freopen_file"
fi

# The issue's program, tick { trunc(@, 2); printa(@); clear(@); }, over three
# intervals.  The workload of each interval is known, and run by system()
# from the consumer just before the interval's printa (the clause before it,
# on the same tick), so the printa sees all of it and nothing of the next
# interval's, however late the consumer is.  Interval K (1..3): tw_a makes
# 3K getppid()s, tw_b 5, tw_c 4, tw_d 1 (toolwork under five names); then
# tw_end's getppid() ends the session.  Each printa shows that interval
# only (not the sum so far), and only its two biggest keys.
tw=$here/../tools/toolwork
if [ -x "$tw" ]; then
	for k in a b c d end; do ln -s "$tw" "$tmp/tw_$k"; done
	cat >"$tmp/w.sh" <<EOT
[ \$1 = 4 ] && exec "$tmp/tw_end" getppid 1
"$tmp/tw_a" getppid \$((3 * \$1)); "$tmp/tw_b" getppid 5; "$tmp/tw_c" getppid 4; "$tmp/tw_d" getppid 1
EOT
	cat >"$tmp/want" <<EOT
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"system","command":"sh $tmp/w.sh 1","output":""}]}
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"trunc","values":[2]}]}
{"type":"aggregation","name":"","function":"count","entries":[{"keys":["tw_c"],"value":4},{"keys":["tw_b"],"value":5}]}
{"type":"record-continued","data":[{"action":"clear","values":[]}]}
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"system","command":"sh $tmp/w.sh 2","output":""}]}
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"trunc","values":[2]}]}
{"type":"aggregation","name":"","function":"count","entries":[{"keys":["tw_b"],"value":5},{"keys":["tw_a"],"value":6}]}
{"type":"record-continued","data":[{"action":"clear","values":[]}]}
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"system","command":"sh $tmp/w.sh 3","output":""}]}
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"trunc","values":[2]}]}
{"type":"aggregation","name":"","function":"count","entries":[{"keys":["tw_b"],"value":5},{"keys":["tw_a"],"value":9}]}
{"type":"record-continued","data":[{"action":"clear","values":[]}]}
{"type":"record","id":T,"probe":"profile:::tick-100ms","data":[{"action":"system","command":"sh $tmp/w.sh 4","output":""}]}
{"type":"record","id":S,"probe":"syscall:vmlinux:getppid:entry","data":[{"action":"trunc","values":[]},{"action":"exit","values":[0]}]}
EOT
	# the ids of the tick and syscall probes vary: T and S
	json_case "json_trunc_printa_clear_per_interval" "
syscall::getppid:entry /execname == \"tw_a\" || execname == \"tw_b\" || execname == \"tw_c\" ||
    execname == \"tw_d\"/ { @[execname] = count(); }
tick-100ms /++n <= 4/ { system(\"sh $tmp/w.sh %d\", n); }
tick-100ms /n < 4/ { trunc(@, 2); printa(@); clear(@); }
syscall::getppid:entry /execname == \"tw_end\"/ { trunc(@); exit(0); }" -w \
		's/"id":[0-9]*,"probe":"profile/"id":T,"probe":"profile/; s/"id":[0-9]*,"probe":"syscall/"id":S,"probe":"syscall/'
else
	ktap_skip "json_trunc_printa_clear_per_interval" "no $tw (the staged tools/)"
fi

# speculations: what is committed shows, as the records of the clauses that
# speculated; what is discarded never does (two buffers: none fails)
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"printf","output":"kept 1\n"}]}
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"trace","values":[2]}]}
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"exit","values":[0]}]}
EOT
json_case "json_speculation_commit_discard" '
BEGIN { s1 = speculation(); s2 = speculation(); }
BEGIN { speculate(s1); printf("kept %d\n", 1); }
BEGIN { speculate(s2); printf("dropped\n"); }
BEGIN { speculate(s1); trace(2); }
BEGIN { commit(s1); }
BEGIN { discard(s2); }
BEGIN { exit(0); }' -xnspec=2

# the value of each aggregating function: avg, min, max, stddev a number;
# lquantize and llquantize buckets by the value they start at (the one below
# the range: the range's start - 1), non-zero buckets only
cat >"$tmp/want" <<'EOT'
{"type":"record","id":1,"probe":"dtrace:::BEGIN","data":[{"action":"exit","values":[0]}]}
{"type":"aggregation","name":"a","function":"avg","entries":[{"keys":[],"value":5}]}
{"type":"aggregation","name":"mn","function":"min","entries":[{"keys":[],"value":-3}]}
{"type":"aggregation","name":"mx","function":"max","entries":[{"keys":[],"value":7}]}
{"type":"aggregation","name":"sd","function":"stddev","entries":[{"keys":[],"value":2}]}
{"type":"aggregation","name":"l","function":"lquantize","entries":[{"keys":[],"buckets":[{"value":-1,"count":1},{"value":2,"count":2},{"value":10,"count":1}]}]}
{"type":"aggregation","name":"ll","function":"llquantize","entries":[{"keys":[],"buckets":[{"value":0,"count":1},{"value":5,"count":1},{"value":50,"count":1},{"value":100,"count":1},{"value":1000,"count":1}]}]}
EOT
json_case "json_aggregating_functions" 'BEGIN {
	@a = avg(2); @a = avg(4); @a = avg(9);
	@mn = min(5); @mn = min(-3); @mn = min(8);
	@mx = max(-1); @mx = max(7); @mx = max(2);
	@sd = stddev(2); @sd = stddev(4); @sd = stddev(4); @sd = stddev(4);
	@sd = stddev(5); @sd = stddev(5); @sd = stddev(7); @sd = stddev(9);
	@l = lquantize(-1, 0, 10, 2); @l = lquantize(3, 0, 10, 2); @l = lquantize(3, 0, 10, 2);
	@l = lquantize(12, 0, 10, 2);
	@ll = llquantize(0, 10, 0, 2, 10); @ll = llquantize(5, 10, 0, 2, 10);
	@ll = llquantize(55, 10, 0, 2, 10); @ll = llquantize(150, 10, 0, 2, 10);
	@ll = llquantize(5000, 10, 0, 2, 10);
	exit(0);
}'

# stack() and ustack(): arrays of frames (symbol text), in a system call of
# the workload (BEGIN has no kernel stack: its stack() is empty, as DTrace's)
timeout 60 "$ktrace" -q --format json -c "$here/../tools/toolwork fsync $tmp/stk 1" -n '
fbt::vfs_write:entry /pid == $target/ { stack(); ustack(); exit(0); }
BEGIN { stack(); }' >"$tmp/out" 2>&1 </dev/null
if grep -Eq '"probe":"dtrace:::BEGIN",("[a-z]+":[0-9]+,)*"data":\[\{"action":"stack","values":\[\[\]\]\}\]' "$tmp/out" &&
   grep -Eq '"action":"stack","values":\[\["[^"]+"(,"[^"]+")*\]\]\},\{"action":"ustack","values":\[\["[^"]+"(,"[^"]+")*\]\]\}' "$tmp/out"; then
	ktap_ok "json_stack_ustack"
else
	sed 's/^/# /' "$tmp/out" | head -5
	ktap_fail "json_stack_ustack"
fi

ktap_finished
