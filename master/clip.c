/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip.c - the table of clipboard back-ends, one per capture source that
 * has a clipboard, and the calls that go through it.
 */
#include <stdio.h>
#include <string.h>

#include "clip.h"

static const struct clip_ops *const backends[] = {
	&clip_x11_ops,
	&clip_wlr_ops,
	&clip_portal_ops,
	&clip_mutter_ops,
};

const struct clip_ops *
clip_find(const char *source)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i]->name, source) == 0)
			return backends[i];
	return NULL;
}

struct clip *
clip_open(const char *source, const char *display, char *why, size_t why_len)
{
	const struct clip_ops *ops = clip_find(source);
	struct clip *c;

	if (ops == NULL) {
		snprintf(why, why_len, "the %s source has no clipboard", source);
		return NULL;
	}
	if ((c = ops->open(display, why, why_len)) != NULL)
		c->ops = ops;
	return c;
}

void
clip_close(struct clip *c)
{
	if (c != NULL)
		c->ops->close(c);
}

int
clip_fd(const struct clip *c)
{
	return c->ops->fd(c);
}

int
clip_poll(struct clip *c, const char **text, size_t *len)
{
	return c->ops->poll(c, text, len);
}

int
clip_set(struct clip *c, const char *text, size_t len)
{
	return c->ops->set(c, text, len);
}
