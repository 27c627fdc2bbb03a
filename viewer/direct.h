/* SPDX-License-Identifier: Apache-2.0 */
/*
 * direct.h - the direct connection to the host: with --direct the only
 * one; on a relay, when the host offers its LAN addresses (PROTOCOL.md
 * section 6),
 * a second session is set up over the direct tier, with a handshake over
 * a token derived from our pairwise key instead of the code. Once the host
 * accepts it, it replaces the relayed session; if anything fails, the
 * relayed session simply goes on.
 */
#ifndef VIEWER_DIRECT_H
#define VIEWER_DIRECT_H

#include <stdbool.h>

#include "session.h"

/* The direct tier (--direct, and the LAN upgrade). */
extern const struct transport_opts direct_opts;

struct direct {
	struct vsession s;              /* the session being set up over it */
	bool active;                    /* s is connected and in use */
	bool tried;                     /* the host's offer was tried (once) */
	char addr[WIRE_ADDR_TEXT_MAX + 1];
};

/* Try the host's LAN addresses (once): a second session over the first
 * that answers, started with the direct token. */
void direct_try(struct direct *d, struct vsession *s, bool force_xchacha, const char *name);
/* Drive the direct session without waiting; once the host accepted it,
 * it becomes s (window, recording and counts move over). */
void direct_service(struct direct *d, struct vsession *s);

#endif
