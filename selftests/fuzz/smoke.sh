#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The fuzz smoke of `make check`: 20000 random objects through
# verify-then-execute, 300 big objects shaped to make the verifier work
# (the worst load time seen is printed), 20000 random sources through the
# compiler and 5000 random BTF files under programs that use kernel
# structures, with ASan and UBSan.  KTAP; a crash, leak or sanitizer
# report fails the test.
cd "$(dirname "$0")" || exit 1
echo "KTAP version 1"
echo "1..4"
rc=0 n=0
for t in smoke:fuzz_vm:20000 smoke-cost:fuzz_vm_cost:300 smoke-compile:fuzz_compile:20000 smoke-btf:fuzz_btf:5000; do
	n=$((n + 1))
	target=${t%%:*} rest=${t#*:}
	name=${rest%%:*} runs=${rest#*:}
	log=${TMPDIR:-/tmp}/ktrace-fuzz-$$.log
	if make --no-print-directory "$target" >"$log" 2>&1 && grep -q "Done $runs runs" "$log"; then
		grep '^# worst' "$log"
		echo "ok $n ${name}_smoke_${runs}_runs_clean"
	else
		rc=1
		tail -n 20 "$log" | sed 's/^/# /'
		echo "not ok $n ${name}_smoke_${runs}_runs_clean"
	fi
	rm -f "$log"
done
exit $rc
