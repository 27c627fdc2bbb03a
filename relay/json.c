/* SPDX-License-Identifier: Apache-2.0 */
/* json.c - the admin API's JSON text (json.h). */
#include <stdarg.h>
#include <stdio.h>

#include "err.h"
#include "json.h"

void
json_put(struct json *j, const char *fmt, ...)
{
	char piece[256];
	va_list ap;
	int n;

	if (j->err != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(piece)) {
		j->err = ERR_INTERNAL;
		return;
	}
	j->err = buf_put_bytes(j->out, piece, (size_t)n);
}

void
json_str(struct json *j, const char *s)
{
	unsigned char c;

	json_put(j, "\"");
	for (; j->err == 0 && (c = (unsigned char)*s) != '\0'; s++) {
		if (c == '"' || c == '\\')
			json_put(j, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			json_put(j, "\\u%04x", c);
		else
			j->err = buf_put_u8(j->out, c);
	}
	json_put(j, "\"");
}
