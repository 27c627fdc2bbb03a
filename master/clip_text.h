/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip_text.h - what the Wayland clipboard back-ends share (clip_wlr.c,
 * clip_mutter.c): which MIME types are text, and moving the text through
 * a pipe the compositor handed over, within CLIP_IO_MS (the master's loop
 * waits meanwhile) and at most MSG_CLIPBOARD_MAX bytes.
 */
#ifndef MASTER_CLIP_TEXT_H
#define MASTER_CLIP_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Text types, best last; rank 0 is no text. */
enum { CLIP_TEXT_TYPES = 6 };
extern const char *const clip_text_types[CLIP_TEXT_TYPES];

/* The rank of a MIME type as text (an index into clip_text_types), 0
 * when it is not text. */
unsigned clip_text_rank(const char *type);
/*
 * Read fd to its end: 0 with *text (malloc'd, NUL after *len bytes);
 * -1 when the writer sent more than MSG_CLIPBOARD_MAX bytes, did not
 * finish within CLIP_IO_MS or the pipe broke (logged). fd stays open.
 */
int clip_text_read(int fd, char **text, size_t *len);
/* Write the text into fd until until_ms (mono_ms(); the callers give
 * CLIP_IO_MS from now at most): true when all of it went; a slower reader
 * gets what was written so far (logged). fd stays open. */
bool clip_text_write(int fd, const char *text, size_t len, uint64_t until_ms);

#endif
