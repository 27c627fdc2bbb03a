/* SPDX-License-Identifier: Apache-2.0 */
/*
 * err.h - error codes shared by every part of the project.
 *
 * A function that can fail returns int: 0 on success, or one of the
 * negative ERR_* values below. err_str() gives a short phrase for logs.
 */
#ifndef PROTO_ERR_H
#define PROTO_ERR_H

#include <stdio.h>
#include <stdlib.h>

enum err {
	ERR_OK = 0,
	ERR_INTERNAL = -1,   /* a bug: an invariant does not hold */
	ERR_NOMEM = -2,
	ERR_SYSTEM = -3,     /* a system call failed; errno says why */
	ERR_INCOMPLETE = -4, /* need more bytes (normal on a stream) */
	ERR_FORMAT = -5,     /* input is malformed */
	ERR_TOO_LARGE = -6,  /* a length or count is over its limit */
	ERR_NO_SPACE = -7,   /* a buffer reached its maximum size */
	ERR_TRAILING = -8,   /* bytes left over after a complete message */
	ERR_AUTH = -9,       /* authentication failed; nothing more is said */
	ERR_PROTOCOL = -10,  /* well-formed, but not allowed in this state */
	ERR_CLOSED = -11,    /* the peer closed the connection */
	ERR_AGAIN = -12,     /* would block */
	ERR_TIMEOUT = -13,
	ERR_UNSUPPORTED = -14, /* a version, type or cipher we do not speak */
	ERR_LIMIT = -15,     /* a rate or count limit was hit */
	/* session-creation tokens */
	ERR_NOT_FOUND = -16, /* no such item (a token id, a key id) */
};

#define WUR __attribute__((warn_unused_result))

/* A caller bug or a broken invariant: log and abort in every build. */
#define BUG_ON(cond) do {                                                   \
		if (cond) {                                                 \
			fprintf(stderr, "BUG: %s:%d: %s\n", __FILE__,       \
			    __LINE__, #cond);                               \
			abort();                                            \
		}                                                           \
	} while (0)

const char *err_str(int r);

#endif
