/* SPDX-License-Identifier: Apache-2.0 */
/* codec_dec.c - the viewer's end of the tile codec (codec.h). */
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "codec.h"
#include "codec_tile.h"
#include "jpeg_tile.h"
#include "limits.h"
#include "vp9_stream.h"
#include "zstream.h"

struct codec_dec {
	struct zs_dec *zs;              /* the viewer's end of its screen stream */
	uint8_t *raw;
	size_t raw_cap;
	unsigned dx0, dy0, dx1, dy1;    /* painted since codec_dec_dirty(); empty if x1 == 0 */
	struct image base;              /* the update's base, for COPY tiles */
	bool base_taken;                /* base holds this update's base */
	bool painted;                   /* this update painted a non-COPY tile */
	long last_idx;                  /* the update's previous tile, -1 at its start */
	struct jpeg_tile *jpeg;         /* made with the first JPEG tile */
	struct vp9_dec *vp9;            /* made with the first VP9 tile */
	long vp9_idx;                   /* its region: the first tile, */
	unsigned vp9_cols, vp9_rows;    /* and its size, from the key frame */
	unsigned lossy;                 /* lossy tiles since codec_dec_begin() */
	uint8_t *held;                  /* per tile of the picture: JPEG now */
	unsigned held_w, held_h, n_held;
};

struct codec_dec *
codec_dec_new(void)
{
	struct codec_dec *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->zs = zs_dec_new()) == NULL) {
		free(d);
		return NULL;
	}
	d->last_idx = -1;
	return d;
}

void
codec_dec_free(struct codec_dec *d)
{
	if (d == NULL)
		return;
	zs_dec_free(d->zs);
	if (d->raw != NULL) {
		sodium_memzero(d->raw, d->raw_cap);
		free(d->raw);
	}
	image_free(&d->base);
	jpeg_tile_free(d->jpeg);
	vp9_dec_free(d->vp9);
	free(d->held);
	free(d);
}

void
codec_dec_begin(struct codec_dec *d)
{
	d->base_taken = false;
	d->painted = false;
	d->last_idx = -1;
	d->lossy = 0;
}

unsigned
codec_dec_lossy(const struct codec_dec *d)
{
	return d->lossy;
}

unsigned
codec_dec_held(const struct codec_dec *d)
{
	return d->n_held;
}

/* Tile idx of img is JPEG now, or exact; a new size starts all exact. */
static int
hold(struct codec_dec *d, const struct image *img, long idx, bool lossy)
{
	if (d->held == NULL || d->held_w != img->w || d->held_h != img->h) {
		free(d->held);
		d->n_held = 0;
		d->held_w = img->w;
		d->held_h = img->h;
		if ((d->held = calloc(((size_t)img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN,
		    ((size_t)img->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN)) == NULL)
			return ERR_NOMEM;
	}
	if (d->held[idx] != lossy) {
		d->held[idx] = lossy;
		d->n_held = lossy ? d->n_held + 1 : d->n_held - 1;
	}
	return 0;
}

/* COPY: the base's pixels at (sx, sy) into the tile at (x, y). */
static int
tile_copy(struct codec_dec *d, struct buf *b, struct image *img, unsigned x, unsigned y,
    unsigned tw, unsigned th)
{
	uint16_t sx, sy;

	if (buf_get_u16(b, &sx) != 0 || buf_get_u16(b, &sy) != 0)
		return ERR_FORMAT;
	if ((unsigned)sx + tw > img->w || (unsigned)sy + th > img->h)
		return ERR_FORMAT;
	/* Copies come before anything else of an update, and only after
	 * codec_dec_begin(): otherwise the source is not the base. */
	if (d->painted)
		return ERR_FORMAT;
	if (!d->base_taken) {
		if (d->base.w != img->w || d->base.h != img->h) {
			image_free(&d->base);
			if (image_init(&d->base, img->w, img->h) != 0)
				return ERR_NOMEM;
		}
		memcpy(d->base.px, img->px, (size_t)img->w * img->h * sizeof(*img->px));
		d->base_taken = true;
	}
	for (unsigned j = 0; j < th; j++)
		memcpy(img->px + (size_t)(y + j) * img->w + x,
		    d->base.px + (size_t)(sy + j) * img->w + sx, tw * sizeof(*img->px));
	return 0;
}

static void
mark_dirty(struct codec_dec *d, unsigned x, unsigned y, unsigned w, unsigned h)
{
	if (d->dx1 == 0) {
		d->dx0 = x;
		d->dy0 = y;
		d->dx1 = x + w;
		d->dy1 = y + h;
		return;
	}
	d->dx0 = x < d->dx0 ? x : d->dx0;
	d->dy0 = y < d->dy0 ? y : d->dy0;
	d->dx1 = x + w > d->dx1 ? x + w : d->dx1;
	d->dy1 = y + h > d->dy1 ? y + h : d->dy1;
}

bool
codec_dec_dirty(struct codec_dec *d, unsigned *x, unsigned *y, unsigned *w, unsigned *h)
{
	if (d->dx1 == 0)
		return false;
	*x = d->dx0;
	*y = d->dy0;
	*w = d->dx1 - d->dx0;
	*h = d->dy1 - d->dy0;
	d->dx0 = d->dy0 = d->dx1 = d->dy1 = 0;
	return true;
}

static bool
mask_bit(const uint8_t *mask, unsigned k)
{
	return mask[k / 8] & (0x80 >> k % 8);
}

/*
 * VP9: the next frame of the region (a key frame places it), painted on
 * the tiles its mask names.
 */
static int
tile_vp9(struct codec_dec *d, struct buf *b, struct image *img, long idx)
{
	unsigned tiles_x = (img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (img->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tx = (unsigned)(idx % tiles_x), ty = (unsigned)(idx / tiles_x);
	uint8_t cols_1, rows_1, flags;
	unsigned cols, rows, x0, y0, w, h;
	struct buf mask, body;
	uint32_t len;
	bool key;
	int r;

	if (buf_get_u8(b, &cols_1) != 0 || buf_get_u8(b, &rows_1) != 0 ||
	    buf_get_u8(b, &flags) != 0)
		return ERR_FORMAT;
	cols = cols_1 + 1u;
	rows = rows_1 + 1u;
	key = flags & CODEC_VP9_KEY;
	if ((flags & ~CODEC_VP9_KEY) != 0 || tx + cols > tiles_x || ty + rows > tiles_y ||
	    buf_get_view(b, &mask, ((size_t)cols * rows + 7) / 8) != 0 ||
	    buf_get_var32(b, &len) != 0 || buf_get_view(b, &body, len) != 0)
		return ERR_FORMAT;
	if (cols * rows % 8 != 0 &&
	    (buf_ptr(&mask)[buf_len(&mask) - 1] & (0xFFu >> cols * rows % 8)) != 0)
		return ERR_FORMAT;      /* bits past the region */
	x0 = tx * MSG_TILE_LEN;
	y0 = ty * MSG_TILE_LEN;
	w = ((tx + cols) * MSG_TILE_LEN < img->w ? (tx + cols) * MSG_TILE_LEN : img->w) - x0;
	h = ((ty + rows) * MSG_TILE_LEN < img->h ? (ty + rows) * MSG_TILE_LEN : img->h) - y0;
	if (!key && (d->vp9 == NULL || d->vp9_idx != idx || d->vp9_cols != cols ||
	    d->vp9_rows != rows)) {
		d->vp9_idx = -1;        /* spent, as after any error */
		return ERR_PROTOCOL;    /* not the region of the last key frame */
	}
	if (d->vp9 == NULL && (d->vp9 = vp9_dec_new()) == NULL)
		return ERR_NOMEM;
	d->vp9_idx = -1;                /* until this frame is decoded */
	if ((r = vp9_dec_frame(d->vp9, key, buf_ptr(&body), buf_len(&body), w, h)) != 0)
		return r;
	d->vp9_idx = idx;
	d->vp9_cols = cols;
	d->vp9_rows = rows;
	d->painted = true;
	for (unsigned j = 0; j < rows; j++)
		for (unsigned i = 0, run; i < cols; i += run > 0 ? run : 1) {
			unsigned x, y, tw, th, xl, yl, twl, thl;

			for (run = 0; i + run < cols && mask_bit(buf_ptr(&mask), j * cols + i + run);
			    run++)
				;
			if (run == 0)
				continue;
			/* A run of painted tiles in a row is converted at once:
			 * TurboJPEG's set-up costs per call. */
			image_tile_rect(img, tx + i, ty + j, &x, &y, &tw, &th);
			image_tile_rect(img, tx + i + run - 1, ty + j, &xl, &yl, &twl, &thl);
			if ((r = vp9_dec_paint(d->vp9, x - x0, y - y0, xl + twl - x, th, img, x,
			    y)) != 0) {
				d->vp9_idx = -1;
				return r;
			}
			for (unsigned n = 0; n < run; n++) {
				image_tile_rect(img, tx + i + n, ty + j, &x, &y, &tw, &th);
				mark_dirty(d, x, y, tw, th);
				d->lossy++;
				if (hold(d, img, (long)(ty + j) * tiles_x + tx + i + n, true) != 0)
					return ERR_NOMEM;
			}
		}
	return 0;
}

static int
tile_decode(struct codec_dec *d, struct buf *b, struct image *img)
{
	unsigned tiles_x = (img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (img->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	uint8_t kind, rgb[3], n, pal_b[MSG_PALETTE_MAX * 3];
	uint32_t pal[MSG_PALETTE_MAX];
	unsigned x, y, tw, th, i, j, tx, ty;
	uint32_t zz;
	long idx;
	struct buf body;

	/* The stream is whole: a short read is a malformed tile. */
	if (buf_get_var32(b, &zz) != 0 || buf_get_u8(b, &kind) != 0)
		return ERR_FORMAT;
	if (zz / 2 > MSG_TILES_MAX)
		return ERR_FORMAT;      /* past any image, and keeps the sum in range */
	idx = d->last_idx + 1 + unzigzag(zz);
	if (idx < 0 || idx >= (long)tiles_x * tiles_y)
		return ERR_FORMAT;
	d->last_idx = idx;
	tx = (unsigned)(idx % tiles_x);
	ty = (unsigned)(idx / tiles_x);
	image_tile_rect(img, tx, ty, &x, &y, &tw, &th);
	if (kind == CODEC_COPY) {
		mark_dirty(d, x, y, tw, th);
		/* The sender copies from exact tiles only. */
		if (hold(d, img, idx, false) != 0)
			return ERR_NOMEM;
		return tile_copy(d, b, img, x, y, tw, th);
	}
	if (kind == CODEC_VP9)
		return tile_vp9(d, b, img, idx);
	if (kind == CODEC_JPEG) {
		uint32_t len;

		mark_dirty(d, x, y, tw, th);
		d->painted = true;
		if (buf_get_var32(b, &len) != 0 || buf_get_view(b, &body, len) != 0)
			return ERR_FORMAT;
		if (d->jpeg == NULL && (d->jpeg = jpeg_tile_new()) == NULL)
			return ERR_NOMEM;
		d->lossy++;
		if (hold(d, img, idx, true) != 0)
			return ERR_NOMEM;
		return jpeg_tile_decode(d->jpeg, buf_ptr(&body), buf_len(&body), img, x, y, tw, th);
	}
	if (kind & CODEC_PART) {
		uint8_t part[TILE_PART_LEN];

		/* Only the rectangle at (x, y) of w x h inside the tile. */
		if (buf_get_bytes(b, part, sizeof(part)) != 0 ||
		    part[0] + part[2] + 1u > tw || part[1] + part[3] + 1u > th)
			return ERR_FORMAT;
		x += part[0];
		y += part[1];
		tw = part[2] + 1u;
		th = part[3] + 1u;
		kind &= (uint8_t)~CODEC_PART;
	} else if (hold(d, img, idx, false) != 0) {
		return ERR_NOMEM;       /* a whole tile, exact (or refused below) */
	}
	mark_dirty(d, x, y, tw, th);
	d->painted = true;
	switch (kind) {
	case CODEC_SOLID:
		if (buf_get_bytes(b, rgb, sizeof(rgb)) != 0)
			return ERR_FORMAT;
		for (j = 0; j < th; j++) {
			uint32_t *row = img->px + (size_t)(y + j) * img->w + x;

			for (i = 0; i < tw; i++)
				row[i] = get_rgb(rgb);
		}
		return 0;
	case CODEC_PALETTE: {
		unsigned bits, row_len;
		const uint8_t *p;

		if (buf_get_u8(b, &n) != 0)
			return ERR_FORMAT;
		if (n < 2)      /* and n <= MSG_PALETTE_MAX: a u8 */
			return ERR_FORMAT;
		if (buf_get_bytes(b, pal_b, (size_t)n * 3) != 0)
			return ERR_FORMAT;
		for (i = 0; i < n; i++)
			pal[i] = get_rgb(pal_b + 3 * i);
		bits = index_bits(n);
		row_len = (tw * bits + 7) / 8;
		if (buf_get_view(b, &body, (size_t)row_len * th) != 0)
			return ERR_FORMAT;
		p = buf_ptr(&body);
		for (j = 0; j < th; j++, p += row_len) {
			uint32_t *row = img->px + (size_t)(y + j) * img->w + x;

			for (i = 0; i < tw; i++) {
				unsigned bit = i * bits, mask = (1u << bits) - 1;
				unsigned k = (p[bit / 8] >> (8 - bits - bit % 8)) & mask;

				if (k >= n)
					return ERR_FORMAT;
				row[i] = pal[k];
			}
		}
		return 0;
	}
	case CODEC_RAW: {
		const uint8_t *p;

		if (buf_get_view(b, &body, (size_t)tw * th * 3) != 0)
			return ERR_FORMAT;
		p = buf_ptr(&body);
		for (j = 0; j < th; j++) {
			uint32_t *row = img->px + (size_t)(y + j) * img->w + x;

			for (i = 0; i < tw; i++, p += 3)
				row[i] = get_rgb(p);
		}
		return 0;
	}
	default:
		return ERR_FORMAT;
	}
}

int
codec_decode_tiles(struct codec_dec *d, const uint8_t *raw, size_t raw_len, struct image *img)
{
	struct buf b;
	int r;

	if (img->px == NULL)
		return ERR_INTERNAL;
	buf_view(&b, raw, raw_len);
	while (buf_len(&b) > 0)
		if ((r = tile_decode(d, &b, img)) != 0)
			return r;
	return 0;
}

int
codec_decode(struct codec_dec *d, bool restart, const uint8_t *z, size_t zlen, size_t raw_len,
    struct image *img)
{
	int r;

	if (img->px == NULL)
		return ERR_INTERNAL;
	if (raw_len > MSG_VIDEO_RAW_MAX_BYTES)
		return ERR_TOO_LARGE;
	if (raw_len > d->raw_cap || d->raw == NULL) {
		size_t cap = raw_len > 0 ? raw_len : 1;
		uint8_t *p;

		if ((p = malloc(cap)) == NULL)
			return ERR_NOMEM;
		if (d->raw != NULL) {
			sodium_memzero(d->raw, d->raw_cap);
			free(d->raw);
		}
		d->raw = p;
		d->raw_cap = cap;
	}
	/* Exactly raw_len bytes come out, or the stream is refused: nothing
	 * is inflated past what the sender announced. */
	if ((r = zs_dec_part(d->zs, restart, z, zlen, d->raw, raw_len)) != 0)
		return r;
	return codec_decode_tiles(d, d->raw, raw_len, img);
}
