/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.c - the file drop during a session, the viewer's side (drop.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "display.h"
#include "drop.h"
#include "drop_fetch.h"
#include "drop_identity.h"
#include "droplink.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

void
drop_tell_identity(struct vsession *s)
{
	struct buf m;

	if (s->state != VS_ACTIVE || !s->has_drop_pk || s->drop_pk_sent)
		return;
	s->drop_pk_sent = true;
	buf_init(&m, 64);
	if (msg_drop_identity_encode(&m, s->drop_pk) != 0 || vsession_send(s, &m) != 0)
		log_warn("cannot tell the host our drop identity");
	buf_release(&m);
}

int
drop_take_link(void *side, void *peer, const struct msg *msg)
{
	struct vsession *s = side;
	char text[DROP_LINK_MAX_BYTES + 1], line[DROP_LINK_MAX_BYTES + 128];
	const char *why = NULL;
	struct droplink l;
	size_t n = buf_len(&msg->u.text);
	int len;

	(void)peer;
	memcpy(text, buf_ptr(&msg->u.text), n);         /* n <= DROP_LINK_MAX_BYTES */
	text[n] = '\0';
	/* Only a link we can use goes on: a host cannot make us print anything else. */
	if (droplink_parse(text, &l, &why) != 0) {
		log_warn("the host sent a drop link that is not one: %s", why);
		return 0;
	}
	memset(&l, 0, sizeof(l));
	event("drop-offer link=\"%s\"", log_escape_text(s->text_out, sizeof(s->text_out), text,
	    n));
	if (s->disp != NULL) {
		display_drop_offer(s->disp, text);
		/* TRANSLATORS: a chat line; %s is a fernsicht://.../drop/... link. */
		len = snprintf(line, sizeof(line), _("dropped a file for you: %s"), text);
		if (len > 0)
			display_chat_add(s->disp, _("File drop"), line,
			    (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1, false);
	}
	return 0;
}

void
drop_fetch_start(struct vsession *s, const char *link)
{
	struct drop_fetch f = { .topts = s->link.opts, .https = -1,
	    .dir = s->files_conf.inbox != NULL ? s->files_conf.inbox : "." };
	struct drop_identity id;
	char why[512];
	int r;

	if (s->fetch != NULL || s->disp == NULL)
		return;
	if (s->drop_identity[0] != '\0' &&
	    drop_identity_load(s->drop_identity, &id, why, sizeof(why)) == 0)
		f.identity = &id;
	r = drop_fetch_async_start(&f, link, &s->fetch);
	drop_identity_clear(&id);               /* the fetch has its own copy */
	if (r == ERR_NOMEM)
		return;
	if (r != 0) {
		display_chat_note(s->disp, _("cannot start the download"));
		return;
	}
	display_drop_busy(s->disp, true);
	event("drop-fetch-started");
}

static void
fetch_end(struct vsession *s)
{
	struct drop_fetched got;
	char line[1024 + 512], esc[4 * 512 + 1], dir[1024], why[512];
	int r;

	snprintf(dir, sizeof(dir), "%s", drop_fetch_async_dir(s->fetch));
	r = drop_fetch_async_finish(s->fetch, &got, why, sizeof(why));
	s->fetch = NULL;
	if (r == 0) {
		event("drop-fetched name=\"%s\" bytes=%llu", log_escape_text(esc, sizeof(esc),
		    got.name, strlen(got.name)), (unsigned long long)got.bytes);
		/* TRANSLATORS: a note in the chat: the file's name, then the folder. */
		snprintf(line, sizeof(line), _("fetched %s into %s"), got.name, dir);
	} else {
		event("fetch-failed reason=\"%s\"", log_escape_text(esc, sizeof(esc), why,
		    strlen(why)));
		snprintf(line, sizeof(line), _("the dropped file was not fetched: %s"), why);
	}
	if (s->disp != NULL) {
		display_chat_note(s->disp, line);
		display_drop_busy(s->disp, false);
	}
}

void
drop_fetch_poll(struct vsession *s)
{
	if (s->fetch != NULL && drop_fetch_async_done(s->fetch))
		fetch_end(s);
}

void
drop_fetch_wait(struct vsession *s)
{
	if (s->fetch != NULL)
		fetch_end(s);
}
