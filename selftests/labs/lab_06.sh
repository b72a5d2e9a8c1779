#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 6 (the thread waiting 1 ms): the solution names its system call; another is wrong.
. "$(dirname "$0")/lib.sh"
wrong() { echo nanosleep poll; }
lab_test 6
