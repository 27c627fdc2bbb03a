/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_quality.c - the JPEG quality a viewer's link takes (master/quality.c),
 * on a simulated link: a serial wire of some bandwidth and a fixed delay
 * each way, frames whose size grows with the quality, at most two frames
 * in flight (the credits), a new frame whenever a credit allows.
 */
#include <stdint.h>
#include <string.h>

#include "quality.h"
#include "test.h"

struct link {
	double bytes_per_ms;
	uint64_t delay_ms;              /* one way */
	uint64_t wire_free;             /* when the wire has sent all it holds */
	uint64_t acks[2];               /* when each frame in flight is acked */
	unsigned n;
	double took_sum;                /* send to ack, over the frames */
	unsigned frames;
};

/* Bytes of a frame of a changing picture at quality q. */
static size_t
frame_bytes(unsigned q)
{
	return (size_t)q * 2500;
}

/* Run the link until time end (1 ms steps); returns the quality then. */
static unsigned
run(struct quality *q, struct link *l, uint64_t *t, uint64_t end)
{
	l->took_sum = 0;
	l->frames = 0;
	for (; *t < end; (*t)++) {
		while (l->n > 0 && l->acks[0] <= *t) {
			quality_acked(q, *t);
			l->acks[0] = l->acks[1];
			l->n--;
		}
		if (l->n < 2) {
			size_t b = frame_bytes(q->now);
			uint64_t start = l->wire_free > *t + l->delay_ms ? l->wire_free :
			    *t + l->delay_ms;

			l->wire_free = start + (uint64_t)((double)b / l->bytes_per_ms);
			l->acks[l->n++] = l->wire_free + l->delay_ms;
			l->took_sum += (double)(l->wire_free + l->delay_ms - *t);
			l->frames++;
			quality_sent(q, *t, b);
		}
	}
	return q->now;
}

static void
test_links(void)
{
	static struct quality q;
	/* One route (20 ms each way), its bandwidth changing: a shared line. */
	struct link l = { .bytes_per_ms = 100e6 / 8 / 1000, .delay_ms = 20 };
	uint64_t t = 1000;
	double slow_before, slow_after;

	quality_init(&q, 75);
	/* 100 Mbit/s: a frame of 190 KB takes 15 ms on the wire, every
	 * frame about as long as the quickest: the quality stays. */
	CHECK(run(&q, &l, &t, 11000) == 75);
	CHECK(q.kbps > 50000);

	/* 10 Mbit/s: the same frame takes 150 ms; the quality steps down
	 * and frames get through faster than they did at the start. */
	l.bytes_per_ms = 10e6 / 8 / 1000;
	run(&q, &l, &t, t + 1000);
	slow_before = l.took_sum / l.frames;
	run(&q, &l, &t, t + 19000);
	slow_after = l.took_sum / l.frames;
	CHECK(q.now < 75 && q.now >= QUALITY_MIN);
	CHECK(slow_after < slow_before);
	CHECK(q.kbps > 5000 && q.kbps < 11000);

	/* Fast again: back up to the host's quality, never past it. */
	l.bytes_per_ms = 100e6 / 8 / 1000;
	run(&q, &l, &t, t + 30000);
	CHECK(q.now == 75);
}

static void
test_edges(void)
{
	static struct quality q;

	quality_init(&q, 50);
	CHECK(!quality_acked(&q, 100));         /* a credit with nothing in flight */
	/* A viewer that never gives credit: the frames remembered stay bounded. */
	for (unsigned i = 0; i < 100; i++)
		quality_sent(&q, 100 + i, 1000);
	CHECK(q.n == QUALITY_FRAMES_MAX);
	quality_reset(&q);
	CHECK(q.n == 0 && !quality_acked(&q, 500));
	/* A clock that does not move and huge frames do not break it. */
	quality_sent(&q, 500, SIZE_MAX);
	quality_acked(&q, 500);
	CHECK(q.now == 50);
	/* Ceaseless queueing bottoms out at QUALITY_MIN. */
	for (uint64_t t = 1000; t < 60000; t += 100) {
		quality_sent(&q, t, 1000);
		quality_acked(&q, t + 90 + (t - 1000) / 10);
	}
	CHECK(q.now == QUALITY_MIN);
}

int
main(void)
{
	test_links();
	test_edges();
	return test_done();
}
