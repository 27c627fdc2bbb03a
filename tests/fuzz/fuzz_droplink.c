/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_droplink.c - droplink_parse on any text: no read past the end, a
 * reason for every refusal, and whatever it takes formats back to a link
 * that parses to the same fields. The same bytes as a relay's answer to a
 * drop request (drop_answer.h): a value taken is short enough and of the
 * allowed characters only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drop_answer.h"
#include "droplink.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static void
answer(const uint8_t *d, size_t n)
{
	static const char *const keys[] = { "id", "put", "link", "get", "size", "have" };
	char v[81];
	uint64_t num;

	for (unsigned k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		for (unsigned i = 0; i < 3; i++) {
			if (drop_answer_field(d, n, keys[k], i, v, sizeof(v) - 1) != 0)
				continue;
			if (v[0] == '\0' || strlen(v) > sizeof(v) - 1 ||
			    strspn(v, "0123456789abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") != strlen(v))
				__builtin_trap();
			if (drop_answer_number(v, &num) == 0 && strlen(v) > 19)
				__builtin_trap();
		}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct droplink a, b;
	char out[DROP_LINK_MAX_BYTES + 1];
	const char *why = NULL;
	char *text;

	answer(d, n);
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
