/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_pattern - a Wayland window filled with a known picture, for tests: a
 * fullscreen xdg-shell toplevel whose shared-memory buffer holds
 * wl_pattern_pixel(x, y) (below) at every point, redrawn at the size each
 * configure asks for (800x600 when the compositor leaves it to us).
 * Prints "painted WxH" once the compositor has shown a picture of that
 * size (its frame callback came). Runs until killed; exit 2 when it
 * cannot start.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>

#include "xdg-shell-protocol.h"

static struct wl_compositor *compositor;
static struct wl_shm *shm;
static struct xdg_wm_base *wm_base;
static struct wl_surface *surface;
static struct wl_buffer *buffer;
static int32_t want_w = 800, want_h = 600;
static int32_t shown_w, shown_h;        /* the size of the buffer attached */

/* The picture: every channel a different function of x and y, so a
 * shifted, flipped or channel-swapped copy differs. The test computes the
 * same. */
static uint32_t
wl_pattern_pixel(uint32_t x, uint32_t y)
{
	uint32_t r = (x * 3 + y) & 0xFF, g = (y * 5 + (x >> 2)) & 0xFF, b = (x ^ y) & 0xFF;

	return r << 16 | g << 8 | b;
}

static void
global(void *data, struct wl_registry *reg, uint32_t name, const char *iface, uint32_t version)
{
	(void)data, (void)version;
	if (strcmp(iface, wl_compositor_interface.name) == 0)
		compositor = wl_registry_bind(reg, name, &wl_compositor_interface, 4);
	else if (strcmp(iface, wl_shm_interface.name) == 0)
		shm = wl_registry_bind(reg, name, &wl_shm_interface, 1);
	else if (strcmp(iface, xdg_wm_base_interface.name) == 0)
		wm_base = wl_registry_bind(reg, name, &xdg_wm_base_interface, 1);
}

static void
global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)data, (void)reg, (void)name;
}

static const struct wl_registry_listener registry_listener = { global, global_remove };

static void
ping(void *data, struct xdg_wm_base *b, uint32_t serial)
{
	(void)data;
	xdg_wm_base_pong(b, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = { ping };

static void
shown(void *data, struct wl_callback *cb, uint32_t t)
{
	(void)data, (void)t;
	wl_callback_destroy(cb);
	printf("painted %dx%d\n", shown_w, shown_h);
	fflush(stdout);
}

static const struct wl_callback_listener frame_listener = { shown };

/* A new buffer of want_w x want_h with the picture, attached and committed. */
static void
paint(void)
{
	int32_t stride = want_w * 4;
	size_t len = (size_t)stride * (size_t)want_h;
	struct wl_shm_pool *pool;
	struct wl_callback *cb;
	uint8_t *px;
	int fd;

	if ((fd = memfd_create("wl_pattern", MFD_CLOEXEC)) < 0 || ftruncate(fd, (off_t)len) != 0 ||
	    (px = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		fprintf(stderr, "wl_pattern: no buffer: %s\n", strerror(errno));
		exit(2);
	}
	for (int32_t y = 0; y < want_h; y++)
		for (int32_t x = 0; x < want_w; x++) {
			uint32_t p = wl_pattern_pixel((uint32_t)x, (uint32_t)y);
			uint8_t *d = px + (size_t)y * stride + (size_t)x * 4;

			/* XRGB8888 is little-endian: B, G, R, X in memory. */
			d[0] = p & 0xFF;
			d[1] = (p >> 8) & 0xFF;
			d[2] = (p >> 16) & 0xFF;
			d[3] = 0xFF;
		}
	munmap(px, len);
	pool = wl_shm_create_pool(shm, fd, (int32_t)len);
	if (buffer != NULL)
		wl_buffer_destroy(buffer);
	buffer = wl_shm_pool_create_buffer(pool, 0, want_w, want_h, stride,
	    WL_SHM_FORMAT_XRGB8888);
	wl_shm_pool_destroy(pool);
	close(fd);
	wl_surface_attach(surface, buffer, 0, 0);
	wl_surface_damage_buffer(surface, 0, 0, want_w, want_h);
	cb = wl_surface_frame(surface);
	wl_callback_add_listener(cb, &frame_listener, NULL);
	shown_w = want_w;
	shown_h = want_h;
	wl_surface_commit(surface);
}

static void
surface_configure(void *data, struct xdg_surface *xs, uint32_t serial)
{
	(void)data;
	xdg_surface_ack_configure(xs, serial);
	if (buffer == NULL || shown_w != want_w || shown_h != want_h)
		paint();
	else
		wl_surface_commit(surface);
}

static const struct xdg_surface_listener surface_listener = { surface_configure };

static void
toplevel_configure(void *data, struct xdg_toplevel *t, int32_t w, int32_t h,
    struct wl_array *states)
{
	(void)data, (void)t, (void)states;
	if (w > 0 && h > 0 && w <= 8192 && h <= 8192) {
		want_w = w;
		want_h = h;
	}
}

static void
toplevel_close(void *data, struct xdg_toplevel *t)
{
	(void)data, (void)t;
	exit(0);
}

/* Bound at version 1: configure_bounds and wm_capabilities never come. */
static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

int
main(void)
{
	struct wl_display *dpy = wl_display_connect(NULL);
	struct xdg_surface *xs;
	struct xdg_toplevel *top;

	if (dpy == NULL) {
		fprintf(stderr, "wl_pattern: no Wayland display\n");
		return 2;
	}
	wl_registry_add_listener(wl_display_get_registry(dpy), &registry_listener, NULL);
	if (wl_display_roundtrip(dpy) < 0 || compositor == NULL || shm == NULL || wm_base == NULL) {
		fprintf(stderr, "wl_pattern: the compositor lacks wl_compositor, wl_shm or "
		    "xdg_wm_base\n");
		return 2;
	}
	xdg_wm_base_add_listener(wm_base, &wm_base_listener, NULL);
	surface = wl_compositor_create_surface(compositor);
	xs = xdg_wm_base_get_xdg_surface(wm_base, surface);
	xdg_surface_add_listener(xs, &surface_listener, NULL);
	top = xdg_surface_get_toplevel(xs);
	xdg_toplevel_add_listener(top, &toplevel_listener, NULL);
	xdg_toplevel_set_title(top, "wl_pattern");
	xdg_toplevel_set_fullscreen(top, NULL);
	wl_surface_commit(surface);
	while (wl_display_dispatch(dpy) >= 0)
		;
	fprintf(stderr, "wl_pattern: the compositor closed the connection\n");
	return 0;
}
