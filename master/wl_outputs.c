/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_outputs.c - the outputs of a Wayland compositor (wl_outputs.h).
 */
#include <string.h>

#include <wayland-client.h>

#include "wl_outputs.h"
#include "xdg-output-protocol.h"

static struct wl_output_seen *
output_of(struct wl_outputs *os, const void *wl, bool xdg)
{
	for (unsigned i = 0; i < os->n; i++)
		if ((xdg && (const void *)os->o[i].xdg == wl) ||
		    (!xdg && (const void *)os->o[i].wl == wl))
			return &os->o[i];
	return NULL;
}

static void
out_geometry(void *data, struct wl_output *wl, int32_t x, int32_t y, int32_t pw, int32_t ph,
    int32_t subpixel, const char *make, const char *model, int32_t transform)
{
	struct wl_output_seen *o = output_of(data, wl, false);

	(void)pw, (void)ph, (void)subpixel, (void)make, (void)model;
	if (o != NULL) {
		o->gx = x;
		o->gy = y;
		o->transform = transform;
	}
}

static void
out_mode(void *data, struct wl_output *wl, uint32_t flags, int32_t w, int32_t h, int32_t refresh)
{
	struct wl_output_seen *o = output_of(data, wl, false);

	(void)refresh;
	if (o != NULL && (flags & WL_OUTPUT_MODE_CURRENT)) {
		o->mw = w;
		o->mh = h;
	}
}

static void
out_done(void *data, struct wl_output *wl)
{
	(void)data, (void)wl;
}

static void
out_scale(void *data, struct wl_output *wl, int32_t factor)
{
	struct wl_output_seen *o = output_of(data, wl, false);

	if (o != NULL && factor > 0)
		o->scale = factor;
}

static const struct wl_output_listener output_listener = {
	.geometry = out_geometry,
	.mode = out_mode,
	.done = out_done,
	.scale = out_scale,
};

static void
xdg_position(void *data, struct zxdg_output_v1 *xdg, int32_t x, int32_t y)
{
	struct wl_output_seen *o = output_of(data, xdg, true);

	if (o != NULL) {
		o->x = x;
		o->y = y;
	}
}

static void
xdg_size(void *data, struct zxdg_output_v1 *xdg, int32_t w, int32_t h)
{
	struct wl_output_seen *o = output_of(data, xdg, true);

	if (o != NULL) {
		o->w = w;
		o->h = h;
		o->logical = w > 0 && h > 0;
	}
}

static void
xdg_done(void *data, struct zxdg_output_v1 *xdg)
{
	(void)data, (void)xdg;
}

static void
xdg_text(void *data, struct zxdg_output_v1 *xdg, const char *s)
{
	(void)data, (void)xdg, (void)s;
}

static const struct zxdg_output_v1_listener xdg_output_listener = {
	.logical_position = xdg_position,
	.logical_size = xdg_size,
	.done = xdg_done,
	.name = xdg_text,
	.description = xdg_text,
};

static void
output_watch_logical(struct wl_outputs *os, struct wl_output_seen *o)
{
	if (os->xdg_mgr == NULL || o->xdg != NULL)
		return;
	o->xdg = zxdg_output_manager_v1_get_xdg_output(os->xdg_mgr, o->wl);
	zxdg_output_v1_add_listener(o->xdg, &xdg_output_listener, os);
}

/* The box of an output in the layout: xdg-output's, else the mode over the scale. */
static bool
output_box(const struct wl_output_seen *o, int32_t *x, int32_t *y, int32_t *w, int32_t *h)
{
	int32_t s = o->scale > 0 ? o->scale : 1;

	if (o->logical) {
		*x = o->x, *y = o->y, *w = o->w, *h = o->h;
		return true;
	}
	if (o->mw <= 0 || o->mh <= 0)
		return false;
	*x = o->gx, *y = o->gy;
	/* 90 and 270 degrees (and their flipped forms) turn the mode. */
	if (o->transform & 1)
		*w = o->mh / s, *h = o->mw / s;
	else
		*w = o->mw / s, *h = o->mh / s;
	return true;
}

bool
wl_outputs_box(const struct wl_outputs *os, int64_t *x0, int64_t *y0, int64_t *x1, int64_t *y1)
{
	bool any = false;

	for (unsigned i = 0; i < os->n; i++) {
		int32_t x, y, w, h;

		if (!output_box(&os->o[i], &x, &y, &w, &h) || w <= 0 || h <= 0)
			continue;
		if (!any || x < *x0)
			*x0 = x;
		if (!any || y < *y0)
			*y0 = y;
		if (!any || (int64_t)x + w > *x1)
			*x1 = (int64_t)x + w;
		if (!any || (int64_t)y + h > *y1)
			*y1 = (int64_t)y + h;
		any = true;
	}
	return any;
}

bool
wl_outputs_global(struct wl_outputs *os, struct wl_registry *reg, uint32_t name,
    const char *iface, uint32_t version)
{
	if (strcmp(iface, zxdg_output_manager_v1_interface.name) == 0 && os->xdg_mgr == NULL) {
		os->xdg_mgr = wl_registry_bind(reg, name, &zxdg_output_manager_v1_interface,
		    version < 2 ? version : 2);
		for (unsigned i = 0; i < os->n; i++)
			output_watch_logical(os, &os->o[i]);
		return true;
	}
	if (strcmp(iface, wl_output_interface.name) == 0 && os->n < WL_OUTPUTS_MAX) {
		struct wl_output_seen *o = &os->o[os->n++];

		*o = (struct wl_output_seen){ .name = name, .scale = 1 };
		o->wl = wl_registry_bind(reg, name, &wl_output_interface,
		    version < 2 ? version : 2);
		wl_output_add_listener(o->wl, &output_listener, os);
		output_watch_logical(os, o);
		return true;
	}
	return false;
}

void
wl_outputs_global_remove(struct wl_outputs *os, uint32_t name)
{
	for (unsigned i = 0; i < os->n; i++) {
		struct wl_output_seen *o = &os->o[i];

		if (o->name != name)
			continue;
		if (o->xdg != NULL)
			zxdg_output_v1_destroy(o->xdg);
		wl_output_destroy(o->wl);
		*o = os->o[--os->n];
		return;
	}
}

void
wl_outputs_free(struct wl_outputs *os)
{
	for (unsigned i = 0; i < os->n; i++) {
		if (os->o[i].xdg != NULL)
			zxdg_output_v1_destroy(os->o[i].xdg);
		wl_output_destroy(os->o[i].wl);
	}
	os->n = 0;
	if (os->xdg_mgr != NULL)
		zxdg_output_manager_v1_destroy(os->xdg_mgr);
	os->xdg_mgr = NULL;
}
