#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test_layers.sh: keep the layering of the sources from regressing (issue 20).
#
# From the objects' symbol tables (nm: the global text symbols each object
# defines, the symbols it leaves undefined), draw an arrow from file A to file
# B when A uses a function B defines, then find the strongly connected
# components of that graph: groups of files that reach each other through the
# arrows, i.e. call each other in a circle.  A group that is not in the
# allow-list below fails the test; its output names the files and, for each
# arrow inside the group, the symbols that make it.
#
#   user_objects_have_no_new_circle   build/user/obj (CLI, compiler, exporter,
#                                     the VM sources the CLI shares)
#   module_objects_have_no_circle     module/*.o of `make module KERNEL=cloud`
#                                     (the in-tree kbuild; SKIP without it)
#   checker_finds_a_circle            two objects built here that call each
#                                     other are reported, the file calling
#                                     into them is not, an allowed group passes
#
# Usage: sh selftests/host/test_layers.sh   (from anywhere; `make user` and
# `make module KERNEL=cloud` first; make test-host builds the CLI, make check
# builds the modules before test-host).
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=selftests/lib/ktap.sh
. "$root/selftests/lib/ktap.sh"

# Allowed groups: "FILE FILE ...|reason", the files sorted as `sort` does,
# named by source (user/ files relative to user/, module/ files by their
# path, the exporter's as exporter/NAME.c).  A group that grows, shrinks or
# is new is not the allowed one and fails: fix the arrows (move the helper to
# the file below both) or, when the circle is the design, add it here with why.
ALLOW_USER='dt_cg_assign.c dt_cg_expr.c dt_cg_var.c|code generation is one recursive pass: cg_expr reaches assignments and variables (their keys, struct members), which generate their own operands
dt_parse_expr.c dt_parse_type.c|the grammar is recursive: a cast or sizeof contains a type, an array bound or enumerator value is an expression
dt_ksym.c dt_tcaction.c dt_tcagg.c dt_tclock.c dt_tcmember.c dt_tcop.c dt_typecheck.c dt_xlate.c|type checking is one recursive pass: tc_expr reaches operators, members, calls (the lock subroutines rewritten into loads too), aggregations, translators and kernel symbols, which check their own expressions'
ALLOW_MODULE=''	# none: the module's files are layers (docs/architecture.md)

# layers_groups MAPFILE: MAPFILE has "NAME OBJECT" lines.  Prints, for every
# group of two or more files that reach each other:
#   group NAME NAME ...                (sorted)
#   arrow NAME -> NAME: SYM SYM ...    (every arrow inside the group)
layers_groups() {
	# shellcheck disable=SC2046
	LC_ALL=C nm -A -P -g $(awk '{ print $2 }' "$1") 2>/dev/null |
	LC_ALL=C awk -v mapfile="$1" '
	function isort(a, n,    i, j, t) {
		for (i = 2; i <= n; i++) {
			t = a[i]
			for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]
			a[j + 1] = t
		}
	}
	BEGIN {
		while ((getline line < mapfile) > 0) {
			split(line, f, " ")
			if (!(f[1] in id)) { n++; id[f[1]] = n; name[n] = f[1] }
			file_of[f[2] ":"] = id[f[1]]; path[id[f[1]]] = f[2]
		}
	}
	!($1 in file_of) { next }
	{
		o = file_of[$1]; s = $2; t = $3; seen[o] = 1
		if (t == "T" || t == "W" || t == "i") def[s] = def[s] " " o
		else if (t == "U" || t == "w") { nu[o]++; und[o, nu[o]] = s }
	}
	END {
		for (a = 1; a <= n; a++) if (!(a in seen)) {
			print "layers: nm listed no symbols of " path[a] > "/dev/stderr"; exit 2
		}
		# arrows: a -> b for each symbol a leaves undefined that b defines
		for (a = 1; a <= n; a++)
			for (k = 1; k <= nu[a]; k++) {
				s = und[a, k]
				if (!(s in def)) continue
				m = split(def[s], d, " ")
				for (j = 1; j <= m; j++) {
					b = d[j] + 0
					if (b == a) continue
					if (!((a, b) in syms)) { na[a]++; adj[a, na[a]] = b; syms[a, b] = s }
					else syms[a, b] = syms[a, b] " " s
				}
			}
		# reach[a, b]: b is reachable from a (a walk from every file)
		for (a = 1; a <= n; a++) {
			top = 0; stack[++top] = a
			while (top > 0) {
				x = stack[top--]
				for (k = 1; k <= na[x]; k++) {
					y = adj[x, k]
					if (!((a, y) in reach)) { reach[a, y] = 1; stack[++top] = y }
				}
			}
		}
		# a group: the files that reach a and that a reaches
		for (a = 1; a <= n; a++) {
			if (a in done || !((a, a) in reach)) continue
			g = 0
			for (b = 1; b <= n; b++)
				if (b == a || (((a, b) in reach) && ((b, a) in reach))) {
					done[b] = 1; g++; mem[g] = b; nm_[g] = name[b]
				}
			if (g < 2) continue
			isort(nm_, g)
			line = "group"
			for (i = 1; i <= g; i++) line = line " " nm_[i]
			print line
			for (i = 1; i <= g; i++) for (j = 1; j <= g; j++)
				if ((mem[i], mem[j]) in syms)
					print "arrow " name[mem[i]] " -> " name[mem[j]] ": " syms[mem[i], mem[j]]
		}
	}'
}

# layers_check TREE MAPFILE ALLOW: prints the groups not in ALLOW with their
# arrows as "#" lines; notes allowed groups that are gone; status 1 if any.
layers_check() {
	if ! _out=$(layers_groups "$2"); then
		ktap_diag "$1: reading the objects' symbols failed"; return 1
	fi
	_bad=0
	_allowed=$(printf '%s\n' "$3" | sed -n 's/^\([^|]*\)|.*/\1/p')
	_groups=$(printf '%s\n' "$_out" | sed -n 's/^group //p')
	while IFS= read -r _g; do
		[ -n "$_g" ] || continue
		if printf '%s\n' "$_allowed" | grep -qxF -- "$_g"; then
			ktap_diag "$1: allowed group: $_g"
			continue
		fi
		_bad=1
		ktap_diag "$1: these files call each other in a circle: $_g"
		for _f in $_g; do
			printf '%s\n' "$_out" | grep -F "arrow $_f -> " | while IFS= read -r _a; do
				_a=${_a#arrow }
				case " $_g " in *" ${_a%% *} "*) ;; *) continue ;; esac
				_t=${_a#* -> }; _t=${_t%%:*}
				case " $_g " in *" $_t "*) ktap_diag "$1:   ${_a}" ;; esac
			done
		done
	done <<EOF
$_groups
EOF
	while IFS= read -r _g; do
		[ -n "$_g" ] || continue
		printf '%s\n' "$_groups" | grep -qxF -- "$_g" ||
			ktap_diag "$1: allowed group is gone, drop it from the allow-list in $0: $_g"
	done <<EOF
$_allowed
EOF
	[ $_bad = 0 ]
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/test_layers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

ktap_plan 3

# ------------------------------------------------------------ the checker ---
# a.c and b.c call each other; c.c calls a.c and nothing calls c.c back;
# d.c calls libc only.  Expected: exactly the group {a.c, b.c}, tied by a_fn
# and b_fn; allowing it makes the check pass.
selftest() {
	mkdir -p "$tmp/self" && cd "$tmp/self" || return 1
	printf 'int b_fn(int);\nint a_fn(int x) { return x > 0 ? b_fn(x - 1) : 0; }\n' >a.c
	printf 'int a_fn(int);\nint b_fn(int x) { return a_fn(x) + 1; }\n' >b.c
	printf 'int a_fn(int);\nint c_fn(int x) { return a_fn(x); }\n' >c.c
	printf '#include <stdlib.h>\nint d_fn(const char *s) { return atoi(s); }\n' >d.c
	for f in a b c d; do
		${CC:-cc} -c -O0 -o $f.o $f.c || { echo "# cc $f.c failed"; return 1; }
		echo "$f.c $tmp/self/$f.o"
	done >map
	layers_groups map >groups || return 1
	printf 'group a.c b.c\narrow a.c -> b.c: b_fn\narrow b.c -> a.c: a_fn\n' >want
	if ! cmp -s groups want; then
		echo "# checker reported:"; sed 's/^/#   /' groups
		echo "# expected:"; sed 's/^/#   /' want
		return 1
	fi
	if layers_check selftest map '' >report; then
		echo "# the check passed with the circle a.c <-> b.c not allowed"; return 1
	fi
	if ! grep -q 'circle: a.c b.c$' report || ! grep -q 'a.c -> b.c: b_fn' report ||
	    ! grep -q 'b.c -> a.c: a_fn' report; then
		echo "# the report does not name the group and its symbols:"; cat report; return 1
	fi
	layers_check selftest map 'a.c b.c|test' >report ||
		{ echo "# an allowed group failed the check:"; cat report; return 1; }
	{ cat map; echo "e.c $tmp/self/e.o"; } >map2
	if layers_groups map2 >/dev/null 2>&1; then
		echo "# an object nm cannot read (e.o, never built) went unnoticed"; return 1
	fi
	cd "$root" || return 1
}
if out=$(selftest 2>&1); then ktap_ok checker_finds_a_circle
else printf '%s\n' "$out"; ktap_fail checker_finds_a_circle "the checker missed a circle"
fi
cd "$root" || exit 1

# ---------------------------------------------------------------- user/ ---
# Every object of a source that exists: user/NAME.c is obj/NAME.o, the VM
# sources the CLI shares (module/NAME.c) are obj/vm_NAME.o, the exporter's
# user/exporter/NAME.c is obj/exporter/NAME.o.
obj=$root/build/user/obj
: >"$tmp/user.map"
missing=
for c in "$root"/user/*.c "$root"/user/exporter/*.c; do
	[ -e "$c" ] || continue
	rel=${c#"$root"/user/}; o=$obj/${rel%.c}.o
	if [ -e "$o" ]; then echo "$rel $o" >>"$tmp/user.map"; else missing="$missing $rel"; fi
done
for o in "$obj"/vm_*.o; do
	[ -e "$o" ] || continue
	b=${o##*/vm_}; b=${b%.o}
	[ -e "$root/module/$b.c" ] && echo "module/$b.c $o" >>"$tmp/user.map"
done
if [ -n "$missing" ]; then
	ktap_fail user_objects_have_no_new_circle "no object in build/user/obj for:$missing (make user)"
else
	ktap_diag "user: $(wc -l <"$tmp/user.map") objects"
	if layers_check user "$tmp/user.map" "$ALLOW_USER"; then ktap_ok user_objects_have_no_new_circle
	else ktap_fail user_objects_have_no_new_circle "a circle of files not in ALLOW_USER (above)"; fi
fi

# --------------------------------------------------------------- module/ ---
# The cloud kernel's module is the in-tree kbuild (make module KERNEL=cloud):
# its objects are module/NAME.o next to module/NAME.c.  Objects older than
# their source describe other code: SKIP rather than check them.
: >"$tmp/module.map"
missing='' stale=''
for c in "$root"/module/*.c; do
	o=${c%.c}.o; rel=${c#"$root"/module/}
	if [ ! -e "$o" ]; then missing="$missing $rel"
	elif [ -n "$(find "$c" -newer "$o")" ]; then stale="$stale $rel"
	else echo "$rel $o" >>"$tmp/module.map"
	fi
done
if [ -n "$missing" ]; then
	ktap_skip module_objects_have_no_circle "no module objects for:$missing (make module KERNEL=cloud)"
elif [ -n "$stale" ]; then
	ktap_skip module_objects_have_no_circle "module objects older than their source:$stale (make module KERNEL=cloud)"
else
	ktap_diag "module: $(wc -l <"$tmp/module.map") objects"
	if layers_check module "$tmp/module.map" "$ALLOW_MODULE"; then ktap_ok module_objects_have_no_circle
	else ktap_fail module_objects_have_no_circle "a circle of files not in ALLOW_MODULE (above)"; fi
fi

ktap_finished
