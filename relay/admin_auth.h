/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_auth.h - whether a signed admin request may be served: its key,
 * its time, its signature (admin_sig.h), its scope, its nonce, in that
 * order. The nonce is remembered only for a request whose signature was
 * good, so strangers cannot fill the cache.
 */
#ifndef RELAY_ADMIN_AUTH_H
#define RELAY_ADMIN_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "admin_keys.h"
#include "admin_nonce.h"

/* The request as it came: the four headers are NULL when missing. */
struct admin_auth_req {
	const char *method;             /* "GET", "POST" */
	const char *target;             /* path and "?" query, as sent */
	const char *key_id, *time, *nonce, *signature;
	const void *body;
	size_t body_len;
};

enum admin_verdict {
	ADMIN_OK,
	ADMIN_UNAUTHORIZED,             /* 401: unsigned, unknown key, stale, bad signature,
	                                 * replayed */
	ADMIN_FORBIDDEN,                /* 403: the key's scope does not cover it */
	ADMIN_BUSY,                     /* 503: the nonce cache is full */
};

/* The verdict; why[] says which check failed (for the answer and the log:
 * never a secret). need: ADMIN_SCOPE_READ for GET, ADMIN_SCOPE_ACT for POST. */
enum admin_verdict admin_auth_check(const struct admin_keys *keys, struct admin_nonces *ns,
    const struct admin_auth_req *r, enum admin_scope need, int64_t now_s, char *why,
    size_t why_len);

#endif
