/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_token.c - the file drop's grants, put and get secrets and links
 * (the formats are in drop_token.h).
 */
#include <stdbool.h>
#include <string.h>

#include <sodium.h>

#include "drop_token.h"

static void
put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t
get_u64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* HMAC-SHA-256(key, label || a || b) */
static void
mac(const uint8_t key[DROP_KEY_BYTES], char label, const uint8_t *a, size_t an,
    const uint8_t *b, size_t bn, uint8_t out[DROP_MAC_BYTES])
{
	crypto_auth_hmacsha256_state st;
	uint8_t l = (uint8_t)label;

	crypto_auth_hmacsha256_init(&st, key, DROP_KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, &l, 1);
	crypto_auth_hmacsha256_update(&st, a, an);
	if (bn > 0)
		crypto_auth_hmacsha256_update(&st, b, bn);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

/* Constant time: the MAC over label || p[0..n) is mac_at. */
static bool
mac_ok(const uint8_t key[DROP_KEY_BYTES], char label, const uint8_t *p, size_t n,
    const uint8_t *b, size_t bn, const uint8_t *mac_at)
{
	uint8_t want[DROP_MAC_BYTES];
	bool ok;

	mac(key, label, p, n, b, bn, want);
	ok = sodium_memcmp(want, mac_at, DROP_MAC_BYTES) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}

int
drop_hex(const char *hex, uint8_t *out, size_t n)
{
	size_t got = 0;

	if (strlen(hex) != 2 * n ||
	    sodium_hex2bin(out, n, hex, 2 * n, NULL, &got, NULL) != 0 || got != n) {
		memset(out, 0, n);
		return ERR_FORMAT;
	}
	return 0;
}

static void
put_u32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* number | uid | gen | expiry, then the MAC over those */
enum { GRANT_SIGNED = 4 + 8 + 4 + 8 };
_Static_assert(GRANT_SIGNED + DROP_MAC_BYTES == DROP_GRANT_LEN, "grant layout");

void
drop_grant_make(const uint8_t key[DROP_KEY_BYTES], const struct drop_grant_of *g,
    uint64_t expiry_s, uint8_t out[DROP_GRANT_LEN])
{
	put_u32(out, g->number);
	put_u64(out + 4, g->uid);
	put_u32(out + 12, g->gen);
	put_u64(out + 16, expiry_s);
	mac(key, 'G', out, GRANT_SIGNED, NULL, 0, out + GRANT_SIGNED);
}

int
drop_grant_check(const uint8_t key[DROP_KEY_BYTES], const char *hex, uint64_t now_s,
    struct drop_grant_of *g)
{
	uint8_t b[DROP_GRANT_LEN];

	memset(g, 0, sizeof(*g));
	if (drop_hex(hex, b, sizeof(b)) != 0)
		return ERR_FORMAT;
	if (!mac_ok(key, 'G', b, GRANT_SIGNED, NULL, 0, b + GRANT_SIGNED))
		return ERR_AUTH;
	if (get_u64(b + 16) <= now_s)
		return ERR_TIMEOUT;
	g->number = get_u32(b);
	g->uid = get_u64(b + 4);
	g->gen = get_u32(b + 12);
	return 0;
}

void
drop_put_make(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    char out[2 * DROP_PUT_BYTES + 1])
{
	uint8_t m[DROP_MAC_BYTES];

	mac(key, 'P', id, DROP_ID_BYTES, NULL, 0, m);
	sodium_bin2hex(out, 2 * DROP_PUT_BYTES + 1, m, sizeof(m));
	sodium_memzero(m, sizeof(m));
}

int
drop_put_check(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    const char *hex)
{
	uint8_t m[DROP_PUT_BYTES];

	if (drop_hex(hex, m, sizeof(m)) != 0)
		return ERR_AUTH;
	return mac_ok(key, 'P', id, DROP_ID_BYTES, NULL, 0, m) ? 0 : ERR_AUTH;
}

void
drop_link_make(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    uint8_t index, uint64_t expiry_s, char out[DROP_LINK_TEXT_MAX + 1])
{
	uint8_t t[DROP_LINK_BYTES];

	memcpy(t, id, DROP_ID_BYTES);
	t[DROP_ID_BYTES] = index;
	put_u64(t + DROP_ID_BYTES + 1, expiry_s);
	mac(key, 'L', t, DROP_ID_BYTES + 9, NULL, 0, t + DROP_ID_BYTES + 9);
	sodium_bin2base64(out, DROP_LINK_TEXT_MAX + 1, t, sizeof(t),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
drop_link_check(const uint8_t key[DROP_KEY_BYTES], const char *text, uint64_t now_s,
    uint8_t id[DROP_ID_BYTES], uint8_t *index)
{
	uint8_t t[DROP_LINK_BYTES];
	size_t n = strlen(text), got = 0;
	const char *end = NULL;

	memset(id, 0, DROP_ID_BYTES);
	*index = 0;
	if (n != sodium_base64_ENCODED_LEN(DROP_LINK_BYTES,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1 ||
	    sodium_base642bin(t, sizeof(t), text, n, NULL, &got, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || got != sizeof(t) ||
	    end != text + n)
		return ERR_FORMAT;
	if (!mac_ok(key, 'L', t, DROP_ID_BYTES + 9, NULL, 0, t + DROP_ID_BYTES + 9))
		return ERR_AUTH;
	if (get_u64(t + DROP_ID_BYTES + 1) <= now_s)
		return ERR_TIMEOUT;
	memcpy(id, t, DROP_ID_BYTES);
	*index = t[DROP_ID_BYTES];
	return 0;
}

void
drop_get_make(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    uint64_t expiry_s, char out[2 * DROP_GET_BYTES + 1])
{
	uint8_t g[DROP_GET_BYTES];

	put_u64(g, expiry_s);
	mac(key, 'R', id, DROP_ID_BYTES, g, 8, g + 8);
	sodium_bin2hex(out, 2 * DROP_GET_BYTES + 1, g, sizeof(g));
}

int
drop_get_check(const uint8_t key[DROP_KEY_BYTES], const uint8_t id[DROP_ID_BYTES],
    const char *hex, uint64_t now_s)
{
	uint8_t g[DROP_GET_BYTES];

	if (drop_hex(hex, g, sizeof(g)) != 0)
		return ERR_FORMAT;
	if (!mac_ok(key, 'R', id, DROP_ID_BYTES, g, 8, g + 8))
		return ERR_AUTH;
	return get_u64(g) <= now_s ? ERR_TIMEOUT : 0;
}
