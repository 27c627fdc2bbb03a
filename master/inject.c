/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inject.c - the table of input back-ends, one per capture source that
 * takes input, and the calls that go through it.
 */
#include <stdio.h>
#include <string.h>

#include "inject.h"

static const struct inject_ops *const backends[] = {
	&inject_x11_ops,
	/* wlroots compositors (sway): their own virtual keyboard and
	 * pointer. The portal's back-end falls back to it where the portal
	 * has no RemoteDesktop. */
	&inject_wlr_ops,
	&inject_mutter_ops,
	&inject_portal_ops,
};

const struct inject_ops *
inject_find(const char *source)
{
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++)
		if (strcmp(backends[i]->name, source) == 0)
			return backends[i];
	return NULL;
}

struct inject *
inject_open(const char *source, const char *display, char *why, size_t why_len)
{
	const struct inject_ops *ops = inject_find(source);
	struct inject *in;

	if (ops == NULL) {
		snprintf(why, why_len, "the %s source takes no input", source);
		return NULL;
	}
	/* A back-end that handed over to another set its ops already. */
	if ((in = ops->open(display, why, why_len)) != NULL && in->ops == NULL)
		in->ops = ops;
	return in;
}

void
inject_close(struct inject *in)
{
	if (in != NULL)
		in->ops->close(in);
}

int
inject_event(struct inject *in, unsigned slot, const struct msg_input *ev, int ox, int oy,
    unsigned w, unsigned h)
{
	return in->ops->event(in, slot, ev, ox, oy, w, h);
}

void
inject_release(struct inject *in, unsigned slot)
{
	in->ops->release(in, slot);
}
