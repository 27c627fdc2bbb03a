/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory_redis.h - inside the "redis" directory back-end only: its
 * state (struct rdir), what it holds of each number, a Redis reply's
 * context (struct ask), and the helpers both of its files use.
 * directory_redis.c keeps the relay's own numbers (the pool, refreshes,
 * retirements, liveness, draining) and defines the ops table;
 * directory_redis_ask.c answers a client's questions about one number
 * (resume, here, lookup). The ops' contract is in directory.h; the keys
 * and scripts are in cluster_keys.h.
 */
#ifndef RELAY_DIRECTORY_REDIS_H
#define RELAY_DIRECTORY_REDIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "cluster_keys.h"
#include "directory.h"
#include "limits.h"
#include "log.h"
#include "redis_link.h"

#define NUMBERS_COUNT (SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1)
#define INDEX(n) ((n) - SESSION_NUMBER_MIN)

enum {
	KEY_MAX = sizeof(CLUSTER_KEY_PREFIX) + 16 + RELAY_CLUSTER_NAME_MAX,
	VALUE_MAX = RELAY_CLUSTER_NAME_MAX + 1 + 32 + 1,       /* "NAME:PORT INSTANCE" */
};

/* What this relay holds of a number. A session's number (live, away,
 * retiring) has its ticket's hash in hash[]. */
enum held { H_FREE, H_POOL, H_LIVE, H_AWAY, H_RETIRING };

struct retiring;                        /* directory_redis.c */

struct rdir {
	struct loop *loop;
	struct redis_link *link;
	char name[RELAY_CLUSTER_NAME_MAX + 1];  /* NAME:PORT */
	char value[VALUE_MAX];                  /* NAME:PORT INSTANCE */
	char alive_key[KEY_MAX];
	uint8_t held[NUMBERS_COUNT];            /* enum held */
	uint8_t (*hash)[TICKET_HASH_LEN];       /* live, away, retiring: the ticket's */
	int64_t *away_until;                    /* away: resumable until (unix s) */
	size_t away;
	bool draining;
	char peers[RELAY_CLUSTER_PEERS_MAX][RELAY_CLUSTER_NAME_MAX + 1]; /* up, not draining */
	size_t n_peers;
	directory_moved_fn *moved;
	void *moved_arg;
	uint32_t pool[RELAY_CLUSTER_POOL_MAX];
	uint64_t pool_ms[RELAY_CLUSTER_POOL_MAX];       /* when its lease was last asked for */
	size_t n_pool, claiming, live;
	size_t pool_target;                     /* RELAY_CLUSTER_POOL.._MAX */
	bool pool_missed;                       /* a HELLO found it empty since the last refresh */
	struct retiring *ret;
	size_t n_ret, cap_ret;
	uint64_t fill_after_ms;                 /* no new claims before (re-claims go first) */
	uint64_t refresh_ms, alive_ms;          /* next due */
	unsigned claims_this_tick;
	bool had_link;
	bool closing;                           /* replies are only freed */
	int64_t timer;
	struct log_rl rl_err, rl_lost;
};

/* A reply's context: which number(s), and when it was asked. */
struct ask {
	struct rdir *d;
	uint64_t sent_ms;
	uint32_t number;
	uint32_t cand[RELAY_CLUSTER_CLAIM_CANDIDATES];
	unsigned n_cand;
	directory_lookup_fn *fn;
	directory_resume_fn *rfn;
	void *arg;
	uint8_t hash[TICKET_HASH_LEN];          /* a resume's */
};

enum {
	/* EVAL script numkeys, then at most a claim's keys and three ARGV */
	EVAL_ARGS_MAX = 3 + 2 * RELAY_CLUSTER_CLAIM_CANDIDATES + 3,
};

/*
 * EVAL script with nkeys keys (the first nkeys of args), then the rest
 * of args as ARGV; fn (may be NULL) gets the reply later, as with
 * redis_link_cmd. 0, or redis_link_cmd's ERR_AGAIN (the link is not up)
 * or ERR_NOMEM, and then fn is not called.
 */
int rdir_eval(struct rdir *d, redis_reply_fn *fn, void *arg, const char *script, int nkeys,
    int argc, const char **args);
/* A reply's context for number, asked now; the caller frees it. NULL when out of memory. */
struct ask *rdir_ask_new(struct rdir *d, uint32_t number);
/* Logs r (rate-limited) when it is Redis refusing what: a script error, out of memory. */
void rdir_reply_error(struct rdir *d, const char *what, const redisReply *r);
/* Takes d->pool[i] out of the pool (the last one takes its place). */
void rdir_pool_remove(struct rdir *d, size_t i);

/* directory_redis_ask.c: the ops resume, here and lookup (directory.h). */
void rdir_resume(void *state, uint32_t number, const uint8_t hash[TICKET_HASH_LEN],
    int64_t now_s, directory_resume_fn *fn, void *arg);
enum directory_where rdir_here(void *state, uint32_t number);
void rdir_lookup(void *state, uint32_t number, directory_lookup_fn *fn, void *arg);

#endif
