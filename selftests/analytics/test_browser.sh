#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host test (selftests/host-tests.list): ktrace-analytics for real.  The
# server runs in the cloud guest (guest_serve.sh) beside `toolwork pipe`: a
# reader blocked on a pipe that a writer feeds every 10 ms after a few ms of
# produce_byte, so each read lasts 10 ms + that, in the [8.4, 16.8) ms log2
# band; vm/run --forward brings it to the host's 127.0.0.1, where headless
# Chromium (browser_driver.js, over the DevTools pipe) opens the page with
# five instrumentations and checks the DOM: the heat map's busiest band,
# the flame graph's frames naming the workload's functions (kernel and user
# frames apart), the timeline's tw_reader thread, the count view's opened
# file (toolwork opens /etc/hosts every 0.2 s), the utilization heat map
# (each of the 2 vCPUs once a second, in 10% bands); clicks a cell and a
# column, searches the flame graph, measures the update cost and saves a screenshot
# (build/results/analytics-browser.png).  Then the page is gone: the guest
# shows every session stopped and `ktrace --sessions` empty.  Not executable:
# the guest runner skips it.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
. selftests/analytics/prereq.sh
ka_guest_prereqs chromium node curl
T=$(mktemp -d "${TMPDIR:-/tmp}/ka-browser.XXXXXX") || exit 1
VM=
trap '[ -n "$VM" ] && kill $VM 2>/dev/null; rm -rf "$T"' EXIT
vm/analytics-demo --stage $T/add || ktap_skip_all "vm/analytics-demo --stage failed"
cp -p selftests/analytics/guest_serve.sh $T/add/

PORT=$((20000 + $$ % 20000))
DPORT=$((PORT + 1))
vm/run --kernel cloud --add $T/add --forward $PORT:8377 --forward $DPORT:8378 --timeout 400 -- sh guest_serve.sh 5 \
	>$T/guest.out 2>$T/guest.err &
VM=$!
i=0
until curl -s -o /dev/null http://127.0.0.1:$PORT/api/metrics || [ $i -ge 300 ]; do
	kill -0 $VM 2>/dev/null || break
	sleep 1; i=$((i + 1))
done
ktap_plan 12
# the page with five instrumentations, as a user would link it
q() { printf '%s' "$1" | sed 's/%/%25/g; s/&/%26/g; s/=/%3D/g; s/"/%22/g; s/ /%20/g'; }
# (execname is the thread's name: tw_reader reads, tw_writer computes)
URL="http://127.0.0.1:$PORT/?add=$(q 'metric=syscall_latency&syscall=read&key=execname&pred=execname == "tw_reader"')"
URL="$URL&add=$(q 'metric=oncpu&key=execname&pred=execname == "tw_writer"')"
URL="$URL&add=$(q 'metric=threads&pred=execname == "tw_reader"')"
URL="$URL&add=$(q 'metric=file_opens&key=file&pred=execname == "toolwork"')"
URL="$URL&add=$(q 'metric=cpu_utilization&key=cpu')"
node selftests/analytics/browser_driver.js "$URL" $T/shot.png >$T/drv.json 2>$T/drv.err
ka_guest_done $DPORT
ktap_diag "driver: $(head -c 1500 $T/drv.json)"
ktap_diag "timeline: $(node -e "const d = JSON.parse(require(\"fs\").readFileSync(process.argv[1])); console.log(JSON.stringify([d.state && d.state.timeline_info, d.sessions]))" $T/drv.json 2>&1)"
mkdir -p build/results
[ -s $T/shot.png ] && cp $T/shot.png build/results/analytics-browser.png
# js NAME EXPR: EXPR over d (the driver's JSON) holds
js() {
	if node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		if (!eval(process.argv[2])) process.exit(1);' $T/drv.json "$2" 2>$T/why
	then ktap_ok "$1"; else ktap_fail "$1" "$(head -c 300 $T/why)"; fi
}
js browser_page_ran_five_sessions '!d.errors.length && d.state.ready === "1" && d.state.panels.length === 5 && !d.state.error'
# the 10 ms band [8.4, 16.8) ms, or the next one (a slow TCG guest stretches the period)
js browser_heat_map_busiest_band_10ms '[8388608, 16777216].includes(d.checks.heat_busiest_band_ns) && d.checks.heat_total >= 100'
js browser_heat_map_cell_lists_workload 'd.checks.cell_list.some((l) => /^tw_reader: [0-9]+$/.test(l))'
js browser_flame_graph_names_workload_functions \
	'd.checks.flame_workload_frame.some((f) => /^user:.*produce_byte/.test(f)) && d.checks.flame_kernel_frames > 0'
js browser_flame_graph_search_matches '/^Matched: [0-9.]+% [1-9]/.test(d.checks.flame_search)'
js browser_timeline_shows_workload_thread 'd.checks.timeline_threads.some((t) => /^tw_reader:[1-9]/.test(t))'
# only /etc/hosts: the predicate kept toolwork, which opens nothing else
# (its C library is static); the busiest second's list names it
js browser_count_view_shows_opened_file \
	'Object.keys(d.checks.count_keys).join() === "/etc/hosts" && d.checks.count_keys["/etc/hosts"] >= 5 &&
	 d.checks.count_legend.join() === "/etc/hosts" && /^\/etc\/hosts: [1-9][0-9]*$/.test(d.checks.count_list[0])'
# every band a multiple of 10% in 0..100; each of the 2 vCPUs reports once
# a second: 2 per column on average (a snapshot arriving late moves a count
# to the next second's column, so single columns may hold 1 or 3)
js browser_utilization_heat_map_counts_cpus \
	'const c = Object.values(d.checks.util_cols), n = c.reduce((a, b) => a + b, 0);
	 Object.keys(d.checks.util_rows).every((b) => +b % 10 === 0 && +b >= 0 && +b <= 100) &&
	 c.length >= 3 && n / c.length >= 1.5 && n / c.length <= 2.5'
[ -s $T/shot.png ] && [ "$(head -c 8 $T/shot.png | od -An -c | tr -d ' \n')" = '211PNG\r\n032\n' ] &&
	ktap_ok browser_screenshot_saved || ktap_fail browser_screenshot_saved "no PNG"

# the guest: sessions listed while the page ran, all stopped after it went away
wait $VM; rc=$?; VM=
sed -n '/^@@@ live-sessions/,/^@@@ server-sessions/p' $T/guest.out | sed 's/^/# /'
live=$(sed -n '/^@@@ live-sessions/,/^@@@ server-sessions/p' $T/guest.out | grep -c '^ *[0-9]')
[ "$live" -ge 5 ] && ktap_ok browser_sessions_listed_by_ktrace_sessions ||
	ktap_fail browser_sessions_listed_by_ktrace_sessions "$live sessions listed (status $rc: $(tail -c 300 $T/guest.err | tr '\n' '|'))"
final=$(sed -n '/^@@@ final-sessions/,/^@@@ server-exit/p' $T/guest.out | grep -c '^ *[0-9]')
stopped=$(sed -n '/^@@@ server-sessions/,/^@@@ final-sessions/p' $T/guest.out | grep -o '"state":"stopped"' | wc -l)
[ "$final" = 0 ] && [ "$stopped" -ge 5 ] && ktap_ok browser_page_gone_sessions_stopped_no_leak ||
	ktap_fail browser_page_gone_sessions_stopped_no_leak "$final sessions left, $stopped stopped: $(sed -n '/^@@@ server-sessions/,$p' $T/guest.out | head -c 600)"
grep -q '^@@@ server-exit 0$' $T/guest.out && [ $rc = 0 ] && ktap_ok browser_server_exit_clean ||
	ktap_fail browser_server_exit_clean "vm/run status $rc, $(grep '@@@ server-exit' $T/guest.out)"
ktap_finished
