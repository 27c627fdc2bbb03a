/* SPDX-License-Identifier: Apache-2.0 */
/*
 * codec_tile.h - what the tile encoder (codec.c) and decoder (codec_dec.c)
 * share of the tile format in codec.h: sizes, colours, where a tile is.
 * Not an interface of libproto.
 */
#ifndef PROTO_CODEC_TILE_H
#define PROTO_CODEC_TILE_H

#include <stdint.h>

#include "buf.h"
#include "limits.h"

/* var where, u8 kind */
#define TILE_HEAD_MAX (BUF_VAR32_MAX_LEN + 1)
/* u8 x, y, w - 1, h - 1 after the head of a CODEC_PART tile */
#define TILE_PART_LEN 4
/* The largest encoded tile: a full RAW tile. */
#define TILE_MAX_LEN (TILE_HEAD_MAX + TILE_PART_LEN + MSG_TILE_LEN * MSG_TILE_LEN * 3)

_Static_assert(MSG_PALETTE_MAX == 255, "a PALETTE tile's n is a u8");

/* Bits per palette index: the fewest of 1, 2, 4, 8 that hold n - 1. */
static inline unsigned
index_bits(unsigned n)
{
	return n <= 2 ? 1 : n <= 4 ? 2 : n <= 16 ? 4 : 8;
}

static inline void
put_rgb(uint8_t *p, uint32_t c)
{
	p[0] = (uint8_t)(c >> 16);
	p[1] = (uint8_t)(c >> 8);
	p[2] = (uint8_t)c;
}

static inline uint32_t
get_rgb(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Signed distances as varints: 0, -1, 1, -2... as 0, 1, 2, 3... */
static inline uint32_t
zigzag(long d)
{
	return d >= 0 ? (uint32_t)d * 2 : (uint32_t)(-d) * 2 - 1;
}

static inline long
unzigzag(uint32_t z)
{
	return (z & 1) ? -(long)(z / 2) - 1 : (long)(z / 2);
}

#endif
