/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "sniff.h"

/* p[0..n) against a word: SNIFF_MORE while it is a prefix, else whether it matched. */
static enum sniff_kind
word(const uint8_t *p, size_t n, const char *w, enum sniff_kind hit)
{
	size_t k = strlen(w);

	if (memcmp(p, w, n < k ? n : k) != 0)
		return SNIFF_RAW;
	return n < k ? SNIFF_MORE : hit;
}

enum sniff_kind
sniff(const uint8_t *p, size_t n)
{
	static const char tls[] = { 0x16, 0x03, 0 };

	if (n == 0)
		return SNIFF_MORE;
	switch (p[0]) {
	case 0x16:
		return word(p, n, tls, SNIFF_TLS);
	case 'G':
		return word(p, n, "GET ", SNIFF_HTTP);
	case 'P':
		return word(p, n, "POST ", SNIFF_HTTP);
	default:
		return SNIFF_RAW;
	}
}
