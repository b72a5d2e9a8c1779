#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ktrace-exporter's configuration on the host (no kernel needed: --check
# compiles and stops): a program that does not compile is refused with the
# compiler's own diagnostic (file:line:col and caret), and so are metric
# lines that cannot be honoured (a stack key, labels that do not match the
# keys, a counter on an avg(), an unknown aggregation, a bad scale);
# a good directory lists what it exports; usage errors are status 2; the
# recording rules of docs/fleet.md pass promtool check rules.
cd "$(dirname "$0")/../.." || exit 1
. selftests/lib/ktap.sh
X=${KTRACE_EXPORTER:-build/user/ktrace-exporter}
T=$(mktemp -d "${TMPDIR:-/tmp}/exporter-config.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
[ -x "$X" ] || ktap_skip_all "$X not built (make user)"
ktap_plan 6

# refused NAME 'program text' 'expected message (grep -F)'
refused() {
	mkdir -p "$T/$1"
	printf '%s\n' "$2" >"$T/$1/p.d"
	"$X" --check --config "$T/$1" >"$T/$1.out" 2>"$T/$1.err"
	rc=$?
	if [ $rc = 1 ] && grep -qF -- "$3" "$T/$1.err" && [ ! -s "$T/$1.out" ]; then
		return 0
	fi
	echo "# $1: status $rc, stderr: $(head -c 400 "$T/$1.err" | tr '\n' '|')"
	return 1
}

refused syntax '// metric: @a x
syscall:::entry { @a[execname] = count( }' "$T/syntax/p.d:2:41: error: syntax error" &&
grep -q '^ *\^$' "$T/syntax.err" &&
	ktap_ok exporter_refuses_program_that_does_not_compile ||
	ktap_fail exporter_refuses_program_that_does_not_compile

ok=1
refused stack '// metric: @s x labels=stack
profile:::tick-1s { @s[stack()] = count(); }' 'is keyed by a stack: a stack is no label' || ok=0
refused nlabels '// metric: @a x labels=comm,pid
syscall:::entry { @a[execname] = count(); }' '@a has 1 key but the line names 2 labels' || ok=0
refused avgcounter '// metric: @a x counter
syscall:::entry { @a = avg(arg0); }' '@a cannot be a counter' || ok=0
refused noagg '// metric: @b x
syscall:::entry { @a = count(); }' 'the program has no aggregation @b' || ok=0
refused scale '// metric: @a x scale=-1
syscall:::entry { @a = count(); }' 'scale wants a positive number' || ok=0
refused total '// metric: @a x_total
syscall:::entry { @a = count(); }' 'the exporter adds _total' || ok=0
refused nometric 'syscall:::entry { @a = count(); }' 'nothing to export' || ok=0
[ $ok = 1 ] && ktap_ok exporter_refuses_bad_metric_lines || ktap_fail exporter_refuses_bad_metric_lines

mkdir -p "$T/good"
cat >"$T/good/a.d" <<'D'
// metric: @calls test_calls labels=comm,syscall help=Calls
// metric: @lat test_latency_seconds sum=@latsum scale=1e-9 help=Latency
// metric: @big test_biggest_bytes help=Largest
syscall:::entry { @calls[execname, probefunc] = count(); self->t = timestamp; }
syscall:::return /self->t/ { @lat = quantize(timestamp - self->t); @latsum = sum(timestamp - self->t); @big = max(arg0); }
D
"$X" --check --config "$T/good" >"$T/good.out" 2>"$T/good.err"
rc=$?
want="$T/good/a.d: test_calls_total counter {comm,syscall} from @calls
$T/good/a.d: test_latency_seconds histogram from @lat
$T/good/a.d: test_biggest_bytes gauge from @big"
[ $rc = 0 ] && [ "$(cat "$T/good.out")" = "$want" ] &&
	ktap_ok exporter_check_lists_metrics ||
	ktap_fail exporter_check_lists_metrics "status $rc: $(tr '\n' '|' <"$T/good.out") $(head -c 300 "$T/good.err")"

# the same metric name in two programs
cp "$T/good/a.d" "$T/good/b.d"
"$X" --check --config "$T/good" >/dev/null 2>"$T/dup.err"
rc=$?
[ $rc = 1 ] && grep -q "metric test_calls is also $T/good/a.d's" "$T/dup.err" &&
	ktap_ok exporter_refuses_metric_in_two_programs ||
	ktap_fail exporter_refuses_metric_in_two_programs "status $rc: $(head -c 300 "$T/dup.err")"

"$X" --listen nowhere --check >/dev/null 2>"$T/u1.err"; r1=$?
"$X" --max-series -3 >/dev/null 2>"$T/u2.err"; r2=$?
"$X" --bogus >/dev/null 2>&1; r3=$?
"$X" --config "$T/nosuch" --check >/dev/null 2>"$T/u4.err"; r4=$?
[ $r1 = 2 ] && [ $r2 = 2 ] && [ $r3 = 2 ] && [ $r4 = 1 ] && grep -q 'No such file' "$T/u4.err" &&
	ktap_ok exporter_usage_errors ||
	ktap_fail exporter_usage_errors "statuses $r1 $r2 $r3 $r4"
# docs/fleet.md's recording rules (the yaml block that starts with groups:)
awk '/^```yaml$/ { y = 1; buf = ""; next } y && /^```$/ { if (buf ~ /^groups:/) { printf "%s", buf; exit } y = 0; next } y { buf = buf $0 "\n" }' \
	docs/fleet.md >"$T/rules.yml"
if ! command -v promtool >/dev/null; then
	ktap_fail fleet_doc_rules_valid "promtool missing (make deps: prometheus)"
elif [ -s "$T/rules.yml" ] && promtool check rules "$T/rules.yml" >"$T/rules.out" 2>&1; then
	ktap_ok fleet_doc_rules_valid
else
	ktap_fail fleet_doc_rules_valid "$(head -c 300 "$T/rules.out" | tr '\n' '|')"
fi
ktap_finished
