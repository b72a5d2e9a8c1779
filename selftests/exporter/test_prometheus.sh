#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ktrace-exporter scraped by a real Prometheus (issue 17).  The exporter
# runs in a cloud-kernel guest (guest.sh), its port forwarded to the host's
# 127.0.0.1 (vm/run --forward); Debian's prometheus runs on the host on a
# free 127.0.0.1 port with its own temporary config and storage, scraping
# every second, and is stopped by this test.  A known workload (xload.c:
# 100 + 60 + 40 reads of 100, 1000 and 5000 bytes, 25 loopback connects;
# then, after a SIGHUP reload, 50 reads more) and Prometheus's HTTP API
# must agree exactly: the counters, _count/_sum, histogram_quantile() at
# 0.5 and 0.9 (as Prometheus interpolates within the known buckets), no
# counter reset across the reload nor across the program's own trunc()
# every second, and the same buckets as ktrace's own
# printa of the same program; avg/min/max/stddev gauges at the workload's
# exact values.  The exporter's own metrics (sessions, probes as ktrace
# --sessions lists them, drops, errors, scrape duration, one scrape counted
# per Prometheus scrape, which come every second) and its refusals (other
# methods, other paths, a malformed or oversized request: a 4xx, and
# nothing else changes).  Also in the guest: with no configuration and no
# --listen, the built-in set on 127.0.0.1:9464 only, its families fed by
# the same workload and 64 direct reads of a null_blk disk; configurations
# that do not compile or do not resolve start nothing, and a SIGKILLed
# exporter leaves no session (ktrace --sessions).
cd "$(dirname "$0")/../.." || exit 1
TOP=$(pwd)
. selftests/lib/ktap.sh
T=$(mktemp -d "${TMPDIR:-/tmp}/exporter-prom.XXXXXX") || exit 1
ppid_=
cleanup() {
	[ -n "$ppid_" ] && kill "$ppid_" 2>/dev/null && wait "$ppid_" 2>/dev/null
	[ -n "${vpid:-}" ] && kill "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
X=build/user/ktrace-exporter
ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || ktap_skip_all "no cloud kernel in /boot (make deps)"
ktap_plan 13
# make check runs the host tests before it builds the modules: build what is missing
[ -x "$X" ] || make -s user >"$T/build.log" 2>&1
[ -f build/cloud/ktrace.ko ] || make -s module KERNEL=cloud >>"$T/build.log" 2>&1
if [ ! -x "$X" ] || [ ! -f build/cloud/ktrace.ko ]; then
	ktap_fail exporter_prometheus_setup "building the exporter or build/cloud/ktrace.ko failed: $(tail -c 400 "$T/build.log" | tr '\n' '|')"
	exit 1
fi
need() { command -v "$1" >/dev/null || { echo "# $1 missing (make deps)"; ktap_fail "$2" "$1 missing"; exit 1; }; }
need prometheus exporter_prometheus_setup
need curl exporter_prometheus_setup

# ---------------------------------------------------------- the guest ---
A=$T/add
mkdir -p "$A/lib" "$A/conf" "$A/bad-syntax" "$A/bad-probe" "$A/www/cgi-bin"
cp "$X" "$A/ktrace-exporter"
ldd "$X" | awk '/=> \//{ print $3 }' | while read -r l; do cp -L "$l" "$A/lib/"; done
${CC:-cc} -O2 -static -o "$A/xload" selftests/exporter/xload.c || { ktap_fail exporter_prometheus_setup "xload does not build"; exit 1; }
cp selftests/exporter/guest.sh "$A/"
cp selftests/exporter/load.d "$A/conf/"
printf '// metric: @a x\nsyscall::read:entry { @a = count( }\n' >"$A/bad-syntax/a.d"
printf '// metric: @a x\nfbt::ktrace_no_such_function_xyz:entry { @a = count(); }\n' >"$A/bad-probe/a.d"
# cgi-bin/sessions: ktrace --sessions in the guest
printf '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n"\n/usr/local/bin/ktrace --sessions 2>&1\n' >"$A/www/cgi-bin/sessions"
chmod +x "$A/www/cgi-bin/sessions"
for n in start reload stop; do
	printf '#!/bin/sh\ntouch /tmp/go-%s\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n"\n' $n $n >"$A/www/cgi-bin/$n"
	chmod +x "$A/www/cgi-bin/$n"
done

listening() {	# PORT: listeners on TCP PORT (/proc/net/tcp, hex)
	awk -v p="$(printf ':%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == p' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}
freeport() {	# FROM: the first port from FROM on that nothing listens on
	p=$1
	while [ -n "$(listening $p)" ]; do p=$((p + 1)); done
	echo $p
}
XP=$(freeport 29464)
CP=$(freeport $((XP + 1)))
PP=$(freeport $((CP + 1)))
VM_EXTRA_MODULES=null_blk vm/run --kernel cloud --timeout 450 --add "$A" --forward "$XP:9464" --forward "$CP:8080" \
	-- sh ./guest.sh >"$T/guest.out" 2>"$T/guest.err" &
vpid=$!

# ------------------------------------------------------- Prometheus ---
cat >"$T/prometheus.yml" <<Y
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: ktrace
    static_configs:
      - targets: ['127.0.0.1:$XP']
Y
pstart=$(date +%s)
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/data" \
	--web.listen-address="127.0.0.1:$PP" --storage.tsdb.retention.time=1h \
	>"$T/prometheus.log" 2>&1 &
ppid_=$!

# marker NAME [SECONDS]: wait for "@@ NAME" in the guest's output
marker() {
	i=0
	while ! grep -q "^@@ $1" "$T/guest.out" 2>/dev/null; do
		kill -0 $vpid 2>/dev/null || return 1
		[ $i -ge $((${2:-200} * 5)) ] && return 1
		sleep 0.2; i=$((i + 1))
	done
}
go() { curl -s --max-time 10 "http://127.0.0.1:$CP/cgi-bin/$1" >/dev/null; }
# q EXPR: the value of an instant query (empty if none).  A scrape that
# failed (1 s timeout, loaded host) marks every series stale until the next
# one answers: an empty result is asked again for up to 5 s
q() {
	_i=0
	while :; do
		_v=$(curl -s --max-time 10 "http://127.0.0.1:$PP/api/v1/query" --data-urlencode "query=$1" |
			sed -n 's/.*"value":\[[0-9.]*,"\([^"]*\)"\].*/\1/p')
		[ -n "$_v" ] || [ $_i -ge 10 ] && break
		sleep 0.5; _i=$((_i + 1))
	done
	echo "$_v"
}
# bucket LE: test_read_bytes_bucket at le=LE (text exposition: "127", OpenMetrics,
# which Prometheus asks for first: "127.0")
bucket() { q "test_read_bytes_bucket{le=~\"$1|$1.0\"}"; }
# until_eq EXPR VALUE: poll (1 s scrapes) until Prometheus has it, at most 60 s
until_eq() {
	_end=$(($(date +%s) + 60))
	while [ "$(q "$1")" != "$2" ] && [ "$(date +%s)" -lt $_end ]; do sleep 0.5; done
	[ "$(q "$1")" = "$2" ]
}
fail_setup() {
	ktap_fail exporter_prometheus_setup "$1; guest: $(tail -c 600 "$T/guest.out" | tr '\n' '|') $(tail -c 300 "$T/guest.err" | tr '\n' '|'); prometheus: $(tail -c 300 "$T/prometheus.log" | tr '\n' '|')"
	exit 1
}

marker ready 400 || fail_setup "the guest's exporter did not come up"
# Prometheus scrapes it (up == 1) before the workload starts
until_eq 'up{job="ktrace"}' 1 || fail_setup "Prometheus does not scrape 127.0.0.1:$XP"
ktap_ok exporter_prometheus_setup

if grep -q '^@@ bad-syntax status 1 sessions 0$' "$T/guest.out" &&
   grep -q '^# .*a.d:2:.*error: syntax error' "$T/guest.out" &&
   grep -q '^@@ bad-probe status 1 sessions 0$' "$T/guest.out" &&
   grep -q 'ktrace_no_such_function_xyz' "$T/guest.out"; then
	ktap_ok exporter_bad_config_starts_nothing
else
	ktap_fail exporter_bad_config_starts_nothing "$(grep -E '^(@@ bad|# )' "$T/guest.out" | head -8 | tr '\n' '|')"
fi

# the built-in set (no configuration), scraped in the guest after xload
# 100 60 40 25 and 64 direct 4 KiB reads of /dev/nullb0
bv() {	# SERIES: its value in the built-in exporter's last scrape
	awk -v s="$1" '$1 == "@@B" && $2 == s { print $3 }' "$T/guest.out"
}
bad=
for f in ktrace_syscalls ktrace_syscall_latency_seconds ktrace_block_io_latency_seconds \
	 ktrace_runqueue_latency_seconds ktrace_tcp_connects ktrace_tcp_accepts ktrace_page_faults; do
	grep -Eq "^@@B # TYPE ${f}(_total)? " "$T/guest.out" || bad="$bad no-family:$f"
done
[ "$(bv 'ktrace_tcp_connects_total{comm="xload"}')" = 25 ] || bad="$bad connects:$(bv 'ktrace_tcp_connects_total{comm="xload"}')"
[ "$(bv 'ktrace_tcp_accepts_total{comm="xload"}')" = 25 ] || bad="$bad accepts:$(bv 'ktrace_tcp_accepts_total{comm="xload"}')"
# 200 reads, 25 x (socket connect accept close close), and more of its own
[ "$(bv 'ktrace_syscalls_total{comm="xload"}')" -ge 325 ] 2>/dev/null || bad="$bad syscalls:$(bv 'ktrace_syscalls_total{comm="xload"}')"
[ "$(bv 'ktrace_page_faults_total{comm="xload"}')" -gt 0 ] 2>/dev/null || bad="$bad faults:$(bv 'ktrace_page_faults_total{comm="xload"}')"
[ "$(bv ktrace_syscall_latency_seconds_count)" -ge 325 ] 2>/dev/null || bad="$bad syscall-lat:$(bv ktrace_syscall_latency_seconds_count)"
[ "$(bv ktrace_runqueue_latency_seconds_count)" -gt 0 ] 2>/dev/null || bad="$bad runq:$(bv ktrace_runqueue_latency_seconds_count)"
[ "$(bv ktrace_block_io_latency_seconds_count)" -ge 64 ] 2>/dev/null || bad="$bad bio:$(bv ktrace_block_io_latency_seconds_count)"
[ "$(bv ktrace_exporter_sessions)" = 5 ] || bad="$bad sessions:$(bv ktrace_exporter_sessions)"
grep -q '^@@ builtin-xload status 0$' "$T/guest.out" && grep -q '^@@ builtin-dd status 0$' "$T/guest.out" || bad="$bad workload-failed"
grep -q '^# builtin: .*serving 5 programs (built-in set) on http://127.0.0.1:9464/metrics' "$T/guest.out" || bad="$bad no-serving-line"
grep -q '^@@ builtin-exit 0 sessions 0$' "$T/guest.out" || bad="$bad $(grep '^@@ builtin-exit' "$T/guest.out")"
[ -z "$bad" ] && ktap_ok exporter_builtin_set_without_config ||
	ktap_fail exporter_builtin_set_without_config "$bad; $(grep '^# builtin' "$T/guest.out" | head -5 | tr '\n' '|')"
# without --listen: 127.0.0.1:9464 (0100007F:24F8) and nothing else on 9464
if grep -q '^@@ builtin-listeners 0100007F:24F8 $' "$T/guest.out" &&
   grep -q '^@@ builtin-external refused$' "$T/guest.out"; then
	ktap_ok exporter_default_listen_loopback_9464
else
	ktap_fail exporter_default_listen_loopback_9464 "$(grep -E '^@@ builtin-(listeners|external)' "$T/guest.out" | tr '\n' '|')"
fi

go start
marker load1 120 || fail_setup "workload 1 did not run"
grep -q '^@@ load1 status 0$' "$T/guest.out" || fail_setup "workload 1 failed"
# the truth: 200 reads (100 x 100 B, 60 x 1000 B, 40 x 5000 B), 25 connects
if until_eq 'test_reads_total{comm="xload"}' 200 && until_eq 'test_connects_total{comm="xload"}' 25 &&
   until_eq 'test_reads_truncated_total{comm="xload"}' 200 &&
   until_eq 'test_read_bytes_count' 200 && [ "$(q 'test_read_bytes_sum')" = 270000 ]; then
	ktap_ok exporter_prometheus_counters_match_workload
else
	ktap_fail exporter_prometheus_counters_match_workload "reads $(q 'test_reads_total'), connects $(q 'test_connects_total'), count $(q test_read_bytes_count), sum $(q test_read_bytes_sum)"
fi

# quantize buckets: 100 B in le=127, 1000 B in le=1023, 5000 B in le=8191;
# every bucket from the lowest non-empty one up is exported (2047 and 4095
# empty).  histogram_quantile interpolates linearly in the bucket holding
# the rank: 0.5 -> rank 100 = the top of the first bucket: 127; 0.9 ->
# rank 180, 20 of the 40 in (4095, 8191]: 4095 + 4096 / 2 = 6143
b127=$(bucket 127) b1023=$(bucket 1023) b4095=$(bucket 4095) b8191=$(bucket 8191)
binf=$(q 'test_read_bytes_bucket{le="+Inf"}')
q50=$(q 'histogram_quantile(0.5, test_read_bytes_bucket)')
q90=$(q 'histogram_quantile(0.9, test_read_bytes_bucket)')
if [ "$b127 $b1023 $b4095 $b8191 $binf" = "100 160 160 200 200" ] && [ "$q50" = 127 ] && [ "$q90" = 6143 ]; then
	ktap_ok exporter_prometheus_histogram_quantile_matches
else
	ktap_fail exporter_prometheus_histogram_quantile_matches "buckets 127:$b127 1023:$b1023 4095:$b4095 8191:$b8191 +Inf:$binf, p50 $q50 (127), p90 $q90 (6143)"
fi

# the gauges: the 200 reads' mean, extremes and (integer, as printa)
# standard deviation: sqrt(5305000 - 1350^2) = 1866.1
if until_eq test_read_bytes_avg 1350 && [ "$(q test_read_bytes_min)" = 100 ] &&
   [ "$(q test_read_bytes_max)" = 5000 ] && [ "$(q test_read_bytes_stddev)" = 1866 ]; then
	gauges_ok=1
else
	gauges_ok="avg $(q test_read_bytes_avg) min $(q test_read_bytes_min) max $(q test_read_bytes_max) stddev $(q test_read_bytes_stddev)"
fi

# the exporter's own metrics, as Prometheus has them
# its session's probes: load.d's three clauses, one probe each, counted as
# ktrace's "matched N probes" (not the ERROR clause); the kernel's list
# (ktrace --sessions) has the exporter's session, with ERROR's probe too
kprobes=$(sed -n '/^@@ sessions-begin/,/^@@ sessions-end/p' "$T/guest.out" | awk '$4 == "ktrace-exporter" { print $6 }')
own=
chk() {	# EXPR WANT (a value, or an awk condition on v)
	v=$(q "$1")
	case $2 in
	*v*) awk -v v="$v" "BEGIN { exit !(v != \"\" && $2) }" || own="$own $1=$v" ;;
	*) [ "$v" = "$2" ] || own="$own $1=$v(want $2)" ;;
	esac
}
chk ktrace_exporter_sessions 1
chk 'ktrace_session_up{program="load"}' 1
chk 'ktrace_session_probes{program="load"}' 3
[ "$kprobes" = 4 ] || own="$own ktrace-sessions-probes=$kprobes(want 4)"
for c in drops aggregation_drops errors dynvar_drops recursion_drops budget_faults; do
	chk "ktrace_session_${c}_total{program=\"load\"}" 0
done
chk ktrace_exporter_errors_total 0
chk ktrace_exporter_http_errors_total 0
chk ktrace_exporter_dropped_series_total 0
chk 'ktrace_exporter_reloads_total{result="refused"}' 0
chk ktrace_exporter_scrape_duration_seconds 'v > 0 && v < 1'
chk ktrace_exporter_cpu_seconds_total 'v > 0'
# one series for each counter and gauge above, one per histogram, and the own ones
chk ktrace_exporter_series 'v >= 8'
# every Prometheus scrape that got an answer was counted (the guest's own
# scrapes come on top); Prometheus asks every second (at least 2 in 3 of
# the seconds of the last minute it has run, less its start-up)
answered=$(q 'sum_over_time(up{job="ktrace"}[10m])')
asked=$(q 'count_over_time(up{job="ktrace"}[1m])')
chk ktrace_exporter_scrapes_total "v >= ${answered:-1000000}"
ran=$(($(date +%s) - pstart - 5))
[ $ran -gt 60 ] && ran=60
awk -v a="$asked" -v r="$ran" 'BEGIN { exit !(a >= r * 2 / 3) }' || own="$own asked-in-1m=$asked(over ${ran}s)"
ktap_diag "scrapes: $(q ktrace_exporter_scrapes_total) counted, $answered answered of $(q 'count_over_time(up{job="ktrace"}[10m])') asked by Prometheus, $asked in the last minute; scrape took $(q ktrace_exporter_scrape_duration_seconds) s"
[ -z "$own" ] && ktap_ok exporter_own_metrics || ktap_fail exporter_own_metrics "$own"

# refusals: other methods (a body is never read), other paths, a request
# that is not HTTP, an oversized header; then nothing else has changed
X_=http://127.0.0.1:$XP
code() { curl -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' --max-time 10 "$@"; }
ref=
c=$(code -X POST --data 'BEGIN { exit(0); }' "$X_/metrics"); [ "$c" = 405 ] && grep -qi '^allow: GET, HEAD' "$T/hdr" || ref="$ref POST:$c"
c=$(code -X PUT --data-binary @selftests/exporter/load.d "$X_/metrics"); [ "$c" = 405 ] || ref="$ref PUT:$c"
c=$(code -X DELETE "$X_/metrics"); [ "$c" = 405 ] || ref="$ref DELETE:$c"
c=$(code "$X_/nothing-here"); [ "$c" = 404 ] && grep -q 'metrics are at /metrics' "$T/body" || ref="$ref /nothing-here:$c"
c=$(code --path-as-is "$X_/metrics/../../etc/passwd"); [ "$c" = 404 ] || ref="$ref traversal:$c"
c=$(code -I "$X_/metrics"); [ "$c" = 200 ] || ref="$ref HEAD:$c"
c=$(code -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' a)" "$X_/metrics"); case $c in 4??) ;; *) ref="$ref big-header:$c" ;; esac
line=$(bash -c "exec 3<>/dev/tcp/127.0.0.1/$XP; printf 'GET /metrics HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n' >&3; head -n 1 <&3" 2>&1)
case $line in 'HTTP/1.1 400'*) ;; *) ref="$ref malformed:'$line'" ;; esac
# nothing else: the same sessions in the guest, counters as they were, no
# reload; the five refusals the exporter answered itself are counted
nsess=$(curl -s --max-time 20 "http://127.0.0.1:$CP/cgi-bin/sessions" | tail -n +2 | grep -c .)
[ "$nsess" = 2 ] || ref="$ref guest-sessions:$nsess"
curl -s --max-time 10 "$X_/metrics" >"$T/after.txt"
for l in 'test_reads_total{comm="xload"} 200' 'ktrace_exporter_sessions 1' 'ktrace_exporter_http_errors_total 5' \
	 'ktrace_exporter_reloads_total{result="ok"} 0' 'ktrace_exporter_errors_total 0'; do
	grep -qxF "$l" "$T/after.txt" || ref="$ref not:'$l'"
done
[ -z "$ref" ] && ktap_ok exporter_refuses_other_requests_changes_nothing ||
	ktap_fail exporter_refuses_other_requests_changes_nothing "$ref"

# SIGHUP: the config reloaded, 50 more reads: 250, never reset
go reload
marker load2 120 || fail_setup "workload 2 did not run"
if until_eq 'test_reads_total{comm="xload"}' 250 && [ "$(q 'resets(test_reads_total[10m])')" = 0 ] &&
   until_eq 'test_reads_truncated_total{comm="xload"}' 250 &&
   [ "$(q 'ktrace_exporter_reloads_total{result="ok"}')" = 1 ] &&
   until_eq 'test_read_bytes_bucket{le=~"127|127.0"}' 150; then
	ktap_ok exporter_sighup_reload_keeps_counters
else
	ktap_fail exporter_sighup_reload_keeps_counters "reads $(q 'test_reads_total'), truncated every second $(q 'test_reads_truncated_total'), resets $(q 'resets(test_reads_total[10m])'), reloads $(q 'ktrace_exporter_reloads_total{result="ok"}'), le=127 $(bucket 127)"
fi
# gauges are the program's current values: after the reload its new
# session has seen only the 50 reads of 100 bytes
if [ "$gauges_ok" = 1 ] && until_eq test_read_bytes_avg 100 && [ "$(q test_read_bytes_min)" = 100 ] &&
   [ "$(q test_read_bytes_max)" = 100 ] && [ "$(q test_read_bytes_stddev)" = 0 ]; then
	ktap_ok exporter_gauges_avg_min_max_stddev
else
	ktap_fail exporter_gauges_avg_min_max_stddev "after 200 reads: ${gauges_ok}; after the reload and 50 more: avg $(q test_read_bytes_avg) min $(q test_read_bytes_min) max $(q test_read_bytes_max) stddev $(q test_read_bytes_stddev)"
fi
# the exposition as Prometheus parsed it is also what promtool accepts
curl -s --max-time 10 "http://127.0.0.1:$XP/metrics" >"$T/metrics.txt"
curl -s --max-time 10 -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
	-D "$T/om.hdr" "http://127.0.0.1:$XP/metrics" >"$T/metrics.om"
if promtool check metrics <"$T/metrics.txt" >"$T/promtool.out" 2>&1 &&
   grep -qi '^content-type: application/openmetrics-text; version=1.0.0' "$T/om.hdr" &&
   [ "$(tail -n 1 "$T/metrics.om")" = '# EOF' ] && grep -q '^test_reads_created{comm="xload"} ' "$T/metrics.om"; then
	ktap_ok exporter_served_exposition_valid
else
	ktap_fail exporter_served_exposition_valid "promtool: $(head -c 300 "$T/promtool.out" | tr '\n' '|'); OM header: $(grep -i content-type "$T/om.hdr")"
fi

# Prometheus's buckets as printa rows (value v holds le = 2v - 1, minus the
# bucket below), taken while the target is up (then its series go stale)
b127=$(bucket 127) b1023=$(bucket 1023) b4095=$(bucket 4095) b8191=$(bucket 8191)
prom_rows="64:${b127:-?} 512:$((${b1023:-0} - ${b127:-0})) 4096:$((${b8191:-0} - ${b4095:-0})) "
go stop
marker done 120 || fail_setup "the guest did not finish"
wait $vpid; vrc=$?; vpid=
# ktrace's printa of the same program: @reads and @bytes's rows
# ("  64 |@@@@@@   150": value, bar, count)
pr=$(sed -n '/^@@ printa-begin/,/^@@ printa-end/p' "$T/guest.out")
preads=$(echo "$pr" | awk '$1 == "xload" && NF == 2 { print $2 }' | head -n 1)
prows=$(echo "$pr" | awk '$2 ~ /^\|/ && $NF > 0 { printf "%s:%s ", $1, $NF }')
if [ "$preads" = 250 ] && [ "$prows" = "$prom_rows" ] && [ "$prows" = "64:150 512:60 4096:40 " ]; then
	ktap_ok exporter_matches_ktrace_printa
else
	ktap_fail exporter_matches_ktrace_printa "printa reads '$preads' rows '$prows', Prometheus rows '$prom_rows'; printa: $(echo "$pr" | head -c 600 | tr '\n' '|')"
fi

if grep -q '^@@ killed sessions 0$' "$T/guest.out" && [ "$vrc" = 0 ]; then
	ktap_ok exporter_killed_leaves_no_session
else
	ktap_fail exporter_killed_leaves_no_session "vm/run status $vrc; $(grep '^@@ killed' "$T/guest.out"); $(tail -c 300 "$T/guest.err" | tr '\n' '|')"
fi
# the exporter's CPU time over the run (diagnostic: TCG guest, 1 s scrapes)
echo "# exporter in the guest: $(grep '^@@ own' "$T/guest.out" | sed 's/^@@ own //' | tr '\n' ' ')"
ktap_finished
