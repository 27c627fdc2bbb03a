/* SPDX-License-Identifier: Apache-2.0 */
/*
 * display_input.c - the viewer window's keyboard and mouse as the host's
 * input (see display_input.h). Pointer positions come in remote pixels
 * from display.c, which alone knows where the picture lies.
 *
 * Keys. X keysyms are what the host's layout turns into text, so text is
 * sent as keysyms and keys as keys:
 *   - A printable key (a, 2, @, é ...) without Ctrl, Alt or Super sends
 *     nothing itself; the text the local layout composes from it
 *     (SDL_TEXTINPUT, so Shift, AltGr and dead keys are already applied)
 *     is sent as keysyms, each as a press + release pair. U+0020..U+007E
 *     and U+00A0..U+00FF are the keysym of the same value, every other
 *     character 0x01000000 + code point.
 *   - Shift and AltGr are held back while they only shape text; they are
 *     sent (pressed) just before a key or button that is sent as such, so
 *     Shift+Left and Shift+click still work.
 *   - Every other key (Return, BackSpace, arrows, F-keys, keypad, Ctrl,
 *     Alt, Super) is sent on KEYDOWN and KEYUP. With Ctrl, Alt or Super
 *     held a printable key is such a key too: SDL gives no text for
 *     Ctrl+C, so it goes as the lowercase keysym (Control_L, c). Any text
 *     SDL still makes for such a key (Alt+a, Ctrl+- on X11, keypad digits)
 *     is dropped: the host already got the key.
 *   - Caps Lock and Num Lock stay local: the text and the keypad keysyms
 *     already follow them, and toggling the host's would type twice over.
 *   - F8 (1:1 / fit), F9 (the chat panel) and F11 (fullscreen) are the
 *     window's own keys: display.c acts on them.
 * A release always carries the keysym of its press, and focus loss
 * releases everything, so the host never keeps a stuck key.
 */
#include <string.h>

#include "display_input.h"
#include "keymap.h"

static void
push(struct display_input *in, uint8_t kind, uint8_t arg, uint16_t x, uint16_t y, uint32_t code)
{
	struct msg_input *m;

	/* Cannot fill up: one SDL event queues at most ~70 events and the
	 * queue is emptied before the next SDL event is read. */
	if (in->q_len == DISPLAY_INPUT_QUEUE_LEN)
		return;
	m = &in->queue[(in->q_head + in->q_len++) % DISPLAY_INPUT_QUEUE_LEN];
	m->kind = kind;
	m->arg = arg;
	m->x = x;
	m->y = y;
	m->code = code;
}

static void
push_key(struct display_input *in, uint32_t keysym, SDL_Scancode sc, bool down)
{
	push(in, MSG_INPUT_KEY, down, keymap_x11_keycode(sc), 0, keysym);
}

static void
pointer(struct display_input *in, uint16_t x, uint16_t y)
{
	in->have_ptr = true;
	in->ptr_x = x;
	in->ptr_y = y;
	push(in, MSG_INPUT_POINTER, (uint8_t)in->buttons, x, y, 0);
}

/* Send the Shift/AltGr presses held back so far (see the top comment). */
static void
flush_pending(struct display_input *in)
{
	for (unsigned sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
		if (in->pending[sc] == 0)
			continue;
		push_key(in, in->pending[sc], (SDL_Scancode)sc, true);
		in->held[sc] = in->pending[sc];
		in->pending[sc] = 0;
	}
}

void
display_input_release_all(struct display_input *in)
{
	for (unsigned sc = 0; sc < SDL_NUM_SCANCODES; sc++) {
		if (in->held[sc] != 0)
			push_key(in, in->held[sc], (SDL_Scancode)sc, false);
		in->held[sc] = 0;
		in->pending[sc] = 0;
	}
	for (unsigned b = 1; b <= 9; b++)
		if (in->buttons & (1u << (b - 1)))
			push(in, MSG_INPUT_BUTTON, (uint8_t)b, 0, 0, 0);
	in->buttons = 0;
	in->drop_text = false;
}

static bool
keypad_key(SDL_Scancode sc)
{
	return (sc >= SDL_SCANCODE_KP_DIVIDE && sc <= SDL_SCANCODE_KP_PERIOD) ||
	    sc == SDL_SCANCODE_KP_EQUALS || sc == SDL_SCANCODE_KP_COMMA;
}

bool
display_input_window_key(SDL_Keycode sym)
{
	return sym == SDLK_F8 || sym == SDLK_F9 || sym == SDLK_F11;
}

bool
display_input_key(struct display_input *in, const SDL_KeyboardEvent *k)
{
	SDL_Scancode sc = k->keysym.scancode;
	SDL_Keycode sym = k->keysym.sym;
	uint32_t ks;

	if ((unsigned)sc >= SDL_NUM_SCANCODES)
		return false;
	if (k->type == SDL_KEYUP) {
		if (in->held[sc] != 0)
			push_key(in, in->held[sc], sc, false);
		in->held[sc] = 0;
		in->pending[sc] = 0;
		return false;
	}
	in->drop_text = false;
	if (display_input_window_key(sym))
		return true;
	if (!in->control || (ks = keymap_keysym(sym, (SDL_Keymod)k->keysym.mod)) == 0)
		return false;
	switch (sym) {
	case SDLK_CAPSLOCK:
	case SDLK_NUMLOCKCLEAR:
		return false;
	case SDLK_LSHIFT:
	case SDLK_RSHIFT:
	case SDLK_RALT:
	case SDLK_MODE:
		if (in->held[sc] == 0)
			in->pending[sc] = ks;
		return false;
	default:
		break;
	}
	if (keymap_is_text(sym) && !(k->keysym.mod & (KMOD_CTRL | KMOD_LALT | KMOD_GUI)))
		return false;   /* its SDL_TEXTINPUT follows */
	flush_pending(in);
	push_key(in, ks, sc, true);
	in->held[sc] = ks;
	in->drop_text = keymap_is_text(sym) || keypad_key(sc);
	return false;
}

void
display_input_text(struct display_input *in, const char *s)
{
	uint32_t cp, ks;

	if (in->drop_text) {
		in->drop_text = false;
		return;
	}
	if (!in->control)
		return;
	while ((s = keymap_utf8_next(s, &cp)) != NULL) {
		if ((ks = keymap_unicode_keysym(cp)) == 0)
			continue;
		push_key(in, ks, SDL_SCANCODE_UNKNOWN, true);
		push_key(in, ks, SDL_SCANCODE_UNKNOWN, false);
	}
}

bool
display_input_pointer(struct display_input *in, uint16_t x, uint16_t y)
{
	if (!in->control)
		return false;
	pointer(in, x, y);
	return true;
}

static unsigned
x_button(uint8_t b)
{
	switch (b) {
	case SDL_BUTTON_LEFT: return 1;
	case SDL_BUTTON_MIDDLE: return 2;
	case SDL_BUTTON_RIGHT: return 3;
	case SDL_BUTTON_X1: return 8;   /* back */
	case SDL_BUTTON_X2: return 9;   /* forward */
	default: return 0;
	}
}

bool
display_input_button_held(const struct display_input *in, uint8_t sdl_button)
{
	unsigned b = x_button(sdl_button);

	return b != 0 && (in->buttons & (1u << (b - 1)));
}

bool
display_input_button(struct display_input *in, const SDL_MouseButtonEvent *e, bool over,
    uint16_t x, uint16_t y)
{
	unsigned b = x_button(e->button);
	uint16_t bit;
	bool moved = false;

	/* A button with no X number (0) goes nowhere: no shift by -1 either. */
	if (b == 0 || !in->control)
		return false;
	bit = (uint16_t)(1u << (b - 1));
	if (e->type == SDL_MOUSEBUTTONUP) {
		/* Released wherever it is: the host saw the press. */
		if (in->buttons & bit) {
			in->buttons &= (uint16_t)~bit;
			push(in, MSG_INPUT_BUTTON, (uint8_t)b, 0, 0, 0);
		}
		return false;
	}
	if (!over)
		return false;
	flush_pending(in);
	/* The host clicks where its pointer is: put it here first. */
	if (!in->have_ptr || in->ptr_x != x || in->ptr_y != y) {
		pointer(in, x, y);
		moved = true;
	}
	in->buttons |= bit;
	push(in, MSG_INPUT_BUTTON, (uint8_t)b, 0, 0, 1);
	return moved;
}

void
display_input_wheel(struct display_input *in, const SDL_MouseWheelEvent *e, bool over)
{
	int x = e->x, y = e->y;

	if (!in->control)
		return;
	/* Protocol steps: y > 0 away from the user (up), x > 0 right. */
	if (e->direction == SDL_MOUSEWHEEL_FLIPPED) {
		x = -x;
		y = -y;
	}
	if ((x == 0 && y == 0) || !over)
		return;
	push(in, MSG_INPUT_WHEEL, 0, (uint16_t)(int16_t)x, (uint16_t)(int16_t)y, 0);
}

bool
display_input_set_control(struct display_input *in, bool control)
{
	if (control == in->control)
		return false;
	in->control = control;
	/* The host releases whatever we held when it revokes control; start
	 * afresh either way, and drop input not yet taken. */
	memset(in->held, 0, sizeof(in->held));
	memset(in->pending, 0, sizeof(in->pending));
	in->buttons = 0;
	in->have_ptr = false;
	in->drop_text = false;
	in->q_len = 0;
	return true;
}

bool
display_input_next(struct display_input *in, struct msg_input *m)
{
	if (in->q_len == 0)
		return false;
	*m = in->queue[in->q_head];
	in->q_head = (in->q_head + 1) % DISPLAY_INPUT_QUEUE_LEN;
	in->q_len--;
	return true;
}
