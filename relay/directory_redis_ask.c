/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory_redis_ask.c - the "redis" directory back-end's answers to the
 * questions a client's HELLO puts about one number: a master's resume
 * (its ticket's hash against the number's, and the number moved here)
 * and a viewer's lookup (here, away, or which relay holds it). Apart from
 * directory_redis.c, which keeps the relay's own numbers (the pool, the
 * refreshes, the retirements), because each of these is asked for one
 * client and answered once, through its callback, while that client
 * waits. What the two files share is in directory_redis.h.
 *
 * What this relay holds settles a question at once where it can; Redis
 * is asked only about the rest. A resume is one script that checks the
 * hash and moves the number here, wherever it was. With Redis out of
 * reach, or answering with an error, a number held here still resumes
 * from what this relay knows, and one that another relay resumed just
 * now (its lock, RELAY_RESUME_LOCK_MS) is to be tried again (ERR_LIMIT),
 * not refused.
 */
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <sodium.h>

#include "cluster_keys.h"
#include "directory.h"
#include "directory_redis.h"
#include "limits.h"
#include "log.h"
#include "redis_link.h"

/* n is this relay's with hash h, its grace not over: resumable from what
 * this relay knows alone. */
static bool
held_here(const struct rdir *d, uint32_t n, const uint8_t h[TICKET_HASH_LEN], int64_t now_s)
{
	enum held st = d->held[INDEX(n)];

	if (st != H_LIVE && (st != H_AWAY || now_s >= d->away_until[INDEX(n)]))
		return false;
	return ticket_hash_equal(d->hash[INDEX(n)], h);
}

/* The number is live here from now on, with that ticket. */
static void
take(struct rdir *d, uint32_t n, const uint8_t hash[TICKET_HASH_LEN])
{
	size_t i;

	switch ((enum held)d->held[INDEX(n)]) {
	case H_LIVE:
		return;
	case H_AWAY:
		d->away--;
		break;
	case H_POOL:
		for (i = 0; i < d->n_pool; i++)
			if (d->pool[i] == n)
				rdir_pool_remove(d, i);
		break;
	case H_FREE:
	case H_RETIRING:
		break;
	}
	d->held[INDEX(n)] = H_LIVE;
	memcpy(d->hash[INDEX(n)], hash, TICKET_HASH_LEN);
	d->live++;
}

static void
on_resume(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	uint32_t n = a->number;
	int64_t now_s = (int64_t)time(NULL);
	int result = ERR_AUTH;

	if (d->closing) {
		free(a);
		return;
	}
	if (d->held[INDEX(n)] == H_RETIRING) {
		result = ERR_AUTH;              /* ended here while the question was out */
	} else if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		rdir_reply_error(d, "resume", r);
		result = held_here(d, n, a->hash, now_s) ? 0 : ERR_AGAIN;
	} else if (r->type == REDIS_REPLY_INTEGER && r->integer == 1) {
		result = 0;
	} else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->type == REDIS_REPLY_STRING) {
		log_info("number %05u resumed here, from %s%.*s%s", n,
		    r->element[0]->len > 0 ? "relay '" : "",
		    (int)strcspn(r->element[0]->str, " "), r->element[0]->str,
		    r->element[0]->len > 0 ? "'" : "nobody (its lease had run out)");
		result = 0;
	} else if (r->type == REDIS_REPLY_INTEGER && r->integer == -3 &&
	    held_here(d, n, a->hash, now_s)) {
		/* Redis lost its keys (a restart): ours; the refresh puts them back */
		result = 0;
	} else if (r->type == REDIS_REPLY_INTEGER && r->integer == -2) {
		log_info("number %05u: resume refused for now, another relay resumed it just "
		    "now", n);
		result = ERR_LIMIT;
	}
	if (result == 0)
		take(d, n, a->hash);
	sodium_memzero(a->hash, sizeof(a->hash));
	a->rfn(a->arg, n, result);
	free(a);
}

void
rdir_resume(void *state, uint32_t number, const uint8_t hash[TICKET_HASH_LEN], int64_t now_s,
    directory_resume_fn *fn, void *arg)
{
	struct rdir *d = state;
	char num[KEY_MAX], ret[KEY_MAX], tkt[KEY_MAX], lock[KEY_MAX];
	char lease[16], cool[16], tsecs[16], lock_ms[16], hex[TICKET_HEX_LEN + 1];
	const char *args[] = { num, ret, tkt, lock, d->value, hex, lease, cool, tsecs, lock_ms };
	enum held h;
	struct ask *a;

	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX) {
		fn(arg, number, ERR_AUTH);
		return;
	}
	h = d->held[INDEX(number)];
	/* what this relay knows settles some at once */
	if (h == H_RETIRING || ((h == H_LIVE || h == H_AWAY) &&
	    !held_here(d, number, hash, now_s))) {
		fn(arg, number, ERR_AUTH);
		return;
	}
	if (!redis_link_up(d->link)) {
		/* Redis away: only what this relay holds itself */
		if (h == H_LIVE || h == H_AWAY) {
			take(d, number, hash);
			fn(arg, number, 0);
		} else {
			fn(arg, number, ERR_AGAIN);
		}
		return;
	}
	if ((a = rdir_ask_new(d, number)) == NULL) {
		fn(arg, number, ERR_AGAIN);
		return;
	}
	a->rfn = fn;
	a->arg = arg;
	memcpy(a->hash, hash, TICKET_HASH_LEN);
	snprintf(num, sizeof(num), CLUSTER_KEY_NUM, number);
	snprintf(ret, sizeof(ret), CLUSTER_KEY_RETIRED, number);
	snprintf(tkt, sizeof(tkt), CLUSTER_KEY_TICKET, number);
	snprintf(lock, sizeof(lock), CLUSTER_KEY_LOCK, number);
	snprintf(lease, sizeof(lease), "%d", RELAY_CLUSTER_LEASE_S);
	snprintf(cool, sizeof(cool), "%d", RELAY_RETIRE_COOLDOWN_S);
	snprintf(tsecs, sizeof(tsecs), "%d", RELAY_CLUSTER_TICKET_S);
	snprintf(lock_ms, sizeof(lock_ms), "%d", RELAY_RESUME_LOCK_MS);
	ticket_hash_hex(hash, hex);
	if (rdir_eval(d, on_resume, a, CLUSTER_LUA_RESUME, 4, 10, args) != 0) {
		free(a);
		fn(arg, number, ERR_AGAIN);
	}
}

static void
on_lookup(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	char holder[RELAY_CLUSTER_NAME_MAX + 1];
	enum directory_where w = DIRECTORY_UNKNOWN;
	const redisReply *v;
	size_t n;

	if (d->closing) {
		free(a);
		return;
	}
	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 2 &&
	    r->element[0]->type == REDIS_REPLY_INTEGER &&
	    r->element[1]->type == REDIS_REPLY_STRING) {
		v = r->element[1];
		n = strcspn(v->str, " ");
		if (r->element[0]->integer == 0)
			w = DIRECTORY_NOBODY;
		else if (r->element[0]->integer == 2)
			w = DIRECTORY_AWAY;
		else if (strcmp(v->str, d->value) == 0 || n == 0 || n > RELAY_CLUSTER_NAME_MAX)
			w = DIRECTORY_NOBODY;   /* ours, but not a session here (any more) */
		else
			w = DIRECTORY_ELSEWHERE;
		if (w == DIRECTORY_ELSEWHERE) {
			memcpy(holder, v->str, n);
			holder[n] = '\0';
		}
	} else {
		rdir_reply_error(d, "lookup", r);
	}
	a->fn(a->arg, a->number, w, w == DIRECTORY_ELSEWHERE ? holder : NULL);
	free(a);
}

enum directory_where
rdir_here(void *state, uint32_t number)
{
	const struct rdir *d = state;

	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX)
		return DIRECTORY_NOBODY;
	switch ((enum held)d->held[INDEX(number)]) {
	case H_LIVE:
		return DIRECTORY_HERE;
	case H_AWAY:
		return DIRECTORY_AWAY;
	case H_FREE:
	case H_POOL:
	case H_RETIRING:
		break;
	}
	return DIRECTORY_NOBODY;
}

void
rdir_lookup(void *state, uint32_t number, directory_lookup_fn *fn, void *arg)
{
	struct rdir *d = state;
	char num[KEY_MAX], tkt[KEY_MAX];
	const char *args[] = { num, tkt, CLUSTER_KEY_RELAY_PREFIX };
	struct ask *a;

	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX) {
		fn(arg, number, DIRECTORY_NOBODY, NULL);
		return;
	}
	switch ((enum held)d->held[INDEX(number)]) {
	case H_LIVE:
		fn(arg, number, DIRECTORY_HERE, NULL);
		return;
	case H_AWAY:
		fn(arg, number, DIRECTORY_AWAY, NULL);
		return;
	case H_POOL:
	case H_RETIRING:
		fn(arg, number, DIRECTORY_NOBODY, NULL);
		return;
	case H_FREE:
		break;
	}
	if (!redis_link_up(d->link) || (a = rdir_ask_new(d, number)) == NULL) {
		fn(arg, number, DIRECTORY_UNKNOWN, NULL);
		return;
	}
	a->fn = fn;
	a->arg = arg;
	snprintf(num, sizeof(num), CLUSTER_KEY_NUM, number);
	snprintf(tkt, sizeof(tkt), CLUSTER_KEY_TICKET, number);
	if (rdir_eval(d, on_lookup, a, CLUSTER_LUA_LOOKUP, 2, 3, args) != 0) {
		free(a);
		fn(arg, number, DIRECTORY_UNKNOWN, NULL);
	}
}
