/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h - writing the admin API's JSON answers into a buf: formatted
 * pieces and escaped strings. The first failure sticks (a full buf), so
 * a writer checks once at the end.
 */
#ifndef RELAY_JSON_H
#define RELAY_JSON_H

#include "buf.h"

struct json {
	struct buf *out;
	int err;
};

/* Formatted text as is (numbers, punctuation, names we chose). */
void json_put(struct json *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string: quoted, with quotes, backslashes, control bytes and
 * bytes that are not ASCII escaped (\u00XX: our strings are ASCII). */
void json_str(struct json *j, const char *s);

#endif
