/* SPDX-License-Identifier: Apache-2.0 */
/*
 * epoch.c - the session key: the master makes it anew (a new epoch) on
 * every join, leave and kick and when it is due, and seals one copy to
 * each allowed viewer's authenticated X25519 key, so a removed viewer
 * cannot read what follows and a new one nothing before it. Each viewer's
 * screen records are sealed under that key bound to its own handshake.
 */
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "epoch.h"
#include "log.h"
#include "peer.h"
#include "session.h"

unsigned
epoch_watchers(const struct master *m)
{
	unsigned i, n = 0;

	for (i = 1; i <= MASTER_SLOTS_MAX; i++)
		n += m->v[i].state == VIEWER_ACTIVE;
	return n;
}

/*
 * A new session key for every viewer that is allowed to watch: on every
 * join, leave and kick, and when a viewer's screen key is due. Each copy
 * is sealed to that viewer's authenticated X25519 key and sent on its
 * pairwise stream, which is ordered before any screen record under the
 * new key. The screen records to a viewer are sealed under the session
 * key bound to its handshake (sec_screen_key), in its own suite: what
 * the other viewers unwrap does not let them speak for the host to it.
 */
int
epoch_new(struct master *m)
{
	uint8_t skey[SEC_KEY_LEN], key[SEC_KEY_LEN];
	struct msg_key k;
	unsigned i;
	int r, first = 0;

	for (i = 1; i <= MASTER_SLOTS_MAX; i++)
		sec_tx_clear(&m->v[i].screen.tx);
	if (epoch_watchers(m) == 0)
		return 0;
	randombytes_buf(skey, sizeof(skey));
	m->epoch++;
	m->epoch_ms = mono_ms();
	/* One viewer whose KEY cannot go (its connection's queue is full) gets
	 * no screen until the next epoch (epoch_due); the others go on. */
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state != VIEWER_ACTIVE)
			continue;
		memset(&k, 0, sizeof(k));
		k.epoch = m->epoch;
		k.suite = v->hs.res.suite;
		buf_reset(&m->scratch);
		if ((r = sec_wrap_key(k.sealed, skey, v->hs.res.viewer_pk)) != 0 ||
		    (r = msg_key_encode(&m->scratch, &k)) != 0 ||
		    (r = master_send_pair(m, v, &m->scratch)) != 0) {
			log_warn("cannot send viewer %u the session key: %s", v->slot, err_str(r));
			first = first != 0 ? first : r;
			continue;
		}
		sec_screen_key(key, skey, v->hs.res.key_screen);
		sec_tx_init(&v->screen.tx, k.suite, key, &m->pol, mono_ms());
	}
	sodium_memzero(skey, sizeof(skey));
	sodium_memzero(key, sizeof(key));
	log_debug("session key epoch %u for %u viewer(s)", m->epoch, epoch_watchers(m));
	return first;
}

bool
epoch_due(const struct master *m, uint64_t now_ms)
{
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		const struct viewer *v = &m->v[i];

		if (v->screen.tx.ready && sec_tx_due(&v->screen.tx, now_ms))
			return true;
		if (v->state == VIEWER_ACTIVE && !v->screen.tx.ready &&
		    now_ms >= m->epoch_ms + MASTER_EPOCH_RETRY_MS)
			return true;    /* its KEY could not go last time */
	}
	return false;
}
