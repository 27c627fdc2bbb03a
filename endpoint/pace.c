/* SPDX-License-Identifier: Apache-2.0 */
/* pace.c - the file transfers' window towards one peer (pace.h). */
#include <stdbool.h>
#include <string.h>

#include "pace.h"

enum {
	PACE_MARK_EVERY_BYTES = 64 << 10,  /* a round trip is timed this often */
	PACE_RTT_KEEP_MS = 10000,          /* a lowest round trip ages out after this */
	PACE_RATE_SAMPLE_MS = 20,          /* one rate sample covers at least this (and a
	                                    * round trip: acknowledgements come in bursts) */
	PACE_STARTUP_ROUNDS = 3,           /* samples without 25 % more rate end the start */
	PACE_PROBE_MIN_MS = 50,            /* a fresh look at the round trip lasts this */
};

void
pace_init(struct pace *p)
{
	memset(p, 0, sizeof(*p));
	p->window = FILES_WINDOW_MIN_BYTES;
}

void
pace_sent(struct pace *p, uint64_t n, uint64_t now_ms)
{
	p->sent += n;
	if (p->sent < p->next_mark)
		return;
	if (p->n == PACE_MARKS) {       /* full: the oldest goes untimed */
		p->head = (p->head + 1) % PACE_MARKS;
		p->n--;
	}
	p->mark[(p->head + p->n) % PACE_MARKS].bytes = p->sent;
	p->mark[(p->head + p->n) % PACE_MARKS].ms = now_ms;
	p->n++;
	p->next_mark = p->sent + PACE_MARK_EVERY_BYTES;
}

/*
 * At the start the window is twice what the rate and round trip ask for,
 * so it doubles each round trip until the rate stops growing (by 25 % in
 * PACE_STARTUP_ROUNDS samples): a long path fills in a few round trips
 * instead of creeping up by delay / rtt. Then the gain is 1, and the queue
 * the window builds drains to about FILES_QUEUE_DELAY_MS.
 */
static void
rethink(struct pace *p)
{
	uint64_t w = p->rate * (p->rtt_ms + FILES_QUEUE_DELAY_MS) / 1000;

	if (!p->steady)
		w *= 2;
	if (p->probe_until_ms != 0)
		w = FILES_WINDOW_MIN_BYTES;
	else if (w > 2 * p->window)
		w = 2 * p->window;      /* after a probe: grow back, not in one burst */

	if (w < FILES_WINDOW_MIN_BYTES)
		w = FILES_WINDOW_MIN_BYTES;
	if (w > FILES_WINDOW_MAX_BYTES)
		w = FILES_WINDOW_MAX_BYTES;
	p->window = w;
}

void
pace_acked(struct pace *p, uint64_t n, uint64_t now_ms)
{
	bool timed = false;

	p->acked += n;
	/* Round trips: every mark the receiver has now passed. */
	while (p->n > 0 && p->mark[p->head].bytes <= p->acked) {
		uint64_t rtt = now_ms - p->mark[p->head].ms;

		if (p->probe_until_ms != 0) {
			if (rtt < p->probe_rtt_ms)
				p->probe_rtt_ms = rtt;
		} else if (rtt < p->rtt_ms || p->rtt_at_ms == 0) {
			p->rtt_ms = rtt;
			p->rtt_at_ms = now_ms;
		}
		p->head = (p->head + 1) % PACE_MARKS;
		p->n--;
		timed = true;
	}
	/*
	 * Every round trip measured while our own queue stands includes it:
	 * the lowest one, taken as the path's, would creep up with it. So
	 * when it is PACE_RTT_KEEP_MS old the window shrinks to its least
	 * for a moment, the queue drains, and the lowest round trip seen
	 * then is the path's again.
	 */
	if (p->probe_until_ms == 0 && p->rtt_at_ms != 0 &&
	    now_ms - p->rtt_at_ms > PACE_RTT_KEEP_MS) {
		p->probe_until_ms = now_ms + (2 * p->rtt_ms > PACE_PROBE_MIN_MS ?
		    2 * p->rtt_ms : PACE_PROBE_MIN_MS) + FILES_QUEUE_DELAY_MS;
		p->probe_rtt_ms = UINT64_MAX;
		timed = true;
	} else if (p->probe_until_ms != 0 && now_ms >= p->probe_until_ms) {
		if (p->probe_rtt_ms != UINT64_MAX)
			p->rtt_ms = p->probe_rtt_ms;
		p->rtt_at_ms = now_ms;
		p->probe_until_ms = 0;
		timed = true;
	}
	/* The rate over at least PACE_RATE_SAMPLE_MS; the best lately counts,
	 * and it decays by an eighth per sample when the path slows down. */
	if (p->rate_from_ms == 0) {
		p->rate_from_ms = now_ms;
		p->rate_from_bytes = p->acked;
	} else if (now_ms - p->rate_from_ms >= PACE_RATE_SAMPLE_MS &&
	    now_ms - p->rate_from_ms >= p->rtt_ms) {
		uint64_t r = (p->acked - p->rate_from_bytes) * 1000 / (now_ms - p->rate_from_ms);

		if (!p->steady) {
			if (r > p->startup_best + p->startup_best / 4) {
				p->startup_best = r;
				p->startup_flat = 0;
			} else if (++p->startup_flat >= PACE_STARTUP_ROUNDS) {
				p->steady = true;
			}
		}
		/* A probe holds the rate down on purpose: not a slower path. */
		if (p->probe_until_ms == 0)
			p->rate = r > p->rate - p->rate / 8 ? r : p->rate - p->rate / 8;
		p->rate_from_ms = now_ms;
		p->rate_from_bytes = p->acked;
		timed = true;
	}
	if (timed)
		rethink(p);
}

void
pace_forget(struct pace *p, uint64_t n)
{
	/* Never acknowledged: as if they were, so that the marks still pass. */
	p->acked += n;
	while (p->n > 0 && p->mark[p->head].bytes <= p->acked) {
		p->head = (p->head + 1) % PACE_MARKS;
		p->n--;
	}
	if (p->rate_from_ms != 0)
		p->rate_from_bytes += n;
}

uint64_t
pace_room(const struct pace *p)
{
	uint64_t flight = p->sent - p->acked;

	return flight < p->window ? p->window - flight : 0;
}
