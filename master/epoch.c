/* SPDX-License-Identifier: Apache-2.0 */
/*
 * epoch.c - the session key: the master makes it anew (a new epoch) on
 * every join, leave and kick and when it is due, and seals one copy to
 * each allowed viewer's authenticated X25519 key, so a removed viewer
 * cannot read what follows and a new one nothing before it.
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
 * join, leave and kick, and when the key is due. Each copy is sealed to
 * that viewer's authenticated X25519 key and sent on its pairwise stream,
 * which is ordered before any screen record under the new key.
 */
int
epoch_new(struct master *m)
{
	struct msg_key k;
	uint8_t suite = MSG_SUITE_AES256GCM;
	unsigned i;
	int r;

	sodium_memzero(m->skey, sizeof(m->skey));
	sec_tx_clear(&m->stx);
	if (epoch_watchers(m) == 0)
		return 0;
	for (i = 1; i <= MASTER_SLOTS_MAX; i++)
		if (m->v[i].state == VIEWER_ACTIVE && m->v[i].hs.res.suite != MSG_SUITE_AES256GCM)
			suite = MSG_SUITE_XCHACHA20;  /* the suite every watcher speaks */
	randombytes_buf(m->skey, sizeof(m->skey));
	m->epoch++;
	sec_tx_init(&m->stx, suite, m->skey, &m->pol, mono_ms());
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state != VIEWER_ACTIVE)
			continue;
		memset(&k, 0, sizeof(k));
		k.epoch = m->epoch;
		k.suite = suite;
		if ((r = sec_wrap_key(k.sealed, m->skey, v->hs.res.viewer_pk)) != 0)
			return r;
		buf_reset(&m->scratch);
		if ((r = msg_key_encode(&m->scratch, &k)) != 0 ||
		    (r = master_send_pair(m, v, &m->scratch)) != 0)
			return r;
	}
	log_debug("session key epoch %u for %u viewer(s)", m->epoch,
	    epoch_watchers(m));
	return 0;
}
