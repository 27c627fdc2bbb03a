/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "quality.h"

void
quality_init(struct quality *q, unsigned ceiling)
{
	memset(q, 0, sizeof(*q));
	q->ceiling = q->now = ceiling;
}

void
quality_reset(struct quality *q)
{
	q->head = q->n = 0;
}

void
quality_sent(struct quality *q, uint64_t now, size_t bytes)
{
	unsigned i;

	if (q->n == QUALITY_FRAMES_MAX) {      /* a viewer that gives no credit */
		q->head = (q->head + 1) % QUALITY_FRAMES_MAX;
		q->n--;
	}
	i = (q->head + q->n++) % QUALITY_FRAMES_MAX;
	q->sent_ms[i] = now;
	q->sent_bytes[i] = bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
}

bool
quality_acked(struct quality *q, uint64_t now)
{
	uint64_t took;
	int64_t lag;
	unsigned before = q->now;

	if (q->n == 0)
		return false;   /* a credit for a frame forgotten by a reset */
	took = now - q->sent_ms[q->head];
	if (took > UINT32_MAX)
		took = UINT32_MAX;
	q->bytes_acked += q->sent_bytes[q->head];
	q->head = (q->head + 1) % QUALITY_FRAMES_MAX;
	q->n--;

	/* The link's own delay: the quickest frame, forgotten slowly (a
	 * route that got longer is learnt in half a minute or so, while a
	 * queue that lasts a few seconds still counts as a queue). */
	if (!q->have_base || took < q->base_ms) {
		q->base_ms = (uint32_t)took;
		q->have_base = true;
	} else {
		q->base_ms += (uint32_t)((took - q->base_ms) / 1024);
	}
	lag = (int64_t)q->lag_ms + ((int64_t)(took - q->base_ms) - (int64_t)q->lag_ms) / 4;
	q->lag_ms = lag < 0 ? 0 : (uint32_t)lag;

	if (q->window_start == 0)
		q->window_start = now;
	if (now - q->window_start >= QUALITY_WINDOW_MS) {
		q->kbps = (uint32_t)(q->bytes_acked * 8 / (now - q->window_start));
		q->bytes_acked = 0;
		q->window_start = now;
	}

	if (q->lag_ms > QUALITY_LAG_HIGH_MS && now - q->changed_ms >= QUALITY_STEP_DOWN_MS &&
	    q->now > QUALITY_MIN) {
		q->now = q->now * 3 / 4 < QUALITY_MIN ? QUALITY_MIN : q->now * 3 / 4;
		q->changed_ms = now;
	} else if (q->lag_ms < QUALITY_LAG_LOW_MS && now - q->changed_ms >= QUALITY_STEP_UP_MS &&
	    q->now < q->ceiling) {
		q->now = q->now + 5 > q->ceiling ? q->ceiling : q->now + 5;
		q->changed_ms = now;
	}
	return q->now != before;
}

_Static_assert(QUALITY_IN_FLIGHT_MAX <= QUALITY_FRAMES_MAX,
    "every frame in flight is remembered until its credit");

unsigned
quality_in_flight(const struct quality *q, unsigned fps)
{
	unsigned n;

	/* Until the link is known, and while frames queue: two. */
	if (!q->have_base || q->lag_ms >= QUALITY_LAG_LOW_MS || fps == 0)
		return QUALITY_IN_FLIGHT_MIN;
	/* A frame goes every 1000 / fps ms and is in flight base_ms: that
	 * many at once keep the rate, and one more is being shown. */
	n = (unsigned)(((uint64_t)q->base_ms * fps + 999) / 1000) + 1;
	return n < QUALITY_IN_FLIGHT_MIN ? QUALITY_IN_FLIGHT_MIN :
	    n > QUALITY_IN_FLIGHT_MAX ? QUALITY_IN_FLIGHT_MAX : n;
}
