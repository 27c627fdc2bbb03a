/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture.c - the table of capture back-ends and the calls that go
 * through it. Adding a back-end: one file with its capture_ops, one line
 * in backends[].
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture.h"
#include "err.h"
#include "i18n.h"

static const struct capture_ops *const backends[] = {
	&capture_x11_ops,
	&capture_pattern_ops,
	&capture_mutter_ops,
	&capture_wlr_ops,
	&capture_portal_ops,
};

enum { BACKENDS_COUNT = sizeof(backends) / sizeof(backends[0]) };

const struct capture_ops *
capture_find(const char *name)
{
	for (unsigned i = 0; i < BACKENDS_COUNT; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

/* A desktop name in XDG_CURRENT_DESKTOP's colon-separated list. */
static bool
desktop_is(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncasecmp(p, name, n) == 0 && (p[n] == ':' || p[n] == '\0'))
			return true;
		if ((p = strchr(p, ':')) != NULL)
			p++;
	}
	return false;
}

const char *
capture_default(void)
{
	const char *type = getenv("XDG_SESSION_TYPE"), *wl = getenv("WAYLAND_DISPLAY");
	const char *desk = getenv("XDG_CURRENT_DESKTOP"), *sway = getenv("SWAYSOCK");
	bool wayland = type != NULL && *type != '\0' ? strcmp(type, "wayland") == 0 :
	    wl != NULL && *wl != '\0';

	if (!wayland)
		return "x11";
	if (desktop_is(desk, "GNOME"))
		return "mutter";
	if ((sway != NULL && *sway != '\0') || desktop_is(desk, "sway") ||
	    desktop_is(desk, "wlroots") || desktop_is(desk, "Hyprland") ||
	    desktop_is(desk, "river") || desktop_is(desk, "labwc") || desktop_is(desk, "Wayfire"))
		return "wlr";
	/* KDE Plasma and the rest: the desktop portal is the way in (its
	 * open says clearly when there is none). */
	return "portal";
}

const char *
capture_names(void)
{
	static char names[64];

	if (names[0] == '\0')
		for (unsigned i = 0; i < BACKENDS_COUNT; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			    i > 0 ? "|" : "", backends[i]->name);
	return names;
}

struct capture *
capture_open(const char *name, const struct capture_opts *o, char *why, size_t why_len)
{
	const struct capture_ops *ops = capture_find(name);
	struct capture *c;

	if (ops == NULL) {
		snprintf(why, why_len, _("no screen source called '%s' (%s)"), name,
		    capture_names());
		return NULL;
	}
	if ((c = ops->open(o, why, why_len)) != NULL)
		c->ops = ops;
	return c;
}

void
capture_close(struct capture *c)
{
	if (c != NULL)
		c->ops->close(c);
}

int
capture_fd(const struct capture *c)
{
	return c->ops->fd(c);
}

bool
capture_queued(const struct capture *c)
{
	return c->ops->queued(c);
}

int
capture_poll(struct capture *c, bool *screen_dirty, bool *cursor_dirty)
{
	return c->ops->poll(c, screen_dirty, cursor_dirty);
}

int
capture_grab(struct capture *c, struct image *img, uint8_t *hint, char *why, size_t why_len)
{
	return c->ops->grab(c, img, hint, why, why_len);
}

unsigned
capture_moves(const struct capture *c, struct codec_move *moves)
{
	return c->ops->moves(c, moves);
}

bool
capture_changes_every_frame(const struct capture *c)
{
	return c->ops->changes_every_frame;
}

bool
capture_has_pointer(const struct capture *c)
{
	return c->ops->cursor != NULL;
}

int
capture_cursor(struct capture *c, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur)
{
	if (c->ops->cursor == NULL)
		return ERR_UNSUPPORTED;
	return c->ops->cursor(c, x, y, shape_changed, cur);
}

void
capture_origin(const struct capture *c, int *x, int *y)
{
	c->ops->origin(c, x, y);
}

const char *
capture_method(const struct capture *c)
{
	return c->ops->method(c);
}

const char *
capture_note(const struct capture *c)
{
	return c->ops->note != NULL ? c->ops->note(c) : NULL;
}
