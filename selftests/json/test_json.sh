#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# --format json (JSON Lines): records and aggregations, one JSON object a
# line, compared exactly once the fields that vary between runs ("cpu",
# "timestamp") are dropped with sed; one test per action, each checking
# that the action does in JSON what it does in text (trunc, clear,
# normalize, setopt, system, freopen, ftruncate...).  Runs in the guest
# (needs /dev/ktrace).  KTAP.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/ktap.sh"
ktrace=${KTRACE:-ktrace}
command -v "$ktrace" >/dev/null 2>&1 || ktrace=$here/../../build/user/ktrace
[ -c /dev/ktrace ] || ktap_skip_all "no /dev/ktrace (run in the guest)"
command -v "$ktrace" >/dev/null 2>&1 || ktap_skip_all "no ktrace binary"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# json_case NAME PROGRAM [FLAG]: stdout (cpu and timestamp removed) must
# equal $tmp/want, stderr must be empty and the exit status 0.
json_case() {
	timeout 60 "$ktrace" -q ${3:-} --format json -n "$2" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	sed -e 's/"cpu":[0-9]*,//' -e 's/"timestamp":[0-9]*,//' "$tmp/out" >"$tmp/got"
	if [ $rc -eq 0 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/want" "$tmp/got"; then
		ktap_ok "$1"
		return
	fi
	ktap_diag "$1: exit $rc"
	sed 's/^/# stderr: /' "$tmp/err" | head -5
	diff "$tmp/want" "$tmp/got" | sed 's/^/# /' | head -20
	ktap_fail "$1"
}

ktap_plan 16

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

# stack() and ustack(): arrays of frames (symbol text)
timeout 60 "$ktrace" -q --format json -n 'BEGIN { stack(); ustack(); exit(0); }' >"$tmp/out" 2>&1 </dev/null
if grep -Eq '"action":"stack","values":\[\["[^"]+"(,"[^"]+")*\]\]\},\{"action":"ustack","values":\[\["[^"]+"(,"[^"]+")*\]\]\}' "$tmp/out"; then
	ktap_ok "json_stack_ustack"
else
	sed 's/^/# /' "$tmp/out" | head -5
	ktap_fail "json_stack_ustack"
fi

ktap_finished
