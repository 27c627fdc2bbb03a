/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.c - relay frames between a master and its viewers (the contract
 * is in route.h). Sessions are rooms indexed by number; a conn knows its
 * room and slot.
 *
 * Here: the frames of a master or a viewer once its HELLO made it one
 * (DATA, KICK, END, PING), flow control between the two ends, what a
 * leave means to the others, and the sessions' end when the relay stops,
 * drains, or learns that a number moved to another relay. A conn's first
 * frame, its HELLO, goes to hello.c; what the two files share is in
 * route_private.h.
 */
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "directory.h"
#include "log.h"
#include "metrics.h"
#include "msg.h"
#include "room.h"
#include "route.h"
#include "route_private.h"

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

void
route_reload(struct route *rt, const struct route_config *cfg)
{
	size_t k;

	rt->cfg = *cfg;
	for (k = 0; k < sizeof(rt->rooms) / sizeof(rt->rooms[0]); k++)
		if (rt->rooms[k] != NULL)
			rt->rooms[k]->max_viewers = cfg->max_viewers;
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
		hello_ask_free(rt, rt->asks);
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

static void
flow(struct conn *v, uint8_t on)
{
	v->xoff = on == WIRE_FLOW_XOFF;
	log_debug("flow conn=%llu number=%u slot=%u %s", (unsigned long long)v->id,
	    v->room->number, v->slot, on == WIRE_FLOW_XOFF ? "xoff" : "xon");
	rooms_to_master(v->room, WIRE_FLOW, v->slot, &on, 1);
}

/* metrics: one DATA frame (body) queued to c, in direction d of rm */
static void
count_data(struct room *rm, const struct conn *c, enum metrics_dir d,
    const struct wire_hdr *h, const struct buf *body)
{
	enum metrics_tier t;
	uint8_t type, reason;

	if (conn_tier(c, &t)) {
		relay_metrics.bytes[d][t] += buf_len(body);
		relay_metrics.frames[d][t]++;
	}
	if (d == METRICS_TO_MASTER)
		rm->bytes_to_master += buf_len(body);
	else
		rm->bytes_to_viewers += buf_len(body);
	/* the one part of the handshake the relay can read: a clear HS_ABORT */
	if ((h->flags & WIRE_F_HANDSHAKE) && buf_len(body) == 2 &&
	    buf_peek_u8(body, 0, &type) == 0 && type == MSG_HS_ABORT &&
	    buf_peek_u8(body, 1, &reason) == 0)
		relay_metrics.hs_aborts[reason < METRICS_ABORTS ? reason : METRICS_ABORTS]++;
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
	count_data(v->room, v, METRICS_TO_VIEWER, h, body);
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

/*
 * The master's GRANT: a viewer it passed the drop grant to is gone, so the
 * grant moves to its next generation and the ones before are refused
 * (route_grant_live); the master gets the new one to pass on to those
 * that stay. A relay without a drop has nothing to renew.
 */
static void
renew_grant(struct route *rt, struct room *rm)
{
	uint8_t grant[DROP_GRANT_LEN];
	struct buf b;

	if (rt->cfg.drop_key == NULL)
		return;
	rm->grant_gen++;
	if (!rooms_grant(rt, rm, grant))
		return;
	buf_init(&b, 2 + sizeof(grant));
	if (wire_grant_encode(&b, grant, sizeof(grant)) == 0)
		rooms_to_master(rm, WIRE_GRANT, 0, buf_ptr(&b), buf_len(&b));
	buf_release(&b);
	sodium_memzero(grant, sizeof(grant));
	/* a master may ask in a loop: its own session's business, but not a
	 * line each in the operator's log */
	log_rl(&rt->rl_grant, LOG_INFO, "grant number=%u: renewed (generation %u), the ones "
	    "before refused", rm->number, rm->grant_gen);
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
			relay_metrics.frames_dropped++;
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
	case WIRE_GRANT:
		if (empty_control(rt, c, h, body))
			renew_grant(rt, rm);
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
		count_data(rm, rm->master, METRICS_TO_MASTER, h, body);
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
void
route_serve(struct route *rt, struct conn *c)
{
	struct wire_hdr h;
	struct buf body;
	size_t max;
	int rc;

	while (!c->dead && c->doom == 0 && c->ask == NULL &&
	    (c->state == CONN_PREAUTH || c->state == CONN_MASTER || c->state == CONN_VIEWER)) {
		if (c->state == CONN_VIEWER && c->room->paused)
			return;         /* left in c->in until the master drains */
		max = c->state == CONN_PREAUTH ? WIRE_PREAUTH_MAX_BYTES :
		    c->body_max != 0 ? c->body_max : rt->cfg.body_max;
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
			hello_take(rt, c, &h, &body);
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
		rooms_to_master(rm, WIRE_PEER_LEAVE, c->slot, b, sizeof(b));
		return;
	}
	/* the master: the session is over for everybody */
	vcode = code == WIRE_E_ENDED ? WIRE_E_ENDED : WIRE_E_MASTER_GONE;
	rooms_close_viewers(rm, vcode, vcode == WIRE_E_ENDED ? "session ended" : "master gone");
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
		route_serve(rt, v);          /* what waited in its input while paused */
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
	struct room *rm = rooms_find(rt, number);

	if (rm == NULL)
		return;
	log_info("number=%u moved to another relay: its session here ends", number);
	rooms_drop(rt, rm, "its master resumed on another relay");
}

static void
on_serve(void *arg, struct conn *c)
{
	route_serve(arg, c);
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
