/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_nonce.c - the nonces seen (admin_nonce.h): a ring in arrival
 * order, which is also expiry order, and an open-addressed index into it
 * by a keyed hash of the nonce (so that chosen nonces cannot pile up in
 * one chain).
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "admin_nonce.h"
#include "limits.h"

enum {
	HASH_LEN = 16,                          /* what is kept of a nonce */
	INDEX_SIZE = 2 * ADMIN_NONCES_MAX,      /* a power of two, at most half full */
	EMPTY = -1,
	GONE = -2,                              /* a removed entry: probes go on past it */
};

struct entry {
	uint8_t hash[HASH_LEN];
	int64_t expires_s;
	uint32_t slot;                          /* its place in the index */
};

struct admin_nonces {
	uint8_t key[crypto_shorthash_KEYBYTES];
	struct entry ring[ADMIN_NONCES_MAX];
	size_t head, count;                     /* the oldest, and how many */
	int32_t index[INDEX_SIZE];              /* ring positions, EMPTY or GONE */
	size_t gone;
	int64_t since_s;                        /* nothing seen before this */
};

struct admin_nonces *
admin_nonces_new(int64_t since_s)
{
	struct admin_nonces *ns;
	size_t i;

	if ((ns = calloc(1, sizeof(*ns))) == NULL)
		return NULL;
	ns->since_s = since_s;
	randombytes_buf(ns->key, sizeof(ns->key));
	for (i = 0; i < INDEX_SIZE; i++)
		ns->index[i] = EMPTY;
	return ns;
}

void
admin_nonces_free(struct admin_nonces *ns)
{
	free(ns);
}

int64_t
admin_nonces_since(const struct admin_nonces *ns)
{
	return ns->since_s;
}

size_t
admin_nonces_count(const struct admin_nonces *ns)
{
	return ns->count;
}

static uint32_t
start_of(const uint8_t hash[HASH_LEN])
{
	uint32_t h;

	memcpy(&h, hash, sizeof(h));
	return h & (INDEX_SIZE - 1);
}

/* Many removals leave many GONE marks: rebuild the index from the ring. */
static void
reindex(struct admin_nonces *ns)
{
	size_t i, k;
	uint32_t s;

	for (i = 0; i < INDEX_SIZE; i++)
		ns->index[i] = EMPTY;
	for (k = 0; k < ns->count; k++) {
		i = (ns->head + k) % ADMIN_NONCES_MAX;
		for (s = start_of(ns->ring[i].hash); ns->index[s] != EMPTY;
		    s = (s + 1) & (INDEX_SIZE - 1))
			;
		ns->index[s] = (int32_t)i;
		ns->ring[i].slot = s;
	}
	ns->gone = 0;
}

static void
expire(struct admin_nonces *ns, int64_t now_s)
{
	struct entry *e;

	while (ns->count > 0 && (e = &ns->ring[ns->head])->expires_s <= now_s) {
		ns->index[e->slot] = GONE;
		ns->gone++;
		ns->head = (ns->head + 1) % ADMIN_NONCES_MAX;
		ns->count--;
	}
	if (ns->gone > INDEX_SIZE / 4)
		reindex(ns);
}

int
admin_nonces_take(struct admin_nonces *ns, const void *nonce, size_t n, int64_t now_s)
{
	uint8_t hash[HASH_LEN];
	struct entry *e;
	uint32_t s;
	size_t at;

	expire(ns, now_s);
	crypto_generichash(hash, sizeof(hash), nonce, n, ns->key, sizeof(ns->key));
	for (s = start_of(hash); ns->index[s] != EMPTY; s = (s + 1) & (INDEX_SIZE - 1))
		if (ns->index[s] >= 0 && memcmp(ns->ring[ns->index[s]].hash, hash, HASH_LEN) == 0)
			return ERR_AUTH;
	if (ns->count >= ADMIN_NONCES_MAX)
		return ERR_LIMIT;
	/* a free place: the first EMPTY or GONE on the probe path */
	for (s = start_of(hash); ns->index[s] >= 0; s = (s + 1) & (INDEX_SIZE - 1))
		;
	if (ns->index[s] == GONE)
		ns->gone--;
	at = (ns->head + ns->count) % ADMIN_NONCES_MAX;
	e = &ns->ring[at];
	memcpy(e->hash, hash, HASH_LEN);
	/* a time of now + window still passes at now + 2 * window: gone after that */
	e->expires_s = now_s + 2 * ADMIN_WINDOW_S + 1;
	e->slot = s;
	ns->index[s] = (int32_t)at;
	ns->count++;
	return 0;
}
