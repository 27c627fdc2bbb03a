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

#include "droplink.h"
#include "err.h"
#include "i18n.h"
#include "link_url.h"

static const char scheme[] = "fernsicht://";

/* HOST[:PORT] is parsed as in a drop link: one grammar, one parser. */
_Static_assert(sizeof(((struct link_url *)0)->relay) >= DROPLINK_RELAY_MAX + 1,
    "a drop link's relay fits in a link's");

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
	switch (droplink_authority_parse(a, n, u->relay)) {
	case DROPLINK_AUTHORITY_OK:
		return NULL;
	case DROPLINK_AUTHORITY_EMPTY:
	case DROPLINK_AUTHORITY_NO_HOST:
		return _("the link names no host (fernsicht://HOST/NNNNN)");
	case DROPLINK_AUTHORITY_LEADING:
	case DROPLINK_AUTHORITY_HOST_CHAR:
		return _("the host in the link may only contain letters, digits, '-' and '.'");
	case DROPLINK_AUTHORITY_IPV6:
		return _("the IPv6 address in the link is malformed");
	case DROPLINK_AUTHORITY_TOO_LONG:
		return _("the host name in the link is too long");
	case DROPLINK_AUTHORITY_PORT:
		break;
	}
	return _("the port in the link must be a number from 1 to 65535");
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
