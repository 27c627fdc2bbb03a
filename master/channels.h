/* SPDX-License-Identifier: Apache-2.0 */
/*
 * channels.h - what the master takes from a viewer inside records, one
 * channel per message type (endpoint/channel.h), and which file handles it.
 * session.c opens and decodes a record and routes it through
 * master_channels; the handlers get the master and the viewer it came from.
 */
#ifndef MASTER_CHANNELS_H
#define MASTER_CHANNELS_H

#include "channel.h"

extern const struct channel master_channels[];
extern const size_t master_channels_count;

int input_take(void *master, void *viewer, const struct msg *m);          /* input.c */
int clipboard_take(void *master, void *viewer, const struct msg *m);      /* clipboard.c */
int chat_take(void *master, void *viewer, const struct msg *m);           /* chat.c */
int video_take_update_req(void *master, void *viewer, const struct msg *m); /* video.c */
int session_take_bye(void *master, void *viewer, const struct msg *m);    /* session.c */

#endif
