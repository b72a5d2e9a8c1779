#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list) of ktrace-analytics' HTTP side: bad
# requests (unknown metric or key, predicates outside the grammar, huge or
# malformed queries, path traversal, other sites' pages) get a clear 4xx and
# change nothing: no ktrace is started (the server runs a recording stand-in
# for the CLI, KT_LOG gets a line per run), the session list stays as it was.
# Then a good request: exactly one ktrace, with the generated program and the
# string as a macro argument; stopping it, and a page that stops asking
# (the session is stopped by itself).  The real thing, in the guest with a
# browser, is test_browser.sh.  Not executable: the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
KA=build/user/ktrace-analytics
[ -x $KA ] || ktap_skip_all "$KA not built (make -C user/tools)"
command -v curl >/dev/null || ktap_skip_all "no curl"
T=$(mktemp -d "${TMPDIR:-/tmp}/ka-http.XXXXXX") || exit 1
SRV=
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT

# the stand-in: logs its pid and arguments (program text on one line), prints
# one heat map snapshot, logs SIGTERM and exits
cat >$T/ktrace <<EOF
#!/bin/sh
printf '%s' "\$\$" >>$T/calls; for a in "\$@"; do printf ' [%s]' "\$a" | tr '\n' ' ' >>$T/calls; done; echo >>$T/calls
trap 'echo "\$\$ TERM" >>$T/calls; exit 0' TERM
echo '{"type":"aggregation","name":"lat","function":"quantize","entries":[{"keys":["toolwork"],"buckets":[{"value":8388608,"count":3}]}]}'
while :; do sleep 0.1; done
EOF
chmod +x $T/ktrace
: >$T/calls
PORT=$((20000 + $$ % 20000))
$KA --listen 127.0.0.1:$PORT --ktrace $T/ktrace >$T/srv.out 2>&1 &
SRV=$!
B=http://127.0.0.1:$PORT
i=0
until curl -s -o /dev/null $B/api/metrics || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
ktap_plan 24

# req NAME WANT_CODE WANT_ERROR_ERE [curl args...]: status and {"error"} text
req() {
	_n=$1 _c=$2 _e=$3; shift 3
	code=$(curl -s -o $T/body -w '%{http_code}' "$@")
	if [ "$code" = "$_c" ] && grep -Eq -- "$_e" $T/body; then ktap_ok "$_n"
	else ktap_fail "$_n" "status $code (want $_c), body: $(head -c 300 $T/body)"; fi
}
post() { _n=$1 _c=$2 _e=$3 _q=$4; req "$_n" "$_c" "$_e" -X POST "$B/api/sessions?$_q"; }

req page_served_from_the_binary 200 '<script src="/analytics.js">' $B/
req page_script_served 200 'KA.heatAdd' $B/analytics.js
post unknown_metric_400 400 "unknown metric 'cpu_temperature' \\(metrics: syscall_latency, " 'metric=cpu_temperature'
post missing_metric_400 400 "missing parameter 'metric'" 'key=pid'
post unknown_key_400 400 "unknown key 'syscall' for oncpu \\(keys: none, execname" 'metric=oncpu&key=syscall'
post unknown_field_400 400 "unknown field 'comm' for syscall_latency" 'metric=syscall_latency&pred=comm%3D%3D1'
post predicate_not_d_400 400 'expected && or the end' \
	'metric=syscall_latency&pred=pid%20%3D%3D%201)%20%7B%20system(%22reboot%22)%3B%20%7D%20%2F*'
post string_compare_order_400 400 'strings compare with == and != only' 'metric=oncpu&pred=execname%20%3C%20%22a%22'
post number_field_string_400 400 'pid takes a number' 'metric=oncpu&pred=pid%3D%3Dinit'
post bad_syscall_name_400 400 "bad syscall name 'read;exit'" 'metric=syscall_latency&syscall=read%3Bexit'
post unknown_parameter_400 400 "unknown parameter 'prog'" 'metric=oncpu&prog=BEGIN%7Bexit(0)%7D'
post duplicate_parameter_400 400 "parameter 'metric' given twice" 'metric=oncpu&metric=threads'
post long_value_400 400 "parameter 'pred' longer than 128 bytes" "metric=oncpu&pred=execname%3D%3D%22$(head -c 130 /dev/zero | tr '\0' a)%22"
code=$(curl -s -o $T/body -w '%{http_code}' -X POST "$B/api/sessions?metric=oncpu&pred=$(head -c 100000 /dev/zero | tr '\0' 1)")
case $code in 4??) ktap_ok huge_query_4xx ;; *) ktap_fail huge_query_4xx "status $code" ;; esac
bad=
for p in '/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/analytics.js/../../../etc/passwd' \
	 '/api/../../etc/passwd' '/api/sessions/1/../../../etc/passwd' '/page.html' '/analytics.c'; do
	code=$(curl -s --path-as-is -o $T/body -w '%{http_code}' "$B$p")
	[ "$code" = 404 ] && grep -q '"error"' $T/body || bad="$bad $p:$code"
done
[ -z "$bad" ] && ktap_ok path_traversal_404 || ktap_fail path_traversal_404 "$bad"
req other_site_origin_403 403 'cross-origin' -X POST -H 'Origin: http://example.com' "$B/api/sessions?metric=oncpu"
req rebinding_host_403 403 'Host must be an IP address or localhost' -H 'Host: attacker.example:80' $B/api/sessions
req request_body_400 400 'no request body' -X POST --data 'metric=oncpu' "$B/api/sessions?metric=oncpu"

# nothing of the above started anything
sessions=$(curl -s $B/api/sessions)
if [ ! -s $T/calls ] && echo "$sessions" | grep -q '"sessions":\[\]'; then
	ktap_ok bad_requests_change_nothing
else
	ktap_fail bad_requests_change_nothing "calls: $(head -c 300 $T/calls), sessions: $(echo "$sessions" | head -c 300)"
fi

# wait_for ERE [TENTHS]: until a line of the log matches (default 5 s)
wait_for() {
	_i=0
	until grep -Eq -- "$1" $T/calls || [ $_i -ge "${2:-50}" ]; do sleep 0.1; _i=$((_i + 1)); done
	grep -Eq -- "$1" $T/calls
}
# a good one: one ktrace, the string a macro argument after --
code=$(curl -s -o $T/body -w '%{http_code}' -X POST \
	"$B/api/sessions?metric=syscall_latency&key=execname&pred=execname%20%3D%3D%20%22toolwork%22%20%26%26%20cpu%20%3C%202")
id=$(sed -n 's/^{"id":\([0-9]*\)}$/\1/p' $T/body)
if [ "$code" = 201 ] && [ -n "$id" ] && wait_for '\[--\] \[toolwork\]$' && [ "$(grep -c . $T/calls)" = 1 ] &&
   grep -q '\[--format\] \[json\].*\[-n\] \[syscall::read:entry /execname == \$\$1 && cpu < 2/ { self->ka_ts = timestamp; } syscall::read:return' $T/calls; then
	ktap_ok good_request_one_ktrace_strings_as_macro_args
else
	ktap_fail good_request_one_ktrace_strings_as_macro_args "status $code id '$id', calls: $(head -c 400 $T/calls)"
fi
kpid=$(head -n 1 $T/calls | cut -d' ' -f1)
i=0
until curl -s "$B/api/sessions/$id?since=0" >$T/data && grep -q '"seq":1,' $T/data || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
if grep -q '"state":"running"' $T/data && grep -q '"seq":1,"t":[0-9]*,"v":{"type":"aggregation","name":"lat"' $T/data &&
   curl -s "$B/api/sessions/$id?since=1" | grep -q '"lines":\[\]}'; then
	ktap_ok session_lines_relayed_after_since
else
	ktap_fail session_lines_relayed_after_since "$(head -c 400 $T/data)"
fi
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$B/api/sessions/$id")
if [ "$code" = 200 ] && wait_for "^$kpid TERM" && sleep 0.5 && curl -s "$B/api/sessions/$id" | grep -q '"state":"stopped"'; then
	ktap_ok stop_ends_the_ktrace_process
else
	ktap_fail stop_ends_the_ktrace_process "status $code, calls: $(tr '\n' '|' <$T/calls | head -c 300)"
fi
# a page that goes away stops asking: its session stops by itself (10 s)
curl -s -o $T/body -X POST "$B/api/sessions?metric=threads"
wait_for '\[tracepoint:sched::sched_switch /1/' || true
kpid=$(grep 'sched_switch' $T/calls | cut -d' ' -f1)
if [ -n "$kpid" ] && wait_for "^$kpid TERM" 150; then
	ktap_ok idle_session_stopped_when_page_gone
else
	ktap_fail idle_session_stopped_when_page_gone "calls: $(tr '\n' '|' <$T/calls | head -c 400)"
fi
# the server stopped: every session ends with it
curl -s -o $T/body -X POST "$B/api/sessions?metric=oncpu&key=pid"
wait_for 'profile-99' || true
kpid=$(grep 'profile-99' $T/calls | cut -d' ' -f1)
kill -TERM $SRV; wait $SRV; rc=$?; SRV=
if [ $rc = 0 ] && [ -n "$kpid" ] && grep -q "^$kpid TERM" $T/calls && grep -q 'every session ended' $T/srv.out; then
	ktap_ok server_exit_ends_every_session
else
	ktap_fail server_exit_ends_every_session "status $rc, calls: $(tr '\n' '|' <$T/calls | head -c 400)"
fi
ktap_finished
