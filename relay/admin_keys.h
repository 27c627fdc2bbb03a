/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_keys.h - the keys that may sign admin requests (admin-keys-file).
 *
 * One key a line: "KEYID SCOPE SECRET", separated by spaces or tabs.
 * KEYID: 1..ADMIN_KEY_ID_MAX of [A-Za-z0-9._-]; SCOPE: read (GET) or act
 * (GET and POST); SECRET: hex of ADMIN_SECRET_MIN_BYTES..MAX bytes. Empty
 * lines and lines starting with '#' are skipped. Several keys may be
 * there at once (rotation: add the new one, move the clients, remove the
 * old one). A file that others may read or write is refused: it holds
 * the secrets.
 */
#ifndef RELAY_ADMIN_KEYS_H
#define RELAY_ADMIN_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

enum admin_scope { ADMIN_SCOPE_READ, ADMIN_SCOPE_ACT };

struct admin_key {
	char id[ADMIN_KEY_ID_MAX + 1];
	enum admin_scope scope;
	uint8_t secret[ADMIN_SECRET_MAX_BYTES];
	size_t secret_len;
};

struct admin_keys {
	struct admin_key key[ADMIN_KEYS_MAX];
	unsigned n;
};

/* The lines of text (named name in messages) into keys. ERR_FORMAT with
 * why[] naming the file and line; keys is wiped then. */
int admin_keys_parse(struct admin_keys *keys, const char *name, const char *text, size_t len,
    char *why, size_t why_len) WUR;
/* The file at path: its mode first (not readable or writable by others),
 * then admin_keys_parse. ERR_FORMAT or ERR_SYSTEM with why[]. */
int admin_keys_load(struct admin_keys *keys, const char *path, char *why, size_t why_len) WUR;
/* The key called id (of n bytes), or NULL. */
const struct admin_key *admin_keys_find(const struct admin_keys *keys, const char *id, size_t n);
/* Forget every secret. */
void admin_keys_wipe(struct admin_keys *keys);

#endif
