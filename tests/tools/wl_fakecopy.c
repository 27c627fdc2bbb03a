/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_fakecopy - a Wayland compositor that is nothing but a hostile screen
 * copy, for tests of master/capture_wlr.c: one output, wl_shm and
 * zwlr_screencopy_manager_v1 version 3, whose every frame offers the
 * shared-memory buffer given on the command line, however absurd:
 *
 *   wl_fakecopy MODE FORMAT WIDTH HEIGHT STRIDE
 *
 * MODE "copy": a copy fills the buffer with grey 0x404040 and says damage
 * that is partly or wholly outside it (and some inside), then ready;
 * "fail": every copy fails; "early": ready comes before any copy was
 * asked for; "none": no screen copy global at all.
 * Prints "socket NAME" once clients may connect (in $XDG_RUNTIME_DIR);
 * runs until killed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wayland-server.h>

#include "screencopy-server-protocol.h"

static const char *mode;
static uint32_t offer_format, offer_w, offer_h, offer_stride;

static void
frame_copy(struct wl_client *client, struct wl_resource *res, struct wl_resource *buffer)
{
	struct wl_shm_buffer *shm = wl_shm_buffer_get(buffer);

	(void)client;
	if (strcmp(mode, "fail") == 0 || shm == NULL) {
		zwlr_screencopy_frame_v1_send_failed(res);
		return;
	}
	wl_shm_buffer_begin_access(shm);
	memset(wl_shm_buffer_get_data(shm), 0x40,
	    (size_t)wl_shm_buffer_get_stride(shm) * (size_t)wl_shm_buffer_get_height(shm));
	wl_shm_buffer_end_access(shm);
	zwlr_screencopy_frame_v1_send_flags(res, 0);
	if (wl_resource_get_version(res) >= 2) {
		zwlr_screencopy_frame_v1_send_damage(res, 0, 0, offer_w, offer_h);
		zwlr_screencopy_frame_v1_send_damage(res, 0xFFFFFFF0u, 5, 0xFFFFFFFFu, 0xFFFFFFFFu);
		zwlr_screencopy_frame_v1_send_damage(res, 5, 0xFFFFFFFFu, 1, 1);
		zwlr_screencopy_frame_v1_send_damage(res, offer_w - 1, offer_h - 1, 0xFFFFFFFFu,
		    0xFFFFFFFFu);
		zwlr_screencopy_frame_v1_send_damage(res, 3, 3, 0, 0);
	}
	zwlr_screencopy_frame_v1_send_ready(res, 0, 0, 0);
}

static void
frame_destroy(struct wl_client *client, struct wl_resource *res)
{
	(void)client;
	wl_resource_destroy(res);
}

static const struct zwlr_screencopy_frame_v1_interface frame_impl = {
	.copy = frame_copy,
	.destroy = frame_destroy,
	.copy_with_damage = frame_copy,
};

static void
capture(struct wl_client *client, struct wl_resource *mgr, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &zwlr_screencopy_frame_v1_interface,
	    wl_resource_get_version(mgr), id);

	if (res == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &frame_impl, NULL, NULL);
	zwlr_screencopy_frame_v1_send_buffer(res, offer_format, offer_w, offer_h, offer_stride);
	if (strcmp(mode, "early") == 0)
		zwlr_screencopy_frame_v1_send_ready(res, 0, 0, 0);
	if (wl_resource_get_version(res) >= 3)
		zwlr_screencopy_frame_v1_send_buffer_done(res);
}

static void
capture_output(struct wl_client *client, struct wl_resource *mgr, uint32_t id, int32_t cursor,
    struct wl_resource *output)
{
	(void)cursor, (void)output;
	capture(client, mgr, id);
}

static void
capture_output_region(struct wl_client *client, struct wl_resource *mgr, uint32_t id,
    int32_t cursor, struct wl_resource *output, int32_t x, int32_t y, int32_t w, int32_t h)
{
	(void)cursor, (void)output, (void)x, (void)y, (void)w, (void)h;
	capture(client, mgr, id);
}

static void
manager_destroy(struct wl_client *client, struct wl_resource *res)
{
	(void)client;
	wl_resource_destroy(res);
}

static const struct zwlr_screencopy_manager_v1_interface manager_impl = {
	.capture_output = capture_output,
	.capture_output_region = capture_output_region,
	.destroy = manager_destroy,
};

static void
bind_manager(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &zwlr_screencopy_manager_v1_interface,
	    (int)version, id);

	(void)data;
	if (res == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &manager_impl, NULL, NULL);
}

static void
output_release(struct wl_client *client, struct wl_resource *res)
{
	(void)client;
	wl_resource_destroy(res);
}

static const struct wl_output_interface output_impl = { .release = output_release };

static void
bind_output(struct wl_client *client, void *data, uint32_t version, uint32_t id)
{
	struct wl_resource *res = wl_resource_create(client, &wl_output_interface, (int)version,
	    id);

	(void)data;
	if (res == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(res, &output_impl, NULL, NULL);
	wl_output_send_geometry(res, 0, 0, 300, 200, WL_OUTPUT_SUBPIXEL_UNKNOWN, "fake", "fake",
	    WL_OUTPUT_TRANSFORM_NORMAL);
	wl_output_send_mode(res, WL_OUTPUT_MODE_CURRENT, 640, 480, 60000);
	if (version >= 2)
		wl_output_send_done(res);
}

int
main(int argc, char **argv)
{
	struct wl_display *dpy;
	const char *sock;

	if (argc != 6) {
		fprintf(stderr, "usage: wl_fakecopy copy|fail|early|none FORMAT WIDTH HEIGHT "
		    "STRIDE\n");
		return 2;
	}
	mode = argv[1];
	offer_format = (uint32_t)strtoul(argv[2], NULL, 0);
	offer_w = (uint32_t)strtoul(argv[3], NULL, 0);
	offer_h = (uint32_t)strtoul(argv[4], NULL, 0);
	offer_stride = (uint32_t)strtoul(argv[5], NULL, 0);
	if ((dpy = wl_display_create()) == NULL ||
	    (sock = wl_display_add_socket_auto(dpy)) == NULL) {
		fprintf(stderr, "wl_fakecopy: cannot make a socket (is XDG_RUNTIME_DIR set?)\n");
		return 2;
	}
	if (wl_display_init_shm(dpy) != 0 ||
	    wl_global_create(dpy, &wl_output_interface, 3, NULL, bind_output) == NULL ||
	    (strcmp(mode, "none") != 0 && wl_global_create(dpy,
	    &zwlr_screencopy_manager_v1_interface, 3, NULL, bind_manager) == NULL)) {
		fprintf(stderr, "wl_fakecopy: cannot make the globals\n");
		return 2;
	}
	printf("socket %s\n", sock);
	fflush(stdout);
	wl_display_run(dpy);
	wl_display_destroy(dpy);
	return 0;
}
