/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpace.c - CPace (draft-irtf-cfrg-cpace) on ristretto255 with SHA-512.
 *
 * Every group operation and the hash are libsodium's; this file only
 * lays out the byte strings the draft hashes. The strings are fed to an
 * incremental SHA-512 so that no input length needs a buffer limit.
 */
#include <string.h>

#include <sodium.h>

#include "cpace.h"

/* SHA-512's input block size: the draft's s_in_bytes. */
#define CPACE_S_IN_BYTES 128

/* Length of the LEB128 encoding of n (the draft's prepend_len prefix). */
static size_t
leb128_len(size_t n)
{
	size_t k = 1;

	while (n >= 128) {
		n >>= 7;
		k++;
	}
	return k;
}

/* Hash prepend_len(data): LEB128 length, then the bytes. */
static void
hash_lv(crypto_hash_sha512_state *st, const uint8_t *data, size_t len)
{
	uint8_t pre[10]; /* 64 bits in 7-bit groups */
	size_t n = len, k = 0;

	do {
		pre[k] = n & 0x7f;
		n >>= 7;
		if (n != 0)
			pre[k] |= 0x80;
		k++;
	} while (n != 0);
	crypto_hash_sha512_update(st, pre, k);
	if (len != 0)
		crypto_hash_sha512_update(st, data, len);
}

int
cpace_generator(uint8_t g[CPACE_POINT_LEN], const uint8_t *prs, size_t prs_len,
    const uint8_t *ci, size_t ci_len, const uint8_t *sid, size_t sid_len)
{
	static const uint8_t zeros[CPACE_S_IN_BYTES];
	const size_t dsi_len = sizeof(CPACE_DSI) - 1;
	crypto_hash_sha512_state st;
	uint8_t h[crypto_hash_sha512_BYTES];
	size_t used, zpad = 0;

	/*
	 * The draft pads with zeros so that DSI and PRS fill the whole first
	 * hash block: the password is then absorbed before anything an
	 * attacker chooses (CI, sid) shares a block with it.
	 */
	used = 1 + leb128_len(prs_len) + prs_len + leb128_len(dsi_len) + dsi_len;
	if (used < CPACE_S_IN_BYTES)
		zpad = CPACE_S_IN_BYTES - used;

	crypto_hash_sha512_init(&st);
	hash_lv(&st, (const uint8_t *)CPACE_DSI, dsi_len);
	hash_lv(&st, prs, prs_len);
	hash_lv(&st, zeros, zpad);
	hash_lv(&st, ci, ci_len);
	hash_lv(&st, sid, sid_len);
	crypto_hash_sha512_final(&st, h);
	crypto_core_ristretto255_from_hash(g, h);
	sodium_memzero(h, sizeof(h));
	sodium_memzero(&st, sizeof(st));
	return 0;
}

void
cpace_scalar_random(uint8_t y[CPACE_SCALAR_LEN])
{
	crypto_core_ristretto255_scalar_random(y);
}

/*
 * y * P. libsodium ignores the scalar's top bit, so reduce y mod L first:
 * then every 32-byte y means what the draft means by it.
 */
static int
scalarmult(uint8_t out[CPACE_POINT_LEN], const uint8_t y[CPACE_SCALAR_LEN],
    const uint8_t P[CPACE_POINT_LEN])
{
	uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES] = { 0 };
	uint8_t s[CPACE_SCALAR_LEN];
	int r;

	memcpy(wide, y, CPACE_SCALAR_LEN);
	crypto_core_ristretto255_scalar_reduce(s, wide);
	/* Fails for a non-canonical or invalid encoding and for an identity result. */
	r = crypto_scalarmult_ristretto255(out, s, P);
	sodium_memzero(wide, sizeof(wide));
	sodium_memzero(s, sizeof(s));
	if (r != 0) {
		sodium_memzero(out, CPACE_POINT_LEN);
		return ERR_AUTH;
	}
	return 0;
}

int
cpace_public(uint8_t Y[CPACE_POINT_LEN], const uint8_t y[CPACE_SCALAR_LEN],
    const uint8_t g[CPACE_POINT_LEN])
{
	/* g comes from cpace_generator, so failure here is y = 0 mod L. */
	return scalarmult(Y, y, g);
}

int
cpace_secret(uint8_t K[CPACE_POINT_LEN], const uint8_t y[CPACE_SCALAR_LEN],
    const uint8_t Yother[CPACE_POINT_LEN])
{
	/* The draft's scalar_mult_vfy: the protocol aborts on G.I. */
	return scalarmult(K, y, Yother);
}

void
cpace_isk_ir(uint8_t isk[CPACE_ISK_LEN], const uint8_t *sid, size_t sid_len,
    const uint8_t K[CPACE_POINT_LEN],
    const uint8_t Ya[CPACE_POINT_LEN], const uint8_t *ada, size_t ada_len,
    const uint8_t Yb[CPACE_POINT_LEN], const uint8_t *adb, size_t adb_len)
{
	static const char dsi_isk[] = CPACE_DSI "_ISK";
	crypto_hash_sha512_state st;

	crypto_hash_sha512_init(&st);
	/* lv_cat(DSI_ISK, sid, K) */
	hash_lv(&st, (const uint8_t *)dsi_isk, sizeof(dsi_isk) - 1);
	hash_lv(&st, sid, sid_len);
	hash_lv(&st, K, CPACE_POINT_LEN);
	/* transcript_ir(Ya, ADa, Yb, ADb) = lv_cat(Ya, ADa) || lv_cat(Yb, ADb) */
	hash_lv(&st, Ya, CPACE_POINT_LEN);
	hash_lv(&st, ada, ada_len);
	hash_lv(&st, Yb, CPACE_POINT_LEN);
	hash_lv(&st, adb, adb_len);
	crypto_hash_sha512_final(&st, isk);
	sodium_memzero(&st, sizeof(st));
}
