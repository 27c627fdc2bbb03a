/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_loop.h - hiredis's asynchronous client on the relay's own event
 * loop (loop.h), so that talking to Redis never blocks a turn.
 *
 * hiredis drives its socket through five hooks (ev.addRead, delRead,
 * addWrite, delWrite, cleanup); these map them onto loop_watch. hiredis
 * calls cleanup when it frees the context, which also unwatches the fd.
 */
#ifndef RELAY_REDIS_LOOP_H
#define RELAY_REDIS_LOOP_H

#include "err.h"

struct loop;
struct redisAsyncContext;

/* Drive ac from l from now on. 0, ERR_NOMEM, or ERR_INTERNAL when ac is
 * driven by something already. */
int redis_loop_attach(struct loop *l, struct redisAsyncContext *ac) WUR;

#endif
