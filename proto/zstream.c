/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>

#include <zstd.h>

#include "limits.h"
#include "zstream.h"

/* zstd's block header (ZSTD_blockHeaderSize, not in the stable API). */
#define ZSTREAM_BLOCK_HEADER_LEN 3

struct zs_enc {
	ZSTD_CCtx *cctx;
};

struct zs_dec {
	ZSTD_DCtx *dctx;
};

struct zs_enc *
zs_enc_new(int level)
{
	struct zs_enc *z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	/* No content size (a stream has none), no checksum (the AEAD tag
	 * already covers every byte), a window both sides agreed on. */
	if ((z->cctx = ZSTD_createCCtx()) == NULL ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_compressionLevel, level)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_windowLog,
	    ZSTREAM_WINDOW_LOG)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->cctx, ZSTD_c_checksumFlag, 0))) {
		zs_enc_free(z);
		return NULL;
	}
	return z;
}

void
zs_enc_free(struct zs_enc *z)
{
	if (z == NULL)
		return;
	ZSTD_freeCCtx(z->cctx);
	free(z);
}

size_t
zs_enc_bound(size_t n)
{
	/* A flushed block of n bytes, and a frame header at a restart. */
	return ZSTD_compressBound(n) + ZSTREAM_PART_SLACK;
}

int
zs_enc_part(struct zs_enc *z, bool restart, const uint8_t *raw, size_t n, struct buf *out)
{
	ZSTD_inBuffer in = { raw, n, 0 };
	ZSTD_outBuffer o;
	size_t left, bound = zs_enc_bound(n);
	uint8_t *p;
	int r;

	if (restart && ZSTD_isError(ZSTD_CCtx_reset(z->cctx, ZSTD_reset_session_only)))
		return ERR_INTERNAL;
	if ((r = buf_reserve(out, bound, &p)) != 0)
		return r;
	o = (ZSTD_outBuffer){ p, bound, 0 };
	do {
		left = ZSTD_compressStream2(z->cctx, &o, &in, ZSTD_e_flush);
		if (ZSTD_isError(left) || (left != 0 && o.pos == o.size)) {
			/* The bound always holds a flushed part: a failure here
			 * leaves the stream unusable, as the caller is told. */
			buf_unput(out, bound);
			return ERR_INTERNAL;
		}
	} while (left != 0);
	buf_keep(out, bound, o.pos);
	return 0;
}

struct zs_dec *
zs_dec_new(void)
{
	struct zs_dec *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if ((d->dctx = ZSTD_createDCtx()) == NULL ||
	    ZSTD_isError(ZSTD_DCtx_setParameter(d->dctx, ZSTD_d_windowLogMax,
	    ZSTREAM_WINDOW_LOG))) {
		zs_dec_free(d);
		return NULL;
	}
	return d;
}

void
zs_dec_free(struct zs_dec *d)
{
	if (d == NULL)
		return;
	ZSTD_freeDCtx(d->dctx);
	free(d);
}

int
zs_dec_part(struct zs_dec *d, bool restart, const uint8_t *z, size_t zlen, uint8_t *raw,
    size_t raw_len)
{
	ZSTD_inBuffer in = { z, zlen, 0 };
	ZSTD_outBuffer o = { raw, raw_len, 0 };
	uint8_t extra;
	size_t r;

	if (zlen == 0 || raw_len == 0)
		return ERR_FORMAT;
	if (restart && ZSTD_isError(ZSTD_DCtx_reset(d->dctx, ZSTD_reset_session_only)))
		return ERR_INTERNAL;
	r = 0;
	while (in.pos < in.size || o.pos < o.size) {
		size_t in_before = in.pos, out_before = o.pos;

		r = ZSTD_decompressStream(d->dctx, &o, &in);
		if (ZSTD_isError(r))
			return ERR_FORMAT;
		if (in.pos == in_before && o.pos == out_before)
			return ERR_FORMAT;      /* no progress: cut short, or more than raw_len */
	}
	/*
	 * A flushed part ends on a block boundary: zstd then asks for a
	 * block header next (or nothing, at the end of a frame). Anything
	 * else means bytes of a next block rode along with this part.
	 */
	if (r != 0 && r != ZSTREAM_BLOCK_HEADER_LEN)
		return ERR_FORMAT;
	/* All of z used and raw_len bytes out: nothing may be left over. */
	o = (ZSTD_outBuffer){ &extra, 1, 0 };
	r = ZSTD_decompressStream(d->dctx, &o, &in);
	if (ZSTD_isError(r) || o.pos != 0)
		return ERR_FORMAT;
	return 0;
}
