/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hello.c - a conn's first relay frame, HELLO: it makes a master (of a
 * new number, with a fresh ticket in WELCOME, or of one resumed with its
 * ticket) or a viewer (of a session here, or sent on with REDIRECT to
 * the relay that holds its number), or it is refused. route.c hands a
 * conn's frames here until HELLO made it a master or a viewer, and takes
 * them from then on; what the two files share is in route_private.h.
 *
 * With session-policy = token, a master opening a new number needs a
 * token the operator issued (tokens.h); one resuming its number with its
 * ticket does not (the ticket came with a session the token opened), and
 * viewers never do (the session's code protects the session).
 *
 * A HELLO the directory cannot answer at once (a resume, a viewer's
 * number held by another relay) leaves its conn waiting: it reads no
 * more frames until the answer (struct route_ask), and an answer for a
 * conn that went meanwhile finds no conn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "directory.h"
#include "limit.h"
#include "log.h"
#include "metrics.h"
#include "room.h"
#include "route.h"
#include "route_private.h"
#include "ticket.h"
#include "tokens.h"

static struct route_ask *
ask_new(struct route *rt, struct conn *c)
{
	struct route_ask *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->rt = rt;
	a->c = c;
	a->next = rt->asks;
	if (rt->asks != NULL)
		rt->asks->prev = a;
	rt->asks = a;
	c->ask = a;
	return a;
}

void
hello_ask_free(struct route *rt, struct route_ask *a)
{
	if (a->c != NULL)
		a->c->ask = NULL;
	if (a->prev != NULL)
		a->prev->next = a->next;
	else
		rt->asks = a->next;
	if (a->next != NULL)
		a->next->prev = a->prev;
	sodium_memzero(a, sizeof(*a));
	free(a);
}

/* ticket: to a master, its resume ticket; NULL to a viewer. */
static void
send_welcome(struct route *rt, struct conn *c, struct room *rm, const uint8_t *ticket)
{
	struct wire_welcome w = {
		.session = rm->number,
		.slot = c->slot,
		.session_uid = rm->uid,
		.body_max = rm->body_max,
		.idle_timeout_ms = rm->idle_timeout_ms,
		.max_viewers = (uint16_t)rm->max_viewers,
	};
	struct buf b;

	c->body_max = rm->body_max;
	c->idle_timeout_ms = rm->idle_timeout_ms;
	conn_fit_body(c, rm->body_max);
	if (ticket != NULL) {
		w.has_ticket = true;
		memcpy(w.ticket, ticket, WIRE_TICKET_LEN);
	}
	/* file drop: the right to upload, for as long as a session may last;
	 * to the master only: a viewer's WELCOME comes before it proved the code,
	 * and a guessed number must not buy storage (its host passes a grant on
	 * in DROP_GRANT once it allowed the viewer) */
	if (c->state == CONN_MASTER && rooms_grant(rt, rm, w.drop_grant))
		w.drop_grant_len = DROP_GRANT_LEN;
	buf_init(&b, WIRE_PREAUTH_MAX_BYTES);
	if (wire_welcome_encode(&b, &w) != 0 ||
	    conn_send(c, WIRE_WELCOME, 0, 0, 0, buf_ptr(&b), buf_len(&b)) != 0)
		conn_doom(c, WIRE_E_BUSY, "cannot queue WELCOME");
	sodium_memzero(&w, sizeof(w));
	if (buf_len(&b) > 0)
		sodium_memzero((void *)buf_ptr(&b), buf_len(&b));
	buf_release(&b);
	conn_touch(c);
}

/* c is the master of number n from now on (a new number, or one resumed:
 * a session still here with another master connection is taken over). */
static void
become_master(struct route *rt, struct conn *c, uint32_t n, const uint8_t *ticket, bool resumed)
{
	struct room *rm = rooms_find(rt, n);

	if (rm != NULL) {
		log_info("number=%u: master conn=%llu replaced by conn=%llu (resumed)", n,
		    (unsigned long long)rm->master->id, (unsigned long long)c->id);
		rooms_drop(rt, rm, "its master resumed on another connection");
	}
	if ((rm = room_new(n, c, rt->cfg.max_viewers)) == NULL) {
		directory_away(rt->dir, n, (int64_t)time(NULL));
		conn_close(c, WIRE_E_BUSY, "out of memory");
		return;
	}
	/* a reload changes these for the sessions that start after it */
	rm->body_max = rt->cfg.body_max;
	rm->idle_timeout_ms = rt->cfg.idle_timeout_ms;
	rt->rooms[n - SESSION_NUMBER_MIN] = rm;
	rm->started_s = (int64_t)time(NULL);
	if (resumed)
		relay_metrics.sessions_resumed++;
	else
		relay_metrics.sessions_started++;
	c->state = CONN_MASTER;
	c->room = rm;
	c->slot = WIRE_SLOT_MASTER;
	c->unlogged = false;    /* a session's end is logged, whatever its address did */
	send_welcome(rt, c, rm, ticket);
	log_info("welcome conn=%llu peer=%s master number=%u%s", (unsigned long long)c->id,
	    c->peer, n, resumed ? " (resumed)" : "");
}

/* Send c on to the relay at to; false when to is no address (then nothing is sent). */
static bool
redirect(struct conn *c, const char *to)
{
	struct buf b;
	bool ok;

	buf_init(&b, 2 + WIRE_REDIRECT_TEXT_MAX);
	ok = wire_redirect_encode(&b, to) == 0 &&
	    conn_send(c, WIRE_REDIRECT, 0, 0, 0, buf_ptr(&b), buf_len(&b)) == 0;
	buf_release(&b);
	if (ok)
		conn_finish(c, "redirected");
	return ok;
}

/* A draining relay takes no master: on to another relay of the cluster,
 * or SHUTDOWN when it knows none. */
static void
refuse_master(struct route *rt, struct conn *c)
{
	const char *to = directory_elsewhere(rt->dir);

	if (to != NULL && redirect(c, to)) {
		log_info("redirect conn=%llu peer=%s master to=%s: draining",
		    (unsigned long long)c->id, c->peer, to);
		return;
	}
	log_info("refused conn=%llu peer=%s master: draining", (unsigned long long)c->id,
	    c->peer);
	conn_close(c, WIRE_E_SHUTDOWN, "relay draining");
}

static void
hello_new_master(struct route *rt, struct conn *c)
{
	uint8_t ticket[WIRE_TICKET_LEN], hash[TICKET_HASH_LEN];
	uint32_t n;
	int r;

	/* every number a session used cools for a day once it ends: one
	 * address opening sessions as fast as it can would use them all up */
	if (limit_session(rt->limit, &c->ip, conn_now(c->set)) != 0) {
		log_rl(&rt->rl_refuse, LOG_INFO, "refused conn=%llu peer=%s master: too many new "
		    "sessions from this address", (unsigned long long)c->id, c->peer);
		conn_close(c, WIRE_E_RATE, "session rate");
		return;
	}
	ticket_new(ticket, hash);
	r = directory_alloc(rt->dir, (int64_t)time(NULL), hash, &n);
	if (r != 0)
		limit_session_back(rt->limit, &c->ip);  /* no number used: try again at no cost */
	if (r == ERR_AGAIN) {
		/* a shared directory out of reach, or short of numbers claimed ahead */
		log_rl(&rt->rl_refuse, LOG_WARN, "conn=%llu: session directory unavailable "
		    "(%zu held)", (unsigned long long)c->id, directory_held_count(rt->dir));
		conn_close(c, WIRE_E_DIRECTORY, "session directory unavailable, try again");
	} else if (r != 0) {
		log_warn("no free session number (%zu held)", directory_held_count(rt->dir));
		conn_close(c, WIRE_E_BUSY, "no free number");
	} else {
		become_master(rt, c, n, ticket, false);
	}
	sodium_memzero(ticket, sizeof(ticket));
	sodium_memzero(hash, sizeof(hash));
}

/* The directory's answer to a master's resume. */
static void
on_resumed(void *arg, uint32_t n, int result)
{
	struct route_ask *a = arg;
	struct route *rt = a->rt;
	struct conn *c = a->c;
	bool later = rt->asking != a;
	uint8_t ticket[WIRE_TICKET_LEN];

	memcpy(ticket, a->ticket, sizeof(ticket));
	hello_ask_free(rt, a);
	if (c != NULL && c->state != CONN_PREAUTH)
		c = NULL;               /* closing meanwhile (the relay stops): no master */
	if (c == NULL || rt->draining) {
		/* nobody to be its master here: held away again (unless a
		 * master connection still has it) */
		if (result == 0 && rooms_find(rt, n) == NULL)
			directory_away(rt->dir, n, (int64_t)time(NULL));
		if (c != NULL)
			refuse_master(rt, c);
	} else if (result == ERR_AGAIN) {
		log_rl(&rt->rl_refuse, LOG_WARN, "resume refused conn=%llu peer=%s number=%u: "
		    "session directory unavailable", (unsigned long long)c->id, c->peer, n);
		conn_close(c, WIRE_E_DIRECTORY, "session directory unavailable, try again");
	} else if (result == ERR_LIMIT) {
		/* Not refused: the relay it resumed on just now may have died
		 * (a second failure soon after a first), so it tries again once
		 * the lock is over; a second holder of the ticket waits as long. */
		log_rl(&rt->rl_refuse, LOG_INFO, "resume deferred conn=%llu peer=%s number=%u: "
		    "resumed elsewhere just now", (unsigned long long)c->id, c->peer, n);
		conn_close(c, WIRE_E_AWAY, "the session moved to another relay just now, try "
		    "again");
	} else if (result != 0) {
		limit_miss(rt->limit, &c->ip, conn_now(c->set));
		log_rl(&rt->rl_refuse, LOG_INFO, "resume refused conn=%llu peer=%s number=%u: "
		    "no such number and ticket", (unsigned long long)c->id, c->peer, n);
		conn_close(c, WIRE_E_RESUME, "no session to resume");
	} else {
		become_master(rt, c, n, ticket, true);
	}
	sodium_memzero(ticket, sizeof(ticket));
	if (c != NULL && later)
		conn_serve(c);               /* what came while it waited */
}

static void
hello_resume(struct route *rt, struct conn *c, const struct wire_hello *m)
{
	uint8_t hash[TICKET_HASH_LEN];
	struct route_ask *a;

	if (limit_lookup(rt->limit, &c->ip, conn_now(c->set)) != 0) {
		log_rl(&rt->rl_refuse, LOG_INFO, "resume refused conn=%llu peer=%s number=%u: "
		    "rate", (unsigned long long)c->id, c->peer, m->session);
		conn_close(c, WIRE_E_RATE, "resume rate");
		return;
	}
	if ((a = ask_new(rt, c)) == NULL) {
		conn_close(c, WIRE_E_BUSY, "out of memory");
		return;
	}
	memcpy(a->ticket, m->ticket, WIRE_TICKET_LEN);
	ticket_hash(m->ticket, hash);
	rt->asking = a;
	directory_resume(rt->dir, m->session, hash, (int64_t)time(NULL), on_resumed, a);
	rt->asking = NULL;
	sodium_memzero(hash, sizeof(hash));
}

/* session-policy = token: whether m's token may open a session (else c is refused). */
static bool
token_accepted(struct route *rt, struct conn *c, const struct wire_hello *m)
{
	char why[128], text[WIRE_ERROR_TEXT_MAX + 1];

	if (rt->cfg.tokens == NULL ||
	    tokens_check(rt->cfg.tokens, m->token, (uint64_t)time(NULL), why, sizeof(why)) == 0)
		return true;
	log_rl(&rt->rl_refuse, LOG_INFO, "refused conn=%llu peer=%s master: session token %s",
	    (unsigned long long)c->id, c->peer, why);
	snprintf(text, sizeof(text), "session token %s", why);
	conn_close_text(c, WIRE_E_TOKEN, text, "session token refused");
	return false;
}

static void
hello_master(struct route *rt, struct conn *c, const struct wire_hello *m)
{
	if (rt->draining)
		refuse_master(rt, c);
	else if (m->has_ticket)
		hello_resume(rt, c, m);
	else if (token_accepted(rt, c, m))
		hello_new_master(rt, c);
}

static void
refuse_join(struct route *rt, struct conn *c, uint32_t n, uint16_t code, const char *why)
{
	log_rl(&rt->rl_refuse, LOG_INFO, "join refused conn=%llu peer=%s number=%u: %s",
	    (unsigned long long)c->id, c->peer, n, why);
	conn_close(c, code, why);
}

static void join(struct route *rt, struct conn *c, struct room *rm, const char *hint);

/* The directory's answer to where a viewer's number is. */
static void
on_located(void *arg, uint32_t n, enum directory_where where, const char *holder)
{
	struct route_ask *a = arg;
	struct route *rt = a->rt;
	struct conn *c = a->c;
	bool later = rt->asking != a;
	char hint[MSG_NAME_MAX + 1];
	struct room *rm;

	memcpy(hint, a->hint, sizeof(hint));
	hello_ask_free(rt, a);
	if (c == NULL || c->state != CONN_PREAUTH)
		return;                 /* gone, or closing meanwhile */
	if ((rm = rooms_find(rt, n)) != NULL) {
		join(rt, c, rm, hint);  /* resumed here while the question was out */
	} else switch (where) {
	case DIRECTORY_ELSEWHERE:
		if (redirect(c, holder)) {
			log_info("redirect conn=%llu peer=%s viewer number=%u to=%s",
			    (unsigned long long)c->id, c->peer, n, holder);
			break;
		}
		log_warn("number=%u: its relay's address '%s' cannot go into a REDIRECT", n,
		    holder);
		refuse_join(rt, c, n, WIRE_E_NO_SESSION, "no session");
		break;
	case DIRECTORY_HERE:
	case DIRECTORY_AWAY:
		refuse_join(rt, c, n, WIRE_E_AWAY, "host away");
		break;
	case DIRECTORY_UNKNOWN:
		refuse_join(rt, c, n, WIRE_E_DIRECTORY, "session directory unavailable");
		break;
	case DIRECTORY_NOBODY:
		limit_miss(rt->limit, &c->ip, conn_now(c->set));
		refuse_join(rt, c, n, WIRE_E_NO_SESSION, "no session");
		break;
	}
	if (later)
		conn_serve(c);
}

static void
hello_viewer(struct route *rt, struct conn *c, uint32_t n, const char *hint)
{
	struct room *rm = rooms_find(rt, n);
	enum directory_where here = rm != NULL ? DIRECTORY_HERE : directory_here(rt->dir, n);
	struct route_ask *a;

	/* A number held here (live or away) is known: its viewers come back
	 * while its master is away. Any other costs a join now, and more if
	 * nobody holds it (a guess). */
	if ((here != DIRECTORY_NOBODY ? limit_join(rt->limit, &c->ip, true, conn_now(c->set)) :
	    limit_lookup(rt->limit, &c->ip, conn_now(c->set))) != 0) {
		refuse_join(rt, c, n, WIRE_E_RATE, "rate");
		return;
	}
	if (rm != NULL) {
		join(rt, c, rm, hint);
		return;
	}
	if (here != DIRECTORY_NOBODY) {
		/* away, or live here but its master not back yet */
		refuse_join(rt, c, n, WIRE_E_AWAY, "host away");
		return;
	}
	if ((a = ask_new(rt, c)) == NULL) {
		conn_close(c, WIRE_E_BUSY, "out of memory");
		return;
	}
	snprintf(a->hint, sizeof(a->hint), "%s", hint);
	rt->asking = a;
	directory_lookup(rt->dir, n, on_located, a);
	rt->asking = NULL;
}

/* Viewer c joins the session in rm. */
static void
join(struct route *rt, struct conn *c, struct room *rm, const char *hint)
{
	uint32_t n = rm->number;
	struct buf b;
	uint16_t k, free_k;
	int rc;

	if (room_full(rm)) {
		log_rl(&rt->rl_refuse, LOG_INFO, "join refused conn=%llu peer=%s number=%u: full",
		    (unsigned long long)c->id, c->peer, n);
		conn_close(c, WIRE_E_FULL, "session full");
		return;
	}
	/* Strangers stuck in the handshake must not keep the real viewer out:
	 * the oldest of them makes room. BUSY, not TIMEOUT: no clock ran out,
	 * its slot went to a newer join, and trying again may work. */
	/* The newcomer never gets the slot just emptied: frames the master
	 * still sends to the one pushed out (a handshake message, its first
	 * pairwise record) would reach the newcomer, and could even count as
	 * its verification. With no other slot free it waits for one. */
	free_k = room_free_slot(rm);
	if ((k = room_to_evict(rm)) != 0) {
		struct conn *old = rm->viewer[k];

		if (free_k == 0) {
			log_rl(&rt->rl_refuse, LOG_INFO, "join refused conn=%llu peer=%s "
			    "number=%u: no slot but a held one", (unsigned long long)c->id,
			    c->peer, n);
			conn_close(c, WIRE_E_BUSY, "no free slot; try again");
			return;
		}
		log_info("evict conn=%llu peer=%s number=%u slot=%u: oldest unverified, "
		    "for conn=%llu", (unsigned long long)old->id, old->peer, n, k,
		    (unsigned long long)c->id);
		conn_close(old, WIRE_E_BUSY, "pushed out by a newer join");
	}
	k = free_k;
	room_add(rm, k, c);
	relay_metrics.joins++;
	c->state = CONN_VIEWER;
	c->room = rm;
	c->slot = k;
	c->paused = rm->paused;
	c->unlogged = false;
	send_welcome(rt, c, rm, NULL);
	log_info("welcome conn=%llu peer=%s viewer number=%u slot=%u", (unsigned long long)c->id,
	    c->peer, n, k);
	buf_init(&b, 2 + WIRE_ADDR_TEXT_MAX + 2 + MSG_NAME_MAX);
	if ((rc = wire_join_encode(&b, c->peer, hint)) == 0)
		rooms_to_master(rm, WIRE_PEER_JOIN, k, buf_ptr(&b), buf_len(&b));
	buf_release(&b);
	if (rc != 0)
		conn_close(c, WIRE_E_BUSY, "address too long");
	else if (rm->paused)
		conn_touch(c);       /* joined a paused room: not read until it drains */
}

void
hello_take(struct route *rt, struct conn *c, const struct wire_hdr *h, struct buf *body)
{
	char esc[4 * LOG_ESCAPE_MAX + 4];
	struct wire_hello m;
	uint8_t version;

	if (h->type != WIRE_HELLO || h->flags != 0) {
		log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: %s before HELLO",
		    (unsigned long long)c->id, c->peer, wire_type_str(h->type));
		conn_close(c, WIRE_E_PROTOCOL, "no HELLO");
		return;
	}
	/* the version first: another version may lay out the rest differently */
	if (buf_len(body) >= 5 && memcmp(buf_ptr(body), WIRE_MAGIC, 4) == 0 &&
	    buf_peek_u8(body, 4, &version) == 0 && version != WIRE_VERSION) {
		log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: version %u",
		    (unsigned long long)c->id, c->peer, version);
		conn_close(c, WIRE_E_VERSION, "version");
		return;
	}
	if (wire_hello_decode(body, &m) != 0) {
		log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: malformed HELLO",
		    (unsigned long long)c->id, c->peer);
		conn_close(c, WIRE_E_PROTOCOL, "malformed HELLO");
		return;
	}
	conn_authed(c);
	log_info("hello conn=%llu peer=%s role=%s number=%u%s name=\"%s\"",
	    (unsigned long long)c->id, c->peer, m.role == WIRE_ROLE_MASTER ? "master" : "viewer",
	    m.session, m.has_ticket ? " resume" : "",
	    log_escape(esc, sizeof(esc), m.name, strlen(m.name)));
	if (m.role == WIRE_ROLE_MASTER)
		hello_master(rt, c, &m);
	else
		hello_viewer(rt, c, m.session, m.name);
	sodium_memzero(&m, sizeof(m));
}
