/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_hostkbd - the host's own keyboard on a wlroots compositor, for tests:
 * a virtual keyboard with the keymap of an XKB layout (wl_hostkbd de), as a
 * physical German keyboard would have, on the same seat as the viewers'
 * input. Lines on stdin:
 *   key CODE     press and release evdev key CODE (KEY_Y is 21)
 *   sleep MS
 * Prints "ok N" after line N, once the compositor has taken it. The exit
 * code is 1 when a line could not be parsed, 2 when the keyboard could not
 * be made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "virtual-keyboard-protocol.h"

static struct wl_seat *seat;
static struct zwp_virtual_keyboard_manager_v1 *manager;

static void
global(void *data, struct wl_registry *reg, uint32_t name, const char *iface, uint32_t version)
{
	(void)data, (void)version;
	if (strcmp(iface, wl_seat_interface.name) == 0 && seat == NULL)
		seat = wl_registry_bind(reg, name, &wl_seat_interface, 1);
	else if (strcmp(iface, zwp_virtual_keyboard_manager_v1_interface.name) == 0)
		manager = wl_registry_bind(reg, name, &zwp_virtual_keyboard_manager_v1_interface,
		    1);
}

static void
global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)data, (void)reg, (void)name;
}

static const struct wl_registry_listener listener = { global, global_remove };

static uint32_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The layout's keymap as text, in a memfd; -1 on failure. */
static int
layout_keymap(const char *layout, size_t *len)
{
	struct xkb_rule_names names = { .rules = "evdev", .model = "pc105", .layout = layout };
	struct xkb_context *ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	struct xkb_keymap *km;
	char *text;
	int fd;

	if (ctx == NULL || (km = xkb_keymap_new_from_names(ctx, &names, 0)) == NULL)
		return -1;
	text = xkb_keymap_get_as_string(km, XKB_KEYMAP_FORMAT_TEXT_V1);
	xkb_keymap_unref(km);
	xkb_context_unref(ctx);
	if (text == NULL)
		return -1;
	*len = strlen(text) + 1;
	fd = memfd_create("wl_hostkbd", MFD_CLOEXEC);
	if (fd < 0 || write(fd, text, *len) != (ssize_t)*len) {
		free(text);
		return -1;
	}
	free(text);
	return fd;
}

int
main(int argc, char **argv)
{
	struct zwp_virtual_keyboard_v1 *kbd;
	struct wl_registry *reg;
	struct wl_display *dpy;
	char buf[256];
	unsigned lineno = 0, code;
	long ms;
	size_t len;
	int fd, failed = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: wl_hostkbd LAYOUT\n");
		return 2;
	}
	if ((dpy = wl_display_connect(NULL)) == NULL) {
		fprintf(stderr, "wl_hostkbd: no Wayland display\n");
		return 2;
	}
	reg = wl_display_get_registry(dpy);
	wl_registry_add_listener(reg, &listener, NULL);
	wl_display_roundtrip(dpy);
	if (seat == NULL || manager == NULL) {
		fprintf(stderr, "wl_hostkbd: no seat or no virtual keyboard\n");
		return 2;
	}
	if ((fd = layout_keymap(argv[1], &len)) < 0) {
		fprintf(stderr, "wl_hostkbd: no keymap for layout %s\n", argv[1]);
		return 2;
	}
	kbd = zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(manager, seat);
	zwp_virtual_keyboard_v1_keymap(kbd, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, fd, (uint32_t)len);
	close(fd);
	if (wl_display_roundtrip(dpy) < 0) {
		fprintf(stderr, "wl_hostkbd: the compositor refused the keyboard\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(buf, sizeof(buf), stdin) != NULL) {
		lineno++;
		if (sscanf(buf, "key %u", &code) == 1 && code < 256) {
			zwp_virtual_keyboard_v1_key(kbd, now_ms(), code,
			    WL_KEYBOARD_KEY_STATE_PRESSED);
			zwp_virtual_keyboard_v1_key(kbd, now_ms(), code,
			    WL_KEYBOARD_KEY_STATE_RELEASED);
		} else if (sscanf(buf, "sleep %ld", &ms) == 1 && ms >= 0 && ms < 60000) {
			usleep((useconds_t)ms * 1000);
		} else {
			fprintf(stderr, "wl_hostkbd: line %u: cannot parse: %s", lineno, buf);
			failed = 1;
			continue;
		}
		if (wl_display_roundtrip(dpy) < 0) {
			fprintf(stderr, "wl_hostkbd: the connection failed: %s\n", strerror(errno));
			return 2;
		}
		printf("ok %u\n", lineno);
	}
	zwp_virtual_keyboard_v1_destroy(kbd);
	wl_display_roundtrip(dpy);
	wl_seat_destroy(seat);
	zwp_virtual_keyboard_manager_v1_destroy(manager);
	wl_registry_destroy(reg);
	wl_display_disconnect(dpy);
	return failed;
}
