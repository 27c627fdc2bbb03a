/* SPDX-License-Identifier: Apache-2.0 */
/*
 * video.h - the master's screen stream to its viewers (video.c).
 */
#ifndef MASTER_VIDEO_H
#define MASTER_VIDEO_H

#include "session.h"

/* Capture and send one screen update to every active viewer that can take it. */
int video_update(struct master *m) WUR;
/* The capture says the pointer moved or changed shape: tell the viewers. */
int video_cursor(struct master *m) WUR;

#endif
