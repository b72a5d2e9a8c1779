#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 12 (one of four readers also writes the file): the solution names its pid; any other process of the lab is wrong.
. "$(dirname "$0")/lib.sh"
wrong() { lab_procs; }
lab_test 12
