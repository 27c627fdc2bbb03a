/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link_url.h - a fernsicht:// link, as a web page or a mail carries it
 * and the desktop hands it to fernsicht-viewer (its .desktop file's
 * x-scheme-handler/fernsicht):
 *
 *   fernsicht://HOST[:PORT]/NNNNN
 *
 * HOST is a DNS name or IPv4 address (letters, digits, '-' and '.') or an
 * IPv6 address in brackets; PORT 1..65535; NNNNN the host's five-digit
 * session number. The link never carries the one-time code: that is read
 * out on the phone and typed into the start window.
 *
 * A link comes from anyone who can put one on a web page, so everything
 * else is refused with a reason, never guessed at: user names or
 * passwords (@), percent-escapes, a query or fragment, more path after
 * the number, blanks, control and non-ASCII characters, and a link over
 * LINK_URL_MAX_BYTES.
 */
#ifndef VIEWER_LINK_URL_H
#define VIEWER_LINK_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "limits.h"

enum {
	/* "[" host "]:" and five digits of port: what --relay takes. */
	LINK_URL_RELAY_MAX = LINK_URL_HOST_MAX_BYTES + 8,
};

struct link_url {
	char relay[LINK_URL_RELAY_MAX + 1];     /* HOST, HOST:PORT or [V6]:PORT */
	unsigned long session;                  /* SESSION_NUMBER_MIN..SESSION_NUMBER_MAX */
};

/* Whether arg is meant as a link: it starts with "fernsicht:" in any case
 * (a session number or a path never does). */
bool link_url_is(const char *arg);

/*
 * Parse text into *u. 0, or ERR_TOO_LARGE (over LINK_URL_MAX_BYTES) or
 * ERR_FORMAT, with why[] saying in the reader's language what is wrong;
 * on any error *u is zeroed.
 */
int link_url_parse(const char *text, struct link_url *u, char *why, size_t why_len);

#endif
