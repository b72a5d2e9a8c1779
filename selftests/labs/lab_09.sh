#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 9 (lookup()'s slow mode): the solution gives its bucket; 1 ms and 100 ms are outside every slow band.
. "$(dirname "$0")/lib.sh"
wrong() { echo 1ms 100ms; }
lab_test 9
