/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_paint - a Wayland client for the tests of Wayland hosts: one
 * fullscreen xdg-shell window showing a fixed pattern (a function of x
 * and y only) from a shared-memory buffer, and what its pointer feels.
 *
 *   wl_paint REF.ppm [OUTPUT]
 *
 * OUTPUT (a number): fullscreen on that wl_output, counted from 0 in the
 * order the compositor announces them (default: where it chooses); on
 * any but the first the colours are inverted, so that a picture of one
 * output never passes for another's.
 * Each time the compositor gives the window a size, the pattern is drawn
 * at that size, written to REF.ppm (P6) as the picture a screen grab must
 * show, and "painted WxH" is printed. Pointer events are printed as
 * "motion X Y" and "button CODE pressed|released X Y", the wheel as
 * "wheel AXIS STEPS". Runs until killed or the compositor goes away.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <wayland-client.h>

#include "xdg-shell-protocol.h"

struct app {
	struct wl_display *dpy;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct wl_seat *seat;
	struct wl_pointer *pointer;
	struct xdg_wm_base *wm;
	struct wl_surface *surface;
	struct xdg_surface *xsurface;
	struct xdg_toplevel *toplevel;
	struct wl_buffer *buffer;
	struct wl_output *output;       /* to be fullscreen on; NULL: any */
	int output_want, outputs_seen;
	uint32_t tint;                  /* xor-ed into every pixel */
	int want_w, want_h;             /* from the last toplevel configure */
	int w, h;                       /* drawn */
	double px, py;
	const char *ref;
};

static uint32_t
pattern(int x, int y)
{
	uint32_t r = (uint32_t)(x * 5 + y * 3) & 0xFF;
	uint32_t g = (uint32_t)((x ^ y) * 7) & 0xFF;
	uint32_t b = (uint32_t)(x / 8 * 40 + y / 8 * 90) & 0xFF;

	return r << 16 | g << 8 | b;
}

static int
write_ref(const struct app *a, const uint32_t *px)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", a->ref);
	if ((f = fopen(tmp, "wb")) == NULL)
		return -1;
	fprintf(f, "P6\n%d %d\n255\n", a->w, a->h);
	for (int i = 0; i < a->w * a->h; i++) {
		uint8_t rgb[3] = { (uint8_t)(px[i] >> 16), (uint8_t)(px[i] >> 8), (uint8_t)px[i] };
		fwrite(rgb, 1, 3, f);
	}
	if (fclose(f) != 0)
		return -1;
	return rename(tmp, a->ref);
}

static void
on_buffer_release(void *data, struct wl_buffer *buffer)
{
	(void)data;
	(void)buffer;
}

static const struct wl_buffer_listener buffer_listener = { on_buffer_release };

static void
draw(struct app *a, int w, int h)
{
	int stride = w * 4, fd;
	size_t size = (size_t)stride * h;
	struct wl_shm_pool *pool;
	uint32_t *px;

	if ((fd = memfd_create("wl_paint", MFD_CLOEXEC)) < 0 || ftruncate(fd, (off_t)size) != 0) {
		perror("wl_paint: memfd");
		exit(1);
	}
	px = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (px == MAP_FAILED) {
		perror("wl_paint: mmap");
		exit(1);
	}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			px[y * w + x] = pattern(x, y) ^ a->tint;
	pool = wl_shm_create_pool(a->shm, fd, (int32_t)size);
	if (a->buffer != NULL)
		wl_buffer_destroy(a->buffer);
	a->buffer = wl_shm_pool_create_buffer(pool, 0, w, h, stride, WL_SHM_FORMAT_XRGB8888);
	wl_buffer_add_listener(a->buffer, &buffer_listener, a);
	wl_shm_pool_destroy(pool);
	close(fd);
	a->w = w;
	a->h = h;
	wl_surface_attach(a->surface, a->buffer, 0, 0);
	wl_surface_damage_buffer(a->surface, 0, 0, w, h);
	wl_surface_commit(a->surface);
	wl_display_roundtrip(a->dpy);
	if (write_ref(a, px) != 0) {
		perror("wl_paint: reference");
		exit(1);
	}
	munmap(px, size);
	printf("painted %dx%d\n", w, h);
	fflush(stdout);
}

static void
on_xdg_surface_configure(void *data, struct xdg_surface *s, uint32_t serial)
{
	struct app *a = data;

	xdg_surface_ack_configure(s, serial);
	if (a->want_w > 0 && a->want_h > 0 && (a->want_w != a->w || a->want_h != a->h))
		draw(a, a->want_w, a->want_h);
	else if (a->w == 0)
		draw(a, 320, 240);      /* no size given: any, the test will see */
}

static const struct xdg_surface_listener xdg_surface_listener = { on_xdg_surface_configure };

static void
on_toplevel_configure(void *data, struct xdg_toplevel *t, int32_t w, int32_t h,
    struct wl_array *states)
{
	struct app *a = data;

	(void)t;
	(void)states;
	a->want_w = w;
	a->want_h = h;
}

static void
on_toplevel_close(void *data, struct xdg_toplevel *t)
{
	(void)data;
	(void)t;
	exit(0);
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = on_toplevel_configure,
	.close = on_toplevel_close,
};

static void
on_ping(void *data, struct xdg_wm_base *wm, uint32_t serial)
{
	(void)data;
	xdg_wm_base_pong(wm, serial);
}

static const struct xdg_wm_base_listener wm_listener = { on_ping };

static void
on_enter(void *data, struct wl_pointer *p, uint32_t serial, struct wl_surface *s, wl_fixed_t x,
    wl_fixed_t y)
{
	struct app *a = data;

	(void)p;
	(void)serial;
	(void)s;
	a->px = wl_fixed_to_double(x);
	a->py = wl_fixed_to_double(y);
	printf("motion %.0f %.0f\n", a->px, a->py);
	fflush(stdout);
}

static void
on_leave(void *data, struct wl_pointer *p, uint32_t serial, struct wl_surface *s)
{
	(void)data;
	(void)p;
	(void)serial;
	(void)s;
}

static void
on_motion(void *data, struct wl_pointer *p, uint32_t time, wl_fixed_t x, wl_fixed_t y)
{
	struct app *a = data;

	(void)p;
	(void)time;
	a->px = wl_fixed_to_double(x);
	a->py = wl_fixed_to_double(y);
	printf("motion %.0f %.0f\n", a->px, a->py);
	fflush(stdout);
}

static void
on_button(void *data, struct wl_pointer *p, uint32_t serial, uint32_t time, uint32_t button,
    uint32_t state)
{
	struct app *a = data;

	(void)p;
	(void)serial;
	(void)time;
	printf("button 0x%x %s %.0f %.0f\n", button, state ? "pressed" : "released", a->px, a->py);
	fflush(stdout);
}

static void
on_axis(void *data, struct wl_pointer *p, uint32_t time, uint32_t axis, wl_fixed_t value)
{
	(void)data;
	(void)p;
	(void)time;
	printf("wheel %u %.1f\n", axis, wl_fixed_to_double(value));
	fflush(stdout);
}

static void
on_frame(void *data, struct wl_pointer *p)
{
	(void)data;
	(void)p;
}

static void
on_axis_source(void *data, struct wl_pointer *p, uint32_t source)
{
	(void)data;
	(void)p;
	(void)source;
}

static void
on_axis_stop(void *data, struct wl_pointer *p, uint32_t time, uint32_t axis)
{
	(void)data;
	(void)p;
	(void)time;
	(void)axis;
}

static void
on_axis_discrete(void *data, struct wl_pointer *p, uint32_t axis, int32_t discrete)
{
	(void)data;
	(void)p;
	(void)axis;
	(void)discrete;
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = on_enter,
	.leave = on_leave,
	.motion = on_motion,
	.button = on_button,
	.axis = on_axis,
	.frame = on_frame,
	.axis_source = on_axis_source,
	.axis_stop = on_axis_stop,
	.axis_discrete = on_axis_discrete,
};

static void
on_seat_caps(void *data, struct wl_seat *seat, uint32_t caps)
{
	struct app *a = data;

	/* A remote desktop's pointer comes and goes with its session: the
	 * seat loses the capability, and a new wl_pointer is needed after. */
	if ((caps & WL_SEAT_CAPABILITY_POINTER) && a->pointer == NULL) {
		a->pointer = wl_seat_get_pointer(seat);
		wl_pointer_add_listener(a->pointer, &pointer_listener, a);
	} else if (!(caps & WL_SEAT_CAPABILITY_POINTER) && a->pointer != NULL) {
		wl_pointer_release(a->pointer);
		a->pointer = NULL;
	}
}

static void
on_seat_name(void *data, struct wl_seat *seat, const char *name)
{
	(void)data;
	(void)seat;
	(void)name;
}

static const struct wl_seat_listener seat_listener = { on_seat_caps, on_seat_name };

static void
on_global(void *data, struct wl_registry *r, uint32_t name, const char *iface, uint32_t version)
{
	struct app *a = data;

	if (strcmp(iface, wl_compositor_interface.name) == 0)
		a->compositor = wl_registry_bind(r, name, &wl_compositor_interface, 4);
	else if (strcmp(iface, wl_shm_interface.name) == 0)
		a->shm = wl_registry_bind(r, name, &wl_shm_interface, 1);
	else if (strcmp(iface, xdg_wm_base_interface.name) == 0)
		a->wm = wl_registry_bind(r, name, &xdg_wm_base_interface, 1);
	else if (strcmp(iface, wl_output_interface.name) == 0 &&
	    a->outputs_seen++ == a->output_want)
		a->output = wl_registry_bind(r, name, &wl_output_interface, 1);
	else if (strcmp(iface, wl_seat_interface.name) == 0 && a->seat == NULL)
		a->seat = wl_registry_bind(r, name, &wl_seat_interface, version < 5 ? version : 5);
}

static void
on_global_remove(void *data, struct wl_registry *r, uint32_t name)
{
	(void)data;
	(void)r;
	(void)name;
}

static const struct wl_registry_listener registry_listener = { on_global, on_global_remove };

int
main(int argc, char **argv)
{
	struct app a;

	memset(&a, 0, sizeof(a));
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: wl_paint REF.ppm [OUTPUT]\n");
		return 2;
	}
	a.ref = argv[1];
	a.output_want = argc == 3 ? atoi(argv[2]) : -1;
	a.tint = a.output_want > 0 ? 0xFFFFFF : 0;
	if ((a.dpy = wl_display_connect(NULL)) == NULL) {
		fprintf(stderr, "wl_paint: no Wayland display (WAYLAND_DISPLAY)\n");
		return 1;
	}
	wl_registry_add_listener(wl_display_get_registry(a.dpy), &registry_listener, &a);
	wl_display_roundtrip(a.dpy);
	if (a.compositor == NULL || a.shm == NULL || a.wm == NULL) {
		fprintf(stderr, "wl_paint: the compositor lacks wl_compositor, wl_shm or "
		    "xdg_wm_base\n");
		return 1;
	}
	xdg_wm_base_add_listener(a.wm, &wm_listener, &a);
	if (a.seat != NULL)
		wl_seat_add_listener(a.seat, &seat_listener, &a);
	a.surface = wl_compositor_create_surface(a.compositor);
	a.xsurface = xdg_wm_base_get_xdg_surface(a.wm, a.surface);
	xdg_surface_add_listener(a.xsurface, &xdg_surface_listener, &a);
	a.toplevel = xdg_surface_get_toplevel(a.xsurface);
	xdg_toplevel_add_listener(a.toplevel, &toplevel_listener, &a);
	xdg_toplevel_set_title(a.toplevel, "wl_paint");
	if (a.output_want >= 0 && a.output == NULL) {
		fprintf(stderr, "wl_paint: no output %d (the compositor has %d)\n", a.output_want,
		    a.outputs_seen);
		return 1;
	}
	xdg_toplevel_set_fullscreen(a.toplevel, a.output);
	wl_surface_commit(a.surface);
	while (wl_display_dispatch(a.dpy) != -1)
		;
	return 0;
}
