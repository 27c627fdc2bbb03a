/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.c - the file drop during a session, the viewer's side (drop.h).
 */
#include <pthread.h>
#include <stdatomic.h>
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

/* A fetch from the window: what its thread needs, copied, and what it found. */
struct viewer_fetch {
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
	struct viewer_fetch *v = arg;

	v->r = drop_fetch_link(&v->f, v->link, &v->got, v->why, sizeof(v->why));
	atomic_store(&v->done, true);
	return NULL;
}

void
drop_fetch_start(struct vsession *s, const char *link)
{
	struct viewer_fetch *v;
	char why[512];

	if (s->fetch != NULL || s->disp == NULL)
		return;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return;
	snprintf(v->link, sizeof(v->link), "%s", link);
	snprintf(v->dir, sizeof(v->dir), "%s", s->files_conf.inbox != NULL ?
	    s->files_conf.inbox : ".");
	v->f = (struct drop_fetch){ .topts = s->link.opts, .https = -1, .dir = v->dir };
	if (s->drop_identity[0] != '\0' &&
	    drop_identity_load(s->drop_identity, &v->id, why, sizeof(why)) == 0)
		v->f.identity = &v->id;
	atomic_init(&v->done, false);
	if (pthread_create(&v->thread, NULL, fetch_run, v) != 0) {
		drop_identity_clear(&v->id);
		free(v);
		display_chat_note(s->disp, _("cannot start the download"));
		return;
	}
	s->fetch = v;
	display_drop_busy(s->disp, true);
	event("drop-fetch-started");
}

static void
fetch_end(struct vsession *s)
{
	struct viewer_fetch *v = s->fetch;
	char line[1024 + 512], esc[4 * 512 + 1];

	pthread_join(v->thread, NULL);
	s->fetch = NULL;
	if (v->r == 0) {
		event("drop-fetched name=\"%s\" bytes=%llu", log_escape_text(esc, sizeof(esc),
		    v->got.name, strlen(v->got.name)), (unsigned long long)v->got.bytes);
		/* TRANSLATORS: a note in the chat: the file's name, then the folder. */
		snprintf(line, sizeof(line), _("fetched %s into %s"), v->got.name, v->dir);
	} else {
		event("fetch-failed reason=\"%s\"", log_escape_text(esc, sizeof(esc), v->why,
		    strlen(v->why)));
		snprintf(line, sizeof(line), _("the dropped file was not fetched: %s"), v->why);
	}
	if (s->disp != NULL) {
		display_chat_note(s->disp, line);
		display_drop_busy(s->disp, false);
	}
	drop_identity_clear(&v->id);
	sodium_memzero(v, sizeof(*v));
	free(v);
}

void
drop_fetch_poll(struct vsession *s)
{
	if (s->fetch != NULL && atomic_load(&s->fetch->done))
		fetch_end(s);
}

void
drop_fetch_wait(struct vsession *s)
{
	if (s->fetch != NULL)
		fetch_end(s);
}
