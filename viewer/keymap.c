/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keymap.c - SDL keycodes to X keysyms, SDL scancodes to X keycodes.
 *
 * Keysym values are X11's (X11/keysymdef.h, XF86keysym.h); they are
 * written out here so that the viewer needs no X headers. Only SDL types
 * and constants are used, never an SDL function (see keymap.h).
 */
#include "keymap.h"

bool
keymap_is_text(SDL_Keycode sym)
{
	/* SDL keycodes of character keys are the character (lowercase for
	 * letters); 0x7F is SDLK_DELETE, not text. */
	return (sym >= 0x20 && sym < 0x7F) || (sym >= 0xA0 && !(sym & SDLK_SCANCODE_MASK));
}

uint32_t
keymap_unicode_keysym(uint32_t cp)
{
	/* X's rule: Latin-1 keysyms equal the code point, every other
	 * character is 0x01000000 + code point. */
	if ((cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xFF))
		return cp;
	if (cp < 0xA0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return 0x01000000 + cp;
}

const char *
keymap_utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned n, i;
	uint32_t c;

	if (*p == 0)
		return NULL;
	if (*p < 0x80) {
		*cp = *p;
		return s + 1;
	}
	if (*p >= 0xC2 && *p <= 0xDF) {
		n = 1;
		c = *p & 0x1F;
	} else if (*p >= 0xE0 && *p <= 0xEF) {
		n = 2;
		c = *p & 0x0F;
	} else if (*p >= 0xF0 && *p <= 0xF4) {
		n = 3;
		c = *p & 0x07;
	} else {
		*cp = 0xFFFD;
		return s + 1;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			/* Truncated: skip the lead byte only, so that the next
			 * character (or the NUL) is still seen. */
			*cp = 0xFFFD;
			return s + 1;
		}
		c = c << 6 | (p[i] & 0x3F);
	}
	/* Overlong forms and out-of-range values are not characters. */
	if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10FFFF)))
		c = 0xFFFD;
	*cp = c;
	return s + 1 + n;
}

/* Keypad keys without Num Lock are navigation keys on X too. */
static uint32_t
keypad(SDL_Keycode sym, bool num)
{
	switch (sym) {
	case SDLK_KP_0: return num ? 0xFFB0 : 0xFF9E;   /* KP_0 / KP_Insert */
	case SDLK_KP_1: return num ? 0xFFB1 : 0xFF9C;   /* KP_End */
	case SDLK_KP_2: return num ? 0xFFB2 : 0xFF99;   /* KP_Down */
	case SDLK_KP_3: return num ? 0xFFB3 : 0xFF9B;   /* KP_Next */
	case SDLK_KP_4: return num ? 0xFFB4 : 0xFF96;   /* KP_Left */
	case SDLK_KP_5: return num ? 0xFFB5 : 0xFF9D;   /* KP_Begin */
	case SDLK_KP_6: return num ? 0xFFB6 : 0xFF98;   /* KP_Right */
	case SDLK_KP_7: return num ? 0xFFB7 : 0xFF95;   /* KP_Home */
	case SDLK_KP_8: return num ? 0xFFB8 : 0xFF97;   /* KP_Up */
	case SDLK_KP_9: return num ? 0xFFB9 : 0xFF9A;   /* KP_Prior */
	case SDLK_KP_PERIOD: return num ? 0xFFAE : 0xFF9F; /* KP_Decimal / KP_Delete */
	case SDLK_KP_DIVIDE: return 0xFFAF;
	case SDLK_KP_MULTIPLY: return 0xFFAA;
	case SDLK_KP_MINUS: return 0xFFAD;
	case SDLK_KP_PLUS: return 0xFFAB;
	case SDLK_KP_ENTER: return 0xFF8D;
	case SDLK_KP_EQUALS: return 0xFFBD;
	case SDLK_KP_COMMA: return 0xFFAC;              /* KP_Separator */
	default: return 0;
	}
}

uint32_t
keymap_keysym(SDL_Keycode sym, SDL_Keymod mod)
{
	uint32_t ks;

	if (keymap_is_text(sym)) {
		/* The key's own character; letters stay lowercase so that
		 * Ctrl+Shift+C is Shift_L + c, as on an X keyboard. */
		return keymap_unicode_keysym((uint32_t)sym);
	}
	if (sym >= SDLK_F1 && sym <= SDLK_F12)
		return 0xFFBE + (uint32_t)(sym - SDLK_F1);
	if (sym >= SDLK_F13 && sym <= SDLK_F24)
		return 0xFFCA + (uint32_t)(sym - SDLK_F13);
	if ((ks = keypad(sym, (mod & KMOD_NUM) != 0)) != 0)
		return ks;
	switch (sym) {
	case SDLK_BACKSPACE: return 0xFF08;
	case SDLK_TAB: return 0xFF09;
	case SDLK_RETURN: return 0xFF0D;
	case SDLK_ESCAPE: return 0xFF1B;
	case SDLK_DELETE: return 0xFFFF;
	case SDLK_HOME: return 0xFF50;
	case SDLK_LEFT: return 0xFF51;
	case SDLK_UP: return 0xFF52;
	case SDLK_RIGHT: return 0xFF53;
	case SDLK_DOWN: return 0xFF54;
	case SDLK_PAGEUP: return 0xFF55;        /* Prior */
	case SDLK_PAGEDOWN: return 0xFF56;      /* Next */
	case SDLK_END: return 0xFF57;
	case SDLK_INSERT: return 0xFF63;
	case SDLK_LSHIFT: return 0xFFE1;
	case SDLK_RSHIFT: return 0xFFE2;
	case SDLK_LCTRL: return 0xFFE3;
	case SDLK_RCTRL: return 0xFFE4;
	case SDLK_CAPSLOCK: return 0xFFE5;
	case SDLK_LALT: return 0xFFE9;
	/* Right Alt is AltGr on most layouts (on US ones the host's layout
	 * decides what ISO_Level3_Shift does). */
	case SDLK_RALT: return 0xFE03;          /* ISO_Level3_Shift */
	case SDLK_MODE: return 0xFF7E;          /* Mode_switch */
	case SDLK_LGUI: return 0xFFEB;          /* Super_L */
	case SDLK_RGUI: return 0xFFEC;          /* Super_R */
	case SDLK_APPLICATION: return 0xFF67;   /* Menu */
	case SDLK_MENU: return 0xFF67;
	case SDLK_NUMLOCKCLEAR: return 0xFF7F;  /* Num_Lock */
	case SDLK_SCROLLLOCK: return 0xFF14;
	case SDLK_PRINTSCREEN: return 0xFF61;   /* Print */
	case SDLK_SYSREQ: return 0xFF15;
	case SDLK_PAUSE: return 0xFF13;
	case SDLK_CLEAR: return 0xFF0B;
	case SDLK_SELECT: return 0xFF60;
	case SDLK_EXECUTE: return 0xFF62;
	case SDLK_UNDO: return 0xFF65;
	case SDLK_AGAIN: return 0xFF66;         /* Redo */
	case SDLK_FIND: return 0xFF68;
	case SDLK_CANCEL: return 0xFF69;
	case SDLK_HELP: return 0xFF6A;
	case SDLK_MUTE: return 0x1008FF12;      /* XF86AudioMute */
	case SDLK_AUDIOMUTE: return 0x1008FF12;
	case SDLK_VOLUMEDOWN: return 0x1008FF11;
	case SDLK_VOLUMEUP: return 0x1008FF13;
	case SDLK_AUDIOPLAY: return 0x1008FF14;
	case SDLK_AUDIOSTOP: return 0x1008FF15;
	case SDLK_AUDIOPREV: return 0x1008FF16;
	case SDLK_AUDIONEXT: return 0x1008FF17;
	default: return 0;
	}
}

/* SDL scancodes (USB HID usages) to Linux evdev codes; X adds 8. */
static const uint8_t evdev[SDL_NUM_SCANCODES] = {
	[SDL_SCANCODE_A] = 30, [SDL_SCANCODE_B] = 48, [SDL_SCANCODE_C] = 46,
	[SDL_SCANCODE_D] = 32, [SDL_SCANCODE_E] = 18, [SDL_SCANCODE_F] = 33,
	[SDL_SCANCODE_G] = 34, [SDL_SCANCODE_H] = 35, [SDL_SCANCODE_I] = 23,
	[SDL_SCANCODE_J] = 36, [SDL_SCANCODE_K] = 37, [SDL_SCANCODE_L] = 38,
	[SDL_SCANCODE_M] = 50, [SDL_SCANCODE_N] = 49, [SDL_SCANCODE_O] = 24,
	[SDL_SCANCODE_P] = 25, [SDL_SCANCODE_Q] = 16, [SDL_SCANCODE_R] = 19,
	[SDL_SCANCODE_S] = 31, [SDL_SCANCODE_T] = 20, [SDL_SCANCODE_U] = 22,
	[SDL_SCANCODE_V] = 47, [SDL_SCANCODE_W] = 17, [SDL_SCANCODE_X] = 45,
	[SDL_SCANCODE_Y] = 21, [SDL_SCANCODE_Z] = 44,
	[SDL_SCANCODE_1] = 2, [SDL_SCANCODE_2] = 3, [SDL_SCANCODE_3] = 4,
	[SDL_SCANCODE_4] = 5, [SDL_SCANCODE_5] = 6, [SDL_SCANCODE_6] = 7,
	[SDL_SCANCODE_7] = 8, [SDL_SCANCODE_8] = 9, [SDL_SCANCODE_9] = 10,
	[SDL_SCANCODE_0] = 11,
	[SDL_SCANCODE_RETURN] = 28, [SDL_SCANCODE_ESCAPE] = 1,
	[SDL_SCANCODE_BACKSPACE] = 14, [SDL_SCANCODE_TAB] = 15,
	[SDL_SCANCODE_SPACE] = 57, [SDL_SCANCODE_MINUS] = 12,
	[SDL_SCANCODE_EQUALS] = 13, [SDL_SCANCODE_LEFTBRACKET] = 26,
	[SDL_SCANCODE_RIGHTBRACKET] = 27, [SDL_SCANCODE_BACKSLASH] = 43,
	[SDL_SCANCODE_NONUSHASH] = 43, [SDL_SCANCODE_SEMICOLON] = 39,
	[SDL_SCANCODE_APOSTROPHE] = 40, [SDL_SCANCODE_GRAVE] = 41,
	[SDL_SCANCODE_COMMA] = 51, [SDL_SCANCODE_PERIOD] = 52,
	[SDL_SCANCODE_SLASH] = 53, [SDL_SCANCODE_CAPSLOCK] = 58,
	[SDL_SCANCODE_F1] = 59, [SDL_SCANCODE_F2] = 60, [SDL_SCANCODE_F3] = 61,
	[SDL_SCANCODE_F4] = 62, [SDL_SCANCODE_F5] = 63, [SDL_SCANCODE_F6] = 64,
	[SDL_SCANCODE_F7] = 65, [SDL_SCANCODE_F8] = 66, [SDL_SCANCODE_F9] = 67,
	[SDL_SCANCODE_F10] = 68, [SDL_SCANCODE_F11] = 87, [SDL_SCANCODE_F12] = 88,
	[SDL_SCANCODE_PRINTSCREEN] = 99, [SDL_SCANCODE_SCROLLLOCK] = 70,
	[SDL_SCANCODE_PAUSE] = 119, [SDL_SCANCODE_INSERT] = 110,
	[SDL_SCANCODE_HOME] = 102, [SDL_SCANCODE_PAGEUP] = 104,
	[SDL_SCANCODE_DELETE] = 111, [SDL_SCANCODE_END] = 107,
	[SDL_SCANCODE_PAGEDOWN] = 109, [SDL_SCANCODE_RIGHT] = 106,
	[SDL_SCANCODE_LEFT] = 105, [SDL_SCANCODE_DOWN] = 108, [SDL_SCANCODE_UP] = 103,
	[SDL_SCANCODE_NUMLOCKCLEAR] = 69, [SDL_SCANCODE_KP_DIVIDE] = 98,
	[SDL_SCANCODE_KP_MULTIPLY] = 55, [SDL_SCANCODE_KP_MINUS] = 74,
	[SDL_SCANCODE_KP_PLUS] = 78, [SDL_SCANCODE_KP_ENTER] = 96,
	[SDL_SCANCODE_KP_1] = 79, [SDL_SCANCODE_KP_2] = 80, [SDL_SCANCODE_KP_3] = 81,
	[SDL_SCANCODE_KP_4] = 75, [SDL_SCANCODE_KP_5] = 76, [SDL_SCANCODE_KP_6] = 77,
	[SDL_SCANCODE_KP_7] = 71, [SDL_SCANCODE_KP_8] = 72, [SDL_SCANCODE_KP_9] = 73,
	[SDL_SCANCODE_KP_0] = 82, [SDL_SCANCODE_KP_PERIOD] = 83,
	[SDL_SCANCODE_NONUSBACKSLASH] = 86, [SDL_SCANCODE_APPLICATION] = 127,
	[SDL_SCANCODE_POWER] = 116, [SDL_SCANCODE_KP_EQUALS] = 117,
	[SDL_SCANCODE_F13] = 183, [SDL_SCANCODE_F14] = 184, [SDL_SCANCODE_F15] = 185,
	[SDL_SCANCODE_F16] = 186, [SDL_SCANCODE_F17] = 187, [SDL_SCANCODE_F18] = 188,
	[SDL_SCANCODE_F19] = 189, [SDL_SCANCODE_F20] = 190, [SDL_SCANCODE_F21] = 191,
	[SDL_SCANCODE_F22] = 192, [SDL_SCANCODE_F23] = 193, [SDL_SCANCODE_F24] = 194,
	[SDL_SCANCODE_MENU] = 139, [SDL_SCANCODE_MUTE] = 113,
	[SDL_SCANCODE_VOLUMEUP] = 115, [SDL_SCANCODE_VOLUMEDOWN] = 114,
	[SDL_SCANCODE_KP_COMMA] = 121, [SDL_SCANCODE_INTERNATIONAL1] = 89,
	[SDL_SCANCODE_INTERNATIONAL3] = 124, [SDL_SCANCODE_LANG1] = 122,
	[SDL_SCANCODE_LANG2] = 123,
	[SDL_SCANCODE_LCTRL] = 29, [SDL_SCANCODE_LSHIFT] = 42, [SDL_SCANCODE_LALT] = 56,
	[SDL_SCANCODE_LGUI] = 125, [SDL_SCANCODE_RCTRL] = 97, [SDL_SCANCODE_RSHIFT] = 54,
	[SDL_SCANCODE_RALT] = 100, [SDL_SCANCODE_RGUI] = 126,
	[SDL_SCANCODE_AUDIONEXT] = 163, [SDL_SCANCODE_AUDIOPREV] = 165,
	[SDL_SCANCODE_AUDIOSTOP] = 166, [SDL_SCANCODE_AUDIOPLAY] = 164,
	[SDL_SCANCODE_AUDIOMUTE] = 113,
};

uint16_t
keymap_x11_keycode(SDL_Scancode sc)
{
	if ((unsigned)sc >= SDL_NUM_SCANCODES || evdev[sc] == 0)
		return 0;
	return (uint16_t)(evdev[sc] + 8);
}
