/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portal_request.h - calls to the desktop portal (xdg-desktop-portal)
 * that answer later: the call returns a Request object's path at once,
 * the answer comes as that object's Response signal (0 allowed, 1 the
 * user said no, 2 something else went wrong) with a results dictionary.
 * The match for that signal is added before the call, on the path the
 * portal will use (made from our unique bus name and a token of ours),
 * so an answer cannot come before we listen.
 *
 * Everything the portal answers is read with typed getters: a wrong type
 * is an error, not a crash.
 */
#ifndef MASTER_PORTAL_REQUEST_H
#define MASTER_PORTAL_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <systemd/sd-bus.h>

#include "err.h"
#include "session_bus.h"

#define PORTAL_NAME "org.freedesktop.portal.Desktop"
#define PORTAL_PATH "/org/freedesktop/portal/desktop"
#define PORTAL_SC "org.freedesktop.portal.ScreenCast"
#define PORTAL_RD "org.freedesktop.portal.RemoteDesktop"
#define PORTAL_SESSION "org.freedesktop.portal.Session"

enum {
	PORTAL_PATH_LEN = 256,          /* object paths the portal hands out */
	PORTAL_HANDLE_TOKEN_LEN = 64,   /* our handle tokens */
};

struct portal_request {
	unsigned made;                  /* tokens made so far */
	bool answered;
	uint32_t response;
	sd_bus_message *results;        /* the last Response, at its a{sv} */
};

/* A new handle token (for a request, or a session) into buf. */
const char *portal_request_token(struct portal_request *rq, char *buf, size_t len);
/* A method call on the portal's object. */
int portal_request_call(struct session_bus *sb, sd_bus_message **call, const char *iface,
    const char *member);
/* Open the options a{sv} of a request with its handle_token; the caller
 * appends its own entries ("{sv}") and closes the container. */
int portal_request_options(sd_bus_message *call, const char *token);
/*
 * Send call (its options carry handle_token token) and wait for its
 * Response at most timeout_ms: 0 with rq->results at the results' a{sv};
 * ERR_AUTH when the user said no; ERR_TIMEOUT, ERR_CLOSED (*closed, or
 * the portal left) or ERR_SYSTEM otherwise, each with why[].
 */
int portal_request_run(struct session_bus *sb, struct portal_request *rq, const bool *closed,
    sd_bus_message *call, const char *token, const char *what, uint64_t timeout_ms,
    char *why, size_t why_len) WUR;
/* Forget the last results. */
void portal_request_free(struct portal_request *rq);
/* In a results a{sv}: fn for each key, positioned at its variant (fn
 * reads or skips it). sd-bus's negative errno on a malformed answer. */
int portal_results_each(sd_bus_message *m, int (*fn)(void *arg, sd_bus_message *m,
    const char *key), void *arg);
/* why[] from a failed call, in a host's words for the usual causes. */
void portal_explain(const sd_bus_error *e, int r, const char *what, char *why, size_t why_len);

#endif
