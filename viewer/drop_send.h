/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_send.h - --drop PATH in a session, the viewer's side (drop_send.c).
 * The relay gives a viewer no upload grant (its WELCOME comes before the
 * code); once the host allowed it with the files right, the host passes
 * its own grant on (DROP_GRANT) with its drop identity (DROP_IDENTITY).
 * The file is then sealed for the host's identity, for ours and for a
 * link, uploaded beside the session (a thread of its own), and the host
 * gets its own one-time link without #KEY (DROP_LINK); our event lines
 * carry the links with #KEY (drop-link link="...").
 */
#ifndef VIEWER_DROP_SEND_H
#define VIEWER_DROP_SEND_H

#include <stdbool.h>
#include <stdint.h>

struct vsession;

/*
 * Once per turn of the main loop (now: mono_ms): start the upload when
 * it can, end it when it is over. True once it is over (s->drop_result
 * says how): also when the host allowed no files, or passed on no grant
 * within CLIENT_DROP_GRANT_WAIT_MS. False while there is none, or it
 * waits or runs.
 */
bool drop_send_turn(struct vsession *s, uint64_t now);
/* A file dragged onto the window while dragged files go to the relay:
 * dropped for the host as --drop does (drop_send_turn runs it); a chat
 * note says why not when one runs already or the host allows no files. */
void drop_send_file(struct vsession *s, const char *path);
/* At the end: wait for a running upload. */
void drop_send_wait(struct vsession *s);

#endif
