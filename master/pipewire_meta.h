/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipewire_meta.h - what a PipeWire buffer from the compositor says about
 * itself, checked before a byte of it is read: its damage
 * (SPA_META_VideoDamage), the cursor (SPA_META_Cursor: position and
 * shape) and where the picture lies in its memory (the chunk's offset and
 * stride). It all comes from another process; tests/fuzz/fuzz_pipewire.c
 * feeds these functions buffers made of random bytes.
 *
 * Only SPA's headers are needed (their helpers are inline), not
 * libpipewire: pipewire_stream.c calls these on PipeWire's thread.
 */
#ifndef MASTER_PIPEWIRE_META_H
#define MASTER_PIPEWIRE_META_H

#include <stdbool.h>
#include <stdint.h>

#include <spa/buffer/buffer.h>

#include "capture.h"

/* The pointer as the cursor metadata described it. */
struct pipewire_cursor {
	int x, y;                       /* -1, -1 until a position came */
	bool moved;                     /* set on a new position; the reader clears it */
	bool shape_new;                 /* shape holds one not handed out yet */
	bool saw;                       /* valid cursor metadata came at least once */
	struct capture_cursor shape;
};

/*
 * The buffer's damage on a w x h picture, marked into damage[] (one byte a
 * MSG_TILE_LEN tile, rows of tiles); false when it carries none that can
 * be used (then everything counts as changed). *saw is set when the
 * buffer has the metadata.
 */
bool pipewire_meta_damage(struct spa_buffer *b, int w, int h, uint8_t *damage, bool *saw);
/* The cursor metadata into cur: the position always, the shape when one
 * came along (cropped around its hot spot to CAPTURE_CURSOR_DIM_MAX). */
void pipewire_meta_cursor(struct spa_buffer *b, struct pipewire_cursor *cur);
/*
 * Where the chunk places a w x h picture of 4 bytes a pixel in memory of
 * maxsize bytes: its first byte's *offset and the *stride between rows;
 * false when any of it would lie outside.
 */
bool pipewire_frame_place(const struct spa_chunk *chunk, uint32_t maxsize, int w, int h,
    uint64_t *offset, uint64_t *stride);
/* The picture's rows at src, stride apart, in format (SPA_VIDEO_FORMAT_*,
 * 32-bit), into px (w x h) as 0x00RRGGBB. */
void pipewire_frame_convert(const uint8_t *src, uint64_t stride, uint32_t format, int w, int h,
    uint32_t *px);

#endif
