/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "codec.h"
#include "codec_tile.h"
#include "jpeg_tile.h"
#include "limits.h"
#include "scroll.h"
#include "zstream.h"

/* Below this many changed tiles, looking for a scroll costs more than it saves. */
enum { SCROLL_MIN_TILES = 3 };

/* Slots of the encoder's colour table: four per palette colour at most. */
#define PAL_SLOT_BITS 10
#define PAL_SLOTS (1u << PAL_SLOT_BITS)

/* ---- encoder ---- */

struct codec_enc {
	struct scroll *scroll;
	uint8_t *changed;               /* per tile: differs from prev */
	int32_t *copy_sy;               /* per tile: source row of a COPY, or -1 */
	int32_t *copy_sx;               /* per tile: its source column */
	struct codec_move moves[CODEC_MOVES_MAX]; /* for the next codec_encode_diff */
	unsigned n_moves;
	size_t tiles_cap;
	uint8_t *sent;                  /* per tile: enum codec_sent of the last encode */
	const uint8_t *lossy_allow;     /* codec_enc_lossy()'s, or NULL */
	const uint8_t *lossy_held;
	unsigned quality;
	struct jpeg_tile *jpeg;         /* made with the first lossy tile */
	struct codec_vp9 vp9;           /* codec_enc_vp9()'s, for the next diff */
	bool with_vp9;
	size_t *offs;                   /* where each tile starts in raw */
	size_t n_offs;
	struct buf raw;                 /* tile bytes of the part being built */
	uint8_t tile[TILE_MAX_LEN];     /* one tile, before it joins raw */
	long last_idx;                  /* the update's previous tile, -1 at its start */
	/* The colours of the tile being encoded: colour -> palette index, in
	 * an open-addressing table whose slots count as empty unless they
	 * carry this tile's generation (no clearing per tile). */
	uint32_t gen;
	uint32_t slot_gen[PAL_SLOTS];
	uint32_t slot_colour[PAL_SLOTS];
	uint8_t slot_index[PAL_SLOTS];
};

struct codec_enc *
codec_enc_new(void)
{
	struct codec_enc *e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->scroll = scroll_new()) == NULL) {
		free(e);
		return NULL;
	}
	buf_init(&e->raw, MSG_VIDEO_RAW_MAX_BYTES);
	return e;
}

void
codec_enc_free(struct codec_enc *e)
{
	if (e == NULL)
		return;
	scroll_free(e->scroll);
	free(e->changed);
	free(e->copy_sy);
	free(e->copy_sx);
	free(e->offs);
	free(e->sent);
	jpeg_tile_free(e->jpeg);
	buf_release(&e->raw);   /* wipes: the screen is private */
	free(e);
}


/* The slot of colour c in this tile's table: its own, or the empty one
 * where it would go. */
static unsigned
pal_slot(const struct codec_enc *e, uint32_t c)
{
	unsigned h = (c * 0x9E3779B1u) >> (32 - PAL_SLOT_BITS);

	while (e->slot_gen[h] == e->gen && e->slot_colour[h] != c)
		h = (h + 1) & (PAL_SLOTS - 1);
	return h;
}

/*
 * Collect the distinct colours of the tile rectangle into pal (and the
 * colour table), stopping once there are more than MSG_PALETTE_MAX.
 * Returns how many were found (at most MSG_PALETTE_MAX + 1).
 */
static unsigned
tile_colours(struct codec_enc *e, const struct image *img, unsigned x, unsigned y,
    unsigned tw, unsigned th, uint32_t pal[MSG_PALETTE_MAX + 1])
{
	unsigned n = 0;
	uint32_t last = 0;

	if (++e->gen == 0) {    /* wrapped: every slot's generation is stale */
		memset(e->slot_gen, 0, sizeof(e->slot_gen));
		e->gen = 1;
	}
	for (unsigned j = 0; j < th; j++) {
		const uint32_t *row = img->px + (size_t)(y + j) * img->w + x;

		for (unsigned i = 0; i < tw; i++) {
			uint32_t c = row[i] & 0xFFFFFF;
			unsigned h;

			/* Screens have runs: the last colour again costs nothing. */
			if (n > 0 && c == last)
				continue;
			last = c;
			h = pal_slot(e, c);
			if (e->slot_gen[h] == e->gen)
				continue;
			e->slot_gen[h] = e->gen;
			e->slot_colour[h] = c;
			e->slot_index[h] = (uint8_t)n;
			pal[n++] = c;
			if (n > MSG_PALETTE_MAX)
				return n;
		}
	}
	return n;
}

/*
 * The smallest rectangle of tile (x, y, tw, th) holding every pixel where
 * cur differs from prev, in *ox, *oy, *w, *h (offsets in the tile).
 * false when no pixel differs.
 */
static bool
changed_rect(const struct image *cur, const struct image *prev, unsigned x, unsigned y,
    unsigned tw, unsigned th, unsigned *ox, unsigned *oy, unsigned *w, unsigned *h)
{
	unsigned x0 = tw, x1 = 0, y0 = th, y1 = 0;

	for (unsigned j = 0; j < th; j++) {
		const uint32_t *a = cur->px + (size_t)(y + j) * cur->w + x;
		const uint32_t *b = prev->px + (size_t)(y + j) * prev->w + x;
		unsigned l = 0, r = tw;

		if (memcmp(a, b, tw * sizeof(*a)) == 0)
			continue;
		while (a[l] == b[l])
			l++;
		while (a[r - 1] == b[r - 1])
			r--;
		x0 = l < x0 ? l : x0;
		x1 = r > x1 ? r : x1;
		y0 = j < y0 ? j : y0;
		y1 = j + 1;
	}
	if (x1 == 0)
		return false;
	*ox = x0;
	*oy = y0;
	*w = x1 - x0;
	*h = y1 - y0;
	return true;
}

/*
 * A tile's head into e->tile: where it is, as the distance from the tile
 * after the update's previous one (zigzag, so the jump back between the
 * COPY tiles and the others is small too), then its kind. Most tiles
 * follow their neighbour: one byte instead of four. Returns the length.
 */
static size_t
tile_head(struct codec_enc *e, unsigned tiles_x, unsigned tx, unsigned ty, uint8_t kind)
{
	long idx = (long)ty * tiles_x + tx;
	size_t n = buf_var32_pack(e->tile, zigzag(idx - (e->last_idx + 1)));

	e->tile[n++] = kind;
	e->last_idx = idx;
	return n;
}

/*
 * Encode tile (tx, ty) into e->tile; returns its length. With prev (the
 * picture the receiver holds), only the rectangle that changed is sent
 * when that is smaller than the tile: a typed character is a few hundred
 * pixels, not 64x64.
 */
static size_t
tile_encode(struct codec_enc *e, const struct image *img, const struct image *prev,
    unsigned tx, unsigned ty)
{
	uint32_t pal[MSG_PALETTE_MAX + 1];
	unsigned x, y, tw, th, i, j, n, ox, oy, w, h;
	size_t head = tile_head(e, (img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN, tx, ty, 0);
	uint8_t *p = e->tile + head, *kind = p - 1;
	bool part = false;

	image_tile_rect(img, tx, ty, &x, &y, &tw, &th);
	if (prev != NULL && changed_rect(img, prev, x, y, tw, th, &ox, &oy, &w, &h) &&
	    w * h < tw * th) {
		*p++ = (uint8_t)ox;
		*p++ = (uint8_t)oy;
		*p++ = (uint8_t)(w - 1);
		*p++ = (uint8_t)(h - 1);
		x += ox;
		y += oy;
		tw = w;
		th = h;
		part = true;
	}
	n = tile_colours(e, img, x, y, tw, th, pal);
	if (n == 1) {
		*kind = CODEC_SOLID;
		put_rgb(p, pal[0]);
		p += 3;
	} else if (n <= MSG_PALETTE_MAX &&
	    1 + 3 * n + (size_t)th * ((tw * index_bits(n) + 7) / 8) < (size_t)3 * tw * th) {
		/* A palette, when it is smaller than the pixels themselves
		 * (not so for a tiny rectangle of many colours). */
		unsigned bits = index_bits(n), k = 0;
		uint32_t last = pal[0];

		*kind = CODEC_PALETTE;
		*p++ = (uint8_t)n;
		for (i = 0; i < n; i++, p += 3)
			put_rgb(p, pal[i]);
		for (j = 0; j < th; j++) {
			const uint32_t *row = img->px + (size_t)(y + j) * img->w + x;
			unsigned acc = 0, fill = 0;

			for (i = 0; i < tw; i++) {
				uint32_t c = row[i] & 0xFFFFFF;

				if (c != last) {        /* present: tile_colours saw it */
					k = e->slot_index[pal_slot(e, c)];
					last = c;
				}
				acc = acc << bits | k;
				fill += bits;
				if (fill == 8) {
					*p++ = (uint8_t)acc;
					acc = fill = 0;
				}
			}
			if (fill > 0)   /* pad the row to a byte, MSB first */
				*p++ = (uint8_t)(acc << (8 - fill));
		}
	} else {
		*kind = CODEC_RAW;
		for (j = 0; j < th; j++) {
			const uint32_t *row = img->px + (size_t)(y + j) * img->w + x;

			for (i = 0; i < tw; i++, p += 3)
				put_rgb(p, row[i]);
		}
	}
	if (part)
		*kind |= CODEC_PART;
	e->sent[(size_t)ty * ((img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN) + tx] =
	    part ? CODEC_SENT_PART : CODEC_SENT_EXACT;
	return (size_t)(p - e->tile);
}

/*
 * Tile (tx, ty) as JPEG into e->tile where codec_enc_lossy() allows it
 * and it pays: more colours than a palette holds, at least half the tile
 * changed (a few changed pixels of a photo go exact, as a PART), and
 * smaller than RAW. Returns the length, or 0: the tile goes exact.
 */
static size_t
tile_encode_lossy(struct codec_enc *e, const struct image *img, const struct image *prev,
    unsigned tx, unsigned ty)
{
	uint32_t pal[MSG_PALETTE_MAX + 1];
	unsigned tiles_x = (img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned x, y, tw, th, ox, oy, w, h;
	size_t i = (size_t)ty * tiles_x + tx, head, len;
	const uint8_t *jpeg;

	if (e->lossy_allow == NULL || !e->lossy_allow[i])
		return 0;
	image_tile_rect(img, tx, ty, &x, &y, &tw, &th);
	if (prev != NULL && changed_rect(img, prev, x, y, tw, th, &ox, &oy, &w, &h) &&
	    2 * w * h < tw * th)
		return 0;
	if (tile_colours(e, img, x, y, tw, th, pal) <= MSG_PALETTE_MAX)
		return 0;
	if (e->jpeg == NULL && (e->jpeg = jpeg_tile_new()) == NULL)
		return 0;
	/* Any failure leaves the exact encodings, which always work. */
	if (jpeg_tile_encode(e->jpeg, img, x, y, tw, th, e->quality,
	    (size_t)3 * tw * th - 1 - BUF_VAR32_MAX_LEN, &jpeg, &len) != 0)
		return 0;
	head = tile_head(e, tiles_x, tx, ty, CODEC_JPEG);
	head += buf_var32_pack(e->tile + head, (uint32_t)len);
	memcpy(e->tile + head, jpeg, len);
	e->sent[i] = CODEC_SENT_LOSSY;
	return head + len;
}

/* Emit what raw holds as one part and start over. */
static int
flush_part(struct codec_enc *e, codec_part_fn *fn, void *arg, bool last)
{
	int r = fn(arg, buf_ptr(&e->raw), buf_len(&e->raw), last);

	buf_reset(&e->raw);
	e->n_offs = 0;
	return r;
}

/* Append one encoded tile (in e->tile) to the part being built. */
static int
add_tile(struct codec_enc *e, size_t len, size_t raw_max, codec_part_fn *fn, void *arg)
{
	int r;

	if (len > raw_max)
		return ERR_TOO_LARGE;   /* one tile over the part size: raw_max is too small */
	if (buf_len(&e->raw) + len > raw_max && (r = flush_part(e, fn, arg, false)) != 0)
		return r;
	e->offs[e->n_offs++] = buf_len(&e->raw);
	return buf_put_bytes(&e->raw, e->tile, len);
}

static bool
block_same(const struct image *a, unsigned ax, unsigned ay, const struct image *b,
    unsigned bx, unsigned by, unsigned tw, unsigned th)
{
	for (unsigned j = 0; j < th; j++)
		if (memcmp(a->px + (size_t)(ay + j) * a->w + ax,
		    b->px + (size_t)(by + j) * b->w + bx, tw * sizeof(*a->px)) != 0)
			return false;
	return true;
}

static int
grow_tables(struct codec_enc *e, size_t n)
{
	if (n <= e->tiles_cap)
		return 0;
	free(e->changed);
	free(e->copy_sy);
	free(e->copy_sx);
	free(e->offs);
	free(e->sent);
	e->changed = malloc(n);
	e->sent = malloc(n);
	e->copy_sy = malloc(n * sizeof(*e->copy_sy));
	e->copy_sx = malloc(n * sizeof(*e->copy_sx));
	e->offs = malloc(n * sizeof(*e->offs));
	if (e->changed == NULL || e->copy_sy == NULL || e->copy_sx == NULL || e->offs == NULL ||
	    e->sent == NULL) {
		e->tiles_cap = 0;
		return ERR_NOMEM;
	}
	e->tiles_cap = n;
	return 0;
}

void
codec_enc_moves(struct codec_enc *e, const struct codec_move *moves, unsigned n)
{
	e->n_moves = 0;
	for (unsigned i = 0; i < n && e->n_moves < CODEC_MOVES_MAX; i++)
		if (moves[i].dx != 0 || moves[i].dy != 0)
			e->moves[e->n_moves++] = moves[i];
}

void
codec_enc_lossy(struct codec_enc *e, const uint8_t *allow, const uint8_t *held,
    unsigned quality)
{
	e->lossy_allow = allow;
	e->lossy_held = held;
	e->quality = quality < 1 ? 1 : quality > 100 ? 100 : quality;
}

void
codec_enc_vp9(struct codec_enc *e, const struct codec_vp9 *v)
{
	e->with_vp9 = v != NULL;
	if (v != NULL)
		e->vp9 = *v;
}

const uint8_t *
codec_enc_sent(const struct codec_enc *e)
{
	return e->sent;
}

/* Does the rectangle touch a tile that some receiver holds lossy? */
static bool
touches_held(const struct codec_enc *e, const struct image *img, unsigned x, unsigned y,
    unsigned w, unsigned h)
{
	unsigned tiles_x = (img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;

	if (e->lossy_held == NULL)
		return false;
	for (unsigned ty = y / MSG_TILE_LEN; ty <= (y + h - 1) / MSG_TILE_LEN; ty++)
		for (unsigned tx = x / MSG_TILE_LEN; tx <= (x + w - 1) / MSG_TILE_LEN; tx++)
			if (e->lossy_held[(size_t)ty * tiles_x + tx])
				return true;
	return false;
}

/* Is the tile at x, y the base's pixels from x - dx, y - dy (exact ones)? */
static bool
moved_from(const struct codec_enc *e, const struct image *cur, const struct image *prev,
    unsigned x, unsigned y, unsigned tw, unsigned th, long dx, long dy)
{
	long sx = (long)x - dx, sy = (long)y - dy;

	return sx >= 0 && sy >= 0 && sx + tw <= prev->w && sy + th <= prev->h &&
	    !touches_held(e, prev, (unsigned)sx, (unsigned)sy, tw, th) &&
	    block_same(cur, x, y, prev, (unsigned)sx, (unsigned)sy, tw, th);
}

/*
 * Which changed tiles are the base's pixels moved: up or down (a scroll,
 * found from the pixels) or by a move the caller saw (a window dragged).
 * Every candidate is checked pixel for pixel.
 */
static int
find_copies(struct codec_enc *e, const struct image *cur, const struct image *prev,
    unsigned tiles_x, unsigned tiles_y, size_t n_changed)
{
	int dy[SCROLL_CANDIDATES], n = 0;

	for (size_t i = 0; i < (size_t)tiles_x * tiles_y; i++)
		e->copy_sy[i] = -1;
	if (n_changed >= SCROLL_MIN_TILES &&
	    (n = scroll_detect(e->scroll, cur, prev, e->changed, dy)) < 0)
		return n;
	if (n == 0 && e->n_moves == 0)
		return 0;
	for (unsigned ty = 0; ty < tiles_y; ty++) {
		for (unsigned tx = 0; tx < tiles_x; tx++) {
			size_t i = (size_t)ty * tiles_x + tx;
			unsigned x, y, tw, th;
			long mdx = 0, mdy = 0;
			bool found = false;

			if (!e->changed[i])
				continue;
			image_tile_rect(cur, tx, ty, &x, &y, &tw, &th);
			for (int k = 0; k < n && !found; k++)
				if ((found = moved_from(e, cur, prev, x, y, tw, th, 0,
				    -(long)dy[k])))
					mdy = -(long)dy[k];
			for (unsigned k = 0; k < e->n_moves && !found; k++)
				if ((found = moved_from(e, cur, prev, x, y, tw, th, e->moves[k].dx,
				    e->moves[k].dy))) {
					mdx = e->moves[k].dx;
					mdy = e->moves[k].dy;
				}
			if (found) {
				e->copy_sx[i] = (int32_t)((long)x - mdx);
				e->copy_sy[i] = (int32_t)((long)y - mdy);
			}
		}
	}
	return 0;
}


/*
 * The VP9 frame of codec_enc_vp9() as one tile, painting the changed
 * tiles of its region that no COPY brings (those are then done).
 */
static int
add_vp9(struct codec_enc *e, const struct codec_vp9 *v, unsigned tiles_x, unsigned tiles_y,
    size_t raw_max, codec_part_fn *fn, void *arg)
{
	uint8_t head[TILE_HEAD_MAX + 3], mask[(MSG_TILES_MAX + 7) / 8];
	size_t n_mask = ((size_t)v->cols * v->rows + 7) / 8, n, k = 0;
	uint8_t len[BUF_VAR32_MAX_LEN];
	size_t n_len;
	int r;

	if (v->cols == 0 || v->rows == 0 || v->cols > 256 || v->rows > 256 ||
	    v->tx + v->cols > tiles_x || v->ty + v->rows > tiles_y || v->len > UINT32_MAX)
		return ERR_INTERNAL;
	memset(mask, 0, n_mask);
	for (unsigned j = 0; j < v->rows; j++)
		for (unsigned i = 0; i < v->cols; i++, k++) {
			size_t t = (size_t)(v->ty + j) * tiles_x + v->tx + i;

			if (!e->changed[t] || e->copy_sy[t] >= 0 ||
			    (v->paint != NULL && !v->paint[t]))
				continue;
			mask[k / 8] |= (uint8_t)(0x80 >> k % 8);
			e->changed[t] = 0;      /* done: not again as a tile */
			e->sent[t] = CODEC_SENT_LOSSY;
		}
	n = tile_head(e, tiles_x, v->tx, v->ty, CODEC_VP9);
	memcpy(head, e->tile, n);
	head[n++] = (uint8_t)(v->cols - 1);
	head[n++] = (uint8_t)(v->rows - 1);
	head[n++] = v->key ? CODEC_VP9_KEY : 0;
	n_len = buf_var32_pack(len, (uint32_t)v->len);
	if (n + n_mask + n_len + v->len > raw_max)
		return ERR_TOO_LARGE;   /* the caller checks CODEC_VP9_HEAD_MAX first */
	if (buf_len(&e->raw) + n + n_mask + n_len + v->len > raw_max &&
	    (r = flush_part(e, fn, arg, false)) != 0)
		return r;
	e->offs[e->n_offs++] = buf_len(&e->raw);
	if ((r = buf_put_bytes(&e->raw, head, n)) != 0 ||
	    (r = buf_put_bytes(&e->raw, mask, n_mask)) != 0 ||
	    (r = buf_put_bytes(&e->raw, len, n_len)) != 0)
		return r;
	return buf_put_bytes(&e->raw, v->data, v->len);
}

int
codec_encode_tiles(struct codec_enc *e, const struct image *cur, const uint8_t *mask,
    size_t raw_max, codec_part_fn *fn, void *arg, size_t *n_tiles)
{
	unsigned tiles_x = (cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	size_t n = (size_t)tiles_x * ((cur->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN);
	int r;

	*n_tiles = 0;
	buf_reset(&e->raw);
	e->last_idx = -1;
	e->n_offs = 0;
	if ((r = grow_tables(e, n)) != 0)
		return r;
	memset(e->sent, CODEC_SENT_NONE, n);
	for (size_t i = 0; i < n; i++) {
		unsigned tx = (unsigned)(i % tiles_x), ty = (unsigned)(i / tiles_x);
		size_t len;

		if (!mask[i])
			continue;
		if ((len = tile_encode_lossy(e, cur, NULL, tx, ty)) == 0)
			len = tile_encode(e, cur, NULL, tx, ty);
		if ((r = add_tile(e, len, raw_max, fn, arg)) != 0)
			return r;
		(*n_tiles)++;
	}
	if (e->n_offs == 0)
		return 0;
	return flush_part(e, fn, arg, true);
}

int
codec_encode(struct codec_enc *e, const struct image *cur, const struct image *prev,
    size_t raw_max, codec_part_fn *fn, void *arg, size_t *n_tiles)
{
	size_t n = (size_t)((cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN) *
	    ((cur->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN);
	int r;

	if ((r = grow_tables(e, n)) != 0)
		return r;
	/* A base of another size has nothing in common with cur. */
	if (prev != NULL && (prev->w != cur->w || prev->h != cur->h))
		prev = NULL;
	if (prev != NULL)
		image_changed(cur, prev, NULL, e->changed);
	else
		memset(e->changed, 1, n);
	return codec_encode_diff(e, cur, prev, e->changed, raw_max, fn, arg, n_tiles);
}

int
codec_encode_diff(struct codec_enc *e, const struct image *cur, const struct image *prev,
    const uint8_t *changed, size_t raw_max, codec_part_fn *fn, void *arg, size_t *n_tiles)
{
	unsigned tiles_x = (cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (cur->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	size_t n_changed = 0, i, n = (size_t)tiles_x * tiles_y;
	bool with_vp9 = e->with_vp9;
	unsigned tx, ty;
	int r;

	e->with_vp9 = false;    /* for this update only */
	*n_tiles = 0;
	buf_reset(&e->raw);
	e->last_idx = -1;
	e->n_offs = 0;
	if ((r = grow_tables(e, n)) != 0)
		return r;
	if (changed != e->changed)
		memcpy(e->changed, changed, n);
	memset(e->sent, CODEC_SENT_NONE, n);
	for (i = 0; i < n; i++)
		n_changed += e->changed[i];
	if (prev != NULL && (r = find_copies(e, cur, prev, tiles_x, tiles_y, n_changed)) != 0)
		return r;
	e->n_moves = 0;         /* they were for this update */
	/* Copies first: their sources must still be the base's pixels; then
	 * the VP9 frame, which paints what they left of its region. */
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && with_vp9) {
			if (prev == NULL)
				return ERR_INTERNAL;    /* a region is for diffs */
			if ((r = add_vp9(e, &e->vp9, tiles_x, tiles_y, raw_max, fn, arg)) != 0)
				return r;
			(*n_tiles)++;
		}
		for (i = 0; i < (size_t)tiles_x * tiles_y; i++) {
			bool copy = prev != NULL && e->copy_sy[i] >= 0;
			size_t len;

			if (!e->changed[i] || copy != (pass == 0))
				continue;
			tx = (unsigned)(i % tiles_x);
			ty = (unsigned)(i / tiles_x);
			if (copy) {
				uint8_t *p;

				len = tile_head(e, tiles_x, tx, ty, CODEC_COPY);
				p = e->tile + len;
				p[0] = (uint8_t)(e->copy_sx[i] >> 8);
				p[1] = (uint8_t)e->copy_sx[i];
				p[2] = (uint8_t)(e->copy_sy[i] >> 8);
				p[3] = (uint8_t)e->copy_sy[i];
				len += 4;
				e->sent[i] = CODEC_SENT_EXACT;
			} else if ((len = tile_encode_lossy(e, cur, prev, tx, ty)) == 0) {
				len = tile_encode(e, cur, prev, tx, ty);
			}
			if ((r = add_tile(e, len, raw_max, fn, arg)) != 0)
				return r;
			(*n_tiles)++;
		}
	}
	if (e->n_offs == 0)
		return 0;
	return flush_part(e, fn, arg, true);
}
