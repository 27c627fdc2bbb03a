/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_offer.c - a viewer's drop for the host (drop_offer.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "drop_fetch.h"
#include "drop_identity.h"
#include "drop_offer.h"
#include "droplink.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

int
drop_offer_take(void *master, void *viewer, const struct msg *msg)
{
	struct master *m = master;
	struct viewer *v = viewer;
	char text[DROP_LINK_MAX_BYTES + 1], line[DROP_LINK_MAX_BYTES + 128];
	const char *why = NULL;
	struct droplink l;
	size_t n = buf_len(&msg->u.text);
	int len;

	memcpy(text, buf_ptr(&msg->u.text), n);         /* n <= DROP_LINK_MAX_BYTES */
	text[n] = '\0';
	/* Only a link we can use goes on: a viewer cannot make us print anything else. */
	if (droplink_parse(text, &l, &why) != 0) {
		log_warn("viewer %u sent a drop link that is not one: %s", v->slot, why);
		return 0;
	}
	sodium_memzero(&l, sizeof(l));
	memcpy(m->drop_offered, text, n + 1);          /* the window's Fetch button */
	event("drop-offer slot=%u link=\"%s\"", v->slot, log_escape_text(m->text_out,
	    sizeof(m->text_out), text, n));
	if (m->chat_heard != NULL) {
		/* TRANSLATORS: a chat line; %s is a fernsicht://.../drop/... link. */
		len = snprintf(line, sizeof(line), _("dropped a file for you: %s"), text);
		if (len > 0)
			m->chat_heard(m->chat_heard_ctx, v, line, (size_t)len < sizeof(line) ?
			    (size_t)len : sizeof(line) - 1);
	}
	return 0;
}

/* A fetch: what its thread needs, copied, and what it found. */
struct master_fetch {
	pthread_t thread;
	atomic_bool done;
	struct drop_fetch f;
	struct drop_identity id;
	char link[DROP_LINK_MAX_BYTES + 1];
	char dir[1024];
	struct drop_fetched got;
	int r;
	char why[512];
};

static void *
fetch_run(void *arg)
{
	struct master_fetch *f = arg;

	f->r = drop_fetch_link(&f->f, f->link, &f->got, f->why, sizeof(f->why));
	atomic_store(&f->done, true);
	return NULL;
}

static void
fetch_failed(const char *why)
{
	char esc[4 * 512 + 1];

	log_warn("file drop: %s", why);
	event("fetch-failed reason=\"%s\"", log_escape_text(esc, sizeof(esc), why, strlen(why)));
}

void
drop_offer_fetch(struct master *m, const char *link)
{
	struct master_fetch *f;
	char why[512];

	if (m->fetch != NULL) {
		fetch_failed(_("a fetch is still running: one at a time"));
		return;
	}
	if (strlen(link) > DROP_LINK_MAX_BYTES) {
		fetch_failed(_("that is not a drop link"));
		return;
	}
	if ((f = calloc(1, sizeof(*f))) == NULL) {
		fetch_failed(_("out of memory"));
		return;
	}
	snprintf(f->link, sizeof(f->link), "%s", link);
	snprintf(f->dir, sizeof(f->dir), "%s", m->o.inbox != NULL ? m->o.inbox : ".");
	f->f = (struct drop_fetch){ .topts = m->link.opts, .https = -1, .dir = f->dir };
	if (m->o.drop_identity != NULL) {
		if (drop_identity_load(m->o.drop_identity, &f->id, why, sizeof(why)) == 0)
			f->f.identity = &f->id;
		else
			log_warn("file drop: %s", why);   /* links with #KEY still work */
	}
	atomic_init(&f->done, false);
	if (pthread_create(&f->thread, NULL, fetch_run, f) != 0) {
		drop_identity_clear(&f->id);
		free(f);
		fetch_failed(_("cannot start the download"));
		return;
	}
	m->fetch = f;
	event("drop-fetch-started");
}

static void
fetch_end(struct master *m)
{
	struct master_fetch *f = m->fetch;
	char esc[4 * 512 + 1];

	pthread_join(f->thread, NULL);
	m->fetch = NULL;
	if (f->r == 0)
		event("drop-fetched name=\"%s\" bytes=%llu", log_escape_text(esc, sizeof(esc),
		    f->got.name, strlen(f->got.name)), (unsigned long long)f->got.bytes);
	else
		fetch_failed(f->why);
	drop_identity_clear(&f->id);
	sodium_memzero(f, sizeof(*f));
	free(f);
}

void
drop_offer_poll(struct master *m)
{
	if (m->fetch != NULL && atomic_load(&m->fetch->done))
		fetch_end(m);
}

void
drop_offer_free(struct master *m)
{
	if (m->fetch != NULL)
		fetch_end(m);
}
