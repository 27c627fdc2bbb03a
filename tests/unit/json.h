/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - a tiny JSON reader for the unit tests' vector files.
 *
 * Test-only and for trusted input: it walks the text in place and never
 * builds a tree. A value is a pointer to its first character; objects and
 * arrays are walked with json_first()/json_next(), where an object's
 * element is its member's key (json_value() gives the member's value).
 * Malformed input is not diagnosed; at worst a lookup gives NULL.
 * Functions are inline only so that a test need not use all of them.
 */
#ifndef TEST_JSON_H
#define TEST_JSON_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file as a NUL-terminated string (free() it), or NULL. */
static inline char *
json_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (s = malloc((size_t)n + 1)) != NULL) {
		if (fread(s, 1, (size_t)n, f) != (size_t)n) {
			free(s);
			s = NULL;
		} else {
			s[n] = '\0';
		}
	}
	fclose(f);
	return s;
}

static inline const char *
json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Past the string starting at p (which points at its opening quote). */
static inline const char *
json_skip_str(const char *p)
{
	for (p++; *p != '\0' && *p != '"'; p++)
		if (*p == '\\' && p[1] != '\0')
			p++;
	return *p == '"' ? p + 1 : p;
}

/* Past the value starting at p. */
static inline const char *
json_skip(const char *p)
{
	int depth = 0;

	p = json_ws(p);
	if (*p == '"')
		return json_skip_str(p);
	if (*p != '{' && *p != '[') {
		/* number, true, false, null */
		while (*p != '\0' && strchr(",]} \t\r\n", *p) == NULL)
			p++;
		return p;
	}
	do {
		if (*p == '"') {
			p = json_skip_str(p);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		p++;
	} while (*p != '\0' && depth > 0);
	return p;
}

/* The first element of an array or object, or NULL when empty or not one. */
static inline const char *
json_first(const char *p)
{
	if (p == NULL)
		return NULL;
	p = json_ws(p);
	if (*p != '{' && *p != '[')
		return NULL;
	p = json_ws(p + 1);
	return (*p == '}' || *p == ']') ? NULL : p;
}

/* For an object member (p at its key): its value. */
static inline const char *
json_value(const char *p)
{
	p = json_ws(json_skip_str(json_ws(p)));
	return *p == ':' ? json_ws(p + 1) : NULL;
}

/* The element after p, or NULL at the end of the array or object. */
static inline const char *
json_next(const char *p)
{
	p = json_ws(json_skip(p));
	if (*p == ':') /* p was a key: skip its value as well */
		p = json_ws(json_skip(p + 1));
	return *p == ',' ? json_ws(p + 1) : NULL;
}

/*
 * Copy the string value at p into out (NUL-terminated, escapes decoded;
 * \u gives only code points below 0x80). Returns its length, or -1 if p is
 * not a string or out is too small.
 */
static inline long
json_str(const char *p, char *out, size_t max)
{
	size_t n = 0;
	char c;

	if (p == NULL || *(p = json_ws(p)) != '"')
		return -1;
	for (p++; *p != '"'; p++) {
		if (*p == '\0' || n + 1 >= max)
			return -1;
		c = *p;
		if (c == '\\') {
			c = *++p;
			if (c == '\0')
				return -1;
			if (c == 'n')
				c = '\n';
			else if (c == 't')
				c = '\t';
			else if (c == 'r')
				c = '\r';
			else if (c == 'b')
				c = '\b';
			else if (c == 'f')
				c = '\f';
			else if (c == 'u') {
				char hex[5] = { 0 };

				if (strlen(p + 1) < 4)
					return -1;
				memcpy(hex, p + 1, 4);
				c = (char)strtol(hex, NULL, 16);
				p += 4;
			}
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return (long)n;
}

/* True when the string value at p equals s (keys and short strings). */
static inline bool
json_str_eq(const char *p, const char *s)
{
	char buf[256];

	return json_str(p, buf, sizeof(buf)) >= 0 && strcmp(buf, s) == 0;
}

/* The value of member name of the object at p, or NULL. */
static inline const char *
json_get(const char *p, const char *name)
{
	for (p = json_first(p); p != NULL; p = json_next(p))
		if (json_str_eq(p, name))
			return json_value(p);
	return NULL;
}

static inline long
json_int(const char *p)
{
	return p == NULL ? 0 : strtol(json_ws(p), NULL, 10);
}

static inline bool
json_is_true(const char *p)
{
	return p != NULL && strncmp(json_ws(p), "true", 4) == 0;
}

static inline bool
json_is_null(const char *p)
{
	return p == NULL || strncmp(json_ws(p), "null", 4) == 0;
}

static inline int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decode hex digits (either case) into out; -1 on a bad digit or no room. */
static inline long
hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t len = strlen(hex), i;

	if (len % 2 != 0 || len / 2 > max)
		return -1;
	for (i = 0; i < len / 2; i++) {
		int hi = hex_nibble(hex[2 * i]), lo = hex_nibble(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

/* The hex string value at p, decoded into out[0..max); length or -1. */
static inline long
json_hex(const char *p, uint8_t *out, size_t max)
{
	size_t cap = 2 * max + 1;
	char *s = malloc(cap);
	long n = -1;

	if (s != NULL && json_str(p, s, cap) >= 0)
		n = hex_decode(s, out, max);
	free(s);
	return n;
}

#endif
