/* SPDX-License-Identifier: Apache-2.0 */
/*
 * channels.h - what the viewer takes from the host inside records, one
 * channel per message type (endpoint/channel.h), and which file handles
 * it. session.c opens and decodes a record and routes it through
 * viewer_channels; the handlers get the viewer's session (peer is NULL:
 * the host is its only peer).
 */
#ifndef VIEWER_CHANNELS_H
#define VIEWER_CHANNELS_H

#include "channel.h"

extern const struct channel viewer_channels[];
extern const size_t viewer_channels_count;

int session_take_asked(void *s, void *peer, const struct msg *m);       /* session.c */
int session_take_accept(void *s, void *peer, const struct msg *m);      /* session.c */
int session_take_key(void *s, void *peer, const struct msg *m);         /* session.c */
int session_take_lan_offer(void *s, void *peer, const struct msg *m);   /* session.c */
int session_take_bye(void *s, void *peer, const struct msg *m);         /* session.c */
int screen_take_video(void *s, void *peer, const struct msg *m);        /* screen.c */
int screen_take_cursor(void *s, void *peer, const struct msg *m);       /* screen.c */
int chat_take(void *s, void *peer, const struct msg *m);                /* chat.c */
int clipboard_take(void *s, void *peer, const struct msg *m);           /* clipboard.c */

#endif
