/* SPDX-License-Identifier: Apache-2.0 */
/*
 * video.h - the master's screen stream to its viewers (video.c): one
 * capture, one diff for every viewer that holds the newest picture,
 * compressed once on the stream the viewers in step share
 * (shared_stream.h), a zstd stream of its own and a credit count per
 * viewer. The session only starts and ends a
 * viewer's stream (video_viewer_start, video_viewer_free); everything in
 * struct video_viewer is video.c's.
 */
#ifndef MASTER_VIDEO_H
#define MASTER_VIDEO_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"
#include "msg.h"
#include "quality.h"
#include "sec.h"
#include "zstream.h"

struct master;

struct video_viewer {
	/* Its screen records' key: the session key bound to its handshake
	 * (epoch.c); not ready before its first KEY. */
	struct sec_tx tx;
	bool xoff;                      /* the relay says its queue is full */
	bool need_keyframe;
	bool need_cursor_shape;
	/* Where this viewer last put the pointer itself: an echo of that
	 * position would tell it nothing (bytes on every mouse move). */
	bool put_pointer;
	int put_x, put_y;
	/* Flow control: a viewer that grants credit (UPDATE_REQ 0 after each
	 * frame it showed) gets at most quality_in_flight() frames ahead. */
	bool credited;
	unsigned in_flight;             /* frames sent, not yet credited */
	bool in_sync;                   /* holds the newest picture (frame last_frame) */
	uint32_t last_frame;
	uint8_t dirty[MSG_TILES_MAX];   /* tiles changed since its picture */
	uint8_t lossy[MSG_TILES_MAX];   /* tiles it holds as JPEG (lossy.h) */
	unsigned n_lossy;
	struct quality quality;         /* what its link takes (quality.h) */
	size_t frame_bytes;             /* of the frame being sent to it */
	struct zs_enc *zs;              /* its own screen stream (made with its first update) */
	/* On the shared stream (shared_stream.h): its diffs' parts are
	 * compressed once for everyone on it, not on zs. */
	bool shared;
	/* zs's history is not the viewer's (it was on the shared stream
	 * since): the next part on zs starts it afresh (MSG_VIDEO_RESTART). */
	bool own_restart;
};

/* The host allowed the viewer: a key frame, the cursor shape, full credit,
 * JPEG tiles at the host's quality until its link says otherwise. */
void video_viewer_start(struct video_viewer *vv, unsigned quality);
/* FLOW from the relay: on = XOFF (its queue is full), off = XON. */
void video_viewer_pause(struct video_viewer *vv, bool on);
/* Where the viewer put the pointer itself (input.c): not echoed back. */
void video_viewer_pointer(struct video_viewer *vv, int x, int y);
void video_viewer_free(struct video_viewer *vv);

/* Capture and send one screen update to every active viewer that can take it. */
int video_update(struct master *m) WUR;
/* Could video_update() have something to do (the screen changed, or a
 * viewer waits for a key frame or a catch-up)? false: the master need not
 * wake for frames until an event says otherwise. */
bool video_wants(const struct master *m);
/* When a lossy tile settles and wants its exact refresh (the main loop
 * wakes for it); UINT64_MAX: none held. */
uint64_t video_refresh_ms(const struct master *m);
/* The capture says the pointer moved or changed shape: tell the viewers. */
int video_cursor(struct master *m) WUR;

#endif
