// SPDX-License-Identifier: GPL-2.0
/*
 * json_str.c: a string as a JSON string, the one writer of them: ktrace's
 * --format json (json.c), the exporter, ktrace-timeline's trace events and
 * ktrace-analytics' API all print their text through it.  Quotes and
 * backslashes escaped, \n \t \r as such, other control characters and DEL
 * as \u00XX; other bytes as they are (UTF-8 passes through).
 */
#include "kt_json.h"

void kt_json_string(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': fputs("\\\"", fp); break;
		case '\\': fputs("\\\\", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\t': fputs("\\t", fp); break;
		case '\r': fputs("\\r", fp); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(fp, "\\u%04x", c);
			else
				fputc(c, fp);
		}
	}
	fputc('"', fp);
}
