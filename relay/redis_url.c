/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_url.c - --cluster and --advertise as text (the contract is in
 * redis_url.h). Host and port split as everywhere else (net.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
redis_url_parse(const char *s, struct redis_url *u)
{
	char hostport[RELAY_CLUSTER_NAME_MAX + 8], *slash, *end;
	unsigned long db = 0;

	memset(u, 0, sizeof(*u));
	if (strncmp(s, scheme, sizeof(scheme) - 1) != 0 || !printable(s))
		return ERR_FORMAT;
	s += sizeof(scheme) - 1;
	if (strlen(s) >= sizeof(hostport))
		return ERR_FORMAT;
	snprintf(hostport, sizeof(hostport), "%s", s);
	if ((slash = strchr(hostport, '/')) != NULL) {
		*slash = '\0';
		errno = 0;
		db = strtoul(slash + 1, &end, 10);
		if (errno != 0 || end == slash + 1 || *end != '\0' || db > REDIS_DB_MAX)
			return ERR_FORMAT;
	}
	if (strchr(hostport, '@') != NULL ||
	    net_split_hostport(hostport, REDIS_PORT_DEFAULT, u->host, sizeof(u->host),
	    &u->port) != 0 || u->port == 0) {
		memset(u, 0, sizeof(*u));
		return ERR_FORMAT;
	}
	u->db = (unsigned)db;
	return 0;
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
