/* SPDX-License-Identifier: Apache-2.0 */
/*
 * scroll.h - finds how far screen content moved up or down between two
 * frames, from the pixels alone, so that scrolled tiles can be sent as
 * copies instead of pixels (scrolling text is the typical support
 * workload).
 *
 * Per 64-pixel column, every row segment of the previous frame is hashed;
 * rows of changed tiles in the new frame vote for the offset at which
 * their segment appears there. Rows of one colour (blank lines) match
 * everywhere and do not vote. The caller still checks every copy pixel
 * for pixel: a wrong guess costs time, never correctness.
 */
#ifndef PROTO_SCROLL_H
#define PROTO_SCROLL_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"

#define SCROLL_CANDIDATES 2
#define SCROLL_MIN_VOTES 4      /* fewer matching rows: not a scroll */

struct scroll;

struct scroll *scroll_new(void);
void scroll_free(struct scroll *s);
/*
 * changed[ty * tiles_x + tx] marks tiles that differ. Fills dy[] with up to
 * SCROLL_CANDIDATES offsets (source row = destination row + dy), best
 * first; returns how many.
 */
int scroll_detect(struct scroll *s, const struct image *cur, const struct image *prev,
    const uint8_t *changed, int dy[SCROLL_CANDIDATES]) WUR;

#endif
