/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ticket.h - a master's resume ticket: WIRE_TICKET_LEN random bytes the
 * relay hands out in the master's first WELCOME. With it (HELLO session
 * N, ticket) the master takes its number N back after its connection was
 * lost, on this relay or on another of its cluster.
 *
 * The relay never keeps a ticket: only its hash, BLAKE2b-256, goes into
 * the directory (and from there into Redis or the state file), so that
 * whoever reads those cannot resume anybody's session. Hashes are
 * compared in constant time.
 */
#ifndef RELAY_TICKET_H
#define RELAY_TICKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

enum {
	TICKET_HASH_LEN = 32,                   /* crypto_generichash_BYTES */
	TICKET_HEX_LEN = 2 * TICKET_HASH_LEN,   /* a hash as lower-case hex, no NUL */
};

/* A fresh ticket (randombytes_buf) and its hash. */
void ticket_new(uint8_t ticket[WIRE_TICKET_LEN], uint8_t hash[TICKET_HASH_LEN]);
void ticket_hash(const uint8_t ticket[WIRE_TICKET_LEN], uint8_t hash[TICKET_HASH_LEN]);
/* Without an early exit (sodium_memcmp). */
bool ticket_hash_equal(const uint8_t a[TICKET_HASH_LEN], const uint8_t b[TICKET_HASH_LEN]);
/* hex gets TICKET_HEX_LEN characters and a NUL. */
void ticket_hash_hex(const uint8_t hash[TICKET_HASH_LEN], char hex[TICKET_HEX_LEN + 1]);
/* Exactly TICKET_HEX_LEN hex digits (n of them at s): 0, or ERR_FORMAT. */
int ticket_hash_parse(const char *s, size_t n, uint8_t hash[TICKET_HASH_LEN]) WUR;

#endif
