/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pace.c - the file window (endpoint/pace.h) on simulated paths: a
 * bottleneck of R bytes per ms with a queue in front of it and a round
 * trip of T ms. The sender sends whenever the window has room; the
 * receiver acknowledges every FILES_ACK_BYTES. What a pointer move would
 * wait behind file data is the bottleneck's queue: it must stay near
 * FILES_QUEUE_DELAY_MS once the window has grown, while the path stays
 * busy (the rate reaches the bottleneck's). A fixed 4 MiB window would
 * keep 4 s queued on the 1 MB/s path.
 */
#include <string.h>

#include "pace.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}
#include "test.h"

enum { SIM_MS = 60000, CHUNK = 64 << 10 };

struct sim {
	uint64_t rate_per_ms;   /* the bottleneck */
	uint64_t rtt_ms;        /* without queueing */
	uint64_t queued;        /* bytes waiting at the bottleneck */
	uint64_t delivered;     /* through it, not yet acknowledged */
	uint64_t acked_sent;    /* acknowledged so far */
	/* acknowledgements on their way back: (due ms, bytes) */
	uint64_t ack_due[4096], ack_bytes[4096];
	unsigned ack_head, ack_n;
	uint32_t queue_ms[SIM_MS / 2];  /* the queue's wait each ms of the second half, x10 */
	uint64_t through_late;          /* bytes through in the second half */
};

static void
run(struct sim *s, struct pace *p)
{
	for (uint64_t ms = 1; ms <= SIM_MS; ms++) {
		uint64_t out;

		/* The sender: as much as the window lets it. */
		while (pace_room(p) > 0) {
			uint64_t n = pace_room(p) < CHUNK ? pace_room(p) : CHUNK;

			pace_sent(p, n, ms);
			s->queued += n;
		}
		/* The bottleneck forwards rate_per_ms a ms. */
		out = s->queued < s->rate_per_ms ? s->queued : s->rate_per_ms;
		s->queued -= out;
		s->delivered += out;
		if (ms > SIM_MS / 2) {
			s->through_late += out;
			s->queue_ms[ms - SIM_MS / 2 - 1] = (uint32_t)(10 * s->queued / s->rate_per_ms);
		}
		/* The receiver acknowledges each FILES_ACK_BYTES; it arrives a
		 * round trip later. */
		while (s->delivered >= FILES_ACK_BYTES && s->ack_n < 4096) {
			unsigned k = (s->ack_head + s->ack_n++) % 4096;

			s->ack_due[k] = ms + s->rtt_ms;
			s->ack_bytes[k] = FILES_ACK_BYTES;
			s->delivered -= FILES_ACK_BYTES;
		}
		while (s->ack_n > 0 && s->ack_due[s->ack_head] <= ms) {
			pace_acked(p, s->ack_bytes[s->ack_head], ms);
			s->ack_head = (s->ack_head + 1) % 4096;
			s->ack_n--;
		}
	}
}

static struct sim s;

static void
path(uint64_t mb_per_s, uint64_t rtt_ms)
{
	struct pace p;
	double use, wait_ms;

	memset(&s, 0, sizeof(s));
	s.rate_per_ms = mb_per_s * 1000;
	s.rtt_ms = rtt_ms;
	pace_init(&p);
	run(&s, &p);
	use = (double)s.through_late / (double)(s.rate_per_ms * (SIM_MS / 2));
	/* What a pointer move waits behind file data, nine times out of ten
	 * (the round trip after each fresh look at the path is longer). */
	qsort(s.queue_ms, SIM_MS / 2, sizeof(s.queue_ms[0]), cmp_u32);
	wait_ms = s.queue_ms[SIM_MS / 2 * 9 / 10] / 10.0;
	printf("# %llu MB/s, rtt %llu ms: busy %.2f, queue p90 %.1f ms, window %llu\n",
	    (unsigned long long)mb_per_s, (unsigned long long)rtt_ms, use, wait_ms,
	    (unsigned long long)p.window);
	/* The path stays busy, unless the largest window cannot cover it. */
	if ((double)s.rate_per_ms * (double)rtt_ms < (double)FILES_WINDOW_MAX_BYTES / 2)
		CHECK(use > 0.9);
	/* And what queues behind file data waits about the target, not the
	 * seconds a fixed big window would give a slow path. */
	CHECK(wait_ms <= 3.0 * FILES_QUEUE_DELAY_MS + 1000.0 * FILES_WINDOW_MIN_BYTES /
	    (double)(s.rate_per_ms * 1000));
}

int
main(void)
{
	path(200, 1);           /* loopback */
	path(100, 20);          /* a LAN or a near relay */
	path(10, 50);           /* a good uplink */
	path(1, 80);            /* a slow uplink: 4 MiB in flight would be 4 s */
	path(50, 200);          /* far away */

	/* A transfer that ends with bytes in flight gives their room back. */
	{
		struct pace p;

		pace_init(&p);
		pace_sent(&p, pace_room(&p), 1);
		CHECK(pace_room(&p) == 0);
		pace_forget(&p, FILES_WINDOW_MIN_BYTES);
		CHECK(pace_room(&p) == FILES_WINDOW_MIN_BYTES);
		CHECK(p.n == 0);        /* its round-trip marks went with it */
	}
	return test_done();
}
