#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# funclatency -c: exactly the helper's 300 reads pass through vfs_read, each
# timed once; a pattern gives one histogram per matching function.
. "$(dirname "$0")/lib.sh"
ktap_plan 5
usage_checks funclatency
funclatency -u vfs_read -c "$W read 300" >$OUT 2>&1
has funclatency_histogram "value +-+ Distribution -+ count"
n=$(awk '$2 ~ /^\|/ { s += $NF } END { print s + 0 }' $OUT)
[ "$n" -eq 300 ] && ktap_ok funclatency_times_every_call ||
	ktap_fail funclatency_times_every_call "sum $n, wanted 300: $(tr '\n' '|' <$OUT)"
# vfs_rea* matches vfs_read and vfs_readv...: the reads are under vfs_read
funclatency 'vfs_rea*' -c "$W read 50" >$OUT 2>&1
n=$(awk '/^vfs_read$/ { on = 1; next } /^[a-z_]+$/ { on = 0 } on && $2 ~ /^\|/ { s += $NF }
	END { print s + 0 }' $OUT)
[ "$n" -eq 50 ] && ktap_ok funclatency_pattern_per_function ||
	ktap_fail funclatency_pattern_per_function "vfs_read sum $n, wanted 50: $(tr '\n' '|' <$OUT)"
ktap_finished
