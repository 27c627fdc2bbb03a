/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_url.h - the two addresses a relay in a cluster is given:
 *
 *   --cluster redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]
 *                                        where the shared directory is
 *                                        (PORT 6379, DB 0 by default;
 *                                        HOST may be [v6]; USER and
 *                                        PASSWORD percent-encoded, as in
 *                                        any URL: %40 for '@', %2F for
 *                                        '/', %25 for '%', %3A for ':'
 *                                        in USER)
 *   --advertise NAME[:PORT]              where other relays and clients
 *                                        reach this one (no spaces)
 *
 * USER@HOST alone names a user whose password comes from elsewhere
 * (--cluster-password-file). The password is a secret: it is never
 * printed, and whoever copies it wipes the copy (redis_url_wipe()). The
 * user name is not printed either: a password written where the user
 * goes must not end up in a log.
 *
 * Pure text checks: nothing is resolved here.
 */
#ifndef RELAY_REDIS_URL_H
#define RELAY_REDIS_URL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

enum { REDIS_PORT_DEFAULT = 6379 };

struct redis_url {
	char host[RELAY_CLUSTER_NAME_MAX + 1];
	uint16_t port;
	unsigned db;
	char user[RELAY_CLUSTER_USER_MAX + 1];          /* "": none (Redis's default user) */
	char password[RELAY_CLUSTER_PASSWORD_MAX + 1];  /* "": none */
};

/*
 * 0, or ERR_FORMAT (u is wiped): not redis://, a blank or control byte,
 * an empty "@", an empty password after ':', a bad %XX or one that
 * decodes to a NUL byte, a user or password too long, a bad host, port
 * or database.
 */
int redis_url_parse(const char *s, struct redis_url *u) WUR;

/* Zero u, the password with sodium_memzero. */
void redis_url_wipe(struct redis_url *u);

/*
 * Overwrite the user and password of a redis:// URL in place with '*'
 * (the text before the host's '@'; nothing when there is none), so that
 * the command line ps shows, or a copy kept for later, no longer holds
 * them. Any text: it need not have parsed.
 */
void redis_url_hide_userinfo(char *s);

/*
 * NAME[:PORT] into "NAME:PORT" (out, of out_len), default_port when it
 * names none. 0, or ERR_FORMAT for an empty name, a space, control
 * character, '/' or '@' (it must go into a REDIRECT as it is), a bad
 * port, or a text longer than RELAY_CLUSTER_NAME_MAX.
 */
int redis_advertise_parse(const char *s, uint16_t default_port, char *out, size_t out_len) WUR;

#endif
