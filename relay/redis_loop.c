/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_loop.c - hiredis's five event hooks on loop.h (the contract is in
 * redis_loop.h). The loop keeps one watcher per fd with a mask, so adding
 * or removing a direction is one loop_watch with the new mask.
 */
#include <stdlib.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "log.h"
#include "loop.h"
#include "redis_loop.h"

struct redis_watch {
	struct loop *loop;
	redisAsyncContext *ac;
	int fd;
	int mask;                       /* LOOP_READ | LOOP_WRITE we asked for */
};

static void
on_ready(struct loop *l, int fd, void *arg, int ready)
{
	struct redis_watch *w = arg;
	redisAsyncContext *ac = w->ac;

	(void)l;
	(void)fd;
	/* A hang-up is read: hiredis learns of it from read()'s answer.
	 * Reading may free ac (and w, through cleanup): write only if the
	 * read left the fd watched for writing. */
	if (ready & (LOOP_READ | LOOP_HUP)) {
		redisAsyncHandleRead(ac);
		if (loop_mask(l, fd) == 0)
			return;
	}
	if ((ready & LOOP_WRITE) && (loop_mask(l, fd) & LOOP_WRITE))
		redisAsyncHandleWrite(ac);
}

/* Ask the loop for mask; a refusal leaves the connection deaf, so it is
 * logged (the directory's reply timeout then drops the connection). */
static void
set_mask(struct redis_watch *w, int mask)
{
	if (mask == w->mask)
		return;
	if (mask == 0) {
		loop_unwatch(w->loop, w->fd);
	} else if (loop_watch(w->loop, w->fd, mask, on_ready, w) != 0) {
		log_error("redis: cannot watch fd %d", w->fd);
		return;
	}
	w->mask = mask;
}

static void
add_read(void *arg)
{
	struct redis_watch *w = arg;

	set_mask(w, w->mask | LOOP_READ);
}

static void
del_read(void *arg)
{
	struct redis_watch *w = arg;

	set_mask(w, w->mask & ~LOOP_READ);
}

static void
add_write(void *arg)
{
	struct redis_watch *w = arg;

	set_mask(w, w->mask | LOOP_WRITE);
}

static void
del_write(void *arg)
{
	struct redis_watch *w = arg;

	set_mask(w, w->mask & ~LOOP_WRITE);
}

static void
cleanup(void *arg)
{
	struct redis_watch *w = arg;

	set_mask(w, 0);
	free(w);
}

int
redis_loop_attach(struct loop *l, redisAsyncContext *ac)
{
	struct redis_watch *w;

	if (ac->ev.data != NULL)
		return ERR_INTERNAL;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return ERR_NOMEM;
	w->loop = l;
	w->ac = ac;
	w->fd = ac->c.fd;
	ac->ev.addRead = add_read;
	ac->ev.delRead = del_read;
	ac->ev.addWrite = add_write;
	ac->ev.delWrite = del_write;
	ac->ev.cleanup = cleanup;
	ac->ev.data = w;
	return 0;
}
