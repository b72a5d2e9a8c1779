#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktrace -e (compile + verify on the host, no module) on good and bad
# programs, and -S.  KTAP; SKIPs (with the reason) if the CLI is not built.
ktrace=${KTRACE:-ktrace}
echo "KTAP version 1"
echo "1..46"
if [ ! -x "$ktrace" ]; then
	for i in $(seq 16); do echo "ok $i e_mode # SKIP $ktrace not built"; done
	exit 0
fi
# a directory of its own: several runs at once (one per checkout) share /tmp
T=$(mktemp -d) || exit 1
n=0 fail=0
t() {	# name expected-status cmd...
	name=$1 want=$2; shift 2
	n=$((n + 1))
	"$@" >$T/out 2>$T/err; rc=$?
	if [ "$rc" = "$want" ]; then echo "ok $n $name"; else
		fail=1; echo "# $name: exit $rc, want $want"; sed 's/^/# /' $T/err | head -5
		echo "not ok $n $name"; fi
}
t e_good_program_exit_0 0 "$ktrace" -e -n 'BEGIN { printf("hello %d\n", 42); exit(0); }'
t e_syntax_error_exit_1 1 "$ktrace" -e -n 'BEGIN { printf("hello" }'
t e_undefined_variable_exit_1 1 "$ktrace" -e -n 'BEGIN { x = nosuchvar + ; }'
# -e alone (dtrace -e): the options checked, nothing to compile
t e_without_program_exit_0 0 "$ktrace" -e -b 1m -b 2m
t e_without_program_checks_options 1 "$ktrace" -e -x strsize=1
t S_prints_bytecode_exit_0 0 "$ktrace" -e -S -n 'BEGIN { exit(0); }'
n=$((n + 1))
if grep -q "body" $T/out; then echo "ok $n S_output_lists_clause_body"; else
	fail=1; echo "not ok $n S_output_lists_clause_body"; fi
# the disassembly, byte for byte: predicate, aggregation keyed on a built-in (aggb), self-> store
n=$((n + 1))
"$ktrace" -e -S -n 'syscall::read:entry /pid != 0/ { @[execname] = count(); self->ts = timestamp; }' \
	>$T/out 2>&1
if cmp -s $T/out "$(dirname "$0")/S_expected.txt"; then echo "ok $n S_output_is_exact"; else
	fail=1; diff -u "$(dirname "$0")/S_expected.txt" $T/out | sed 's/^/# /'
	echo "not ok $n S_output_is_exact"; fi
# options: one table for -x, -b and #pragma D option, its ranges checked offline
te() {	# name expected-status expected-stderr-text cmd...
	name=$1 want=$2 msg=$3; shift 3
	n=$((n + 1))
	"$@" >$T/out 2>$T/err; rc=$?
	if [ "$rc" = "$want" ] && grep -qF "$msg" $T/err; then echo "ok $n $name"; else
		fail=1; echo "# $name: exit $rc (want $want), want '$msg' on stderr"
		sed 's/^/# /' $T/err | head -5; echo "not ok $n $name"; fi
}
P='BEGIN { exit(0); }'
# sizes from 1 byte to 4g, as dtrace(1) takes them (the kernel rounds them up)
t e_x_bufsize_1_accepted 0 "$ktrace" -e -x bufsize=1 -n "$P"
t e_b_1k_2k_accepted 0 "$ktrace" -e -b 1k -b 2k -n "$P"
t e_b_4g_accepted 0 "$ktrace" -e -b 4g -n "$P"
te e_b_4g_plus_1_fails_offline 1 "failed to set -b 4294967297: Value out of range (4294967297 is not in 1..4294967296)" \
	"$ktrace" -e -b 4294967297 -n "$P"
t e_x_strsize_2_accepted 0 "$ktrace" -e -x strsize=2 -n "$P"
te e_x_strsize_1_fails_offline 1 "failed to set -x strsize: Value out of range (1 is not in 2..8192)" \
	"$ktrace" -e -x strsize=1 -n "$P"
t e_pragma_insn_budget_accepted 0 "$ktrace" -e -n "#pragma D option insn_budget=100
$P"
t e_pragma_budget_accepted 0 "$ktrace" -e -n "#pragma D option budget=100
$P"
t e_x_insn_budget_accepted 0 "$ktrace" -e -x insn_budget=100 -n "$P"
te e_pragma_aggpack_refused 1 "failed to set option 'aggpack': Option not supported by ktrace" \
	"$ktrace" -e -n "#pragma D option aggpack
$P"
te e_x_aggpack_refused 1 "failed to set -x aggpack: Option not supported by ktrace" \
	"$ktrace" -e -x aggpack -n "$P"
# dtrace's data model options: -64 is ktrace's model, -32 is refused (usage, 2)
t e_64_accepted 0 "$ktrace" -64 -e -n 'BEGIN /sizeof(long) == 8/ { exit(0); }'
te e_32_refused 2 "ktrace compiles for the kernel's 64-bit data model" "$ktrace" -32 -e -n "$P"
# a description with more fields than its option takes (-P one, -m two, -f three)
te l_P_overspecified 1 'invalid probe description "profile:::tick-1s": Overspecified' \
	"$ktrace" -lP profile:::tick-1s
te l_m_overspecified 1 'invalid probe description ":vmlinux::": Overspecified' "$ktrace" -lm :vmlinux::
te l_f_overspecified 1 'invalid probe description "a:b:c:d": Overspecified' "$ktrace" -lf a:b:c:d
te e_x_cpu_out_of_range_fails_offline 1 "failed to set -x cpu: Value out of range (256 is not in 0..255)" \
	"$ktrace" -e -x cpu=256 -n "$P"
# -x cpu=1: one predicate, "cpu == 1", on the syscall clause; BEGIN's and END's have none
n=$((n + 1))
"$ktrace" -e -S -x cpu=1 -n 'BEGIN { } syscall::read:entry { } END { }' >$T/out 2>&1
if [ "$(grep -c 'predicate:' $T/out)" = 1 ] &&
   grep -A3 'predicate:' $T/out | tr -s ' ' | grep -q 'ldb %r1, cpu' &&
   grep -B1 'predicate:' $T/out | grep -q 'syscall::read:entry'; then
	echo "ok $n S_x_cpu_predicate_on_probes_not_begin_end"
else fail=1; sed 's/^/# /' $T/out | head -20
	echo "not ok $n S_x_cpu_predicate_on_probes_not_begin_end"; fi
# ustackmode=dwarf: ucaller and ustackdepth recorded (keys, trace, printf, usym/umod of
# ucaller) are stack samples the consumer derives them from; in the probe they are refused
D='syscall::getppid:entry'
n=$((n + 1))
"$ktrace" -e -S -x ustackmode=dwarf -n "$D { @[umod(ucaller)] = count(); printf(\"%d\", ustackdepth); }" \
	>$T/out 2>&1
if [ "$(grep -c 'call  *%r[0-9]*, ustack' $T/out)" = 2 ] &&
   [ "$(grep -c 'push  *%r[0-9]*, usample' $T/out)" = 2 ] && ! grep -q 'ldb .*ucaller\|ldb .*ustackdepth' $T/out
then echo "ok $n S_dwarf_ucaller_ustackdepth_are_samples"
else fail=1; sed 's/^/# /' $T/out | head -20; echo "not ok $n S_dwarf_ucaller_ustackdepth_are_samples"; fi
M='with ustackmode=dwarf is derived by ktrace from a stack sample'
te e_dwarf_ustackdepth_predicate_refused 1 "ustackdepth $M" "$ktrace" -e -x ustackmode=dwarf \
	-n "$D /ustackdepth > 3/ { @ = count(); }"
te e_dwarf_ucaller_variable_refused 1 "ucaller $M" "$ktrace" -e -x ustackmode=dwarf \
	-n "$D { x = ucaller; @[x] = count(); }"
te e_dwarf_ustackdepth_aggregated_value_refused 1 "ustackdepth $M" "$ktrace" -e -x ustackmode=dwarf \
	-n "$D { @ = quantize(ustackdepth); }"
te e_dwarf_ustackdepth_subroutine_argument_refused 1 "ustackdepth $M" "$ktrace" -e -x ustackmode=dwarf \
	-n "$D { printf(\"%s\", lltostr(ustackdepth)); }"
# chip, lgrp (built-ins) and pset (procfs.d) are ints; the built-ins' names are taken
t e_chip_lgrp_pset_ints 0 "$ktrace" -e -n 'BEGIN { @[chip, lgrp, pset] = sum(chip + lgrp + pset); exit(0); }'
te e_chip_is_a_builtin 1 "identifier redeclared: chip (a built-in variable)" "$ktrace" -e -n 'int chip; BEGIN { exit(0); }'
# as dtrace(1) (dtrace-util/tst.InvalidTraceName9, tst.InvalidTraceID6): a macro
# argument the program does not read is an error, the last one named; -x argref allows it
t e_unread_macro_arg_exit_1 1 "$ktrace" -e -n 'BEGIN { trace($1); }' 17 word
n=$((n + 1))
if grep -qF "extraneous argument 'word' (\$2 is not referenced)" $T/err; then
	echo "ok $n e_unread_macro_arg_named"
else fail=1; sed 's/^/# /' $T/err | head -5; echo "not ok $n e_unread_macro_arg_named"; fi
t e_x_argref_allows_unread_macro_args 0 "$ktrace" -e -x argref -n 'BEGIN { exit(0); }' 17 word
t e_every_macro_arg_read_exit_0 0 "$ktrace" -e -n 'BEGIN { trace($1); trace($$2); }' 17 word
# -l with descriptions alone reads no macro argument: one given is the same
# error (dtrace-util/tst.ListProbesFuncEmpty), said before any listing
te l_unread_macro_arg_refused 1 "invalid probe specifier read: extraneous argument '{x}' (\$1 is not referenced)" \
	"$ktrace" -lf read '{x}'
n=$((n + 1))
if [ ! -s $T/out ]; then echo "ok $n l_unread_macro_arg_lists_nothing"; else
	fail=1; sed 's/^/# /' $T/out | head -3; echo "not ok $n l_unread_macro_arg_lists_nothing"; fi
# ... and with -x argref the listing goes on (to the device, which the host lacks)
te l_x_argref_allows_unread_macro_arg 1 "failed to open /dev/ktrace" "$ktrace" -x argref -lf read '{x}'
# more fields than the option takes are allowed when the extra leading ones
# are empty, as dtrace: -f :vmlinux:: is provider vmlinux, module and function ""
te l_f_empty_leading_field_not_overspecified 1 "failed to open /dev/ktrace" "$ktrace" -lf :vmlinux::
te l_n_five_fields_overspecified 1 'invalid probe description "x::a:b:c": Overspecified' \
	"$ktrace" -ln x::a:b:c
# -x errtags: each diagnostic names its DTrace tag (scripting/tst.D_MACRO_UNUSED.overflow)
te e_x_errtags_names_tag 1 "error: [D_MACRO_UNUSED] extraneous argument 'a b' (\$1 is not referenced)" \
	"$ktrace" -e -x errtags -n 'BEGIN { exit(0); }' 'a b'
te e_no_errtags_no_tag 1 "error: extraneous argument 'a b'" "$ktrace" -e -n 'BEGIN { exit(0); }' 'a b'
# a program cannot load a D library itself (pragma/err.D_PRAGMA_DEPEND.main); other depends_on are accepted
te e_program_depends_on_library_refused 1 "[D_PRAGMA_DEPEND] #pragma D depends_on library is for D library files" \
	"$ktrace" -e -x errtags -n '#pragma D depends_on library net.d
BEGIN { exit(0); }'
t e_program_depends_on_provider_accepted 0 "$ktrace" -e -n '#pragma D depends_on provider syscall
BEGIN { exit(0); }'
rm -rf "$T"
exit $fail
