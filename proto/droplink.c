/* SPDX-License-Identifier: Apache-2.0 */
/*
 * droplink.c - fernsicht://HOST[:PORT]/drop/TOKEN[#KEY] (droplink.h).
 *
 * The grammar is the small one of the session links (viewer/link_url.c),
 * with the drop's path and fragment: what it names ends up in a request
 * to a relay, so nothing is guessed at. The HOST[:PORT] parser here is the
 * session links' too.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "droplink.h"

static const char SCHEME[] = "fernsicht://";
static const char PATH[] = "/drop/";

enum {
	PORT_DIGITS_MAX = 5,
	PORT_MAX = 65535,
	KEY_TEXT_LEN = 43,              /* base64url of 32 bytes, no padding */
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_b64url(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
	    c == '_';
}

static bool
is_host_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
	    c == '.';
}

static bool
is_v6_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
	    c == '.';
}

enum droplink_authority_fault
droplink_authority_parse(const char *a, size_t n, char relay[DROPLINK_RELAY_MAX + 1])
{
	size_t host_len;
	unsigned long port = 0;

	if (n == 0)
		return DROPLINK_AUTHORITY_EMPTY;
	if (a[0] == '[') {
		const char *close = memchr(a, ']', n);

		if (close == NULL)
			return DROPLINK_AUTHORITY_IPV6;
		host_len = (size_t)(close - a) + 1;
		for (size_t i = 1; i + 1 < host_len; i++)
			if (!is_v6_char(a[i]))
				return DROPLINK_AUTHORITY_IPV6;
		if (host_len < 4 || memchr(a + 1, ':', host_len - 2) == NULL ||
		    (host_len < n && a[host_len] != ':'))
			return DROPLINK_AUTHORITY_IPV6;
	} else {
		const char *colon = memchr(a, ':', n);

		host_len = colon != NULL ? (size_t)(colon - a) : n;
		if (host_len == 0)
			return DROPLINK_AUTHORITY_NO_HOST;
		if (a[0] == '-' || a[0] == '.')
			return DROPLINK_AUTHORITY_LEADING;
		for (size_t i = 0; i < host_len; i++)
			if (!is_host_char(a[i]))
				return DROPLINK_AUTHORITY_HOST_CHAR;
	}
	if (host_len > LINK_URL_HOST_MAX_BYTES)
		return DROPLINK_AUTHORITY_TOO_LONG;
	if (host_len < n) {             /* a[host_len] is ':' */
		size_t digits = n - host_len - 1;

		if (digits == 0 || digits > PORT_DIGITS_MAX)
			return DROPLINK_AUTHORITY_PORT;
		for (size_t i = 0; i < digits; i++) {
			if (!is_digit(a[host_len + 1 + i]))
				return DROPLINK_AUTHORITY_PORT;
			port = port * 10 + (unsigned long)(a[host_len + 1 + i] - '0');
		}
		if (port == 0 || port > PORT_MAX)
			return DROPLINK_AUTHORITY_PORT;
	}
	memcpy(relay, a, n);            /* n <= host max + 6 */
	relay[n] = '\0';
	return DROPLINK_AUTHORITY_OK;
}

/* Why a drop link's relay is refused, in droplink_parse's words. */
static const char *
authority_why(enum droplink_authority_fault f)
{
	switch (f) {
	case DROPLINK_AUTHORITY_OK:
		return NULL;
	case DROPLINK_AUTHORITY_EMPTY:
		return "the drop link names no relay";
	case DROPLINK_AUTHORITY_NO_HOST:
	case DROPLINK_AUTHORITY_LEADING:
		return "the relay in the drop link is malformed";
	case DROPLINK_AUTHORITY_HOST_CHAR:
		return "the relay in the drop link may only contain letters, digits, '-' and '.'";
	case DROPLINK_AUTHORITY_IPV6:
		return "the IPv6 address in the drop link is malformed";
	case DROPLINK_AUTHORITY_TOO_LONG:
		return "the relay's name in the drop link is too long";
	case DROPLINK_AUTHORITY_PORT:
		break;
	}
	return "the port in the drop link must be a number from 1 to 65535";
}

bool
droplink_is(const char *text)
{
	size_t n = strlen(SCHEME);
	const char *slash;

	if (strncasecmp(text, SCHEME, n) != 0)
		return false;
	slash = strchr(text + n, '/');
	return slash != NULL && strncmp(slash, PATH, strlen(PATH)) == 0;
}

int
droplink_parse(const char *text, struct droplink *d, const char **why)
{
	size_t len = strnlen(text, DROP_LINK_MAX_BYTES + 1), n, tok_len;
	const char *rest, *slash, *hash, *problem = NULL;

	memset(d, 0, sizeof(*d));
	*why = NULL;
	if (len > DROP_LINK_MAX_BYTES) {
		*why = "the drop link is too long";
		return ERR_TOO_LARGE;
	}
	for (size_t i = 0; i < len && problem == NULL; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c <= ' ' || c > '~')
			problem = "the drop link may only contain printable ASCII characters, "
			    "without blanks";
		else if (c == '%' || c == '@' || c == '?')
			problem = "a drop link takes no percent-escapes, user name or query";
	}
	if (problem == NULL && (len < strlen(SCHEME) ||
	    strncasecmp(text, SCHEME, strlen(SCHEME)) != 0))
		problem = "a drop link starts with fernsicht://";
	if (problem != NULL)
		goto out;
	rest = text + strlen(SCHEME);
	n = len - strlen(SCHEME);
	if ((slash = memchr(rest, '/', n)) == NULL || (size_t)(slash - rest) > DROPLINK_RELAY_MAX) {
		problem = "the drop link has no /drop/ path after the relay";
		goto out;
	}
	if ((problem = authority_why(droplink_authority_parse(rest, (size_t)(slash - rest),
	    d->relay))) != NULL)
		goto out;
	if (strncmp(slash, PATH, strlen(PATH)) != 0) {
		problem = "the drop link has no /drop/ path after the relay";
		goto out;
	}
	rest = slash + strlen(PATH);
	hash = strchr(rest, '#');
	tok_len = hash != NULL ? (size_t)(hash - rest) : strlen(rest);
	if (tok_len == 0 || tok_len > DROP_LINK_TOKEN_MAX_BYTES) {
		problem = "the drop link's token is missing or too long";
		goto out;
	}
	for (size_t i = 0; i < tok_len; i++)
		if (!is_b64url(rest[i])) {
			problem = "the drop link's token may only contain base64url characters";
			goto out;
		}
	memcpy(d->token, rest, tok_len);
	if (hash != NULL) {
		size_t klen = strlen(hash + 1), got = 0;

		if (klen != KEY_TEXT_LEN ||
		    sodium_base642bin(d->key, sizeof(d->key), hash + 1, klen, NULL, &got, NULL,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || got != sizeof(d->key)) {
			problem = "the drop link's key (after #) is not 43 base64url characters";
			goto out;
		}
		d->has_key = true;
	}
	return 0;
out:
	sodium_memzero(d, sizeof(*d));
	*why = problem;
	return ERR_FORMAT;
}

int
droplink_format(char *out, size_t out_len, const char *relay, const char *token,
    const uint8_t *key)
{
	char k[KEY_TEXT_LEN + 1] = "";
	int n;

	if (key != NULL)
		sodium_bin2base64(k, sizeof(k), key, DROPLINK_KEY_LEN,
		    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(out, out_len, "%s%s%s%s%s%s", SCHEME, relay, PATH, token,
	    key != NULL ? "#" : "", k);
	sodium_memzero(k, sizeof(k));
	if (n < 0)
		return ERR_FORMAT;
	if ((size_t)n >= out_len) {
		if (out_len > 0)
			out[0] = '\0';
		return ERR_NO_SPACE;
	}
	return 0;
}
