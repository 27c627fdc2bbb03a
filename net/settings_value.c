/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings_value.c - the checks of values that every program's settings
 * may take (settings.h): paths and numbers, refused in the same words by
 * all three.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "settings.h"

static int
refuse(char *want, size_t want_len, const char *text)
{
	snprintf(want, want_len, "%s", text);
	return ERR_FORMAT;
}

static bool
utf8(const char *v)
{
	return buf_utf8_valid((const uint8_t *)v, strlen(v));
}

int
settings_value_path(const char *v, char *want, size_t want_len)
{
	return v[0] == '/' && utf8(v) ? 0 : refuse(want, want_len, _("an absolute path"));
}

int
settings_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	unsigned long n;
	char *end;

	/* strtoul alone would take blanks, a sign, and "-1" as ULONG_MAX */
	errno = 0;
	n = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != '\0' || n < lo || n > hi)
		return ERR_FORMAT;
	*out = n;
	return 0;
}

int
settings_value_number(const char *v, unsigned long min, unsigned long max, unsigned long *out,
    char *want, size_t want_len)
{
	if (settings_parse_uint(v, min, max, out) != 0) {
		snprintf(want, want_len, _("a number in %lu..%lu"), min, max);
		return ERR_FORMAT;
	}
	return 0;
}
