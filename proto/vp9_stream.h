/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vp9_stream.h - a rectangle of the screen as a VP9 stream (libvpx,
 * realtime): for a region whose pixels change every frame (a video, an
 * animation), where one inter frame costs a fraction of its JPEG tiles
 * (docs/decisions.md). The colours go through full-range BT.601 4:2:0,
 * converted by TurboJPEG both ways, as the JPEG tiles do.
 *
 * An encoder is made for one rectangle size; a decoder learns the size
 * from a key frame and refuses frames of any other (so a hostile stream
 * cannot make it allocate for a bigger picture than the tile says).
 */
#ifndef PROTO_VP9_STREAM_H
#define PROTO_VP9_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "image.h"

struct vp9_enc;
struct vp9_dec;

/* An encoder for w x h pixels; NULL when libvpx refuses. */
struct vp9_enc *vp9_enc_new(unsigned w, unsigned h);
void vp9_enc_free(struct vp9_enc *e);
/*
 * The next frame: img's w x h pixels at (x, y), at quality 1..100 (the
 * JPEG tiles' scale, mapped onto VP9's quantizer). key starts afresh (a
 * receiver that missed frames can join there). *out is valid until the
 * next call. An empty frame (*len 0) is an error: libvpx dropped it.
 */
int vp9_enc_frame(struct vp9_enc *e, const struct image *img, unsigned x, unsigned y,
    bool key, unsigned quality, const uint8_t **out, size_t *len) WUR;

struct vp9_dec *vp9_dec_new(void);
void vp9_dec_free(struct vp9_dec *d);
/*
 * Decode one frame of exactly w x h pixels. A key frame (key set, and the
 * bytes must say so) starts afresh; any other frame needs the key frame
 * and every frame since, at this size. On error the stream is spent until
 * the next key frame.
 */
int vp9_dec_frame(struct vp9_dec *d, bool key, const uint8_t *p, size_t len, unsigned w,
    unsigned h) WUR;
/*
 * The decoded frame's tw x th pixels at (fx, fy), both even, converted onto
 * img at (x, y): only what is painted is converted. Valid until the next
 * vp9_dec_frame.
 */
int vp9_dec_paint(const struct vp9_dec *d, unsigned fx, unsigned fy, unsigned tw,
    unsigned th, struct image *img, unsigned x, unsigned y) WUR;
/* The frame buffers the decoder holds for libvpx now, and how many it has
 * allocated since the last key frame (a stream reuses them). */
void vp9_dec_buffers(const struct vp9_dec *d, unsigned *held, unsigned long *made);

#endif
