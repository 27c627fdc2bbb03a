/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_link.h - one connection to Redis that the relay keeps up by
 * itself: it connects without blocking (redis_loop.h), selects the
 * database, and when the connection fails, cannot be made within
 * RELAY_CLUSTER_CONNECT_TIMEOUT_MS, or owes replies for longer than
 * RELAY_CLUSTER_REPLY_TIMEOUT_MS, it drops it and tries again after a
 * back-off (RELAY_CLUSTER_BACKOFF_MIN_MS doubling to _MAX_MS).
 *
 * The owner hears of it through up() (ready for commands: once per
 * connection) and down() (a connection that was up is gone; every reply
 * still owed has come as NULL before). A command's fn runs exactly once:
 * with Redis's reply, or with NULL when the link was lost first (or is
 * being freed).
 *
 * With a password, every connection starts with AUTH (AUTH USER PASSWORD
 * for a Redis 6 ACL user, else AUTH PASSWORD), before SELECT and before
 * anything of the owner's. A refused password is a connection that
 * failed like any other (down, back-off, try again), and is logged once
 * until a connection comes up. Neither the password nor the user is ever
 * logged; the link's copies are wiped when it is freed.
 *
 * HOST is resolved when the link is made (once: a name that moves needs
 * a restart), so that no reconnection waits on DNS.
 */
#ifndef RELAY_REDIS_LINK_H
#define RELAY_REDIS_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct loop;
struct redisReply;
struct redis_link;

struct redis_link_config {
	const char *host;
	uint16_t port;
	unsigned db;
	const char *user;               /* NULL or "": Redis's default user */
	const char *password;           /* NULL or "": no AUTH */
	struct loop *loop;
	void (*up)(void *arg);
	void (*down)(void *arg);
	void *arg;
};

/* reply is Redis's answer, or NULL when none will come. */
typedef void redis_reply_fn(void *arg, struct redisReply *reply);

/* Starts connecting; cfg is copied (its strings too). NULL when out of
 * memory, host does not resolve (logged) or user or password is longer
 * than RELAY_CLUSTER_USER_MAX or _PASSWORD_MAX (logged). */
struct redis_link *redis_link_new(const struct redis_link_config *cfg);
/* Frees the link; owed replies come as NULL first. NULL is fine. */
void redis_link_free(struct redis_link *rl);
bool redis_link_up(const struct redis_link *rl);
/* Replies owed now. */
size_t redis_link_owed(const struct redis_link *rl);

/*
 * Queue a command (argv/lens as redisAsyncCommandArgv). ERR_AGAIN when
 * the link is not up (fn is not called), ERR_NOMEM.
 */
int redis_link_cmd(struct redis_link *rl, redis_reply_fn *fn, void *arg, int argc,
    const char **argv, const size_t *lens) WUR;

/*
 * At exit, with the loop stopped: send what is queued and wait for the
 * owed replies, at most timeout_ms. Blocks; for shutdown only.
 */
void redis_link_flush(struct redis_link *rl, int timeout_ms);

#endif
