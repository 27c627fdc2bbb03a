/* SPDX-License-Identifier: Apache-2.0 */
/*
 * codec.h - screen images, tiles and their encoding (compressed on each
 * viewer's stream by the caller: zstream.h).
 *
 * An image is w x h pixels of 0x00RRGGBB. It is cut into 64x64 tiles
 * (MSG_TILE_LEN; edge tiles are smaller), numbered row by row from 0. An
 * update is a list of tiles; before zstd its bytes are, per tile:
 *
 *   var where | u8 kind | [u8 x, y, w - 1, h - 1 with CODEC_PART] | payload
 *     SOLID   (1): u8 r, g, b
 *     PALETTE (2): u8 n (2..MSG_PALETTE_MAX) | n x (r, g, b)
 *                  | indices, packed MSB first with 1, 2, 4 or 8 bits each
 *                  (the fewest that hold n-1), each row padded to a byte
 *     RAW     (3): tw * th x (r, g, b), row by row
 *     COPY    (4): u16 sx | u16 sy: the tile's pixels are the tw x th
 *                  rectangle at (sx, sy) of the frame this update applies
 *                  to (its base): scrolled or moved content
 *     JPEG    (5): var len | len bytes: a baseline JPEG of exactly tw x th
 *                  (jpeg_tile.h): lossy, for tiles of many colours while
 *                  they change; the sender refreshes them exact later
 *     VP9     (6): u8 cols - 1 | u8 rows - 1 | u8 flags | mask | var len |
 *                  len bytes: the next frame of the update stream's VP9
 *                  region (vp9_stream.h), cols x rows tiles from this one
 *                  (clipped to the image); flags bit 0 (CODEC_VP9_KEY):
 *                  a key frame, which starts the region afresh at this
 *                  place and size; any other frame must continue the
 *                  region of the last key frame, every frame since
 *                  decoded. mask: (cols * rows + 7) / 8 bytes, a bit per
 *                  tile of the region row by row, MSB first (the rest 0):
 *                  the tiles this frame paints. The others keep what they
 *                  hold (refreshed exact, say), though every frame is
 *                  decoded. Lossy, for regions that change every frame.
 *
 * A kind with the CODEC_PART bit (0x80) set describes only the w x h
 * rectangle at (x, y) inside the tile (it must fit); the payload is that
 * rectangle's, and the rest of the tile stays as it was: an update sends
 * what changed, not the whole tile. COPY, JPEG and VP9 have no PART form.
 *
 * where (a var as in msg.h) is zigzag(index - (previous index + 1)): the
 * distance from the tile after the update's previous one (-1 before its
 * first tile, counted across its parts), zigzag so that going back costs
 * little too (0, -1, 1, -2... as 0, 1, 2, 3...). Neighbours cost one byte.
 * A tile outside the image,
 * a copy source outside it, a palette index >= n, or a byte left over is
 * an error. COPY tiles come first in an update (before any other tile),
 * so their sources are still the base frame's pixels; a VP9 tile comes
 * next (the encoder puts at most one in an update), then the rest.
 */
#ifndef PROTO_CODEC_H
#define PROTO_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "image.h"

enum codec_tile_kind {
	CODEC_SOLID = 1,
	CODEC_PALETTE = 2,
	CODEC_RAW = 3,
	CODEC_COPY = 4,
	CODEC_JPEG = 5,
	CODEC_VP9 = 6,
	CODEC_PART = 0x80,      /* flag on SOLID, PALETTE, RAW: a rectangle of the tile */
};

/* Content that moved: what is now at x, y was at x - dx, y - dy. */
struct codec_move {
	int16_t dx, dy;
};

#define CODEC_MOVES_MAX 8

#define CODEC_VP9_KEY 0x01

/* One frame of a VP9 region for the next codec_encode_diff (vp9_stream.h
 * made it from the same picture). */
struct codec_vp9 {
	unsigned tx, ty, cols, rows;    /* the region, in tiles */
	bool key;
	const uint8_t *data;
	size_t len;
	const uint8_t *paint;           /* per tile of the image: may paint; NULL: all */
};

/* The bytes a VP9 tile adds to its frame's len (for a part's size). */
#define CODEC_VP9_HEAD_MAX(cols, rows) \
	((size_t)BUF_VAR32_MAX_LEN * 2 + 4 + ((size_t)(cols) * (rows) + 7) / 8)

/* What an encode sent for each tile (codec_enc_sent()). */
enum codec_sent {
	CODEC_SENT_NONE = 0,    /* nothing: the receiver's tile is as it was */
	CODEC_SENT_EXACT,       /* the whole tile, exact (a COPY too: see codec_enc_lossy) */
	CODEC_SENT_PART,        /* a rectangle of it, exact; the rest is as it was */
	CODEC_SENT_LOSSY,       /* the whole tile as JPEG */
};

struct codec_enc;
struct codec_dec;

/*
 * Called once per encoded part: raw[0..raw_len) are whole tiles (the
 * caller compresses them, on each viewer's stream: zstream.h); last
 * marks the final part of this update. A non-zero return stops the
 * encoder and is returned by codec_encode().
 */
typedef int codec_part_fn(void *arg, const uint8_t *raw, size_t raw_len, bool last);

struct codec_enc *codec_enc_new(void);
void codec_enc_free(struct codec_enc *e);
/*
 * Encode the tiles of cur that differ from prev (every tile when prev is
 * NULL) in parts of at most raw_max tile bytes each. When no tile
 * differs, nothing is emitted and *n_tiles is 0.
 */
int codec_encode(struct codec_enc *e, const struct image *cur, const struct image *prev,
    size_t raw_max, codec_part_fn *fn, void *arg, size_t *n_tiles) WUR;

/* codec_encode for a caller that already has image_changed()'s mask of cur
 * against prev (same size): the tiles are not compared a second time. */
int codec_encode_diff(struct codec_enc *e, const struct image *cur, const struct image *prev,
    const uint8_t *changed, size_t raw_max, codec_part_fn *fn, void *arg,
    size_t *n_tiles) WUR;
/* The next codec_encode_diff also tries these moves (at most
 * CODEC_MOVES_MAX; a window seen moving, say) for COPY tiles. A wrong
 * move costs a compare, never a wrong picture. */
void codec_enc_moves(struct codec_enc *e, const struct codec_move *moves, unsigned n);
/*
 * The next codec_encode_diff carries this VP9 frame (copied, NULL: none;
 * cleared by that encode): its changed tiles inside the region that are
 * not COPYs and that paint allows are painted from the frame (sent as CODEC_SENT_LOSSY), and
 * the frame goes even when none is (the receiver's decoder needs every
 * frame). The frame and its head must fit raw_max.
 */
void codec_enc_vp9(struct codec_enc *e, const struct codec_vp9 *v);
/*
 * Lossy tiles for the encodes that follow (the arrays are read then, per
 * tile, and must stay valid): a tile allow marks that holds more than
 * MSG_PALETTE_MAX colours and changed at least half its area goes as
 * JPEG at quality (1..100) when that is smaller than RAW. No COPY reads
 * from a tile held marks (some receiver holds it lossy there, so its
 * pixels are not the base's): a copy is always exact. NULL: none.
 */
void codec_enc_lossy(struct codec_enc *e, const uint8_t *allow, const uint8_t *held,
    unsigned quality);
/* Per tile, what the last encode sent (enum codec_sent); as many entries
 * as the image it encoded has tiles. */
const uint8_t *codec_enc_sent(const struct codec_enc *e);
/* Encode the tiles of cur that mask marks (no copies: for a viewer whose
 * picture is older than prev), like codec_encode otherwise. */
int codec_encode_tiles(struct codec_enc *e, const struct image *cur, const uint8_t *mask,
    size_t raw_max, codec_part_fn *fn, void *arg, size_t *n_tiles) WUR;

struct codec_dec *codec_dec_new(void);
void codec_dec_free(struct codec_dec *d);
/*
 * Inflate z on the decoder's stream (restart: a key frame's first part
 * starts it afresh) into exactly raw_len bytes (<= MSG_VIDEO_RAW_MAX_BYTES)
 * and paint its tiles onto img. Checks every tile; on error img may hold
 * some of the part's tiles and the stream is spent (the caller drops the
 * connection).
 */
int codec_decode(struct codec_dec *d, bool restart, const uint8_t *z, size_t zlen,
    size_t raw_len, struct image *img) WUR;
/* Paint an inflated tile stream onto img (what codec_decode does after
 * zstd), with the same checks. */
int codec_decode_tiles(struct codec_dec *d, const uint8_t *raw, size_t raw_len,
    struct image *img) WUR;
/* A new update begins (its first part follows): COPY sources are read
 * from img as it is now. */
void codec_dec_begin(struct codec_dec *d);
/* JPEG and VP9 tiles painted since codec_dec_begin() (the update is lossy
 * there until the sender refreshes them). */
unsigned codec_dec_lossy(const struct codec_dec *d);
/* Tiles of the picture that are lossy now (JPEG or VP9): one counts until
 * a whole exact tile or a COPY replaces it (a PART leaves it lossy). */
unsigned codec_dec_held(const struct codec_dec *d);
/* The rectangle covering every tile painted since the last call (false:
 * none), for a display that uploads only what changed. */
bool codec_dec_dirty(struct codec_dec *d, unsigned *x, unsigned *y, unsigned *w, unsigned *h);

#endif
