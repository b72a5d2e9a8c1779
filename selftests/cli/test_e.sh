#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktrace -e (compile + verify on the host, no module) on good and bad
# programs, and -S.  KTAP; SKIPs (with the reason) if the CLI is not built.
ktrace=${KTRACE:-ktrace}
echo "KTAP version 1"
echo "1..6"
if [ ! -x "$ktrace" ]; then
	for i in 1 2 3 4 5 6; do echo "ok $i e_mode # SKIP $ktrace not built"; done
	exit 0
fi
n=0 fail=0
t() {	# name expected-status cmd...
	name=$1 want=$2; shift 2
	n=$((n + 1))
	"$@" >/tmp/kt_e.out 2>/tmp/kt_e.err; rc=$?
	if [ "$rc" = "$want" ]; then echo "ok $n $name"; else
		fail=1; echo "# $name: exit $rc, want $want"; sed 's/^/# /' /tmp/kt_e.err | head -5
		echo "not ok $n $name"; fi
}
t e_good_program_exit_0 0 "$ktrace" -e -n 'BEGIN { printf("hello %d\n", 42); exit(0); }'
t e_syntax_error_exit_1 1 "$ktrace" -e -n 'BEGIN { printf("hello" }'
t e_undefined_variable_exit_1 1 "$ktrace" -e -n 'BEGIN { x = nosuchvar + ; }'
t S_prints_bytecode_exit_0 0 "$ktrace" -e -S -n 'BEGIN { exit(0); }'
n=$((n + 1))
if grep -q "body" /tmp/kt_e.out; then echo "ok $n S_output_lists_clause_body"; else
	fail=1; echo "not ok $n S_output_lists_clause_body"; fi
# the disassembly, byte for byte: predicate, key push, aggregation, self-> store
n=$((n + 1))
"$ktrace" -e -S -n 'syscall::read:entry /pid != 0/ { @[execname] = count(); self->ts = timestamp; }' \
	>/tmp/kt_e.out 2>&1
if cmp -s /tmp/kt_e.out "$(dirname "$0")/S_expected.txt"; then echo "ok $n S_output_is_exact"; else
	fail=1; diff -u "$(dirname "$0")/S_expected.txt" /tmp/kt_e.out | sed 's/^/# /'
	echo "not ok $n S_output_is_exact"; fi
rm -f /tmp/kt_e.out /tmp/kt_e.err
exit $fail
