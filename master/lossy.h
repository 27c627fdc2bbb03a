/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lossy.h - which screen tiles may go lossy, and their exact refresh.
 *
 * A tile of many colours that is changing (a photograph being shown, a
 * video) may be sent as JPEG (codec.h, CODEC_JPEG): a tenth of its exact
 * bytes. Each viewer's tiles held lossy are remembered; once such a tile
 * has been still for MASTER_LOSSY_SETTLE_MS it is sent again exact, so a
 * still screen ends pixel for pixel the host's. Text and UI have few
 * colours per tile and never go lossy (codec.c decides per tile).
 */
#ifndef MASTER_LOSSY_H
#define MASTER_LOSSY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct master;
struct video_viewer;

struct lossy {
	bool off;                       /* --lossless */
	unsigned quality;               /* JPEG quality, 1..100 */
	uint64_t changed_ms[MSG_TILES_MAX]; /* when each tile last changed */
	uint8_t allow[MSG_TILES_MAX];   /* may go lossy now: it changed lately */
	uint8_t held[MSG_TILES_MAX];    /* some viewer holds it lossy */
	uint64_t next_ms;               /* the earliest refresh due; UINT64_MAX: none */
};

/* quality 0: MASTER_QUALITY_DEFAULT. */
void lossy_init(struct lossy *l, bool off, unsigned quality);
/* These tiles of the picture changed now (NULL: all of them). */
void lossy_changed(struct lossy *l, const uint8_t *changed, size_t n_tiles, uint64_t now);
/* A first picture, or one of a new size: no tile has changed yet. */
void lossy_restart(struct lossy *l);
/* allow for an update at now, over the picture's n_tiles. */
void lossy_plan(struct lossy *l, size_t n_tiles, uint64_t now);
/* Mark in mask the tiles the viewer holds lossy that have settled by now,
 * at most max of them not marked already; returns how many it marked. */
size_t lossy_settled(const struct lossy *l, const struct video_viewer *vv, size_t n_tiles,
    uint64_t now, uint8_t *mask, size_t max);
/* An encode reached the viewer: sent is codec_enc_sent()'s. */
void lossy_sent(struct video_viewer *vv, const uint8_t *sent, size_t n_tiles);
/* The viewer's picture starts afresh (a key frame follows). */
void lossy_forget(struct video_viewer *vv);
/* After an update: held and next_ms from every active viewer. */
void lossy_review(struct lossy *l, const struct master *m, size_t n_tiles);

#endif
