/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.h - host names to their addresses, several names at once and
 * within a bound: link_open races a relay name's addresses like several
 * relays. A name the resolver has not answered for in time is simply
 * left unresolved (the transport resolves it, or the proxy does); the
 * lookup goes on in the background and is freed on a later call.
 */
#ifndef NET_RESOLVE_H
#define NET_RESOLVE_H

#include <netinet/in.h>
#include <stdbool.h>

#include "limits.h"

struct resolve_name {
	const char *host;               /* a name; NULL and numeric addresses are not
	                                 * looked up */
	bool resolved;                  /* out: the resolver answered with addresses */
	unsigned n;                     /* out: how many, in the resolver's order */
	char addr[CLIENT_RELAY_ADDRS_MAX][INET6_ADDRSTRLEN];
};

/* Look names[0..n) up at once and wait for them at most wait_ms. */
void resolve_names(struct resolve_name *names, unsigned n, int wait_ms);
/* host is an IPv4 or IPv6 address already (nothing to look up). */
bool resolve_is_numeric(const char *host);

#endif
