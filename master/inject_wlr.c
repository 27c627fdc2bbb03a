/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inject_wlr.c - the viewers' input on wlroots compositors (sway and
 * others), which have no RemoteDesktop portal: a virtual pointer
 * (zwlr_virtual_pointer_v1) and a virtual keyboard (zwp_virtual_keyboard_v1).
 *
 * The virtual keyboard sends keycodes of a keymap we give it, and the
 * compositor hands that keymap to the focused client with our keys: so
 * the keymap is ours (vkeymap.c), whatever layout the host's own keyboard
 * has. A keysym it lacks takes the entry used least recently that no
 * viewer holds, and a fresh keymap is uploaded. The modifiers the viewers
 * hold (Shift, Control, Alt, Super) are sent as modifier state; Caps
 * Lock, Num Lock and AltGr are not: the viewer's keysyms already carry
 * their effect.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <wayland-client.h>

#include "err.h"
#include "inject.h"
#include "limits.h"
#include "log.h"
#include "vkeymap.h"
#include "wl_outputs.h"
#include "virtual-keyboard-protocol.h"
#include "virtual-pointer-protocol.h"

enum {
	WLR_BUTTON_MAX = 9,
	WLR_WHEEL_STEP_VALUE = 15,  /* what one wheel step scrolls, as libinput counts it */
};

/* Evdev codes of X buttons 1..9; 4..7 are wheel steps, not buttons. */
static const uint32_t evdev_button[WLR_BUTTON_MAX + 1] = {
	[1] = 0x110, /* BTN_LEFT */
	[2] = 0x112, /* BTN_MIDDLE */
	[3] = 0x111, /* BTN_RIGHT */
	[8] = 0x113, /* BTN_SIDE: back */
	[9] = 0x114, /* BTN_EXTRA: forward */
};

/* Real modifiers of the keymap, as the modifier state counts them. */
enum {
	MOD_SHIFT = 1u << 0,
	MOD_CONTROL = 1u << 2,
	MOD_MOD1 = 1u << 3,  /* Alt */
	MOD_MOD4 = 1u << 6,  /* Super */
};

struct held {
	uint32_t sym;
	uint8_t entry;
};

struct wlr_inject {
	struct inject base;            /* first: inject.c sees only this */
	struct wl_display *dpy;
	struct wl_registry *reg;
	struct wl_seat *seat;
	struct zwlr_virtual_pointer_manager_v1 *pointer_mgr;
	uint32_t pointer_mgr_version;
	struct zwp_virtual_keyboard_manager_v1 *keyboard_mgr;
	struct zwlr_virtual_pointer_v1 *pointer;
	struct zwp_virtual_keyboard_v1 *keyboard;
	struct wl_outputs outputs;      /* the extent absolute motion is stretched over */
	bool dead;                     /* the connection failed: said once */
	bool opening;                  /* open() says what failed, not a warning */
	struct wl_callback *syncs[WLR_SYNCS_MAX]; /* waits the compositor has not answered */
	unsigned nsyncs;
	struct vkeymap km;
	uint32_t mods_sent;
	struct held keys[MASTER_SLOTS_MAX + 1][WLR_HELD_MAX];
	unsigned nkeys[MASTER_SLOTS_MAX + 1];
	uint16_t buttons[MASTER_SLOTS_MAX + 1]; /* bit n: button n is down */
	char text[VKEYMAP_TEXT_MAX];
};

static uint32_t
modifier_of(uint32_t sym)
{
	switch (sym) {
	case 0xffe1: case 0xffe2:                       /* Shift_L, Shift_R */
		return MOD_SHIFT;
	case 0xffe3: case 0xffe4:                       /* Control_L, Control_R */
		return MOD_CONTROL;
	case 0xffe7: case 0xffe8: case 0xffe9: case 0xffea: /* Meta, Alt */
		return MOD_MOD1;
	case 0xffeb: case 0xffec: case 0xffed: case 0xffee: /* Super, Hyper */
		return MOD_MOD4;
	default:
		return 0;
	}
}

static int64_t
mono_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Event times: milliseconds, any base, wrapping. */
static uint32_t
now_ms(void)
{
	return (uint32_t)mono_now_ms();
}

/* ---- the registry ---- */

static void
reg_global(void *data, struct wl_registry *reg, uint32_t name, const char *iface, uint32_t version)
{
	struct wlr_inject *in = data;

	if (strcmp(iface, wl_seat_interface.name) == 0 && in->seat == NULL) {
		in->seat = wl_registry_bind(reg, name, &wl_seat_interface, 1);
	} else if (strcmp(iface, zwlr_virtual_pointer_manager_v1_interface.name) == 0 &&
	    in->pointer_mgr == NULL) {
		in->pointer_mgr_version = version < 2 ? version : 2;
		in->pointer_mgr = wl_registry_bind(reg, name,
		    &zwlr_virtual_pointer_manager_v1_interface, in->pointer_mgr_version);
	} else if (strcmp(iface, zwp_virtual_keyboard_manager_v1_interface.name) == 0 &&
	    in->keyboard_mgr == NULL) {
		in->keyboard_mgr = wl_registry_bind(reg, name,
		    &zwp_virtual_keyboard_manager_v1_interface, 1);
	} else {
		(void)wl_outputs_global(&in->outputs, reg, name, iface, version);
	}
}

static void
reg_global_remove(void *data, struct wl_registry *reg, uint32_t name)
{
	struct wlr_inject *in = data;

	(void)reg;
	wl_outputs_global_remove(&in->outputs, name);
}

static const struct wl_registry_listener registry_listener = {
	.global = reg_global,
	.global_remove = reg_global_remove,
};

/* ---- the connection ---- */

static int
fail_dead(struct wlr_inject *in)
{
	if (!in->dead && !in->opening) {
		int e = wl_display_get_error(in->dpy);

		log_warn("the Wayland compositor dropped the input connection (%s): input from "
		    "viewers is off", e != 0 ? strerror(e) : "write failed");
	}
	in->dead = true;
	return ERR_SYSTEM;
}

/* Read what the compositor sent (outputs coming and going), without waiting. */
static int
pump(struct wlr_inject *in)
{
	struct pollfd p = { .fd = wl_display_get_fd(in->dpy), .events = POLLIN };

	if (in->dead || wl_display_get_error(in->dpy) != 0)
		return fail_dead(in);
	while (wl_display_prepare_read(in->dpy) != 0)
		if (wl_display_dispatch_pending(in->dpy) < 0)
			return fail_dead(in);
	if (poll(&p, 1, 0) > 0 && (p.revents & POLLIN)) {
		if (wl_display_read_events(in->dpy) < 0)
			return fail_dead(in);
	} else {
		wl_display_cancel_read(in->dpy);
	}
	if (wl_display_dispatch_pending(in->dpy) < 0)
		return fail_dead(in);
	return 0;
}

/* Send what is queued; a full socket keeps the rest for the next flush. */
static int
flush(struct wlr_inject *in)
{
	if (wl_display_flush(in->dpy) < 0 && errno != EAGAIN)
		return fail_dead(in);
	return 0;
}

/*
 * Send everything queued, waiting at most ms for room in the socket.
 * libwayland treats a request that finds its buffer full and the socket
 * too as a fatal error: every event starts from an empty buffer, and a
 * compositor that stops reading costs the events, not the connection.
 */
static int
drain_out(struct wlr_inject *in, int ms)
{
	int64_t end = mono_now_ms() + ms, left;
	struct pollfd p = { .fd = wl_display_get_fd(in->dpy), .events = POLLOUT };

	while (wl_display_flush(in->dpy) < 0) {
		if (errno != EAGAIN)
			return fail_dead(in);
		if ((left = end - mono_now_ms()) <= 0 || poll(&p, 1, (int)left) <= 0)
			return ERR_AGAIN;
	}
	return 0;
}

static void
synced(void *data, struct wl_callback *cb, uint32_t serial)
{
	struct wlr_inject *in = data;

	(void)serial;
	for (unsigned i = 0; i < in->nsyncs; i++)
		if (in->syncs[i] == cb) {
			in->syncs[i] = in->syncs[--in->nsyncs];
			break;
		}
	wl_callback_destroy(cb);
}

static const struct wl_callback_listener sync_listener = { .done = synced };

static bool
sync_pending(const struct wlr_inject *in, const struct wl_callback *cb)
{
	for (unsigned i = 0; i < in->nsyncs; i++)
		if (in->syncs[i] == cb)
			return true;
	return false;
}

/*
 * Wait (at most ms) until the compositor has taken everything we sent.
 * After a keymap: each one carries a file descriptor, and libwayland
 * gives up on a connection whose descriptors pile up unread. Before
 * hanging up: a compositor drops the requests it has not read yet when a
 * client goes, so the last keys (the releases above all) would be lost.
 */
static int
settle(struct wlr_inject *in, int ms)
{
	int64_t end = mono_now_ms() + ms, left;
	struct wl_callback *cb;

	if (in->dead || wl_display_get_error(in->dpy) != 0)
		return fail_dead(in);
	if (in->nsyncs == WLR_SYNCS_MAX)
		return ERR_TIMEOUT;     /* the compositor has not answered for a while */
	cb = wl_display_sync(in->dpy);
	wl_callback_add_listener(cb, &sync_listener, in);
	in->syncs[in->nsyncs++] = cb;
	while (sync_pending(in, cb)) {
		struct pollfd p = { .fd = wl_display_get_fd(in->dpy), .events = POLLIN };

		if (wl_display_flush(in->dpy) < 0) {
			if (errno != EAGAIN)
				return fail_dead(in);
			p.events |= POLLOUT;
		}
		if ((left = end - mono_now_ms()) <= 0)
			return ERR_TIMEOUT;
		while (wl_display_prepare_read(in->dpy) != 0)
			if (wl_display_dispatch_pending(in->dpy) < 0)
				return fail_dead(in);
		if (poll(&p, 1, (int)left) > 0 && (p.revents & POLLIN)) {
			if (wl_display_read_events(in->dpy) < 0)
				return fail_dead(in);
		} else {
			wl_display_cancel_read(in->dpy);
		}
		if (wl_display_dispatch_pending(in->dpy) < 0)
			return fail_dead(in);
	}
	return 0;
}

/* ---- the keymap ---- */

static uint32_t
held_mods(const struct wlr_inject *in)
{
	uint32_t m = 0;

	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		for (unsigned i = 0; i < in->nkeys[s]; i++)
			m |= modifier_of(in->keys[s][i].sym);
	return m;
}

static void
send_mods(struct wlr_inject *in, bool always)
{
	uint32_t m = held_mods(in);

	if (m == in->mods_sent && !always)
		return;
	zwp_virtual_keyboard_v1_modifiers(in->keyboard, m, 0, 0, 0);
	in->mods_sent = m;
}

/* Hand the compositor the keymap as it stands (a sealed memfd). */
static int
upload_keymap(struct wlr_inject *in)
{
	size_t len, off = 0;
	int fd, r;

	if ((r = vkeymap_text(&in->km, in->text, sizeof(in->text), &len)) != 0)
		return r;
	if ((fd = memfd_create("fernsicht-keymap", MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0)
		return ERR_SYSTEM;
	while (off < len) {
		ssize_t w = write(fd, in->text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return ERR_SYSTEM;
		}
		off += (size_t)w;
	}
	/* The compositor maps it; nobody may change it under it. */
	(void)fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	/* libwayland sends a duplicate of fd: ours may go at once. */
	zwp_virtual_keyboard_v1_keymap(in->keyboard, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1, fd,
	    (uint32_t)len);
	close(fd);
	/* A new keymap starts from a new state: the held modifiers again. */
	send_mods(in, true);
	return settle(in, WLR_KEYMAP_WAIT_MS);
}

static bool
entry_held(const void *ctx, unsigned e)
{
	const struct wlr_inject *in = ctx;

	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		for (unsigned i = 0; i < in->nkeys[s]; i++)
			if (in->keys[s][i].entry == e)
				return true;
	return false;
}

/* The entry that types sym: there already, or a new one (a keymap uploaded). */
static int
entry_for(struct wlr_inject *in, uint32_t sym, unsigned *out)
{
	int e = vkeymap_find(&in->km, sym), r;

	if (e < 0) {
		if ((e = vkeymap_take(&in->km, sym, entry_held, in)) < 0)
			return ERR_LIMIT;       /* every keycode held */
		/* Not answered in time: sent all the same, the entry stands. */
		if ((r = upload_keymap(in)) != 0 && r != ERR_TIMEOUT)
			in->km.sym[e] = 0;
		if (r != 0)
			return r;
	}
	*out = (unsigned)e;
	return 0;
}

static void
wlr_inject_free(struct wlr_inject *in)
{
	wl_outputs_free(&in->outputs);
	if (in->keyboard != NULL)
		zwp_virtual_keyboard_v1_destroy(in->keyboard);
	if (in->pointer != NULL)
		zwlr_virtual_pointer_v1_destroy(in->pointer);
	if (in->keyboard_mgr != NULL)
		zwp_virtual_keyboard_manager_v1_destroy(in->keyboard_mgr);
	if (in->pointer_mgr != NULL)
		zwlr_virtual_pointer_manager_v1_destroy(in->pointer_mgr);
	if (in->seat != NULL)
		wl_seat_destroy(in->seat);
	if (in->reg != NULL)
		wl_registry_destroy(in->reg);
	(void)settle(in, WLR_CLOSE_WAIT_MS);
	while (in->nsyncs > 0)          /* not answered in time */
		wl_callback_destroy(in->syncs[--in->nsyncs]);
	wl_display_disconnect(in->dpy);
	free(in);
}

/* why[] = the reason, and what it means for the host. */
static void __attribute__((format(printf, 3, 4)))
say_off(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	n = strlen(why);
	snprintf(why + n, why_len - n, ": input from viewers is off");
}

static struct wlr_inject *
wlr_inject_open(const char *display, char *why, size_t why_len)
{
	const char *env = getenv("WAYLAND_DISPLAY");
	struct wlr_inject *in;

	if (env != NULL && *env == '\0')
		env = NULL;
	/* libwayland would try wayland-0: a display nobody named may be someone else's. */
	if (display == NULL && env == NULL && getenv("WAYLAND_SOCKET") == NULL) {
		say_off(why, why_len, "no Wayland display (WAYLAND_DISPLAY is not set)");
		return NULL;
	}
	if ((in = calloc(1, sizeof(*in))) == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	if ((in->dpy = wl_display_connect(display)) == NULL) {
		const char *name = display != NULL ? display : env != NULL ? env :
		    "$WAYLAND_SOCKET";

		say_off(why, why_len, "cannot connect to the Wayland display %s (%s)", name,
		    strerror(errno));
		free(in);
		return NULL;
	}
	in->reg = wl_display_get_registry(in->dpy);
	wl_registry_add_listener(in->reg, &registry_listener, in);
	if (wl_display_roundtrip(in->dpy) < 0) {
		say_off(why, why_len, "the Wayland display did not answer");
		goto fail;
	}
	if (in->keyboard_mgr == NULL) {
		say_off(why, why_len, "this compositor offers no virtual keyboard "
		    "(zwp_virtual_keyboard_manager_v1)");
		goto fail;
	}
	if (in->pointer_mgr == NULL) {
		say_off(why, why_len, "this compositor offers no virtual pointer "
		    "(zwlr_virtual_pointer_manager_v1)");
		goto fail;
	}
	if (in->seat == NULL) {
		say_off(why, why_len, "this compositor has no seat (wl_seat) to type on");
		goto fail;
	}
	in->keyboard = zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(in->keyboard_mgr,
	    in->seat);
	in->pointer = zwlr_virtual_pointer_manager_v1_create_virtual_pointer(in->pointer_mgr,
	    in->seat);
	vkeymap_init(&in->km);
	/*
	 * The keymap, the outputs' sizes (xdg-output answers after the first
	 * round), and a refusal: a compositor may keep its devices to itself.
	 */
	in->opening = true;     /* no warning from the waits: why[] says it */
	if (upload_keymap(in) != 0 || wl_display_roundtrip(in->dpy) < 0) {
		if (wl_display_get_error(in->dpy) != 0)
			say_off(why, why_len, "the compositor refused the virtual keyboard or "
			    "pointer (%s)", strerror(wl_display_get_error(in->dpy)));
		else
			say_off(why, why_len, "the compositor did not take our keymap");
		goto fail;
	}
	in->opening = false;
	return in;
fail:
	wlr_inject_free(in);
	return NULL;
}

/* ---- events ---- */

static bool
button_held(const struct wlr_inject *in, unsigned b)
{
	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		if (in->buttons[s] & (1u << b))
			return true;
	return false;
}

static void
send_key(struct wlr_inject *in, unsigned e, bool down)
{
	/* The protocol counts keys as evdev does: the XKB keycode less 8. */
	zwp_virtual_keyboard_v1_key(in->keyboard, now_ms(), vkeymap_keycode(e) - 8,
	    down ? WL_KEYBOARD_KEY_STATE_PRESSED : WL_KEYBOARD_KEY_STATE_RELEASED);
}

static int
key_down(struct wlr_inject *in, unsigned slot, uint32_t sym)
{
	unsigned i, e;
	int r;

	/*
	 * A repeat (down again without up) sends nothing: Wayland clients
	 * repeat held keys themselves, at the rate the compositor gives.
	 */
	for (i = 0; i < in->nkeys[slot]; i++)
		if (in->keys[slot][i].sym == sym)
			return 0;
	if (in->nkeys[slot] == WLR_HELD_MAX)
		return ERR_LIMIT;
	if ((r = entry_for(in, sym, &e)) != 0)
		return r;
	vkeymap_touch(&in->km, e);
	send_key(in, e, true);
	in->keys[slot][in->nkeys[slot]++] = (struct held){ .sym = sym, .entry = (uint8_t)e };
	send_mods(in, false);
	return 0;
}

static void
key_up(struct wlr_inject *in, unsigned slot, uint32_t sym)
{
	unsigned i, e;

	for (i = 0; i < in->nkeys[slot]; i++)
		if (in->keys[slot][i].sym == sym)
			break;
	if (i == in->nkeys[slot])
		return;
	e = in->keys[slot][i].entry;
	in->keys[slot][i] = in->keys[slot][--in->nkeys[slot]];
	if (!entry_held(in, e))
		send_key(in, e, false);
	send_mods(in, false);
}

static void
wheel(struct wlr_inject *in, uint32_t axis, int steps)
{
	if (steps == 0)
		return;
	if (steps > WLR_WHEEL_STEPS_MAX)
		steps = WLR_WHEEL_STEPS_MAX;
	if (steps < -WLR_WHEEL_STEPS_MAX)
		steps = -WLR_WHEEL_STEPS_MAX;
	if (in->pointer_mgr_version >= 2)
		zwlr_virtual_pointer_v1_axis_discrete(in->pointer, now_ms(), axis,
		    wl_fixed_from_int(steps * WLR_WHEEL_STEP_VALUE), steps);
	else
		zwlr_virtual_pointer_v1_axis(in->pointer, now_ms(), axis,
		    wl_fixed_from_int(steps * WLR_WHEEL_STEP_VALUE));
	/* The source goes with the axis just given. */
	zwlr_virtual_pointer_v1_axis_source(in->pointer, WL_POINTER_AXIS_SOURCE_WHEEL);
	zwlr_virtual_pointer_v1_frame(in->pointer);
}

static int
pointer_to(struct wlr_inject *in, int64_t x, int64_t y)
{
	int64_t x0 = 0, y0 = 0, x1 = 0, y1 = 0;

	if (!wl_outputs_box(&in->outputs, &x0, &y0, &x1, &y1))
		return ERR_SYSTEM;   /* no output known: nowhere to point */
	x -= x0;
	y -= y0;
	if (x < 0 || y < 0 || x >= x1 - x0 || y >= y1 - y0)
		return ERR_FORMAT;
	zwlr_virtual_pointer_v1_motion_absolute(in->pointer, now_ms(), (uint32_t)x, (uint32_t)y,
	    (uint32_t)(x1 - x0), (uint32_t)(y1 - y0));
	zwlr_virtual_pointer_v1_frame(in->pointer);
	return 0;
}

static int
button(struct wlr_inject *in, unsigned slot, unsigned b, bool down)
{
	/* Buttons 4..7 are the core protocol's wheel: one step on a press. */
	if (b >= 4 && b <= 7) {
		if (down)
			wheel(in, b <= 5 ? WL_POINTER_AXIS_VERTICAL_SCROLL :
			    WL_POINTER_AXIS_HORIZONTAL_SCROLL, b == 4 || b == 6 ? -1 : 1);
		return 0;
	}
	if (down) {
		if (in->buttons[slot] & (1u << b))
			return 0;
		if (!button_held(in, b)) {
			zwlr_virtual_pointer_v1_button(in->pointer, now_ms(), evdev_button[b],
			    WL_POINTER_BUTTON_STATE_PRESSED);
			zwlr_virtual_pointer_v1_frame(in->pointer);
		}
		in->buttons[slot] |= (uint16_t)(1u << b);
	} else {
		if (!(in->buttons[slot] & (1u << b)))
			return 0;
		in->buttons[slot] &= (uint16_t)~(1u << b);
		if (!button_held(in, b)) {
			zwlr_virtual_pointer_v1_button(in->pointer, now_ms(), evdev_button[b],
			    WL_POINTER_BUTTON_STATE_RELEASED);
			zwlr_virtual_pointer_v1_frame(in->pointer);
		}
	}
	return 0;
}

static int
wlr_inject_event(struct wlr_inject *in, unsigned slot, const struct msg_input *ev,
    int ox, int oy, unsigned w, unsigned h)
{
	int16_t dx, dy;
	int r = 0;

	BUG_ON(slot < 1 || slot > MASTER_SLOTS_MAX);
	/* Check everything before anything is sent. */
	switch (ev->kind) {
	case MSG_INPUT_POINTER:
		if (ev->x >= w || ev->y >= h)
			return ERR_FORMAT;
		break;
	case MSG_INPUT_BUTTON:
		if (ev->arg < 1 || ev->arg > WLR_BUTTON_MAX || ev->code > 1)
			return ERR_FORMAT;
		break;
	case MSG_INPUT_WHEEL:
		break;
	case MSG_INPUT_KEY:
		if (!vkeymap_keysym_valid(ev->code) || ev->arg > 1)
			return ERR_FORMAT;
		break;
	default:
		return ERR_FORMAT;
	}
	if ((r = pump(in)) != 0 || (r = drain_out(in, WLR_OUT_WAIT_MS)) != 0)
		return r;
	switch (ev->kind) {
	case MSG_INPUT_POINTER:
		r = pointer_to(in, (int64_t)ox + ev->x, (int64_t)oy + ev->y);
		break;
	case MSG_INPUT_BUTTON:
		r = button(in, slot, ev->arg, ev->code == 1);
		break;
	case MSG_INPUT_WHEEL:
		/* Steps as SDL counts them: y > 0 away from the user (up), x > 0 right. */
		dx = (int16_t)ev->x;
		dy = (int16_t)ev->y;
		wheel(in, WL_POINTER_AXIS_VERTICAL_SCROLL, -dy);
		wheel(in, WL_POINTER_AXIS_HORIZONTAL_SCROLL, dx);
		break;
	case MSG_INPUT_KEY:
		if (ev->arg == 1)
			r = key_down(in, slot, ev->code);
		else
			key_up(in, slot, ev->code);
		break;
	}
	if (flush(in) != 0)
		return ERR_SYSTEM;
	return r;
}

static void
wlr_inject_release(struct wlr_inject *in, unsigned slot)
{
	BUG_ON(slot < 1 || slot > MASTER_SLOTS_MAX);
	if (in->dead || drain_out(in, WLR_OUT_WAIT_MS) != 0)
		return;     /* gone or stalled: nothing can be let go of now */
	while (in->nkeys[slot] > 0)
		key_up(in, slot, in->keys[slot][in->nkeys[slot] - 1].sym);
	for (unsigned b = 1; b <= WLR_BUTTON_MAX; b++)
		if (in->buttons[slot] & (1u << b))
			(void)button(in, slot, b, false);
	(void)flush(in);
}

static void
wlr_inject_close(struct wlr_inject *in)
{
	if (in == NULL)
		return;
	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		wlr_inject_release(in, s);
	wlr_inject_free(in);
}

/* ---- the back-end's entry in inject.c's table ---- */

static struct inject *
op_open(const char *display, char *why, size_t why_len)
{
	struct wlr_inject *in = wlr_inject_open(display, why, why_len);

	return in != NULL ? &in->base : NULL;
}

static void
op_close(struct inject *in)
{
	wlr_inject_close((struct wlr_inject *)in);
}

static int
op_event(struct inject *in, unsigned slot, const struct msg_input *ev, int ox, int oy,
    unsigned w, unsigned h)
{
	return wlr_inject_event((struct wlr_inject *)in, slot, ev, ox, oy, w, h);
}

static void
op_release(struct inject *in, unsigned slot)
{
	wlr_inject_release((struct wlr_inject *)in, slot);
}

const struct inject_ops inject_wlr_ops = {
	.name = "wlr",
	.open = op_open,
	.close = op_close,
	.event = op_event,
	.release = op_release,
};
