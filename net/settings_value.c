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
settings_value_number(const char *v, unsigned long min, unsigned long max, unsigned long *out,
    char *want, size_t want_len)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (v[0] < '0' || v[0] > '9' || errno != 0 || *end != '\0' || n < min || n > max) {
		snprintf(want, want_len, _("a number in %lu..%lu"), min, max);
		return ERR_FORMAT;
	}
	*out = n;
	return 0;
}
