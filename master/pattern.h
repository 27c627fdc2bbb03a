/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pattern.h - the master's moving test screen (there is no screen
 * capture yet). Each frame is a pure function of its number, so tests can
 * predict it.
 */
#ifndef MASTER_PATTERN_H
#define MASTER_PATTERN_H

#include <stdint.h>

#include "codec.h"

/*
 * Draw frame frame_no into img (every pixel): a gradient, a few solid
 * blocks, a striped block, a bar that moves each frame and a noise tile
 * that carries pattern_marker() in one pixel row as RGB bytes.
 */
void pattern_draw(struct image *img, uint32_t frame_no);
/* ASCII text that occurs verbatim in the noise tile's RAW tile bytes. */
const char *pattern_marker(void);

#endif
