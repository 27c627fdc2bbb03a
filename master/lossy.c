/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "codec.h"
#include "lossy.h"
#include "session.h"
#include "video.h"

void
lossy_init(struct lossy *l, bool off, unsigned quality)
{
	memset(l, 0, sizeof(*l));
	l->off = off;
	l->quality = quality != 0 ? quality : MASTER_QUALITY_DEFAULT;
	l->next_ms = UINT64_MAX;
}

void
lossy_changed(struct lossy *l, const uint8_t *changed, size_t n_tiles, uint64_t now)
{
	for (size_t k = 0; k < n_tiles; k++)
		if (changed == NULL || changed[k])
			l->changed_ms[k] = now;
}

void
lossy_restart(struct lossy *l)
{
	memset(l->changed_ms, 0, sizeof(l->changed_ms));
}

void
lossy_plan(struct lossy *l, size_t n_tiles, uint64_t now)
{
	/* Lossy only while a tile is changing: a tile that has been still
	 * that long goes exact, to a new viewer as to one catching up. */
	for (size_t k = 0; k < n_tiles; k++)
		l->allow[k] = !l->off && now - l->changed_ms[k] < MASTER_LOSSY_SETTLE_MS;
}

size_t
lossy_settled(const struct lossy *l, const struct video_viewer *vv, size_t n_tiles,
    uint64_t now, uint8_t *mask, size_t max)
{
	size_t n = 0;

	if (vv->n_lossy == 0)
		return 0;
	for (size_t k = 0; k < n_tiles && n < max; k++)
		if (vv->lossy[k] && !mask[k] && now - l->changed_ms[k] >= MASTER_LOSSY_SETTLE_MS) {
			mask[k] = 1;
			n++;
		}
	return n;
}

void
lossy_sent(struct video_viewer *vv, const uint8_t *sent, size_t n_tiles)
{
	for (size_t k = 0; k < n_tiles; k++) {
		uint8_t was = vv->lossy[k];

		/* A PART leaves the rest of the tile as it was. */
		if (sent[k] == CODEC_SENT_LOSSY)
			vv->lossy[k] = 1;
		else if (sent[k] == CODEC_SENT_EXACT)
			vv->lossy[k] = 0;
		vv->n_lossy += vv->lossy[k];
		vv->n_lossy -= was;
	}
}

void
lossy_forget(struct video_viewer *vv)
{
	memset(vv->lossy, 0, sizeof(vv->lossy));
	vv->n_lossy = 0;
}

void
lossy_review(struct lossy *l, const struct master *m, size_t n_tiles)
{
	memset(l->held, 0, n_tiles);
	l->next_ms = UINT64_MAX;
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		const struct video_viewer *vv = &m->v[i].screen;

		if (m->v[i].state != VIEWER_ACTIVE || vv->n_lossy == 0)
			continue;
		for (size_t k = 0; k < n_tiles; k++) {
			if (!vv->lossy[k])
				continue;
			l->held[k] = 1;
			if (l->changed_ms[k] + MASTER_LOSSY_SETTLE_MS < l->next_ms)
				l->next_ms = l->changed_ms[k] + MASTER_LOSSY_SETTLE_MS;
		}
	}
}
