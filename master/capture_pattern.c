/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture_pattern.c - the "test-pattern" capture back-end: pattern.c's
 * moving picture, a new frame with every grab. It changes every frame, so
 * every poll says the screen is dirty; it has no pointer and nothing to
 * poll(2).
 */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "err.h"
#include "i18n.h"
#include "pattern.h"

struct pattern {
	struct capture base;            /* first: capture.c sees only this */
	uint16_t w, h;
	uint32_t frame_no;              /* the next frame to draw */
};

static struct capture *
pattern_open(const struct capture_opts *o, char *why, size_t why_len)
{
	struct pattern *p;

	if (o->width == 0 || o->height == 0 || o->width > MSG_DIM_MAX ||
	    o->height > MSG_DIM_MAX) {
		snprintf(why, why_len, _("the test pattern needs a size up to %dx%d"),
		    MSG_DIM_MAX, MSG_DIM_MAX);
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	p->w = o->width;
	p->h = o->height;
	return &p->base;
}

static void
pattern_close(struct capture *c)
{
	free(c);
}

static int
pattern_fd(const struct capture *c)
{
	(void)c;
	return -1;
}

static bool
pattern_queued(const struct capture *c)
{
	(void)c;
	return false;
}

static int
pattern_poll(struct capture *c, bool *screen_dirty, bool *cursor_dirty)
{
	(void)c;
	*screen_dirty = true;
	*cursor_dirty = false;
	return 0;
}

static int
pattern_grab(struct capture *c, struct image *img, uint8_t *hint, char *why, size_t why_len)
{
	struct pattern *p = (struct pattern *)c;

	if (img->px == NULL || img->w != p->w || img->h != p->h) {
		image_free(img);
		if (image_init(img, p->w, p->h) != 0) {
			snprintf(why, why_len, "out of memory");
			return ERR_SYSTEM;
		}
	}
	pattern_draw(img, p->frame_no++);
	memset(hint, 1, MSG_TILES_MAX);
	return 0;
}

static unsigned
pattern_moves(const struct capture *c, struct codec_move *moves)
{
	(void)c;
	(void)moves;
	return 0;
}

static void
pattern_origin(const struct capture *c, int *x, int *y)
{
	(void)c;
	*x = *y = 0;
}

static const char *
pattern_method(const struct capture *c)
{
	(void)c;
	return "test pattern";
}

const struct capture_ops capture_pattern_ops = {
	.name = "test-pattern",
	.fps_default = 10,
	.changes_every_frame = true,
	.open = pattern_open,
	.close = pattern_close,
	.fd = pattern_fd,
	.queued = pattern_queued,
	.poll = pattern_poll,
	.grab = pattern_grab,
	.moves = pattern_moves,
	.cursor = NULL,
	.origin = pattern_origin,
	.method = pattern_method,
};
