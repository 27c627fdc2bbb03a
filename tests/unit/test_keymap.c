/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_keymap - SDL keys to X keysyms and keycodes. keymap.c is included
 * directly: it calls no SDL function, so no SDL library is linked.
 */
#include "test.h"

#include "../../viewer/keymap.c"

static void
test_keysyms(void)
{
	CHECK(keymap_keysym(SDLK_a, KMOD_NONE) == 0x61);
	/* The key, not the text: Shift does not make it 'A'. */
	CHECK(keymap_keysym(SDLK_c, KMOD_LCTRL | KMOD_LSHIFT) == 0x63);
	CHECK(keymap_keysym(SDLK_1, KMOD_NONE) == 0x31);
	CHECK(keymap_keysym(SDLK_SPACE, KMOD_NONE) == 0x20);
	CHECK(keymap_keysym(0xE9, KMOD_NONE) == 0xE9);          /* é: Latin-1 */
	CHECK(keymap_keysym(0x0444, KMOD_NONE) == 0x01000444);  /* ф */
	CHECK(keymap_keysym(SDLK_RETURN, KMOD_NONE) == 0xFF0D);
	CHECK(keymap_keysym(SDLK_BACKSPACE, KMOD_NONE) == 0xFF08);
	CHECK(keymap_keysym(SDLK_TAB, KMOD_NONE) == 0xFF09);
	CHECK(keymap_keysym(SDLK_ESCAPE, KMOD_NONE) == 0xFF1B);
	CHECK(keymap_keysym(SDLK_DELETE, KMOD_NONE) == 0xFFFF);
	CHECK(keymap_keysym(SDLK_F1, KMOD_NONE) == 0xFFBE);
	CHECK(keymap_keysym(SDLK_F12, KMOD_NONE) == 0xFFC9);
	CHECK(keymap_keysym(SDLK_F13, KMOD_NONE) == 0xFFCA);
	CHECK(keymap_keysym(SDLK_F24, KMOD_NONE) == 0xFFD5);
	CHECK(keymap_keysym(SDLK_LEFT, KMOD_NONE) == 0xFF51);
	CHECK(keymap_keysym(SDLK_DOWN, KMOD_NONE) == 0xFF54);
	CHECK(keymap_keysym(SDLK_HOME, KMOD_NONE) == 0xFF50);
	CHECK(keymap_keysym(SDLK_END, KMOD_NONE) == 0xFF57);
	CHECK(keymap_keysym(SDLK_PAGEUP, KMOD_NONE) == 0xFF55);
	CHECK(keymap_keysym(SDLK_PAGEDOWN, KMOD_NONE) == 0xFF56);
	CHECK(keymap_keysym(SDLK_INSERT, KMOD_NONE) == 0xFF63);
	CHECK(keymap_keysym(SDLK_LSHIFT, KMOD_NONE) == 0xFFE1);
	CHECK(keymap_keysym(SDLK_RSHIFT, KMOD_NONE) == 0xFFE2);
	CHECK(keymap_keysym(SDLK_LCTRL, KMOD_NONE) == 0xFFE3);
	CHECK(keymap_keysym(SDLK_RCTRL, KMOD_NONE) == 0xFFE4);
	CHECK(keymap_keysym(SDLK_LALT, KMOD_NONE) == 0xFFE9);
	CHECK(keymap_keysym(SDLK_RALT, KMOD_NONE) == 0xFE03);   /* AltGr */
	CHECK(keymap_keysym(SDLK_MODE, KMOD_NONE) == 0xFF7E);
	CHECK(keymap_keysym(SDLK_LGUI, KMOD_NONE) == 0xFFEB);
	CHECK(keymap_keysym(SDLK_RGUI, KMOD_NONE) == 0xFFEC);
	CHECK(keymap_keysym(SDLK_CAPSLOCK, KMOD_NONE) == 0xFFE5);
	CHECK(keymap_keysym(SDLK_APPLICATION, KMOD_NONE) == 0xFF67);
	CHECK(keymap_keysym(SDLK_PRINTSCREEN, KMOD_NONE) == 0xFF61);
	CHECK(keymap_keysym(SDLK_PAUSE, KMOD_NONE) == 0xFF13);
	/* The keypad follows Num Lock. */
	CHECK(keymap_keysym(SDLK_KP_1, KMOD_NUM) == 0xFFB1);
	CHECK(keymap_keysym(SDLK_KP_1, KMOD_NONE) == 0xFF9C);
	CHECK(keymap_keysym(SDLK_KP_0, KMOD_NUM) == 0xFFB0);
	CHECK(keymap_keysym(SDLK_KP_PERIOD, KMOD_NONE) == 0xFF9F);
	CHECK(keymap_keysym(SDLK_KP_ENTER, KMOD_NONE) == 0xFF8D);
	CHECK(keymap_keysym(SDLK_KP_PLUS, KMOD_NONE) == 0xFFAB);
	CHECK(keymap_keysym(SDLK_UNKNOWN, KMOD_NONE) == 0);
	CHECK(keymap_keysym(SDLK_BRIGHTNESSUP, KMOD_NONE) == 0);
}

static void
test_text(void)
{
	CHECK(keymap_is_text(SDLK_a));
	CHECK(keymap_is_text(SDLK_SPACE));
	CHECK(keymap_is_text(0xE4));
	CHECK(!keymap_is_text(SDLK_RETURN));
	CHECK(!keymap_is_text(SDLK_DELETE));
	CHECK(!keymap_is_text(SDLK_KP_1));
	CHECK(!keymap_is_text(SDLK_LSHIFT));

	CHECK(keymap_unicode_keysym('@') == 0x40);
	CHECK(keymap_unicode_keysym('B') == 0x42);
	CHECK(keymap_unicode_keysym(0xA0) == 0xA0);
	CHECK(keymap_unicode_keysym(0xFF) == 0xFF);
	CHECK(keymap_unicode_keysym(0x20AC) == 0x010020AC);     /* € */
	CHECK(keymap_unicode_keysym(0x1F600) == 0x0101F600);
	CHECK(keymap_unicode_keysym('\n') == 0);
	CHECK(keymap_unicode_keysym(0x7F) == 0);
	CHECK(keymap_unicode_keysym(0x85) == 0);
	CHECK(keymap_unicode_keysym(0xD800) == 0);
}

static void
test_utf8(void)
{
	const char *s = "aé€\xF0\x9F\x98\x80";
	uint32_t want[] = { 'a', 0xE9, 0x20AC, 0x1F600 }, cp;
	unsigned n = 0;
	bool ok = true;

	while ((s = keymap_utf8_next(s, &cp)) != NULL) {
		ok = ok && n < 4 && cp == want[n];
		n++;
	}
	CHECK(ok && n == 4);
	/* Malformed: a lone continuation, a truncated sequence, an overlong
	 * '/': each bad lead byte is U+FFFD and decoding goes on. */
	s = "\x80x\xE2\x82";
	CHECK((s = keymap_utf8_next(s, &cp)) != NULL && cp == 0xFFFD);
	CHECK((s = keymap_utf8_next(s, &cp)) != NULL && cp == 'x');
	CHECK((s = keymap_utf8_next(s, &cp)) != NULL && cp == 0xFFFD);
	CHECK((s = keymap_utf8_next(s, &cp)) != NULL && cp == 0xFFFD);
	CHECK(keymap_utf8_next(s, &cp) == NULL);
	CHECK(keymap_utf8_next("\xC0\xAF", &cp) != NULL && cp == 0xFFFD);
	CHECK(keymap_utf8_next("\xE0\x80\xAF", &cp) != NULL && cp == 0xFFFD);
}

static void
test_keycodes(void)
{
	/* X keycodes on an evdev X server (xmodmap -pke). */
	CHECK(keymap_x11_keycode(SDL_SCANCODE_A) == 38);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_C) == 54);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_B) == 56);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_2) == 11);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_ESCAPE) == 9);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_RETURN) == 36);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_SPACE) == 65);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_LCTRL) == 37);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_LSHIFT) == 50);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_RALT) == 108);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_F1) == 67);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_F11) == 95);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_LEFT) == 113);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_DELETE) == 119);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_KP_ENTER) == 104);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_NONUSBACKSLASH) == 94);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_UNKNOWN) == 0);
	CHECK(keymap_x11_keycode(SDL_SCANCODE_AC_BACK) == 0);
	CHECK(keymap_x11_keycode((SDL_Scancode)SDL_NUM_SCANCODES) == 0);
}

int
main(void)
{
	test_keysyms();
	test_text();
	test_utf8();
	test_keycodes();
	return test_done();
}
