# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for shell selftests (POSIX sh; works with busybox in the guest).
#
#   . "$(dirname "$0")/../lib/ktap.sh"
#   ktap_plan 3                      # prints the header and "1..3"
#   ktap_ok "name"  /  ktap_fail "name" "why"  /  ktap_skip "name" "reason"
#   ktap_result "name" CMD [ARG...]  # ok if CMD succeeds, else not ok
#   ktap_skip_all "reason"           # whole file skipped (exits 4)
#   ktap_missing "name" FEATURE "reason"      # a SKIP, or a FAIL where promised
#   ktap_missing_all FEATURE "reason"         # the same for the whole file
#   ktap_finished                    # exits 1 if any failed, else 0
#   ktap_diag "text"                 # "# text"
#   ktap_poll SECONDS CMD [ARG...]   # CMD, every 0.2 s until it succeeds (then true)
#                                    # or SECONDS have passed (then CMD's last status)
KTAP_N=0
KTAP_FAILS=0
ktap_plan() { echo "KTAP version 1"; echo "1..$1"; }
ktap_diag() { echo "# $*"; }
ktap_ok() { KTAP_N=$((KTAP_N + 1)); echo "ok $KTAP_N $1"; }
ktap_fail() {
	KTAP_N=$((KTAP_N + 1)); KTAP_FAILS=$((KTAP_FAILS + 1))
	[ -n "${2:-}" ] && echo "# $1: $2"
	echo "not ok $KTAP_N $1"
}
ktap_skip() { KTAP_N=$((KTAP_N + 1)); echo "ok $KTAP_N $1 # SKIP ${2:-}"; }
ktap_result() {
	_n=$1; shift
	if "$@"; then ktap_ok "$_n"; else ktap_fail "$_n" "'$*' failed (status $?)"; fi
}
ktap_skip_all() { echo "KTAP version 1"; echo "1..0 # SKIP $*"; exit 4; }
# A test that needs what this machine lacks (FEATURE: btf, nullb0) is a SKIP,
# unless the harness that booted the machine promised it (make vm-check sets
# KTRACE_GUEST_HAS to what every guest it boots has, comma-separated): then
# it is a FAIL, so a guest kernel that loses BTF or null_blk cannot turn a
# suite into skips.
ktap_promised() { case ",${KTRACE_GUEST_HAS:-}," in *",$1,"*) return 0 ;; esac; return 1; }
ktap_missing() {
	if ktap_promised "$2"; then ktap_fail "$1" "$3 (this guest should have $2)"; else ktap_skip "$1" "$3"; fi
}
ktap_missing_all() {
	ktap_promised "$1" || ktap_skip_all "$2"
	echo "KTAP version 1"; echo "1..1"; echo "# $2 (this guest should have $1)"; echo "not ok 1 has_$1"; exit 1
}
ktap_finished() { [ "$KTAP_FAILS" -eq 0 ] && exit 0; exit 1; }
ktap_poll() {
	_t=$(($1 * 5)); shift
	while [ $_t -gt 0 ]; do
		"$@" && return 0
		sleep 0.2
		_t=$((_t - 1))
	done
	"$@"
}
