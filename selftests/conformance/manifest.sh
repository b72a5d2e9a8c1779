#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# manifest.sh SUITE: print one line per case of SUITE/unittest (the cases
# DTrace's runtest.sh runs), tab-separated, with what the guest runner
# (guest-run.sh) needs:
#
#   PATH KIND TIMEOUT OPTS TRIGGER TIMING SORT UPXFAIL SKIP
#
# PATH     the case, relative to unittest/ (dir/tst.name.d, dir/tst.name.sh)
# KIND     tst, err (.d run by ktrace -s), shtst, sherr (.sh drivers)
# TIMEOUT  seconds: @@timeout, default $CONFORMANCE_TIMEOUT (10, runtest.sh
#          uses 11), at most $CONFORMANCE_MAX_TIMEOUT (30)
# OPTS     @@runtest-opts ($_pid is expanded by the guest), or "-"
# TRIGGER  @@trigger (program and arguments), "@t" for a .t file, or "-"
# TIMING   @@trigger-timing: after (default), before, or seconds
# SORT     sort, or nosort (@@nosort)
# UPXFAIL  @@xfail of DTrace's own suite (fails even on DTrace), or "-"
# SKIP     why the case cannot run here (@@skip, a tool the guest lacks), "-"
#
# As in runtest.sh a tag in the case wins over the test.options of its
# directory, then of each parent directory up to unittest/.  A .d that has a
# .sh of the same name is that driver's data, not a case.
set -u
suite=${1:?usage: manifest.sh SUITE}
cd "$suite/unittest" || exit 1
export LC_ALL=C
find . \( -name '*.d' -o -name '*.sh' -o -name test.options \) -type f | sed 's|^\./||' | sort |
awk -v deftmo="${CONFORMANCE_TIMEOUT:-10}" -v maxtmo="${CONFORMANCE_MAX_TIMEOUT:-30}" '
function dirof(p) { return p ~ /\// ? substr(p, 1, match(p, /\/[^\/]*$/) - 1) : "." }
function base(p) { sub(/^.*\//, "", p); return p }
# the value of tag t on line l, or "" (with found set when l names t)
function tagval(l, t,   i, v, c) {
	i = index(l, "@@" t)
	if (!i) return ""
	v = substr(l, i + 2 + length(t))
	c = substr(v, 1, 1)
	if (c != "" && c != " " && c != ":" && c != "\t") return ""
	found = 1
	sub(/^[ \t]*:[ \t]*/, "", v)
	sub(/\*\/[ \t]*$/, "", v)
	gsub(/^[ \t]+|[ \t]+$/, "", v)
	return v
}
# a program line l calls that the guest lacks: tool[key]
function needs(l, key,   v) {
	if (!match(l, /(^|[^a-zA-Z_$.-])(gcc|cc|\$CC|make|python3?|objdump|readelf|gdb|strace|valgrind|rpm|yum|curl|java|tshark|mkfs\.(xfs|\$fstype)|exportfs|ctf_[a-z]+)( |$)/))
		return
	v = substr(l, RSTART, RLENGTH)
	gsub(/^[^a-zA-Z$]|[ ]+$/, "", v)
	if (v == "mkfs.$fstype") v = "mkfs.xfs"	# io/: fstype=xfs
	tool[key] = v
}
function scan(f, key,   l, t, n, v, u, ul) {
	while ((getline l < f) > 0) {
		n = split("skip timeout runtest-opts trigger trigger-timing nosort xfail no-xfail", tags, " ")
		for (t = 1; t <= n; t++) {
			found = 0
			v = tagval(l, tags[t])
			if (found && !((key, tags[t]) in has)) { has[key, tags[t]] = 1; val[key, tags[t]] = v }
		}
		if (key !~ /^opt:/ && f ~ /\.sh$/ && tool[key] == "") {
			needs(l, key)
			# a helper of utils/ it runs ($utils/NAME.sh): what that calls
			if (match(l, /\$utils\/[a-zA-Z_]+\.sh/)) {
				u = "../utils/" substr(l, RSTART + 7, RLENGTH - 7)
				while (tool[key] == "" && (getline ul < u) > 0)
					needs(ul, key)
				close(u)
			}
		}
	}
	close(f)
}
# tag t of case p: the case first, then test.options upwards
function get(p, t,   d) {
	found = 0
	if ((p, t) in has) { found = 1; return val[p, t] }
	for (d = dirof(p); ; d = dirof(d)) {
		if (("opt:" d, t) in has) { found = 1; return val["opt:" d, t] }
		if (d == ".") return ""
	}
}
{ all[NR] = $0; isfile[$0] = 1 }
END {
	for (i = 1; i <= NR; i++) {
		p = all[i]
		if (base(p) == "test.options") scan(p, "opt:" dirof(p))
	}
	for (i = 1; i <= NR; i++) {
		p = all[i]
		b = base(p)
		if (b !~ /^(tst|err|drp)\./ || b ~ /^test\.options$/) continue
		stem = p; sub(/\.(d|sh)$/, "", stem)
		if (p ~ /\.d$/ && (stem ".sh") in isfile) continue
		scan(p, p)
		kind = (b ~ /^err\./) ? "err" : "tst"
		if (p ~ /\.sh$/) kind = "sh" kind
		skip = "-"
		v = get(p, "skip"); if (found) skip = "@@skip" (v != "" ? ": " v : "")
		tmo = deftmo
		v = get(p, "timeout"); if (found && v ~ /^[0-9]+$/) tmo = v + 0
		if (tmo > maxtmo) tmo = maxtmo
		opts = get(p, "runtest-opts"); if (opts == "") opts = "-"
		trig = get(p, "trigger"); if (trig == "") trig = "-"
		timing = get(p, "trigger-timing"); if (timing == "") timing = "after"
		get(p, "nosort"); sort = found ? "nosort" : "sort"
		xf = get(p, "xfail"); xfound = found
		get(p, "no-xfail"); if (!xfound || found) xf = "-"; else if (xf == "") xf = "xfail"
		if (skip == "-" && tool[p] != "")
			skip = "needs " tool[p] ", which the test guest does not have"
		printf "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n", p, kind, tmo, opts, trig, timing, sort, xf, skip
	}
}'
