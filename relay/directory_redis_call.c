/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory_redis_call.c - how the Redis back-end's two files talk to
 * Redis and keep their books (directory_redis.h): an EVAL, a reply's
 * context, an error reply in the log, the pool. Below both
 * directory_redis.c and directory_redis_ask.c, which share them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "directory_redis.h"
#include "log.h"
#include "loop.h"
#include "redis_link.h"

/* EVAL script with nkeys keys, then the other args. */
int
rdir_eval(struct rdir *d, redis_reply_fn *fn, void *arg, const char *script, int nkeys, int argc,
    const char **args)
{
	const char *v[EVAL_ARGS_MAX];
	size_t lens[EVAL_ARGS_MAX];
	char nk[16];
	int i, n = 0;

	BUG_ON(argc + 3 > EVAL_ARGS_MAX);
	snprintf(nk, sizeof(nk), "%d", nkeys);
	v[n++] = "EVAL";
	v[n++] = script;
	v[n++] = nk;
	for (i = 0; i < argc; i++)
		v[n++] = args[i];
	for (i = 0; i < n; i++)
		lens[i] = strlen(v[i]);
	return redis_link_cmd(d->link, fn, arg, n, v, lens);
}

struct ask *
rdir_ask_new(struct rdir *d, uint32_t number)
{
	struct ask *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->d = d;
	a->number = number;
	a->sent_ms = loop_now_ms(d->loop);
	return a;
}

/* An error reply is Redis refusing us (a script error, out of memory):
 * worth a log line, rate-limited. */
void
rdir_reply_error(struct rdir *d, const char *what, const redisReply *r)
{
	if (r != NULL && r->type == REDIS_REPLY_ERROR)
		log_rl(&d->rl_err, LOG_ERROR, "redis: %s: %s", what, r->str);
}

void
rdir_pool_remove(struct rdir *d, size_t i)
{
	d->pool[i] = d->pool[--d->n_pool];
	d->pool_ms[i] = d->pool_ms[d->n_pool];
}
