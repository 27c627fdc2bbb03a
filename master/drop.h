/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.h - the file drop during a session, the host's side (drop.c):
 * viewers tell their drop identity once allowed (DROP_IDENTITY), and a
 * file the host drops (stdin "drop PATH") is encrypted for each of them,
 * for the host's own identity and for a link, uploaded to the relay the
 * session runs on, and each viewer gets its own one-time link, without
 * #KEY, over its pairwise stream (DROP_LINK). The host's event lines
 * carry the link with #KEY. The upload runs beside the session (a thread
 * of its own), so the screen keeps flowing.
 */
#ifndef MASTER_DROP_H
#define MASTER_DROP_H

#include <stdbool.h>

struct master;

/* Start dropping the file at path; a drop-failed line when it cannot start. */
void drop_start(struct master *m, const char *path);
/* Once per turn of the main loop: a finished drop's links go out; the
 * grant goes to viewers (drop_grant.h); a fetch ends (drop_offer.h). */
void drop_poll(struct master *m);
/* Whether the session can drop a file now: it is on a relay that gave
 * an upload grant. */
bool drop_can(const struct master *m);
/* At the end: wait for a running drop and fetch. */
void drop_free(struct master *m);

#endif
