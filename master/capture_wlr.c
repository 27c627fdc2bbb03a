/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture_wlr.c - the screen of a wlroots compositor (sway and others):
 * capture.h's "wlr", through the compositor's screen copy
 * (zwlr_screencopy_manager_v1) into a shared-memory buffer.
 *
 * One copy is asked for at a time, and the next only once the master has
 * taken the last one: from version 2 on it is a copy_with_damage, which
 * the compositor holds back until something on the output changes and
 * which says where, so a still screen costs no wakeups and a grab reads
 * only the damaged tiles. The first copy, and the first after the
 * buffer's size changed, is a plain copy, read whole. The pointer is left
 * out of the picture (overlay_cursor 0) and the screen copy says nothing
 * about where it is or what it looks like: this back-end has no pointer
 * to follow. Everything the compositor says about the buffer is checked
 * against proto/limits.h before anything is mapped.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <wayland-client.h>

#include "capture.h"
#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "wl_outputs.h"
#include "screencopy-protocol.h"

struct wlr_capture {
	struct capture base;            /* first: capture.c sees only this */
	struct wl_display *dpy;
	struct wl_registry *reg;
	struct wl_shm *shm;
	struct zwlr_screencopy_manager_v1 *mgr;
	uint32_t mgr_version;
	struct wl_outputs outputs;
	uint32_t output_name;           /* the registry's name of the output copied */
	struct wl_output *output;

	/* The copy asked for: what the compositor offers, then whether it came. */
	struct zwlr_screencopy_frame_v1 *frame;
	bool offered;                   /* a shared-memory buffer we can read */
	bool dmabuf_only;               /* only DMA-BUF buffers were offered */
	uint32_t format, w, h, stride;  /* the offer */
	uint32_t flags;
	bool copying;                   /* copy requested, ready or failed to come */
	bool ready;                     /* in the buffer, not yet taken by a grab */
	bool full;                      /* the next copy is read whole */
	unsigned fails;                 /* copies failed in a row */
	uint8_t damage[MSG_TILES_MAX];  /* tiles the copy in the buffer changed */

	/* The buffer copies go into. */
	struct wl_buffer *buf;
	uint8_t *map;
	size_t map_len;
	uint32_t buf_format, buf_w, buf_h, buf_stride;

	char fatal[256];                /* non-empty: the capture cannot go on */
	char method[64];
};

static int64_t
mono_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((format(printf, 2, 3)))
set_fatal(struct wlr_capture *c, const char *fmt, ...)
{
	va_list ap;

	if (c->fatal[0] != '\0')
		return;         /* the first reason is the one that counts */
	va_start(ap, fmt);
	vsnprintf(c->fatal, sizeof(c->fatal), fmt, ap);
	va_end(ap);
}

/* ---- the buffer ---- */

static void
buffer_free(struct wlr_capture *c)
{
	if (c->buf != NULL)
		wl_buffer_destroy(c->buf);
	if (c->map != NULL)
		munmap(c->map, c->map_len);
	c->buf = NULL;
	c->map = NULL;
	c->map_len = 0;
}

/* A buffer as offered (c->format, w, h, stride), kept while the offer stays the same. */
static int
buffer_ready(struct wlr_capture *c)
{
	struct wl_shm_pool *pool;
	size_t len = (size_t)c->stride * c->h;
	int fd;

	if (c->buf != NULL && c->buf_format == c->format && c->buf_w == c->w &&
	    c->buf_h == c->h && c->buf_stride == c->stride)
		return 0;
	buffer_free(c);
	c->full = true;         /* a new buffer holds nothing we have seen */
	if ((fd = memfd_create("fernsicht-screencopy", MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0) {
		set_fatal(c, "cannot make a buffer for the screen copy: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	if (ftruncate(fd, (off_t)len) != 0 ||
	    (c->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		set_fatal(c, "cannot make a %zu-byte buffer for the screen copy: %s", len,
		    strerror(errno));
		c->map = NULL;
		close(fd);
		return ERR_SYSTEM;
	}
	c->map_len = len;
	/* The compositor gets the file too: shrunk under our mapping, reading
	 * the copy would end the process (SIGBUS). */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) != 0) {
		set_fatal(c, "cannot seal the buffer for the screen copy: %s", strerror(errno));
		close(fd);
		return ERR_SYSTEM;
	}
	pool = wl_shm_create_pool(c->shm, fd, (int32_t)len);
	c->buf = wl_shm_pool_create_buffer(pool, 0, (int32_t)c->w, (int32_t)c->h,
	    (int32_t)c->stride, c->format);
	/* The buffer keeps the pool's memory; the compositor has its own fd. */
	wl_shm_pool_destroy(pool);
	close(fd);
	c->buf_format = c->format;
	c->buf_w = c->w;
	c->buf_h = c->h;
	c->buf_stride = c->stride;
	return 0;
}

/* ---- the frame ---- */

static bool
format_known(uint32_t f)
{
	return f == WL_SHM_FORMAT_XRGB8888 || f == WL_SHM_FORMAT_ARGB8888 ||
	    f == WL_SHM_FORMAT_XBGR8888 || f == WL_SHM_FORMAT_ABGR8888;
}

static void
frame_buffer(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format, uint32_t w,
    uint32_t h, uint32_t stride);
static void
frame_buffer_done(void *data, struct zwlr_screencopy_frame_v1 *f);

static void
frame_flags(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t flags)
{
	struct wlr_capture *c = data;

	(void)f;
	c->flags = flags;
}

static void
frame_ready(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t sec_hi, uint32_t sec_lo,
    uint32_t nsec)
{
	struct wlr_capture *c = data;

	(void)sec_hi, (void)sec_lo, (void)nsec;
	zwlr_screencopy_frame_v1_destroy(f);
	c->frame = NULL;
	if (!c->copying) {
		/* Nothing was copied into our buffer (there may be none yet). */
		set_fatal(c, "the compositor said a screen copy was ready before it was asked "
		    "to make one");
		return;
	}
	c->copying = false;
	c->ready = true;
	c->fails = 0;
	/* Rows that come bottom first: damage in their terms is not worth
	 * turning round; the copy is read whole. */
	if (c->flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT)
		c->full = true;
}

static void request_frame(struct wlr_capture *c);

static void
frame_failed(void *data, struct zwlr_screencopy_frame_v1 *f)
{
	struct wlr_capture *c = data;

	zwlr_screencopy_frame_v1_destroy(f);
	c->frame = NULL;
	c->copying = false;
	/* A mode change between the offer and the copy fails one copy; the
	 * next one brings an offer of the new size. A compositor that fails
	 * every copy is given up on. */
	if (++c->fails >= WLR_COPY_FAILS_MAX) {
		set_fatal(c, "the compositor failed %u screen copies in a row", c->fails);
		return;
	}
	c->full = true;
	request_frame(c);
}

static void
frame_damage(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t x, uint32_t y, uint32_t w,
    uint32_t h)
{
	struct wlr_capture *c = data;
	uint32_t x1, y1, tiles_x;

	(void)f;
	/* Buffer coordinates, clipped to the buffer: they are the compositor's word. */
	if (c->buf == NULL || x >= c->buf_w || y >= c->buf_h || w == 0 || h == 0)
		return;
	x1 = w > c->buf_w - x ? c->buf_w : x + w;
	y1 = h > c->buf_h - y ? c->buf_h : y + h;
	tiles_x = (c->buf_w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	for (uint32_t ty = y / MSG_TILE_LEN; ty <= (y1 - 1) / MSG_TILE_LEN; ty++)
		memset(c->damage + (size_t)ty * tiles_x + x / MSG_TILE_LEN, 1,
		    (size_t)((x1 - 1) / MSG_TILE_LEN - x / MSG_TILE_LEN + 1));
}

static void
frame_linux_dmabuf(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format, uint32_t w,
    uint32_t h)
{
	struct wlr_capture *c = data;

	(void)f, (void)format, (void)w, (void)h;
	if (!c->offered)
		c->dmabuf_only = true;
}

static const struct zwlr_screencopy_frame_v1_listener frame_listener = {
	.buffer = frame_buffer,
	.flags = frame_flags,
	.ready = frame_ready,
	.failed = frame_failed,
	.damage = frame_damage,
	.linux_dmabuf = frame_linux_dmabuf,
	.buffer_done = frame_buffer_done,
};

/* Ask for the next copy of the output; the offer of a buffer comes first. */
static void
request_frame(struct wlr_capture *c)
{
	if (c->fatal[0] != '\0' || c->frame != NULL)
		return;
	c->offered = c->dmabuf_only = false;
	c->flags = 0;
	c->frame = zwlr_screencopy_manager_v1_capture_output(c->mgr, 0, c->output);
	zwlr_screencopy_frame_v1_add_listener(c->frame, &frame_listener, c);
}

static void
frame_buffer(void *data, struct zwlr_screencopy_frame_v1 *f, uint32_t format, uint32_t w,
    uint32_t h, uint32_t stride)
{
	struct wlr_capture *c = data;

	if (c->offered)
		return;         /* one shared-memory kind is enough */
	if (!format_known(format)) {
		set_fatal(c, "the compositor offers screen copies in pixel format 0x%08x only; "
		    "32-bit RGB formats are supported", format);
	} else if (w == 0 || h == 0 || w > MSG_DIM_MAX || h > MSG_DIM_MAX) {
		set_fatal(c, "the compositor offers a %ux%u screen copy; at most %dx%d is "
		    "supported", w, h, MSG_DIM_MAX, MSG_DIM_MAX);
	} else if (stride < w * 4 || stride > WLR_SHM_STRIDE_MAX ||
	    (uint64_t)stride * h > WLR_SHM_BYTES_MAX) {
		set_fatal(c, "the compositor offers a %ux%u screen copy with %u bytes per row; "
		    "that does not fit (at least %u, at most %d bytes per row, %d bytes in all)",
		    w, h, stride, w * 4, WLR_SHM_STRIDE_MAX, WLR_SHM_BYTES_MAX);
	} else {
		c->offered = true;
		c->dmabuf_only = false;
		c->format = format;
		c->w = w;
		c->h = h;
		c->stride = stride;
	}
	/* Before version 3 this is the only offer: copy at once. */
	if (c->mgr_version < 3)
		frame_buffer_done(data, f);
}

static void
frame_buffer_done(void *data, struct zwlr_screencopy_frame_v1 *f)
{
	struct wlr_capture *c = data;

	if (c->copying || c->fatal[0] != '\0')
		return;
	if (!c->offered) {
		set_fatal(c, "%s", c->dmabuf_only ? "the compositor offers screen copies as "
		    "DMA-BUF only, not in shared memory" : "the compositor offers no buffer "
		    "for a screen copy");
		return;
	}
	if (buffer_ready(c) != 0)
		return;
	memset(c->damage, 0, sizeof(c->damage));
	c->copying = true;
	if (c->mgr_version >= 2 && !c->full)
		zwlr_screencopy_frame_v1_copy_with_damage(f, c->buf);
	else
		zwlr_screencopy_frame_v1_copy(f, c->buf);
}

/* ---- the registry ---- */

static void
reg_global(void *data, struct wl_registry *reg, uint32_t name, const char *iface,
    uint32_t version)
{
	struct wlr_capture *c = data;

	if (strcmp(iface, wl_shm_interface.name) == 0 && c->shm == NULL) {
		c->shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	} else if (strcmp(iface, zwlr_screencopy_manager_v1_interface.name) == 0 &&
	    c->mgr == NULL) {
		c->mgr_version = version < 3 ? version : 3;
		c->mgr = wl_registry_bind(reg, name, &zwlr_screencopy_manager_v1_interface,
		    c->mgr_version);
	} else {
		(void)wl_outputs_global(&c->outputs, reg, name, iface, version);
	}
}

static void
reg_global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	struct wlr_capture *c = data;

	(void)reg;
	if (c->output != NULL && name == c->output_name) {
		set_fatal(c, "the output being shared went away");
		c->output = NULL;
	}
	wl_outputs_global_remove(&c->outputs, name);
}

static const struct wl_registry_listener registry_listener = {
	.global = reg_global,
	.global_remove = reg_global_remove,
};

/* ---- the connection ---- */

/* Read and handle what the compositor sent, waiting at most ms. 0, or -1 when it broke. */
static int
pump(struct wlr_capture *c, int ms)
{
	struct pollfd p = { .fd = wl_display_get_fd(c->dpy), .events = POLLIN };

	if (wl_display_get_error(c->dpy) != 0)
		return -1;
	while (wl_display_prepare_read(c->dpy) != 0)
		if (wl_display_dispatch_pending(c->dpy) < 0)
			return -1;
	if (wl_display_flush(c->dpy) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(c->dpy);
		return -1;
	}
	if (poll(&p, 1, ms) > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR))) {
		if (wl_display_read_events(c->dpy) < 0)
			return -1;
	} else {
		wl_display_cancel_read(c->dpy);
	}
	if (wl_display_dispatch_pending(c->dpy) < 0)
		return -1;
	/* What the events asked for (the copy into the buffer just offered)
	 * goes out now: the compositor waits for it, and nothing else would
	 * wake the loop before its next tick. */
	if (wl_display_flush(c->dpy) < 0 && errno != EAGAIN)
		return -1;
	return 0;
}

static void
check_connection(struct wlr_capture *c)
{
	int e = wl_display_get_error(c->dpy);

	if (e != 0)
		set_fatal(c, "the Wayland compositor closed the connection (%s)", strerror(e));
}

static void
wlr_close(struct capture *base)
{
	struct wlr_capture *c = (struct wlr_capture *)base;

	if (c == NULL)
		return;
	if (c->frame != NULL)
		zwlr_screencopy_frame_v1_destroy(c->frame);
	buffer_free(c);
	wl_outputs_free(&c->outputs);
	if (c->mgr != NULL)
		zwlr_screencopy_manager_v1_destroy(c->mgr);
	if (c->shm != NULL)
		wl_shm_destroy(c->shm);
	if (c->reg != NULL)
		wl_registry_destroy(c->reg);
	(void)wl_display_flush(c->dpy);
	wl_display_disconnect(c->dpy);
	free(c);
}

static struct capture *
wlr_open(const struct capture_opts *o, char *why, size_t why_len)
{
	const char *env = getenv("WAYLAND_DISPLAY");
	struct wlr_capture *c;
	int64_t end;
	unsigned i;

	if (env != NULL && *env == '\0')
		env = NULL;
	/* libwayland would try wayland-0: a display nobody named may be someone else's. */
	if (o->display == NULL && env == NULL && getenv("WAYLAND_SOCKET") == NULL) {
		snprintf(why, why_len, "%s", _("no Wayland display: WAYLAND_DISPLAY is not set"));
		return NULL;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	if ((c->dpy = wl_display_connect(o->display)) == NULL) {
		snprintf(why, why_len, _("cannot connect to the Wayland display %s (%s)"),
		    o->display != NULL ? o->display : env != NULL ? env : "$WAYLAND_SOCKET",
		    strerror(errno));
		free(c);
		return NULL;
	}
	c->reg = wl_display_get_registry(c->dpy);
	wl_registry_add_listener(c->reg, &registry_listener, c);
	/* The globals, then the outputs' details (xdg-output answers in the second round). */
	if (wl_display_roundtrip(c->dpy) < 0 || wl_display_roundtrip(c->dpy) < 0) {
		snprintf(why, why_len, "%s", _("the Wayland display did not answer"));
		goto fail;
	}
	if (c->mgr == NULL) {
		snprintf(why, why_len, "%s", _("this compositor offers no screen copy "
		    "(zwlr_screencopy_manager_v1): use --source pipewire or x11"));
		goto fail;
	}
	if (c->shm == NULL) {
		snprintf(why, why_len, "%s", _("this compositor offers no shared memory (wl_shm)"));
		goto fail;
	}
	i = o->monitor < 0 ? 0 : (unsigned)o->monitor;
	if (i >= c->outputs.n) {
		snprintf(why, why_len, _("there is no monitor %u: the compositor has %u "
		    "(numbered from 0)"), i, c->outputs.n);
		goto fail;
	}
	c->output = c->outputs.o[i].wl;
	c->output_name = c->outputs.o[i].name;
	snprintf(c->method, sizeof(c->method), "wlr-screencopy v%u, shared memory%s",
	    c->mgr_version, c->mgr_version >= 2 ? ", damage" : "");
	/* The first picture, so that the first grab has one and its size is known. */
	c->full = true;
	request_frame(c);
	end = mono_now_ms() + WLR_FIRST_FRAME_WAIT_MS;
	while (!c->ready && c->fatal[0] == '\0') {
		int64_t left = end - mono_now_ms();

		if (left <= 0) {
			snprintf(why, why_len, _("the compositor sent no screen copy within %d ms"),
			    WLR_FIRST_FRAME_WAIT_MS);
			goto fail;
		}
		if (pump(c, (int)left) != 0)
			check_connection(c);
	}
	if (c->fatal[0] != '\0') {
		snprintf(why, why_len, "%s", c->fatal);
		goto fail;
	}
	return &c->base;
fail:
	wlr_close(&c->base);
	return NULL;
}

static int
wlr_fd(const struct capture *base)
{
	const struct wlr_capture *c = (const struct wlr_capture *)base;

	return wl_display_get_fd(c->dpy);
}

static bool
wlr_queued(const struct capture *base)
{
	(void)base;
	return false;   /* pump() handles everything it reads */
}

static int
wlr_poll(struct capture *base, bool *screen_dirty, bool *cursor_dirty)
{
	struct wlr_capture *c = (struct wlr_capture *)base;

	*screen_dirty = false;
	*cursor_dirty = false;
	if (c->fatal[0] == '\0' && pump(c, 0) != 0)
		check_connection(c);
	if (c->fatal[0] != '\0') {
		static bool said;

		if (!said)
			log_warn("screen capture: %s", c->fatal);
		said = true;
		return ERR_CLOSED;
	}
	*screen_dirty = c->ready;
	return 0;
}

static bool
host_little_endian(void)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	return first == 1;
}

/* Columns [x0, x1) of row y of the copy into img, as 0x00RRGGBB. */
static void
convert_span(const struct wlr_capture *c, struct image *img, uint32_t x0, uint32_t x1,
    uint32_t y)
{
	uint32_t sy = (c->flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT) ? c->buf_h - 1 - y : y;
	const uint8_t *s = c->map + (size_t)sy * c->buf_stride + (size_t)x0 * 4;
	uint32_t *d = img->px + (size_t)y * img->w + x0;
	/* Little-endian in memory whatever the host: XRGB is B, G, R, X; XBGR R, G, B, X. */
	bool bgr = c->buf_format == WL_SHM_FORMAT_XBGR8888 ||
	    c->buf_format == WL_SHM_FORMAT_ABGR8888;

	if (bgr)
		for (uint32_t x = x0; x < x1; x++, s += 4)
			*d++ = (uint32_t)s[0] << 16 | (uint32_t)s[1] << 8 | s[2];
	else if (host_little_endian())
		/* XRGB read as a 32-bit word is the picture's 0x00RRGGBB once the
		 * X byte is masked: one copy a row instead of a byte shuffle. */
		for (uint32_t x = x0; x < x1; x++, s += 4) {
			uint32_t v;

			memcpy(&v, s, sizeof(v));
			*d++ = v & 0x00FFFFFFu;
		}
	else
		for (uint32_t x = x0; x < x1; x++, s += 4)
			*d++ = (uint32_t)s[2] << 16 | (uint32_t)s[1] << 8 | s[0];
}

static int
wlr_grab(struct capture *base, struct image *img, uint8_t *hint, char *why, size_t why_len)
{
	struct wlr_capture *c = (struct wlr_capture *)base;
	uint32_t tiles_x, tiles_y;

	if (c->fatal[0] != '\0') {
		snprintf(why, why_len, "%s", c->fatal);
		return ERR_CLOSED;
	}
	memset(hint, 0, MSG_TILES_MAX);
	if (!c->ready) {
		/* Nothing new: img is the screen as last grabbed. A picture
		 * we did not fill (another size) is black until the copy on
		 * its way, which is then read whole. */
		if (img->px == NULL || img->w != c->buf_w || img->h != c->buf_h) {
			image_free(img);
			if (image_init(img, (uint16_t)c->buf_w, (uint16_t)c->buf_h) != 0) {
				snprintf(why, why_len, "no memory for a %ux%u picture", c->buf_w,
				    c->buf_h);
				return ERR_SYSTEM;
			}
			memset(hint, 1, MSG_TILES_MAX);
			c->full = true;
		}
		return 0;
	}
	if (img->px == NULL || img->w != c->buf_w || img->h != c->buf_h) {
		image_free(img);
		if (image_init(img, (uint16_t)c->buf_w, (uint16_t)c->buf_h) != 0) {
			snprintf(why, why_len, "no memory for a %ux%u picture", c->buf_w, c->buf_h);
			return ERR_SYSTEM;
		}
		c->full = true;
	}
	tiles_x = (c->buf_w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	tiles_y = (c->buf_h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	if (c->full)
		memset(c->damage, 1, (size_t)tiles_x * tiles_y);
	for (uint32_t ty = 0; ty < tiles_y; ty++) {
		const uint8_t *row = c->damage + (size_t)ty * tiles_x;
		uint32_t y0 = ty * MSG_TILE_LEN;
		uint32_t y1 = y0 + MSG_TILE_LEN > c->buf_h ? c->buf_h : y0 + MSG_TILE_LEN;

		/* Runs of damaged tiles, one span per row each. */
		for (uint32_t tx = 0; tx < tiles_x; tx++) {
			uint32_t end = tx, x1;

			if (!row[tx])
				continue;
			while (end + 1 < tiles_x && row[end + 1])
				end++;
			x1 = (end + 1) * MSG_TILE_LEN;
			x1 = x1 > c->buf_w ? c->buf_w : x1;
			for (uint32_t y = y0; y < y1; y++)
				convert_span(c, img, tx * MSG_TILE_LEN, x1, y);
			tx = end;
		}
	}
	memcpy(hint, c->damage, (size_t)tiles_x * tiles_y);
	c->ready = false;
	c->full = false;
	/* Taken: the compositor may copy into the buffer again. */
	request_frame(c);
	if (wl_display_flush(c->dpy) < 0 && errno != EAGAIN)
		check_connection(c);
	return 0;
}

static unsigned
wlr_moves(const struct capture *base, struct codec_move *moves)
{
	(void)base, (void)moves;
	return 0;       /* the screen copy knows no windows */
}

static void
wlr_origin(const struct capture *base, int *x, int *y)
{
	const struct wlr_capture *c = (const struct wlr_capture *)base;

	*x = *y = 0;
	/* Where the output sits in the layout the virtual pointer spans. */
	for (unsigned i = 0; i < c->outputs.n; i++)
		if (c->outputs.o[i].name == c->output_name) {
			const struct wl_output_seen *o = &c->outputs.o[i];

			*x = o->logical ? o->x : o->gx;
			*y = o->logical ? o->y : o->gy;
		}
}

static const char *
wlr_method(const struct capture *base)
{
	const struct wlr_capture *c = (const struct wlr_capture *)base;

	return c->method;
}

const struct capture_ops capture_wlr_ops = {
	.name = "wlr",
	/* Copies follow damage: a still screen costs nothing. */
	.fps_default = 30,
	.changes_every_frame = false,
	.open = wlr_open,
	.close = wlr_close,
	.fd = wlr_fd,
	.queued = wlr_queued,
	.poll = wlr_poll,
	.grab = wlr_grab,
	.moves = wlr_moves,
	.cursor = NULL,     /* the screen copy tells nothing of the pointer */
	.origin = wlr_origin,
	.method = wlr_method,
};
