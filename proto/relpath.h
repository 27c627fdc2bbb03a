/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relpath.h - the rules for a path a peer asks us to write (FILE_OFFER's
 * name, FILE_ENTRY's path): relative, '/'-separated, UTF-8, each name
 * 1..FILES_COMPONENT_MAX bytes, at most FILES_DEPTH_MAX deep and
 * FILES_PATH_MAX long; no "." or "..", no control characters or '\',
 * no bidirectional controls (U+202E...), no names other systems reserve
 * (CON, NUL, COM1..., trailing dot or space). Pure: bytes in, verdict out.
 */
#ifndef PROTO_RELPATH_H
#define PROTO_RELPATH_H

#include <stddef.h>

/* 0 when p (n bytes, not NUL-terminated) may be written under an inbox;
 * else ERR_FORMAT and *why says which rule it breaks, for people. */
int relpath_check(const char *p, size_t n, const char **why);

#endif
