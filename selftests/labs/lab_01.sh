#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 1 (configd retries a missing file): the reference solution names the path.
. "$(dirname "$0")/lib.sh"
wrong() { echo /etc/hostname /etc/passwd; }
lab_test 1
