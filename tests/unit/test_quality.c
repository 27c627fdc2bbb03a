/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_quality.c - the JPEG quality a viewer's link takes (master/quality.c),
 * on a simulated link: a serial wire of some bandwidth and a fixed delay
 * each way, frames whose size grows with the quality, at most two frames
 * in flight (the credits), a new frame whenever a credit allows; and the
 * frames in flight a link's round trip asks for (quality_in_flight), at
 * a capped frame rate.
 */
#include <stdint.h>
#include <string.h>

#include "quality.h"
#include "test.h"

struct link {
	double bytes_per_ms;
	uint64_t delay_ms;              /* one way */
	uint64_t wire_free;             /* when the wire has sent all it holds */
	uint64_t acks[QUALITY_IN_FLIGHT_MAX]; /* when each frame in flight is acked */
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

/* Run the link until time end (1 ms steps) at most fps frames a second
 * (0: as credits allow) and with quality_in_flight()'s frames in flight
 * (else two); returns the quality then. */
static unsigned
run_at(struct quality *q, struct link *l, uint64_t *t, uint64_t end, unsigned fps,
    bool adaptive)
{
	uint64_t next = *t;

	l->took_sum = 0;
	l->frames = 0;
	for (; *t < end; (*t)++) {
		while (l->n > 0 && l->acks[0] <= *t) {
			quality_acked(q, *t);
			memmove(l->acks, l->acks + 1, (l->n - 1) * sizeof(l->acks[0]));
			l->n--;
		}
		if (l->n < (adaptive ? quality_in_flight(q, fps) : 2) && *t >= next) {
			size_t b = frame_bytes(q->now);
			uint64_t start = l->wire_free > *t + l->delay_ms ? l->wire_free :
			    *t + l->delay_ms;

			l->wire_free = start + (uint64_t)((double)b / l->bytes_per_ms);
			l->acks[l->n++] = l->wire_free + l->delay_ms;
			l->took_sum += (double)(l->wire_free + l->delay_ms - *t);
			l->frames++;
			quality_sent(q, *t, b);
			next = fps > 0 ? *t + 1000 / fps : *t;
		}
	}
	return q->now;
}

static unsigned
run(struct quality *q, struct link *l, uint64_t *t, uint64_t end)
{
	return run_at(q, l, t, end, 0, false);
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

/* A long, fast line (45 ms each way): two frames in flight hold 30 fps
 * down to about 20; as many as the round trip takes carry all 30, and
 * they fall back to two as soon as a slow line makes frames queue. */
static void
test_in_flight(void)
{
	static struct quality q, q2;
	struct link l = { .bytes_per_ms = 100e6 / 8 / 1000, .delay_ms = 45 };
	struct link l2 = l;
	uint64_t t = 1000, t2 = 1000;
	unsigned two, adaptive;

	quality_init(&q, 50);
	quality_init(&q2, 50);
	CHECK(quality_in_flight(&q, 30) == QUALITY_IN_FLIGHT_MIN);     /* link unknown */
	run_at(&q, &l, &t, 11000, 30, false);
	two = l.frames;
	run_at(&q2, &l2, &t2, 11000, 30, true);
	adaptive = l2.frames;
	CHECK(two < 250);
	printf("# two %u adaptive %u in flight %u\n", two, adaptive, quality_in_flight(&q2, 30));
	CHECK(adaptive >= 290 && adaptive <= 10000 / 33 + 1);     /* the cap holds */
	CHECK(quality_in_flight(&q2, 30) > QUALITY_IN_FLIGHT_MIN);
	CHECK(quality_in_flight(&q2, 30) <= QUALITY_IN_FLIGHT_MAX);
	CHECK(quality_in_flight(&q2, 1) == QUALITY_IN_FLIGHT_MIN); /* 1 fps: two do */
	CHECK(q2.now == 50);
	/* 5 Mbit/s: frames queue; two in flight again, and the quality steps down. */
	l2.bytes_per_ms = 5e6 / 8 / 1000;
	run_at(&q2, &l2, &t2, t2 + 3000, 30, true);
	CHECK(quality_in_flight(&q2, 30) == QUALITY_IN_FLIGHT_MIN);
	CHECK(q2.now < 50);
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
	test_in_flight();
	test_edges();
	return test_done();
}
