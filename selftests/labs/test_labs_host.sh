#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ktrace-lab's framework on the host (no ktrace needed: the workloads run,
# nobody traces them): list and docs/labs.md agree on every lab; bad
# commands are usage errors that change nothing; a started lab's state is
# root only and its truth is what check accepts; the hint ladder climbs and
# ends; a second start is refused; stop kills the whole process group and
# removes every file.  Not executable: the guest runner skips it
# (selftests/host-tests.list runs it).
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
make -C user/labs >/dev/null 2>&1 || { ktap_plan 1; ktap_fail labs_build "make -C user/labs failed"; exit 1; }
L=build/user/ktrace-lab
T=$(mktemp -d "${TMPDIR:-/tmp}/labs-host.XXXXXX") || exit 1
export KTRACE_LAB_DIR=$(pwd)/build/user/labs KTRACE_LAB_STATE=$T/state KTRACE_LAB_TMP=$T/tmp
mkdir -p "$T/tmp"
trap 'for n in $(ls "$KTRACE_LAB_DIR" | sed -n "s/^\([0-9][0-9]\)-.*/\1/p"); do $L stop $n >/dev/null 2>&1; done; rm -rf "$T"' EXIT
ktap_plan 11

# 1. list: a line per lab program, numbered from its file name
labs=$(ls "$KTRACE_LAB_DIR" | grep -c '^[0-9][0-9]-')
$L list >"$T/list" 2>&1; rc=$?
if [ $rc = 0 ] && [ "$labs" -gt 0 ] && [ "$(grep -c '^[0-9]' "$T/list")" = "$labs" ]; then
	ktap_ok list_shows_every_lab
else
	ktap_fail list_shows_every_lab "status $rc, $labs programs: $(tr '\n' '|' <"$T/list")"
fi

# 2. docs/labs.md: each lab's row (number, level, title, teaches) and source link
bad=
for p in "$KTRACE_LAB_DIR"/[0-9][0-9]-*; do
	f=${p##*/}; n=$((1${f%%-*} - 100))
	level=$("$p" info | awk '{ print $1 }'); title=$("$p" info | sed 's/^[a-z]* *//')
	row="| $n | $level | $title | $("$p" teaches) | [$f.c](../user/labs/$f.c) |"
	grep -qxF -- "$row" docs/labs.md || bad="$bad $f"
done
[ -z "$bad" ] && ktap_ok docs_labs_md_lists_every_lab || ktap_fail docs_labs_md_lists_every_lab "no row for:$bad"

# 3. usage errors: exit 2, a message, no state created
errs=0
for args in "" "frob 1" "start" "start x" "start 99" "start 1 2" "check 1" "hint 007" "list 1"; do
	$L $args >"$T/o" 2>&1; rc=$?
	[ $rc = 2 ] && [ -s "$T/o" ] || { errs=$((errs + 1)); echo "# '$args': status $rc"; }
done
[ $errs = 0 ] && [ ! -e "$T/state" ] && ktap_ok bad_commands_exit_2_change_nothing ||
	ktap_fail bad_commands_exit_2_change_nothing "$errs wrong, state: $(ls "$T/state" 2>&1)"

# 4. a lab that is not running: hint and check are errors, stop is not
$L hint 1 >/dev/null 2>&1; a=$?; $L check 1 x >/dev/null 2>&1; b=$?; $L stop 1 >/dev/null 2>&1; c=$?
[ $a = 2 ] && [ $b = 2 ] && [ $c = 0 ] && ktap_ok not_running_hint_check_fail_stop_ok ||
	ktap_fail not_running_hint_check_fail_stop_ok "hint $a check $b stop $c"

if [ "$(id -u)" != 0 ]; then
	for t in start_state_root_only check_accepts_truth_only hint_ladder_climbs_and_ends \
		second_start_refused latency_band_answers_in_any_unit culprit_random_per_start \
		stop_kills_group_removes_files; do ktap_skip $t "not root"; done
	ktap_finished
fi

# 5. start: the symptom, and the state is root only (0700 directory, 0600 answer)
$L start 1 >"$T/start" 2>&1; rc=$?
mode=$(stat -c %a "$T/state/01" 2>/dev/null) amode=$(stat -c %a "$T/state/01/answer" 2>/dev/null)
if [ $rc = 0 ] && grep -q 'ktrace-lab check 1 ANSWER' "$T/start" && [ "$mode" = 700 ] &&
   [ "$amode" = 600 ]; then
	ktap_ok start_state_root_only
else
	ktap_fail start_state_root_only "status $rc, dir $mode, answer $amode: $(tr '\n' '|' <"$T/start")"
fi

# 6. check: the recorded truth is right (with blanks around it), anything else wrong
truth=$(cat "$T/state/01/answer")
$L check 1 " $truth " >"$T/c1"; r1=$?; $L check 1 "$truth.x" >"$T/c2"; r2=$?
$L check 1 /etc/hostname >"$T/c3"; r3=$?
[ $r1 = 0 ] && [ $r2 = 1 ] && [ $r3 = 1 ] && grep -q '^right' "$T/c1" && grep -q '^wrong' "$T/c2" &&
	ktap_ok check_accepts_truth_only || ktap_fail check_accepts_truth_only "right $r1, wrong $r2 $r3"

# 7. hints: 1/n, 2/n ... n/n, then where the solution is
nh=$($L hint 1 | sed -n 's|^hint 1/\([0-9]*\):.*|\1|p')
i=1 ok=1
while [ -n "$nh" ] && [ $i -lt "$nh" ]; do
	i=$((i + 1)); $L hint 1 | grep -q "^hint $i/$nh: " || ok=0
done
$L hint 1 | grep -q 'ktrace-lab solution 1' || ok=0
[ -n "$nh" ] && [ $ok = 1 ] && ktap_ok hint_ladder_climbs_and_ends || ktap_fail hint_ladder_climbs_and_ends "$nh hints, ok $ok"

# 8. a running lab cannot be started again
$L start 1 >"$T/o" 2>&1; rc=$?
[ $rc = 2 ] && grep -q 'already running' "$T/o" && [ "$(cat "$T/state/01/answer")" = "$truth" ] &&
	ktap_ok second_start_refused || ktap_fail second_start_refused "status $rc: $(cat "$T/o")"

# 9. a latency band (lab 10): LO..HI-1 in ns, us, ms (the default) or s is right,
# HI and anything not a duration wrong (a value of 2^24 ns once was)
$L start 10 >/dev/null 2>&1
read -r lo hi <"$T/state/10/answer"
bad=
for a in "${lo}ns" "$((hi - 1))ns" "$((lo / 1000))us" "$((lo / 1000000 + 1))" "$((lo / 1000000 + 1))ms" "0$(awk -v v="$lo" 'BEGIN { printf "%.3fs", (v + 500000) / 1e9 }')"; do
	$L check 10 "$a" >/dev/null || bad="$bad right:$a"
done
for a in "${hi}ns" "$((lo - 1))ns" "$((hi / 1000000))ms" 10s 1ms x "5ms5" "-3"; do
	$L check 10 "$a" >/dev/null && bad="$bad wrong:$a"
done
$L stop 10 >/dev/null
[ -n "$lo" ] && [ -z "$bad" ] && ktap_ok latency_band_answers_in_any_unit ||
	ktap_fail latency_band_answers_in_any_unit "band $lo $hi:$bad"

# 10. the culprit is drawn per start: K starts of a lab whose culprit is one of
# n choices (lab 3: lab_rand(12) functions, lab 9: lab_rand(6) handlers, lab
# 14: lab_rand(5) critical sections) record answers (the lab's state) that are
# not all the same.  K is the least with n^(K-1) > 10^6: a lab that draws
# uniformly gives K equal answers with probability n^(1-K), under 10^-6.
bad=
for lc in 3:12 9:6 14:5; do
	l=${lc%:*} n=${lc#*:}
	k=$(awk -v n="$n" 'BEGIN { k = 1; while (n ^ (k - 1) <= 1e6) k++; print k }')
	: >"$T/answers"
	i=0
	while [ $i -lt "$k" ]; do
		i=$((i + 1))
		$L start $l >/dev/null 2>&1 && cat "$T/state/$(printf %02d $l)/answer" >>"$T/answers" ||
			bad="$bad lab$l:start$i"
		$L stop $l >/dev/null 2>&1 || bad="$bad lab$l:stop$i"
	done
	d=$(sort -u "$T/answers" | wc -l)
	[ "$(wc -l <"$T/answers")" = "$k" ] && [ "$d" -gt 1 ] && [ "$d" -le "$n" ] ||
		bad="$bad lab$l:$d-distinct-of-$(wc -l <"$T/answers")-starts($(sort -u "$T/answers" | tr '\n' ' '))"
done
[ -z "$bad" ] && ktap_ok culprit_random_per_start || ktap_fail culprit_random_per_start "$bad"

# 11. stop: no process of the group left (lab 2 has workers), no files
$L start 2 >/dev/null 2>&1
g1=$(cat "$T/state/01/pgid") g2=$(cat "$T/state/02/pgid")
$L stop 1 >/dev/null && $L stop 2 >/dev/null; rc=$?
left=$(ps -eo pgid=,stat= | awk -v a="$g1" -v b="$g2" '($1 == a || $1 == b) && $2 !~ /^Z/' | wc -l)
files=$(find "$T/state" "$T/tmp" -mindepth 1)
[ $rc = 0 ] && [ "$left" = 0 ] && [ -z "$files" ] && ktap_ok stop_kills_group_removes_files ||
	ktap_fail stop_kills_group_removes_files "status $rc, $left processes, files: $(echo $files)"
ktap_finished
