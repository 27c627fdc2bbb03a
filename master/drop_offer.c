/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_offer.c - a viewer's drop for the host (drop_offer.h).
 */
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

static void
fetch_failed(struct master *m, const char *why)
{
	char esc[4 * 512 + 1];

	log_warn("file drop: %s", why);
	event("fetch-failed reason=\"%s\"", log_escape_text(esc, sizeof(esc), why, strlen(why)));
	snprintf(m->drop_note, sizeof(m->drop_note), _("the dropped file was not fetched: %s"),
	    why);
}

void
drop_offer_fetch(struct master *m, const char *link)
{
	struct drop_fetch f = { .topts = m->link.opts, .https = -1,
	    .dir = m->o.inbox != NULL ? m->o.inbox : "." };
	struct drop_identity id;
	char why[512];
	int r;

	if (m->fetch != NULL) {
		fetch_failed(m, _("a fetch is still running: one at a time"));
		return;
	}
	if (strlen(link) > DROP_LINK_MAX_BYTES) {
		fetch_failed(m, _("that is not a drop link"));
		return;
	}
	if (m->o.drop_identity != NULL) {
		if (drop_identity_load(m->o.drop_identity, &id, why, sizeof(why)) == 0)
			f.identity = &id;
		else
			log_warn("file drop: %s", why);   /* links with #KEY still work */
	}
	r = drop_fetch_async_start(&f, link, &m->fetch);
	drop_identity_clear(&id);               /* the fetch has its own copy */
	if (r != 0) {
		fetch_failed(m, r == ERR_NOMEM ? _("out of memory") :
		    _("cannot start the download"));
		return;
	}
	event("drop-fetch-started");
}

static void
fetch_end(struct master *m)
{
	struct drop_fetched got;
	char why[512], esc[4 * 512 + 1];
	int r;

	r = drop_fetch_async_finish(m->fetch, &got, why, sizeof(why));
	m->fetch = NULL;
	if (r != 0) {
		fetch_failed(m, why);
		return;
	}
	event("drop-fetched name=\"%s\" bytes=%llu", log_escape_text(esc, sizeof(esc), got.name,
	    strlen(got.name)), (unsigned long long)got.bytes);
	/* TRANSLATORS: a note in the chat: the file's name, then the folder. */
	snprintf(m->drop_note, sizeof(m->drop_note), _("fetched %s into %s"), got.name,
	    m->o.inbox != NULL ? m->o.inbox : ".");
}

void
drop_offer_poll(struct master *m)
{
	if (m->fetch != NULL && drop_fetch_async_done(m->fetch))
		fetch_end(m);
}

void
drop_offer_free(struct master *m)
{
	if (m->fetch != NULL)
		fetch_end(m);
}
