/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.c - the tier table and the calls of transport.h: names,
 * the states a tier need not check itself, allocation and freeing. What
 * differs lives in one file per tier (transport_ops.h); this file only
 * calls them through the table, and they never call back into it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "transport_ops.h"

/* Every tier, at its enum transport_kind index; a new tier goes here. */
static const struct transport_ops *const tiers[TRANSPORT_KINDS] = {
	[TRANSPORT_TCP] = &transport_tcp,
	[TRANSPORT_TLS] = &transport_tls,
	[TRANSPORT_PROXY] = &transport_proxy,
	[TRANSPORT_HTTP] = &transport_http,
	[TRANSPORT_DIRECT] = &transport_direct,
};

static bool curl_ready;

int
transport_kind_parse(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return TRANSPORT_AUTO;
	for (int k = 0; k < TRANSPORT_TIERS; k++)
		if (strcmp(s, tiers[k]->name) == 0)
			return k;
	return ERR_FORMAT;
}

const char *
transport_kind_name(int kind)
{
	if (kind == TRANSPORT_AUTO)
		return "auto";
	return kind >= 0 && kind < TRANSPORT_KINDS ? tiers[kind]->name : "?";
}

uint16_t
transport_kind_port(int kind)
{
	BUG_ON(kind < 0 || kind >= TRANSPORT_KINDS);
	return tiers[kind]->port;
}

struct transport *
transport_start(int kind, const char *host, uint16_t port, const struct transport_opts *o,
    int timeout_ms, char *why, size_t why_len)
{
	const struct transport_ops *ops;
	struct transport *t;
	int r;

	BUG_ON(kind < 0 || kind >= TRANSPORT_KINDS);
	ops = tiers[kind];
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(why, why_len, "%s: libcurl failed to initialise", ops->name);
			return NULL;
		}
		curl_ready = true;
	}
	if ((t = calloc(1, ops->size)) == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	t->ops = ops;
	t->kind = kind;
	t->o = *o;
	t->o.address = NULL;    /* into the rule below: the caller's may not last */
	t->port = port;
	t->timeout_ms = timeout_ms;
	snprintf(t->host, sizeof(t->host), strchr(host, ':') ? "[%s]" : "%s", host);
	r = 0;
	if (o->address != NULL && o->address[0] != '\0' && !ops->proxy &&
	    strchr(host, ':') == NULL) {
		char rule[400];

		/* curl's own resolver, told the answer: TLS still checks the name. */
		snprintf(rule, sizeof(rule), strchr(o->address, ':') ? "%s:%u:[%s]" : "%s:%u:%s",
		    host, port, o->address);
		if ((t->resolve = curl_slist_append(NULL, rule)) == NULL)
			r = ERR_NOMEM;
	}
	if (r == 0 && (t->multi = curl_multi_init()) == NULL)
		r = ERR_NOMEM;
	else if (r == 0)
		r = ops->start(t);
	if (r != 0) {
		if (t->why[0] != '\0')
			snprintf(why, why_len, "%s", t->why);
		else
			snprintf(why, why_len, "%s: cannot start (%s)", ops->name, err_str(r));
		transport_close(t);
		return NULL;
	}
	/* Get the connection going now; poll() follows. */
	if (transport_after_poll(t) != 0 && t->state != TRANSPORT_FAILED)
		t->state = TRANSPORT_FAILED;
	return t;
}

void
transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	t->ops->close(t);
	if (t->multi != NULL)
		curl_multi_cleanup(t->multi);
	curl_slist_free_all(t->resolve);        /* after every handle that used it */
	free(t);
}

int
transport_kind(const struct transport *t)
{
	return t->kind;
}

bool
transport_ready(const struct transport *t)
{
	return t->state == TRANSPORT_READY;
}

const char *
transport_why(const struct transport *t)
{
	return t->why;
}

int
transport_fd(const struct transport *t)
{
	return t->state == TRANSPORT_READY ? t->ops->fd(t) : -1;
}

bool
transport_proxy_refused(const struct transport *t)
{
	return t->proxy_refused;
}

bool
transport_kind_proxied(int kind)
{
	return kind >= 0 && kind < TRANSPORT_KINDS && tiers[kind]->proxy;
}

size_t
transport_unsent(const struct transport *t)
{
	return t->ops->unsent != NULL ? t->ops->unsent(t) : 0;
}

int
transport_pollfds(struct transport *t, struct pollfd *p, int max, bool want_write,
    int *timeout_ms)
{
	if (t->state == TRANSPORT_FAILED || max <= 0) {
		transport_lower_timeout(timeout_ms, 0);
		return 0;
	}
	if (t->pending)
		transport_lower_timeout(timeout_ms, 0);
	return t->ops->pollfds(t, p, max, want_write, timeout_ms);
}

int
transport_after_poll(struct transport *t)
{
	if (t->state == TRANSPORT_FAILED)
		return t->err;
	return t->ops->after_poll(t);
}

int
transport_send(struct transport *t, const void *p, size_t n, size_t *sent)
{
	*sent = 0;
	if (t->state == TRANSPORT_FAILED)
		return t->err;
	if (t->state != TRANSPORT_READY)
		return ERR_AGAIN;
	return t->ops->send(t, p, n, sent);
}

int
transport_recv(struct transport *t, void *p, size_t n, size_t *got)
{
	*got = 0;
	t->pending = false;
	if (t->state == TRANSPORT_FAILED)
		return t->err;
	if (t->state != TRANSPORT_READY)
		return ERR_AGAIN;
	return t->ops->recv(t, p, n, got);
}

const char *
transport_usage(void)
{
	return _("  --transport auto|tcp|tls|proxy|http  how to reach the relay (default auto:\n"
	    "                        the tiers race, the winner is remembered per network)\n"
	    "  --proxy URL           HTTP proxy for the proxy and http tiers (default:\n"
	    "                        https_proxy, or http_proxy for http)\n"
	    "  --proxy-user USER:PASS  credentials for the proxy\n"
	    "  --ca-file FILE        trust this CA for the relay's TLS (default: the system's)\n");
}
