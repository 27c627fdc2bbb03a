/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include <sodium.h>

#include "ticket.h"

_Static_assert(TICKET_HASH_LEN == crypto_generichash_BYTES, "BLAKE2b-256");

void
ticket_hash(const uint8_t ticket[WIRE_TICKET_LEN], uint8_t hash[TICKET_HASH_LEN])
{
	/* unkeyed: every relay of a cluster must get the same hash */
	crypto_generichash(hash, TICKET_HASH_LEN, ticket, WIRE_TICKET_LEN, NULL, 0);
}

void
ticket_new(uint8_t ticket[WIRE_TICKET_LEN], uint8_t hash[TICKET_HASH_LEN])
{
	randombytes_buf(ticket, WIRE_TICKET_LEN);
	ticket_hash(ticket, hash);
}

bool
ticket_hash_equal(const uint8_t a[TICKET_HASH_LEN], const uint8_t b[TICKET_HASH_LEN])
{
	return sodium_memcmp(a, b, TICKET_HASH_LEN) == 0;
}

void
ticket_hash_hex(const uint8_t hash[TICKET_HASH_LEN], char hex[TICKET_HEX_LEN + 1])
{
	sodium_bin2hex(hex, TICKET_HEX_LEN + 1, hash, TICKET_HASH_LEN);
}

int
ticket_hash_parse(const char *s, size_t n, uint8_t hash[TICKET_HASH_LEN])
{
	size_t got = 0;
	size_t i;

	memset(hash, 0, TICKET_HASH_LEN);
	if (n != TICKET_HEX_LEN)
		return ERR_FORMAT;
	/* sodium_hex2bin takes upper case too: the files and keys are ours, lower case */
	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return ERR_FORMAT;
	if (sodium_hex2bin(hash, TICKET_HASH_LEN, s, n, NULL, &got, NULL) != 0 ||
	    got != TICKET_HASH_LEN) {
		memset(hash, 0, TICKET_HASH_LEN);
		return ERR_FORMAT;
	}
	return 0;
}
