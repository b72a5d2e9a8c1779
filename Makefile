# SPDX-License-Identifier: GPL-2.0
#
# ktrace top-level Makefile.
#
#   make                  ktrace.ko for $(KDIR) (in tree) + the CLI (user/)
#   make module KERNEL=cloud|generic|rt|debug   -> build/<flavour>/ktrace.ko
#   make deps             install the Debian packages we need (idempotent)
#   make check            deps, test-host, every guest suite on cloud and debug, the module
#                         suites on generic and rt; one summary line
#   make check-debug      every guest suite on the debug kernel (KASAN, lockdep, kmemleak)
#   make test-host        host test programs listed in selftests/host-tests.list
#   make vm-check [KERNELS="cloud generic rt"] [TESTS="pattern ..."]
#                         one guest boot per kernel running every guest selftest
#   make conformance [KERNEL=cloud] [DTRACE_TESTS=dir]
#                         DTrace's own unit tests in the guest (selftests/conformance)
#   make demo             boot the guest and show ktrace at work (a ktrace-lab lab
#                         solved among it); ends with the command that opens the
#                         live analytics page
#   make analytics-demo [PORT=8377]   ktrace-analytics in the guest, its page on
#                         the host's 127.0.0.1:PORT (vm/analytics-demo)
#   make docs-examples [EXAMPLES="tool ..."]
#                         regenerate docs/tools/examples/ from real runs in the guest
#   make docs-oneliners   regenerate the example outputs of docs/oneliners.md in the guest
#   make fuzz | bench-host | bench    hooks (selftests/fuzz, selftests/bench-host, selftests/bench/run)
#   make install | uninstall  [PREFIX=/usr/local] [DESTDIR=] [LOAD_AT_BOOT=1] [KTRACE_GROUP=grp]
#                         CLI, tools, man pages, docs; the module through DKMS (docs/install.md)
#   make deb              build/deb/ktrace_*.deb, ktrace-dkms_*.deb (packaging: user/debian/)
#   make clean
#
# Kernel header trees: the newest installed Debian 12 flavour of each kind;
# override with KDIR (default build) or KDIR_<flavour>.

MAKEFLAGS += --no-print-directory
SHELL     := /bin/bash
TOP       := $(CURDIR)
BUILD     := $(TOP)/build

# where Debian's linux-headers-* packages put their trees (HEADERS_ROOT and the
# DEPS_* commands below are overridable so that selftests/install/test_fresh_deps.sh
# can run `make deps` against a scratch headers root); VMRUN likewise
HEADERS_ROOT ?= /usr/src
newest_headers = $(lastword $(shell ls -d $(HEADERS_ROOT)/linux-headers-* 2>/dev/null | grep -E -- '$(1)' | sort -V))
# Looked up when a recipe uses them, never when make reads this file: `make
# deps` may install the trees during this very make (`make deps module`).
# Targets that install their own dependencies (demo, check, bench) also run
# deps in a make of its own and the rest in a new make, so ordering holds
# under -j too.
KDIR_cloud   ?= $(call newest_headers,-cloud-amd64$$)
KDIR_generic ?= $(call newest_headers,-[0-9]+-amd64$$)
KDIR_rt      ?= $(call newest_headers,-rt-amd64$$)
KDIR_debug   ?= $(or $(KTRACE_DEBUG_KDIR),$(or $(KTRACE_CACHE),$(HOME)/.cache/ktrace)/debug/build)
KDIR         ?= $(KDIR_cloud)
KERNEL       ?= cloud
KERNELS      ?= cloud generic rt
flavour_of    = $(strip $(if $(filter %-cloud-amd64,$(1)),cloud,$(if $(filter %-rt-amd64,$(1)),rt,\
		$(if $(filter %-amd64,$(1)),generic,$(if $(filter $(KDIR_debug),$(1)),debug,custom)))))

# modules of the Debian kernels loaded in vm-check's guests (null_blk: a block
# device for the I/O tools' tests); the debug kernel has none
VM_EXTRA_MODULES ?= null_blk

# seconds per guest boot of vm-check (x2 for the debug kernel: every suite under
# KASAN and lockdep took 32 minutes in stop 27, before 30 more tools and 170 more
# one-liners); a wedged guest
# is stopped sooner (vm/run: VM_WEDGE_GRACE)
VM_TIMEOUT   ?= 1800
VM_RUN_FLAGS ?= --rmmod
VMRUN        ?= vm/run
HOST_TIMEOUT ?= 300
TESTS        ?=
RESULTS      := $(BUILD)/results
SUMMARY      := $(TOP)/selftests/lib/ktap-summary
STAGE        := $(BUILD)/selftests/stage

DEB_PKGS := linux-headers-cloud-amd64 linux-image-cloud-amd64 \
	linux-headers-amd64 linux-image-amd64 \
	linux-headers-rt-amd64 linux-image-rt-amd64 \
	qemu-system-x86 busybox-static cpio libnl-3-dev libnl-genl-3-dev libelf-dev \
	zlib1g-dev clang llvm lld bpftrace linux-source-6.1 pkg-config kmod gcc make \
	libc6-dev xz-utils lz4 file procps \
	flex bison bc openssl libssl-dev gawk dwarves \
	dkms dpkg-dev debhelper dh-dkms lintian chromium \
	libmicrohttpd-dev prometheus systemtap-sdt-dev libdw-dev libunwind-dev curl nodejs

.PHONY: all module module-intree user deps deps-if-missing check check-debug debug-kernel test-host vm-check docs-examples docs-oneliners \
	selftests conformance demo analytics-demo fuzz bench-host bench clean help install uninstall deb

all: module-intree user

help:
	@sed -n '3,/^#   make clean/s/^# \{0,1\}//p' $(firstword $(MAKEFILE_LIST))

# ---------------------------------------------------------------- module ---
# `make`: in-tree kbuild for $(KDIR); the result is also copied to
# build/<flavour>/ktrace.ko so vm/run finds it.
module-intree:
	@test -d "$(KDIR)" || { echo "no kernel headers in '$(KDIR)' (make deps, or KDIR=...)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules
	@f=$(call flavour_of,$(KDIR)); mkdir -p $(BUILD)/$$f && \
		cp -p $(TOP)/ktrace.ko $(BUILD)/$$f/ktrace.ko && echo "  KO      build/$$f/ktrace.ko"

# `make module KERNEL=x`: cloud reuses the in-tree build; other flavours build
# in build/<flavour>/src, a tree of symlinks to the sources (kbuild writes
# objects next to the sources, so one tree per KDIR keeps builds incremental).
# MODULE_SRCS (also the DKMS source of `make install`) leaves out the files
# kbuild generated in the source tree (they have a .NAME.cmd): each tree
# generates its own.  git lists them only at the top of a checkout (a copy
# under build/, as make deb's, is ignored by the checkout it sits in).
MODULE_SRCS = $(foreach f,$(shell cd $(TOP) && { test -e .git && git ls-files --cached --others --exclude-standard -- Kbuild module 2>/dev/null || ls -1 Kbuild module/*; } | grep -E '^(Kbuild|module/[^/]+\.(c|h|S|lds))$$' | sort -u),\
	$(if $(wildcard $(TOP)/$(dir $(f)).$(notdir $(f)).cmd),,$(f)))

ifeq ($(KERNEL),cloud)
module:
	@$(MAKE) module-intree KDIR=$(KDIR_cloud)
else
module:
	@kd='$(KDIR_$(KERNEL))'; test -n "$$kd" && test -d "$$kd" || \
		{ echo "no kernel build tree for KERNEL=$(KERNEL) ('$$kd'; make deps, make debug-kernel, or KDIR_$(KERNEL)=...)" >&2; exit 1; }; \
	src=$(BUILD)/$(KERNEL)/src; mkdir -p $$src/module; \
	ln -sfn $(TOP)/uapi $$src/uapi; \
	for f in $(MODULE_SRCS); do \
		[ -e $$src/$$f ] || [ -L $$src/$$f ] || ln -s $(TOP)/$$f $$src/$$f; done; \
	find $$src/module -maxdepth 1 -xtype l -delete; \
	$(MAKE) -C $$kd M=$$src modules && \
	cp -p $$src/ktrace.ko $(BUILD)/$(KERNEL)/ktrace.ko && echo "  KO      build/$(KERNEL)/ktrace.ko"
endif

# ------------------------------------------------------------------- CLI ---
user:
	@if [ -f user/Makefile ]; then $(MAKE) -C user; \
	else echo "  USER    no user/Makefile yet" >&2; exit 1; fi

# ------------------------------------------------------------------ deps ---
# DEPS_QUERY PKG prints the package's dpkg status; DEPS_INSTALL PKG... installs
DEPS_QUERY   ?= dpkg-query -W -f='$${Status}\n'
DEPS_INSTALL ?= $(if $(filter 0,$(shell id -u)),,sudo) sh -c 'apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$$@"' apt-get
deps:
	@missing=$$(for p in $(DEB_PKGS); do \
		$(DEPS_QUERY) $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then echo "  DEPS    all $(words $(DEB_PKGS)) packages installed"; exit 0; fi; \
	echo "  DEPS    installing:" $$missing; \
	$(DEPS_INSTALL) $$missing

deps-if-missing: deps

# ------------------------------------------------------------------ tests ---
# Every stage appends KTAP to $(RESULTS)/<stage>.ktap; a stage that cannot run
# (build failure, guest crash) records a "not ok" line for itself.  vm-check
# snapshots the CLI into build/vm-check/ so that all its boots test one binary.
SUMMARY_PREFIX ?=

# test-host includes the installation's tests (selftests/install/): make
# install/uninstall against docs/install.md, make deb + lintian, and the
# module built by the real dkms from the installed source for the Debian
# flavours cloud, generic and rt, each loaded in one short guest boot.  The
# debug kernel is not among them: it is no Debian package (no headers
# package for DKMS to build against, no DKMS user), and vm-check covers it.
test-host:
	@mkdir -p $(RESULTS); out=$(RESULTS)/host.ktap; : >$$out; \
	$(MAKE) user >$(RESULTS)/host-user-build.log 2>&1 || \
		echo "# test-host: the CLI does not build (see build/results/host-user-build.log)"; \
	if ! $(MAKE) -C selftests host >$(RESULTS)/host-build.log 2>&1; then \
		cat $(RESULTS)/host-build.log >&2; \
		echo "not ok 1 host: make -C selftests host failed" >>$$out; \
	else \
		KTAP_TIMEOUT=$(HOST_TIMEOUT) selftests/lib/run-host-tests selftests/host-tests.list $(TESTS) | tee -a $$out; \
	fi; \
	$(SUMMARY) -p '$(SUMMARY_PREFIX)' $$out

selftests:
	$(MAKE) -C selftests guest

# Per call of vm-check (make check runs two at once): its build verdict and the
# CLI snapshot all its boots test.
VM_LEG        = $(firstword $(KERNELS))
VM_BUILD_KTAP = $(RESULTS)/vm-build-$(VM_LEG).ktap
VM_CLI_DIR    = $(BUILD)/vm-check/$(VM_LEG)

vm-check:
	@mkdir -p $(RESULTS); \
	rm -f $(VM_BUILD_KTAP) $(addprefix $(RESULTS)/vm-,$(addsuffix .ktap,$(KERNELS))); \
	b=$(VM_BUILD_KTAP); : >$$b; \
	if $(MAKE) user; then echo "ok 1 build: ktrace CLI" >>$$b; \
	else echo "not ok 1 build: ktrace CLI (make user failed; the guest gets whatever CLI exists)" | tee -a $$b; fi; \
	cli=none; for c in build/user/ktrace user/ktrace; do \
		if [ -f $$c ] && [ -x $$c ]; then mkdir -p $(VM_CLI_DIR); \
		cp -p $$c $(VM_CLI_DIR)/ktrace && cli=$(VM_CLI_DIR)/ktrace; break; fi; done; \
	if $(MAKE) -k -C selftests guest; then echo "ok 2 build: guest selftests" >>$$b; \
	else echo "not ok 2 build: guest selftests (make -C selftests guest failed; running what was built)" | tee -a $$b; fi; \
	for k in $(KERNELS); do \
		out=$(RESULTS)/vm-$$k.ktap; : >$$out; \
		if [ $$k = debug ] && [ -z "$(KTRACE_DEBUG_KDIR)" ] && ! vm/build-debug-kernel; then \
			echo "not ok 1 vm-$$k: vm/build-debug-kernel failed" | tee -a $$out; continue; fi; \
		if ! $(MAKE) module KERNEL=$$k; then echo "not ok 1 vm-$$k: building ktrace.ko failed" | tee -a $$out; continue; fi; \
		echo "  VM      $$k: vm/run --kernel $$k $(VM_RUN_FLAGS) -- ./run-guest-tests.sh $(TESTS)"; \
		KTRACE_CLI=$$cli VM_EXTRA_MODULES="$$([ $$k = debug ] || echo '$(VM_EXTRA_MODULES)')" \
		$(VMRUN) --kernel $$k --add $(STAGE) --timeout $$([ $$k = debug ] && echo $$(($(VM_TIMEOUT) * 2)) || echo $(VM_TIMEOUT)) --log $(RESULTS)/vm-$$k.console $(VM_RUN_FLAGS) \
			-- env KTRACE_TIMEOUT_SCALE=$$([ $$k = debug ] && echo 4 || echo 1) KTRACE_GUEST_HAS=$(GUEST_HAS) \
			ONELINERS_STRIDE=$$([ $$k = debug ] && echo $(DEBUG_ONELINERS_STRIDE) || echo 1) \
			TOOLS_STRIDE=$$([ $$k = debug ] && echo $(DEBUG_TOOLS_STRIDE) || echo 1) \
			./run-guest-tests.sh $(TESTS) 2>$(RESULTS)/vm-$$k.stderr | tee -a $$out; \
		rc=$${PIPESTATUS[0]}; \
		grep -v '^vm/run: ' $(RESULTS)/vm-$$k.stderr >&2; \
		why=$$(grep '^vm/run: ' $(RESULTS)/vm-$$k.stderr | tail -n1); \
		if [ -n "$$why" ] || [ $$rc -ge 124 ]; then \
			echo "not ok 1 vm-$$k: $${why:-vm/run exit status $$rc}" | tee -a $$out; fi; \
		echo "# vm-$$k: $$($(SUMMARY) $$out 2>/dev/null)"; \
	done; \
	$(SUMMARY) -p '$(SUMMARY_PREFIX)' $$b $(addprefix $(RESULTS)/vm-,$(addsuffix .ktap,$(KERNELS)))

# Which guest suites run on which kernel in `make check` (CI has 90 minutes for
# everything, a fresh machine's `make deps` and debug-kernel build included):
# - MODULE_SUITES drive the module itself (raw ioctls, the verifier, buffers,
#   the deadman, every provider): every kernel runs them, because cloud and
#   generic differ in config, rt in locking (PREEMPT_RT's sleeping spinlocks),
#   and debug checks memory and locks (KASAN, lockdep, kmemleak, UBSAN).
# - The other suites (cli, json, oneliners, tools, the D corpus) test the CLI,
#   the compiler's programs and the tools through those same module paths:
#   they run on cloud (the reference kernel) and on the debug kernel (every
#   path they take, under KASAN), not again on generic and rt, whose
#   differences the module suites already cover.
# - tools/ is the exception among them: the ready-to-run tools stand on
#   tracepoints, fbt (kprobes, kretprobes) and BTF-typed kernel structures,
#   which differ between the flavours (PREEMPT_RT's threaded softirqs, config-
#   dependent tracepoints), and issue 15 asks for them on cloud, generic and
#   rt.  Measured on cloud (2 vCPUs, TCG): about 205 s of tests plus a 40 s
#   boot, so about 8 more minutes of make check for the two extra kernels.
# - labs/ too: each lab's reference solution reads the scheduler, timers and
#   softirqs as the kernel runs them, and PREEMPT_RT runs them differently
#   (lab 15's run-queue wait once named ksoftirqd); issue 18 asks for the labs
#   on cloud, generic and rt.  Measured (2 vCPUs, TCG; 75 tests, twice on
#   each): 89-100 s of tests per kernel in the module suites' boot (a
#   vm-check of labs/ alone: 127 s on generic, 143 s on rt, boot included).
# The debug kernel (built once by vm/build-debug-kernel, cached in
# ~/.cache/ktrace/debug) runs every suite; its timeouts are scaled by 4.
# - The conformance run (DTrace's unit tests, `make conformance`) runs on
#   cloud and on debug, not on generic and rt: its cases exercise the
#   compiler, the CLI and the output formatting, and reach the module through
#   the LOAD, buffer and provider paths the module suites already drive on
#   generic and rt.  On debug it runs under KASAN with the same budget,
#   every 7th case (CONFORMANCE_STRIDE): 226 cases from every directory
#   instead of the first 236 of the list (measured: all 226 ran in 11m34s,
#   boot included, with a clean log); the whole suite there would take about
#   an hour.
# - The tool tests (tools/, 60 of them): on cloud, generic and rt every one;
#   on debug every DEBUG_TOOLS_STRIDE-th (TOOLS_STRIDE in the guest), a
#   different half when the list changes: each tool is a D program on the
#   module paths the module suites already drive under KASAN there, and all
#   of them would add about 20 minutes to the debug leg, the longest of
#   make check.
# - The one-liners of docs/oneliners.md (oneliners/test_oneliners.sh): on
#   cloud every one-liner compiles and runs on its workload (measured: about
#   3.5 minutes for 200); on debug every one-liner compiles but only every
#   DEBUG_ONELINERS_STRIDE-th runs (ONELINERS_STRIDE in the guest): each run
#   starts a session and its workload, several times slower under KASAN, and
#   the providers they use are driven on debug by the module suites already.
# What every guest make vm-check boots has (Debian's kernels: BTF, null_blk
# from VM_EXTRA_MODULES; the debug kernel: both built in, checked by
# vm/build-debug-kernel): a test that finds one missing fails instead of
# skipping (selftests/lib/ktap.sh, ktap_missing).
GUEST_HAS      := btf,nullb0
DEBUG_ONELINERS_STRIDE ?= 3
DEBUG_TOOLS_STRIDE ?= 2
MODULE_SUITES  ?= uapi/ safety/ buffers/ providers/ tools/ labs/
FULL_KERNELS   ?= cloud
MODULE_KERNELS ?= generic rt

# The CLI, the guest selftests and the Debian kernels' modules are built first:
# host tests that boot a guest (the analytics page in Chromium, the timeline,
# vm/run's contract) need them, and would otherwise be a SKIP on a fresh clone.
# Each guest is single-threaded TCG, one host core: with CHECK_PARALLEL=1 (the
# default on a machine of 2 or more cores) the debug leg (its kernel build when
# not cached, then every suite) runs beside the Debian kernels' legs, and its
# output follows theirs.  Built first, once, the two legs never write the same
# files.
CHECK_PARALLEL ?= $(if $(filter 1,$(shell nproc 2>/dev/null || echo 1)),0,1)

check:
	@$(MAKE) deps-if-missing || { echo "make deps failed" >&2; exit 1; }
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	-@$(MAKE) user >/dev/null; $(MAKE) -k -C selftests guest >/dev/null; \
		for k in $(FULL_KERNELS) $(MODULE_KERNELS); do $(MAKE) module KERNEL=$$k >/dev/null; done; \
		true
	-@$(MAKE) test-host SUMMARY_PREFIX='# host: '
	-@\
	debug_leg() { $(MAKE) vm-check KERNELS=debug SUMMARY_PREFIX='# vm debug: '; \
		$(MAKE) conformance KERNEL=debug CONFORMANCE_STRIDE=$(DEBUG_CONFORMANCE_STRIDE) \
			CONFORMANCE_KTAP=$(RESULTS)/conformance-debug.ktap; }; \
	if [ "$(CHECK_PARALLEL)" = 1 ]; then debug_leg >$(RESULTS)/leg-debug.log 2>&1 & dpid=$$!; fi; \
	$(MAKE) vm-check KERNELS="$(FULL_KERNELS)" SUMMARY_PREFIX='# vm: '; \
	$(MAKE) vm-check KERNELS="$(MODULE_KERNELS)" TESTS="$(MODULE_SUITES)" SUMMARY_PREFIX='# vm (module suites): '; \
	$(MAKE) conformance KERNEL=cloud CONFORMANCE_KTAP=$(RESULTS)/conformance.ktap; \
	if [ "$(CHECK_PARALLEL)" = 1 ]; then wait $$dpid; cat $(RESULTS)/leg-debug.log; else debug_leg; fi; \
	true
	@$(SUMMARY) $(RESULTS)/*.ktap

# DTrace's unit tests (data in $(DTRACE_TESTS), never copied into the project)
# run in one guest boot by selftests/conformance/run; it prints a table per
# directory and "N passed, N failed, N skipped".  CONFORMANCE_BUDGET: guest
# seconds for the cases (empty: the runner's default, which the whole suite
# fits in; selftests/conformance/run says why).
DTRACE_TESTS       ?= $(abspath $(TOP)/../shared/dtrace-tests)
CONFORMANCE_BUDGET ?=
CONFORMANCE_STRIDE ?= 1
DEBUG_CONFORMANCE_STRIDE ?= 7
CONFORMANCE_KTAP   ?=
conformance:
	@$(MAKE) user && $(MAKE) module KERNEL=$(KERNEL) || { \
		echo "conformance: building the CLI or ktrace.ko failed"; \
		$(if $(CONFORMANCE_KTAP),printf 'KTAP version 1\n1..1\nnot ok 1 conformance: build failed\n' >$(CONFORMANCE_KTAP);) \
		exit 1; }
	@DTRACE_TESTS=$(DTRACE_TESTS) CONFORMANCE_BUDGET=$(CONFORMANCE_BUDGET) CONFORMANCE_STRIDE=$(CONFORMANCE_STRIDE) \
		selftests/conformance/run -k $(KERNEL) $(if $(CONFORMANCE_KTAP),-K $(CONFORMANCE_KTAP))

check-debug:
	@$(MAKE) deps-if-missing || { echo "make deps failed" >&2; exit 1; }
	@$(MAKE) vm-check KERNELS=debug

debug-kernel:
	vm/build-debug-kernel

# ------------------------------------------------------------------- demo ---
# `make docs-examples`: regenerate docs/tools/examples/ (every tool's real
# output in the cloud guest, vm/docs-examples.sh, and the flame graph drawn
# from its profile).  Run it after changing a tool; the files are committed.
# EXAMPLES="NAME ..." regenerates only those tools' examples ("heatmap" for
# docs/tools.md's heat map); the other files are left as they are.
docs-examples:
	@$(MAKE) user
	@$(MAKE) -C user/tools
	@$(MAKE) -C selftests guest
	@$(MAKE) module KERNEL=cloud
	@rm -rf $(BUILD)/docs-examples && mkdir -p $(BUILD)/docs-examples && \
		cp -a $(STAGE)/. $(BUILD)/docs-examples/ && cp vm/docs-examples.sh $(BUILD)/docs-examples/
	VM_EXTRA_MODULES=null_blk $(VMRUN) --kernel cloud --add $(BUILD)/docs-examples --timeout 1500 \
		-- sh ./docs-examples.sh $(EXAMPLES) >$(BUILD)/docs-examples.out
	@awk '/^@@@ / { f = "docs/tools/examples/" $$2; printf "" >f; next } f { print >f }' \
		$(BUILD)/docs-examples.out
	build/user/ktrace-flamegraph --title "toolwork spin: user stacks, 3 s at 99 Hz" \
		docs/tools/examples/ktrace-profile_toolwork.folded \
		>docs/tools/examples/flamegraph_toolwork_spin.svg

# `make docs-oneliners`: run every one-liner of docs/oneliners.md marked
# "example" in the cloud guest (vm/docs-oneliners.sh, on the selftests'
# stage) and write its output after it in the doc (oneliners.awk -v insert).
docs-oneliners:
	@$(MAKE) user
	@$(MAKE) -C selftests guest
	@$(MAKE) module KERNEL=cloud
	@rm -rf $(BUILD)/docs-oneliners && mkdir -p $(BUILD)/docs-oneliners && \
		cp -a $(STAGE)/. $(BUILD)/docs-oneliners/ && cp vm/docs-oneliners.sh $(BUILD)/docs-oneliners/
	VM_EXTRA_MODULES=null_blk $(VMRUN) --kernel cloud --add $(BUILD)/docs-oneliners --timeout 900 \
		-- sh ./docs-oneliners.sh >$(BUILD)/docs-oneliners.out
	@want=$$(awk -f selftests/oneliners/oneliners.awk docs/oneliners.md | grep -cx example); \
		got=$$(grep -c '^@@@ [0-9]*$$' $(BUILD)/docs-oneliners.out); \
		[ "$$want" = "$$got" ] || { echo "docs-oneliners: $$got outputs for $$want examples" >&2; exit 1; }
	@awk -v insert=$(BUILD)/docs-oneliners.out -f selftests/oneliners/oneliners.awk docs/oneliners.md \
		>$(BUILD)/oneliners.md && mv $(BUILD)/oneliners.md docs/oneliners.md

# The demo's guest gets vm/demo/demo.sh, the tools and ktrace-lab with its
# labs (build/demo/): it ends by solving a lab.
demo:
	@$(MAKE) deps-if-missing || { echo "make deps failed" >&2; exit 1; }
	@$(MAKE) module KERNEL=$(KERNEL)
	@$(MAKE) user
	@$(MAKE) -C user/tools
	@$(MAKE) -C user/labs
	@rm -rf $(BUILD)/demo && mkdir -p $(BUILD)/demo/bin && cp -p vm/demo/demo.sh $(BUILD)/demo/ && \
		cp -p $(BUILD)/user/ktrace-lab $(BUILD)/user/tools/* $(BUILD)/demo/bin/ && \
		cp -a $(BUILD)/user/labs $(BUILD)/demo/labs
	$(VMRUN) --kernel $(KERNEL) --add $(BUILD)/demo --timeout 600 -- ./demo.sh
	@echo; echo "The live analytics page (heat maps, flame graphs, thread timelines over the guest):"
	@echo "  make analytics-demo      # then open the URL it prints (docs/analytics.md)"

PORT ?= 8377
analytics-demo:
	@$(MAKE) deps-if-missing || { echo "make deps failed" >&2; exit 1; }
	@$(MAKE) module KERNEL=$(KERNEL)
	@$(MAKE) user
	@$(MAKE) -C user/tools
	@$(MAKE) -C selftests guest >/dev/null
	vm/analytics-demo --kernel $(KERNEL) --port $(PORT)

# --------------------------------------------------------------- install ---
# The layout is documented in docs/install.md (and checked against it by
# selftests/install/test_install.sh).  Programs go to sbin with section 8
# pages (tracing needs CAP_SYS_ADMIN/CAP_PERFMON), the SVG drawers to bin
# with section 1 pages.  The module goes in as DKMS source under /usr/src
# (DKMS only looks there) and, when installing into the live system (no
# DESTDIR), through `dkms add/build/install` so it follows kernel upgrades.
VERSION      := $(shell sed -n 's/^\#define KTRACE_VERSION "\(.*\)"$$/\1/p' $(TOP)/module/version.h)
PREFIX       ?= /usr/local
DESTDIR      ?=
SBINDIR      ?= $(PREFIX)/sbin
BINDIR       ?= $(PREFIX)/bin
LIBEXECDIR   ?= $(PREFIX)/libexec
MANDIR       ?= $(PREFIX)/share/man
DOCDIR       ?= $(PREFIX)/share/doc/ktrace
# the D library: ktrace finds it as ../lib/ktrace from its own directory
LIBDIR       ?= $(PREFIX)/lib/ktrace
DKMS_SRC     := /usr/src/ktrace-$(VERSION)
UDEVDIR      ?= /etc/udev/rules.d
SYSTEMDDIR   ?= $(PREFIX)/lib/systemd/system
MODLOADDIR   ?= /etc/modules-load.d
LOAD_AT_BOOT ?= 0
KTRACE_GROUP ?=
DKMS         ?= dkms
DKMS_INSTALL ?= $(if $(DESTDIR),0,1)
# checked by the shell (from the environment) before the recipes quote them
install: export LOAD_AT_BOOT := $(LOAD_AT_BOOT)
install: export KTRACE_GROUP := $(KTRACE_GROUP)

TOOL_SCRIPTS  := $(filter-out Makefile %.c %.h,$(notdir $(wildcard $(TOP)/user/tools/*)))
# user/tools/NAME.c is the program ktrace-NAME; NAME_PART.c are parts of it
TOOL_PICTURES := $(foreach c,$(notdir $(wildcard $(TOP)/user/tools/*.c)),$(if $(findstring _,$(c)),,ktrace-$(c:.c=)))
# user/labs/NN-NAME.c is lab NN's program, run by ktrace-lab(8)
LAB_PROGS     := $(patsubst %.c,%,$(notdir $(wildcard $(TOP)/user/labs/[0-9][0-9]-*.c)))
MAN_PAGES     := docs/ktrace.8 $(patsubst $(TOP)/%,%,$(wildcard $(TOP)/docs/tools/*.[1-8]))
DKMS_FILES     = $(MODULE_SRCS) $(patsubst $(TOP)/%,%,$(wildcard $(TOP)/uapi/linux/*.h))
# SOURCE:DESTINATION:MODE, destinations under $(DESTDIR)
INSTALL_FILES  = build/user/ktrace:$(SBINDIR)/ktrace:755 \
	build/user/ktrace-exporter:$(SBINDIR)/ktrace-exporter:755 \
	build/user/ktrace-analytics:$(SBINDIR)/ktrace-analytics:755 \
	$(foreach t,$(TOOL_SCRIPTS),user/tools/$(t):$(SBINDIR)/$(t):755) \
	$(foreach t,$(TOOL_PICTURES),build/user/$(t):$(BINDIR)/$(t):755) \
	build/user/ktrace-lab:$(SBINDIR)/ktrace-lab:755 \
	$(foreach l,$(LAB_PROGS),build/user/labs/$(l):$(LIBEXECDIR)/ktrace-lab/$(l):755) \
	$(foreach d,README.md $(patsubst $(TOP)/%,%,$(wildcard $(TOP)/docs/*.md)),$(d):$(DOCDIR)/$(notdir $(d)):644) \
	$(foreach e,$(wildcard $(TOP)/docs/tools/examples/*),$(e):$(DOCDIR)/examples/$(notdir $(e)):644) \
	$(foreach l,$(wildcard $(TOP)/user/lib/*.d),user/lib/$(notdir $(l)):$(LIBDIR)/$(notdir $(l)):644) \
	$(foreach f,$(DKMS_FILES),$(f):$(DKMS_SRC)/$(f):644)
man_dest       = $(MANDIR)/man$(subst .,,$(suffix $(1)))/$(notdir $(1)).gz
UDEV_RULE      = $(UDEVDIR)/60-ktrace.rules
EXPORTER_UNIT  = $(SYSTEMDDIR)/ktrace-exporter.service
MODLOAD_CONF   = $(MODLOADDIR)/ktrace.conf
INSTALLED      = $(foreach f,$(INSTALL_FILES),$(word 2,$(subst :, ,$(f)))) \
	$(foreach m,$(MAN_PAGES),$(call man_dest,$(m))) $(DKMS_SRC)/dkms.conf $(UDEV_RULE) \
	$(EXPORTER_UNIT) \
	$(if $(filter 1,$(LOAD_AT_BOOT)),$(MODLOAD_CONF))

install:
	@test -n "$(VERSION)" || { echo "no KTRACE_VERSION in module/version.h" >&2; exit 1; }
	@case "$$LOAD_AT_BOOT" in 0|1) ;; *) echo "LOAD_AT_BOOT must be 0 or 1, not '$$LOAD_AT_BOOT'" >&2; exit 2 ;; esac
	@[ -z "$$KTRACE_GROUP" ] || printf '%s\n' "$$KTRACE_GROUP" | grep -Eqx '[a-z_][a-z0-9_-]*' || \
		{ echo "KTRACE_GROUP '$$KTRACE_GROUP' is not a group name" >&2; exit 2; }
	@$(MAKE) user
	@$(MAKE) -C user/tools
	@$(MAKE) -C user/labs
	@set -e; d='$(DESTDIR)'; \
	for f in $(INSTALL_FILES); do IFS=: read -r src dst mode <<<"$$f"; \
		install -D -m $$mode "$$src" "$$d$$dst"; done; \
	for m in $(MAN_PAGES); do dst="$$d$$(echo '$(MANDIR)')/man$${m##*.}/$${m##*/}.gz"; \
		mkdir -p "$${dst%/*}"; \
		sed '/^\.TH /s/"ktrace"/"ktrace $(VERSION)"/' "$$m" | gzip -9n >"$$dst"; chmod 644 "$$dst"; done; \
	printf '%s\n' '# ktrace DKMS configuration (make install / ktrace-dkms)' \
		'PACKAGE_NAME="ktrace"' 'PACKAGE_VERSION="$(VERSION)"' \
		'MAKE[0]="make -C $${kernel_source_dir} M=$${dkms_tree}/ktrace/$(VERSION)/build modules"' \
		'CLEAN="make -C $${kernel_source_dir} M=$${dkms_tree}/ktrace/$(VERSION)/build clean"' \
		'BUILT_MODULE_NAME[0]="ktrace"' 'DEST_MODULE_LOCATION[0]="/updates/dkms"' \
		'AUTOINSTALL="yes"' >"$$d$(DKMS_SRC)/dkms.conf"; \
	mkdir -p "$$d$(SYSTEMDDIR)"; \
	sed 's|@SBINDIR@|$(SBINDIR)|' user/exporter/ktrace-exporter.service >"$$d$(EXPORTER_UNIT)"; \
	chmod 644 "$$d$(EXPORTER_UNIT)"; \
	mkdir -p "$$d$(UDEVDIR)"; \
	{ echo '# /dev/ktrace: root only (mode 0600) unless the admin names a group'; \
	  echo '# (make install KTRACE_GROUP=grp, or a copy of this file in /etc/udev/rules.d).'; \
	  echo '# Opening it still needs CAP_SYS_ADMIN or CAP_PERFMON.'; \
	  if [ -n '$(KTRACE_GROUP)' ]; then echo 'KERNEL=="ktrace", SUBSYSTEM=="misc", OWNER="root", GROUP="$(KTRACE_GROUP)", MODE="0660"'; \
	  else echo 'KERNEL=="ktrace", SUBSYSTEM=="misc", OWNER="root", GROUP="root", MODE="0600"'; fi; \
	} >"$$d$(UDEV_RULE)"; chmod 644 "$$d$(UDEV_RULE)"; \
	if [ '$(LOAD_AT_BOOT)' = 1 ]; then mkdir -p "$$d$(MODLOADDIR)"; \
		printf '# load ktrace.ko at boot (make install LOAD_AT_BOOT=1)\nktrace\n' >"$$d$(MODLOAD_CONF)"; \
		chmod 644 "$$d$(MODLOAD_CONF)"; fi; \
	echo "  INSTALL ktrace $(VERSION) in $${d:-/}$(PREFIX), module source in $$d$(DKMS_SRC)"
	@[ '$(DKMS_INSTALL)' = 1 ] || exit 0; \
	if ! command -v $(firstword $(DKMS)) >/dev/null; then \
		echo "  DKMS    dkms is not installed: apt-get install dkms (Debian/Ubuntu; dnf install dkms elsewhere)," >&2; \
		echo "          then: dkms install ktrace/$(VERSION)   (builds ktrace.ko for the running kernel)" >&2; exit 0; fi; \
	set -e; if $(DKMS) status ktrace/$(VERSION) | grep -q .; then $(DKMS) remove ktrace/$(VERSION) --all; fi; \
	$(DKMS) add ktrace/$(VERSION); $(DKMS) build ktrace/$(VERSION); $(DKMS) install ktrace/$(VERSION)

uninstall:
	@if [ '$(DKMS_INSTALL)' = 1 ] && command -v $(firstword $(DKMS)) >/dev/null && \
	    $(DKMS) status ktrace/$(VERSION) | grep -q .; then $(DKMS) remove ktrace/$(VERSION) --all; fi
	@d='$(DESTDIR)'; for f in $(INSTALLED) $(MODLOAD_CONF); do rm -f "$$d$$f"; done; \
	for dir in $(DOCDIR)/examples $(DOCDIR) $(LIBDIR) $(LIBEXECDIR)/ktrace-lab $(DKMS_SRC)/module $(DKMS_SRC)/uapi/linux $(DKMS_SRC)/uapi $(DKMS_SRC); do \
		[ ! -d "$$d$$dir" ] || rmdir "$$d$$dir"; done; \
	echo "  UNINST  ktrace $(VERSION) from $${d:-/}$(PREFIX) and $$d$(DKMS_SRC)"

# ------------------------------------------------------------------- deb ---
# `make deb`: build/deb/ktrace_VERSION_amd64.deb (CLI, tools, man pages,
# docs, udev rule) and ktrace-dkms_VERSION_all.deb (module source, dkms.conf;
# its maintainer scripts, from dh_dkms, add/build/install and remove the
# module).  The packaging lives in user/debian/ and is copied to debian/ of a
# copy of the tree in build/deb/; the changelog entry is written here from
# module/version.h (a native package: its version is the release's).
deb:
	@test -n "$(VERSION)" || { echo "no KTRACE_VERSION in module/version.h" >&2; exit 1; }
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null || \
		{ echo "make deb needs dpkg-dev, debhelper and dh-dkms (make deps)" >&2; exit 1; }
	@set -e; out=$(BUILD)/deb; src=$$out/ktrace-$(VERSION); rm -rf $$out; mkdir -p $$src; \
	tar -C $(TOP) --exclude-vcs --exclude-vcs-ignores --exclude=./build -cf - . | tar -C $$src -xf -; \
	cp -a $(TOP)/user/debian $$src/debian; \
	when=$${SOURCE_DATE_EPOCH:-$$(git -C $(TOP) log -1 --format=%ct 2>/dev/null || date +%s)}; \
	{ echo "ktrace ($(VERSION)) unstable; urgency=medium"; echo; \
	  echo "  * ktrace $(VERSION) (module/version.h)."; echo; \
	  echo " -- $$(sed -n 's/^Maintainer: //p' $(TOP)/user/debian/control)  $$(date -R -u -d @$$when)"; \
	} >$$src/debian/changelog; \
	cd $$src && dpkg-buildpackage -b -us -uc >$$out/build.log 2>&1 || \
		{ tail -n 30 $$out/build.log >&2; echo "dpkg-buildpackage failed (build/deb/build.log)" >&2; exit 1; }; \
	ls $$out/*.deb | sed 's|^$(TOP)/|  DEB     |'

# ------------------------------------------------------------------ hooks ---
fuzz:
	$(MAKE) -C selftests fuzz

bench-host:
	$(MAKE) -C selftests bench-host

bench:
	@$(MAKE) deps-if-missing || { echo "make deps failed" >&2; exit 1; }
	@$(MAKE) all
	selftests/bench/run

clean:
	-@test -d "$(KDIR)" && $(MAKE) -C $(KDIR) M=$(TOP) clean
	-@[ -f user/Makefile ] && $(MAKE) -C user clean
	rm -rf $(BUILD)/cloud $(BUILD)/generic $(BUILD)/rt $(BUILD)/debug $(BUILD)/bench-phase $(BUILD)/selftests $(BUILD)/vm-check $(BUILD)/deb $(RESULTS)
