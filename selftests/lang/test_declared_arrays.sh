#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Declared global arrays (int a[N]): elements stored in the session's
# global variables, read and written with ldgx/stgx, whose index the
# kernel checks against N at run time.  Checked against what the programs
# and their workload (ustack_fp, providers/ustack_app.c: N rounds, each
# calling ust_c once) make the values:
#  - elements keep their values from one clause and firing to the next,
#    and unassigned ones read 0;
#  - a computed index and ++ count ust_c's calls into a[n % 3];
#  - an element holds its type's bytes (char: 300 is 44);
#  - index N-1 is written, index N faults: "index out of bounds (N)" and
#    the ERROR probe with DTRACEFLT_BADINDEX;
#  - the array's value is its address, &a[i] its element's: p[i] and
#    *(&a[1] + 1) read the elements, &a[2] - &a[0] is 2; past the end of
#    the global storage it faults (invalid address).
# Runs in the guest (needs /dev/ktrace).
. "$(dirname "$0")/common.sh"
app=$here/../providers/ustack_fp
[ -x "$app" ] || ktap_skip_all "providers/ustack_fp helper missing"

ktap_plan 6

run 'int a[5]; BEGIN { a[0] = 1; a[4] = 5; } BEGIN { printf(">%d %d %d\n", a[0], a[4], a[2]); }
	tick-1ms /a[4] == 5/ { a[4] = 6; } tick-1ms /a[4] == 6/ { printf(">%d\n", a[4]); exit(0); }'
check declared_array_keeps_elements ">1 5 0|>6|"

run 'int a[3]; int n; pid$target:ustack_fp:ust_c:entry { a[n % 3]++; n++; }
	END { printf(">%d %d %d %d\n", a[0], a[1], a[2], n); }' -c "$app 5"
check declared_array_computed_index ">2 2 1 5|"

run 'char c[2]; short s[2]; BEGIN { c[1] = 300; s[1] = -70000; printf(">%d %d %d\n", c[1], s[1], c[0]); exit(0); }'
check declared_array_element_type ">44 -4464 0|"

run 'int a[5]; BEGIN { i = 4; a[i] = 7; printf(">%d\n", a[i]); } BEGIN { i = 5; a[i] = 1; printf(">not reached\n"); }
	ERROR { printf(">%d\n", arg4 == DTRACEFLT_BADINDEX); exit(0); }'
if [ $rc = 0 ] && [ "$(got)" = ">7|>1|" ] &&
   grep -q 'index out of bounds (5)' "$tmp/err"; then
	ktap_ok declared_array_index_n_faults
else
	ktap_fail declared_array_index_n_faults "exit $rc: $(tr '\n' ' ' <"$tmp/out") / $(head -n3 "$tmp/err" | tr '\n' ' ')"
fi

run 'int a[3]; int *q; BEGIN { a[1] = 42; a[2] = -3; this->p = a; q = &a[1];
	printf(">%d %d %d %d\n", this->p[1], ((int *)a)[2], *(q + 1), (int)(&a[2] - &a[0])); exit(0); }'
check declared_array_value_is_address ">42 -3 -3 2|"

# a[2] of int a[2] by its address: 8 bytes past the array, past the session's
# global storage (a is the only global): ktrace memory ends there
run 'int a[2]; BEGIN { trace(((int *)a)[2]); exit(0); } ERROR { printf(">%d\n", arg4 == DTRACEFLT_BADADDR); exit(0); }'
check declared_array_address_bounded ">1|"
ktap_finished
