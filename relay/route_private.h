/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route_private.h - inside route.c and hello.c only: struct route (the
 * sessions, the HELLOs waiting for the directory, the counters), struct
 * route_ask, and what each of the two files calls in the other. route.c
 * routes the frames of masters and viewers; hello.c answers a conn's
 * HELLO. The contract to the rest of the relay is in route.h.
 */
#ifndef RELAY_ROUTE_PRIVATE_H
#define RELAY_ROUTE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "conn.h"
#include "limits.h"
#include "log.h"
#include "route.h"
#include "wire.h"

struct room;

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
	struct log_rl rl_refuse, rl_proto, rl_drop, rl_grant;
};

/* rooms.c */

/* The session of number here, or NULL (also for a number out of range). */
struct room *rooms_find(struct route *rt, uint32_t number);
/* rm's file-drop grant as it stands (its number, uid and generation), good
 * for DROP_GRANT_TTL_S: false when this relay keeps no drop. */
bool rooms_grant(const struct route *rt, const struct room *rm, uint8_t out[DROP_GRANT_LEN]);
/* Queues a frame to rm's master (none to one about to go); a full queue dooms it. */
void rooms_to_master(struct room *rm, uint8_t type, uint16_t slot, const void *body, size_t n);
/* The session in rm ends here, its number not: its viewers hear MASTER_GONE,
 * its master's connection is dropped; why is logged. */
void rooms_drop(struct route *rt, struct room *rm, const char *why);
/* Every viewer of rm leaves it and hears code (with text). */
void rooms_close_viewers(struct room *rm, uint16_t code, const char *text);

/* route.c */

/* Handles the whole frames waiting in c->in until c closes, waits for the
 * directory, or is a viewer of a paused session. */
void route_serve(struct route *rt, struct conn *c);

/* hello.c */

/* c's frame before it is a master or a viewer: HELLO, or c is closed. */
void hello_take(struct route *rt, struct conn *c, const struct wire_hdr *h, struct buf *body);
/* Frees a (its conn, if any, waits no more). */
void hello_ask_free(struct route *rt, struct route_ask *a);

#endif
