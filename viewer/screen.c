/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen.c - the VIDEO and CURSOR channels on the viewer: screen updates
 * decoded into the picture (and the window, the recording, the credit it
 * grants back), the host's pointer, and --latency-probe, which times input
 * against the decoded picture.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "channels.h"
#include "clock.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The probe's pixel in the picture: 1 white, 0 black, -1 anything else or
 * off the picture. Near white and near black count too, so that a lossy
 * picture (reduced colours) still tells the two apart. */
static int
probe_pixel(const struct vsession *s)
{
	int x = s->probe.x + PROBE_PIXEL_DX, y = s->probe.y + PROBE_PIXEL_DY;
	uint32_t p;

	if (s->img.px == NULL || x < 0 || y < 0 || x >= s->img.w || y >= s->img.h)
		return -1;
	p = s->img.px[(size_t)y * s->img.w + (size_t)x];
	if ((p & 0xE0E0E0) == 0xE0E0E0)
		return 1;
	return (p & 0xE0E0E0) == 0 ? 0 : -1;
}

/* One sample is over: the next move goes a period (plus jitter, so that
 * the moves do not lock to the host's frame clock) after this one. */
static void
probe_next(struct vsession *s, uint64_t now_ms)
{
	s->probe.pending = false;
	s->probe.left--;
	s->probe.next_ms = s->probe.sent_ms + PROBE_PERIOD_MS +
	    randombytes_uniform(PROBE_JITTER_MS);
	if (s->probe.next_ms < now_ms)
		s->probe.next_ms = now_ms;
}

/* A frame is decoded: does it show the colour the last move asked for? */
static void
probe_frame(struct vsession *s)
{
	uint64_t now;

	if (!s->probe.pending || probe_pixel(s) != s->probe.want)
		return;
	now = mono_us();
	event("latency ms=%.1f", (double)(now - s->probe.sent_us) / 1000.0);
	probe_next(s, now / 1000);
}

void
vsession_probe(struct vsession *s, uint64_t now_ms)
{
	struct msg_input in = { .kind = MSG_INPUT_POINTER };
	struct buf m;
	bool white;

	if (s->probe.left == 0 || s->state != VS_ACTIVE || !(s->rights & MSG_RIGHT_CONTROL) ||
	    s->have_frame == 0)
		return;
	if (s->probe.pending) {
		if (now_ms - s->probe.sent_ms < PROBE_TIMEOUT_MS)
			return;
		event("latency timeout");
		probe_next(s, now_ms);
	}
	if (now_ms < s->probe.next_ms)
		return;
	/* Towards the colour the picture does not show: the probe finds its
	 * step again after a lost sample. */
	white = probe_pixel(s) != 1;
	in.x = (uint16_t)(white ? s->probe.x - PROBE_STEP : s->probe.x + PROBE_STEP);
	in.y = s->probe.y;
	buf_init(&m, 16);
	if (msg_input_encode(&m, &in) != 0 || vsession_send(s, &m) != 0) {
		log_warn("latency probe: cannot send the pointer move");
		s->probe.next_ms = now_ms + PROBE_PERIOD_MS;
	} else {
		s->probe.pending = true;
		s->probe.want = white;
		s->probe.sent_us = mono_us();
		s->probe.sent_ms = now_ms;
	}
	buf_release(&m);
}

int
vsession_probe_wait_ms(const struct vsession *s, uint64_t now_ms)
{
	uint64_t due;

	if (s->probe.left == 0 || s->state != VS_ACTIVE)
		return -1;
	due = s->probe.pending ? s->probe.sent_ms + PROBE_TIMEOUT_MS : s->probe.next_ms;
	return due > now_ms ? (int)(due - now_ms) : 0;
}

static int
on_video(struct vsession *s, const struct msg_video *v)
{
	int r;

	if ((v->flags & MSG_VIDEO_RESTART) && v->part != 0)
		return ERR_PROTOCOL;    /* a stream restarts only where a frame starts */
	/* Only a key frame says the size (a new size starts with one). */
	if ((v->flags & MSG_VIDEO_KEY) &&
	    (s->img.px == NULL || s->img.w != v->width || s->img.h != v->height)) {
		if (s->in_frame)
			return ERR_PROTOCOL;    /* the size changed within a frame */
		image_free(&s->img);
		if ((r = image_init(&s->img, v->width, v->height)) != 0)
			return r;
	}
	if (s->img.px == NULL)
		return ERR_PROTOCOL;    /* a diff before any key frame */
	if (!s->in_frame) {
		/* A frame applies to the one we have, or to nothing (key frame). */
		if ((v->flags & MSG_VIDEO_KEY) ? v->base != 0 : v->base != s->have_frame ||
		    s->have_frame == 0)
			return ERR_PROTOCOL;
		if (v->part != 0)
			return ERR_PROTOCOL;    /* the frame's first part is missing */
		s->in_frame = true;
		codec_dec_begin(s->dec);
		s->building = v->frame;
		s->building_base = v->base;
		s->building_part = 0;
	} else if (v->frame != s->building || v->base != s->building_base ||
	    v->part != (uint16_t)(s->building_part + 1)) {
		return ERR_PROTOCOL;    /* parts arrive whole and in order, or not at all */
	} else {
		s->building_part = v->part;
	}
	/* A key frame's first part starts the screen stream afresh, and so
	 * does a diff's flagged RESTART (the host moved us onto another stream). */
	if ((r = codec_decode(s->dec, (v->flags & (MSG_VIDEO_KEY | MSG_VIDEO_RESTART)) &&
	    v->part == 0, buf_ptr(&v->z),
	    buf_len(&v->z), v->raw_len, &s->img)) != 0)
		return r;
	if (v->flags & MSG_VIDEO_LAST) {
		s->in_frame = false;
		if ((v->flags & MSG_VIDEO_LOSSY) && !s->lossy)
			event("lossy: the host reduced colours (low-bandwidth mode)");
		s->lossy = (v->flags & MSG_VIDEO_LOSSY) != 0;
		/* Say when the picture turns partly JPEG, and when the host's
		 * exact refresh has made it its own again. */
		if (codec_dec_held(s->dec) > 0 && s->jpeg_tiles == 0)
			event("picture jpeg: photos or video sent lossy while they change");
		else if (codec_dec_held(s->dec) == 0 && s->jpeg_tiles > 0)
			event("picture exact");
		s->jpeg_tiles = codec_dec_held(s->dec);
		s->have_frame = v->frame;
		s->frames++;
		probe_frame(s);
		if (!s->quiet_frames) {
			/* lossy=N: JPEG tiles, refreshed exact once still. */
			if (codec_dec_lossy(s->dec) > 0)
				event("frame n=%u id=%u%s lossy=%u", s->frames, v->frame,
				    (v->flags & MSG_VIDEO_KEY) ? " key" : "",
				    codec_dec_lossy(s->dec));
			else
				event("frame n=%u id=%u%s", s->frames, v->frame,
				    (v->flags & MSG_VIDEO_KEY) ? " key" : "");
		}
		if (s->disp != NULL) {
			unsigned x, y, w, h;

			if (codec_dec_dirty(s->dec, &x, &y, &w, &h) &&
			    display_frame(s->disp, &s->img, x, y, w, h) != 0)
				log_warn("cannot show the frame");
		}
		if (!s->no_credit) {
			/* Shown: the host may send the next one (flow control). */
			struct buf req;

			buf_init(&req, 2);
			if (msg_update_req_encode(&req, 0) != 0 || vsession_send(s, &req) != 0)
				log_warn("cannot grant the host credit for the next frame");
			buf_release(&req);
		}
		if (s->recording_on && (r = recording_frame(&s->recording, &s->img, v->frame)) != 0) {
			vsession_finish(s, VIEWER_EXIT_USAGE, N_("cannot write the recording"));
			return 0;
		}
	}
	return 0;
}

static int
on_cursor(struct vsession *s, const struct msg_cursor *c)
{
	int r;

	if (c->flags & MSG_CURSOR_SHAPE) {
		if ((r = msg_cursor_pixels(c, s->cursor_argb)) != 0)
			return r;
		if (!s->quiet_frames)
			event("cursor shape=%ux%u hot=%u,%u", c->w, c->h, c->hot_x, c->hot_y);
		if (s->disp != NULL && display_cursor_shape(s->disp, c->w, c->h, c->hot_x,
		    c->hot_y, s->cursor_argb) != 0)
			log_warn("cannot show the host's cursor shape");
	}
	s->cursor_x = c->x;
	s->cursor_y = c->y;
	if (s->disp != NULL)
		display_cursor_pos(s->disp, (c->flags & MSG_CURSOR_HIDDEN) ? -10000 : c->x, c->y);
	return 0;
}

int
screen_take_video(void *side, void *peer, const struct msg *m)
{
	(void)peer;
	return on_video(side, &m->u.video);
}

int
screen_take_cursor(void *side, void *peer, const struct msg *m)
{
	(void)peer;
	return on_cursor(side, &m->u.cursor);
}
