/* SPDX-License-Identifier: Apache-2.0 */
/*
 * display_input.h - the viewer window's keyboard and mouse as the host's
 * input (struct msg_input): keys as X keysyms plus keycodes, composed text
 * as keysyms, buttons, the pointer in remote pixels and the wheel. Private
 * to the window: display.c embeds one struct display_input in its struct
 * display, hands it the SDL events meant for the host and takes the queued
 * messages back out in display_poll.
 *
 * It knows nothing of the window. Where the picture lies is display.c's
 * business, so a position arrives here already in remote pixels (or as
 * "not over the picture"), and a pointer move is reported back so that
 * display.c draws the host's cursor there; no call goes from here to
 * display.c.
 */
#ifndef VIEWER_DISPLAY_INPUT_H
#define VIEWER_DISPLAY_INPUT_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL_events.h>

#include "msg.h"

/* Messages waiting for display_poll: one SDL event queues at most ~70 (a
 * TEXTINPUT makes at most 64), and the queue is emptied before the next
 * SDL event is read. */
#define DISPLAY_INPUT_QUEUE_LEN 256

/*
 * All zero is the start: no control, nothing held, nothing queued. Only
 * control is for display.c to read; the rest is this file's.
 */
struct display_input {
	bool control;                   /* the host granted control */
	uint16_t buttons;               /* bit b-1: button b's press was sent */
	bool have_ptr;
	uint16_t ptr_x, ptr_y;          /* the last pointer position sent */
	uint32_t held[SDL_NUM_SCANCODES];       /* keysym whose press was sent */
	uint32_t pending[SDL_NUM_SCANCODES];    /* Shift/AltGr down, not sent yet */
	bool drop_text;                 /* the next TEXTINPUT came with a key sent as such */
	struct msg_input queue[DISPLAY_INPUT_QUEUE_LEN];
	unsigned q_head, q_len;
};

/* Whether sym is one of the window's own keys (F8, F9, F11), never the host's. */
bool display_input_window_key(SDL_Keycode sym);
/*
 * A key went down or up (SDL_KEYDOWN, SDL_KEYUP): queues what the host
 * gets of it, if anything. Returns true for a press of one of the window's
 * own keys, which the caller acts on (nothing of it is queued).
 */
bool display_input_key(struct display_input *in, const SDL_KeyboardEvent *k);
/* Text the local layout composed (SDL_TEXTINPUT, NUL-terminated UTF-8). */
void display_input_text(struct display_input *in, const char *s);
/*
 * The pointer moved to (x, y) in remote pixels, over the picture. Returns
 * true when the move was queued: the caller then shows the host's cursor
 * there at once, since the host does not echo a position this viewer set.
 */
bool display_input_pointer(struct display_input *in, uint16_t x, uint16_t y);
/*
 * A button went down or up; over says whether the event's place is on the
 * picture, at (x, y) in remote pixels (unused when not over). A press off
 * the picture is not sent; a release is sent wherever it happens when the
 * host saw the press. Returns true when the pointer was moved to (x, y)
 * first, as display_input_pointer.
 */
bool display_input_button(struct display_input *in, const SDL_MouseButtonEvent *e, bool over,
    uint16_t x, uint16_t y);
/* Whether the host saw SDL button sdl_button go down and not yet up. */
bool display_input_button_held(const struct display_input *in, uint8_t sdl_button);
/* The wheel turned; over: the mouse is over the picture (else nothing is sent). */
void display_input_wheel(struct display_input *in, const SDL_MouseWheelEvent *e, bool over);
/*
 * Release everything the host holds for us (keys and buttons), as when the
 * window loses the focus or the chat's entry takes the keys.
 */
void display_input_release_all(struct display_input *in);
/*
 * Whether input may be sent. A change starts afresh (the host releases
 * what we held when it revokes control): nothing held, nothing queued.
 * Returns false when control already was so (nothing changes).
 */
bool display_input_set_control(struct display_input *in, bool control);
/* Take the oldest queued message into *m; false (m untouched) when none waits. */
bool display_input_next(struct display_input *in, struct msg_input *m);

#endif
