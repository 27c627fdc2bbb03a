/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.c - the file drop during a session, the host's side (drop.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "drop.h"
#include "drop_grant.h"
#include "drop_offer.h"
#include "drop_identity.h"
#include "drop_put.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

/* One drop in flight: what the thread needs, copied, and what it found. */
struct master_drop {
	pthread_t thread;
	atomic_bool done;
	struct drop_put put;
	char path[1024];
	char relay[CLIENT_RELAY_TEXT_MAX + 1];
	uint8_t grant[WIRE_DROP_GRANT_MAX];
	uint8_t pk[DROP_BLOB_ENVELOPES_MAX][BLOB_KEY_LEN];
	uint16_t slot[DROP_BLOB_ENVELOPES_MAX];         /* 0: the host's own */
	size_t n;
	int r;
	char why[512];
	char links[DROP_LINKS_MAX][DROP_LINK_MAX_BYTES + 1];
	unsigned n_links;
	bool retried;                   /* started again after its grant was renewed */
};

int
drop_take_identity(void *master, void *viewer, const struct msg *msg)
{
	struct viewer *v = viewer;

	(void)master;
	memcpy(v->drop_pk, msg->u.drop_pk, sizeof(v->drop_pk));
	v->has_drop_pk = true;
	event("drop-identity slot=%u", v->slot);
	return 0;
}

/* The file's own name, for the window's notes. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

static void
failed(struct master *m, const char *path, const char *why)
{
	char esc[4 * 512 + 1];

	log_warn("file drop: %s", why);
	event("drop-failed reason=\"%s\"", log_escape_text(esc, sizeof(esc), why, strlen(why)));
	/* TRANSLATORS: a chat note: the file's name, then why. */
	snprintf(m->drop_note, sizeof(m->drop_note), _("%s was not left on the relay: %s"),
	    base_name(path), why);
}

bool
drop_can(const struct master *m)
{
	return m->link.t != NULL && m->link.drop_grant_len > 0;
}

static void *
run(void *arg)
{
	struct master_drop *d = arg;

	d->r = drop_put_file(&d->put, d->path, d->links, DROP_LINKS_MAX, &d->n_links, d->why,
	    sizeof(d->why));
	atomic_store(&d->done, true);
	return NULL;
}

void
drop_start(struct master *m, const char *path)
{
	struct drop_identity own;
	struct master_drop *d;
	char why[512];

	if (m->drop != NULL) {
		failed(m, path, _("a drop is still running: one at a time"));
		return;
	}
	if (!drop_can(m)) {
		failed(m, path, _("the relay keeps no file drop (it gave no upload right), or the "
		    "session is not on a relay now"));
		return;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		failed(m, path, _("out of memory"));
		return;
	}
	snprintf(d->path, sizeof(d->path), "%s", path);
	/* The host's own identity, so that it can fetch what it dropped. */
	if (m->o.drop_identity != NULL && drop_identity_load(m->o.drop_identity, &own, why,
	    sizeof(why)) == 0) {
		memcpy(d->pk[d->n], own.pk, BLOB_KEY_LEN);
		d->slot[d->n++] = 0;
		drop_identity_clear(&own);
	} else if (m->o.drop_identity != NULL) {
		log_warn("file drop: %s", why);
	}
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX && d->n + 1 < DROP_LINKS_MAX; i++) {
		struct viewer *v = &m->v[i];

		/* A dropped file is a file sent: only with the files right. */
		if (v->state != VIEWER_ACTIVE || !v->has_drop_pk || !(v->rights & MSG_RIGHT_FILES))
			continue;
		memcpy(d->pk[d->n], v->drop_pk, BLOB_KEY_LEN);
		d->slot[d->n++] = v->slot;
	}
	d->put = (struct drop_put){
		.topts = m->link.opts, .ask = m->o.drop_ask, .for_link = true,
		.identity = (const uint8_t (*)[BLOB_KEY_LEN])d->pk, .n_identity = d->n,
	};
	(void)drop_put_where(&d->put, &m->link, -1, d->relay, d->grant);
	/* Each viewer its own one-time link; the last one is the host's. */
	d->put.ask.links = 1;
	for (size_t i = 0; i < d->n; i++)
		if (d->slot[i] != 0)
			d->put.ask.links++;
	atomic_init(&d->done, false);
	if (pthread_create(&d->thread, NULL, run, d) != 0) {
		failed(m, path, _("cannot start the upload"));
		free(d);
		return;
	}
	m->drop = d;
	/* TRANSLATORS: a chat note; %s is a file's name. */
	snprintf(m->drop_note, sizeof(m->drop_note), _("leaving %s on the relay..."),
	    base_name(path));
	event("drop-started path=\"%s\" identities=%zu", log_escape_text(m->text_out,
	    sizeof(m->text_out), path, strlen(path)), d->n);
}

/* A link without its #KEY: what a recipient by identity needs. */
static void
strip_key(char *link)
{
	char *hash = strchr(link, '#');

	if (hash != NULL)
		sodium_memzero(hash, strlen(hash));
}

void
drop_poll(struct master *m)
{
	struct master_drop *d = m->drop;
	unsigned next = 0, sent = 0;

	drop_grant_poll(m);
	drop_offer_poll(m);
	if (d == NULL || !atomic_load(&d->done))
		return;
	pthread_join(d->thread, NULL);
	m->drop = NULL;
	if (d->r == ERR_AUTH && !d->retried && m->link.drop_grant_len > 0 &&
	    sodium_memcmp(d->grant, m->link.drop_grant, m->link.drop_grant_len) != 0) {
		/* A viewer that had the grant left as this drop began, and the
		 * relay renewed it: once more with the new one. */
		char path[sizeof(d->path)];

		memcpy(path, d->path, sizeof(path));
		log_info("file drop: the upload right was renewed meanwhile; once more");
		sodium_memzero(d, sizeof(*d));
		free(d);
		drop_start(m, path);
		if (m->drop != NULL)
			m->drop->retried = true;
		return;
	}
	if (d->r != 0) {
		failed(m, d->path, d->why);
		goto out;
	}
	for (size_t i = 0; i < d->n; i++) {
		struct viewer *v = &m->v[d->slot[i]];
		char *link;

		if (d->slot[i] == 0)
			continue;
		if (next + 1 >= d->n_links)
			break;
		link = d->links[next++];
		/* Only to the viewer the envelope is for: the same key still,
		 * and the files right still (the host may have taken it back). */
		if (v->state != VIEWER_ACTIVE || !v->has_drop_pk ||
		    !(v->rights & MSG_RIGHT_FILES) ||
		    sodium_memcmp(v->drop_pk, d->pk[i], BLOB_KEY_LEN) != 0)
			continue;
		strip_key(link);
		buf_reset(&m->scratch);
		if (msg_drop_link_encode(&m->scratch, link) != 0 ||
		    master_send_pair(m, v, &m->scratch) != 0) {
			log_warn("cannot send the drop link to viewer %u", v->slot);
			continue;
		}
		event("drop-sent slot=%u", v->slot);
		sent++;
	}
	if (d->n_links > 0)
		event("drop-link link=\"%s\"", d->links[d->n_links - 1]);
	/* The host's own link (with #KEY) is for passing on by other means. */
	if (sent > 0)
		snprintf(m->drop_note, sizeof(m->drop_note), _("%s is on the relay: the "
		    "supporters who may receive files got a link to fetch it"), base_name(d->path));
	else
		/* TRANSLATORS: a chat note: the file's name, then a fernsicht:// link. */
		snprintf(m->drop_note, sizeof(m->drop_note), _("%s is on the relay; its link: %s"),
		    base_name(d->path), d->n_links > 0 ? d->links[d->n_links - 1] : "-");
out:
	sodium_memzero(d, sizeof(*d));
	free(d);
}

void
drop_free(struct master *m)
{
	drop_offer_free(m);
	if (m->drop == NULL)
		return;
	pthread_join(m->drop->thread, NULL);
	sodium_memzero(m->drop, sizeof(*m->drop));
	free(m->drop);
	m->drop = NULL;
}
