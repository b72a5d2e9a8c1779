#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 2 (one ingest worker reads a byte at a time): the solution names its pid;
# another worker's pid is wrong.
. "$(dirname "$0")/lib.sh"
wrong() { comm_pids ingest; }
lab_test 2
