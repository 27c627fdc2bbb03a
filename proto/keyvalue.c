/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyvalue.c - the lines of a settings file (keyvalue.h). Each line is
 * measured and looked at for control characters in the text itself,
 * before it is copied: a NUL would otherwise end the copy early and let
 * the rest of the line pass unseen.
 */
#include <string.h>

#include "err.h"
#include "keyvalue.h"

void
keyvalue_init(struct keyvalue_reader *l, const struct keyvalue_key *keys, unsigned n_keys,
    const char *text, size_t len)
{
	/* The table is the program's own: too big a one is a bug, not input. */
	BUG_ON(n_keys > CONFIG_KEYS_MAX);
	memset(l, 0, sizeof(*l));
	l->text = text;
	l->len = len;
	l->keys = keys;
	l->n_keys = n_keys;
}

void
keyvalue_wipe(struct keyvalue_reader *l)
{
	explicit_bzero(l->buf, sizeof(l->buf));
}

static char *
trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	return s;
}

static void
bad(struct keyvalue_reader *l, struct keyvalue_item *it, enum keyvalue_problem p)
{
	it->kind = KEYVALUE_BAD;
	it->problem = p;
	l->done = true;
}

/* One line of n bytes at text + at (without its "\n"): 1 with *it filled,
 * 0 for a blank or comment line. */
static int
one_line(struct keyvalue_reader *l, const char *raw, size_t n, struct keyvalue_item *it)
{
	char *key, *value, *eq;
	unsigned k;

	if (n > CONFIG_LINE_MAX_BYTES) {
		bad(l, it, KEYVALUE_LINE_TOO_LONG);
		return 1;
	}
	if (n > 0 && raw[n - 1] == '\r')
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)raw[i];

		if ((ch < ' ' && ch != '\t') || ch == 0x7f) {
			it->byte = ch;
			bad(l, it, KEYVALUE_CONTROL);
			return 1;
		}
	}
	memcpy(l->buf, raw, n);
	l->buf[n] = '\0';
	key = trim(l->buf, l->buf + n);
	if (key[0] == '\0' || key[0] == '#')
		return 0;
	if ((eq = strchr(key, '=')) == NULL) {
		bad(l, it, KEYVALUE_NO_EQUALS);
		return 1;
	}
	value = trim(eq + 1, key + strlen(key));
	key = trim(key, eq);
	if (key[0] == '\0') {
		bad(l, it, KEYVALUE_NO_KEY);
		return 1;
	}
	for (k = 0; k < l->n_keys && strcmp(key, l->keys[k].name) != 0; k++)
		;
	if (k == l->n_keys) {
		it->kind = KEYVALUE_UNKNOWN;
		it->name = key;
		return 1;
	}
	it->key = k;
	if (value[0] == '\0') {
		bad(l, it, KEYVALUE_EMPTY_VALUE);
		return 1;
	}
	it->kind = KEYVALUE_PAIR;
	it->value = value;
	it->again = (l->seen & (UINT64_C(1) << k)) != 0 &&
	    (l->keys[k].flags & KEYVALUE_REPEATABLE) == 0;
	l->seen |= UINT64_C(1) << k;
	return 1;
}

void
keyvalue_next(struct keyvalue_reader *l, struct keyvalue_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = KEYVALUE_END;
	if (l->done)
		return;
	if (l->len > CONFIG_FILE_MAX_BYTES) {
		bad(l, it, KEYVALUE_FILE_TOO_BIG);
		return;
	}
	while (l->at < l->len) {
		const char *raw = l->text + l->at;
		const char *nl = memchr(raw, '\n', l->len - l->at);
		size_t n = nl != NULL ? (size_t)(nl - raw) : l->len - l->at;

		l->line++;
		it->line = l->line;
		l->at += n + (nl != NULL);
		if (one_line(l, raw, n, it))
			return;
	}
	it->line = 0;
	l->done = true;
}
