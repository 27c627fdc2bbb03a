/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capture_screencast.c - the capture back-ends of Wayland desktops that
 * hand out a screen cast over D-Bus (screencast_session.h): "mutter"
 * (GNOME Mutter's own interfaces, no dialog) and "portal" (the desktop
 * portal: the desktop's own dialog asks the host). The picture is read
 * from PipeWire (pipewire_stream.c). The capture owns the first reference
 * to the session; the input back-end (inject_screencast.c) takes a
 * second one.
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
#include "screencast_session.h"
#include "pipewire_stream.h"

struct screencast_capture {
	struct capture base;            /* first: capture.c sees only this */
	struct screencast_session *session;
	struct pipewire_stream *stream;
	int epoll_fd;
	bool closed;
	unsigned restarts;              /* new sessions in a row */
	uint64_t restarted_ms;          /* when the last one started */
	uint64_t frame_ms;              /* when the last frame was seen */
	bool burst;                     /* frames came close together since */
	char method[160];
};

static void screencast_close(struct capture *base);

/* Poll the two fds, handle the bus; ERR_CLOSED with why[] when either
 * side ended. */
static int
pump(struct screencast_capture *c, bool *frame, bool *cursor, char *why, size_t why_len)
{
	struct epoll_event ev[2];
	int r;

	*frame = *cursor = false;
	/* Only to clear readiness: the handlers below look at both anyway. */
	while (epoll_wait(c->epoll_fd, ev, 2, 0) < 0 && errno == EINTR)
		;
	if ((r = c->session->ops->process(c->session, why, why_len)) != 0)
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
start_stream(struct screencast_capture *c, char *why, size_t why_len)
{
	const struct screencast_ops *ops = c->session->ops;
	uint64_t deadline, nudge;
	bool frame, cursor;
	int pw_fd;

	if (ops->pipewire_fd(c->session, &pw_fd, why, why_len) != 0)
		return ERR_SYSTEM;
	c->stream = pipewire_stream_open(pw_fd, ops->node(c->session), why, why_len);
	if (c->stream == NULL)
		return ERR_SYSTEM;
	if ((c->epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    !add_fd(c->epoll_fd, ops->fd(c->session)) ||
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
			log_info("%s: no first frame yet; pausing and resuming the stream",
			    ops->what);
			pipewire_stream_nudge(c->stream);
			nudge = now + CAPTURE_FIRST_FRAME_MS / 5;
		}
		if (now >= deadline) {
			int w, h;

			/* xdg-desktop-portal-wlr sends no frame at all while the
			 * screen is still, and no pause changes that: with the
			 * size known, start black and take the first frame when
			 * it comes. */
			pipewire_stream_size(c->stream, &w, &h);
			if (w > 0 && h > 0) {
				log_warn("%s: no picture yet after %d s (it comes with the first "
				    "change on screen): starting with a black %dx%d", ops->what,
				    CAPTURE_FIRST_FRAME_MS / 1000, w, h);
				break;
			}
			/* No size: no format was agreed with the node (one that
			 * offers only tiled DMA-BUF never says more). */
			snprintf(why, why_len, _("no picture arrived from the screen cast within "
			    "%d s (PipeWire node %u agreed on no format; frames are read in shared "
			    "memory or as linear DMA-BUF)"), CAPTURE_FIRST_FRAME_MS / 1000,
			    ops->node(c->session));
			return ERR_SYSTEM;
		}
		epoll_wait(c->epoll_fd, ev, 2, (int)((nudge < deadline ? nudge : deadline) - now));
	}
	return 0;
}

static void
stop_stream(struct screencast_capture *c)
{
	pipewire_stream_close(c->stream);
	c->stream = NULL;
	if (c->epoll_fd >= 0)
		close(c->epoll_fd);
	c->epoll_fd = -1;
}

/* The session from acquire() with what the host chose, its stream
 * started. */
static struct capture *
open_with(struct screencast_session *(*acquire)(const struct screencast_want *want, char *why,
    size_t why_len), const struct capture_opts *o, char *why, size_t why_len)
{
	struct screencast_want want = { .monitor = o->monitor, .window = o->window };
	struct screencast_capture *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	c->epoll_fd = -1;
	if ((c->session = acquire(&want, why, why_len)) == NULL ||
	    start_stream(c, why, why_len) != 0) {
		screencast_close(&c->base);
		return NULL;
	}
	return &c->base;
}

static struct capture *
mutter_open(const struct capture_opts *o, char *why, size_t why_len)
{
	return open_with(mutter_session_acquire, o, why, why_len);
}

static struct capture *
portal_open(const struct capture_opts *o, char *why, size_t why_len)
{
	/* The desktop's own dialog lets the host pick the monitor. */
	if (o->monitor >= 0)
		log_warn("--monitor is not used with --source portal: the desktop's dialog "
		    "asks which %s to share", o->window ? "window" : "monitor");
	return open_with(portal_session_acquire, o, why, why_len);
}

static void
screencast_close(struct capture *base)
{
	struct screencast_capture *c = (struct screencast_capture *)base;

	/* The stream first: it reads from what the session set up. */
	stop_stream(c);
	if (c->session != NULL)
		c->session->ops->release(c->session);
	free(c);
}

static int
screencast_fd(const struct capture *base)
{
	const struct screencast_capture *c = (const struct screencast_capture *)base;
	return c->epoll_fd;
}

static bool
screencast_queued(const struct capture *base)
{
	(void)base;
	return false;
}

static int
screencast_poll(struct capture *base, bool *screen_dirty, bool *cursor_dirty)
{
	struct screencast_capture *c = (struct screencast_capture *)base;
	char why[256];

	if (c->closed)
		return ERR_CLOSED;
	if (pump(c, screen_dirty, cursor_dirty, why, sizeof(why)) == 0) {
		uint64_t now = mono_ms();

		if (c->restarts > 0 && now - c->restarted_ms >= CAPTURE_RESTART_CALM_MS)
			c->restarts = 0;
		/*
		 * Mutter 43 drops a frame that comes sooner after the one
		 * before than its frame-rate limit allows and does not send
		 * it later, so the last frame of an animation (a window
		 * fading in) can be lost until the screen changes again. When
		 * frames came close together and then stopped, a pause and
		 * resume asks for the picture as it is now.
		 */
		if (*screen_dirty) {
			c->burst |= now - c->frame_ms < CAPTURE_BURST_GAP_MS;
			c->frame_ms = now;
		} else if (c->burst && now - c->frame_ms >= CAPTURE_BURST_SETTLE_MS) {
			c->burst = false;
			log_debug("%s: frames stopped after a burst: asking for the picture now",
			    c->session->ops->what);
			pipewire_stream_nudge(c->stream);
		}
		return 0;
	}
	/*
	 * Mutter closes the session when the monitors change (a new mode, a
	 * rotation) and stays: start a new one, a few times in a row at
	 * most (a session that keeps closing is not coming back). The
	 * master waits while it starts (a second or so). A back-end that
	 * must not start again by itself (the portal: the host may have
	 * ended the sharing) says so in its ops.
	 */
	stop_stream(c);
	while (c->restarts < CAPTURE_RESTARTS_MAX && c->session->ops->restarts) {
		c->restarts++;
		log_warn("the screen cast ended (%s): starting a new one", why);
		if (c->session->ops->restart(c->session, why, sizeof(why)) == 0 &&
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
screencast_grab(struct capture *base, struct image *img, uint8_t *hint, char *why,
    size_t why_len)
{
	struct screencast_capture *c = (struct screencast_capture *)base;

	/* Closed: the picture stays as it was (the session is ending). */
	if (c->stream == NULL) {
		memset(hint, 0, MSG_TILES_MAX);
		snprintf(why, why_len, "%s", _("the screen cast ended"));
		return img->px != NULL ? 0 : ERR_CLOSED;
	}
	return pipewire_stream_grab(c->stream, img, hint, why, why_len);
}

static unsigned
screencast_moves(const struct capture *base, struct codec_move *moves)
{
	(void)base;
	(void)moves;
	return 0;
}

static int
screencast_cursor(struct capture *base, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur)
{
	struct screencast_capture *c = (struct screencast_capture *)base;

	if (c->closed || c->stream == NULL)
		return ERR_CLOSED;
	pipewire_stream_cursor(c->stream, x, y, shape_changed, cur);
	return 0;
}

static void
screencast_origin(const struct capture *base, int *x, int *y)
{
	const struct screencast_capture *c = (const struct screencast_capture *)base;

	c->session->ops->origin(c->session, x, y);
}

static const char *
screencast_note(const struct capture *base)
{
	const struct screencast_capture *c = (const struct screencast_capture *)base;

	return c->session->ops->note(c->session);
}

static const char *
screencast_method(const struct capture *base)
{
	struct screencast_capture *c = (struct screencast_capture *)base;

	snprintf(c->method, sizeof(c->method), "%s, %s", c->session->ops->what,
	    c->stream != NULL ? pipewire_stream_method(c->stream) : "ended");
	return c->method;
}

#define SCREENCAST_OPS(src, opener) {					\
	.name = src,								\
	.fps_default = 30,							\
	.open = opener,								\
	.close = screencast_close,						\
	.fd = screencast_fd,							\
	.queued = screencast_queued,						\
	.poll = screencast_poll,						\
	.grab = screencast_grab,						\
	.moves = screencast_moves,						\
	.cursor = screencast_cursor,						\
	.origin = screencast_origin,						\
	.method = screencast_method,						\
	.note = screencast_note,						\
}

const struct capture_ops capture_mutter_ops = SCREENCAST_OPS("mutter", mutter_open);
const struct capture_ops capture_portal_ops = SCREENCAST_OPS("portal", portal_open);
