/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture.c - the table of capture back-ends and the calls that go
 * through it. Adding a back-end: one file with its capture_ops, one line
 * in backends[].
 */
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "err.h"
#include "i18n.h"

static const struct capture_ops *const backends[] = {
	&capture_x11_ops,
	&capture_pattern_ops,
	&capture_wlr_ops,
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
