#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ir.sh - `make bench-host BENCH_IR=1`: the interpreter's cost per firing in
# machine terms, case by case (bench_interp's cases), counted by cachegrind:
#   ir    instructions executed
#   mem   data memory references (reads + writes)
#   ind   indirect branches (computed gotos, jump tables, calls through pointers)
# Native nanoseconds hide what QEMU TCG (make bench's guest) pays in full:
# every guest instruction is translated code, every memory reference goes
# through the soft MMU, every indirect branch is a translated-block lookup.
# A case runs twice (N1 and N2 firings); the figures are the difference
# divided by N2 - N1, so start-up and loading cancel out.
#
# Usage: ir.sh BENCH_BINARY [CASE...]   (default: every case but alu and keys_*)
set -u
bin=${1:?usage: ir.sh BENCH_BINARY [CASE...]}
shift
command -v valgrind >/dev/null 2>&1 || { echo "ir.sh: valgrind is not installed" >&2; exit 2; }
[ $# -gt 0 ] || set -- empty ldb_pid ldb_execname push_int push_str agg_nokey b1 b2 b1_pushb b2_pushb b1_aggb b2_aggb b3 ldt
N1=${IR_N1:-2000}
N2=${IR_N2:-12000}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

# counts CASE N: "ir mem ind" of one run
counts() {
	valgrind --tool=cachegrind --cache-sim=yes --branch-sim=yes \
		--cachegrind-out-file=/dev/null "$bin" "$2" "$1" >/dev/null 2>"$tmp/err" ||
		{ echo "ir.sh: $1 failed:" >&2; tail -n 5 "$tmp/err" >&2; exit 1; }
	awk '{ gsub(/,/, "") }
		/ I +refs:/ { ir = $4 }
		/ D +refs:/ { mem = $4 }
		/ Branches:/ { for (i = 1; i <= NF; i++) if ($i ~ /^ind/) ind = $(i - 1) }
		END { print ir, mem, ind }' "$tmp/err"
}

printf '%-13s %8s %8s %6s   (per firing, cachegrind)\n' case ir mem ind
for c in "$@"; do
	a=$(counts "$c" "$N1") || exit 1
	b=$(counts "$c" "$N2") || exit 1
	echo "$a $b" | awk -v c="$c" -v n="$((N2 - N1))" \
		'{ printf "%-13s %8.1f %8.1f %6.2f\n", c, ($4 - $1) / n, ($5 - $2) / n, ($6 - $3) / n }'
done
