/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <turbojpeg.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vpx_encoder.h>

#include "limits.h"
#include "vp9_stream.h"

/*
 * libvpx's realtime speed for VP9 (0..9): 8 is what the codec comparison
 * measured (docs/benchmarks.md: 0.15 of Tight JPEG's bytes on a zoom at
 * 5-7 times JPEG's encode time); 9 loses much more quality per byte.
 */
enum { VP9_CPU_USED = 8 };

/*
 * Quality 1..100 (the JPEG tiles' scale) onto libvpx's quantizer 0..63
 * (lower is better), fixed per frame, on a curve: 8 (100 - quality)^2 /
 * 1000, so the default 75 gives 5 (the video workload of
 * tests/bench/screen.sh: the luma SSIM of Tight JPEG quality 8 at a fifth
 * of its bytes), 50 gives 20 and the floor of the line's adaptation (20)
 * gives 51, where bytes fall fast. Never 0 below quality 100: quantizer
 * 0 is VP9's lossless mode, far bigger on real video.
 */
static unsigned
quantizer(unsigned quality)
{
	unsigned d = 100 - (quality > 100 ? 100 : quality), q = (8 * d * d + 500) / 1000;

	if (q == 0 && d > 0)
		q = 1;
	return q > 63 ? 63 : q;
}

struct vp9_enc {
	vpx_codec_ctx_t ctx;
	vpx_codec_enc_cfg_t cfg;
	vpx_image_t yuv;                /* the frame, converted */
	tjhandle tj;
	unsigned w, h, q;
	int64_t pts;
};

struct vp9_enc *
vp9_enc_new(unsigned w, unsigned h)
{
	struct vp9_enc *e;

	if (w == 0 || h == 0 || w > MSG_DIM_MAX || h > MSG_DIM_MAX ||
	    (e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->w = w;
	e->h = h;
	e->q = quantizer(MASTER_QUALITY_DEFAULT);
	if (vpx_codec_enc_config_default(vpx_codec_vp9_cx(), &e->cfg, 0) != VPX_CODEC_OK)
		goto fail;
	e->cfg.g_w = w;
	e->cfg.g_h = h;
	e->cfg.g_timebase.num = 1;
	e->cfg.g_timebase.den = 1000;   /* pts in milliseconds, though only order matters */
	e->cfg.g_threads = 1;           /* the master's other work has the other core */
	e->cfg.g_lag_in_frames = 0;     /* every frame out at once */
	e->cfg.g_pass = VPX_RC_ONE_PASS;
	e->cfg.rc_end_usage = VPX_VBR;
	e->cfg.rc_target_bitrate = 200000; /* not a limit: the quantizer is fixed */
	e->cfg.rc_min_quantizer = e->q;
	e->cfg.rc_max_quantizer = e->q;
	e->cfg.rc_dropframe_thresh = 0; /* a frame asked for is a frame sent */
	e->cfg.kf_mode = VPX_KF_DISABLED; /* key frames when a receiver needs one */
	if (vpx_codec_enc_init(&e->ctx, vpx_codec_vp9_cx(), &e->cfg, 0) != VPX_CODEC_OK) {
		free(e);
		return NULL;
	}
	if (vpx_codec_control(&e->ctx, VP8E_SET_CPUUSED, VP9_CPU_USED) != VPX_CODEC_OK ||
	    vpx_codec_control(&e->ctx, VP9E_SET_AQ_MODE, 0) != VPX_CODEC_OK ||
	    vpx_img_alloc(&e->yuv, VPX_IMG_FMT_I420, w, h, 32) == NULL ||
	    (e->tj = tjInitCompress()) == NULL) {
		vp9_enc_free(e);
		return NULL;
	}
	return e;
fail:
	free(e);
	return NULL;
}

void
vp9_enc_free(struct vp9_enc *e)
{
	if (e == NULL)
		return;
	vpx_codec_destroy(&e->ctx);
	if (e->yuv.img_data != NULL) {
		/* The screen is private. */
		sodium_memzero(e->yuv.img_data, (size_t)e->yuv.stride[VPX_PLANE_Y] * e->h * 3 / 2);
		vpx_img_free(&e->yuv);
	}
	if (e->tj != NULL)
		tjDestroy(e->tj);
	free(e);
}

int
vp9_enc_frame(struct vp9_enc *e, const struct image *img, unsigned x, unsigned y, bool key,
    unsigned quality, const uint8_t **out, size_t *len)
{
	unsigned char *planes[3] = { e->yuv.planes[0], e->yuv.planes[1], e->yuv.planes[2] };
	int strides[3] = { e->yuv.stride[0], e->yuv.stride[1], e->yuv.stride[2] };
	const vpx_codec_cx_pkt_t *pkt;
	vpx_codec_iter_t it = NULL;
	unsigned q = quantizer(quality);

	*out = NULL;
	*len = 0;
	if (x + e->w > img->w || y + e->h > img->h)
		return ERR_INTERNAL;
	if (q != e->q) {
		e->cfg.rc_min_quantizer = e->cfg.rc_max_quantizer = e->q = q;
		if (vpx_codec_enc_config_set(&e->ctx, &e->cfg) != VPX_CODEC_OK)
			return ERR_INTERNAL;
	}
	/* 0x00RRGGBB in memory (little-endian) is B, G, R, X. */
	if (tjEncodeYUVPlanes(e->tj, (const unsigned char *)(img->px + (size_t)y * img->w + x),
	    (int)e->w, (int)(img->w * sizeof(*img->px)), (int)e->h, TJPF_BGRX, planes, strides,
	    TJSAMP_420, 0) != 0)
		return ERR_INTERNAL;
	if (vpx_codec_encode(&e->ctx, &e->yuv, e->pts++, 1, key ? VPX_EFLAG_FORCE_KF : 0,
	    VPX_DL_REALTIME) != VPX_CODEC_OK)
		return ERR_INTERNAL;
	while ((pkt = vpx_codec_get_cx_data(&e->ctx, &it)) != NULL) {
		if (pkt->kind != VPX_CODEC_CX_FRAME_PKT)
			continue;
		if (*out != NULL)
			return ERR_INTERNAL;    /* one frame in, one out (no lag) */
		if (key && !(pkt->data.frame.flags & VPX_FRAME_IS_KEY))
			return ERR_INTERNAL;
		*out = pkt->data.frame.buf;
		*len = pkt->data.frame.sz;
	}
	return *out != NULL && *len > 0 ? 0 : ERR_INTERNAL;
}

/* ---- decoder ---- */

/* libvpx's VP9 decoder holds 8 references and a few frames at work
 * (VP9_MAXIMUM_REF_BUFFERS + VPX_MAXIMUM_WORK_BUFFERS); room to spare. */
enum { VP9_FRAME_BUFFERS_MAX = 24 };

/* A frame buffer of the decoder's pool: lent to libvpx, or idle until
 * libvpx asks again. */
struct frame_buf {
	uint8_t *data;
	size_t size;
	bool lent;
};

struct vp9_dec {
	vpx_codec_ctx_t ctx;
	/* libvpx's frame buffers, kept from frame to frame; all freed here
	 * at reset, whether libvpx gave them back or not (after a failed
	 * decode, at destroy). */
	struct frame_buf pool[VP9_FRAME_BUFFERS_MAX];
	unsigned long made;             /* buffers allocated since the reset */
	bool ready;                     /* ctx made */
	bool keyed;                     /* a key frame of w x h decoded, and all since */
	unsigned w, h;
	size_t fb_max;                  /* the largest frame buffer libvpx may have */
	const vpx_image_t *shown;       /* the last frame, until the next decode */
	tjhandle tj;
};

static void
drop_buf(struct frame_buf *b)
{
	sodium_memzero(b->data, b->size);       /* the screen is private */
	free(b->data);
	b->data = NULL;
	b->size = 0;
	b->lent = false;
}

/*
 * libvpx's frame buffers come from here, so that a stream which says it
 * is bigger than its tile (an inter frame may change the size) gets no
 * memory for it: the decode fails instead. An idle buffer is lent again
 * as it is: vpx_frame_buffer.h asks for zeroed memory, and libvpx's own
 * pool (vp9_frame_buffers.c) zeroes only what it allocates, for reads of
 * a new frame's borders; a buffer of the pool holds an earlier frame of
 * this stream, never memory from elsewhere.
 */
static int
get_frame_buffer(void *priv, size_t min_size, vpx_codec_frame_buffer_t *fb)
{
	struct vp9_dec *d = priv;
	struct frame_buf *fit = NULL, *small = NULL, *empty = NULL;

	if (min_size > d->fb_max)
		return -1;
	for (unsigned i = 0; i < VP9_FRAME_BUFFERS_MAX && fit == NULL; i++) {
		struct frame_buf *b = &d->pool[i];

		if (b->lent)
			continue;
		if (b->data != NULL && b->size >= min_size)
			fit = b;
		else if (b->data != NULL && small == NULL)
			small = b;
		else if (b->data == NULL && empty == NULL)
			empty = b;
	}
	if (fit == NULL) {
		/* A buffer too small is replaced before the pool grows. */
		if ((fit = small != NULL ? small : empty) == NULL)
			return -1;
		if (fit->data != NULL)
			drop_buf(fit);
		if ((fit->data = calloc(1, min_size)) == NULL)
			return -1;
		fit->size = min_size;
		d->made++;
	}
	fit->lent = true;
	fb->data = fit->data;
	fb->size = fit->size;
	fb->priv = fit;
	return 0;
}

static int
release_frame_buffer(void *priv, vpx_codec_frame_buffer_t *fb)
{
	struct frame_buf *b = fb->priv;

	(void)priv;
	if (b != NULL && b->data == fb->data && fb->data != NULL)
		b->lent = false;
	fb->data = NULL;
	return 0;
}

struct vp9_dec *
vp9_dec_new(void)
{
	struct vp9_dec *d = calloc(1, sizeof(*d));

	if (d != NULL && (d->tj = tjInitDecompress()) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

static void
dec_reset(struct vp9_dec *d)
{
	if (d->ready)
		vpx_codec_destroy(&d->ctx);
	for (unsigned i = 0; i < VP9_FRAME_BUFFERS_MAX; i++)
		if (d->pool[i].data != NULL)
			drop_buf(&d->pool[i]);
	d->made = 0;
	d->shown = NULL;
	d->ready = false;
	d->keyed = false;
}

void
vp9_dec_free(struct vp9_dec *d)
{
	if (d == NULL)
		return;
	dec_reset(d);
	tjDestroy(d->tj);
	free(d);
}

/* A fresh decoder for w x h (a key frame follows). */
static int
dec_start(struct vp9_dec *d, unsigned w, unsigned h)
{
	vpx_codec_dec_cfg_t cfg = { .threads = 1, .w = w, .h = h };
	/* One 4:2:0 frame with libvpx's borders (up to 160 pixels a side
	 * and alignment) and slack: anything bigger is not this size. */
	size_t fw = (size_t)w + 2 * 160 + 64, fh = (size_t)h + 2 * 160 + 64;

	dec_reset(d);
	if (vpx_codec_dec_init(&d->ctx, vpx_codec_vp9_dx(), &cfg, 0) != VPX_CODEC_OK)
		return ERR_NOMEM;
	d->ready = true;
	d->fb_max = fw * fh * 3 / 2 + 4096;
	if (vpx_codec_set_frame_buffer_functions(&d->ctx, get_frame_buffer, release_frame_buffer,
	    d) != VPX_CODEC_OK) {
		dec_reset(d);
		return ERR_INTERNAL;
	}
	d->w = w;
	d->h = h;
	return 0;
}

int
vp9_dec_frame(struct vp9_dec *d, bool key, const uint8_t *p, size_t len, unsigned w,
    unsigned h)
{
	vpx_codec_stream_info_t si = { .sz = sizeof(si) };
	vpx_codec_iter_t it = NULL;
	vpx_image_t *img, *more;
	int r;

	if (w == 0 || h == 0 || w > MSG_DIM_MAX || h > MSG_DIM_MAX || len == 0 ||
	    len > UINT32_MAX)
		return ERR_FORMAT;
	if (key) {
		/* The bytes must be a key frame of exactly the tile's size. */
		if (vpx_codec_peek_stream_info(vpx_codec_vp9_dx(), p, (unsigned)len, &si) !=
		    VPX_CODEC_OK || !si.is_kf || si.w != w || si.h != h)
			return ERR_FORMAT;
		if ((r = dec_start(d, w, h)) != 0)
			return r;
	} else if (!d->keyed || d->w != w || d->h != h) {
		return ERR_PROTOCOL;    /* no key frame of this size before it */
	}
	d->keyed = false;               /* until this frame is whole */
	d->shown = NULL;
	if (vpx_codec_decode(&d->ctx, p, (unsigned)len, NULL, 0) != VPX_CODEC_OK)
		return ERR_FORMAT;
	img = vpx_codec_get_frame(&d->ctx, &it);
	more = img != NULL ? vpx_codec_get_frame(&d->ctx, &it) : NULL;
	if (img == NULL || more != NULL || img->fmt != VPX_IMG_FMT_I420 || img->d_w != w ||
	    img->d_h != h)
		return ERR_FORMAT;      /* one shown 4:2:0 frame of this size, or nothing */
	d->shown = img;
	d->keyed = true;
	return 0;
}

int
vp9_dec_paint(const struct vp9_dec *d, unsigned fx, unsigned fy, unsigned tw, unsigned th,
    struct image *img, unsigned x, unsigned y)
{
	const vpx_image_t *yuv = d->shown;
	const unsigned char *planes[3];
	uint32_t *dst;

	/* Even coordinates: 4:2:0 gives 2 x 2 pixels one colour sample, and
	 * TurboJPEG's YUV decoding takes each block's own sample (no
	 * smoothing across blocks), so a rectangle there converts exactly
	 * as its part of the whole frame would. */
	if (yuv == NULL || (fx | fy) % 2 != 0 || tw == 0 || th == 0 || fx + tw > d->w ||
	    fy + th > d->h || x + tw > img->w || y + th > img->h)
		return ERR_INTERNAL;
	planes[0] = yuv->planes[0] + (size_t)fy * (size_t)yuv->stride[0] + fx;
	planes[1] = yuv->planes[1] + (size_t)fy / 2 * (size_t)yuv->stride[1] + fx / 2;
	planes[2] = yuv->planes[2] + (size_t)fy / 2 * (size_t)yuv->stride[2] + fx / 2;
	dst = img->px + (size_t)y * img->w + x;
	if (tjDecodeYUVPlanes(d->tj, planes, yuv->stride, TJSAMP_420, (unsigned char *)dst,
	    (int)tw, (int)(img->w * sizeof(*img->px)), (int)th, TJPF_BGRX, 0) != 0)
		return ERR_FORMAT;
	/* BGRX leaves the X byte as TurboJPEG likes: keep 0x00RRGGBB. */
	for (unsigned j = 0; j < th; j++, dst += img->w)
		for (unsigned i = 0; i < tw; i++)
			dst[i] &= 0xFFFFFF;
	return 0;
}

void
vp9_dec_buffers(const struct vp9_dec *d, unsigned *held, unsigned long *made)
{
	*held = 0;
	for (unsigned i = 0; i < VP9_FRAME_BUFFERS_MAX; i++)
		*held += d->pool[i].data != NULL;
	*made = d->made;
}
