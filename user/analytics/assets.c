// SPDX-License-Identifier: GPL-2.0
/*
 * assets.c: the page's files, built into the binary (.incbin of the sources
 * in user/analytics/, KA_ASSET_DIR from the Makefile): the page works with
 * no network and no files beside the binary.
 */
#include <string.h>
#include "analytics.h"

#define KA_INCBIN(sym, file)							\
	__asm__(".section .rodata\n"						\
		".global " #sym "\n" #sym ":\n"					\
		".incbin \"" KA_ASSET_DIR "/" file "\"\n"			\
		".global " #sym "_end\n" #sym "_end:\n"				\
		".byte 0\n"							\
		".previous\n");							\
	extern const char sym[], sym##_end[]

KA_INCBIN(ka_page_html, "page.html");
KA_INCBIN(ka_page_js, "analytics.js");
KA_INCBIN(ka_page_css, "analytics.css");

const struct ka_asset *ka_asset_find(const char *path)
{
	static struct ka_asset assets[] = {
		{ "/", "text/html; charset=utf-8", ka_page_html, 0 },
		{ "/analytics.js", "text/javascript; charset=utf-8", ka_page_js, 0 },
		{ "/analytics.css", "text/css; charset=utf-8", ka_page_css, 0 },
	};
	static const char *const ends[] = { ka_page_html_end, ka_page_js_end, ka_page_css_end };

	for (size_t i = 0; i < sizeof(assets) / sizeof(assets[0]); i++) {
		if (strcmp(assets[i].path, path))
			continue;
		assets[i].len = (size_t)(ends[i] - assets[i].data);
		return &assets[i];
	}
	return NULL;
}
