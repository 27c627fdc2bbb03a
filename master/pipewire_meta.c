/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipewire_meta.c - a PipeWire buffer's own description, checked
 * (pipewire_meta.h). Every offset, size and count is compared with the
 * size of the memory it points into before anything there is read.
 */
#include <string.h>

#include <spa/buffer/meta.h>
#include <spa/param/video/raw.h>

#include "limits.h"
#include "log.h"
#include "pipewire_meta.h"

/* Mark the tiles the rectangle touches, clipped to the w x h picture. */
static void
damage_rect(uint8_t *damage, int pw, int ph, int64_t x, int64_t y, int64_t w, int64_t h)
{
	int tiles_x = (pw + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	int64_t x1 = x + w, y1 = y + h;

	x = x < 0 ? 0 : x;
	y = y < 0 ? 0 : y;
	x1 = x1 > pw ? pw : x1;
	y1 = y1 > ph ? ph : y1;
	if (x >= x1 || y >= y1)
		return;
	for (int64_t ty = y / MSG_TILE_LEN; ty <= (y1 - 1) / MSG_TILE_LEN; ty++)
		memset(damage + ty * tiles_x + x / MSG_TILE_LEN, 1,
		    (size_t)((x1 - 1) / MSG_TILE_LEN - x / MSG_TILE_LEN + 1));
}

bool
pipewire_meta_damage(struct spa_buffer *b, int w, int h, uint8_t *damage, bool *saw)
{
	struct spa_meta *m = spa_buffer_find_meta(b, SPA_META_VideoDamage);
	struct spa_meta_region *r;
	unsigned n = 0;

	if (m == NULL || m->data == NULL || m->size < sizeof(*r))
		return false;
	*saw = true;
	spa_meta_for_each(r, m) {
		struct spa_meta_region reg;

		memcpy(&reg, r, sizeof(reg));   /* one read of what the producer may write */
		if (!spa_meta_region_is_valid(&reg))
			break;
		/* More than we look at: as good as everything. */
		if (n++ == CAPTURE_DAMAGE_RECTS_MAX)
			return false;
		damage_rect(damage, w, h, reg.region.position.x, reg.region.position.y,
		    reg.region.size.width, reg.region.size.height);
	}
	return n > 0;
}

/* 0xAARRGGBB from a 32-bit pixel of the given layout (bytes in memory). */
static uint32_t
to_argb(const uint8_t *p, uint32_t format)
{
	switch (format) {
	case SPA_VIDEO_FORMAT_RGBA:
	case SPA_VIDEO_FORMAT_RGBx:
		return (uint32_t)p[3] << 24 | (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	case SPA_VIDEO_FORMAT_ARGB:
	case SPA_VIDEO_FORMAT_xRGB:
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	case SPA_VIDEO_FORMAT_ABGR:
	case SPA_VIDEO_FORMAT_xBGR:
		return (uint32_t)p[0] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[2] << 8 | p[1];
	default: /* BGRA, BGRx */
		return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
	}
}

/* A hot spot inside a shape of len pixels. */
static uint16_t
clamp_hot(int64_t v, uint16_t len)
{
	return (uint16_t)(v < 0 ? 0 : v >= len ? len - 1 : v);
}

void
pipewire_meta_cursor(struct spa_buffer *b, struct pipewire_cursor *cur)
{
	struct spa_meta *m = spa_buffer_find_meta(b, SPA_META_Cursor);
	struct spa_meta_cursor c;
	struct spa_meta_bitmap bm;
	const uint8_t *bits;
	uint64_t stride, end;
	uint32_t w, h, x0 = 0, y0 = 0;

	if (m == NULL || m->data == NULL || m->size < sizeof(c))
		return;
	/* Copies, checked and used: the producer may write the metadata
	 * while it is read, and a field read twice could pass the check with
	 * one value and be used with another. */
	memcpy(&c, m->data, sizeof(c));
	if (!cur->saw)
		log_debug("pipewire: cursor metadata: id %u at %d,%d, bitmap at %u of %u",
		    c.id, c.position.x, c.position.y, c.bitmap_offset, m->size);
	if (!spa_meta_cursor_is_valid(&c))
		return;
	cur->saw = true;
	if (c.position.x != cur->x || c.position.y != cur->y) {
		cur->x = c.position.x;
		cur->y = c.position.y;
		cur->moved = true;
	}
	if (c.bitmap_offset == 0 || c.bitmap_offset < sizeof(c) ||
	    c.bitmap_offset > m->size - sizeof(bm))
		return;
	memcpy(&bm, (const uint8_t *)m->data + c.bitmap_offset, sizeof(bm));
	if (bm.format == 0)
		return;
	w = bm.size.width;
	h = bm.size.height;
	if (bm.offset == 0 || w == 0 || h == 0) {
		/* No image: the pointer is hidden; an empty 1x1 shape says so. */
		cur->shape.w = cur->shape.h = 1;
		cur->shape.hot_x = cur->shape.hot_y = 0;
		cur->shape.argb[0] = 0;
		cur->shape_new = true;
		return;
	}
	if (bm.stride <= 0 || w > MSG_DIM_MAX || h > MSG_DIM_MAX || (uint64_t)bm.stride < w * 4u)
		return;
	stride = (uint64_t)bm.stride;
	end = (uint64_t)c.bitmap_offset + bm.offset + stride * (h - 1) + (uint64_t)w * 4;
	if (end > m->size)
		return;
	bits = (const uint8_t *)m->data + c.bitmap_offset + bm.offset;
	/* Larger shapes are cropped around the hot spot. */
	if (w > CAPTURE_CURSOR_DIM_MAX) {
		int64_t x = (int64_t)c.hotspot.x - CAPTURE_CURSOR_DIM_MAX / 2;
		x0 = (uint32_t)(x < 0 ? 0 : x > w - CAPTURE_CURSOR_DIM_MAX ?
		    w - CAPTURE_CURSOR_DIM_MAX : x);
	}
	if (h > CAPTURE_CURSOR_DIM_MAX) {
		int64_t y = (int64_t)c.hotspot.y - CAPTURE_CURSOR_DIM_MAX / 2;
		y0 = (uint32_t)(y < 0 ? 0 : y > h - CAPTURE_CURSOR_DIM_MAX ?
		    h - CAPTURE_CURSOR_DIM_MAX : y);
	}
	cur->shape.w = (uint16_t)(w > CAPTURE_CURSOR_DIM_MAX ? CAPTURE_CURSOR_DIM_MAX : w);
	cur->shape.h = (uint16_t)(h > CAPTURE_CURSOR_DIM_MAX ? CAPTURE_CURSOR_DIM_MAX : h);
	for (uint32_t y = 0; y < cur->shape.h; y++)
		for (uint32_t x = 0; x < cur->shape.w; x++)
			cur->shape.argb[y * cur->shape.w + x] = to_argb(bits + (y + y0) * stride +
			    (x + x0) * 4, bm.format);
	cur->shape.hot_x = clamp_hot((int64_t)c.hotspot.x - x0, cur->shape.w);
	cur->shape.hot_y = clamp_hot((int64_t)c.hotspot.y - y0, cur->shape.h);
	cur->shape_new = true;
}

bool
pipewire_frame_place(const struct spa_chunk *chunk, uint32_t maxsize, int w, int h,
    uint64_t *offset, uint64_t *stride)
{
	uint64_t row = (uint64_t)w * 4;
	struct spa_chunk c;

	if (w <= 0 || h <= 0)
		return false;
	memcpy(&c, chunk, sizeof(c));   /* one read: the producer may write it meanwhile */
	*stride = c.stride > 0 ? (uint64_t)c.stride : row;
	*offset = c.offset;
	return *stride >= row && *offset <= maxsize &&
	    *offset + *stride * (uint64_t)(h - 1) + row <= maxsize;
}

void
pipewire_frame_convert(const uint8_t *src, uint64_t stride, uint32_t format, int w, int h,
    uint32_t *px)
{
	for (int y = 0; y < h; y++) {
		const uint8_t *row = src + (uint64_t)y * stride;
		uint32_t *dst = px + (size_t)y * w;

		if (format == SPA_VIDEO_FORMAT_BGRx || format == SPA_VIDEO_FORMAT_BGRA) {
			/* Little-endian BGRx is 0xXXRRGGBB already. */
			memcpy(dst, row, (size_t)w * 4);
			for (int x = 0; x < w; x++)
				dst[x] &= 0x00FFFFFF;
		} else {
			for (int x = 0; x < w; x++)
				dst[x] = to_argb(row + x * 4, format) & 0x00FFFFFF;
		}
	}
}
