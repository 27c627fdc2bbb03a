/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_send.c - --drop PATH in a session (drop_send.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "display.h"
#include "drop_put.h"
#include "drop_send.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

int
drop_take_host_identity(void *side, void *peer, const struct msg *msg)
{
	struct vsession *s = side;

	(void)peer;
	memcpy(s->host_drop_pk, msg->u.drop_pk, sizeof(s->host_drop_pk));
	s->has_host_drop_pk = true;
	return 0;
}

int
drop_take_grant(void *side, void *peer, const struct msg *msg)
{
	struct vsession *s = side;
	const struct msg_drop_grant *g = &msg->u.drop_grant;
	char tier[MSG_DROP_TIER_MAX + 1];

	(void)peer;
	/* Lengths are bounded by the decoder (proto/msg.c); a tier we do not
	 * know is the host's mistake: no drop, the session goes on. */
	memcpy(tier, buf_ptr(&g->tier), buf_len(&g->tier));
	tier[buf_len(&g->tier)] = '\0';
	if (transport_kind_parse(tier) < 0) {
		log_warn("the host passed on a drop grant for a tier we do not know: %s", tier);
		return 0;
	}
	memcpy(s->drop_tier, tier, sizeof(tier));
	memcpy(s->drop_relay, buf_ptr(&g->relay), buf_len(&g->relay));
	s->drop_relay[buf_len(&g->relay)] = '\0';
	memcpy(s->drop_grant, buf_ptr(&g->grant), buf_len(&g->grant));
	s->drop_grant_len = buf_len(&g->grant);
	s->has_drop_grant = true;
	event("drop-grant relay=%s tier=%s", s->drop_relay, s->drop_tier);
	return 0;
}

/* One upload: what its thread needs, copied, and what it found. */
struct viewer_drop {
	pthread_t thread;
	atomic_bool done;
	struct drop_put put;
	char path[1024];
	char relay[CLIENT_RELAY_TEXT_MAX + 1];
	uint8_t grant[WIRE_DROP_GRANT_MAX];
	uint8_t pk[2][BLOB_KEY_LEN];            /* the host's (if it said it), ours */
	bool for_host;
	int r;
	char why[512];
	char links[DROP_LINKS_MAX][DROP_LINK_MAX_BYTES + 1];
	unsigned n_links;
};

static void *
run(void *arg)
{
	struct viewer_drop *d = arg;

	d->r = drop_put_file(&d->put, d->path, d->links, DROP_LINKS_MAX, &d->n_links, d->why,
	    sizeof(d->why));
	atomic_store(&d->done, true);
	return NULL;
}

/* The file's own name, for the window's notes. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* A line in the window's chat, when there is a window. */
static void __attribute__((format(printf, 2, 3)))
note(struct vsession *s, const char *fmt, ...)
{
	char line[1024 + 512];
	va_list ap;

	if (s->disp == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	display_chat_note(s->disp, line);
}

static void
failed(struct vsession *s, const char *why)
{
	char esc[4 * 512 + 1];

	log_warn("file drop: %s", why);
	event("drop-failed reason=\"%s\"", log_escape_text(esc, sizeof(esc), why, strlen(why)));
	s->drop_result = 1;
	/* TRANSLATORS: a chat note: the file's name, then why. */
	note(s, _("%s was not left on the relay: %s"), base_name(s->drop_path), why);
}

static void
start(struct vsession *s)
{
	struct viewer_drop *d;
	struct drop_put own;
	uint8_t scratch[WIRE_DROP_GRANT_MAX];
	size_t n = 0;

	s->drop_started = true;
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		failed(s, _("out of memory"));
		return;
	}
	snprintf(d->path, sizeof(d->path), "%s", s->drop_path);
	/*
	 * The upload goes to the relay this viewer is connected through, never
	 * to the address in the host's DROP_GRANT: a hostile host must not
	 * point our requests at a server of its choice. In a cluster both ends
	 * are on the relay that holds the session (REDIRECT), so the grant fits;
	 * where it does not, that relay refuses it (401) and we say so.
	 */
	(void)drop_put_where(&own, &s->link, -1, d->relay, scratch);
	if (strcmp(d->relay, s->drop_relay) != 0)
		log_info("file drop: the host named relay %s; uploading to ours, %s",
		    s->drop_relay, d->relay);
	memcpy(d->grant, s->drop_grant, s->drop_grant_len);
	if (s->has_host_drop_pk) {
		memcpy(d->pk[n++], s->host_drop_pk, BLOB_KEY_LEN);
		d->for_host = true;
	} else {
		log_warn("file drop: the host said no drop identity: it gets no link");
	}
	if (s->has_drop_pk)
		memcpy(d->pk[n++], s->drop_pk, BLOB_KEY_LEN);
	d->put = (struct drop_put){
		.relay = d->relay, .https = own.https,
		.topts = s->link.opts, .grant = d->grant, .grant_len = s->drop_grant_len,
		.ask = s->drop_ask, .for_link = true,
		.identity = (const uint8_t (*)[BLOB_KEY_LEN])d->pk, .n_identity = n,
	};
	/* The host's own link first (by its identity), then ours with #KEY. */
	if (d->for_host)
		d->put.ask.links = s->drop_ask.links + 1 <= DROP_LINKS_MAX ?
		    s->drop_ask.links + 1 : DROP_LINKS_MAX;
	atomic_init(&d->done, false);
	if (pthread_create(&d->thread, NULL, run, d) != 0) {
		sodium_memzero(d, sizeof(*d));
		free(d);
		failed(s, _("cannot start the upload"));
		return;
	}
	s->dropping = d;
	/* TRANSLATORS: a chat note; %s is a file's name. */
	note(s, _("leaving %s on the relay for the host..."), base_name(s->drop_path));
	event("drop-started path=\"%s\" identities=%zu", log_escape_text(s->text_out,
	    sizeof(s->text_out), s->drop_path, strlen(s->drop_path)), n);
}

/* The host's link goes to the host, without #KEY: its identity opens it. */
static void
tell_host(struct vsession *s, char *link)
{
	char *hash = strchr(link, '#');
	struct buf m;

	if (hash != NULL)
		sodium_memzero(hash, strlen(hash));
	buf_init(&m, DROP_LINK_MAX_BYTES + 8);
	if (msg_drop_link_encode(&m, link) != 0 || vsession_send(s, &m) != 0)
		log_warn("cannot send the host its drop link");
	else
		event("drop-sent host");
	buf_release(&m);
}

/* The upload thread is over: true when the drop is, false when it starts
 * again (once) because the host renewed the grant meanwhile. */
static bool
end(struct vsession *s)
{
	struct viewer_drop *d = s->dropping;
	unsigned first = 0;

	pthread_join(d->thread, NULL);
	s->dropping = NULL;
	s->drop_result = d->r;
	if (d->r == ERR_AUTH && !s->drop_retried && s->state == VS_ACTIVE) {
		/* Another viewer left (or we moved) as we began: the host asks
		 * for the next grant and passes it on. Once more with that one,
		 * at once if it came already, else when it comes. */
		s->drop_retried = true;
		s->drop_started = false;
		s->drop_wait_ms = 0;
		if (sodium_memcmp(d->grant, s->drop_grant, s->drop_grant_len) == 0)
			s->has_drop_grant = false;
		log_info("file drop: the relay no longer takes the upload right (%s); once more "
		    "with the host's next one", d->why);
		sodium_memzero(d, sizeof(*d));
		free(d);
		return false;
	}
	if (d->r != 0) {
		failed(s, d->why);
	} else {
		if (d->for_host && d->n_links > 1) {
			/* still allowed? the host may have ended us meanwhile */
			if (s->state == VS_ACTIVE)
				tell_host(s, d->links[0]);
			first = 1;
		}
		for (unsigned i = first; i < d->n_links; i++)
			event("drop-link link=\"%s\"", d->links[i]);
		if (first == 1)
			note(s, _("%s is on the relay: the host has a link to fetch it"),
			    base_name(d->path));
		else
			note(s, _("%s is on the relay, but the host said no drop identity: "
			    "it got no link"), base_name(d->path));
	}
	sodium_memzero(d, sizeof(*d));
	free(d);
	return true;
}

bool
drop_send_turn(struct vsession *s, uint64_t now)
{
	if (s->drop_path == NULL || s->state != VS_ACTIVE)
		return false;
	if (!s->drop_started) {
		/* A file dropped is a file sent: it needs the files right. */
		if (!(s->rights & MSG_RIGHT_FILES)) {
			s->drop_started = true;
			failed(s, _("the host did not allow files: no drop"));
			return true;
		}
		if (!s->has_drop_grant) {
			if (s->drop_wait_ms == 0)
				s->drop_wait_ms = now;
			if (now - s->drop_wait_ms < CLIENT_DROP_GRANT_WAIT_MS)
				return false;
			s->drop_started = true;
			failed(s, s->drop_retried ? _("the relay refused the upload right, and the "
			    "host passed on no new one") : _("the host passed on no upload right (its "
			    "relay keeps no file drop)"));
			return true;
		}
		start(s);
		return s->dropping == NULL;     /* it could not start */
	}
	if (s->dropping == NULL)
		return true;
	if (!atomic_load(&s->dropping->done))
		return false;
	return end(s);
}

void
drop_send_file(struct vsession *s, const char *path)
{
	if (s->dropping != NULL) {
		note(s, _("%s was not left on the relay: %s"), base_name(path),
		    _("a drop is still running: one at a time"));
		return;
	}
	snprintf(s->drop_window_path, sizeof(s->drop_window_path), "%s", path);
	s->drop_path = s->drop_window_path;
	s->drop_started = false;
	s->drop_retried = false;
	s->drop_wait_ms = 0;
	s->drop_result = 0;
}

void
drop_send_wait(struct vsession *s)
{
	if (s->dropping != NULL)
		end(s);
}
