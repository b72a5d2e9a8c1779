#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 9 (a leak by one of six handlers): the solution names it; another handler is wrong.
. "$(dirname "$0")/lib.sh"
wrong() { echo handle_get handle_put; }
lab_test 9
