/* SPDX-License-Identifier: Apache-2.0 */
/*
 * zstream.h - one long-lived zstd stream per viewer for its screen
 * updates. Every part is compressed with the history of the parts before
 * it on the same stream (ZSTD_e_flush: the receiver can inflate each part
 * whole as it arrives), so content seen a moment ago - the glyphs of the
 * text being typed, a window raised again - costs a few bytes instead of
 * its pixels. A key frame restarts the stream on both sides, which is
 * how a viewer that joins, or falls out of step, starts afresh.
 *
 * The history is the receiver's state: both sides must see the same
 * parts in the same order. The record layer keeps them in order; a part
 * a relay dropped is caught by VIDEO's frame, base and part numbers
 * (PROTOCOL.md 3.4), and the connection ends.
 */
#ifndef PROTO_ZSTREAM_H
#define PROTO_ZSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

struct zs_enc;
struct zs_dec;

/* level: zstd's compression level (1..19; levels above 5 rarely pay). */
struct zs_enc *zs_enc_new(int level);
void zs_enc_free(struct zs_enc *z);
/* The most zs_enc_part() appends for n bytes. */
size_t zs_enc_bound(size_t n);
/*
 * Compress raw[0..n) as the next part of the stream and append it to out
 * (which needs room for zs_enc_bound(n) more bytes). restart: forget the
 * history first (the receiver must be told: a key frame).
 */
int zs_enc_part(struct zs_enc *z, bool restart, const uint8_t *raw, size_t n,
    struct buf *out) WUR;

struct zs_dec *zs_dec_new(void);
void zs_dec_free(struct zs_dec *d);
/*
 * Inflate the next part z[0..zlen) into exactly raw_len bytes at raw.
 * Every byte of z must be used and it must inflate to raw_len, not more
 * and not less (ERR_FORMAT, and the stream is unusable after any error).
 * A stream asking for a window over ZSTREAM_WINDOW_LOG is refused.
 */
int zs_dec_part(struct zs_dec *d, bool restart, const uint8_t *z, size_t zlen, uint8_t *raw,
    size_t raw_len) WUR;

#endif
