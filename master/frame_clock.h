/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame_clock.h - when the master grabs and sends the next frame: at most
 * one per frame interval (--fps) while the screen keeps changing, except
 * that a frame answering a viewer's input may go before its slot.
 *
 * Without the exception, a key or pointer move made while the screen is
 * busy anyway (a terminal scrolling, someone typing) waits for the next
 * slot: up to a whole interval (33 ms at 30 fps) on top of everything
 * else. With it, the damage that follows input is grabbed
 * MASTER_INPUT_ANSWER_MS after the input (the program's time to draw its
 * answer), or MASTER_DAMAGE_SETTLE_MS after damage that began later, as
 * long as it began within MASTER_INPUT_ANSWER_WINDOW_MS of the input.
 *
 * Input cannot turn the cap off: the slots are a budget, and an early frame
 * uses up the slot it comes before (the frame after it goes an interval
 * after that slot), so frames are never more than one slot ahead of the
 * clock. A held key or a wiggling mouse on a busy screen gets at most two
 * frames in any interval and no more than fps frames a second over time;
 * it moves frames earlier, it does not add any.
 *
 * Pure arithmetic on the times the caller passes in (master/main.c; a fake
 * clock in tests/unit/test_frame_clock.c).
 */
#ifndef MASTER_FRAME_CLOCK_H
#define MASTER_FRAME_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct frame_clock {
	uint64_t interval_ms;   /* 1000 / fps */
	uint64_t next_ms;       /* the slot: an interval after the last frame or slot */
	bool waiting;           /* a change waits to be sent ... */
	uint64_t damage_ms;     /* ... since then */
	bool input_pending;     /* input not yet answered by a frame ... */
	uint64_t input_ms;      /* ... made then (the newest) */
};

void frame_clock_init(struct frame_clock *c, unsigned fps, uint64_t now);
/* A viewer in control moved the pointer or pressed something (injected). */
void frame_clock_input(struct frame_clock *c, uint64_t now);
/* Whether to grab now; changed: there is something to send (video_wants). */
bool frame_clock_due(struct frame_clock *c, bool changed, uint64_t now);
/* When the waiting change is due (for the poll's timeout). */
uint64_t frame_clock_due_ms(const struct frame_clock *c);
/* A frame was grabbed and sent at now. */
void frame_clock_sent(struct frame_clock *c, uint64_t now);

#endif
