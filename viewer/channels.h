/* SPDX-License-Identifier: Apache-2.0 */
/*
 * channels.h - the handlers of what the viewer takes from the host inside
 * records that live outside session.c, one per message type
 * (endpoint/channel.h). session.c opens and decodes a record and routes it
 * through its table, viewer_channels; a handler gets the viewer's session
 * (peer is NULL: the host is its only peer).
 */
#ifndef VIEWER_CHANNELS_H
#define VIEWER_CHANNELS_H

#include "channel.h"

int screen_take_video(void *s, void *peer, const struct msg *m);        /* screen.c */
int screen_take_cursor(void *s, void *peer, const struct msg *m);       /* screen.c */
int chat_take(void *s, void *peer, const struct msg *m);                /* chat.c */
int clipboard_take(void *s, void *peer, const struct msg *m);           /* clipboard.c */
int xfer_take(void *s, void *peer, const struct msg *m);            /* files.c */
int drop_take_link(void *s, void *peer, const struct msg *m);       /* drop.c */
int drop_take_grant(void *s, void *peer, const struct msg *m);      /* drop_send.c */
int drop_take_host_identity(void *s, void *peer, const struct msg *m); /* drop_send.c */

#endif
