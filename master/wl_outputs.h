/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_outputs.h - the outputs of a Wayland compositor and the box of their
 * layout (wl_outputs.c): where each one sits and how large it is in the
 * layout's logical coordinates (xdg-output where the compositor has it,
 * else the core wl_output's position and current mode over its scale).
 * A client that binds the registry passes the globals on; what it binds
 * of its own it keeps.
 */
#ifndef MASTER_WL_OUTPUTS_H
#define MASTER_WL_OUTPUTS_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

struct wl_registry;
struct wl_output;
struct zxdg_output_v1;
struct zxdg_output_manager_v1;

struct wl_output_seen {
	uint32_t name;                          /* the registry's */
	struct wl_output *wl;
	struct zxdg_output_v1 *xdg;
	int32_t x, y, w, h;                     /* logical, from xdg-output */
	int32_t gx, gy, mw, mh, scale, transform; /* core wl_output's, the fallback */
	bool logical;
};

/* Zeroed before use. */
struct wl_outputs {
	struct zxdg_output_manager_v1 *xdg_mgr;
	struct wl_output_seen o[WL_OUTPUTS_MAX];
	unsigned n;
};

/* A registry global: true when it was an output or the xdg-output manager
 * (bound here), false when it is the caller's to look at. */
bool wl_outputs_global(struct wl_outputs *os, struct wl_registry *reg, uint32_t name,
    const char *iface, uint32_t version);
/* A global went away: an output of ours is forgotten. */
void wl_outputs_global_remove(struct wl_outputs *os, uint32_t name);
/* The layout's bounding box [x0, x1) x [y0, y1); false while no output is known. */
bool wl_outputs_box(const struct wl_outputs *os, int64_t *x0, int64_t *y0, int64_t *x1,
    int64_t *y1);
/* Destroy what was bound (before the display is disconnected). */
void wl_outputs_free(struct wl_outputs *os);

#endif
