/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings_client.c - the checks of values the clients' settings take
 * (settings.h): how to reach the relay, the name. Apart from
 * settings_value.c because the transport's names come with the
 * transports (libcurl), which the relay does not link.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "i18n.h"
#include "net.h"
#include "relay_list.h"
#include "settings.h"
#include "transport.h"

static int
refuse(char *want, size_t want_len, const char *text)
{
	snprintf(want, want_len, "%s", text);
	return ERR_FORMAT;
}

/* Printable ASCII without blanks: host names, URLs. */
static bool
plain(const char *v)
{
	for (; *v != '\0'; v++)
		if (*v <= ' ' || *v > '~')
			return false;
	return true;
}

static bool
utf8(const char *v)
{
	return buf_utf8_valid((const uint8_t *)v, strlen(v));
}

int
settings_value_hostport(const char *v, char *want, size_t want_len)
{
	char host[256];
	uint16_t p0, p1;

	if (!plain(v) || net_split_hostport(v, 0, host, sizeof(host), &p0) != 0 ||
	    net_split_hostport(v, 1, host, sizeof(host), &p1) != 0)
		goto bad;
	/* The same port with either default: the address names one. */
	if (p0 == p1 && p0 == 0)
		goto bad;
	for (const char *h = host; *h != '\0'; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		    (*h >= '0' && *h <= '9') || strchr(".-_:%", *h) != NULL))
			goto bad;
	return 0;
bad:
	return refuse(want, want_len, _("host or host:port, port 1..65535"));
}

int
settings_value_relays(const char *v, char *want, size_t want_len)
{
	struct relay_list l;
	char why[256];

	if (relay_list_parse(v, &l, why, sizeof(why)) == 0)
		return 0;
	snprintf(want, want_len, _("HOST[:PORT], or several of them separated by commas "
	    "(at most %d)"), CLIENT_RELAYS_MAX);
	return ERR_FORMAT;
}

int
settings_value_transport(const char *v, int *kind, char *want, size_t want_len)
{
	int k = transport_kind_parse(v);

	if (k == ERR_FORMAT)
		return refuse(want, want_len, _("auto, tcp, tls, proxy or http"));
	*kind = k;
	return 0;
}

int
settings_value_url(const char *v, char *want, size_t want_len)
{
	return plain(v) ? 0 : refuse(want, want_len, _("a URL such as http://proxy:3128"));
}

int
settings_value_user_pass(const char *v, char *want, size_t want_len)
{
	return strchr(v, ':') != NULL && utf8(v) ? 0 : refuse(want, want_len, _("USER:PASS"));
}

int
settings_value_name(const char *v, char *want, size_t want_len)
{
	if (strlen(v) <= MSG_NAME_MAX && utf8(v))
		return 0;
	snprintf(want, want_len, _("up to %d bytes of UTF-8"), MSG_NAME_MAX);
	return ERR_FORMAT;
}

/* session-creation tokens */
int
settings_value_token(const char *v, char *want, size_t want_len)
{
	if (strncmp(v, "fst1.", 5) == 0 && strlen(v) > 5 && strlen(v) <= WIRE_TOKEN_MAX &&
	    plain(v))
		return 0;
	snprintf(want, want_len, _("a session token as the relay's operator issued it "
	    "(fst1..., at most %d characters)"), WIRE_TOKEN_MAX);
	return ERR_FORMAT;
}
