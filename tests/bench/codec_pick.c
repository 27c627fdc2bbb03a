/* SPDX-License-Identifier: Apache-2.0 */
/*
 * codec_pick - which lossy codec the screen stream should use for picture
 * regions: TurboJPEG, libwebp (lossy) and, for a region that changes every
 * frame, libvpx VP8 and VP9 in realtime mode, measured on the same pixels
 * in the same run; for a still photograph also a VP9 key frame and an AV1
 * intra frame. For tests/bench/codec_pick.sh.
 *
 *   codec_pick photo PPM...     the photographs, each cut three ways:
 *                               64x64 tiles, 1280x64 strips (a run of 20
 *                               tiles) and the whole picture; whole, also
 *                               each as one VP9 key frame (vp9key_*) and
 *                               one AV1 intra frame (av1key_*, libaom's
 *                               all-intra mode);
 *                               CODEC_PICK_WHOLE_ONLY: only the whole
 *   codec_pick video PPM        50 frames of a 640x360 window panning 4 px
 *                               a frame across the photograph (mode video),
 *                               then 50 frames zooming into its middle by 1%
 *                               a frame (mode zoom)
 *
 *   codec_pick ssim A B         the SSIM of two PPMs of one size, as below
 *                               (to check the metric against another tool)
 *
 * CODEC_PICK_REPEAT (2): runs of each encode and decode; the fastest counts.
 *
 * Every line is "bench: codec ..." with key=value fields:
 *   mode=tile|strip|whole|video|zoom codec=NAME q=Q   one setting
 *     zbytes   bytes after zstd level 1 (1 MiB window, as the stream's) over
 *              everything this setting wrote, in order: repeated headers
 *              cost what they cost on the stream
 *     bytes    bytes before zstd; bpp bits per pixel of zbytes
 *     ssim     mean SSIM of luma (BT.601 Y), Gaussian 11x11 window,
 *              sigma 1.5, K1 0.01, K2 0.03, over the windows that fit
 *     ssim_c   the same on Cb and Cr, averaged: luma SSIM cannot see what
 *              chroma subsampling takes away
 *     enc_ms_mp, dec_ms_mp   milliseconds per megapixel, single thread;
 *              for VP8/VP9 including our RGB <-> I420 conversion, whose
 *              share (both ways) is conv_ms_mp
 *   codec_ref    the comparator: TigerVNC's Tight quality level 8 (JPEG
 *                quality 92, no chroma subsampling) in this mode
 *   codec_best   per codec, the smallest zbytes whose ssim is at least the
 *                comparator's (none= when no setting reached it)
 *   codec_yardstick   memcpy and zstd -1 of the same raw pixels, ms/MP
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <aom/aom_decoder.h>
#include <aom/aom_encoder.h>
#include <aom/aomcx.h>
#include <aom/aomdx.h>
#include <turbojpeg.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vpx_encoder.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <zstd.h>

#include "picture.h"

enum {
	TILE = 64,              /* the screen stream's tile */
	VIDEO_W = 640,
	VIDEO_H = 360,
	VIDEO_FRAMES = 50,
	VIDEO_STEP = 4,         /* pixels the window pans a frame */
	STREAM_WINDOW_LOG = 20, /* the stream's 1 MiB of history */
	MAX_PICTURES = 16,
	MAX_RESULTS = 256,
	/* Realtime speeds, high, as a live stream would run. VP8's is negative:
	 * a fixed speed 12. A positive one makes libvpx pick VP8's speed from
	 * how long its frames take, so the numbers would follow the machine's
	 * load; VP9's speed is always the one given. */
	VP8_CPU_USED = -12,
	VP9_CPU_USED = 8,
};

struct bytes {
	uint8_t *data;
	size_t len, cap;
};

/* One encoded piece and where it belongs. */
struct chunk {
	size_t off, len;
	int pic, x, y, w, h;
};

struct chunks {
	struct chunk *v;
	size_t n, cap;
};

/* KIND_VP9_KEY: every picture a key frame of its own (intra only), as a
 * still photograph would go */
enum kind { KIND_JPEG, KIND_WEBP, KIND_VP8, KIND_VP9, KIND_VP9_KEY, KIND_AV1_KEY };

struct codec {
	const char *name;
	enum kind kind;
	int sub;                /* TJSAMP_* for JPEG; WebP's method; VPX, AV1: cpu-used */
	const int *q;           /* the sweep, ending in -1 */
	unsigned long deadline; /* VPX: 0 for VPX_DL_REALTIME */
};

struct result {
	const char *mode, *codec;
	int q;
	size_t zbytes, bytes;
	double ssim, ssim_c, enc_ms_mp, dec_ms_mp, conv_ms_mp, bpp;
};

static struct result results[MAX_RESULTS];
static int nresults;
/* Each encode and decode runs this often and the fastest run counts:
 * other work on the machine only ever slows a run down. */
static int repeat = 2;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void
bytes_add(struct bytes *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 20;

		while (cap < b->len + n)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (b->data == NULL) {
			fprintf(stderr, "codec_pick: out of memory\n");
			exit(1);
		}
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void
chunk_add(struct chunks *c, struct bytes *b, const void *p, size_t n, int pic, int x, int y,
    int w, int h)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (c->v == NULL) {
			fprintf(stderr, "codec_pick: out of memory\n");
			exit(1);
		}
	}
	c->v[c->n++] = (struct chunk){ b->len, n, pic, x, y, w, h };
	bytes_add(b, p, n);
}

/* --- the codecs --------------------------------------------------------- */

static tjhandle tj_enc, tj_dec;

static void
jpeg_encode(const struct picture *p, int pic, int x, int y, int w, int h, int q, int samp,
    struct bytes *out, struct chunks *ch)
{
	unsigned long len = tjBufSize(w, h, samp);
	unsigned char *buf = tjAlloc((int)len);

	if (buf == NULL || tjCompress2(tj_enc, p->rgb + ((size_t)y * p->w + x) * 3, w, p->w * 3,
	    h, TJPF_RGB, &buf, &len, samp, q, TJFLAG_NOREALLOC) != 0) {
		fprintf(stderr, "codec_pick: tjCompress2: %s\n", tjGetErrorStr2(tj_enc));
		exit(1);
	}
	chunk_add(ch, out, buf, len, pic, x, y, w, h);
	tjFree(buf);
}

static void
jpeg_decode(const uint8_t *data, size_t len, struct picture *dst, int x, int y, int w, int h)
{
	if (tjDecompress2(tj_dec, data, len, dst->rgb + ((size_t)y * dst->w + x) * 3, w,
	    dst->w * 3, h, TJPF_RGB, 0) != 0) {
		fprintf(stderr, "codec_pick: tjDecompress2: %s\n", tjGetErrorStr2(tj_dec));
		exit(1);
	}
}

static void
webp_encode(const struct picture *p, int pic, int x, int y, int w, int h, int q, int method,
    struct bytes *out, struct chunks *ch)
{
	WebPConfig cfg;
	WebPPicture wp;
	WebPMemoryWriter wr;

	if (!WebPConfigInit(&cfg) || !WebPPictureInit(&wp)) {
		fprintf(stderr, "codec_pick: libwebp version mismatch\n");
		exit(1);
	}
	cfg.quality = (float)q;
	cfg.method = method;
	wp.width = w;
	wp.height = h;
	WebPMemoryWriterInit(&wr);
	wp.writer = WebPMemoryWrite;
	wp.custom_ptr = &wr;
	if (!WebPPictureImportRGB(&wp, p->rgb + ((size_t)y * p->w + x) * 3, p->w * 3) ||
	    !WebPEncode(&cfg, &wp)) {
		fprintf(stderr, "codec_pick: WebPEncode failed (%d)\n", wp.error_code);
		exit(1);
	}
	chunk_add(ch, out, wr.mem, wr.size, pic, x, y, w, h);
	WebPPictureFree(&wp);
	WebPMemoryWriterClear(&wr);
}

static void
webp_decode(const uint8_t *data, size_t len, struct picture *dst, int x, int y, int w, int h)
{
	uint8_t *at = dst->rgb + ((size_t)y * dst->w + x) * 3;
	size_t size = (size_t)(h - 1) * dst->w * 3 + (size_t)w * 3;

	if (WebPDecodeRGBInto(data, len, at, size, dst->w * 3) == NULL) {
		fprintf(stderr, "codec_pick: WebPDecodeRGBInto failed\n");
		exit(1);
	}
}

/* RGB to I420 and back, full range, plain C: a real sender would use SIMD
 * (libyuv), so this conversion is timed apart as well. */
static double conv_ms;

static void
rgb_to_i420(const struct picture *p, uint8_t *yuv)
{
	int w = p->w, h = p->h, cw = w / 2;
	uint8_t *py = yuv, *pu = yuv + (size_t)w * h, *pv = pu + (size_t)cw * (h / 2);
	double t0 = now_ms();

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			const uint8_t *s = p->rgb + ((size_t)y * w + x) * 3;

			py[(size_t)y * w + x] = (uint8_t)((19595 * s[0] + 38470 * s[1] +
			    7471 * s[2] + 32768) >> 16);
		}
	for (int y = 0; y < h / 2; y++)
		for (int x = 0; x < cw; x++) {
			int r = 0, g = 0, b = 0;

			for (int k = 0; k < 4; k++) {
				const uint8_t *s = p->rgb +
				    ((size_t)(2 * y + k / 2) * w + 2 * x + k % 2) * 3;

				r += s[0];
				g += s[1];
				b += s[2];
			}
			/* (sums of four, hence >> 18) */
			pu[(size_t)y * cw + x] = (uint8_t)((-11059 * r - 21709 * g + 32768 * b +
			    (128 << 18) + (1 << 17)) >> 18);
			pv[(size_t)y * cw + x] = (uint8_t)((32768 * r - 27439 * g - 5329 * b +
			    (128 << 18) + (1 << 17)) >> 18);
		}
	conv_ms += now_ms() - t0;
}

static uint8_t
clamp8(int v)
{
	return (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
}

static void
i420_to_rgb(unsigned char *const planes[3], const int stride[3], struct picture *dst)
{
	double t0 = now_ms();

	for (int y = 0; y < dst->h; y++)
		for (int x = 0; x < dst->w; x++) {
			int Y = planes[0][y * stride[0] + x] << 16;
			int u = planes[1][(y / 2) * stride[1] + x / 2] - 128;
			int v = planes[2][(y / 2) * stride[2] + x / 2] - 128;
			uint8_t *d = dst->rgb + ((size_t)y * dst->w + x) * 3;

			d[0] = clamp8((Y + 91881 * v + 32768) >> 16);
			d[1] = clamp8((Y - 22554 * u - 46802 * v + 32768) >> 16);
			d[2] = clamp8((Y + 116130 * u + 32768) >> 16);
		}
	conv_ms += now_ms() - t0;
}

/* The frames as one realtime stream: one key frame, then inter frames at a
 * fixed quantizer (min = max), so that q is the quality knob as for the
 * image codecs; no lag, no frame dropping, one thread. */
static void
vpx_encode_all(const struct codec *c, int q, const struct picture *frames, int n,
    struct bytes *out, struct chunks *ch, double *enc_ms)
{
	vpx_codec_iface_t *iface = c->kind == KIND_VP8 ? vpx_codec_vp8_cx() : vpx_codec_vp9_cx();
	vpx_codec_enc_cfg_t cfg;
	vpx_codec_ctx_t enc;
	int w = frames[0].w, h = frames[0].h;
	uint8_t *yuv = xmalloc((size_t)w * h * 3 / 2);
	vpx_image_t img;

	if (vpx_codec_enc_config_default(iface, &cfg, 0) != VPX_CODEC_OK) {
		fprintf(stderr, "codec_pick: vpx config\n");
		exit(1);
	}
	cfg.g_w = (unsigned)w;
	cfg.g_h = (unsigned)h;
	cfg.g_timebase.num = 1;
	cfg.g_timebase.den = 30;
	cfg.g_threads = 1;
	cfg.g_lag_in_frames = 0;
	cfg.g_pass = VPX_RC_ONE_PASS;
	cfg.rc_end_usage = VPX_VBR;
	cfg.rc_target_bitrate = 200000;
	cfg.rc_min_quantizer = (unsigned)q;
	cfg.rc_max_quantizer = (unsigned)q;
	cfg.rc_dropframe_thresh = 0;
	cfg.kf_mode = VPX_KF_DISABLED;
	if (vpx_codec_enc_init(&enc, iface, &cfg, 0) != VPX_CODEC_OK ||
	    vpx_codec_control(&enc, VP8E_SET_CPUUSED, c->sub != 0 ? c->sub :
	    c->kind == KIND_VP8 ? VP8_CPU_USED : VP9_CPU_USED) != VPX_CODEC_OK) {
		fprintf(stderr, "codec_pick: vpx init: %s\n", vpx_codec_error(&enc));
		exit(1);
	}
	if (c->kind != KIND_VP8)
		vpx_codec_control(&enc, VP9E_SET_AQ_MODE, 0);
	vpx_img_wrap(&img, VPX_IMG_FMT_I420, (unsigned)w, (unsigned)h, 1, yuv);
	for (int i = 0; i <= n; i++) {
		double t0 = now_ms();
		vpx_codec_iter_t it = NULL;
		const vpx_codec_cx_pkt_t *pkt;

		if (i < n)
			rgb_to_i420(&frames[i], yuv);
		/* After the last frame, a NULL picture flushes the encoder. */
		if (vpx_codec_encode(&enc, i < n ? &img : NULL, i, 1,
		    c->kind == KIND_VP9_KEY ? VPX_EFLAG_FORCE_KF : 0,
		    c->deadline != 0 ? c->deadline : VPX_DL_REALTIME) != VPX_CODEC_OK) {
			fprintf(stderr, "codec_pick: vpx encode: %s\n", vpx_codec_error(&enc));
			exit(1);
		}
		*enc_ms += now_ms() - t0;
		while ((pkt = vpx_codec_get_cx_data(&enc, &it)) != NULL)
			if (pkt->kind == VPX_CODEC_CX_FRAME_PKT)
				chunk_add(ch, out, pkt->data.frame.buf, pkt->data.frame.sz,
				    (int)pkt->data.frame.pts, 0, 0, w, h);
	}
	vpx_codec_destroy(&enc);
	free(yuv);
}

static void
vpx_decode_all(const struct codec *c, const struct bytes *in, const struct chunks *ch,
    struct picture *got, double *dec_ms)
{
	vpx_codec_ctx_t dec;
	vpx_codec_dec_cfg_t cfg = { .threads = 1 };

	if (vpx_codec_dec_init(&dec, c->kind == KIND_VP8 ? vpx_codec_vp8_dx() :
	    vpx_codec_vp9_dx(), &cfg, 0) != VPX_CODEC_OK) {
		fprintf(stderr, "codec_pick: vpx decoder init\n");
		exit(1);
	}
	for (size_t i = 0; i < ch->n; i++) {
		double t0 = now_ms();
		vpx_codec_iter_t it = NULL;
		vpx_image_t *img;

		if (vpx_codec_decode(&dec, in->data + ch->v[i].off, (unsigned)ch->v[i].len, NULL,
		    0) != VPX_CODEC_OK) {
			fprintf(stderr, "codec_pick: vpx decode: %s\n", vpx_codec_error(&dec));
			exit(1);
		}
		while ((img = vpx_codec_get_frame(&dec, &it)) != NULL)
			i420_to_rgb(img->planes, img->stride, &got[ch->v[i].pic]);
		*dec_ms += now_ms() - t0;
	}
	vpx_codec_destroy(&dec);
}

/* Each picture one AV1 intra frame from libaom's all-intra mode (made
 * for still pictures) at cpu-used c->sub, the quantizer fixed (cq-level,
 * end usage Q), one thread. */
static void
av1_encode_all(const struct codec *c, int q, const struct picture *pics, int n,
    struct bytes *out, struct chunks *ch, double *enc_ms)
{
	for (int i = 0; i < n; i++) {
		int w = pics[i].w, h = pics[i].h;
		uint8_t *yuv = xmalloc((size_t)w * h * 3 / 2);
		aom_codec_enc_cfg_t cfg;
		aom_codec_ctx_t enc;
		aom_image_t img;
		double t0 = now_ms();

		if (aom_codec_enc_config_default(aom_codec_av1_cx(), &cfg,
		    AOM_USAGE_ALL_INTRA) != AOM_CODEC_OK) {
			fprintf(stderr, "codec_pick: aom config\n");
			exit(1);
		}
		cfg.g_w = (unsigned)w;
		cfg.g_h = (unsigned)h;
		cfg.g_threads = 1;
		cfg.rc_end_usage = AOM_Q;
		if (aom_codec_enc_init(&enc, aom_codec_av1_cx(), &cfg, 0) != AOM_CODEC_OK ||
		    aom_codec_control(&enc, AOME_SET_CPUUSED, c->sub) != AOM_CODEC_OK ||
		    aom_codec_control(&enc, AOME_SET_CQ_LEVEL, q) != AOM_CODEC_OK) {
			fprintf(stderr, "codec_pick: aom init: %s\n", aom_codec_error(&enc));
			exit(1);
		}
		rgb_to_i420(&pics[i], yuv);
		aom_img_wrap(&img, AOM_IMG_FMT_I420, (unsigned)w, (unsigned)h, 1, yuv);
		for (int flush = 0; flush < 2; flush++) {
			aom_codec_iter_t it = NULL;
			const aom_codec_cx_pkt_t *pkt;

			if (aom_codec_encode(&enc, flush ? NULL : &img, 0, 1, 0) != AOM_CODEC_OK) {
				fprintf(stderr, "codec_pick: aom encode: %s\n",
				    aom_codec_error(&enc));
				exit(1);
			}
			while ((pkt = aom_codec_get_cx_data(&enc, &it)) != NULL)
				if (pkt->kind == AOM_CODEC_CX_FRAME_PKT)
					chunk_add(ch, out, pkt->data.frame.buf,
					    pkt->data.frame.sz, i, 0, 0, w, h);
		}
		aom_codec_destroy(&enc);
		*enc_ms += now_ms() - t0;
		free(yuv);
	}
}

static void
av1_decode_all(const struct bytes *in, const struct chunks *ch, struct picture *got,
    double *dec_ms)
{
	aom_codec_dec_cfg_t cfg = { .threads = 1, .allow_lowbitdepth = 1 };
	aom_codec_ctx_t dec;

	if (aom_codec_dec_init(&dec, aom_codec_av1_dx(), &cfg, 0) != AOM_CODEC_OK) {
		fprintf(stderr, "codec_pick: aom decoder init\n");
		exit(1);
	}
	for (size_t i = 0; i < ch->n; i++) {
		double t0 = now_ms();
		aom_codec_iter_t it = NULL;
		aom_image_t *img;

		if (aom_codec_decode(&dec, in->data + ch->v[i].off, ch->v[i].len, NULL) !=
		    AOM_CODEC_OK) {
			fprintf(stderr, "codec_pick: aom decode: %s\n", aom_codec_error(&dec));
			exit(1);
		}
		while ((img = aom_codec_get_frame(&dec, &it)) != NULL)
			i420_to_rgb(img->planes, img->stride, &got[ch->v[i].pic]);
		*dec_ms += now_ms() - t0;
	}
	aom_codec_destroy(&dec);
}

/* --- measuring ---------------------------------------------------------- */

static size_t
stream_bytes(const struct bytes *b)
{
	ZSTD_CCtx *z = ZSTD_createCCtx();
	size_t cap = ZSTD_compressBound(b->len), n;
	void *out = xmalloc(cap);

	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 1);
	ZSTD_CCtx_setParameter(z, ZSTD_c_windowLog, STREAM_WINDOW_LOG);
	n = ZSTD_compress2(z, out, cap, b->data, b->len);
	if (ZSTD_isError(n)) {
		fprintf(stderr, "codec_pick: zstd: %s\n", ZSTD_getErrorName(n));
		exit(1);
	}
	ZSTD_freeCCtx(z);
	free(out);
	return n;
}

/* One codec at one quality over the pictures cut into rw x rh pieces (the
 * whole picture when rw is 0); VP8/VP9 take the pictures as frames. */
static struct result *
measure(const char *mode, const struct codec *c, int q, const struct picture *pics, int n,
    int rw, int rh)
{
	struct bytes out = { 0 };
	struct chunks ch = { 0 };
	struct picture got[VIDEO_FRAMES > MAX_PICTURES ? VIDEO_FRAMES : MAX_PICTURES];
	double enc_ms = 0, dec_ms = 0, pixels = 0, sy = 0, sc = 0;
	struct result *r;

	if (nresults == MAX_RESULTS) {
		fprintf(stderr, "codec_pick: more than %d settings\n", MAX_RESULTS);
		exit(1);
	}
	r = &results[nresults++];

	for (int i = 0; i < n; i++) {
		got[i].w = pics[i].w;
		got[i].h = pics[i].h;
		got[i].rgb = calloc((size_t)pics[i].w * pics[i].h, 3);
		pixels += (double)pics[i].w * pics[i].h;
	}
	conv_ms = 0;
	if (c->kind == KIND_VP8 || c->kind == KIND_VP9 || c->kind == KIND_VP9_KEY ||
	    c->kind == KIND_AV1_KEY) {
		double conv_enc = 0, conv_dec = 0;

		for (int rep = 0; rep < repeat; rep++) {
			double ms = 0;

			out.len = 0;
			ch.n = 0;
			conv_ms = 0;
			if (c->kind == KIND_AV1_KEY)
				av1_encode_all(c, q, pics, n, &out, &ch, &ms);
			else
				vpx_encode_all(c, q, pics, n, &out, &ch, &ms);
			if (rep == 0 || ms < enc_ms) {
				enc_ms = ms;
				conv_enc = conv_ms;
			}
		}
		for (int rep = 0; rep < repeat; rep++) {
			double ms = 0;

			conv_ms = 0;
			if (c->kind == KIND_AV1_KEY)
				av1_decode_all(&out, &ch, got, &ms);
			else
				vpx_decode_all(c, &out, &ch, got, &ms);
			if (rep == 0 || ms < dec_ms) {
				dec_ms = ms;
				conv_dec = conv_ms;
			}
		}
		conv_ms = conv_enc + conv_dec;
	} else for (int rep = 0; rep < repeat; rep++) {
		double t0 = now_ms(), ms;

		out.len = 0;
		ch.n = 0;
		for (int i = 0; i < n; i++) {
			int pw = rw ? rw : pics[i].w, ph = rh ? rh : pics[i].h;

			for (int y = 0; y < pics[i].h; y += ph)
				for (int x = 0; x < pics[i].w; x += pw) {
					int w = pics[i].w - x < pw ? pics[i].w - x : pw;
					int h = pics[i].h - y < ph ? pics[i].h - y : ph;

					if (c->kind == KIND_JPEG)
						jpeg_encode(&pics[i], i, x, y, w, h, q, c->sub,
						    &out, &ch);
					else
						webp_encode(&pics[i], i, x, y, w, h, q, c->sub,
						    &out, &ch);
				}
		}
		ms = now_ms() - t0;
		if (rep == 0 || ms < enc_ms)
			enc_ms = ms;
	}
	if (c->kind == KIND_JPEG || c->kind == KIND_WEBP) for (int rep = 0; rep < repeat; rep++) {
		double t0 = now_ms(), ms;

		for (size_t k = 0; k < ch.n; k++) {
			struct chunk *p = &ch.v[k];

			if (c->kind == KIND_JPEG)
				jpeg_decode(out.data + p->off, p->len, &got[p->pic], p->x, p->y,
				    p->w, p->h);
			else
				webp_decode(out.data + p->off, p->len, &got[p->pic], p->x, p->y,
				    p->w, p->h);
		}
		ms = now_ms() - t0;
		if (rep == 0 || ms < dec_ms)
			dec_ms = ms;
	}
	for (int i = 0; i < n; i++) {
		double y, cc;

		ssim_rgb(&pics[i], &got[i], &y, &cc);
		sy += y;
		sc += cc;
		free(got[i].rgb);
	}
	*r = (struct result){
		.mode = mode, .codec = c->name, .q = q, .zbytes = stream_bytes(&out),
		.bytes = out.len, .ssim = sy / n, .ssim_c = sc / n,
		.enc_ms_mp = enc_ms / (pixels / 1e6), .dec_ms_mp = dec_ms / (pixels / 1e6),
		.conv_ms_mp = conv_ms / (pixels / 1e6),
	};
	r->bpp = 8.0 * (double)r->zbytes / pixels;
	printf("bench: codec mode=%s codec=%s q=%d zbytes=%zu bytes=%zu bpp=%.3f ssim=%.5f "
	    "ssim_c=%.5f enc_ms_mp=%.2f dec_ms_mp=%.2f conv_ms_mp=%.2f\n", mode, c->name, q,
	    r->zbytes, r->bytes, r->bpp, r->ssim, r->ssim_c, r->enc_ms_mp, r->dec_ms_mp,
	    r->conv_ms_mp);
	fflush(stdout);
	free(out.data);
	free(ch.v);
	return r;
}

static void
yardstick(const char *mode, const struct picture *pics, int n)
{
	double pixels = 0, copy_ms = 0, zstd_ms = 0;
	size_t zsum = 0;
	ZSTD_CCtx *z = ZSTD_createCCtx();

	ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 1);
	ZSTD_CCtx_setParameter(z, ZSTD_c_windowLog, STREAM_WINDOW_LOG);
	for (int i = 0; i < n; i++) {
		size_t len = (size_t)pics[i].w * pics[i].h * 3, cap = ZSTD_compressBound(len);
		uint8_t *dst = xmalloc(cap);
		double t0;
		size_t zlen = 0;

		double best = 0;

		memset(dst, 1, cap);    /* fault the pages in before timing */
		for (int rep = 0; rep < repeat + 1; rep++) {
			t0 = now_ms();
			memcpy(dst, pics[i].rgb, len);
			t0 = now_ms() - t0;
			if (rep == 0 || t0 < best)
				best = t0;
		}
		copy_ms += best;
		if (dst[len / 2] == 0xff && dst[0] == 0x5a)
			fputc(' ', stderr); /* keep the copy */
		for (int rep = 0; rep < repeat; rep++) {
			size_t got;

			t0 = now_ms();
			got = ZSTD_compress2(z, dst, cap, pics[i].rgb, len);
			t0 = now_ms() - t0;
			if (rep == 0 || t0 < best) {
				best = t0;
				zlen = got;
			}
		}
		zstd_ms += best;
		zsum += zlen;
		pixels += (double)pics[i].w * pics[i].h;
		free(dst);
	}
	ZSTD_freeCCtx(z);
	printf("bench: codec_yardstick mode=%s memcpy_ms_mp=%.3f zstd1_ms_mp=%.2f "
	    "zstd1_bpp=%.3f megapixels=%.2f\n", mode, copy_ms / (pixels / 1e6),
	    zstd_ms / (pixels / 1e6), 8.0 * (double)zsum / pixels, pixels / 1e6);
}

static const int jpeg_q[] = { 50, 60, 70, 75, 80, 85, 88, 90, 92, 94, 96, 98, -1 };
static const int webp_q[] = { 50, 60, 70, 75, 80, 85, 90, 93, 95, 97, 100, -1 };
/* libvpx's 0..63 quantizer scale: lower is better. */
static const int vpx_q[] = { 0, 1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 32, 40, -1 };
/* libaom's cq-level, 0..63, lower is better; its steps are finer than
 * libvpx's at the top. */
static const int av1_q[] = { 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 48, -1 };

static const struct codec ref = { "jpeg444", KIND_JPEG, TJSAMP_444, jpeg_q, 0 };
static const struct codec image_codecs[] = {
	{ "jpeg444", KIND_JPEG, TJSAMP_444, jpeg_q, 0 },
	{ "jpeg420", KIND_JPEG, TJSAMP_420, jpeg_q, 0 },
	{ "webp_m0", KIND_WEBP, 0, webp_q, 0 },    /* the fastest method */
	{ "webp_m4", KIND_WEBP, 4, webp_q, 0 },    /* libwebp's default */
};
static const struct codec video_codecs[] = {
	{ "vp8rt", KIND_VP8, 0, vpx_q, 0 },
	{ "vp9rt", KIND_VP9, 0, vpx_q, 0 },
};
/* A still photograph as one VP9 key frame: at the master's realtime speed,
 * at a slower realtime speed, and at libvpx's "good" deadline (speeds 4, 2). */
static const struct codec still_codecs[] = {
	{ "vp9key_rt8", KIND_VP9_KEY, 8, vpx_q, 0 },
	{ "vp9key_rt5", KIND_VP9_KEY, 5, vpx_q, 0 },
	{ "vp9key_good4", KIND_VP9_KEY, 4, vpx_q, VPX_DL_GOOD_QUALITY },
	{ "vp9key_good2", KIND_VP9_KEY, 2, vpx_q, VPX_DL_GOOD_QUALITY },
	{ "av1key_s9", KIND_AV1_KEY, 9, av1_q, 0 },
	{ "av1key_s8", KIND_AV1_KEY, 8, av1_q, 0 },
	{ "av1key_s6", KIND_AV1_KEY, 6, av1_q, 0 },
};

/* Each codec over its quality list, then every setting between the worst
 * one in the list that reached ref_ssim and the next worse one, so that
 * the smallest setting at the comparator's SSIM is not missed by the
 * list's steps; the smallest in bytes of all that reached it wins (bytes
 * and SSIM need not move together). JPEG's and WebP's quality goes up
 * with q, libvpx's down. */
static void
sweep(const char *mode, const struct codec *cs, int ncs, const struct picture *pics, int n,
    int rw, int rh, double ref_ssim)
{
	for (int c = 0; c < ncs; c++) {
		struct result *best = NULL;
		int up = cs[c].kind == KIND_JPEG || cs[c].kind == KIND_WEBP, worse = -1;
		int lowest = -1;        /* the worst setting in the list that passed */

		for (const int *q = cs[c].q; *q >= 0; q++) {
			struct result *r = measure(mode, &cs[c], *q, pics, n, rw, rh);

			if (r->ssim < ref_ssim)
				continue;
			if (best == NULL || r->zbytes < best->zbytes)
				best = r;
			if (lowest < 0 || (up ? *q < lowest : *q > lowest))
				lowest = *q;
		}
		for (const int *q = cs[c].q; lowest >= 0 && *q >= 0; q++)
			if (up ? *q < lowest && (worse < 0 || *q > worse) :
			    *q > lowest && (worse < 0 || *q < worse))
				worse = *q;
		for (int q = worse + (up ? 1 : -1); worse >= 0 && q != lowest; q += up ? 1 : -1) {
			struct result *r = measure(mode, &cs[c], q, pics, n, rw, rh);

			if (r->ssim >= ref_ssim && r->zbytes < best->zbytes)
				best = r;
		}
		if (best == NULL)
			printf("bench: codec_best mode=%s codec=%s none=1\n", mode, cs[c].name);
		else
			printf("bench: codec_best mode=%s codec=%s q=%d zbytes=%zu bpp=%.3f "
			    "ssim=%.5f ssim_c=%.5f enc_ms_mp=%.2f dec_ms_mp=%.2f conv_ms_mp=%.2f\n",
			    mode, cs[c].name, best->q, best->zbytes, best->bpp, best->ssim,
			    best->ssim_c, best->enc_ms_mp, best->dec_ms_mp, best->conv_ms_mp);
		fflush(stdout);
	}
}

/* video: 1 the moving-picture codecs too; 2 the still-picture VP9 key frames */
static void
one_mode(const char *mode, const struct picture *pics, int n, int rw, int rh, int video)
{
	struct result *r;

	yardstick(mode, pics, n);
	r = measure(mode, &ref, 92, pics, n, rw, rh);
	printf("bench: codec_ref mode=%s codec=tigervnc_tight_q8 jpeg_q=92 subsampling=444 "
	    "zbytes=%zu bpp=%.3f ssim=%.5f ssim_c=%.5f enc_ms_mp=%.2f dec_ms_mp=%.2f\n", mode,
	    r->zbytes, r->bpp, r->ssim, r->ssim_c, r->enc_ms_mp, r->dec_ms_mp);
	sweep(mode, image_codecs, (int)(sizeof(image_codecs) / sizeof(image_codecs[0])), pics, n,
	    rw, rh, r->ssim);
	if (video == 1)
		sweep(mode, video_codecs, (int)(sizeof(video_codecs) / sizeof(video_codecs[0])),
		    pics, n, rw, rh, r->ssim);
	if (video == 2)
		sweep(mode, still_codecs, (int)(sizeof(still_codecs) / sizeof(still_codecs[0])),
		    pics, n, rw, rh, r->ssim);
}

/* The middle of src, a window of (scale * src) pixels, resampled
 * bilinearly to fill dst. */
static void
zoom_frame(const struct picture *src, double scale, struct picture *dst)
{
	double cw = src->w * scale, ch = src->h * scale;
	double x0 = (src->w - cw) / 2, y0 = (src->h - ch) / 2;

	for (int y = 0; y < dst->h; y++) {
		double sy = y0 + (y + 0.5) * ch / dst->h - 0.5;
		int iy = (int)sy;
		double fy = sy - iy;

		if (iy >= src->h - 1) {
			iy = src->h - 2;
			fy = 1;
		}
		for (int x = 0; x < dst->w; x++) {
			double sx = x0 + (x + 0.5) * cw / dst->w - 0.5;
			int ix = (int)sx;
			double fx = sx - ix;

			if (ix >= src->w - 1) {
				ix = src->w - 2;
				fx = 1;
			}
			const uint8_t *a = src->rgb + ((size_t)iy * src->w + ix) * 3;
			const uint8_t *b = a + (size_t)src->w * 3;

			for (int k = 0; k < 3; k++)
				dst->rgb[((size_t)y * dst->w + x) * 3 + k] = (uint8_t)(
				    (a[k] * (1 - fx) + a[k + 3] * fx) * (1 - fy) +
				    (b[k] * (1 - fx) + b[k + 3] * fx) * fy + 0.5);
		}
	}
}

int
main(int argc, char **argv)
{
	struct picture pics[VIDEO_FRAMES > MAX_PICTURES ? VIDEO_FRAMES : MAX_PICTURES];
	int n = 0;

	if (argc < 3 || (strcmp(argv[1], "photo") != 0 && strcmp(argv[1], "video") != 0 &&
	    strcmp(argv[1], "ssim") != 0) ||
	    argc - 2 > MAX_PICTURES) {
		fprintf(stderr, "usage: codec_pick photo PPM... | codec_pick video PPM\n");
		return 2;
	}
	if (strcmp(argv[1], "ssim") == 0) {
		double y, c;

		ssim_init();
		if (argc != 4 || ppm_read(argv[2], &pics[0]) != 0 ||
		    ppm_read(argv[3], &pics[1]) != 0 || pics[0].w != pics[1].w ||
		    pics[0].h != pics[1].h) {
			fprintf(stderr, "usage: codec_pick ssim A.ppm B.ppm (the same size)\n");
			return 2;
		}
		ssim_rgb(&pics[0], &pics[1], &y, &c);
		printf("ssim=%.5f ssim_c=%.5f\n", y, c);
		return 0;
	}
	if (getenv("CODEC_PICK_REPEAT") != NULL)
		repeat = atoi(getenv("CODEC_PICK_REPEAT"));
	if (repeat < 1)
		repeat = 1;
	tj_enc = tjInitCompress();
	tj_dec = tjInitDecompress();
	if (tj_enc == NULL || tj_dec == NULL) {
		fprintf(stderr, "codec_pick: TurboJPEG: %s\n", tjGetErrorStr2(NULL));
		return 1;
	}
	ssim_init();
	for (int i = 2; i < argc; i++)
		if (ppm_read(argv[i], &pics[n++]) != 0)
			return 1;
	printf("codec_pick: libwebp %d.%d.%d, libvpx %s, libaom %s, zstd %s, %d picture(s)\n",
	    WebPGetEncoderVersion() >> 16, (WebPGetEncoderVersion() >> 8) & 0xff,
	    WebPGetEncoderVersion() & 0xff, vpx_codec_version_str(), aom_codec_version_str(),
	    ZSTD_versionString(), n);
	if (strcmp(argv[1], "photo") == 0) {
		/* CODEC_PICK_WHOLE_ONLY: the whole pictures alone (a quick look) */
		if (getenv("CODEC_PICK_WHOLE_ONLY") == NULL) {
			one_mode("tile", pics, n, TILE, TILE, 0);
			one_mode("strip", pics, n, pics[0].w, TILE, 0);
		}
		one_mode("whole", pics, n, 0, 0, 2);
		return 0;
	}

	/* The window pans right across the middle of the photograph. */
	struct picture *src = &pics[0];
	struct picture frames[VIDEO_FRAMES];
	int y0 = (src->h - VIDEO_H) / 2;

	if (src->w < VIDEO_W + VIDEO_STEP * (VIDEO_FRAMES - 1) || src->h < VIDEO_H) {
		fprintf(stderr, "codec_pick: %dx%d is too small to pan a %dx%d window %d px "
		    "%d times\n", src->w, src->h, VIDEO_W, VIDEO_H, VIDEO_STEP, VIDEO_FRAMES);
		return 1;
	}
	for (int f = 0; f < VIDEO_FRAMES; f++) {
		frames[f].w = VIDEO_W;
		frames[f].h = VIDEO_H;
		frames[f].rgb = xmalloc((size_t)VIDEO_W * VIDEO_H * 3);
		for (int y = 0; y < VIDEO_H; y++)
			memcpy(frames[f].rgb + (size_t)y * VIDEO_W * 3,
			    src->rgb + ((size_t)(y0 + y) * src->w + (size_t)f * VIDEO_STEP) * 3,
			    (size_t)VIDEO_W * 3);
	}
	one_mode("video", frames, VIDEO_FRAMES, 0, 0, 1);

	/* A pan is what the stream's COPY tiles already send for nearly
	 * nothing; a zoom (the middle of the photograph growing by 1% a frame,
	 * as a played video or an animation would change) is not. */
	for (int f = 0; f < VIDEO_FRAMES; f++)
		zoom_frame(src, 1.0 / pow(1.01, f), &frames[f]);
	one_mode("zoom", frames, VIDEO_FRAMES, 0, 0, 1);
	return 0;
}
