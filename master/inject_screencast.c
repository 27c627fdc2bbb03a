/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inject_screencast.c - the viewers' input on a Wayland desktop, through
 * the remote desktop session capture_screencast.c set up (it takes a
 * second reference to the session): "mutter" (Mutter's own interfaces)
 * and "portal" (the desktop portal's RemoteDesktop; where the portal has
 * none, as on sway, wlroots' virtual keyboard and pointer from
 * inject_wlr.c).
 *
 * Keys go as keysyms (NotifyKeyboardKeysym): the compositor finds the key
 * and level in the host's own layout, so characters arrive whatever
 * layout either side uses. The pointer moves in the recorded stream's
 * coordinates; buttons are evdev codes; the wheel goes in discrete steps.
 * Keys and buttons are tracked per viewer, as inject_x11.c does, so that
 * everything a viewer holds is released when it leaves or loses control,
 * and a key two viewers hold goes up only with the second.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "i18n.h"
#include "inject.h"
#include "limits.h"
#include "log.h"
#include "screencast_session.h"

enum {
	INJECT_SCREENCAST_KEYS_MAX = 32,    /* keys one viewer may hold at once */
	INJECT_SCREENCAST_WHEEL_STEPS_MAX = 20,
	INJECT_SCREENCAST_BUTTON_MAX = 9,
};

struct screencast_inject {
	struct inject base;             /* first: inject.c sees only this */
	struct screencast_session *session;
	uint32_t keys[MASTER_SLOTS_MAX + 1][INJECT_SCREENCAST_KEYS_MAX];
	unsigned nkeys[MASTER_SLOTS_MAX + 1];
	uint16_t buttons[MASTER_SLOTS_MAX + 1]; /* bit n: button n is down */
};

/* X button numbers (what viewers send) to Linux evdev codes; 0: none.
 * 4-7 are the wheel's steps in X; they come as MSG_INPUT_WHEEL. */
static int32_t
evdev_button(unsigned b)
{
	switch (b) {
	case 1: return 0x110;   /* BTN_LEFT */
	case 2: return 0x112;   /* BTN_MIDDLE */
	case 3: return 0x111;   /* BTN_RIGHT */
	case 8: return 0x113;   /* BTN_SIDE */
	case 9: return 0x114;   /* BTN_EXTRA */
	default: return 0;
	}
}

static bool
key_held(const struct screencast_inject *in, uint32_t sym)
{
	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		for (unsigned i = 0; i < in->nkeys[s]; i++)
			if (in->keys[s][i] == sym)
				return true;
	return false;
}

static bool
button_held(const struct screencast_inject *in, unsigned b)
{
	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		if (in->buttons[s] & (1u << b))
			return true;
	return false;
}

static int
key_down(struct screencast_inject *in, unsigned slot, uint32_t sym)
{
	for (unsigned i = 0; i < in->nkeys[slot]; i++)
		if (in->keys[slot][i] == sym)
			/* A repeat: pressed again, held once. */
			return in->session->ops->keysym(in->session, sym, true);
	if (in->nkeys[slot] == INJECT_SCREENCAST_KEYS_MAX)
		return ERR_LIMIT;
	in->keys[slot][in->nkeys[slot]++] = sym;
	return in->session->ops->keysym(in->session, sym, true);
}

static int
key_up(struct screencast_inject *in, unsigned slot, uint32_t sym)
{
	unsigned i;

	for (i = 0; i < in->nkeys[slot]; i++)
		if (in->keys[slot][i] == sym)
			break;
	if (i == in->nkeys[slot])
		return 0;
	in->keys[slot][i] = in->keys[slot][--in->nkeys[slot]];
	return key_held(in, sym) ? 0 : in->session->ops->keysym(in->session, sym, false);
}

static int
button(struct screencast_inject *in, unsigned slot, unsigned b, bool down)
{
	int32_t code = evdev_button(b);
	uint16_t bit = (uint16_t)(1u << b);

	if (code == 0) {
		/* X's wheel buttons as one step each, on the press. */
		if (!down || b < 4 || b > 7)
			return 0;
		return in->session->ops->wheel(in->session, b >= 6, b == 4 || b == 6 ? -1 : 1);
	}
	if (down) {
		if (in->buttons[slot] & bit)
			return 0;
		bool other = button_held(in, b);
		in->buttons[slot] |= bit;
		return other ? 0 : in->session->ops->button(in->session, code, true);
	}
	if (!(in->buttons[slot] & bit))
		return 0;
	in->buttons[slot] &= (uint16_t)~bit;
	return button_held(in, b) ? 0 : in->session->ops->button(in->session, code, false);
}

static int
wheel(struct screencast_inject *in, int steps, bool horizontal)
{
	if (steps > INJECT_SCREENCAST_WHEEL_STEPS_MAX)
		steps = INJECT_SCREENCAST_WHEEL_STEPS_MAX;
	if (steps < -INJECT_SCREENCAST_WHEEL_STEPS_MAX)
		steps = -INJECT_SCREENCAST_WHEEL_STEPS_MAX;
	return steps == 0 ? 0 : in->session->ops->wheel(in->session, horizontal, steps);
}

static int
screencast_inject_event(struct inject *base, unsigned slot, const struct msg_input *ev, int ox,
    int oy, unsigned w, unsigned h)
{
	struct screencast_inject *in = (struct screencast_inject *)base;
	int r;

	(void)ox;
	(void)oy;
	BUG_ON(slot < 1 || slot > MASTER_SLOTS_MAX);
	switch (ev->kind) {
	case MSG_INPUT_POINTER:
		if (ev->x >= w || ev->y >= h)
			return ERR_FORMAT;
		return in->session->ops->motion(in->session, ev->x, ev->y);
	case MSG_INPUT_BUTTON:
		if (ev->arg < 1 || ev->arg > INJECT_SCREENCAST_BUTTON_MAX || ev->code > 1)
			return ERR_FORMAT;
		return button(in, slot, ev->arg, ev->code == 1);
	case MSG_INPUT_WHEEL:
		/* SDL counts y > 0 away from the user (up), Wayland down;
		 * x > 0 is right for both. */
		r = wheel(in, -(int16_t)ev->y, false);
		return r != 0 ? r : wheel(in, (int16_t)ev->x, true);
	case MSG_INPUT_KEY:
		if (ev->code == 0 || ev->code > MSG_KEYCODE_MAX || ev->arg > 1)
			return ERR_FORMAT;
		return ev->arg == 1 ? key_down(in, slot, ev->code) : key_up(in, slot, ev->code);
	default:
		return ERR_FORMAT;
	}
}

static void
screencast_inject_release(struct inject *base, unsigned slot)
{
	struct screencast_inject *in = (struct screencast_inject *)base;

	BUG_ON(slot < 1 || slot > MASTER_SLOTS_MAX);
	while (in->nkeys[slot] > 0)
		(void)key_up(in, slot, in->keys[slot][in->nkeys[slot] - 1]);
	for (unsigned b = 1; b <= INJECT_SCREENCAST_BUTTON_MAX; b++)
		if (in->buttons[slot] & (1u << b))
			(void)button(in, slot, b, false);
}

/* An input back-end on the session from acquire(); NULL with why[]
 * when there is none, or it takes no input. */
static struct inject *
open_with(struct screencast_session *(*acquire)(const struct screencast_want *want, char *why,
    size_t why_len), char *why, size_t why_len)
{
	struct screencast_inject *in;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	/* The capture's session (it acquired first, with the host's choice). */
	if ((in->session = acquire(NULL, why, why_len)) == NULL) {
		free(in);
		return NULL;
	}
	if (!in->session->ops->takes_input(in->session)) {
		snprintf(why, why_len, "%s", _("the desktop allows no input in this screen cast"));
		in->session->ops->release(in->session);
		free(in);
		return NULL;
	}
	return &in->base;
}

static struct inject *
mutter_inject_open(const char *display, char *why, size_t why_len)
{
	(void)display;
	return open_with(mutter_session_acquire, why, why_len);
}

/*
 * The portal's RemoteDesktop where the desktop has it and the host
 * granted keyboard and pointer; else (sway: xdg-desktop-portal-wlr has
 * only ScreenCast) wlroots' virtual keyboard and pointer on the same
 * Wayland display. Neither: viewers can only watch, and why[] says so.
 */
static struct inject *
portal_inject_open(const char *display, char *why, size_t why_len)
{
	struct inject *in;
	char wlr_why[256];

	if ((in = open_with(portal_session_acquire, why, why_len)) != NULL)
		return in;
	/* A window's picture is not the compositor's layout: input there
	 * would land elsewhere. */
	if (portal_session_window()) {
		snprintf(why, why_len, "%s", _("a shared window takes no input through the "
		    "desktop portal: viewers can only watch"));
		return NULL;
	}
	if ((in = inject_wlr_ops.open(display, wlr_why, sizeof(wlr_why))) != NULL) {
		in->ops = &inject_wlr_ops;
		log_info("input through the compositor's virtual keyboard and pointer (%s)",
		    why);
		return in;
	}
	log_debug("no wlroots input either: %s", wlr_why);
	return NULL;
}

static void
screencast_inject_close(struct inject *base)
{
	struct screencast_inject *in = (struct screencast_inject *)base;

	for (unsigned s = 1; s <= MASTER_SLOTS_MAX; s++)
		screencast_inject_release(base, s);
	in->session->ops->release(in->session);
	free(in);
}

const struct inject_ops inject_mutter_ops = {
	.name = "mutter",
	.open = mutter_inject_open,
	.close = screencast_inject_close,
	.event = screencast_inject_event,
	.release = screencast_inject_release,
};

const struct inject_ops inject_portal_ops = {
	.name = "portal",
	.open = portal_inject_open,
	.close = screencast_inject_close,
	.event = screencast_inject_event,
	.release = screencast_inject_release,
};
