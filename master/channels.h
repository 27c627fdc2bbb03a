/* SPDX-License-Identifier: Apache-2.0 */
/*
 * channels.h - the handlers of what the master takes from a viewer inside
 * records, one per message type (endpoint/channel.h), and their files.
 * session.c opens and decodes a record and routes it through its table,
 * master_channels; a handler gets the master and the viewer it came from.
 */
#ifndef MASTER_CHANNELS_H
#define MASTER_CHANNELS_H

#include "channel.h"

int input_take(void *master, void *viewer, const struct msg *m);          /* input.c */
int clipboard_take(void *master, void *viewer, const struct msg *m);      /* clipboard.c */
int chat_take(void *master, void *viewer, const struct msg *m);           /* chat.c */
int xfer_take(void *master, void *viewer, const struct msg *m);      /* files.c */
int drop_take_identity(void *master, void *viewer, const struct msg *m); /* drop.c */
int drop_offer_take(void *master, void *viewer, const struct msg *m);  /* drop_offer.c */
int video_take_update_req(void *master, void *viewer, const struct msg *m); /* video.c */

#endif
