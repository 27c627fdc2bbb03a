/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <X11/XKBlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "err.h"
#include "inject.h"
#include "limits.h"
#include "log.h"

enum {
	INJECT_KEYS_MAX = 32,     /* keys one viewer may hold at once */
	INJECT_SPARES_MAX = 16,   /* spare keycodes for keysyms the layout lacks */
	INJECT_WHEEL_STEPS_MAX = 20,
	INJECT_BUTTON_MAX = 9,
};

struct held {
	uint32_t sym;
	KeyCode kc;
};

struct spare {
	KeyCode kc;
	KeySym bound;      /* NoSymbol while unused */
	uint64_t used;     /* tick of the last use, for LRU */
};

struct x11_inject {
	struct inject base;            /* first: inject.c sees only this */
	Display *dpy;
	int xkb_event;
	XkbDescPtr xkb;
	bool dirty;          /* the keymap changed: fetch it before the next key */
	unsigned l3mask;     /* the real modifier behind ISO_Level3_Shift */
	struct spare spare[INJECT_SPARES_MAX];
	unsigned nspare;
	uint64_t tick;
	struct held keys[MASTER_SLOTS_MAX + 1][INJECT_KEYS_MAX];
	unsigned nkeys[MASTER_SLOTS_MAX + 1];
	uint16_t buttons[MASTER_SLOTS_MAX + 1]; /* bit n: button n is down */
	uint8_t mask[MASTER_SLOTS_MAX + 1];     /* last reported button mask */
};

/*
 * The legacy keysyms of the Latin-2/3/4/9, Cyrillic and Greek sets and
 * the euro sign, with their characters (from keysymdef.h): a viewer sends
 * U+20AC as 0x10020ac while a German layout carries EuroSign (0x20ac).
 */
static const struct {
	uint16_t sym, ucs;
} legacy[] = {
	{ 0x01a1, 0x0104 }, { 0x01a2, 0x02d8 }, { 0x01a3, 0x0141 }, { 0x01a5, 0x013d },
	{ 0x01a6, 0x015a }, { 0x01a9, 0x0160 }, { 0x01aa, 0x015e }, { 0x01ab, 0x0164 },
	{ 0x01ac, 0x0179 }, { 0x01ae, 0x017d }, { 0x01af, 0x017b }, { 0x01b1, 0x0105 },
	{ 0x01b2, 0x02db }, { 0x01b3, 0x0142 }, { 0x01b5, 0x013e }, { 0x01b6, 0x015b },
	{ 0x01b7, 0x02c7 }, { 0x01b9, 0x0161 }, { 0x01ba, 0x015f }, { 0x01bb, 0x0165 },
	{ 0x01bc, 0x017a }, { 0x01bd, 0x02dd }, { 0x01be, 0x017e }, { 0x01bf, 0x017c },
	{ 0x01c0, 0x0154 }, { 0x01c3, 0x0102 }, { 0x01c5, 0x0139 }, { 0x01c6, 0x0106 },
	{ 0x01c8, 0x010c }, { 0x01ca, 0x0118 }, { 0x01cc, 0x011a }, { 0x01cf, 0x010e },
	{ 0x01d0, 0x0110 }, { 0x01d1, 0x0143 }, { 0x01d2, 0x0147 }, { 0x01d5, 0x0150 },
	{ 0x01d8, 0x0158 }, { 0x01d9, 0x016e }, { 0x01db, 0x0170 }, { 0x01de, 0x0162 },
	{ 0x01e0, 0x0155 }, { 0x01e3, 0x0103 }, { 0x01e5, 0x013a }, { 0x01e6, 0x0107 },
	{ 0x01e8, 0x010d }, { 0x01ea, 0x0119 }, { 0x01ec, 0x011b }, { 0x01ef, 0x010f },
	{ 0x01f0, 0x0111 }, { 0x01f1, 0x0144 }, { 0x01f2, 0x0148 }, { 0x01f5, 0x0151 },
	{ 0x01f8, 0x0159 }, { 0x01f9, 0x016f }, { 0x01fb, 0x0171 }, { 0x01fe, 0x0163 },
	{ 0x01ff, 0x02d9 }, { 0x02a1, 0x0126 }, { 0x02a6, 0x0124 }, { 0x02a9, 0x0130 },
	{ 0x02ab, 0x011e }, { 0x02ac, 0x0134 }, { 0x02b1, 0x0127 }, { 0x02b6, 0x0125 },
	{ 0x02b9, 0x0131 }, { 0x02bb, 0x011f }, { 0x02bc, 0x0135 }, { 0x02c5, 0x010a },
	{ 0x02c6, 0x0108 }, { 0x02d5, 0x0120 }, { 0x02d8, 0x011c }, { 0x02dd, 0x016c },
	{ 0x02de, 0x015c }, { 0x02e5, 0x010b }, { 0x02e6, 0x0109 }, { 0x02f5, 0x0121 },
	{ 0x02f8, 0x011d }, { 0x02fd, 0x016d }, { 0x02fe, 0x015d }, { 0x03a2, 0x0138 },
	{ 0x03a3, 0x0156 }, { 0x03a5, 0x0128 }, { 0x03a6, 0x013b }, { 0x03aa, 0x0112 },
	{ 0x03ab, 0x0122 }, { 0x03ac, 0x0166 }, { 0x03b3, 0x0157 }, { 0x03b5, 0x0129 },
	{ 0x03b6, 0x013c }, { 0x03ba, 0x0113 }, { 0x03bb, 0x0123 }, { 0x03bc, 0x0167 },
	{ 0x03bd, 0x014a }, { 0x03bf, 0x014b }, { 0x03c0, 0x0100 }, { 0x03c7, 0x012e },
	{ 0x03cc, 0x0116 }, { 0x03cf, 0x012a }, { 0x03d1, 0x0145 }, { 0x03d2, 0x014c },
	{ 0x03d3, 0x0136 }, { 0x03d9, 0x0172 }, { 0x03dd, 0x0168 }, { 0x03de, 0x016a },
	{ 0x03e0, 0x0101 }, { 0x03e7, 0x012f }, { 0x03ec, 0x0117 }, { 0x03ef, 0x012b },
	{ 0x03f1, 0x0146 }, { 0x03f2, 0x014d }, { 0x03f3, 0x0137 }, { 0x03f9, 0x0173 },
	{ 0x03fd, 0x0169 }, { 0x03fe, 0x016b }, { 0x06a1, 0x0452 }, { 0x06a2, 0x0453 },
	{ 0x06a3, 0x0451 }, { 0x06a4, 0x0454 }, { 0x06a5, 0x0455 }, { 0x06a6, 0x0456 },
	{ 0x06a7, 0x0457 }, { 0x06a8, 0x0458 }, { 0x06a9, 0x0459 }, { 0x06aa, 0x045a },
	{ 0x06ab, 0x045b }, { 0x06ac, 0x045c }, { 0x06ad, 0x0491 }, { 0x06ae, 0x045e },
	{ 0x06af, 0x045f }, { 0x06b0, 0x2116 }, { 0x06b1, 0x0402 }, { 0x06b2, 0x0403 },
	{ 0x06b3, 0x0401 }, { 0x06b4, 0x0404 }, { 0x06b5, 0x0405 }, { 0x06b6, 0x0406 },
	{ 0x06b7, 0x0407 }, { 0x06b8, 0x0408 }, { 0x06b9, 0x0409 }, { 0x06ba, 0x040a },
	{ 0x06bb, 0x040b }, { 0x06bc, 0x040c }, { 0x06bd, 0x0490 }, { 0x06be, 0x040e },
	{ 0x06bf, 0x040f }, { 0x06c0, 0x044e }, { 0x06c1, 0x0430 }, { 0x06c2, 0x0431 },
	{ 0x06c3, 0x0446 }, { 0x06c4, 0x0434 }, { 0x06c5, 0x0435 }, { 0x06c6, 0x0444 },
	{ 0x06c7, 0x0433 }, { 0x06c8, 0x0445 }, { 0x06c9, 0x0438 }, { 0x06ca, 0x0439 },
	{ 0x06cb, 0x043a }, { 0x06cc, 0x043b }, { 0x06cd, 0x043c }, { 0x06ce, 0x043d },
	{ 0x06cf, 0x043e }, { 0x06d0, 0x043f }, { 0x06d1, 0x044f }, { 0x06d2, 0x0440 },
	{ 0x06d3, 0x0441 }, { 0x06d4, 0x0442 }, { 0x06d5, 0x0443 }, { 0x06d6, 0x0436 },
	{ 0x06d7, 0x0432 }, { 0x06d8, 0x044c }, { 0x06d9, 0x044b }, { 0x06da, 0x0437 },
	{ 0x06db, 0x0448 }, { 0x06dc, 0x044d }, { 0x06dd, 0x0449 }, { 0x06de, 0x0447 },
	{ 0x06df, 0x044a }, { 0x06e0, 0x042e }, { 0x06e1, 0x0410 }, { 0x06e2, 0x0411 },
	{ 0x06e3, 0x0426 }, { 0x06e4, 0x0414 }, { 0x06e5, 0x0415 }, { 0x06e6, 0x0424 },
	{ 0x06e7, 0x0413 }, { 0x06e8, 0x0425 }, { 0x06e9, 0x0418 }, { 0x06ea, 0x0419 },
	{ 0x06eb, 0x041a }, { 0x06ec, 0x041b }, { 0x06ed, 0x041c }, { 0x06ee, 0x041d },
	{ 0x06ef, 0x041e }, { 0x06f0, 0x041f }, { 0x06f1, 0x042f }, { 0x06f2, 0x0420 },
	{ 0x06f3, 0x0421 }, { 0x06f4, 0x0422 }, { 0x06f5, 0x0423 }, { 0x06f6, 0x0416 },
	{ 0x06f7, 0x0412 }, { 0x06f8, 0x042c }, { 0x06f9, 0x042b }, { 0x06fa, 0x0417 },
	{ 0x06fb, 0x0428 }, { 0x06fc, 0x042d }, { 0x06fd, 0x0429 }, { 0x06fe, 0x0427 },
	{ 0x06ff, 0x042a }, { 0x07a1, 0x0386 }, { 0x07a2, 0x0388 }, { 0x07a3, 0x0389 },
	{ 0x07a4, 0x038a }, { 0x07a5, 0x03aa }, { 0x07a7, 0x038c }, { 0x07a8, 0x038e },
	{ 0x07a9, 0x03ab }, { 0x07ab, 0x038f }, { 0x07ae, 0x0385 }, { 0x07af, 0x2015 },
	{ 0x07b1, 0x03ac }, { 0x07b2, 0x03ad }, { 0x07b3, 0x03ae }, { 0x07b4, 0x03af },
	{ 0x07b5, 0x03ca }, { 0x07b6, 0x0390 }, { 0x07b7, 0x03cc }, { 0x07b8, 0x03cd },
	{ 0x07b9, 0x03cb }, { 0x07ba, 0x03b0 }, { 0x07bb, 0x03ce }, { 0x07c1, 0x0391 },
	{ 0x07c2, 0x0392 }, { 0x07c3, 0x0393 }, { 0x07c4, 0x0394 }, { 0x07c5, 0x0395 },
	{ 0x07c6, 0x0396 }, { 0x07c7, 0x0397 }, { 0x07c8, 0x0398 }, { 0x07c9, 0x0399 },
	{ 0x07ca, 0x039a }, { 0x07cb, 0x039b }, { 0x07cc, 0x039c }, { 0x07cd, 0x039d },
	{ 0x07ce, 0x039e }, { 0x07cf, 0x039f }, { 0x07d0, 0x03a0 }, { 0x07d1, 0x03a1 },
	{ 0x07d2, 0x03a3 }, { 0x07d4, 0x03a4 }, { 0x07d5, 0x03a5 }, { 0x07d6, 0x03a6 },
	{ 0x07d7, 0x03a7 }, { 0x07d8, 0x03a8 }, { 0x07d9, 0x03a9 }, { 0x07e1, 0x03b1 },
	{ 0x07e2, 0x03b2 }, { 0x07e3, 0x03b3 }, { 0x07e4, 0x03b4 }, { 0x07e5, 0x03b5 },
	{ 0x07e6, 0x03b6 }, { 0x07e7, 0x03b7 }, { 0x07e8, 0x03b8 }, { 0x07e9, 0x03b9 },
	{ 0x07ea, 0x03ba }, { 0x07eb, 0x03bb }, { 0x07ec, 0x03bc }, { 0x07ed, 0x03bd },
	{ 0x07ee, 0x03be }, { 0x07ef, 0x03bf }, { 0x07f0, 0x03c0 }, { 0x07f1, 0x03c1 },
	{ 0x07f2, 0x03c3 }, { 0x07f3, 0x03c2 }, { 0x07f4, 0x03c4 }, { 0x07f5, 0x03c5 },
	{ 0x07f6, 0x03c6 }, { 0x07f7, 0x03c7 }, { 0x07f8, 0x03c8 }, { 0x07f9, 0x03c9 },
	{ 0x13bc, 0x0152 }, { 0x13bd, 0x0153 }, { 0x13be, 0x0178 }, { 0x20ac, 0x20ac },
};

/* The same character's other keysym (Unicode <-> legacy), or NoSymbol. */
static KeySym
other_spelling(KeySym sym)
{
	unsigned i;

	if ((sym >= 0x20 && sym <= 0x7E) || (sym >= 0xA0 && sym <= 0xFF))
		return 0x01000000 + sym;
	if ((sym >= 0x01000020 && sym <= 0x0100007E) || (sym >= 0x010000A0 && sym <= 0x010000FF))
		return sym - 0x01000000;
	for (i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		if (sym == legacy[i].sym)
			return 0x01000000 + (KeySym)legacy[i].ucs;
		if (sym == 0x01000000 + (KeySym)legacy[i].ucs)
			return legacy[i].sym;
	}
	return NoSymbol;
}

/* Which group of key kc the XKB group g selects (out-of-range rules). */
static int
key_group(XkbDescPtr xkb, KeyCode kc, int g)
{
	int n = XkbKeyNumGroups(xkb, kc);
	unsigned info = XkbKeyGroupInfo(xkb, kc);
	int redirect = (int)XkbOutOfRangeGroupNumber(info);

	if (n == 0)
		return -1;
	if (g < n)
		return g;
	switch (XkbOutOfRangeGroupAction(info)) {
	case XkbClampIntoRange:
		return n - 1;
	case XkbRedirectIntoRange:
		return redirect < n ? redirect : 0;
	default:
		return g % n;
	}
}

/* The shift level the key type gives for these real modifiers. */
static int
type_level(const XkbKeyTypeRec *t, unsigned mods)
{
	unsigned m = mods & t->mods.mask;
	int i;

	if (m == 0)
		return 0;
	for (i = 0; i < t->map_count; i++)
		if (t->map[i].active && t->map[i].mods.mask == m)
			return t->map[i].level;
	return 0;
}

/* Fetch the keymap; collect spare keycodes (no symbols at all) once. */
static int
load_map(struct x11_inject *in)
{
	XkbDescPtr x = XkbGetMap(in->dpy, XkbAllClientInfoMask, XkbUseCoreKbd);
	unsigned kc, i;
	int g;

	if (x == NULL)
		return ERR_SYSTEM;
	if (in->xkb != NULL)
		XkbFreeKeyboard(in->xkb, 0, True);
	in->xkb = x;
	in->dirty = false;
	in->l3mask = 0;
	for (kc = x->min_key_code; kc <= x->max_key_code; kc++)
		for (g = 0; g < XkbKeyNumGroups(x, kc); g++)
			if (XkbKeySymEntry(x, kc, 0, g) == XK_ISO_Level3_Shift)
				in->l3mask |= x->map->modmap[kc];
	if (in->l3mask == 0)
		in->l3mask = Mod5Mask;
	/*
	 * A new layout (setxkbmap) drops our bindings: forget those, and any
	 * spare that now has symbols of its own.
	 */
	for (i = 0; i < in->nspare;) {
		struct spare *s = &in->spare[i];

		if (XkbKeyNumSyms(x, s->kc) == 0) {
			s->bound = NoSymbol;
		} else if (s->bound == NoSymbol || XkbKeySymEntry(x, s->kc, 0, 0) != s->bound) {
			*s = in->spare[--in->nspare];
			continue;
		}
		i++;
	}
	if (in->nspare > 0)
		return 0;
	/* From the top: low keycodes are real keys on most keyboards. */
	for (kc = x->max_key_code; kc >= x->min_key_code && in->nspare < INJECT_SPARES_MAX; kc--) {
		if (XkbKeyNumSyms(x, kc) != 0)
			continue;
		in->spare[in->nspare++] = (struct spare){ .kc = (KeyCode)kc };
	}
	return 0;
}

/* Read pending events: only keymap changes matter on this connection. */
static void
drain(struct x11_inject *in)
{
	XEvent e;

	while (XPending(in->dpy) > 0) {
		XNextEvent(in->dpy, &e);
		if (e.type == in->xkb_event || e.type == MappingNotify)
			in->dirty = true;
	}
}

static struct x11_inject *
x11_inject_open(const char *display, char *why, size_t why_len)
{
	struct x11_inject *in;
	int op, ev, er, maj = XkbMajorVersion, min = XkbMinorVersion;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	if ((in->dpy = XOpenDisplay(display)) == NULL) {
		snprintf(why, why_len, "cannot open display %s", display ? display : "$DISPLAY");
		free(in);
		return NULL;
	}
	if (!XTestQueryExtension(in->dpy, &ev, &er, &maj, &min)) {
		snprintf(why, why_len, "the X server has no XTEST extension");
		goto fail;
	}
	maj = XkbMajorVersion;
	min = XkbMinorVersion;
	if (!XkbQueryExtension(in->dpy, &op, &in->xkb_event, &er, &maj, &min)) {
		snprintf(why, why_len, "the X server has no XKEYBOARD extension");
		goto fail;
	}
	/* Server grabs by other clients must not stall our input. */
	XTestGrabControl(in->dpy, True);
	XkbSelectEvents(in->dpy, XkbUseCoreKbd, XkbMapNotifyMask | XkbNewKeyboardNotifyMask,
	    XkbMapNotifyMask | XkbNewKeyboardNotifyMask);
	if (load_map(in) != 0) {
		snprintf(why, why_len, "cannot read the keyboard map");
		goto fail;
	}
	return in;
fail:
	XCloseDisplay(in->dpy);
	free(in);
	return NULL;
}

/* Does any viewer hold keycode kc? */
static bool
kc_held(const struct x11_inject *in, KeyCode kc)
{
	unsigned s, i;

	for (s = 1; s <= MASTER_SLOTS_MAX; s++)
		for (i = 0; i < in->nkeys[s]; i++)
			if (in->keys[s][i].kc == kc)
				return true;
	return false;
}

static bool
button_held(const struct x11_inject *in, unsigned b)
{
	unsigned s;

	for (s = 1; s <= MASTER_SLOTS_MAX; s++)
		if (in->buttons[s] & (1u << b))
			return true;
	return false;
}

/*
 * The keycode that types sym in group g, and the modifiers (of Shift and
 * Level3) to hold for it given the locked modifiers (Caps Lock, Num Lock
 * change levels). The hint keycode wins when it types sym; otherwise the
 * choice needing the fewest modifiers.
 */
static KeyCode
find_key(const struct x11_inject *in, KeySym sym, int g, unsigned locked, unsigned hint,
    unsigned *mods)
{
	static const unsigned combos[] = { 0, ShiftMask, 0x100, ShiftMask | 0x100 };
	XkbDescPtr x = in->xkb;
	KeyCode best = 0;
	unsigned best_n = 99, kc, k;
	int kg, l, c;

	for (k = 0; k <= (unsigned)(x->max_key_code - x->min_key_code) + 1; k++) {
		/* k == 0 tries the hint (scancode + 8 on evdev servers). */
		kc = k == 0 ? hint : x->min_key_code + k - 1;
		if (kc < x->min_key_code || kc > x->max_key_code || (k > 0 && kc == hint))
			continue;
		if ((kg = key_group(x, (KeyCode)kc, g)) < 0)
			continue;
		for (l = 0; l < XkbKeyGroupWidth(x, kc, kg) && l < 4; l++) {
			const XkbKeyTypeRec *t;

			if (XkbKeySymEntry(x, kc, l, kg) != sym)
				continue;
			t = XkbKeyKeyType(x, kc, kg);
			for (c = 0; c < 4; c++) {
				unsigned m = combos[c], n = (unsigned)__builtin_popcount(m);

				if (m & 0x100)
					m = (m & ~0x100u) | in->l3mask;
				if (type_level(t, m | locked) != l || n >= best_n)
					continue;
				best = (KeyCode)kc;
				best_n = n;
				*mods = m;
			}
		}
		if (k == 0 && best != 0)
			return best;
	}
	return best;
}

/* A keycode that carries sym at level 0 (for modifier keys). */
static KeyCode
find_plain(const struct x11_inject *in, KeySym sym, int g)
{
	XkbDescPtr x = in->xkb;
	unsigned kc;
	int kg;

	for (kc = x->min_key_code; kc <= x->max_key_code; kc++)
		if ((kg = key_group(x, (KeyCode)kc, g)) >= 0 && XkbKeySymEntry(x, kc, 0, kg) == sym)
			return (KeyCode)kc;
	return 0;
}

/* Bind sym to a spare keycode, least recently used first. */
static KeyCode
bind_spare(struct x11_inject *in, KeySym sym)
{
	KeySym syms[2] = { sym, sym };
	struct spare *s = NULL;
	unsigned i;

	for (i = 0; i < in->nspare; i++) {
		struct spare *c = &in->spare[i];

		if (c->bound == sym) {
			s = c;
			break;
		}
		if (kc_held(in, c->kc))
			continue;
		if (s == NULL || c->used < s->used)
			s = c;
	}
	if (s == NULL)
		return 0;
	s->used = ++in->tick;
	if (s->bound != sym) {
		/*
		 * The same symbol on both levels, so that neither Shift nor
		 * the core protocol's case rules change what it types.
		 */
		XChangeKeyboardMapping(in->dpy, s->kc, 2, syms, 1);
		s->bound = sym;
		in->dirty = true;
	}
	return s->kc;
}

/* Held modifier keys of any viewer that set a modifier in mask. */
static unsigned
mod_keys(const struct x11_inject *in, unsigned mask, int g, KeyCode *out, unsigned max)
{
	unsigned s, i, n = 0;
	int kg;

	for (s = 1; s <= MASTER_SLOTS_MAX; s++)
		for (i = 0; i < in->nkeys[s] && n < max; i++) {
			KeyCode kc = in->keys[s][i].kc;
			KeySym k;

			if ((kg = key_group(in->xkb, kc, g)) < 0)
				continue;
			k = XkbKeySymEntry(in->xkb, kc, 0, kg);
			if (((mask & ShiftMask) && (k == XK_Shift_L || k == XK_Shift_R)) ||
			    ((mask & in->l3mask) && k == XK_ISO_Level3_Shift))
				out[n++] = kc;
		}
	return n;
}

/* Keys that would press the modifiers in want: 0 when the layout lacks one. */
static int
mod_press(const struct x11_inject *in, unsigned want, int g, KeyCode *add, unsigned *nadd)
{
	*nadd = 0;
	if ((want & ShiftMask) && (add[(*nadd)++] = find_plain(in, XK_Shift_L, g)) == 0)
		return -1;
	if ((want & in->l3mask) && (add[(*nadd)++] = find_plain(in, XK_ISO_Level3_Shift, g)) == 0)
		return -1;
	return 0;
}

static int
key_down(struct x11_inject *in, unsigned slot, const struct msg_input *ev)
{
	KeySym sym = ev->code;
	KeyCode kc, undo[8], add[2];
	unsigned mods = 0, nundo = 0, nadd = 0, i;
	XkbStateRec st;

	drain(in);
	if (in->dirty && load_map(in) != 0)
		return ERR_SYSTEM;
	if (XkbGetState(in->dpy, XkbUseCoreKbd, &st) != Success)
		return ERR_SYSTEM;
	if (IsModifierKey(sym)) {
		/* Modifiers are pressed as themselves, whatever else is held. */
		if ((kc = find_plain(in, sym, st.group)) == 0)
			kc = find_key(in, sym, st.group, 0, ev->x + 8u, &mods);
		if (kc == 0 && (kc = bind_spare(in, sym)) == 0)
			return ERR_LIMIT;
		XTestFakeKeyEvent(in->dpy, kc, True, CurrentTime);
		goto done;
	}
	kc = find_key(in, sym, st.group, st.locked_mods, ev->x + 8u, &mods);
	if (kc == 0 && other_spelling(sym) != NoSymbol)
		kc = find_key(in, other_spelling(sym), st.group, st.locked_mods, ev->x + 8u, &mods);
	/* A level whose modifier key the layout lacks is as good as none. */
	if (kc != 0 && mod_press(in, mods & ~st.base_mods, st.group, add, &nadd) != 0)
		kc = 0;
	if (kc == 0) {
		if ((kc = bind_spare(in, sym)) == 0)
			return ERR_LIMIT;
		mods = 0;
		nadd = 0;
	}
	/*
	 * Shift and Level3 as the level needs them: release the modifier
	 * keys viewers hold that would change the level, press the missing
	 * ones, and put everything back after the press.
	 */
	nundo = mod_keys(in, (st.base_mods & (ShiftMask | in->l3mask)) & ~mods, st.group,
	    undo, 8);
	for (i = 0; i < nundo; i++)
		XTestFakeKeyEvent(in->dpy, undo[i], False, CurrentTime);
	for (i = 0; i < nadd; i++)
		XTestFakeKeyEvent(in->dpy, add[i], True, CurrentTime);
	XTestFakeKeyEvent(in->dpy, kc, True, CurrentTime);
	while (nadd > 0)
		XTestFakeKeyEvent(in->dpy, add[--nadd], False, CurrentTime);
	for (i = 0; i < nundo; i++)
		XTestFakeKeyEvent(in->dpy, undo[i], True, CurrentTime);
done:
	/* A repeat (down again without up) holds nothing new. */
	for (i = 0; i < in->nkeys[slot]; i++)
		if (in->keys[slot][i].sym == ev->code && in->keys[slot][i].kc == kc)
			return 0;
	if (in->nkeys[slot] == INJECT_KEYS_MAX) {
		if (!kc_held(in, kc))
			XTestFakeKeyEvent(in->dpy, kc, False, CurrentTime);
		return ERR_LIMIT;
	}
	in->keys[slot][in->nkeys[slot]++] = (struct held){ .sym = ev->code, .kc = kc };
	return 0;
}

static void
key_up(struct x11_inject *in, unsigned slot, uint32_t sym)
{
	unsigned i;
	KeyCode kc;

	/* The key that went down for sym, whatever the layout says now. */
	for (i = in->nkeys[slot]; i-- > 0;)
		if (in->keys[slot][i].sym == sym)
			break;
	if (i == (unsigned)-1)
		return;
	kc = in->keys[slot][i].kc;
	in->keys[slot][i] = in->keys[slot][--in->nkeys[slot]];
	if (!kc_held(in, kc))
		XTestFakeKeyEvent(in->dpy, kc, False, CurrentTime);
}

static void
click(struct x11_inject *in, unsigned b, int steps)
{
	if (steps > INJECT_WHEEL_STEPS_MAX)
		steps = INJECT_WHEEL_STEPS_MAX;
	while (steps-- > 0) {
		XTestFakeButtonEvent(in->dpy, b, True, CurrentTime);
		XTestFakeButtonEvent(in->dpy, b, False, CurrentTime);
	}
}

static int
x11_inject_event(struct x11_inject *in, unsigned slot, const struct msg_input *ev,
    int ox, int oy, unsigned w, unsigned h)
{
	int16_t dx, dy;
	int r = 0;

	BUG_ON(slot < 1 || slot > MASTER_SLOTS_MAX);
	switch (ev->kind) {
	case MSG_INPUT_POINTER:
		if (ev->x >= w || ev->y >= h)
			return ERR_FORMAT;
		in->mask[slot] = ev->arg;
		XTestFakeMotionEvent(in->dpy, DefaultScreen(in->dpy), ox + ev->x, oy + ev->y,
		    CurrentTime);
		break;
	case MSG_INPUT_BUTTON:
		if (ev->arg < 1 || ev->arg > INJECT_BUTTON_MAX || ev->code > 1)
			return ERR_FORMAT;
		if (ev->code == 1) {
			if (in->buttons[slot] & (1u << ev->arg))
				return 0;
			if (!button_held(in, ev->arg))
				XTestFakeButtonEvent(in->dpy, ev->arg, True, CurrentTime);
			in->buttons[slot] |= (uint16_t)(1u << ev->arg);
		} else {
			if (!(in->buttons[slot] & (1u << ev->arg)))
				return 0;
			in->buttons[slot] &= (uint16_t)~(1u << ev->arg);
			if (!button_held(in, ev->arg))
				XTestFakeButtonEvent(in->dpy, ev->arg, False, CurrentTime);
		}
		break;
	case MSG_INPUT_WHEEL:
		/* Steps as SDL counts them: y > 0 away from the user, x > 0 right. */
		dx = (int16_t)ev->x;
		dy = (int16_t)ev->y;
		click(in, dy > 0 ? 4 : 5, dy > 0 ? dy : -dy);
		click(in, dx > 0 ? 7 : 6, dx > 0 ? dx : -dx);
		break;
	case MSG_INPUT_KEY:
		if (ev->code == 0 || ev->code > MSG_KEYCODE_MAX || ev->arg > 1)
			return ERR_FORMAT;
		if (ev->arg == 1)
			r = key_down(in, slot, ev);
		else
			key_up(in, slot, ev->code);
		break;
	default:
		return ERR_FORMAT;
	}
	XFlush(in->dpy);
	return r;
}

static void
x11_inject_release(struct x11_inject *in, unsigned slot)
{
	unsigned b;

	BUG_ON(slot < 1 || slot > MASTER_SLOTS_MAX);
	while (in->nkeys[slot] > 0)
		key_up(in, slot, in->keys[slot][in->nkeys[slot] - 1].sym);
	for (b = 1; b <= INJECT_BUTTON_MAX; b++) {
		if (!(in->buttons[slot] & (1u << b)))
			continue;
		in->buttons[slot] &= (uint16_t)~(1u << b);
		if (!button_held(in, b))
			XTestFakeButtonEvent(in->dpy, b, False, CurrentTime);
	}
	in->mask[slot] = 0;
	XFlush(in->dpy);
}

static void
x11_inject_close(struct x11_inject *in)
{
	KeySym none = NoSymbol;
	unsigned s, i;

	if (in == NULL)
		return;
	for (s = 1; s <= MASTER_SLOTS_MAX; s++)
		x11_inject_release(in, s);
	/* Spare keycodes had no symbols: give them none again. */
	for (i = 0; i < in->nspare; i++)
		if (in->spare[i].bound != NoSymbol)
			XChangeKeyboardMapping(in->dpy, in->spare[i].kc, 1, &none, 1);
	XSync(in->dpy, False);
	if (in->xkb != NULL)
		XkbFreeKeyboard(in->xkb, 0, True);
	XCloseDisplay(in->dpy);
	free(in);
}

/* ---- the back-end's entry in inject.c's table ---- */

static struct inject *
op_open(const char *display, char *why, size_t why_len)
{
	struct x11_inject *in = x11_inject_open(display, why, why_len);

	return in != NULL ? &in->base : NULL;
}

static void
op_close(struct inject *in)
{
	x11_inject_close((struct x11_inject *)in);
}

static int
op_event(struct inject *in, unsigned slot, const struct msg_input *ev, int ox, int oy,
    unsigned w, unsigned h)
{
	return x11_inject_event((struct x11_inject *)in, slot, ev, ox, oy, w, h);
}

static void
op_release(struct inject *in, unsigned slot)
{
	x11_inject_release((struct x11_inject *)in, slot);
}

const struct inject_ops inject_x11_ops = {
	.name = "x11",
	.open = op_open,
	.close = op_close,
	.event = op_event,
	.release = op_release,
};
