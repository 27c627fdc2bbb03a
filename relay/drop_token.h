/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_token.h - the file drop's credentials (docs/PROTOCOL.md "File
 * drop"): all of them made and checked with the relay's drop key, so that
 * the relay keeps no table of them and they outlive a restart.
 *
 *   grant   (WELCOME, X-Fernsicht-Grant as hex)  u32 session number,
 *           u64 expiry unix s, MAC("G" number expiry)
 *   put     (X-Fernsicht-Put, hex)   MAC("P" id): uploads to drop id
 *   link    (claim?t=, base64url without padding)  id, u8 link index,
 *           u64 expiry unix s, MAC("L" id index expiry)
 *   get     (X-Fernsicht-Get, hex)   u64 expiry unix s, MAC("R" id expiry):
 *           downloads drop id until expiry, after a claim
 *
 * MAC is HMAC-SHA-256 with the drop key; the one-letter label keeps one
 * kind from passing for another. Every check compares the MAC in constant
 * time before it reads any field, and looks at the expiry only then.
 * Pure code: no files, no clock (now comes in), fuzzed by fuzz_drop.
 */
#ifndef RELAY_DROP_TOKEN_H
#define RELAY_DROP_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

enum { DROP_KEY_BYTES = 32 };

/* What a grant is for: one session here (its number and the uid of its
 * room, new with every WELCOME of a master), in one generation (the
 * master asks for the next when a viewer it gave the grant to is gone). */
struct drop_grant_of {
	uint32_t number;
	uint64_t uid;
	uint32_t gen;
};

/* Grant bytes for *g, valid until expiry_s. */
void drop_grant_make(const uint8_t key[DROP_KEY_BYTES], const struct drop_grant_of *g,
    uint64_t expiry_s, uint8_t out[DROP_GRANT_LEN]);
/*
 * A grant as hex text. 0 (*g set); ERR_FORMAT: not 2 * DROP_GRANT_LEN
 * hex digits; ERR_AUTH: not made with key; ERR_TIMEOUT: expired. Whether
 * its session and generation are still the live ones is the caller's.
 */
int drop_grant_check(const uint8_t key[DROP_KEY_BYTES], const char *hex, uint64_t now_s,
    struct drop_grant_of *g) WUR;

/* The put secret of drop id, as hex (2 * DROP_PUT_BYTES + 1). */
void drop_put_make(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    char out[2 * DROP_PUT_BYTES + 1]);
/* 0, or ERR_AUTH for anything but drop id's put secret. */
int drop_put_check(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    const char *hex) WUR;

/* Link index of drop id, valid until expiry_s, as base64url. */
void drop_link_make(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    uint8_t index, uint64_t expiry_s, char out[DROP_LINK_TEXT_MAX + 1]);
/*
 * A link's text. 0 (id, index set); ERR_FORMAT: not a link's length or
 * alphabet; ERR_AUTH: not made with key; ERR_TIMEOUT: expired.
 */
int drop_link_check(const uint8_t key[DROP_KEY_BYTES], const char *text, uint64_t now_s,
    uint8_t id[DROP_ID_BYTES], uint8_t *index) WUR;

/* The get secret of drop id until expiry_s, as hex (2 * DROP_GET_BYTES + 1). */
void drop_get_make(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    uint64_t expiry_s, char out[2 * DROP_GET_BYTES + 1]);
/* 0; ERR_FORMAT, ERR_AUTH, or ERR_TIMEOUT as for grants. */
int drop_get_check(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    const char *hex, uint64_t now_s) WUR;

/* Exactly 2 * n hex digits into out[n]: 0 or ERR_FORMAT. */
int drop_hex(const char *hex, uint8_t *out, size_t n) WUR;

#endif
