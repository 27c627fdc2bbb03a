/* SPDX-License-Identifier: Apache-2.0 */
/*
 * frame_clock.c - when the next frame goes (frame_clock.h).
 */
#include "frame_clock.h"
#include "limits.h"

static uint64_t
max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void
frame_clock_init(struct frame_clock *c, unsigned fps, uint64_t now)
{
	*c = (struct frame_clock){ .interval_ms = 1000 / (fps > 0 ? fps : 1), .next_ms = now };
}

void
frame_clock_input(struct frame_clock *c, uint64_t now)
{
	c->input_pending = true;
	c->input_ms = now;
}

/*
 * The slot: damage after a quiet spell waits MASTER_DAMAGE_SETTLE_MS for
 * the rest of the drawing it belongs to (so one keystroke's drawing is one
 * frame, not two), and frames are an interval apart.
 */
static uint64_t
slot_ms(const struct frame_clock *c)
{
	return max_u64(c->next_ms, c->damage_ms + MASTER_DAMAGE_SETTLE_MS);
}

/* When a frame answering the pending input may go; UINT64_MAX: none. */
static uint64_t
answer_ms(const struct frame_clock *c)
{
	uint64_t at;

	/* Damage that began long after the input is not its answer. */
	if (!c->input_pending || c->damage_ms > c->input_ms + MASTER_INPUT_ANSWER_WINDOW_MS)
		return UINT64_MAX;
	/* Damage already waiting when the input came tells nothing about
	 * the answer's drawing (X reports damage once until it is grabbed):
	 * give the program MASTER_INPUT_ANSWER_MS to draw it. */
	at = max_u64(c->input_ms + MASTER_INPUT_ANSWER_MS,
	    c->damage_ms + MASTER_DAMAGE_SETTLE_MS);
	/* The bound: at most one slot ahead (frame_clock_sent). */
	if (c->next_ms > c->interval_ms)
		at = max_u64(at, c->next_ms - c->interval_ms);
	return at;
}

uint64_t
frame_clock_due_ms(const struct frame_clock *c)
{
	uint64_t slot = slot_ms(c), answer = answer_ms(c);

	return answer < slot ? answer : slot;
}

bool
frame_clock_due(struct frame_clock *c, bool changed, uint64_t now)
{
	if (!changed) {
		c->waiting = false;
		return false;
	}
	if (!c->waiting) {
		c->waiting = true;
		c->damage_ms = now;
	}
	return now >= frame_clock_due_ms(c);
}

void
frame_clock_sent(struct frame_clock *c, uint64_t now)
{
	/* A frame before the program had its time to draw (its slot came
	 * first) leaves the input waiting for its answer. */
	if (c->input_pending && now >= c->input_ms + MASTER_INPUT_ANSWER_MS)
		c->input_pending = false;
	/* The slots are a budget: a frame before its slot uses it up, so
	 * the next one is an interval after the slot, not after the frame.
	 * Frames never outrun the slots by more than one, whatever input
	 * comes. */
	c->next_ms = max_u64(c->next_ms, now) + c->interval_ms;
	c->waiting = false;     /* what changes after the grab is new damage */
}
