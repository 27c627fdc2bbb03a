/* SPDX-License-Identifier: Apache-2.0 */
/*
 * shared_stream.h - one zstd stream for every viewer that holds the same
 * picture and has received the same compressed bytes since the stream
 * last started afresh: a diff part is compressed once and the same bytes
 * are sealed to each of them, so three viewers of an animation cost about
 * what one does (zstd is most of the master's screen work).
 *
 * A viewer that misses a part (not ready for a diff) leaves it for good:
 * its decoder's history is no longer the stream's. It goes on on its own
 * stream (video.c), which restarts, and comes back when the shared stream
 * restarts (MSG_VIDEO_RESTART on the diff's first part), at most once per
 * MASTER_SHARED_REJOIN_MS: a viewer that keeps falling behind must not cost
 * the others their history every frame.
 */
#ifndef MASTER_SHARED_STREAM_H
#define MASTER_SHARED_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "zstream.h"

struct shared_stream {
	struct zs_enc *zs;              /* made with its first part */
	struct buf z;                   /* the part last compressed on it */
	uint64_t restart_ms;            /* when it last started afresh; 0: never */
	/* The next part compressed on it starts it afresh (its viewers are
	 * told: RESTART). Kept here, not per diff: a diff that sent no part
	 * leaves it for the next one. */
	bool restart_pending;
	/* For the debug log: parts compressed once for two or more viewers,
	 * and the compressions that saved. */
	uint64_t parts_shared, parts_saved;
};

void shared_stream_init(struct shared_stream *s);
void shared_stream_free(struct shared_stream *s);
/*
 * A diff goes to off viewers that hold the same picture but are not on
 * the stream (and maybe to some on it): should it restart the stream so
 * that all of them share it from its first part?
 */
bool shared_stream_rejoin_due(const struct shared_stream *s, unsigned off, uint64_t now_ms);
/* The stream restarts with the next part (restart_pending: the caller
 * flags that part RESTART for every viewer on it). */
void shared_stream_restart(struct shared_stream *s, uint64_t now_ms);
/*
 * Compress raw[0..n) as the stream's next part into s->z (replacing what
 * it held), for viewers of them; afresh if a restart is pending. Only at
 * a frame's first part: a restart is told on part 0.
 */
int shared_stream_part(struct shared_stream *s, const uint8_t *raw, size_t n,
    unsigned viewers) WUR;

#endif
