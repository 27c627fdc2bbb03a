/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_command.c - --drop and --fetch (drop_command.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "drop_command.h"
#include "drop_fetch.h"
#include "drop_identity.h"
#include "drop_put.h"
#include "event.h"
#include "i18n.h"
#include "link.h"
#include "log.h"

enum { DROP_TTL_DEFAULT_S = 24 * 3600 };

void
drop_ask_default(struct drop_ask *a)
{
	a->links = 1;
	a->downloads = 1;
	a->ttl_s = DROP_TTL_DEFAULT_S;
}

int
drop_ask_option(int which, const char *arg, struct drop_ask *a)
{
	static const char *const name[] = { "--drop-links", "--drop-downloads", "--drop-ttl" };
	const unsigned long max[] = { DROP_LINKS_MAX, DROP_DOWNLOADS_MAX, DROP_TTL_MAX_S };
	unsigned long v = 0;
	char *end = NULL;

	if (which < 0 || which > 2)
		return -1;
	if (arg[0] >= '0' && arg[0] <= '9')
		v = strtoul(arg, &end, 10);
	if (end == NULL || *end != '\0' || v < 1 || v > max[which]) {
		log_error(_("%s wants a number from 1 to %lu"), name[which], max[which]);
		return -1;
	}
	if (which == 0)
		a->links = (unsigned)v;
	else if (which == 1)
		a->downloads = (unsigned)v;
	else
		a->ttl_s = v;
	return 0;
}

static const char *
master_usage(void)
{
	return _("file drop (a relay with a drop-dir keeps an encrypted file for later):\n"
	    "  --drop PATH           connect as usual, upload PATH encrypted for a link,\n"
	    "                        print the link(s) (drop-link link=\"...\") and exit\n"
	    "  --fetch LINK          fetch fernsicht://HOST:PORT/drop/TOKEN[#KEY]: download,\n"
	    "                        verify and decrypt it into --out, then exit (exit 2 for\n"
	    "                        the master, 7 for the viewer when it fails)\n"
	    "  --out DIR             where --fetch writes (the same as --inbox)\n"
	    "  --drop-links N        links to make (1..16, default 1)\n"
	    "  --drop-downloads K    downloads of each link (1..100, default 1: one-time)\n"
	    "  --drop-ttl S          the relay keeps the file S seconds (default 86400)\n");
}

static const char *
viewer_usage(void)
{
	return _("file drop (a relay with a drop-dir keeps an encrypted file for later):\n"
	    "  --drop PATH           in the session (SESSION and the code as usual): once\n"
	    "                        the host allowed files, upload PATH encrypted for the\n"
	    "                        host and for a link, send the host its one-time link,\n"
	    "                        print ours (drop-link link=\"...\"); headless without\n"
	    "                        --frames, leave when done\n"
	    "  --fetch LINK          fetch fernsicht://HOST:PORT/drop/TOKEN[#KEY]: download,\n"
	    "                        verify and decrypt it into --out, then exit (exit 7\n"
	    "                        when it fails)\n"
	    "  --out DIR             where --fetch writes (the same as --inbox)\n"
	    "  --drop-links N        links with the key to make (1..15, default 1)\n"
	    "  --drop-downloads K    downloads of each link (1..100, default 1: one-time)\n"
	    "  --drop-ttl S          the relay keeps the file S seconds (default 86400)\n");
}

const char *
drop_usage(bool viewer)
{
	return viewer ? viewer_usage() : master_usage();
}

static int
failed(const char *line, const char *why)
{
	char esc[4 * 512 + 1];

	log_escape_text(esc, sizeof(esc), why, strlen(why));
	log_error("%s", why);
	event("%s reason=\"%s\"", line, esc);
	return 1;
}

int
drop_command_put(const struct drop_command *d, const char *path)
{
	static char links[DROP_LINKS_MAX][DROP_LINK_MAX_BYTES + 1];
	static struct link l;
	char why[512], relay[CLIENT_RELAY_TEXT_MAX + 1];
	struct drop_put p = { .topts = d->topts, .ask = d->ask, .for_link = true };
	uint8_t grant[WIRE_DROP_GRANT_MAX];
	unsigned n = 0;
	bool have_grant;
	int r;

	if (d->relay == NULL || d->relay[0] == '\0')
		return failed("drop-failed", _("--drop needs a relay (--relay or the settings)"));
	link_init(&l);
	l.opts = d->topts;
	/* A relay that opens sessions for tokens only gives no grant without one. */
	snprintf(l.token, sizeof(l.token), "%s", d->token != NULL ? d->token : "");
	r = link_open(&l, d->relay, d->role, d->session, d->name, CLIENT_CONNECT_TIMEOUT_MS);
	sodium_memzero(l.token, sizeof(l.token));
	if (r != 0) {
		snprintf(why, sizeof(why), _("cannot reach the relay %s: %s"), d->relay, l.why);
		link_close(&l);
		return failed("drop-failed", why);
	}
	/* The grant is all this connection is for: the upload goes over HTTP
	 * to the relay that gave it. The relay takes a grant only while its
	 * session lives, so the connection stays until the upload is over
	 * (unread: only the upload's first request needs the session). */
	have_grant = drop_put_where(&p, &l, d->https, relay, grant);
	if (!have_grant) {
		link_close(&l);
		return failed("drop-failed", _("the relay keeps no file drop (it gave no upload "
		    "right)"));
	}
	r = drop_put_file(&p, path, links, DROP_LINKS_MAX, &n, why, sizeof(why));
	link_close(&l);
	sodium_memzero(grant, sizeof(grant));
	if (r != 0)
		return failed("drop-failed", why);
	for (unsigned i = 0; i < n; i++)
		event("drop-link link=\"%s\"", links[i]);
	sodium_memzero(links, sizeof(links));
	return 0;
}

int
drop_command_fetch(const struct drop_command *d, const char *link, const char *dir)
{
	static struct drop_identity id;
	struct drop_fetch f = { .topts = d->topts, .https = d->https, .dir = dir };
	struct drop_fetched got;
	char why[512], esc[4 * FILES_COMPONENT_MAX + 1];
	int r;

	if (d->identity_path != NULL && d->identity_path[0] != '\0') {
		if (drop_identity_load(d->identity_path, &id, why, sizeof(why)) != 0)
			log_warn("%s", why);    /* links with #KEY still work */
		else
			f.identity = &id;
	}
	r = drop_fetch_link(&f, link, &got, why, sizeof(why));
	drop_identity_clear(&id);
	if (r != 0)
		return failed("fetch-failed", why);
	log_escape_text(esc, sizeof(esc), got.name, strlen(got.name));
	event("drop-fetched name=\"%s\" bytes=%llu", esc, (unsigned long long)got.bytes);
	return 0;
}
