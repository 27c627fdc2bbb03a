/* SPDX-License-Identifier: Apache-2.0 */
/*
 * video.h - the master's screen stream to its viewers (video.c).
 */
#ifndef MASTER_VIDEO_H
#define MASTER_VIDEO_H

#include "session.h"

/* Capture and send one screen update to every active viewer that can take it. */
int video_update(struct master *m) WUR;
/* Could video_update() have something to do (the screen changed, or a
 * viewer waits for a key frame or a catch-up)? false: the master need not
 * wake for frames until an event says otherwise. */
bool video_wants(const struct master *m);
/* The capture says the pointer moved or changed shape: tell the viewers. */
int video_cursor(struct master *m) WUR;

#endif
