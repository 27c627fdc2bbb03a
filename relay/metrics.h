/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics.h - what the relay counts for its operators, and the Prometheus
 * text of it (GET /metrics on the admin listener, admin.h).
 *
 * One process, one thread, one loop: the counters are one global struct,
 * bumped where things happen (route.c, hello.c, conn.c, limit.c, server.c)
 * without threading a pointer through every layer. Gauges that the
 * relay's state already knows (sessions, viewers, open connections) are
 * not counted twice: the server gathers them when a scrape comes.
 *
 * The relay sees no plaintext; of the handshake it sees only the clear
 * HS_ABORT records in DATA frames flagged WIRE_F_HANDSHAKE (docs/PROTOCOL.md),
 * so a wrong code shows as hs_aborts{reason="confirm"} when the master
 * says so, and not at all when a peer just leaves.
 */
#ifndef RELAY_METRICS_H
#define RELAY_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

enum metrics_dir { METRICS_TO_MASTER, METRICS_TO_VIEWER, METRICS_DIRS };

/* How a client reached the relay: the transport tiers of docs/PROTOCOL.md. */
enum metrics_tier { METRICS_TCP, METRICS_TLS, METRICS_HTTP, METRICS_HTTPS, METRICS_TIERS };

enum {
	METRICS_CODES = 64,             /* wire error codes counted by number; above: "other" */
	METRICS_ABORTS = 16,            /* HS_ABORT reasons likewise */
};

struct relay_metrics {
	uint64_t sessions_started;      /* new numbers handed out (WELCOME to a new master) */
	uint64_t sessions_resumed;
	uint64_t joins;                 /* viewers let into a session */
	uint64_t bytes[METRICS_DIRS][METRICS_TIERS];    /* DATA bodies forwarded, by receiver */
	uint64_t frames[METRICS_DIRS][METRICS_TIERS];
	uint64_t refusals[METRICS_CODES + 1];           /* ERRORs sent, by code; last: other */
	uint64_t hs_aborts[METRICS_ABORTS + 1];         /* by msg_abort reason; last: other */
	uint64_t rate_limited;          /* connections or joins over an address's limits */
	uint64_t frames_dropped;        /* DATA to a slot just emptied */
	uint64_t evictions;             /* readers closed for a full queue or a stalled write */
	uint64_t connections[METRICS_TIERS];    /* accepted, by the tier their first bytes chose */
	uint64_t admin_requests;        /* admin listener: answered */
	uint64_t admin_refused;         /* admin listener: 401, 403 */
};

extern struct relay_metrics relay_metrics;

/* What the relay's state knows at the time of a scrape. */
struct drop_stats;

struct metrics_gauges {
	uint64_t sessions;              /* live here */
	uint64_t viewers;               /* in those sessions */
	uint64_t open[METRICS_TIERS];   /* connections open now, by tier */
	uint64_t open_other;            /* not sniffed yet, or closing: no tier */
	uint64_t numbers_held;          /* numbers the directory holds for this relay */
	bool draining;
	double uptime_s;
	const struct drop_stats *drop;  /* the file drop's (drop.h), or NULL: none here */
};

/* Count one ERROR with code sent to a client (or a refused accept). */
void metrics_refusal(uint16_t code);
/* The Prometheus text format (version 0.0.4) of every metric into out. */
int metrics_render(struct buf *out, const struct metrics_gauges *g) WUR;
/* "tcp", "tls", "http", "https". */
const char *metrics_tier_str(enum metrics_tier t);

#endif
