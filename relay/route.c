/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.c - relay frames between a master and its viewers (the contract
 * is in route.h). Sessions are rooms indexed by number; a conn knows its
 * room and slot.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "directory.h"
#include "limit.h"
#include "log.h"
#include "room.h"
#include "route.h"

struct route {
	struct route_config cfg;
	struct directory *dir;
	struct limit *limit;
	struct room *rooms[SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1];
	uint64_t frames_unknown, frames_dropped;
	struct log_rl rl_refuse, rl_proto, rl_drop;
};

struct route *
route_new(const struct route_config *cfg, struct directory *dir, struct limit *limit)
{
	struct route *rt;

	if ((rt = calloc(1, sizeof(*rt))) == NULL)
		return NULL;
	rt->cfg = *cfg;
	rt->dir = dir;
	rt->limit = limit;
	return rt;
}

void
route_free(struct route *rt)
{
	size_t k;

	if (rt == NULL)
		return;
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

static void
send_welcome(struct route *rt, struct conn *c, struct room *rm)
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

	buf_init(&b, WIRE_PREAUTH_MAX_BYTES);
	if (wire_welcome_encode(&b, &w) != 0 ||
	    conn_send(c, WIRE_WELCOME, 0, 0, 0, buf_ptr(&b), buf_len(&b)) != 0)
		conn_doom(c, WIRE_E_BUSY, "cannot queue WELCOME");
	buf_release(&b);
	conn_touch(c);
}

static void
hello_master(struct route *rt, struct conn *c)
{
	struct room *rm;
	uint32_t n;
	int r;

	if ((r = directory_alloc(rt->dir, (int64_t)time(NULL), &n)) == ERR_AGAIN) {
		/* a shared directory out of reach, or short of numbers claimed ahead */
		log_rl(&rt->rl_refuse, LOG_WARN, "conn=%llu: session directory unavailable "
		    "(%zu live)", (unsigned long long)c->id, directory_live_count(rt->dir));
		conn_close(c, WIRE_E_DIRECTORY, "session directory unavailable, try again");
		return;
	}
	if (r != 0) {
		log_warn("no free session number (%zu live)", directory_live_count(rt->dir));
		conn_close(c, WIRE_E_BUSY, "no free number");
		return;
	}
	if ((rm = room_new(n, c, rt->cfg.max_viewers)) == NULL) {
		directory_retire(rt->dir, n, (int64_t)time(NULL));
		conn_close(c, WIRE_E_BUSY, "out of memory");
		return;
	}
	rt->rooms[n - SESSION_NUMBER_MIN] = rm;
	c->state = CONN_MASTER;
	c->room = rm;
	c->slot = WIRE_SLOT_MASTER;
	send_welcome(rt, c, rm);
	log_info("welcome conn=%llu peer=%s master number=%u", (unsigned long long)c->id,
	    c->peer, n);
}

static void
hello_viewer(struct route *rt, struct conn *c, uint32_t n)
{
	struct room *rm = room_of(rt, n);
	struct buf b;
	uint16_t k, free_k;
	int rc;

	if (limit_join(rt->limit, &c->ip, rm != NULL, conn_now(c->set)) != 0) {
		log_rl(&rt->rl_refuse, LOG_INFO, "join refused conn=%llu peer=%s number=%u: rate",
		    (unsigned long long)c->id, c->peer, n);
		conn_close(c, WIRE_E_RATE, "join rate");
		return;
	}
	if (rm == NULL) {
		log_rl(&rt->rl_refuse, LOG_INFO, "join refused conn=%llu peer=%s number=%u: "
		    "no session", (unsigned long long)c->id, c->peer, n);
		conn_close(c, WIRE_E_NO_SESSION, "no session");
		return;
	}
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
	send_welcome(rt, c, rm);
	log_info("welcome conn=%llu peer=%s viewer number=%u slot=%u", (unsigned long long)c->id,
	    c->peer, n, k);
	buf_init(&b, 2 + WIRE_ADDR_TEXT_MAX);
	if ((rc = wire_addr_encode(&b, c->peer)) == 0)
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
	log_info("hello conn=%llu peer=%s role=%s number=%u name=\"%s\"",
	    (unsigned long long)c->id, c->peer, m.role == WIRE_ROLE_MASTER ? "master" : "viewer",
	    m.session, log_escape(esc, sizeof(esc), m.name, strlen(m.name)));
	if (m.role == WIRE_ROLE_MASTER)
		hello_master(rt, c);
	else
		hello_viewer(rt, c, m.session);
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

	while (!c->dead && c->doom == 0 &&
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
	log_info("retire number=%u: %s", rm->number, wire_error_str(vcode));
	directory_retire(rt->dir, rm->number, (int64_t)time(NULL));
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
route_shutdown(struct route *rt, int64_t now_s)
{
	struct room *rm;
	unsigned k;
	size_t i;

	for (i = 0; i < sizeof(rt->rooms) / sizeof(rt->rooms[0]); i++) {
		if ((rm = rt->rooms[i]) == NULL)
			continue;
		directory_retire(rt->dir, rm->number, now_s);
		rm->master->room = NULL;
		for (k = 1; k <= SESSION_VIEWERS_MAX; k++) {
			if (rm->viewer[k] == NULL)
				continue;
			rm->viewer[k]->room = NULL;
			rm->viewer[k]->paused = false;
		}
		room_free(rm);
		rt->rooms[i] = NULL;
	}
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
