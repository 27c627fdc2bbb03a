/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.c - relay frames between a master and its viewers (the contract
 * is in route.h). Sessions are rooms indexed by number; a conn knows its
 * room and slot.
 *
 * A HELLO the directory cannot answer at once (a resume, a viewer's
 * number held by another relay) leaves its conn waiting: it reads no
 * more frames until the answer (struct route_ask), and an answer for a
 * conn that went meanwhile finds no conn.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "directory.h"
#include "limit.h"
#include "log.h"
#include "room.h"
#include "route.h"
#include "ticket.h"

/* A HELLO waiting for the directory. */
struct route_ask {
	struct route *rt;
	struct conn *c;                 /* NULL once c left */
	uint8_t ticket[WIRE_TICKET_LEN];        /* a master's: for its WELCOME */
	char hint[MSG_NAME_MAX + 1];    /* a viewer's: for PEER_JOIN */
	struct route_ask *prev, *next;
};

struct route {
	struct route_config cfg;
	struct directory *dir;
	struct limit *limit;
	struct room *rooms[SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1];
	struct route_ask *asks;         /* every ask not answered yet */
	struct route_ask *asking;       /* the one whose question is being put */
	bool draining;                  /* no new sessions or resumes here */
	uint64_t frames_unknown, frames_dropped;
	struct log_rl rl_refuse, rl_proto, rl_drop;
};

static void on_moved(void *arg, uint32_t number);

struct route *
route_new(const struct route_config *cfg, struct directory *dir, struct limit *limit)
{
	struct route *rt;

	if ((rt = calloc(1, sizeof(*rt))) == NULL)
		return NULL;
	rt->cfg = *cfg;
	rt->dir = dir;
	rt->limit = limit;
	directory_on_moved(dir, on_moved, rt);
	return rt;
}

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

static void
ask_free(struct route *rt, struct route_ask *a)
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

void
route_free(struct route *rt)
{
	size_t k;

	if (rt == NULL)
		return;
	/* the directory answers no more once it is freed, which comes next */
	directory_on_moved(rt->dir, NULL, NULL);
	while (rt->asks != NULL)
		ask_free(rt, rt->asks);
	for (k = 0; k < sizeof(rt->rooms) / sizeof(rt->rooms[0]); k++)
		room_free(rt->rooms[k]);
	free(rt);
}

uint64_t
route_frames_unknown(const struct route *rt)
{
	return rt->frames_unknown;
}

uint64_t
route_frames_dropped(const struct route *rt)
{
	return rt->frames_dropped;
}

static struct room *
room_of(struct route *rt, uint32_t number)
{
	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX)
		return NULL;
	return rt->rooms[number - SESSION_NUMBER_MIN];
}

/* The master's queue is high (or low again): its viewers are not read (or are). */
static void
set_paused(struct room *rm, bool paused)
{
	unsigned k;

	rm->paused = paused;
	for (k = 1; k <= SESSION_VIEWERS_MAX; k++)
		if (rm->viewer[k] != NULL)
			rm->viewer[k]->paused = paused;
}

/* A frame to the master. Its queue is past every cap: end it, but not now. */
static void
to_master(struct room *rm, uint8_t type, uint16_t slot, const void *body, size_t n)
{
	struct conn *m = rm->master;

	if (m->doom != 0)
		return;
	if (conn_send(m, type, 0, slot, 0, body, n) != 0) {
		conn_doom(m, WIRE_E_SLOW, "output queue full");
		return;
	}
	conn_touch(m);
}

static void
flow(struct conn *v, uint8_t on)
{
	v->xoff = on == WIRE_FLOW_XOFF;
	log_debug("flow conn=%llu number=%u slot=%u %s", (unsigned long long)v->id,
	    v->room->number, v->slot, on == WIRE_FLOW_XOFF ? "xoff" : "xon");
	to_master(v->room, WIRE_FLOW, v->slot, &on, 1);
}

/* ticket: to a master, its resume ticket; NULL to a viewer. */
static void
send_welcome(struct route *rt, struct conn *c, struct room *rm, const uint8_t *ticket)
{
	struct wire_welcome w = {
		.session = rm->number,
		.slot = c->slot,
		.session_uid = rm->uid,
		.body_max = rt->cfg.body_max,
		.idle_timeout_ms = rt->cfg.idle_timeout_ms,
		.max_viewers = (uint16_t)rm->max_viewers,
	};
	struct buf b;

	if (ticket != NULL) {
		w.has_ticket = true;
		memcpy(w.ticket, ticket, WIRE_TICKET_LEN);
	}
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

/* The session in rm ends here without its number ending: its viewers
 * hear MASTER_GONE, its master's connection is dropped without a word
 * (it is dead, or the same master is connected again elsewhere). */
static void
drop_room(struct route *rt, struct room *rm, const char *why)
{
	struct conn *m = rm->master;
	unsigned k;

	for (k = 1; k <= SESSION_VIEWERS_MAX; k++) {
		struct conn *v = rm->viewer[k];

		if (v == NULL)
			continue;
		room_remove(rm, (uint16_t)k);
		v->room = NULL;
		v->paused = false;
		conn_close(v, WIRE_E_MASTER_GONE, "master gone");
	}
	rt->rooms[rm->number - SESSION_NUMBER_MIN] = NULL;
	m->room = NULL;
	m->paused = false;
	room_free(rm);
	conn_lost(m, why);
}

/* c is the master of number n from now on (a new number, or one resumed:
 * a session still here with another master connection is taken over). */
static void
become_master(struct route *rt, struct conn *c, uint32_t n, const uint8_t *ticket, bool resumed)
{
	struct room *rm = room_of(rt, n);

	if (rm != NULL) {
		log_info("number=%u: master conn=%llu replaced by conn=%llu (resumed)", n,
		    (unsigned long long)rm->master->id, (unsigned long long)c->id);
		drop_room(rt, rm, "its master resumed on another connection");
	}
	if ((rm = room_new(n, c, rt->cfg.max_viewers)) == NULL) {
		directory_away(rt->dir, n, (int64_t)time(NULL));
		conn_close(c, WIRE_E_BUSY, "out of memory");
		return;
	}
	rt->rooms[n - SESSION_NUMBER_MIN] = rm;
	c->state = CONN_MASTER;
	c->room = rm;
	c->slot = WIRE_SLOT_MASTER;
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

	ticket_new(ticket, hash);
	r = directory_alloc(rt->dir, (int64_t)time(NULL), hash, &n);
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

static void frames(struct route *rt, struct conn *c);

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
	ask_free(rt, a);
	if (c != NULL && c->state != CONN_PREAUTH)
		c = NULL;               /* closing meanwhile (the relay stops): no master */
	if (c == NULL || rt->draining) {
		/* nobody to be its master here: held away again (unless a
		 * master connection still has it) */
		if (result == 0 && room_of(rt, n) == NULL)
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
		conn_close(c, WIRE_E_AWAY, "the session moved to another relay just now, try again");
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
		frames(rt, c);          /* what came while it waited */
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

static void
hello_master(struct route *rt, struct conn *c, const struct wire_hello *m)
{
	if (rt->draining)
		refuse_master(rt, c);
	else if (m->has_ticket)
		hello_resume(rt, c, m);
	else
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
	ask_free(rt, a);
	if (c == NULL || c->state != CONN_PREAUTH)
		return;                 /* gone, or closing meanwhile */
	if ((rm = room_of(rt, n)) != NULL) {
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
		frames(rt, c);
}

static void
hello_viewer(struct route *rt, struct conn *c, uint32_t n, const char *hint)
{
	struct room *rm = room_of(rt, n);
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
	c->state = CONN_VIEWER;
	c->room = rm;
	c->slot = k;
	c->paused = rm->paused;
	send_welcome(rt, c, rm, NULL);
	log_info("welcome conn=%llu peer=%s viewer number=%u slot=%u", (unsigned long long)c->id,
	    c->peer, n, k);
	buf_init(&b, 2 + WIRE_ADDR_TEXT_MAX + 2 + MSG_NAME_MAX);
	if ((rc = wire_join_encode(&b, c->peer, hint)) == 0)
		to_master(rm, WIRE_PEER_JOIN, k, buf_ptr(&b), buf_len(&b));
	buf_release(&b);
	if (rc != 0)
		conn_close(c, WIRE_E_BUSY, "address too long");
	else if (rm->paused)
		conn_touch(c);       /* joined a paused room: not read until it drains */
}

static void
on_hello(struct route *rt, struct conn *c, const struct wire_hdr *h, struct buf *body)
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

/* DATA for viewer v, from the master. Never dropped: a full queue evicts v. */
static void
to_viewer(struct conn *v, const struct wire_hdr *h, const struct buf *body)
{
	if (conn_send(v, WIRE_DATA, h->flags, WIRE_SLOT_MASTER, h->seq, buf_ptr(body),
	    buf_len(body)) != 0) {
		log_info("evict conn=%llu peer=%s number=%u slot=%u: queue over %d bytes",
		    (unsigned long long)v->id, v->peer, v->room->number, v->slot,
		    RELAY_OUTBUF_MAX_BYTES);
		conn_close(v, WIRE_E_SLOW, "evicted: queue full");
		return;
	}
	conn_touch(v);
	if (!v->xoff && buf_len(&v->out) > RELAY_OUTBUF_HIGH_BYTES)
		flow(v, WIRE_FLOW_XOFF);
}

static bool
empty_control(struct route *rt, struct conn *c, const struct wire_hdr *h, const struct buf *body)
{
	if (h->flags == 0 && buf_len(body) == 0)
		return true;
	log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: malformed %s",
	    (unsigned long long)c->id, c->peer, wire_type_str(h->type));
	conn_close(c, WIRE_E_PROTOCOL, "malformed control frame");
	return false;
}

static void
pong(struct conn *c)
{
	if (conn_send(c, WIRE_PONG, 0, 0, 0, NULL, 0) != 0) {
		conn_close(c, WIRE_E_SLOW, "queue full");
		return;
	}
	conn_touch(c);
}

static void
unknown(struct conn *c, const struct wire_hdr *h, struct route *rt)
{
	c->frames_unknown++;
	rt->frames_unknown++;
	log_debug("conn=%llu: skipped frame of unknown type %u", (unsigned long long)c->id,
	    h->type);
}

static bool
known_type(uint8_t t)
{
	return t >= WIRE_HELLO && t <= WIRE_RESTARTING;
}

/* The master sent v its first PAIR record: v proved the code and counts
 * against max_viewers now. false: there is no room for it (v is closed). */
static bool
verify(struct conn *v)
{
	struct room *rm = v->room;

	if (room_full(rm)) {
		log_info("join refused conn=%llu peer=%s number=%u slot=%u: full once verified",
		    (unsigned long long)v->id, v->peer, rm->number, v->slot);
		conn_close(v, WIRE_E_FULL, "session full");
		return false;
	}
	room_verify(rm, v->slot);
	log_info("verified number=%u slot=%u conn=%llu", rm->number, v->slot,
	    (unsigned long long)v->id);
	return true;
}

static void
on_master(struct route *rt, struct conn *c, const struct wire_hdr *h, struct buf *body)
{
	struct room *rm = c->room;
	struct conn *v;
	unsigned k;

	switch (h->type) {
	case WIRE_DATA:
		if (h->slot == WIRE_SLOT_ALL) {
			for (k = 1; k <= SESSION_VIEWERS_MAX; k++)
				if ((v = rm->viewer[k]) != NULL)
					to_viewer(v, h, body);
		} else if ((v = room_viewer(rm, h->slot)) != NULL) {
			if ((h->flags & WIRE_F_PAIR) && !rm->verified[h->slot] && !verify(v))
				return;
			to_viewer(v, h, body);
		} else {
			/* a viewer that just left: its stream is gone with it */
			c->frames_dropped++;
			rt->frames_dropped++;
			log_rl(&rt->rl_drop, LOG_DEBUG, "number=%u: DATA to empty slot %u dropped",
			    rm->number, h->slot);
		}
		return;
	case WIRE_KICK:
		if (!empty_control(rt, c, h, body))
			return;
		if (h->slot == 0 || h->slot > SESSION_VIEWERS_MAX) {
			conn_close(c, WIRE_E_PROTOCOL, "KICK of an impossible slot");
			return;
		}
		if ((v = room_viewer(rm, h->slot)) == NULL)
			return;         /* already gone: its PEER_LEAVE is on the way */
		log_info("kick number=%u slot=%u conn=%llu", rm->number, h->slot,
		    (unsigned long long)v->id);
		conn_close(v, WIRE_E_KICKED, "kicked");
		return;
	case WIRE_END:
		if (!empty_control(rt, c, h, body))
			return;
		log_info("end number=%u viewers=%u", rm->number, rm->viewers);
		conn_close(c, WIRE_E_ENDED, "ended");
		return;
	case WIRE_PING:
		if (empty_control(rt, c, h, body))
			pong(c);
		return;
	default:
		break;
	}
	if (!known_type(h->type)) {
		unknown(c, h, rt);
		return;
	}
	log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: master sent %s",
	    (unsigned long long)c->id, c->peer, wire_type_str(h->type));
	conn_close(c, WIRE_E_PROTOCOL, "frame not allowed");
}

static void
pause_room(struct room *rm)
{
	unsigned k;

	set_paused(rm, true);
	log_debug("number=%u: master queue high, viewers paused", rm->number);
	for (k = 1; k <= SESSION_VIEWERS_MAX; k++)
		if (rm->viewer[k] != NULL)
			conn_touch(rm->viewer[k]);
}

static void
on_viewer(struct route *rt, struct conn *c, const struct wire_hdr *h, struct buf *body)
{
	struct room *rm = c->room;

	switch (h->type) {
	case WIRE_DATA:
		if (rm->master->doom != 0)
			return;         /* the master is about to go */
		if (conn_send(rm->master, WIRE_DATA, h->flags, c->slot, h->seq, buf_ptr(body),
		    buf_len(body)) != 0) {
			conn_doom(rm->master, WIRE_E_SLOW, "output queue full");
			return;
		}
		conn_touch(rm->master);
		if (!rm->paused && buf_len(&rm->master->out) > RELAY_OUTBUF_HIGH_BYTES)
			pause_room(rm);
		return;
	case WIRE_PING:
		if (empty_control(rt, c, h, body))
			pong(c);
		return;
	default:
		break;
	}
	if (!known_type(h->type)) {
		unknown(c, h, rt);
		return;
	}
	log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: viewer sent %s",
	    (unsigned long long)c->id, c->peer, wire_type_str(h->type));
	conn_close(c, WIRE_E_PROTOCOL, "frame not allowed");
}

/* Handle every whole frame waiting in c->in (until c closes or pauses). */
static void
frames(struct route *rt, struct conn *c)
{
	struct wire_hdr h;
	struct buf body;
	size_t max;
	int rc;

	while (!c->dead && c->doom == 0 && c->ask == NULL &&
	    (c->state == CONN_PREAUTH || c->state == CONN_MASTER || c->state == CONN_VIEWER)) {
		if (c->state == CONN_VIEWER && c->room->paused)
			return;         /* left in c->in until the master drains */
		max = c->state == CONN_PREAUTH ? WIRE_PREAUTH_MAX_BYTES : rt->cfg.body_max;
		rc = wire_next(&c->in, max, &h, &body);
		if (rc == ERR_INCOMPLETE)
			return;
		if (rc != 0) {
			log_rl(&rt->rl_proto, LOG_INFO, "conn=%llu peer=%s: frame over %zu bytes",
			    (unsigned long long)c->id, c->peer, max);
			conn_close(c, WIRE_E_TOO_LARGE, "frame too large");
			return;
		}
		c->rx_ms = conn_now(c->set);
		if (c->state == CONN_PREAUTH)
			on_hello(rt, c, &h, &body);
		else if (c->state == CONN_MASTER)
			on_master(rt, c, &h, &body);
		else
			on_viewer(rt, c, &h, &body);
	}
}

/* c leaves its room for reason code: tell the master, or end the session. */
static void
leave(struct route *rt, struct conn *c, uint16_t code)
{
	struct room *rm = c->room;
	uint8_t b[2] = { (uint8_t)(code >> 8), (uint8_t)code };
	uint16_t vcode;
	unsigned k;

	if (c->ask != NULL) {           /* its answer will find nobody */
		c->ask->c = NULL;
		c->ask = NULL;
	}
	if (rm == NULL)
		return;
	c->room = NULL;
	c->paused = false;
	if (c->state == CONN_VIEWER) {
		log_info("leave number=%u slot=%u conn=%llu: %s", rm->number, c->slot,
		    (unsigned long long)c->id, wire_error_str(code));
		room_remove(rm, c->slot);
		to_master(rm, WIRE_PEER_LEAVE, c->slot, b, sizeof(b));
		return;
	}
	/* the master: the session is over for everybody */
	vcode = code == WIRE_E_ENDED ? WIRE_E_ENDED : WIRE_E_MASTER_GONE;
	for (k = 1; k <= SESSION_VIEWERS_MAX; k++) {
		struct conn *v = rm->viewer[k];

		if (v == NULL)
			continue;
		room_remove(rm, (uint16_t)k);
		v->room = NULL;
		v->paused = false;
		conn_close(v, vcode, vcode == WIRE_E_ENDED ? "session ended" : "master gone");
	}
	if (code == WIRE_E_ENDED) {
		log_info("retire number=%u: %s", rm->number, wire_error_str(vcode));
		directory_retire(rt->dir, rm->number, (int64_t)time(NULL));
	} else {
		/* not ended: its master may come back with its ticket */
		log_info("away number=%u: %s (%s); resumable for %d s", rm->number,
		    wire_error_str(vcode), wire_error_str(code), RELAY_RESUME_GRACE_MS / 1000);
		directory_away(rt->dir, rm->number, (int64_t)time(NULL));
	}
	rt->rooms[rm->number - SESSION_NUMBER_MIN] = NULL;
	room_free(rm);
}

/* c wrote some of its queue: send FLOW XON, or read the viewers again. */
static void
drained(struct route *rt, struct conn *c)
{
	struct room *rm = c->room;
	unsigned k;

	if (rm == NULL || buf_len(&c->out) >= RELAY_OUTBUF_LOW_BYTES)
		return;
	if (c->state == CONN_VIEWER && c->xoff) {
		flow(c, WIRE_FLOW_XON);
		return;
	}
	if (c->state != CONN_MASTER || !rm->paused)
		return;
	set_paused(rm, false);
	log_debug("number=%u: master queue low, viewers resumed", rm->number);
	for (k = 1; k <= SESSION_VIEWERS_MAX && !rm->paused && c->room == rm; k++) {
		struct conn *v = rm->viewer[k];

		if (v == NULL)
			continue;
		conn_touch(v);
		frames(rt, v);          /* what waited in its input while paused */
	}
}

void
route_release(struct route *rt, int64_t now_s)
{
	struct room *rm;
	unsigned k;
	size_t i;

	for (i = 0; i < sizeof(rt->rooms) / sizeof(rt->rooms[0]); i++) {
		if ((rm = rt->rooms[i]) == NULL)
			continue;
		directory_away(rt->dir, rm->number, now_s);
		rm->master->room = NULL;
		rm->master->paused = false;
		conn_restart(rm->master, "relay restarting");
		for (k = 1; k <= SESSION_VIEWERS_MAX; k++) {
			struct conn *v = rm->viewer[k];

			if (v == NULL)
				continue;
			v->room = NULL;
			v->paused = false;
			conn_restart(v, "relay restarting");
		}
		room_free(rm);
		rt->rooms[i] = NULL;
	}
}

void
route_drain(struct route *rt, int64_t now_s)
{
	rt->draining = true;
	route_release(rt, now_s);
}

/* The directory says number went to another relay: its session here is over. */
static void
on_moved(void *arg, uint32_t number)
{
	struct route *rt = arg;
	struct room *rm = room_of(rt, number);

	if (rm == NULL)
		return;
	log_info("number=%u moved to another relay: its session here ends", number);
	drop_room(rt, rm, "its master resumed on another relay");
}

static void
on_serve(void *arg, struct conn *c)
{
	frames(arg, c);
}

static void
on_drained(void *arg, struct conn *c)
{
	drained(arg, c);
}

static void
on_leave(void *arg, struct conn *c, uint16_t code)
{
	leave(arg, c, code);
}

const struct conn_ops route_ops = {
	.serve = on_serve,
	.eof = on_serve,        /* the frames before the end count: a viewer's last DATA, an END */
	.drained = on_drained,
	.leave = on_leave,
};
