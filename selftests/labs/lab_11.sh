#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 11 (faults from one of five mapped files): the solution names it; another index file is wrong.
. "$(dirname "$0")/lib.sh"
wrong() { echo users.idx orders.idx; }
lab_test 11
