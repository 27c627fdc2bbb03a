/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relay_list.h - the relays a client may use: --relay a,b,c (and the
 * settings files' relay key), each entry HOST[:PORT], at most
 * CLIENT_RELAYS_MAX of them; blanks around the commas are allowed. The
 * same check reads the "host:port" of a relay's REDIRECT, so a name from
 * the network never reaches a URL with characters that mean something
 * there ('@', '/', '?', '#').
 *
 * Pure text: no resolving, no sockets (link.c races the entries).
 */
#ifndef NET_RELAY_LIST_H
#define NET_RELAY_LIST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

struct relay_entry {
	char text[CLIENT_RELAY_TEXT_MAX + 1];   /* as written, blanks trimmed */
	char host[256];                         /* a v6 address without its brackets */
	uint16_t port;                          /* 0: none given (the tier's own) */
};

struct relay_list {
	unsigned n;
	struct relay_entry e[CLIENT_RELAYS_MAX];
};

/*
 * One HOST[:PORT] in s[0..n) (no blanks): a host of letters, digits and
 * ".-_" (a v6 address also ":%", in brackets when a port follows), a
 * port of 1..65535. 0, or ERR_FORMAT with *e cleared.
 */
int relay_entry_parse(const char *s, size_t n, struct relay_entry *e) WUR;
/*
 * "a,b,c" into *l; an entry written twice counts once. 0, or ERR_FORMAT
 * with why[] saying what is wrong (in English: for l->why and the logs)
 * and *l empty.
 */
int relay_list_parse(const char *s, struct relay_list *l, char *why, size_t why_len) WUR;
/* The index of the entry written as text, or -1. */
int relay_list_find(const struct relay_list *l, const char *text);
/* The entries joined by ',' (no blanks): the list's name in the state
 * file. "" when it does not fit. */
void relay_list_key(const struct relay_list *l, char *out, size_t out_len);

#endif
