/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link_url.c - fernsicht://HOST[:PORT]/NNNNN (link_url.h).
 *
 * Strict on purpose: a link is hostile input, and what it names ends up
 * in a connect() and in the start window. So the grammar is the small one
 * above, without RFC 3986's generality: no userinfo (a host name hidden
 * behind "trusted.example@" is a classic trick), no percent-escapes (one
 * text, one meaning), nothing after the number.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "i18n.h"
#include "link_url.h"

static const char scheme[] = "fernsicht://";

enum {
	PORT_DIGITS_MAX = 5,
	PORT_MAX = 65535,
};

bool
link_url_is(const char *arg)
{
	return strncasecmp(arg, scheme, sizeof(scheme) - 3) == 0;   /* "fernsicht:" */
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
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
	/* Hex digits, ':' and '.' (an IPv4-mapped tail); no zone ids. */
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
	    c == '.';
}

/* The digits in s[0..n) as a number within lo..hi, at most max_digits. */
static bool
number_in(const char *s, size_t n, size_t max_digits, unsigned long lo, unsigned long hi,
    unsigned long *v)
{
	*v = 0;
	if (n == 0 || n > max_digits)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
		*v = *v * 10 + (unsigned long)(s[i] - '0');
	}
	return *v >= lo && *v <= hi;
}

/* HOST[:PORT] in a[0..n) into u->relay; NULL, or why it is refused. */
static const char *
authority(const char *a, size_t n, struct link_url *u)
{
	const char *port = NULL;
	size_t host_len, port_len = 0;
	unsigned long v;

	if (n == 0)
		return _("the link names no host (fernsicht://HOST/NNNNN)");
	if (a[0] == '[') {
		const char *close = memchr(a, ']', n);

		if (close == NULL)
			return _("the IPv6 address in the link is malformed");
		host_len = (size_t)(close - a) + 1;
		for (size_t i = 1; i + 1 < host_len; i++)
			if (!is_v6_char(a[i]))
				return _("the IPv6 address in the link is malformed");
		if (host_len < 4 || memchr(a + 1, ':', host_len - 2) == NULL)
			return _("the IPv6 address in the link is malformed");
		if (host_len < n && a[host_len] != ':')
			return _("the IPv6 address in the link is malformed");
	} else {
		const char *colon = memchr(a, ':', n);

		host_len = colon != NULL ? (size_t)(colon - a) : n;
		if (host_len == 0)
			return _("the link names no host (fernsicht://HOST/NNNNN)");
		for (size_t i = 0; i < host_len; i++)
			if (!is_host_char(a[i]))
				return _("the host in the link may only contain letters, digits, "
				    "'-' and '.'");
		/* Never anything an option parser could take for an option. */
		if (a[0] == '-' || a[0] == '.')
			return _("the host in the link may only contain letters, digits, "
			    "'-' and '.'");
	}
	if (host_len > LINK_URL_HOST_MAX_BYTES)
		return _("the host name in the link is too long");
	if (host_len < n) {             /* a[host_len] is ':' */
		port = a + host_len + 1;
		port_len = n - host_len - 1;
		if (!number_in(port, port_len, PORT_DIGITS_MAX, 1, PORT_MAX, &v))
			return _("the port in the link must be a number from 1 to 65535");
	}
	memcpy(u->relay, a, host_len);
	if (port != NULL) {
		u->relay[host_len] = ':';
		memcpy(u->relay + host_len + 1, port, port_len);
	}
	return NULL;
}

int
link_url_parse(const char *text, struct link_url *u, char *why, size_t why_len)
{
	size_t len = strnlen(text, LINK_URL_MAX_BYTES + 1), n;
	const char *rest, *slash, *problem = NULL;
	int r = ERR_FORMAT;

	memset(u, 0, sizeof(*u));
	if (len > LINK_URL_MAX_BYTES) {
		snprintf(why, why_len, _("the link is longer than %d characters"),
		    LINK_URL_MAX_BYTES);
		return ERR_TOO_LARGE;
	}
	for (size_t i = 0; i < len && problem == NULL; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c <= ' ' || c > '~')
			problem = _("the link may only contain printable ASCII characters, "
			    "without blanks");
		else if (c == '%')
			problem = _("a fernsicht:// link takes no percent-escapes");
		else if (c == '@')
			problem = _("a fernsicht:// link carries no user name or password");
		else if (c == '?' || c == '#')
			problem = _("a fernsicht:// link has no query (?) or fragment (#)");
	}
	if (problem == NULL && (len < sizeof(scheme) - 1 ||
	    strncasecmp(text, scheme, sizeof(scheme) - 1) != 0))
		problem = _("the link must start with fernsicht://");
	if (problem != NULL)
		goto out;
	rest = text + sizeof(scheme) - 1;
	n = len - (sizeof(scheme) - 1);
	slash = memchr(rest, '/', n);
	if ((problem = authority(rest, slash != NULL ? (size_t)(slash - rest) : n, u)) != NULL)
		goto out;
	if (slash == NULL || slash[1] == '\0') {
		problem = _("the link has no session number (fernsicht://HOST/NNNNN)");
		goto out;
	}
	rest = slash + 1;
	n = strcspn(rest, "/");
	if (!number_in(rest, n, SESSION_NUMBER_DIGITS, SESSION_NUMBER_MIN, SESSION_NUMBER_MAX,
	    &u->session) || n != SESSION_NUMBER_DIGITS) {
		problem = _("the session number in the link must be five digits");
		goto out;
	}
	if (rest[n] != '\0') {
		problem = _("the link goes on after the session number");
		goto out;
	}
	r = 0;
out:
	if (r != 0) {
		memset(u, 0, sizeof(*u));
		snprintf(why, why_len, "%s", problem);
	}
	return r;
}
