# SPDX-License-Identifier: GPL-2.0
# Sourced by test_oneliners.sh and vm/docs-oneliners.sh: the one-liners of
# docs/oneliners.md (parsed by oneliners.awk) and how to run one in the
# guest.  ol_setup STAGE: the workloads the doc's "run:" comments name
# ($W toolwork, $PW and $DYN the providers' workload, static and dynamic,
# $USDT usdt_gen) and, first on PATH, the dynamically linked ls that
# tools/build.mk stages (the doc's pid$target one-liners trace `ls /`).
OL_DEFAULT_RUN='$W read 20'

ol_setup() {
	set -- "$(cd "$1" && pwd)"
	W=$1/tools/toolwork
	PW=$1/providers/workload
	DYN=$1/providers/workload-dyn
	USDT=$1/providers/usdt_gen
	if [ -d "$1/lib/dynbin" ]; then
		PATH=$1/lib/dynbin:$PATH
		LD_LIBRARY_PATH=$1/lib/dynbin/lib
		export PATH LD_LIBRARY_PATH
	fi
}

# ol_run_cmd RUN: the workload of a one-liner, its $W... expanded (the
# default when RUN is empty)
ol_run_cmd() { eval "echo \"${1:-$OL_DEFAULT_RUN}\""; }

# ol_ktrace SECONDS ARGS RUN: run `ktrace ARGS` (ARGS as the doc writes them,
# shell words) for at most SECONDS, with the doc's -c command replaced by RUN
# (given as -c RUN when the doc has none); OL_LAST: that command line
ol_ktrace() {
	_t=$1 _given=$3 _run=$(ol_run_cmd "$3")
	eval "set -- $2"
	_n=$# _c=0 _rep=0
	while [ "$_n" -gt 0 ]; do
		_a=$1
		shift
		_n=$((_n - 1))
		if [ $_rep = 1 ]; then
			_rep=0
			[ -n "$_given" ] && _a=$_run
		elif [ "$_a" = -c ]; then
			_c=1 _rep=1
		fi
		set -- "$@" "$_a"
	done
	[ $_c = 1 ] || set -- "$@" -c "$_run"
	OL_LAST="ktrace $*"
	timeout "$_t" "${KTRACE:-ktrace}" "$@" </dev/null
}
