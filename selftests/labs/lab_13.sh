#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 13 (one of four null_blk disks completes in 50 ms): the solution names it; nullb0 (the guest's own) is wrong.
. "$(dirname "$0")/lib.sh"
[ -d /sys/module/null_blk ] || ktap_skip_all "no null_blk in this kernel (make vm-check loads it: VM_EXTRA_MODULES)"
wrong() { echo nullb0 nullb99; }
lab_test 13
