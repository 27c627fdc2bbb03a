/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_relpath.c - relpath_check on any bytes: it never reads past n, and
 * whatever it takes holds the properties the receiver relies on when it
 * joins the path under its inbox (checked here a second, simpler way).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "limits.h"
#include "relpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	const char *why = NULL;
	size_t start = 0, depth = 0;
	char *p;
	int r;

	/* A copy of exactly n bytes, so ASan sees any read past the end. */
	if ((p = malloc(n > 0 ? n : 1)) == NULL)
		return 0;
	memcpy(p, d, n);
	r = relpath_check(p, n, &why);
	if (r != 0) {
		if (r != ERR_FORMAT || why == NULL || why[0] == '\0')
			__builtin_trap();
		free(p);
		return 0;
	}
	if (why != NULL || n == 0 || n > FILES_PATH_MAX || p[0] == '/' ||
	    !buf_utf8_valid(d, n) || memchr(p, '\\', n) != NULL || memchr(p, '\0', n) != NULL)
		__builtin_trap();
	for (size_t i = 0; i < n; i++) {
		uint8_t c = d[i];

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F ||
		    (c == 0xC2 && d[i + 1] < 0xA0))
			__builtin_trap();
	}
	while (start <= n) {
		const char *slash = memchr(p + start, '/', n - start);
		size_t end = slash != NULL ? (size_t)(slash - p) : n, len = end - start;

		depth++;
		if (len == 0 || len > FILES_COMPONENT_MAX ||
		    (len == 1 && p[start] == '.') ||
		    (len == 2 && p[start] == '.' && p[start + 1] == '.') ||
		    p[end - 1] == '.' || p[end - 1] == ' ')
			__builtin_trap();
		start = end + 1;
	}
	if (depth > FILES_DEPTH_MAX)
		__builtin_trap();
	free(p);
	return 0;
}
