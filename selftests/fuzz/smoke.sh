#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fuzz smoke of `make check`: 20000 random objects through
# verify-then-execute and 20000 random sources through the compiler, with
# ASan and UBSan.  KTAP; a crash, leak or sanitizer report fails the test.
cd "$(dirname "$0")" || exit 1
echo "KTAP version 1"
echo "1..2"
rc=0 n=0
for t in smoke:fuzz_vm smoke-compile:fuzz_compile; do
	n=$((n + 1))
	log=${TMPDIR:-/tmp}/ktrace-fuzz-$$.log
	if make --no-print-directory "${t%%:*}" >"$log" 2>&1 && grep -q "Done 20000 runs" "$log"; then
		echo "ok $n ${t#*:}_smoke_20000_runs_clean"
	else
		rc=1
		tail -n 20 "$log" | sed 's/^/# /'
		echo "not ok $n ${t#*:}_smoke_20000_runs_clean"
	fi
	rm -f "$log"
done
exit $rc
