/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_pipewire.c - what a compositor's PipeWire buffer says about itself,
 * as master/pipewire_meta.c reads it (built from the source directly):
 * the damage and cursor metadata, and where the chunk places the picture.
 *
 * Input: u16 w | u16 h | u16 damage_len | u16 cursor_len | u32 offset |
 * i32 stride | u8 format | damage_len bytes | cursor_len bytes | the rest
 * is the picture's memory (maxsize is its length). w and h are cut to
 * 1..300. Each metadata block and the memory get an allocation of exactly
 * their size, so a read one byte past them is caught.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../master/pipewire_meta.c"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

enum { HEAD_LEN = 17, DIM_MAX = 300 };

static const uint32_t formats[] = {
	SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRA, SPA_VIDEO_FORMAT_RGBx,
	SPA_VIDEO_FORMAT_RGBA, SPA_VIDEO_FORMAT_xRGB, SPA_VIDEO_FORMAT_ARGB,
	SPA_VIDEO_FORMAT_xBGR, SPA_VIDEO_FORMAT_ABGR, SPA_VIDEO_FORMAT_I420,
};

static uint32_t
u32le(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A copy of len input bytes in memory of exactly that size (at least 1). */
static void *
block(const uint8_t *p, size_t len)
{
	void *b = malloc(len > 0 ? len : 1);

	if (b != NULL && len > 0)
		memcpy(b, p, len);
	return b;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static struct pipewire_cursor cur = { .x = -1, .y = -1 };
	uint8_t damage[((DIM_MAX + MSG_TILE_LEN - 1) / MSG_TILE_LEN) *
	    ((DIM_MAX + MSG_TILE_LEN - 1) / MSG_TILE_LEN)];
	struct spa_meta metas[2];
	struct spa_buffer buf = { .n_metas = 2, .metas = metas };
	struct spa_chunk chunk;
	size_t dlen, clen, mlen;
	uint64_t offset, stride;
	uint8_t *mem;
	uint32_t *px;
	bool saw = false;
	int w, h;

	if (n < HEAD_LEN)
		return 0;
	w = 1 + (int)((d[0] | d[1] << 8) % DIM_MAX);
	h = 1 + (int)((d[2] | d[3] << 8) % DIM_MAX);
	dlen = (size_t)(d[4] | d[5] << 8);
	clen = (size_t)(d[6] | d[7] << 8);
	chunk = (struct spa_chunk){ .offset = u32le(d + 8), .stride = (int32_t)u32le(d + 12) };
	if (HEAD_LEN + dlen + clen > n)
		return 0;
	mlen = n - HEAD_LEN - dlen - clen;
	metas[0] = (struct spa_meta){ SPA_META_VideoDamage, (uint32_t)dlen,
	    block(d + HEAD_LEN, dlen) };
	metas[1] = (struct spa_meta){ SPA_META_Cursor, (uint32_t)clen,
	    block(d + HEAD_LEN + dlen, clen) };
	mem = block(d + HEAD_LEN + dlen + clen, mlen);
	px = malloc((size_t)w * h * sizeof(*px));
	if (metas[0].data == NULL || metas[1].data == NULL || mem == NULL || px == NULL)
		goto out;

	/* The tiles of this size only: a mark beyond them is caught. */
	memset(damage, 0, sizeof(damage));
	(void)pipewire_meta_damage(&buf, w, h, damage + sizeof(damage) -
	    (size_t)((w + MSG_TILE_LEN - 1) / MSG_TILE_LEN) *
	    ((h + MSG_TILE_LEN - 1) / MSG_TILE_LEN), &saw);
	pipewire_meta_cursor(&buf, &cur);
	if (cur.shape_new && (cur.shape.w == 0 || cur.shape.h == 0 ||
	    cur.shape.w > CAPTURE_CURSOR_DIM_MAX || cur.shape.h > CAPTURE_CURSOR_DIM_MAX ||
	    cur.shape.hot_x >= cur.shape.w || cur.shape.hot_y >= cur.shape.h))
		abort();
	cur.moved = cur.shape_new = false;
	if (pipewire_frame_place(&chunk, (uint32_t)mlen, w, h, &offset, &stride))
		pipewire_frame_convert(mem + offset, stride, formats[d[16] % (sizeof(formats) /
		    sizeof(formats[0]))], w, h, px);
out:
	free(metas[0].data);
	free(metas[1].data);
	free(mem);
	free(px);
	return 0;
}
