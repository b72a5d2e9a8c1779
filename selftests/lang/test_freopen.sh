#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# freopen("") sends the output back where it started, as dtrace(1): to
# -o's file when there is one, not to the standard output.  One BEGIN
# writes "a" to the -o file, "b" to a file of its own (freopen(PATH)),
# then "c" after freopen(""); the -o file must hold a and c (and the
# closing blank line), PATH b alone, and stdout nothing.
# Runs in the guest (needs /dev/ktrace).
. "$(dirname "$0")/common.sh"

ktap_plan 1
timeout 120 "$ktrace" -q -w -o "$tmp/o" -n "BEGIN { printf(\"a\\n\"); freopen(\"$tmp/f\");
	printf(\"b\\n\"); freopen(\"\"); printf(\"c\\n\"); exit(0); }" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
rc=$?
o=$(tr '\n' '|' <"$tmp/o" 2>/dev/null) f=$(tr '\n' '|' <"$tmp/f" 2>/dev/null)
if [ $rc = 0 ] && [ "$o" = "a|c||" ] && [ "$f" = "b|" ] && [ ! -s "$tmp/out" ]; then
	ktap_ok freopen_empty_returns_to_o_file
else
	ktap_fail freopen_empty_returns_to_o_file \
		"exit $rc, -o file '$o', freopen file '$f', stdout '$(tr '\n' '|' <"$tmp/out")'; $(head -n3 "$tmp/err" | tr '\n' ' ')"
fi
ktap_finished
