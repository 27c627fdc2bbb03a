/* SPDX-License-Identifier: Apache-2.0 */
/*
 * token.h - one session-creation token as text: what a relay operator
 * issues and a master presents in HELLO (docs/relay.md "Who may open
 * sessions"). Pure: no files, no clock.
 *
 *   "fst1." base64url (no padding) of
 *      u8 version (1), lv8 key id, id[TOKEN_ID_LEN], u64 expiry unix s,
 *      u8 scope (TOKEN_SCOPE_CREATE), lv8 name (UTF-8, <= TOKEN_NAME_MAX),
 *      mac[TOKEN_MAC_LEN] = HMAC-SHA-256(key's secret, every byte before it)
 *
 * The key id only says which secret to check the MAC with; nothing else
 * of a token is read before its MAC holds.
 */
#ifndef RELAY_TOKEN_H
#define RELAY_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

#define TOKEN_PREFIX "fst1."
#define TOKEN_VERSION 1

enum token_scope {
	TOKEN_SCOPE_CREATE = 1,         /* may open sessions */
};

struct token {
	char key_id[TOKEN_KEY_ID_MAX + 1];
	uint8_t id[TOKEN_ID_LEN];
	uint64_t expiry_s;
	uint8_t scope;
	char name[TOKEN_NAME_MAX + 1];
};

/* The secret of key_id: 0 with *secret and *len, or ERR_NOT_FOUND. */
typedef int (*token_key_fn)(void *arg, const char *key_id, const uint8_t **secret,
    size_t *len);

/* Whether s is a good key id: 1..TOKEN_KEY_ID_MAX of [A-Za-z0-9._-]. */
int token_key_id_check(const char *s);
/* Whether s is a good name: <= TOKEN_NAME_MAX bytes of UTF-8 without controls. */
int token_name_check(const char *s);

/*
 * t as text into out (NUL-terminated; out_len > WIRE_TOKEN_MAX is always
 * enough), signed with secret. ERR_FORMAT for a bad key id or name.
 */
int token_encode(const struct token *t, const uint8_t *secret, size_t secret_len, char *out,
    size_t out_len) WUR;

/*
 * Check text (len bytes, not trusted) and fill *t. ERR_FORMAT: not a
 * token; ERR_NOT_FOUND: signed by a key that key() does not know;
 * ERR_AUTH: the MAC does not hold (forged, or changed). *t is zero on
 * any error.
 */
int token_decode(const char *text, size_t len, token_key_fn key, void *arg, struct token *t)
    WUR;

#endif
