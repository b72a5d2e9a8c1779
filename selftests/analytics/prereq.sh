# SPDX-License-Identifier: GPL-2.0
# Sourced by the host tests that serve the analytics page from a cloud guest
# (test_browser.sh, test_instr.sh), after selftests/lib/ktap.sh, from the
# top of the tree.  ka_guest_prereqs CMD...: the server, the guest stage and
# the cloud module are built and every CMD is on PATH, or the whole file is
# a SKIP naming what is missing and how to get it.  Sets KA and TW.
KA=build/user/ktrace-analytics
TW=build/selftests/stage/tools/toolwork
ka_guest_prereqs() {
	[ -x $KA ] || ktap_skip_all "$KA not built (make -C user/tools)"
	[ -x $TW ] || ktap_skip_all "$TW not built (make -C selftests guest)"
	[ -f build/cloud/ktrace.ko ] || ktap_skip_all "build/cloud/ktrace.ko not built (make module KERNEL=cloud)"
	for _c in "$@"; do
		command -v $_c >/dev/null || ktap_skip_all "no $_c (make deps)"
	done
}
# ka_guest_done PORT: tell guest_serve.sh the host is done (a connection to
# the host port forwarded to the guest's 8378)
ka_guest_done() {
	node -e 'const s = require("net").connect(+process.argv[1], "127.0.0.1", () => s.end("done\n"));
		s.on("error", () => {}); setTimeout(() => process.exit(0), 3000).unref();' "$1"
}
