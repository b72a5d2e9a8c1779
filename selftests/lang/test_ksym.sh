#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Kernel symbols in D (`sym, `mod`sym, &`sym): values read in probe context
# through the fault-safe kernel load, typed from BTF, checked against what
# the kernel reports elsewhere: `max_threads is /proc/sys/kernel/threads-max,
# &`sym is /proc/kallsyms' address (and %a prints it as the symbol),
# `init_task is pid 0's task_struct named swapper/0.  Runs in the guest (needs /dev/ktrace, kallsyms as root).
. "$(dirname "$0")/common.sh"
got() { head -n1 "$tmp/out"; }	# check compares the output's first line

ktap_plan 8

max=$(cat /proc/sys/kernel/threads-max)
# Debian's BTF describes per-CPU variables only: a global is typed by extern
run 'extern int max_threads; BEGIN { printf("%d\n", `max_threads); exit(0); }'
check ksym_value_is_threads_max "$max"

run 'extern int max_threads; BEGIN { printf("%d %d\n", sizeof(`max_threads), max_threads); exit(0); }'
check ksym_extern_typed_int "4 $max"

run 'BEGIN { printf("%d\n", *(int *)&`max_threads); exit(0); }'
check ksym_cast_address "$max"

addr=$(awk '$3 == "max_threads" && NF == 3 { print $1; exit }' /proc/kallsyms | sed 's/^0*//')
run 'BEGIN { printf("%x\n", (uint64_t)&`max_threads); exit(0); }'
check ksym_address_is_kallsyms "$addr"

# %a of a variable's address names the variable (kallsyms' data symbols), not the
# function before it; the name printed is one kallsyms gives that address
run 'BEGIN { printf("%a|%a\n", &`max_threads, (uint64_t)&`max_threads + 1); exit(0); }'
line=$(head -n1 "$tmp/out")
name=${line%%|*}
at=$(awk -v n="$name" '$3 == n && NF == 3 { print $1; exit }' /proc/kallsyms | sed 's/^0*//')
if [ $rc = 0 ] && [ -n "$at" ] && [ "$at" = "$addr" ] && [ "$line" = "$name|$name+0x1" ]; then
	ktap_ok ksym_printf_a_names_the_variable
else
	ktap_fail ksym_printf_a_names_the_variable "exit $rc, got '$line' ($name at '$at', max_threads at $addr)"
fi

run 'extern struct task_struct init_task; BEGIN { printf("%d %s\n", init_task.pid, (`init_task).comm); exit(0); }'
check ksym_struct_members "0 swapper/0"

run 'extern int max_threads; BEGIN { printf("%d\n", `vmlinux`max_threads); exit(0); }'
check ksym_vmlinux_module_form "$max"

run 'BEGIN { trace(`no_such_symbol_here); }'
if [ $rc != 0 ] && grep -q 'kernel symbol `no_such_symbol_here is not defined' "$tmp/err"; then
	ktap_ok ksym_unknown_is_an_error
else
	ktap_fail ksym_unknown_is_an_error "exit $rc; $(head -n2 "$tmp/err" | tr '\n' ' ')"
fi
