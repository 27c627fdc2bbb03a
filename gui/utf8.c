/* SPDX-License-Identifier: Apache-2.0 */
/* utf8.c - cutting and cleaning UTF-8 for the windows (utf8.h). */
#include <stdbool.h>
#include <string.h>

#include "utf8.h"

static bool
continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

size_t
gui_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	/* s[max] is the first byte left out: step back while it continues
	 * the character before it. */
	while (max > 0 && continuation((unsigned char)s[max]))
		max--;
	return max;
}

size_t
gui_utf8_prev(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && continuation((unsigned char)s[at]))
		at--;
	return at;
}

/* The code point at s[0..n) into *cp; returns its length (>= 1), or 0 for
 * a byte that does not begin a valid, shortest-form character. */
static size_t
decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t need, k;
	uint32_t c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		need = 1; c &= 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2; c &= 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3; c &= 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (need > n - 1)
		return 0;
	for (k = 1; k <= need; k++) {
		if (!continuation(s[k]))
			return 0;
		c = c << 6 | (s[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return need + 1;
}

/* Characters that would change how the text around them looks, or
 * move the line: never shown. */
static bool
hidden(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t
gui_utf8_clean(char *out, size_t out_size, const char *s, size_t n)
{
	static const char replacement[] = "\xEF\xBF\xBD";       /* U+FFFD */
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, len, w;
	const char *from;
	uint32_t cp;

	while (i < n) {
		len = decode(p + i, n - i, &cp);
		if (len == 0) {
			from = replacement;
			w = 3;
			i++;
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			from = " ";
			w = 1;
			i += len;
		} else if (hidden(cp)) {
			i += len;
			continue;
		} else {
			from = s + i;
			w = len;
			i += len;
		}
		if (w > out_size - 1 - o)
			break;
		memcpy(out + o, from, w);
		o += w;
	}
	out[o] = '\0';
	return o;
}
