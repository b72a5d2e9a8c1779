#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktrace -v (dtrace -v): after compiling, each program's least stability
# attributes, of its probe descriptions and of its statements, in dtrace's
# format on stdout.  Run with -e (no module).  KTAP; SKIPs if the CLI is
# not built.
ktrace=${KTRACE:-ktrace}
N=5
echo "KTAP version 1"
echo "1..$N"
if [ ! -x "$ktrace" ]; then
	for i in $(seq $N); do echo "ok $i v_mode # SKIP $ktrace not built"; done
	exit 0
fi
tmp=$(mktemp -d /tmp/kt_v.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
report() {	# what name pd-name pd-data pd-class st-name st-data st-class
	printf '\nStability attributes for %s %s:\n\n' "$1" "$2"
	printf '\tMinimum Probe Description Attributes\n'
	printf '\t\tIdentifier Names: %s\n\t\tData Semantics:   %s\n\t\tDependency Class: %s\n' "$3" "$4" "$5"
	printf '\n\tMinimum Statement Attributes\n'
	printf '\t\tIdentifier Names: %s\n\t\tData Semantics:   %s\n\t\tDependency Class: %s\n\n' "$6" "$7" "$8"
}
check() {	# name; $tmp/want against $tmp/got
	n=$((n + 1))
	if cmp -s "$tmp/want" "$tmp/got"; then echo "ok $n $1"; else
		fail=1; diff -u "$tmp/want" "$tmp/got" | sed 's/^/# /'; echo "not ok $n $1"; fi
}

# a name alone (BEGIN): no provider written, Unstable; constants are Stable
printf 'BEGIN\n{\n\tprintf("%%d\\n", 2);\n\texit(0);\n}\n' >"$tmp/s.d"
report script "$tmp/s.d" Unstable Unstable Common Stable Stable Common >"$tmp/want"
"$ktrace" -v -e -s "$tmp/s.d" >"$tmp/got" 2>&1
check v_script_begin_unstable_description

# the provider written: its attributes, module and function only if written
P='dtrace:::BEGIN { exit(0); }'
report description "$P" Stable Stable Common Stable Stable Common >"$tmp/want"
"$ktrace" -v -e -n "$P" >"$tmp/got" 2>&1
check v_dtrace_provider_stable

# the least of a clause's descriptions; curthread's data is Private
P='syscall::read:entry, syscall:::return { trace(curthread); }'
report description "$P" Unstable Unstable ISA Stable Private Common >"$tmp/want"
"$ktrace" -v -e -n "$P" >"$tmp/got" 2>&1
check v_least_of_descriptions_and_curthread

# args[] has the provider's argument attributes; a glob module/function is skipped
P='fbt::vfs_*:entry { trace(args[0]); }'
report description "$P" Evolving Evolving ISA Private Private ISA >"$tmp/want"
"$ktrace" -v -e -n "$P" >"$tmp/got" 2>&1
check v_args_take_provider_argument_attributes

# one report per program, in command-line order
P1='tick-1s { exit(0); }' P2='syscall:::entry { trace(arg0); }'
{ report description "$P1" Unstable Unstable Common Stable Stable Common
  report description "$P2" Evolving Evolving Common Stable Stable Common; } >"$tmp/want"
"$ktrace" -v -e -n "$P1" -n "$P2" >"$tmp/got" 2>&1
check v_one_report_per_program
exit $fail
