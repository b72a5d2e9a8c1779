#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 3 (a hot function among twelve): the solution names it; another stage is wrong.
. "$(dirname "$0")/lib.sh"
wrong() { echo parse_template tokenize_input; }
lab_test 3
