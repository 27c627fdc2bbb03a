/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip_wlr.c - the host's clipboard on wlroots compositors (sway and
 * others) through their clipboard access for unfocused clients
 * (zwlr_data_control_manager_v1; our own description in
 * master/protocols/data-control.xml), as UTF-8 text like clip_x11.c.
 *
 * A new selection from another client is read at once through a pipe
 * (text types only, at most MSG_CLIPBOARD_MAX bytes, at most
 * CLIP_IO_MS: clip_text.c); a viewer's text becomes a source of ours that answers
 * the compositor's send requests. A selection event while our source is
 * still the clipboard is our own text coming back: the compositor cancels
 * our source first when another client takes the clipboard.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wayland-client.h>

#include "clip.h"
#include "clip_text.h"
#include "clock.h"
#include "data-control-protocol.h"
#include "limits.h"
#include "log.h"

/* An offer being described, and what it was found to hold. */
struct offer {
	struct wlr_clip *c;
	unsigned rank;          /* its best text type (clip_text.h), 0: no text */
};

struct wlr_clip {
	struct clip base;               /* first: clip.c sees only this */
	struct wl_display *dpy;
	struct wl_registry *reg;
	struct wl_seat *seat;
	struct zwlr_data_control_manager_v1 *mgr;
	struct zwlr_data_control_device_v1 *dev;
	struct zwlr_data_control_offer_v1 *selection;   /* the clipboard's, or NULL */
	bool selection_new;                             /* not read yet */
	struct zwlr_data_control_source_v1 *source;     /* ours while it is the clipboard */
	char *ours;                                     /* what it serves */
	size_t ours_len;
	char *got;                                      /* the last text read */
	size_t got_len;
	bool dead;
};

/* ---- offers from other clients ---- */

static void
offer_type(void *data, struct zwlr_data_control_offer_v1 *o, const char *type)
{
	struct offer *of = data;

	unsigned rank = clip_text_rank(type);

	(void)o;
	if (rank > of->rank)
		of->rank = rank;
}

static const struct zwlr_data_control_offer_v1_listener offer_listener = {
	.offer = offer_type,
};

static void
offer_free(struct zwlr_data_control_offer_v1 *o)
{
	if (o == NULL)
		return;
	free(zwlr_data_control_offer_v1_get_user_data(o));
	zwlr_data_control_offer_v1_destroy(o);
}

static void
dev_data_offer(void *data, struct zwlr_data_control_device_v1 *dev,
    struct zwlr_data_control_offer_v1 *o)
{
	struct offer *of = calloc(1, sizeof(*of));

	(void)dev;
	if (of == NULL) {
		zwlr_data_control_offer_v1_destroy(o);
		return;
	}
	of->c = data;
	zwlr_data_control_offer_v1_add_listener(o, &offer_listener, of);
}

static void
dev_selection(void *data, struct zwlr_data_control_device_v1 *dev,
    struct zwlr_data_control_offer_v1 *o)
{
	struct wlr_clip *c = data;

	(void)dev;
	offer_free(c->selection);
	c->selection = o;
	/* Ours still: the viewer's own text coming back, not the host's. */
	c->selection_new = o != NULL && c->source == NULL;
}

static void
dev_finished(void *data, struct zwlr_data_control_device_v1 *dev)
{
	struct wlr_clip *c = data;

	zwlr_data_control_device_v1_destroy(dev);
	c->dev = NULL;
	log_warn("clipboard: the compositor ended our clipboard access: sharing is off");
}

static const struct zwlr_data_control_device_v1_listener device_listener = {
	.data_offer = dev_data_offer,
	.selection = dev_selection,
	.finished = dev_finished,
};

/* ---- our own source ---- */

static void
src_send(void *data, struct zwlr_data_control_source_v1 *src, const char *type, int fd)
{
	struct wlr_clip *c = data;

	(void)type;             /* every type we offer is the same UTF-8 text */
	if (src == c->source)
		(void)clip_text_write(fd, c->ours, c->ours_len, mono_ms() + CLIP_IO_MS);
	close(fd);
}

static void
src_cancelled(void *data, struct zwlr_data_control_source_v1 *src)
{
	struct wlr_clip *c = data;

	if (src == c->source) {
		c->source = NULL;
		free(c->ours);
		c->ours = NULL;
		c->ours_len = 0;
	}
	zwlr_data_control_source_v1_destroy(src);
}

static const struct zwlr_data_control_source_v1_listener source_listener = {
	.send = src_send,
	.cancelled = src_cancelled,
};

/* ---- the connection ---- */

static void
reg_global(void *data, struct wl_registry *reg, uint32_t name, const char *iface, uint32_t version)
{
	struct wlr_clip *c = data;

	(void)version;
	if (strcmp(iface, wl_seat_interface.name) == 0 && c->seat == NULL)
		c->seat = wl_registry_bind(reg, name, &wl_seat_interface, 1);
	else if (strcmp(iface, zwlr_data_control_manager_v1_interface.name) == 0 && c->mgr == NULL)
		c->mgr = wl_registry_bind(reg, name, &zwlr_data_control_manager_v1_interface, 1);
}

static void
reg_global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	(void)data, (void)reg, (void)name;
}

static const struct wl_registry_listener registry_listener = {
	.global = reg_global,
	.global_remove = reg_global_remove,
};

static void
wlr_clip_close(struct clip *base)
{
	struct wlr_clip *c = (struct wlr_clip *)base;

	offer_free(c->selection);
	if (c->source != NULL)
		zwlr_data_control_source_v1_destroy(c->source);
	if (c->dev != NULL)
		zwlr_data_control_device_v1_destroy(c->dev);
	if (c->mgr != NULL)
		zwlr_data_control_manager_v1_destroy(c->mgr);
	if (c->seat != NULL)
		wl_seat_destroy(c->seat);
	if (c->reg != NULL)
		wl_registry_destroy(c->reg);
	if (c->dpy != NULL)
		wl_display_disconnect(c->dpy);
	free(c->ours);
	free(c->got);
	free(c);
}

static struct clip *
wlr_clip_open(const char *display, char *why, size_t why_len)
{
	struct wlr_clip *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	if ((c->dpy = wl_display_connect(display)) == NULL) {
		snprintf(why, why_len, "cannot connect to the Wayland display %s",
		    display != NULL ? display : getenv("WAYLAND_DISPLAY") != NULL ?
		    getenv("WAYLAND_DISPLAY") : "(WAYLAND_DISPLAY is not set)");
		wlr_clip_close(&c->base);
		return NULL;
	}
	c->reg = wl_display_get_registry(c->dpy);
	wl_registry_add_listener(c->reg, &registry_listener, c);
	if (wl_display_roundtrip(c->dpy) < 0 || c->seat == NULL || c->mgr == NULL) {
		snprintf(why, why_len, "this compositor offers no clipboard access for the host "
		    "(zwlr_data_control_manager_v1): the clipboard is not shared");
		wlr_clip_close(&c->base);
		return NULL;
	}
	c->dev = zwlr_data_control_manager_v1_get_data_device(c->mgr, c->seat);
	zwlr_data_control_device_v1_add_listener(c->dev, &device_listener, c);
	/* The clipboard as it is now arrives as a first selection: not new. */
	if (wl_display_roundtrip(c->dpy) < 0) {
		snprintf(why, why_len, "the Wayland display closed the connection");
		wlr_clip_close(&c->base);
		return NULL;
	}
	c->selection_new = false;
	return &c->base;
}

static int
wlr_clip_fd(const struct clip *base)
{
	return wl_display_get_fd(((const struct wlr_clip *)base)->dpy);
}

/* Read what arrived and send what waits, without blocking. */
static int
pump(struct wlr_clip *c)
{
	if (c->dead)
		return ERR_CLOSED;
	while (wl_display_prepare_read(c->dpy) != 0)
		if (wl_display_dispatch_pending(c->dpy) < 0)
			goto dead;
	if (wl_display_flush(c->dpy) < 0 && errno != EAGAIN) {
		wl_display_cancel_read(c->dpy);
		goto dead;
	}
	{
		struct pollfd pf = { .fd = wl_display_get_fd(c->dpy), .events = POLLIN };

		if (poll(&pf, 1, 0) > 0) {
			if (wl_display_read_events(c->dpy) < 0)
				goto dead;
		} else {
			wl_display_cancel_read(c->dpy);
		}
	}
	if (wl_display_dispatch_pending(c->dpy) < 0)
		goto dead;
	/* What the events asked for goes out now, not at the next wakeup. */
	if (wl_display_flush(c->dpy) < 0 && errno != EAGAIN)
		goto dead;
	return 0;
dead:
	c->dead = true;
	log_warn("clipboard: the Wayland display closed the connection");
	return ERR_CLOSED;
}

/* The selection's text, read through a pipe: 0 with c->got, else -1. */
static int
receive(struct wlr_clip *c, unsigned rank)
{
	char *text;
	size_t len;
	int p[2], r;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	zwlr_data_control_offer_v1_receive(c->selection, clip_text_types[rank], p[1]);
	close(p[1]);
	r = wl_display_flush(c->dpy) < 0 ? -1 : clip_text_read(p[0], &text, &len);
	close(p[0]);
	if (r != 0)
		return -1;
	free(c->got);
	c->got = text;
	c->got_len = len;
	return 0;
}

static int
wlr_clip_poll(struct clip *base, const char **text, size_t *len)
{
	struct wlr_clip *c = (struct wlr_clip *)base;
	struct offer *of;
	int r;

	if ((r = pump(c)) != 0)
		return r;
	if (!c->selection_new)
		return 0;
	c->selection_new = false;
	of = zwlr_data_control_offer_v1_get_user_data(c->selection);
	if (of == NULL || of->rank == 0) {
		log_debug("clipboard: the host copied something that is not text");
		return 0;
	}
	if (receive(c, of->rank) != 0)
		return 0;
	*text = c->got;
	*len = c->got_len;
	return 1;
}

static int
wlr_clip_set(struct clip *base, const char *text, size_t len)
{
	struct wlr_clip *c = (struct wlr_clip *)base;
	struct zwlr_data_control_source_v1 *src;
	char *copy;

	if (c->dead || c->dev == NULL)
		return ERR_CLOSED;
	if ((copy = malloc(len + 1)) == NULL)
		return ERR_NOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	src = zwlr_data_control_manager_v1_create_data_source(c->mgr);
	zwlr_data_control_source_v1_add_listener(src, &source_listener, c);
	for (unsigned i = 1; i < CLIP_TEXT_TYPES; i++)
		zwlr_data_control_source_v1_offer(src, clip_text_types[i]);
	/* The old source is cancelled by the compositor; it is no longer
	 * what we serve from now on. */
	c->source = src;
	free(c->ours);
	c->ours = copy;
	c->ours_len = len;
	zwlr_data_control_device_v1_set_selection(c->dev, src);
	return pump(c);
}

const struct clip_ops clip_wlr_ops = {
	.name = "wlr",
	.open = wlr_clip_open,
	.close = wlr_clip_close,
	.fd = wlr_clip_fd,
	.poll = wlr_clip_poll,
	.set = wlr_clip_set,
};

/* The desktop portal (xdg-desktop-portal 1.16) has no clipboard. On a
 * wlroots compositor shared through the portal, data control works beside
 * it; elsewhere open() says why there is none. */
const struct clip_ops clip_portal_ops = {
	.name = "portal",
	.open = wlr_clip_open,
	.close = wlr_clip_close,
	.fd = wlr_clip_fd,
	.poll = wlr_clip_poll,
	.set = wlr_clip_set,
};
