/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_url.h - the two addresses a relay in a cluster is given:
 *
 *   --cluster redis://HOST[:PORT][/DB]   where the shared directory is
 *                                        (PORT 6379, DB 0 by default;
 *                                        HOST may be [v6])
 *   --advertise NAME[:PORT]              where other relays and clients
 *                                        reach this one (no spaces)
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
};

/* 0, or ERR_FORMAT (u is zeroed). */
int redis_url_parse(const char *s, struct redis_url *u) WUR;

/*
 * NAME[:PORT] into "NAME:PORT" (out, of out_len), default_port when it
 * names none. 0, or ERR_FORMAT for an empty name, a space, control
 * character, '/' or '@' (it must go into a REDIRECT as it is), a bad
 * port, or a text longer than RELAY_CLUSTER_NAME_MAX.
 */
int redis_advertise_parse(const char *s, uint16_t default_port, char *out, size_t out_len) WUR;

#endif
