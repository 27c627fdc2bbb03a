/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_log.c - log_json_escape(), which puts whatever a log line holds
 * (peer names already through log_escape, file paths, strerror texts)
 * into a JSON string: the output must always be one valid JSON string's
 * inside, valid UTF-8, within its buffer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* The inside of a JSON string: no raw '"' or control byte, only the escapes
 * log_json_escape writes, valid UTF-8. */
static bool
json_inside_ok(const char *s, size_t n)
{
	size_t i;

	if (!buf_utf8_valid((const uint8_t *)s, n))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == 0x7F)
			return false;
		if (c != '\\')
			continue;
		if (++i >= n)
			return false;
		if (s[i] == 'u') {
			if (n - i < 5 || s[i + 1] != '0' || s[i + 2] != '0')
				return false;
			i += 4;
		} else if (strchr("\"\\nrt", s[i]) == NULL || s[i] == '\0') {
			return false;
		}
	}
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char out[6 * 256 + 1];
	size_t out_len, w;

	if (n == 0)
		return 0;
	/* the first byte picks the room: cuts must fall between whole escapes */
	out_len = (size_t)d[0] * 6 + 1;
	d++;
	n--;
	if (n > 256)
		n = 256;
	w = log_json_escape(out, out_len, d, n);
	if (w >= out_len || out[w] != '\0' || strlen(out) != w || !json_inside_ok(out, w))
		__builtin_trap();
	/* with room for all of it, nothing is cut: at least a byte out per byte in */
	if (out_len >= 6 * n + 1 && w < n)
		__builtin_trap();
	return 0;
}
