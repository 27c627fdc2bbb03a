/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture_mutter.c - the "mutter" capture back-end: a GNOME Wayland
 * desktop through Mutter's own RemoteDesktop and ScreenCast interfaces
 * (mutter_session.c), the picture read from PipeWire
 * (pipewire_stream.c). It owns the first reference to the session; the
 * input back-end (inject_mutter.c) takes a second one.
 *
 * The master polls one fd per capture: an epoll fd here, over the D-Bus
 * connection (Mutter closing the session) and the stream's eventfd (a
 * frame, a cursor change, a failure).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "capture.h"
#include "clock.h"
#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "mutter_session.h"
#include "pipewire_stream.h"

struct mutter_capture {
	struct capture base;            /* first: capture.c sees only this */
	struct mutter_session *session;
	struct pipewire_stream *stream;
	int epoll_fd;
	bool closed;
	unsigned restarts;              /* new sessions in a row */
	uint64_t restarted_ms;          /* when the last one started */
	char method[160];
};

static void mutter_close(struct capture *base);

/* Poll the two fds, handle the bus; ERR_CLOSED with why[] when either
 * side ended. */
static int
pump(struct mutter_capture *c, bool *frame, bool *cursor, char *why, size_t why_len)
{
	struct epoll_event ev[2];
	int r;

	*frame = *cursor = false;
	/* Only to clear readiness: the handlers below look at both anyway. */
	while (epoll_wait(c->epoll_fd, ev, 2, 0) < 0 && errno == EINTR)
		;
	if ((r = mutter_session_process(c->session, why, why_len)) != 0)
		return r;
	return pipewire_stream_poll(c->stream, frame, cursor, why, why_len);
}

static bool
add_fd(int epoll_fd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev) == 0;
}

/* The stream from the session's node, polled through a new epoll fd,
 * once its first picture arrived. */
static int
start_stream(struct mutter_capture *c, char *why, size_t why_len)
{
	uint64_t deadline, nudge;
	bool frame, cursor;

	c->stream = pipewire_stream_open(-1, mutter_session_node(c->session), why, why_len);
	if (c->stream == NULL)
		return ERR_SYSTEM;
	if ((c->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    !add_fd(c->epoll_fd, mutter_session_fd(c->session)) ||
	    !add_fd(c->epoll_fd, pipewire_stream_fd(c->stream))) {
		snprintf(why, why_len, "epoll: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	/* The master grabs at once: wait for the first picture here.
	 * Mutter sends frames when the screen changes; now and then (seen
	 * once with mutter 43, right after start) the first one never comes
	 * on a still screen. A pause and resume makes it send one. */
	nudge = mono_ms() + CAPTURE_FIRST_FRAME_MS / 5;
	deadline = mono_ms() + CAPTURE_FIRST_FRAME_MS;
	while (!pipewire_stream_ready(c->stream)) {
		struct epoll_event ev[2];
		uint64_t now = mono_ms();

		if (pump(c, &frame, &cursor, why, why_len) != 0)
			return ERR_SYSTEM;
		if (pipewire_stream_ready(c->stream))
			break;
		if (now >= nudge) {
			log_info("mutter: no first frame yet; pausing and resuming the stream");
			pipewire_stream_nudge(c->stream);
			nudge = now + CAPTURE_FIRST_FRAME_MS / 5;
		}
		if (now >= deadline) {
			snprintf(why, why_len, _("no picture arrived from the screen cast within "
			    "%d s (PipeWire node %u)"), CAPTURE_FIRST_FRAME_MS / 1000,
			    mutter_session_node(c->session));
			return ERR_SYSTEM;
		}
		epoll_wait(c->epoll_fd, ev, 2, (int)((nudge < deadline ? nudge : deadline) - now));
	}
	return 0;
}

static void
stop_stream(struct mutter_capture *c)
{
	pipewire_stream_close(c->stream);
	c->stream = NULL;
	if (c->epoll_fd >= 0)
		close(c->epoll_fd);
	c->epoll_fd = -1;
}

static struct capture *
mutter_open(const struct capture_opts *o, char *why, size_t why_len)
{
	struct mutter_capture *c;

	/* RecordMonitor("") is the primary monitor; choosing another needs
	 * its connector name from DisplayConfig (not done yet). */
	if (o->monitor >= 0)
		log_warn("--monitor is not supported with --source mutter: sharing the primary "
		    "monitor");
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	c->epoll_fd = -1;
	if ((c->session = mutter_session_acquire(why, why_len)) == NULL ||
	    start_stream(c, why, why_len) != 0) {
		mutter_close(&c->base);
		return NULL;
	}
	return &c->base;
}

static void
mutter_close(struct capture *base)
{
	struct mutter_capture *c = (struct mutter_capture *)base;

	/* The stream first: it reads from what the session set up. */
	stop_stream(c);
	mutter_session_release(c->session);
	free(c);
}

static int
mutter_fd(const struct capture *base)
{
	const struct mutter_capture *c = (const struct mutter_capture *)base;
	return c->epoll_fd;
}

static bool
mutter_queued(const struct capture *base)
{
	(void)base;
	return false;
}

static int
mutter_poll(struct capture *base, bool *screen_dirty, bool *cursor_dirty)
{
	struct mutter_capture *c = (struct mutter_capture *)base;
	char why[256];

	if (c->closed)
		return ERR_CLOSED;
	if (pump(c, screen_dirty, cursor_dirty, why, sizeof(why)) == 0) {
		if (c->restarts > 0 && mono_ms() - c->restarted_ms >= CAPTURE_RESTART_CALM_MS)
			c->restarts = 0;
		return 0;
	}
	/*
	 * Mutter closes the session when the monitors change (a new mode, a
	 * rotation) and stays: start a new one, a few times in a row at
	 * most (a session that keeps closing is not coming back). The
	 * master waits while it starts (a second or so).
	 */
	stop_stream(c);
	while (c->restarts < CAPTURE_RESTARTS_MAX) {
		c->restarts++;
		log_warn("the screen cast ended (%s): starting a new one", why);
		if (mutter_session_restart(c->session, why, sizeof(why)) == 0 &&
		    start_stream(c, why, sizeof(why)) == 0) {
			c->restarted_ms = mono_ms();
			*screen_dirty = *cursor_dirty = true;
			return 0;
		}
		stop_stream(c);
	}
	log_warn("the screen cast ended: %s", why);
	c->closed = true;
	return ERR_CLOSED;
}

static int
mutter_grab(struct capture *base, struct image *img, uint8_t *hint, char *why,
    size_t why_len)
{
	struct mutter_capture *c = (struct mutter_capture *)base;

	/* Closed: the picture stays as it was (the session is ending). */
	if (c->stream == NULL) {
		memset(hint, 0, MSG_TILES_MAX);
		snprintf(why, why_len, "%s", _("the screen cast ended"));
		return img->px != NULL ? 0 : ERR_CLOSED;
	}
	return pipewire_stream_grab(c->stream, img, hint, why, why_len);
}

static unsigned
mutter_moves(const struct capture *base, struct codec_move *moves)
{
	(void)base;
	(void)moves;
	return 0;
}

static int
mutter_cursor(struct capture *base, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur)
{
	struct mutter_capture *c = (struct mutter_capture *)base;

	if (c->closed || c->stream == NULL)
		return ERR_CLOSED;
	pipewire_stream_cursor(c->stream, x, y, shape_changed, cur);
	return 0;
}

static void
mutter_origin(const struct capture *base, int *x, int *y)
{
	(void)base;
	*x = *y = 0;
}

static const char *
mutter_method(const struct capture *base)
{
	struct mutter_capture *c = (struct mutter_capture *)base;

	snprintf(c->method, sizeof(c->method), "Mutter ScreenCast, %s",
	    c->stream != NULL ? pipewire_stream_method(c->stream) : "ended");
	return c->method;
}

const struct capture_ops capture_mutter_ops = {
	.name = "mutter",
	.fps_default = 30,
	.open = mutter_open,
	.close = mutter_close,
	.fd = mutter_fd,
	.queued = mutter_queued,
	.poll = mutter_poll,
	.grab = mutter_grab,
	.moves = mutter_moves,
	.cursor = mutter_cursor,
	.origin = mutter_origin,
	.method = mutter_method,
};
