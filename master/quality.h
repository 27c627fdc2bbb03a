/* SPDX-License-Identifier: Apache-2.0 */
/*
 * quality.h - one viewer's link, as its credits show it, and the JPEG
 * quality that link can take.
 *
 * Every frame a viewer shows comes back as one credit (UPDATE_REQ), in
 * order: the time from sending a frame to its credit is the viewer's
 * round trip plus the frame's time on the wire plus any queue. The least
 * of those times (slowly forgotten) is the link's own delay; what a frame
 * takes beyond it is queueing. While frames queue, the quality steps
 * down (smaller frames: the credits then let more through, so the frame
 * rate rises again before the queue grows further); while the link is
 * idle between frames, it creeps back up to the host's --quality. The
 * frame rate itself is held by the credits, as Guacamole holds it by its
 * lag: two frames in flight, and on an idle link as many as its round
 * trip takes at the frame rate (a long line carries the full rate, a
 * queueing one falls back to two at once).
 */
#ifndef MASTER_QUALITY_H
#define MASTER_QUALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct quality {
	unsigned ceiling;               /* the host's --quality */
	unsigned now;                   /* what the next frames use */
	uint64_t sent_ms[QUALITY_FRAMES_MAX]; /* frames awaiting their credit */
	uint32_t sent_bytes[QUALITY_FRAMES_MAX];
	unsigned head, n;
	uint32_t base_ms;               /* the link's own delay, as seen */
	uint32_t lag_ms;                /* smoothed time beyond it */
	uint64_t bytes_acked, window_ms; /* for the throughput */
	uint64_t window_start;
	uint32_t kbps;                  /* delivered kbit/s in the last window; 0: unknown */
	uint64_t changed_ms;            /* the last step */
	bool have_base;
};

void quality_init(struct quality *q, unsigned ceiling);
/* A frame of this many bytes went to the viewer at now. */
void quality_sent(struct quality *q, uint64_t now, size_t bytes);
/* The viewer's credit for its oldest frame came at now; true when the
 * quality changed with it. */
bool quality_acked(struct quality *q, uint64_t now);
/* The viewer starts afresh (a key frame): frames in flight are forgotten. */
void quality_reset(struct quality *q);
/* How many frames may be in flight to the viewer at fps frames a second:
 * QUALITY_IN_FLIGHT_MIN..QUALITY_IN_FLIGHT_MAX. */
unsigned quality_in_flight(const struct quality *q, unsigned fps);

#endif
