/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ximage.h - copying X images into pictures (ximage.c).
 */
#ifndef MASTER_XIMAGE_H
#define MASTER_XIMAGE_H

#include <X11/Xlib.h>

#include "codec.h"

/* Copy xi into img at (x0, y0); xi must fit there. The common case (32
 * bits per pixel, XRGB masks, host byte order) is a masked row copy. */
void ximage_convert(const XImage *xi, struct image *img, int x0, int y0);

#endif
