#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 10 (lookup()'s slow mode): the solution gives its bucket; 1 ms and 10 s are outside every slow band.
. "$(dirname "$0")/lib.sh"
wrong() { echo 1ms 10s; }
lab_test 10
