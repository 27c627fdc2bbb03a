/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ximage.c - an X image, in whatever byte order and colour masks the
 * server uses, into our 0x00RRGGBB picture (the X capture's pixel copy).
 */
#include <stdbool.h>
#include <string.h>

#include "ximage.h"

/* Bits above and width of a colour mask, to scale its value to 8 bits. */
static void
mask_shift(unsigned long mask, int *shift, int *bits)
{
	*shift = mask != 0 ? __builtin_ctzl(mask) : 0;
	*bits = __builtin_popcountl(mask);
}

static uint32_t
channel(unsigned long p, unsigned long mask, int shift, int bits)
{
	unsigned long v = (p & mask) >> shift;

	return (uint32_t)(bits >= 8 ? v >> (bits - 8) : v << (8 - bits)) & 0xFF;
}

/* One row of X's XRGB into ours, the padding byte cleared, four pixels
 * at a time (GCC's and Clang's vector types: SSE2 on any x86-64): it was
 * the master's hottest loop while text scrolled, and -O2 left it scalar. */
static void
copy_row(uint32_t *d, const uint32_t *s, size_t n)
{
	typedef uint32_t px4 __attribute__((vector_size(16)));
	const px4 mask = { 0xFFFFFF, 0xFFFFFF, 0xFFFFFF, 0xFFFFFF };
	size_t x = 0;

	for (; x + 4 <= n; x += 4) {
		px4 v;

		memcpy(&v, s + x, sizeof(v));
		v &= mask;
		memcpy(d + x, &v, sizeof(v));
	}
	for (; x < n; x++)
		d[x] = s[x] & 0xFFFFFF;
}

/* Copy an X image into img at (x0, y0), whatever its byte order and masks. */
void
ximage_convert(const XImage *xi, struct image *img, int x0, int y0)
{
	static const union { uint32_t u; uint8_t b[4]; } host = { 1 };
	const bool host_lsb = host.b[0] == 1;
	int rs, rb, gs, gb, bs, bb;
	int bpp = xi->bits_per_pixel / 8;

	/* X's depth-24 ZPixmap on a little-endian host is already XRGB. */
	if (xi->bits_per_pixel == 32 && (xi->byte_order == LSBFirst) == host_lsb &&
	    xi->red_mask == 0xFF0000 && xi->green_mask == 0xFF00 && xi->blue_mask == 0xFF) {
		for (int y = 0; y < xi->height; y++)
			copy_row(img->px + (size_t)(y0 + y) * img->w + x0,
			    (const uint32_t *)(xi->data + (size_t)y * xi->bytes_per_line),
			    (size_t)xi->width);
		return;
	}
	mask_shift(xi->red_mask, &rs, &rb);
	mask_shift(xi->green_mask, &gs, &gb);
	mask_shift(xi->blue_mask, &bs, &bb);
	for (int y = 0; y < xi->height; y++) {
		const uint8_t *s = (const uint8_t *)xi->data + (size_t)y * xi->bytes_per_line;
		uint32_t *d = img->px + (size_t)(y0 + y) * img->w + x0;

		for (int x = 0; x < xi->width; x++, s += bpp) {
			unsigned long p = 0;

			for (int i = 0; i < bpp; i++)
				p |= (unsigned long)s[xi->byte_order == LSBFirst ? i : bpp - 1 - i]
				    << (8 * i);
			d[x] = channel(p, xi->red_mask, rs, rb) << 16 |
			    channel(p, xi->green_mask, gs, gb) << 8 | channel(p, xi->blue_mask, bs, bb);
		}
	}
}
