/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_droplink.c - droplink_parse on any text: no read past the end, a
 * reason for every refusal, and whatever it takes formats back to a link
 * that parses to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "droplink.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct droplink a, b;
	char out[DROP_LINK_MAX_BYTES + 1];
	const char *why = NULL;
	char *text;

	if ((text = malloc(n + 1)) == NULL)
		return 0;
	memcpy(text, d, n);
	text[n] = '\0';
	if (droplink_parse(text, &a, &why) != 0) {
		if (why == NULL || a.relay[0] != '\0' || a.has_key)
			__builtin_trap();
		free(text);
		return 0;
	}
	if (why != NULL || a.relay[0] == '\0' || a.token[0] == '\0')
		__builtin_trap();
	if (droplink_format(out, sizeof(out), a.relay, a.token, a.has_key ? a.key : NULL) != 0 ||
	    droplink_parse(out, &b, &why) != 0 || strcmp(a.relay, b.relay) != 0 ||
	    strcmp(a.token, b.token) != 0 || a.has_key != b.has_key ||
	    memcmp(a.key, b.key, sizeof(a.key)) != 0)
		__builtin_trap();
	free(text);
	return 0;
}
