/* SPDX-License-Identifier: Apache-2.0 */
/* drop_answer.c - the relay's answers to the file drop's requests (drop_answer.h). */
#include <string.h>

#include "drop_answer.h"

static int
value_char(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    ch == '-' || ch == '_';
}

int
drop_answer_field(const uint8_t *p, size_t n, const char *key, unsigned index, char *v,
    size_t max)
{
	const char *s = (const char *)p, *end = s + n;
	size_t klen = strlen(key);
	unsigned seen = 0;

	v[0] = '\0';
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);

		if (len > klen && memcmp(s, key, klen) == 0 && s[klen] == '=' && seen++ == index) {
			size_t vn = len - klen - 1;

			if (vn == 0 || vn > max)
				return ERR_FORMAT;
			for (size_t i = 0; i < vn; i++)
				if (!value_char(s[klen + 1 + i]))
					return ERR_FORMAT;
			memcpy(v, s + klen + 1, vn);
			v[vn] = '\0';
			return 0;
		}
		s += len + 1;
	}
	return ERR_FORMAT;
}

int
drop_answer_number(const char *s, uint64_t *v)
{
	*v = 0;
	/* 19 digits always fit in 64 bits */
	if (s[0] == '\0' || strlen(s) > 19)
		return ERR_FORMAT;
	for (const char *p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return ERR_FORMAT;
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	return 0;
}
