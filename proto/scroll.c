/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "scroll.h"

/* A row segment's hash table slot: which column and row it came from. */
struct slot {
	uint64_t hash;
	int32_t y;              /* -1: empty; -2: seen more than once (ambiguous) */
	uint16_t col;
};

struct vote {
	int32_t dy;
	uint32_t n;
};

enum {
	/* Rows of each changed tile that vote, and one in how many rows of
	 * prev is hashed: a vote counts when its row lands on a hashed one
	 * (16 / 4 = 4 votes per scrolled tile on average), and hashing all of
	 * prev's rows every frame was most of the encoder's time. */
	SAMPLE_ROWS = 16,
	PREV_ROW_STEP = 4,
	REACH_ROWS = 2 * MSG_TILE_LEN, /* how far outside the changed tiles a source may be */
	VOTES_MAX = 64,         /* distinct offsets tracked */
};

struct scroll {
	struct slot *table;
	size_t cap;             /* allocated */
	size_t used;            /* this frame's table size: a power of two */
};

struct scroll *
scroll_new(void)
{
	return calloc(1, sizeof(struct scroll));
}

void
scroll_free(struct scroll *s)
{
	if (s == NULL)
		return;
	free(s->table);
	free(s);
}

/*
 * A multiply-xor hash over every other pixel of a row segment, in four
 * independent lanes (one chain of multiplies over every pixel was the
 * encoder's hottest loop), mixed with the column so columns don't
 * collide. Rows of text differ in far more than one pixel in two, and a
 * wrong match only costs the exact compare that follows. *uniform: one
 * colour (as far as the samples tell).
 */
static uint64_t
seg_hash(const uint32_t *p, unsigned n, unsigned col, bool *uniform)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t l0 = 0xcbf29ce484222325ULL ^ col, l1 = 0x84222325cbf29ce4ULL;
	uint64_t l2 = 0x100000001b3ULL, l3 = 0x27D4EB2F165667C5ULL;
	uint32_t diff = 0;
	unsigned i = 0;

	for (; i + 8 <= n; i += 8) {
		l0 = (l0 ^ (p[i] & 0xFFFFFF)) * k;
		l1 = (l1 ^ (p[i + 2] & 0xFFFFFF)) * k;
		l2 = (l2 ^ (p[i + 4] & 0xFFFFFF)) * k;
		l3 = (l3 ^ (p[i + 6] & 0xFFFFFF)) * k;
		diff |= (p[i] ^ p[0]) | (p[i + 2] ^ p[0]) | (p[i + 4] ^ p[0]) | (p[i + 6] ^ p[0]);
	}
	for (; i < n; i++) {
		l0 = (l0 ^ (p[i] & 0xFFFFFF)) * k;
		diff |= p[i] ^ p[0];
	}
	*uniform = (diff & 0xFFFFFF) == 0;
	l0 ^= (l1 << 17 | l1 >> 47) ^ (l2 << 31 | l2 >> 33) ^ (l3 << 47 | l3 >> 17);
	l0 *= k;
	return l0 ^ (l0 >> 29);
}

static struct slot *
lookup(struct scroll *s, uint64_t hash, unsigned col)
{
	size_t i = (size_t)hash & (s->used - 1);

	while (s->table[i].y != -1 && (s->table[i].hash != hash || s->table[i].col != col))
		i = (i + 1) & (s->used - 1);
	return &s->table[i];
}

/*
 * Hash prev's row segments where a copy source can be: in each column
 * that has changed tiles, the rows those tiles span and REACH_ROWS more
 * above and below (scrolled content comes from inside the window that
 * scrolled, and that window changed). Hashing all of prev per frame cost
 * more than the rest of the encoder.
 */
static int
build(struct scroll *s, const struct image *prev, const uint8_t *changed)
{
	unsigned tiles_x = (prev->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (prev->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned y0[MSG_DIM_MAX / MSG_TILE_LEN], y1[MSG_DIM_MAX / MSG_TILE_LEN];
	size_t need = 1, rows = 0;

	for (unsigned c = 0; c < tiles_x; c++) {
		unsigned first = tiles_y, last = 0;

		for (unsigned t = 0; t < tiles_y; t++)
			if (changed[t * tiles_x + c]) {
				first = first < t ? first : t;
				last = t;
			}
		y0[c] = y1[c] = 0;
		if (first == tiles_y)
			continue;
		y0[c] = first * MSG_TILE_LEN > REACH_ROWS ? first * MSG_TILE_LEN - REACH_ROWS : 0;
		y0[c] -= y0[c] % PREV_ROW_STEP;
		y1[c] = (last + 1) * MSG_TILE_LEN + REACH_ROWS;
		y1[c] = y1[c] < prev->h ? y1[c] : prev->h;
		rows += (y1[c] - y0[c] + PREV_ROW_STEP - 1) / PREV_ROW_STEP;     /* hashed below */
	}
	/* At most half full, so a lookup always meets an empty slot. */
	while (need < rows * 2 + 2)
		need <<= 1;
	if (need > s->cap) {
		struct slot *t = malloc(need * sizeof(*t));

		if (t == NULL)
			return ERR_NOMEM;
		free(s->table);
		s->table = t;
		s->cap = need;
	}
	s->used = need;
	for (size_t i = 0; i < s->used; i++)
		s->table[i].y = -1;
	for (unsigned c = 0; c < tiles_x; c++) {
		unsigned x = c * MSG_TILE_LEN;
		unsigned w = prev->w - x < MSG_TILE_LEN ? prev->w - x : MSG_TILE_LEN;

		for (unsigned y = y0[c]; y < y1[c]; y += PREV_ROW_STEP) {
			bool uniform;
			uint64_t h = seg_hash(prev->px + (size_t)y * prev->w + x, w, c, &uniform);
			struct slot *sl;

			if (uniform)
				continue;
			sl = lookup(s, h, c);
			if (sl->y == -1) {
				sl->hash = h;
				sl->col = (uint16_t)c;
				sl->y = (int32_t)y;
			} else {
				sl->y = -2;
			}
		}
	}
	return 0;
}

static void
vote(struct vote *v, unsigned *n, int32_t dy)
{
	for (unsigned i = 0; i < *n; i++)
		if (v[i].dy == dy) {
			v[i].n++;
			return;
		}
	if (*n < VOTES_MAX)
		v[(*n)++] = (struct vote){ dy, 1 };
}

int
scroll_detect(struct scroll *s, const struct image *cur, const struct image *prev,
    const uint8_t *changed, int dy[SCROLL_CANDIDATES])
{
	unsigned tiles_x = (cur->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	unsigned tiles_y = (cur->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	struct vote votes[VOTES_MAX];
	unsigned n_votes = 0, found = 0;
	int r;

	if (prev->w != cur->w || prev->h != cur->h)
		return 0;
	if ((r = build(s, prev, changed)) != 0)
		return r;
	for (unsigned ty = 0; ty < tiles_y; ty++) {
		for (unsigned tx = 0; tx < tiles_x; tx++) {
			unsigned x = tx * MSG_TILE_LEN, y0 = ty * MSG_TILE_LEN;
			unsigned w = cur->w - x < MSG_TILE_LEN ? cur->w - x : MSG_TILE_LEN;
			unsigned th = cur->h - y0 < MSG_TILE_LEN ? cur->h - y0 : MSG_TILE_LEN;

			if (!changed[ty * tiles_x + tx])
				continue;
			for (unsigned k = 0; k < SAMPLE_ROWS; k++) {
				/* Every residue of PREV_ROW_STEP in turn: whatever
				 * the offset, a quarter of the samples land on a
				 * hashed row of prev. */
				unsigned y = y0 + (k * th / SAMPLE_ROWS + k % PREV_ROW_STEP) % th;
				bool uniform;
				uint64_t h = seg_hash(cur->px + (size_t)y * cur->w + x, w, tx,
				    &uniform);
				struct slot *sl;

				if (uniform)
					continue;
				sl = lookup(s, h, tx);
				if (sl->y >= 0 && sl->y != (int32_t)y)
					vote(votes, &n_votes, sl->y - (int32_t)y);
			}
		}
	}
	/* The best offsets with enough support, best first. */
	while (found < SCROLL_CANDIDATES) {
		unsigned best = VOTES_MAX;

		for (unsigned i = 0; i < n_votes; i++)
			if (votes[i].n >= SCROLL_MIN_VOTES &&
			    (best == VOTES_MAX || votes[i].n > votes[best].n))
				best = i;
		if (best == VOTES_MAX)
			break;
		dy[found++] = votes[best].dy;
		votes[best].n = 0;
	}
	return (int)found;
}
