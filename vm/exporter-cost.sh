#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# vm/exporter-cost.sh - the CPU ktrace-exporter uses at 1 s scrapes of 20
# metrics (docs/fleet.md "Cost").  The exporter runs in a guest (vm/run
# --forward) with the 7 built-in metrics (--print-builtin, copied into its
# configuration directory as a user would) and 13 more (counters,
# histograms and gauges of reads, writes, opens, syscall errors and latency,
# context switches, wakeups, forks, execs, signals) over a steady workload
# (selftests/exporter/xload every 0.5 s, direct reads of a null_blk disk).
#   1. Debian's prometheus on the host scrapes it every second for S seconds;
#      the exporter's CPU is rate(ktrace_exporter_cpu_seconds_total) over
#      them, as Prometheus has it.
#   2. Prometheus stops; the exporter only collects (its 1 s heartbeat and
#      drain) for S seconds more: the CPU it would use unscraped.
# Prints both, the scrapes counted, the series and the scrape duration.
#
#   vm/exporter-cost.sh [--seconds S] [--kernel K]     (default 180, cloud)
# Needs build/user/ktrace-exporter (make user), build/K/ktrace.ko (make
# module), prometheus and curl on the host.  Under QEMU TCG every number is
# many times what the same work costs on hardware.
cd "$(dirname "$0")/.." || exit 1
S=180 K=cloud
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) S=${2:?}; shift 2 ;;
	--kernel) K=${2:?}; shift 2 ;;
	*) sed -n '3,21s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done
X=build/user/ktrace-exporter
for f in "$X" "build/$K/ktrace.ko"; do
	[ -e "$f" ] || { echo "vm/exporter-cost.sh: $f missing (make user; make module KERNEL=$K)" >&2; exit 1; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/exporter-cost.XXXXXX") || exit 1
PP= VP=
trap '[ -n "$PP" ] && kill $PP 2>/dev/null; [ -n "$VP" ] && kill $VP 2>/dev/null; rm -rf "$T"' EXIT
A=$T/add
mkdir -p "$A/lib" "$A/conf" "$A/www/cgi-bin"
cp "$X" "$A/"
ldd "$X" | awk '/=> \//{ print $3 }' | while read -r l; do cp -L "$l" "$A/lib/"; done
${CC:-cc} -O2 -static -o "$A/xload" selftests/exporter/xload.c || exit 1
# the built-in programs, as files
"$X" --print-builtin | awk -v d="$A/conf" '/^==> .* <==$/ { f = d "/" $2; next } { print > f }'
cat >"$A/conf/more-io.d" <<'EOF'
// metric: @rd cost_reads labels=comm help=read(2) calls by process
// metric: @wr cost_writes labels=comm help=write(2) calls by process
// metric: @rdb cost_read_bytes help=Bytes per read(2)
// metric: @wrb cost_write_bytes help=Bytes per write(2)
// metric: @opens cost_opens labels=comm help=openat(2) calls by process
// metric: @rdmax cost_read_max_bytes help=Largest read(2)
syscall::read:return { @rd[execname] = count(); @rdb = quantize(arg0); @rdmax = max(arg0); }
syscall::write:return { @wr[execname] = count(); @wrb = quantize(arg0); }
syscall::openat:entry { @opens[execname] = count(); }
EOF
cat >"$A/conf/more-err.d" <<'EOF'
// metric: @errs cost_syscall_errors labels=syscall help=System calls that failed, by name
// metric: @lavg cost_syscall_latency_avg_seconds scale=1e-9 help=Mean system call latency
syscall:::entry { self->t = timestamp; }
syscall:::return /self->t/ { @lavg = avg(timestamp - self->t); self->t = 0; }
syscall:::return /errno != 0/ { @errs[probefunc] = count(); }
EOF
cat >"$A/conf/more-sched.d" <<'EOF'
// metric: @sw cost_switches labels=comm help=Context switches, by the process switched out
// metric: @wk cost_wakeups labels=comm help=Wakeups, by the process woken
// metric: @forks cost_forks help=Processes created
// metric: @execs cost_execs labels=comm help=exec() calls, by the new program
// metric: @sig cost_signals labels=signal help=Signals generated, by number
tracepoint:sched::sched_switch { @sw[args->prev_comm] = count(); }
tracepoint:sched::sched_wakeup { @wk[args->comm] = count(); }
tracepoint:sched::sched_process_fork { @forks = count(); }
tracepoint:sched::sched_process_exec { @execs[execname] = count(); }
tracepoint:signal::signal_generate { @sig[args->sig] = count(); }
EOF
printf '#!/bin/sh\ntouch /tmp/stop\nprintf "Content-Type: text/plain\\r\\n\\r\\nstop\\n"\n' >"$A/www/cgi-bin/stop"
chmod +x "$A/www/cgi-bin/stop"
cat >"$A/guest.sh" <<'EOF'
export LD_LIBRARY_PATH=/mnt/add/lib
httpd -p 8080 -h /mnt/add/www
./ktrace-exporter --check --config conf | sed 's/^/@@ check /'
./ktrace-exporter --config conf --listen 0.0.0.0:9464 2>/tmp/x.err &
x=$!
(while [ ! -e /tmp/stop ]; do ./xload 100 10 10 5; [ -b /dev/nullb0 ] &&
	dd if=/dev/nullb0 of=/dev/null bs=4k count=8 iflag=direct 2>/dev/null; sleep 0.5; done) &
while [ ! -e /tmp/stop ]; do sleep 1; done
kill -INT $x; wait $x
sed 's/^/@@ exporter /' /tmp/x.err
EOF
port() { p=$1; while ss -Hltn "sport = :$p" | grep -q .; do p=$((p + 1)); done; echo $p; }
XP=$(port 39464); CP=$(port $((XP + 1))); PPORT=$(port $((CP + 1)))
VM_EXTRA_MODULES=null_blk vm/run --kernel "$K" --add "$A" --forward "$XP:9464" --forward "$CP:8080" \
	--timeout $((2 * S + 600)) -- sh ./guest.sh >"$T/guest.out" 2>"$T/guest.err" &
VP=$!
cat >"$T/prom.yml" <<EOF
global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }
scrape_configs: [ { job_name: cost, static_configs: [ { targets: ['127.0.0.1:$XP'] } ] } ]
EOF
prometheus --config.file="$T/prom.yml" --storage.tsdb.path="$T/data" \
	--web.listen-address="127.0.0.1:$PPORT" >"$T/prom.log" 2>&1 &
PP=$!
q() {
	curl -s --max-time 10 "http://127.0.0.1:$PPORT/api/v1/query" --data-urlencode "query=$1" |
		sed -n 's/.*"value":\[[0-9.]*,"\([^"]*\)"\].*/\1/p'
}
i=0
until [ "$(q 'up{job="cost"}')" = 1 ] || [ $i -ge 600 ]; do
	kill -0 $VP 2>/dev/null || { echo "the guest ended: $(tail -c 600 "$T/guest.out")" >&2; exit 1; }
	sleep 1; i=$((i + 1))
done
[ "$(q 'up{job="cost"}')" = 1 ] || { echo "no scrape answered: $(tail -c 600 "$T/guest.out")" >&2; exit 1; }
echo "scraped every second for $S s ..."
sleep "$S"
r="[${S}s]"
cpu=$(q "rate(ktrace_exporter_cpu_seconds_total$r)")
scr=$(q "increase(ktrace_exporter_scrapes_total$r)")
ans=$(q "sum_over_time(up{job=\"cost\"}$r)")
ask=$(q "count_over_time(up{job=\"cost\"}$r)")
dur=$(q "avg_over_time(ktrace_exporter_scrape_duration_seconds$r)")
dmax=$(q "max_over_time(ktrace_exporter_scrape_duration_seconds$r)")
ser=$(q 'ktrace_exporter_series')
fam=$(grep -c '^@@ check ' "$T/guest.out")
drops=$(q 'sum(ktrace_session_drops_total) + sum(ktrace_session_aggregation_drops_total)')
kill $PP; wait $PP 2>/dev/null; PP=
m() { curl -s --max-time 10 "http://127.0.0.1:$XP/metrics" | awk '$1 == "ktrace_exporter_cpu_seconds_total" { print $2 }'; }
echo "not scraped for $S s ..."
c0=$(m); t0=$(date +%s.%N)
sleep "$S"
c1=$(m); t1=$(date +%s.%N)
curl -s --max-time 10 "http://127.0.0.1:$CP/cgi-bin/stop" >/dev/null
wait $VP; VP=
awk -v cpu="$cpu" -v scr="$scr" -v ans="$ans" -v ask="$ask" -v dur="$dur" -v dmax="$dmax" \
    -v ser="$ser" -v fam="$fam" -v drops="$drops" -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v S="$S" 'BEGIN {
	printf "metrics exported: %d (series held: %d)\n", fam, ser
	printf "1 s scrapes for %d s: %.0f answered of %.0f asked; the exporter counted %.0f\n", S, ans, ask, scr
	printf "  exporter CPU: %.2f %% of one CPU (%.1f ms per second)\n", cpu * 100, cpu * 1000
	printf "  scrape duration: mean %.1f ms, max %.1f ms\n", dur * 1000, dmax * 1000
	printf "not scraped for %.0f s: exporter CPU %.2f %% of one CPU\n", t1 - t0, (c1 - c0) / (t1 - t0) * 100
	printf "session drops: %s\n", drops
}'
grep '^@@ exporter ' "$T/guest.out" | head -5
