/* SPDX-License-Identifier: Apache-2.0 */
/*
 * motion.h - the region of the screen that changes every frame (a video,
 * an animation), sent as VP9 instead of JPEG tiles.
 *
 * Tiles that go JPEG update after update are moving; their bounding box
 * becomes a region with one VP9 encoder (vp9_stream.h), whose frames ride
 * in the diffs that in-step viewers share (codec.h, CODEC_VP9). A VP9
 * inter frame needs every frame since its key frame, so the region keeps
 * its members: the viewers that got all of them. A diff to anyone else
 * carries a key frame (at most every MOTION_KEY_GAP_MS; until then the
 * region goes as JPEG tiles, and the encoder waits). Catch-ups and whole
 * pictures never carry VP9: who gets one is no member until its next key
 * frame. A region still for MOTION_END_MS ends; its tiles are refreshed
 * exact like any lossy tile (lossy.h).
 */
#ifndef MASTER_MOTION_H
#define MASTER_MOTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codec.h"
#include "limits.h"

struct vp9_enc;

struct motion {
	bool off;                       /* --lossless */
	uint8_t heat[MSG_TILES_MAX];    /* updates in a row the tile went lossy */
	uint64_t heat_ms[MSG_TILES_MAX]; /* when it last did */
	uint8_t paint[MSG_TILES_MAX];   /* the frame being sent paints these */
	bool active;
	unsigned tx, ty, cols, rows;    /* the region, in tiles */
	uint64_t moved_ms;              /* something in it last changed */
	uint64_t key_ms;                /* its last key frame; 0: none yet */
	uint64_t retry_ms;              /* no region before this (a failed one) */
	struct vp9_enc *enc;            /* made with the region's first frame */
	bool member[MASTER_SLOTS_MAX + 1];
	bool sending, sending_key;      /* a frame is in the diff being sent */
	uint64_t frames, key_frames, bytes;
};

void motion_init(struct motion *mo, bool off);
void motion_free(struct motion *mo);
/* A first picture or a new size: no region, no history. */
void motion_restart(struct motion *mo);
/* The viewer's picture starts afresh (a key frame of tiles): it needs a
 * VP9 key frame before any other. */
void motion_forget(struct motion *mo, unsigned slot);
/*
 * Before a diff of cur to the viewers in slots: 1 and *out when it
 * carries a VP9 frame of the region (changed minus refresh: what moved),
 * 0 when not. raw_max is the diff's part size; quality its JPEG quality.
 */
int motion_frame(struct motion *mo, const struct image *cur, const uint8_t *changed,
    const uint8_t *refresh, const uint16_t *slots, unsigned n, unsigned quality,
    size_t raw_max, uint64_t now, struct codec_vp9 *out);
/* After that diff went (sent is codec_enc_sent()'s): members, heat, and
 * where the region is. */
void motion_sent(struct motion *mo, const struct image *cur, const uint8_t *changed,
    const uint8_t *refresh, const uint8_t *sent, const uint16_t *slots, unsigned n,
    uint64_t now);
/* The region ends once still for MOTION_END_MS (called on every update,
 * diffs or not). */
void motion_expire(struct motion *mo, uint64_t now);

#endif
