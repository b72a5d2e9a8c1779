# SPDX-License-Identifier: GPL-2.0
# KTAP helpers for shell selftests (POSIX sh; works with busybox in the guest).
#
#   . "$(dirname "$0")/../lib/ktap.sh"
#   ktap_plan 3                      # prints the header and "1..3"
#   ktap_ok "name"  /  ktap_fail "name" "why"  /  ktap_skip "name" "reason"
#   ktap_result "name" CMD [ARG...]  # ok if CMD succeeds, else not ok
#   ktap_skip_all "reason"           # whole file skipped (exits 4)
#   ktap_finished                    # exits 1 if any failed, else 0
#   ktap_diag "text"                 # "# text"
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
ktap_finished() { [ "$KTAP_FAILS" -eq 0 ] && exit 0; exit 1; }
