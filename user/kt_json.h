/* SPDX-License-Identifier: GPL-2.0 */
/* kt_json.h: the JSON string writer (json_str.c), shared by every program that prints JSON. */
#ifndef KT_JSON_H
#define KT_JSON_H

#include <stdio.h>

/* s as a JSON string, quotes included */
void kt_json_string(FILE *fp, const char *s);

#endif
