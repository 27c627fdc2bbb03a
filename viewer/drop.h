/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.h - the file drop during a session, the viewer's side (drop.c):
 * once allowed it tells the host its drop identity (DROP_IDENTITY), and a
 * link the host sends for a file dropped for it (DROP_LINK, no #KEY: the
 * identity opens it) becomes a "drop-offer link=..." event line and a
 * line in the window's chat ("fernsicht-viewer --fetch LINK" fetches it,
 * also after the session).
 */
#ifndef VIEWER_DROP_H
#define VIEWER_DROP_H

struct vsession;

/* Once allowed: our public key to the host, once per session. */
void drop_tell_identity(struct vsession *s);
/* The window's Fetch button: fetch link into the inbox beside the session
 * (a thread of its own); drop_fetch_poll says how it went (event line,
 * chat note), drop_fetch_wait waits for it at the end. */
void drop_fetch_start(struct vsession *s, const char *link);
void drop_fetch_poll(struct vsession *s);
void drop_fetch_wait(struct vsession *s);

#endif
