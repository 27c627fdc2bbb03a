/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limit.h - per client address: open connections, connections that have
 * not sent HELLO yet, two token buckets for joins (one for any join,
 * a much stricter one for joins to numbers that are not live, which is
 * what guessing looks like), one for new sessions and one for the lines
 * its connections write to the log. An IPv6 "address" is its /64: a single host
 * commonly has a whole /64 to take addresses from.
 *
 * An address stays in the table while it has connections or a bucket that
 * is not yet full again, so reconnecting does not refill a bucket. Times
 * are monotonic milliseconds passed in by the caller.
 */
#ifndef RELAY_LIMIT_H
#define RELAY_LIMIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

struct limit_key {
	uint8_t a[16];                  /* IPv6 /64 prefix, or IPv4 as ::ffff:a.b.c.d */
};

struct limit;

/* joins_per_min: the rate of joins to live numbers per address (the
 * stricter rate for unknown numbers is fixed in limits.h). */
struct limit *limit_new(unsigned conns_per_ip, unsigned joins_per_min);
void limit_free(struct limit *t);
/* A reload: the caps from now on (connections open stay open). */
void limit_reload(struct limit *t, unsigned conns_per_ip, unsigned joins_per_min);
void limit_key_from(const struct sockaddr *sa, struct limit_key *k);
/* A new connection: ERR_LIMIT over either cap, when the table is full, or
 * when its IPv6 /48 has RELAY_IP_TABLE_SITE_MAX /64s in it already. */
int limit_conn_open(struct limit *t, const struct limit_key *k, uint64_t now_ms) WUR;
/*
 * Whether a new connection's connect and close lines go to the log: true
 * while the address has not had more than RELAY_LOG_CONNS_BURST logged
 * lately (RELAY_LOG_CONNS_PER_MIN after that); *unlogged gets how many of
 * its connections were not logged since its last logged one.
 */
bool limit_conn_log(struct limit *t, const struct limit_key *k, uint64_t now_ms,
    uint64_t *unlogged);
/* The connection sent its HELLO: it no longer counts as pre-auth. */
void limit_conn_authed(struct limit *t, const struct limit_key *k);
void limit_conn_close(struct limit *t, const struct limit_key *k, bool preauth);
/* A join attempt; known says whether the number is live. ERR_LIMIT: refuse. */
int limit_join(struct limit *t, const struct limit_key *k, bool known, uint64_t now_ms) WUR;
/*
 * A HELLO the relay must ask its directory about: a master's resume, or
 * a viewer's join to a number this relay does not hold (in a cluster
 * another relay may). ERR_LIMIT when the address's misses used up their
 * bucket, else it costs one join. What turns out a miss (a refused
 * resume, a number nobody holds) is then charged with limit_miss, one
 * from the strict bucket of joins to numbers that are not live: guessing
 * tickets or numbers (or hammering the directory with them) is throttled
 * as before, while the masters and viewers of one office behind one
 * address that all come back after a relay died pay only for joins.
 * Lookups put before the first answer all pass (up to the join burst);
 * misses beyond what the strict bucket held are owed, and the address
 * looks nothing up until its refill has paid them: on average guessing
 * stays at the strict rate also where answers come late (Redis).
 */
int limit_lookup(struct limit *t, const struct limit_key *k, uint64_t now_ms) WUR;
void limit_miss(struct limit *t, const struct limit_key *k, uint64_t now_ms);
/* The rate of new sessions per address from now on (limit_new: the default). */
void limit_set_sessions(struct limit *t, unsigned sessions_per_min);
/* A master's HELLO for a new session: ERR_LIMIT when the address opened
 * too many lately (each one's number cools for a day once it ends), or
 * its IPv6 /48 did (RELAY_SESSION_SITE_FACTOR times as many). */
int limit_session(struct limit *t, const struct limit_key *k, uint64_t now_ms) WUR;
/* That session got no number after all (the directory had none): no cost. */
void limit_session_back(struct limit *t, const struct limit_key *k);
/* Forget addresses with no connections and full buckets. */
void limit_gc(struct limit *t, uint64_t now_ms);
size_t limit_count(const struct limit *t);

#endif
