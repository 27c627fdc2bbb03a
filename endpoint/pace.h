/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pace.h - how much file data one peer's transfers may have in flight:
 * enough to keep the path busy, and so little that a screen update or an
 * input event behind it waits at most about FILES_QUEUE_DELAY_MS.
 *
 * Whatever travels with file data (a pointer move to the host, the next
 * frame) queues behind every byte in flight on the same connections, so a
 * fixed window is either too small for a long path or seconds of delay on
 * a slow one. The window here follows the path instead: the rate the
 * receiver acknowledges (the recent best) times the lowest round trip seen
 * lately plus FILES_QUEUE_DELAY_MS, kept within FILES_WINDOW_MIN_BYTES and
 * FILES_WINDOW_MAX_BYTES. At the start the window doubles each round
 * trip until the rate stops growing; after that, while the window limits
 * the rate, each round trip widens it by (rtt + delay) / rtt, and once the
 * path limits it, the queue it builds stays near the delay. Pure arithmetic on what the engine
 * reports: bytes sent and acknowledged, with the time.
 */
#ifndef ENDPOINT_PACE_H
#define ENDPOINT_PACE_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

enum { PACE_MARKS = 64 };

struct pace {
	uint64_t sent, acked;           /* DATA bytes over all transfers */
	struct {
		uint64_t bytes, ms;     /* sent reached bytes at ms */
	} mark[PACE_MARKS];             /* a ring, oldest at head */
	unsigned head, n;
	uint64_t next_mark;             /* sent at which the next mark is taken */
	uint64_t rtt_ms, rtt_at_ms;     /* the lowest round trip lately, and when */
	uint64_t rate;                  /* acknowledged bytes per second, recent best */
	uint64_t rate_from_ms, rate_from_bytes; /* the running rate sample's start */
	uint64_t window;                /* bytes allowed in flight */
	bool steady;                    /* the start (window doubling) is over */
	uint64_t probe_until_ms;        /* a fresh look at the round trip: window least */
	uint64_t probe_rtt_ms;          /* the lowest round trip during that look */
	uint64_t startup_best;          /* the best rate while starting */
	unsigned startup_flat;          /* samples since it last grew by a quarter */
};

void pace_init(struct pace *p);
/* n DATA bytes went out at now_ms. */
void pace_sent(struct pace *p, uint64_t n, uint64_t now_ms);
/* The receiver acknowledged n more DATA bytes at now_ms. */
void pace_acked(struct pace *p, uint64_t n, uint64_t now_ms);
/* A transfer ended with n bytes sent but never acknowledged. */
void pace_forget(struct pace *p, uint64_t n);
/* Bytes that may still go out now (0: wait for an acknowledgement). */
uint64_t pace_room(const struct pace *p);

#endif
