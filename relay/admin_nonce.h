/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_nonce.h - the nonces of signed admin requests already seen, so
 * that a request captured on its way is refused the second time.
 *
 * A request is accepted only within ADMIN_WINDOW_S of its X-Fernsicht-Time;
 * its nonce is kept for twice that and a second from when it came (its time may lie a
 * window ahead of ours), which is past the last moment the same request
 * could pass the time check again. Entries leave in the order they came,
 * never earlier: when ADMIN_NONCES_MAX are kept, a new request is refused
 * (503) instead of forgetting one that could still be replayed.
 *
 * They are kept in memory only, so the cache knows nothing from before
 * it was made (the relay's start): admin_auth refuses a request signed
 * before that second, which a restart would otherwise let pass once more.
 */
#ifndef RELAY_ADMIN_NONCE_H
#define RELAY_ADMIN_NONCE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct admin_nonces;

/* A cache that knows the nonces from since_s (unix s) on; NULL when out of memory. */
struct admin_nonces *admin_nonces_new(int64_t since_s);
int64_t admin_nonces_since(const struct admin_nonces *ns);
void admin_nonces_free(struct admin_nonces *ns);        /* NULL is fine */
/*
 * Remember the nonce (n bytes, any) of a request whose signature was good,
 * at now_s. ERR_AUTH: seen before within its time; ERR_LIMIT: the cache is
 * full of nonces still in their time.
 */
int admin_nonces_take(struct admin_nonces *ns, const void *nonce, size_t n, int64_t now_s) WUR;
size_t admin_nonces_count(const struct admin_nonces *ns);

#endif
