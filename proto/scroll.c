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
	SAMPLE_ROWS = 8,        /* rows of each changed tile that vote */
	VOTES_MAX = 64,         /* distinct offsets tracked */
};

struct scroll {
	struct slot *table;
	size_t cap;             /* a power of two */
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

/* FNV-1a over the pixels, mixed with the column so columns don't collide. */
static uint64_t
seg_hash(const uint32_t *p, unsigned n, unsigned col, bool *uniform)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ col;

	*uniform = true;
	for (unsigned i = 0; i < n; i++) {
		h = (h ^ (p[i] & 0xFFFFFF)) * 0x100000001b3ULL;
		if (p[i] != p[0])
			*uniform = false;
	}
	return h ^ (h >> 29);
}

static struct slot *
lookup(struct scroll *s, uint64_t hash, unsigned col)
{
	size_t i = (size_t)hash & (s->cap - 1);

	while (s->table[i].y != -1 && (s->table[i].hash != hash || s->table[i].col != col))
		i = (i + 1) & (s->cap - 1);
	return &s->table[i];
}

static int
build(struct scroll *s, const struct image *prev)
{
	unsigned tiles_x = (prev->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	size_t need = 1;

	while (need < (size_t)tiles_x * prev->h * 2)
		need <<= 1;
	if (need > s->cap) {
		struct slot *t = malloc(need * sizeof(*t));

		if (t == NULL)
			return ERR_NOMEM;
		free(s->table);
		s->table = t;
		s->cap = need;
	}
	for (size_t i = 0; i < s->cap; i++)
		s->table[i].y = -1;
	for (unsigned c = 0; c < tiles_x; c++) {
		unsigned x = c * MSG_TILE_LEN;
		unsigned w = prev->w - x < MSG_TILE_LEN ? prev->w - x : MSG_TILE_LEN;

		for (unsigned y = 0; y < prev->h; y++) {
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
	if ((r = build(s, prev)) != 0)
		return r;
	for (unsigned ty = 0; ty < tiles_y; ty++) {
		for (unsigned tx = 0; tx < tiles_x; tx++) {
			unsigned x = tx * MSG_TILE_LEN, y0 = ty * MSG_TILE_LEN;
			unsigned w = cur->w - x < MSG_TILE_LEN ? cur->w - x : MSG_TILE_LEN;
			unsigned th = cur->h - y0 < MSG_TILE_LEN ? cur->h - y0 : MSG_TILE_LEN;

			if (!changed[ty * tiles_x + tx])
				continue;
			for (unsigned k = 0; k < SAMPLE_ROWS; k++) {
				unsigned y = y0 + k * th / SAMPLE_ROWS;
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
