/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_keyvalue.c - the settings files' lines (proto/keyvalue.c) on any
 * bytes: it never reads past n, ends, and whatever it hands out holds
 * what net/settings.c relies on (checked here a second, simpler way): a
 * pair's key is in the table and its value is non-empty, trimmed, within
 * the line limit and free of control characters; lines only go forward;
 * after a refusal only the end follows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keyvalue.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const struct keyvalue_key keys[] = {
	{ "relay", 0 },
	{ "listen", KEYVALUE_REPEATABLE },
	{ "proxy-user", KEYVALUE_SECRET },
	{ "a", 0 },
};

static void
check_text(const char *s)
{
	size_t len = strlen(s);

	if (len > CONFIG_LINE_MAX_BYTES)
		__builtin_trap();
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < ' ' && c != '\t') || c == 0x7f)
			__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct keyvalue_reader *rd = malloc(sizeof(*rd));
	struct keyvalue_item it;
	unsigned last = 0, items = 0;
	char *p;

	/* A copy of exactly n bytes, so ASan sees any read past the end. */
	if (rd == NULL || (p = malloc(n > 0 ? n : 1)) == NULL) {
		free(rd);
		return 0;
	}
	memcpy(p, d, n);
	keyvalue_init(rd, keys, sizeof(keys) / sizeof(keys[0]), p, n);
	for (;;) {
		keyvalue_next(rd, &it);
		if (it.kind == KEYVALUE_END)
			break;
		/* At most one item per line, plus nothing: it must end. */
		if (++items > n + 1)
			__builtin_trap();
		if (it.kind == KEYVALUE_BAD) {
			keyvalue_next(rd, &it);
			if (it.kind != KEYVALUE_END)
				__builtin_trap();
			break;
		}
		if (it.line <= last || it.line > n + 1)
			__builtin_trap();
		last = it.line;
		if (it.kind == KEYVALUE_UNKNOWN) {
			check_text(it.name);
			continue;
		}
		/* a pair */
		if (it.key >= sizeof(keys) / sizeof(keys[0]) || it.value[0] == '\0' ||
		    it.value[0] == ' ' || it.value[0] == '\t' ||
		    it.value[strlen(it.value) - 1] == ' ' || it.value[strlen(it.value) - 1] == '\t')
			__builtin_trap();
		check_text(it.value);
		if (it.again && (keys[it.key].flags & KEYVALUE_REPEATABLE))
			__builtin_trap();
	}
	keyvalue_wipe(rd);
	free(rd);
	free(p);
	return 0;
}
