/* SPDX-License-Identifier: Apache-2.0 */
/*
 * droplink.h - a file drop's link, as the dropping program prints it and a
 * chat line, a mail or a ticket carries it:
 *
 *   fernsicht://HOST[:PORT]/drop/TOKEN[#KEY]
 *
 * HOST[:PORT] is the relay that keeps the blob (letters, digits, '-' and
 * '.', or an IPv6 address in brackets; PORT 1..65535), TOKEN the relay's
 * link token (base64url, 1..DROP_LINK_TOKEN_MAX_BYTES), KEY the link's
 * secret L (base64url without padding, 32 bytes). KEY lives in the
 * fragment because a fragment is never sent to a server: only this
 * program reads it. Without KEY the link serves those the blob names by
 * their drop identity.
 *
 * Like the session links, a drop link is hostile input: anything else
 * (user names, percent-escapes, a query, blanks, control and non-ASCII
 * characters, more path) is refused with a reason, never guessed at.
 * Pure: text in, fields out.
 */
#ifndef PROTO_DROPLINK_H
#define PROTO_DROPLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

enum {
	DROPLINK_RELAY_MAX = LINK_URL_HOST_MAX_BYTES + 8,  /* "[" host "]:" port */
	DROPLINK_KEY_LEN = 32,
};

struct droplink {
	char relay[DROPLINK_RELAY_MAX + 1];     /* HOST, HOST:PORT or [V6]:PORT */
	char token[DROP_LINK_TOKEN_MAX_BYTES + 1];
	bool has_key;
	uint8_t key[DROPLINK_KEY_LEN];
};

/* Why droplink_authority_parse refuses a HOST[:PORT]; each caller says it in its own words. */
enum droplink_authority_fault {
	DROPLINK_AUTHORITY_OK = 0,
	DROPLINK_AUTHORITY_EMPTY,       /* no text at all */
	DROPLINK_AUTHORITY_NO_HOST,     /* a port without a host: ":4663" */
	DROPLINK_AUTHORITY_LEADING,     /* a host that starts with '-' or '.' */
	DROPLINK_AUTHORITY_HOST_CHAR,   /* a host byte other than letters, digits, '-' and '.' */
	DROPLINK_AUTHORITY_IPV6,        /* a malformed [IPv6], or bytes between ']' and ':' */
	DROPLINK_AUTHORITY_TOO_LONG,    /* a host over LINK_URL_HOST_MAX_BYTES */
	DROPLINK_AUTHORITY_PORT,        /* a port that is not 1..65535 in 1..5 digits */
};

/*
 * The HOST[:PORT] of a fernsicht:// link (a drop link's or a session
 * link's) in a[0..n), which need not end in a NUL: HOST is letters,
 * digits, '-' and '.' (not first '-' or '.': nothing an option parser
 * could take for an option) or an IPv6 address in brackets (hex digits,
 * ':' and '.'; no zone); PORT 1..65535. Faults are looked for in the
 * order of the enum, and the first is returned; on DROPLINK_AUTHORITY_OK
 * a[0..n) is copied to relay with a NUL, else relay is untouched. Pure.
 */
enum droplink_authority_fault droplink_authority_parse(const char *a, size_t n,
    char relay[DROPLINK_RELAY_MAX + 1]);
/* Whether text starts like a drop link: "fernsicht://", then "/drop/" after the host. */
bool droplink_is(const char *text);
/* 0, or ERR_TOO_LARGE / ERR_FORMAT with *why (English) saying what is wrong;
 * on any error *d is wiped. */
int droplink_parse(const char *text, struct droplink *d, const char **why) WUR;
/* The link's text for relay, token and, unless NULL, key. ERR_NO_SPACE or ERR_FORMAT. */
int droplink_format(char *out, size_t out_len, const char *relay, const char *token,
    const uint8_t *key) WUR;

#endif
