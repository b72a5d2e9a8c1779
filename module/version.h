/* SPDX-License-Identifier: GPL-2.0 */
/*
 * version.h: the ktrace release, written here and nowhere else.  The module
 * (MODULE_VERSION, `modinfo ktrace`), the CLI (`ktrace -V`) include it; the
 * Makefile reads it for `make install` (/usr/src/ktrace-VERSION, dkms.conf,
 * the man pages' footer) and `make deb` (the packages' version).
 */
#ifndef KTRACE_VERSION_H
#define KTRACE_VERSION_H

#define KTRACE_VERSION "0.1.0"

#endif /* KTRACE_VERSION_H */
