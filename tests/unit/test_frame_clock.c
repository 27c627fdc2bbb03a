/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_frame_clock.c - when the master's frames go (master/frame_clock.h),
 * on a fake clock: the fps cap while the screen keeps changing, a frame
 * answering input before its slot, and input that cannot lift the cap.
 */
#include "frame_clock.h"
#include "limits.h"
#include "test.h"

enum { FPS = 30, INTERVAL = 1000 / FPS, T0 = 100000 };

/* Run the clock from *now to until, 1 ms a step, the screen changing
 * whenever changed is set; input every input_every ms (0: none). The
 * frames sent, the time of the last one in *last. */
static unsigned
run(struct frame_clock *c, uint64_t *now, uint64_t until, bool changed, unsigned input_every,
    uint64_t *last)
{
	unsigned frames = 0;

	for (; *now < until; (*now)++) {
		if (input_every != 0 && *now % input_every == 0)
			frame_clock_input(c, *now);
		if (frame_clock_due(c, changed, *now)) {
			frame_clock_sent(c, *now);
			frames++;
			if (last != NULL)
				*last = *now;
		}
	}
	return frames;
}

/* A screen that never stops changing gets fps frames a second. */
static void
test_cap(void)
{
	struct frame_clock c;
	uint64_t now = T0;
	unsigned n;

	frame_clock_init(&c, FPS, now);
	n = run(&c, &now, T0 + 1000, true, 0, NULL);
	CHECK(n >= FPS - 1 && n <= FPS + 1);
}

/* Damage after a quiet spell is grabbed MASTER_DAMAGE_SETTLE_MS later; no
 * damage, no frame. */
static void
test_settle(void)
{
	struct frame_clock c;
	uint64_t now = T0, last = 0;

	frame_clock_init(&c, FPS, now);
	CHECK(run(&c, &now, T0 + 500, false, 0, NULL) == 0);
	CHECK(run(&c, &now, T0 + 500 + 1, true, 0, &last) == 0);
	CHECK(run(&c, &now, T0 + 600, false, 0, NULL) == 0);    /* damage taken back */
	CHECK(!frame_clock_due(&c, true, now));
	CHECK(frame_clock_due_ms(&c) == now + MASTER_DAMAGE_SETTLE_MS);
	now += MASTER_DAMAGE_SETTLE_MS;
	CHECK(frame_clock_due(&c, true, now));
}

/* While the screen changes, a frame is sent at some time; input 5 ms
 * later with damage waiting: without the answer the change would wait for
 * the slot 28 ms later; with it, it goes MASTER_INPUT_ANSWER_MS after the
 * input. The answer uses the slot up: the next frame goes an interval
 * after that slot, so the answer took the slot's frame's place. */
static void
test_answer(void)
{
	struct frame_clock c;
	uint64_t now = T0, sent;

	frame_clock_init(&c, FPS, now);
	CHECK(!frame_clock_due(&c, true, now));
	now += MASTER_DAMAGE_SETTLE_MS;
	CHECK(frame_clock_due(&c, true, now));
	frame_clock_sent(&c, now);
	sent = now;
	now += 2;
	CHECK(!frame_clock_due(&c, true, now));        /* damage waits for the slot */
	CHECK(frame_clock_due_ms(&c) == sent + INTERVAL);
	now += 3;
	frame_clock_input(&c, now);
	CHECK(frame_clock_due_ms(&c) == now + MASTER_INPUT_ANSWER_MS);
	CHECK(!frame_clock_due(&c, true, now + MASTER_INPUT_ANSWER_MS - 1));
	now += MASTER_INPUT_ANSWER_MS;
	CHECK(frame_clock_due(&c, true, now));
	frame_clock_sent(&c, now);
	CHECK(frame_clock_due(&c, false, now + 1) == false);
	CHECK(!frame_clock_due(&c, true, now + 2));
	CHECK(frame_clock_due_ms(&c) == sent + 2 * INTERVAL);
}

/* Damage that begins after the input (the program drew late) within the
 * window: MASTER_DAMAGE_SETTLE_MS after it began; past the window it
 * waits for its slot. */
static void
test_answer_late_damage(void)
{
	struct frame_clock c;
	uint64_t now = T0, sent;

	frame_clock_init(&c, FPS, now);
	frame_clock_due(&c, true, now);
	now += MASTER_DAMAGE_SETTLE_MS;
	CHECK(frame_clock_due(&c, true, now));
	frame_clock_sent(&c, now);
	sent = now;
	frame_clock_due(&c, false, ++now);
	frame_clock_input(&c, now);
	now += 10;
	CHECK(!frame_clock_due(&c, true, now));
	CHECK(frame_clock_due_ms(&c) == now + MASTER_DAMAGE_SETTLE_MS);
	CHECK(frame_clock_due_ms(&c) < sent + INTERVAL);

	frame_clock_init(&c, 10, now);         /* an interval longer than the window */
	frame_clock_due(&c, true, now);
	now += MASTER_DAMAGE_SETTLE_MS;
	frame_clock_due(&c, true, now);
	frame_clock_sent(&c, now);
	sent = now;
	frame_clock_due(&c, false, ++now);
	frame_clock_input(&c, now);
	now += MASTER_INPUT_ANSWER_WINDOW_MS + 1;
	CHECK(!frame_clock_due(&c, true, now));
	CHECK(frame_clock_due_ms(&c) == sent + 100);
}

/* A slot that comes before the program had its time to draw does not use
 * the input up: its answer still goes early. Once answered, the same
 * input moves nothing. */
static void
test_answer_once(void)
{
	struct frame_clock c;
	uint64_t now = T0, sent;

	frame_clock_init(&c, FPS, now);
	frame_clock_due(&c, true, now);
	frame_clock_input(&c, now + MASTER_DAMAGE_SETTLE_MS - 1);
	now += MASTER_DAMAGE_SETTLE_MS;
	CHECK(frame_clock_due(&c, true, now));  /* the slot, 1 ms after the input */
	frame_clock_sent(&c, now);
	sent = now;
	frame_clock_due(&c, false, ++now);
	CHECK(!frame_clock_due(&c, true, ++now));
	CHECK(frame_clock_due_ms(&c) == now + MASTER_DAMAGE_SETTLE_MS);
	now += MASTER_DAMAGE_SETTLE_MS;
	CHECK(frame_clock_due(&c, true, now));  /* the answer, before the slot */
	frame_clock_sent(&c, now);
	frame_clock_due(&c, false, ++now);
	CHECK(!frame_clock_due(&c, true, ++now));
	CHECK(frame_clock_due_ms(&c) == sent + 2 * INTERVAL);
}

/* Input every 1, 4 or 7 ms (a held key, a wiggling mouse) on a screen
 * that never stops changing: never more than two frames in an interval,
 * and over a second no more than the cap allows (plus the one slot a
 * frame may be ahead). */
static void
test_input_bounded(void)
{
	struct frame_clock c;
	uint64_t now = T0, prev = 0, prev2 = 0;
	unsigned n = 0, every;
	bool ok = true;

	for (every = 1; every <= 7; every += 3) {
		frame_clock_init(&c, FPS, now);
		for (uint64_t until = now + 1000; now < until; now++) {
			if (now % every == 0)
				frame_clock_input(&c, now);
			if (!frame_clock_due(&c, true, now))
				continue;
			frame_clock_sent(&c, now);
			ok &= prev2 == 0 || now - prev2 >= INTERVAL;
			prev2 = prev;
			prev = now;
			n++;
		}
		CHECK(ok);
		CHECK(n <= FPS + 2);
		n = 0;
		prev = prev2 = 0;
	}
}

int
main(void)
{
	test_cap();
	test_settle();
	test_answer();
	test_answer_late_damage();
	test_answer_once();
	test_input_bounded();
	return test_done();
}
