/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xdpw_shm_only.so - test-only workaround for xdg-desktop-portal-wlr 0.7 on pixman.
 *
 * Preloaded into xdg-desktop-portal-wlr by tests/integration/portal_lib.sh,
 * never into the project's programs.
 *
 * Why: xdg-desktop-portal-wlr 0.7 refuses every ScreenCast Start with
 * "wlroots: unable to receive a valid format from wlr_screencopy" unless the
 * first screen copy frame announced, besides its shared memory buffer, a
 * DMA-BUF format (the frame's linux_dmabuf event). It means to ask that
 * only of compositors with version 3 of wlr-screencopy, but the version it
 * compares is its own ScreenCast interface's (4), so it asks it always.
 * A wlroots compositor on the pixman renderer (a headless sway, no GPU)
 * has no DMA-BUF to offer and never sends that event, so no cast starts,
 * although shared memory is all the backend needs: with no linux-dmabuf
 * global it has no GBM device, offers PipeWire shared memory buffers only
 * and copies the output into them with wl_shm buffers, as before 0.7.
 *
 * What: the frames' buffer event (the shared memory format) is passed on,
 * preceded by a linux_dmabuf event with the same format and size, which
 * the backend only writes down. Nothing else changes: no DMA-BUF is ever
 * made or sent, and the compositor sees the same requests.
 *
 * How: zwlr_screencopy_frame_v1_add_listener() is inline in the generated
 * header, so the program calls wl_proxy_add_listener(), which this library
 * takes over for screen copy frames only: they get a copy of the program's
 * listener whose buffer entry is ours.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wayland-client-core.h>

typedef int add_listener_fn(struct wl_proxy *proxy, void (**implementation)(void), void *data);

/* zwlr_screencopy_frame_v1's events, in the protocol's order. */
enum { EV_BUFFER, EV_FLAGS, EV_READY, EV_FAILED, EV_DAMAGE, EV_LINUX_DMABUF, EV_BUFFER_DONE,
       FRAME_EVENTS };
typedef void buffer_fn(void *data, struct wl_proxy *frame, uint32_t format, uint32_t width,
		       uint32_t height, uint32_t stride);
typedef void linux_dmabuf_fn(void *data, struct wl_proxy *frame, uint32_t format, uint32_t width,
			     uint32_t height);

/* A listener of the program's and our copy of it; the program has one. */
enum { KEPT_LISTENERS = 4 };
static struct {
	void (**program)(void);
	void (*copy[FRAME_EVENTS])(void);
} kept[KEPT_LISTENERS];

/* wl_shm's two formats that are not DRM's fourcc codes (the rest are). */
static uint32_t drm_fourcc(uint32_t shm_format)
{
	if (shm_format == 0)		/* WL_SHM_FORMAT_ARGB8888 */
		return 'A' | 'R' << 8 | '2' << 16 | (uint32_t)'4' << 24;
	if (shm_format == 1)		/* WL_SHM_FORMAT_XRGB8888 */
		return 'X' | 'R' << 8 | '2' << 16 | (uint32_t)'4' << 24;
	return shm_format;
}

static void shim_buffer(void *data, struct wl_proxy *frame, uint32_t format, uint32_t width,
			uint32_t height, uint32_t stride)
{
	const void *mine = wl_proxy_get_listener(frame);

	for (int i = 0; i < KEPT_LISTENERS; i++) {
		if (kept[i].program == NULL || (const void *)kept[i].copy != mine)
			continue;
		linux_dmabuf_fn *dmabuf = (linux_dmabuf_fn *)kept[i].program[EV_LINUX_DMABUF];
		buffer_fn *buffer = (buffer_fn *)kept[i].program[EV_BUFFER];
		if (dmabuf)
			dmabuf(data, frame, drm_fourcc(format), width, height);
		if (buffer)
			buffer(data, frame, format, width, height, stride);
		return;
	}
}

int wl_proxy_add_listener(struct wl_proxy *proxy, void (**implementation)(void), void *data)
{
	static add_listener_fn *real;
	static int said;

	if (!real) {
		real = (add_listener_fn *)dlsym(RTLD_NEXT, "wl_proxy_add_listener");
		if (!real) {
			fprintf(stderr, "xdpw_shm_only: no wl_proxy_add_listener after this "
				"library: %s\n", dlerror());
			return -1;
		}
	}
	if (strcmp(wl_proxy_get_class(proxy), "zwlr_screencopy_frame_v1") != 0)
		return real(proxy, implementation, data);
	for (int i = 0; i < KEPT_LISTENERS; i++) {
		if (kept[i].program != NULL && kept[i].program != implementation)
			continue;
		if (kept[i].program == NULL) {
			kept[i].program = implementation;
			memcpy(kept[i].copy, implementation, sizeof(kept[i].copy));
			kept[i].copy[EV_BUFFER] = (void (*)(void))shim_buffer;
		}
		if (!said++)
			fprintf(stderr, "xdpw_shm_only: screen copy frames announce their shared "
				"memory format as a DMA-BUF format too (test-only workaround for "
				"xdg-desktop-portal-wlr 0.7 on pixman)\n");
		return real(proxy, kept[i].copy, data);
	}
	fprintf(stderr, "xdpw_shm_only: more than %d frame listeners, one left unchanged\n",
		KEPT_LISTENERS);
	return real(proxy, implementation, data);
}
