/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "log.h"
#include "motion.h"
#include "vp9_stream.h"

void
motion_init(struct motion *mo, bool off)
{
	memset(mo, 0, sizeof(*mo));
	mo->off = off;
}

/* The region ends: its encoder goes, and nobody holds its stream. */
static void
region_end(struct motion *mo, const char *why)
{
	if (mo->active)
		log_debug("motion: the VP9 region %ux%u tiles at tile (%u, %u) ends (%s); "
		    "%llu frames, %llu key, %llu bytes", mo->cols, mo->rows, mo->tx, mo->ty, why,
		    (unsigned long long)mo->frames, (unsigned long long)mo->key_frames,
		    (unsigned long long)mo->bytes);
	vp9_enc_free(mo->enc);
	mo->enc = NULL;
	mo->active = false;
	mo->key_ms = 0;
	memset(mo->member, 0, sizeof(mo->member));
}

void
motion_free(struct motion *mo)
{
	region_end(mo, "the session ends");
}

void
motion_restart(struct motion *mo)
{
	region_end(mo, "a new picture");
	memset(mo->heat, 0, sizeof(mo->heat));
}

void
motion_forget(struct motion *mo, unsigned slot)
{
	if (slot <= MASTER_SLOTS_MAX)
		mo->member[slot] = false;
}

/* The region's pixels in cur: x, y, w, h (clipped to the picture). */
static void
region_rect(const struct motion *mo, const struct image *cur, unsigned *x, unsigned *y,
    unsigned *w, unsigned *h)
{
	unsigned x1 = (mo->tx + mo->cols) * MSG_TILE_LEN, y1 = (mo->ty + mo->rows) * MSG_TILE_LEN;

	*x = mo->tx * MSG_TILE_LEN;
	*y = mo->ty * MSG_TILE_LEN;
	*w = (x1 < cur->w ? x1 : cur->w) - *x;
	*h = (y1 < cur->h ? y1 : cur->h) - *y;
}

int
motion_frame(struct motion *mo, const struct image *cur, const uint8_t *changed,
    const uint8_t *refresh, const uint16_t *slots, unsigned n, unsigned quality,
    size_t raw_max, uint64_t now, struct codec_vp9 *out)
{
	unsigned tiles_x = (cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN, x, y, w, h, i;
	bool moved = false, key = false;
	const uint8_t *data;
	size_t len;

	mo->sending = false;
	if (mo->off || !mo->active || n == 0)
		return 0;
	memset(mo->paint, 0, sizeof(mo->paint));
	for (unsigned j = mo->ty; j < mo->ty + mo->rows; j++)
		for (i = mo->tx; i < mo->tx + mo->cols; i++) {
			size_t t = (size_t)j * tiles_x + i;

			mo->paint[t] = changed[t] && !refresh[t];
			moved |= mo->paint[t];
		}
	if (!moved)
		return 0;       /* nothing to encode: no frame, the stream waits */
	for (i = 0; i < n && !key; i++)
		key = !mo->member[slots[i]];
	if (key && mo->key_ms != 0 && now - mo->key_ms < MOTION_KEY_GAP_MS)
		return 0;       /* JPEG tiles until a key frame is due */
	region_rect(mo, cur, &x, &y, &w, &h);
	if (mo->enc == NULL) {
		if ((mo->enc = vp9_enc_new(w, h)) == NULL) {
			log_warn("motion: no VP9 encoder for %ux%u: moving pictures go as JPEG",
			    w, h);
			mo->off = true;
			region_end(mo, "no encoder");
			return 0;
		}
		key = true;
	}
	for (int tries = 0;; tries++) {
		if (vp9_enc_frame(mo->enc, cur, x, y, key, quality, &data, &len) != 0) {
			region_end(mo, "the encoder failed");
			mo->retry_ms = now + MOTION_KEY_GAP_MS;
			return 0;
		}
		if (len + CODEC_VP9_HEAD_MAX(mo->cols, mo->rows) <= raw_max)
			break;
		/* Nobody gets this frame, so nobody can take the next one. A
		 * key frame too big for a part (a large region of fine detail)
		 * is tried again at a lower quality, twice, before the region
		 * gives up for a while (JPEG tiles can go in many parts). */
		if (!key) {
			memset(mo->member, 0, sizeof(mo->member));
			return 0;
		}
		if (tries == 2) {
			region_end(mo, "its key frame is over the part size");
			mo->retry_ms = now + MOTION_KEY_GAP_MS;
			return 0;
		}
		quality = quality * 2 / 3 > 0 ? quality * 2 / 3 : 1;
	}
	*out = (struct codec_vp9){ .tx = mo->tx, .ty = mo->ty, .cols = mo->cols, .rows = mo->rows,
		.key = key, .data = data, .len = len, .paint = mo->paint };
	mo->sending = true;
	mo->sending_key = key;
	mo->bytes += len;
	return 1;
}

/*
 * Moving tiles outside the region (all of them without one): how many,
 * and their bounding box in tiles.
 */
static size_t
moving_outside(const struct motion *mo, unsigned tiles_x, unsigned tiles_y, uint64_t now,
    unsigned *x0, unsigned *y0, unsigned *x1, unsigned *y1)
{
	size_t count = 0;

	*x0 = tiles_x;
	*y0 = tiles_y;
	*x1 = *y1 = 0;
	for (unsigned ty = 0; ty < tiles_y; ty++)
		for (unsigned tx = 0; tx < tiles_x; tx++) {
			size_t t = (size_t)ty * tiles_x + tx;

			if (mo->heat[t] < MOTION_HOT_FRAMES || now - mo->heat_ms[t] > MOTION_HOT_MS)
				continue;
			if (mo->active && tx >= mo->tx && tx < mo->tx + mo->cols && ty >= mo->ty &&
			    ty < mo->ty + mo->rows)
				continue;
			count++;
			*x0 = tx < *x0 ? tx : *x0;
			*y0 = ty < *y0 ? ty : *y0;
			*x1 = tx + 1 > *x1 ? tx + 1 : *x1;
			*y1 = ty + 1 > *y1 ? ty + 1 : *y1;
		}
	return count;
}

void
motion_expire(struct motion *mo, uint64_t now)
{
	if (mo->active && now - mo->moved_ms >= MOTION_END_MS)
		region_end(mo, "still");
}

void
motion_sent(struct motion *mo, const struct image *cur, const uint8_t *changed,
    const uint8_t *refresh, const uint8_t *sent, const uint16_t *slots, unsigned n,
    uint64_t now)
{
	unsigned tiles_x = (cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (cur->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN, x0, y0, x1, y1;
	size_t n_tiles = (size_t)tiles_x * tiles_y, count;

	if (mo->off)
		return;
	if (mo->sending) {
		/* Exactly the diff's viewers hold the stream now. */
		memset(mo->member, 0, sizeof(mo->member));
		for (unsigned i = 0; i < n; i++)
			mo->member[slots[i]] = true;
		mo->frames++;
		if (mo->sending_key) {
			mo->key_frames++;
			mo->key_ms = now;
		}
		mo->sending = false;
	}
	for (size_t t = 0; t < n_tiles; t++) {
		if (!changed[t])
			continue;
		if (sent[t] != CODEC_SENT_LOSSY) {
			mo->heat[t] = 0;
		} else {
			/* A pause longer than MOTION_HOT_MS starts the count over. */
			if (now - mo->heat_ms[t] > MOTION_HOT_MS)
				mo->heat[t] = 0;
			if (mo->heat[t] < UINT8_MAX)
				mo->heat[t]++;
			mo->heat_ms[t] = now;
		}
		/* A refresh is no movement (the tile has been still). */
		if (mo->active && !refresh[t] && t % tiles_x >= mo->tx &&
		    t % tiles_x < mo->tx + mo->cols && t / tiles_x >= mo->ty &&
		    t / tiles_x < mo->ty + mo->rows)
			mo->moved_ms = now;
	}
	motion_expire(mo, now);
	count = moving_outside(mo, tiles_x, tiles_y, now, &x0, &y0, &x1, &y1);
	if (count == 0)
		return;
	if (mo->active) {
		/* Moving tiles beside the region: it grows to cover them (a
		 * new key frame), not more often than key frames may come. */
		if (mo->key_ms != 0 && now - mo->key_ms < MOTION_KEY_GAP_MS)
			return;
		x0 = mo->tx < x0 ? mo->tx : x0;
		y0 = mo->ty < y0 ? mo->ty : y0;
		x1 = mo->tx + mo->cols > x1 ? mo->tx + mo->cols : x1;
		y1 = mo->ty + mo->rows > y1 ? mo->ty + mo->rows : y1;
		count += (size_t)mo->cols * mo->rows;
		region_end(mo, "it grows");
	}
	if (count < MOTION_MIN_TILES || 4 * count < (size_t)(x1 - x0) * (y1 - y0))
		return;         /* a few tiles, or scattered: JPEG tiles serve them */
	if (now < mo->retry_ms)
		return;         /* the last region here failed: not at once again */
	mo->active = true;
	mo->tx = x0;
	mo->ty = y0;
	mo->cols = x1 - x0;
	mo->rows = y1 - y0;
	mo->moved_ms = now;
	mo->frames = mo->key_frames = mo->bytes = 0;
	log_debug("motion: tiles %ux%u at tile (%u, %u) change every frame: VP9 from now on",
	    mo->cols, mo->rows, mo->tx, mo->ty);
}
