/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_url.c - --cluster and --advertise as text (the contract is in
 * redis_url.h). Host and port split as everywhere else (net.h). The
 * user and password are decoded straight from the caller's text into
 * struct redis_url: no other copy of them is made here.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "net.h"
#include "redis_url.h"

enum { REDIS_DB_MAX = 65535 };          /* Redis's own limit is its "databases" setting */

static const char scheme[] = "redis://";

/* No byte that would break a key's value or a log line. */
static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s == 0x7f)
			return false;
	return true;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* [p, end) percent-decoded into out (of out_len, NUL-terminated). 0, or
 * ERR_FORMAT: a '%' without two hex digits, a NUL byte, too long. */
static int
decode(const char *p, const char *end, char *out, size_t out_len)
{
	size_t n = 0;
	int hi, lo;
	char c;

	for (; p < end; p++) {
		c = *p;
		if (c == '%') {
			if (end - p < 3 || (hi = hex_digit(p[1])) < 0 || (lo = hex_digit(p[2])) < 0)
				return ERR_FORMAT;
			c = (char)(hi << 4 | lo);
			p += 2;
		}
		if (c == '\0' || n + 1 >= out_len)
			return ERR_FORMAT;
		out[n++] = c;
	}
	out[n] = '\0';
	return 0;
}

/* The '@' that ends the user and password in the authority [p, end), or NULL. */
static const char *
userinfo_end(const char *p, const char *end)
{
	return memrchr(p, '@', (size_t)(end - p));
}

int
redis_url_parse(const char *s, struct redis_url *u)
{
	char hostport[RELAY_CLUSTER_NAME_MAX + 8], *end;
	const char *auth, *auth_end, *at, *colon, *host;
	unsigned long db = 0;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, scheme, sizeof(scheme) - 1) != 0 || !printable(s))
		return ERR_FORMAT;
	auth = s + sizeof(scheme) - 1;
	auth_end = auth + strcspn(auth, "/");
	host = auth;
	/* the last '@': one left unencoded in the password still parses */
	if ((at = userinfo_end(auth, auth_end)) != NULL) {
		colon = memchr(auth, ':', (size_t)(at - auth));
		if (at == auth || decode(auth, colon != NULL ? colon : at, u->user,
		    sizeof(u->user)) != 0 || (colon != NULL && (colon + 1 == at ||
		    decode(colon + 1, at, u->password, sizeof(u->password)) != 0)))
			goto bad;
		host = at + 1;
	}
	if ((size_t)(auth_end - host) >= sizeof(hostport))
		goto bad;
	memcpy(hostport, host, (size_t)(auth_end - host));
	hostport[auth_end - host] = '\0';
	if (*auth_end == '/') {
		errno = 0;
		db = strtoul(auth_end + 1, &end, 10);
		if (errno != 0 || end == auth_end + 1 || *end != '\0' || db > REDIS_DB_MAX ||
		    auth_end[1] == '-' || auth_end[1] == '+')
			goto bad;
	}
	if (net_split_hostport(hostport, REDIS_PORT_DEFAULT, u->host, sizeof(u->host),
	    &u->port) != 0 || u->port == 0)
		goto bad;
	u->db = (unsigned)db;
	return 0;
bad:
	redis_url_wipe(u);
	return ERR_FORMAT;
}

void
redis_url_wipe(struct redis_url *u)
{
	sodium_memzero(u, sizeof(*u));
}

void
redis_url_hide_userinfo(char *s)
{
	char *auth, *auth_end, *at;

	if (strncmp(s, scheme, sizeof(scheme) - 1) != 0)
		return;
	auth = s + sizeof(scheme) - 1;
	auth_end = auth + strcspn(auth, "/");
	if ((at = (char *)userinfo_end(auth, auth_end)) != NULL)
		memset(auth, '*', (size_t)(at - auth));
}

int
redis_advertise_parse(const char *s, uint16_t default_port, char *out, size_t out_len)
{
	char host[RELAY_CLUSTER_NAME_MAX + 1];
	uint16_t port;
	int n;

	if (out_len > 0)
		out[0] = '\0';
	/* it goes into REDIRECT frames as it is: no '/' or '@' either (wire.h) */
	if (strlen(s) > RELAY_CLUSTER_NAME_MAX || !printable(s) || strpbrk(s, "/@") != NULL ||
	    net_split_hostport(s, default_port, host, sizeof(host), &port) != 0 || port == 0)
		return ERR_FORMAT;
	n = snprintf(out, out_len, strchr(host, ':') != NULL ? "[%s]:%u" : "%s:%u", host, port);
	if (n < 0 || (size_t)n >= out_len || (size_t)n > RELAY_CLUSTER_NAME_MAX) {
		if (out_len > 0)
			out[0] = '\0';
		return ERR_FORMAT;
	}
	return 0;
}
