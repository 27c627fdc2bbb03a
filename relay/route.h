/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route.h - what the relay does with relay frames (docs/PROTOCOL.md
 * section 1): HELLO makes a master or a viewer, DATA is forwarded with
 * its slot rewritten to the sender's, KICK and END remove viewers, PING is
 * answered. Also what a leave means to the others in the session, and
 * flow control between the ends.
 *
 * The sessions live here: one struct room (room.h) per live number, the
 * number from the directory (directory.h). A master's new number comes
 * with a fresh ticket (ticket.h) in WELCOME; HELLO with the number and
 * the ticket resumes it (docs/PROTOCOL.md 1.2). A master's connection
 * lost without END leaves its number away, not retired. route.c (and
 * hello.c, which answers HELLO) work on conns through conn.h only; the
 * server registers route_ops for the conn kinds that speak frames
 * (CONN_RAW and CONN_TUNNEL) with the struct route as arg.
 */
#ifndef RELAY_ROUTE_H
#define RELAY_ROUTE_H

#include <stdbool.h>
#include <stdint.h>

#include "conn.h"

struct directory;
struct limit;
struct route;
struct tokens;

struct route_config {
	uint32_t body_max;              /* frame bodies after HELLO, announced in WELCOME */
	uint32_t max_viewers;           /* verified viewers per session */
	uint32_t idle_timeout_ms;       /* announced in WELCOME */
	/* file drop: the key that signs WELCOME's upload grant (drop.h), or
	 * NULL: no drop here, no grant */
	const uint8_t *drop_key;
	/* session-creation tokens: non-NULL, a master opening a
	 * session must present a token these keys accept */
	const struct tokens *tokens;
};

/* The frame hooks: serve, eof (the frames before the end count too),
 * drained (FLOW XON, or read a paused session's viewers again), leave. */
extern const struct conn_ops route_ops;

/* Borrows dir and limit. NULL when out of memory. */
struct route *route_new(const struct route_config *cfg, struct directory *dir,
    struct limit *limit);
/*
 * A reload: new sessions get cfg's body_max and idle_timeout_ms in their
 * WELCOME (a live session keeps what it was told); max_viewers holds for
 * every session from the next join on (viewers already in stay).
 */
void route_reload(struct route *rt, const struct route_config *cfg);
/* Forgets the sessions still there (route_release holds them away first)
 * and the HELLOs waiting for the directory. NULL is fine. */
void route_free(struct route *rt);
/*
 * The relay stops serving its sessions (it shuts down or drains): every
 * number is held away in the directory (its master resumes it on another
 * relay of the cluster, or here after a restart with --state-dir), every
 * master and viewer gets RESTARTING and closes, every session is
 * forgotten.
 */
void route_release(struct route *rt, int64_t now_s);
/*
 * SIGUSR1: route_release, and from now on no new session and no resume
 * here: a master's HELLO gets REDIRECT to a relay of the cluster that is
 * up and not draining, or ERROR SHUTDOWN. Viewers are served as before
 * (a number held away here: AWAY; one that moved: REDIRECT).
 */
void route_drain(struct route *rt, int64_t now_s);
/* For drop_set_live (arg: the struct route): whether a grant is for a
 * session live here, with the same uid, in its current generation (a
 * master renews the grant with GRANT when a viewer it gave it to is gone). */
struct drop_grant_of;
bool route_grant_live(void *arg, const struct drop_grant_of *g);
/* Frames skipped for their unknown type, and DATA to slots just emptied. */
uint64_t route_frames_unknown(const struct route *rt);
uint64_t route_frames_dropped(const struct route *rt);

/* admin API (route_admin.c) */

/* Sessions live here, and the viewers in them. */
void route_count(const struct route *rt, uint64_t *sessions, uint64_t *viewers);
/* {"sessions":[...]}: each live session's number, age, viewers, bytes each
 * way, and its peers' addresses and tiers. */
int route_sessions_json(const struct route *rt, struct buf *out, int64_t now_s) WUR;
/* End the live session number as if its master had sent END: everyone
 * hears ENDED and the number is retired. false: no such session here. */
bool route_end(struct route *rt, uint32_t number);
/* Retire number: a live session here ends (route_end), one held away here
 * or a free one is retired in the directory. What it was ("live", "away",
 * "free"), or NULL when another relay holds it or the directory cannot
 * tell now (nothing changed then). */
const char *route_retire(struct route *rt, uint32_t number, int64_t now_s);

#endif
