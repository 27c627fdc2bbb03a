/* SPDX-License-Identifier: Apache-2.0 */
/*
 * token.c - a session-creation token's bytes and text (token.h). The
 * decoder reads the version and the key id (to find the secret), then
 * checks the MAC over the whole body in constant time, and only then
 * reads the other fields.
 */
#include <string.h>

#include <sodium.h>

#include "buf.h"
#include "token.h"

_Static_assert(TOKEN_MAC_LEN == crypto_auth_hmacsha256_BYTES, "HMAC-SHA-256");

/* The largest body: every field at its maximum. */
enum {
	BODY_MAX = 1 + 1 + TOKEN_KEY_ID_MAX + TOKEN_ID_LEN + 8 + 1 + 1 + TOKEN_NAME_MAX +
	    TOKEN_MAC_LEN,
	PREFIX_LEN = sizeof(TOKEN_PREFIX) - 1,
};

_Static_assert(PREFIX_LEN + (BODY_MAX * 4 + 2) / 3 <= WIRE_TOKEN_MAX,
    "the largest token fits HELLO's field");

int
token_key_id_check(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > TOKEN_KEY_ID_MAX)
		return ERR_FORMAT;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return ERR_FORMAT;
	return 0;
}

int
token_name_check(const char *s)
{
	size_t i, n = strlen(s);

	if (n > TOKEN_NAME_MAX || !buf_utf8_valid((const uint8_t *)s, n))
		return ERR_FORMAT;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return ERR_FORMAT;
	return 0;
}

static void
mac(const uint8_t *p, size_t n, const uint8_t *secret, size_t secret_len,
    uint8_t out[TOKEN_MAC_LEN])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, secret, secret_len);
	crypto_auth_hmacsha256_update(&st, p, n);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

int
token_encode(const struct token *t, const uint8_t *secret, size_t secret_len, char *out,
    size_t out_len)
{
	uint8_t body[BODY_MAX];
	size_t kn = strlen(t->key_id), nn = strlen(t->name), n = 0;

	if (out_len > 0)
		out[0] = '\0';
	if (token_key_id_check(t->key_id) != 0 || token_name_check(t->name) != 0)
		return ERR_FORMAT;
	BUG_ON(secret_len < TOKEN_SECRET_MIN || secret_len > TOKEN_SECRET_MAX);
	body[n++] = TOKEN_VERSION;
	body[n++] = (uint8_t)kn;
	memcpy(body + n, t->key_id, kn);
	n += kn;
	memcpy(body + n, t->id, TOKEN_ID_LEN);
	n += TOKEN_ID_LEN;
	for (int i = 0; i < 8; i++)
		body[n++] = (uint8_t)(t->expiry_s >> (56 - 8 * i));
	body[n++] = t->scope;
	body[n++] = (uint8_t)nn;
	memcpy(body + n, t->name, nn);
	n += nn;
	mac(body, n, secret, secret_len, body + n);
	n += TOKEN_MAC_LEN;
	if (out_len < PREFIX_LEN + sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return ERR_NO_SPACE;
	memcpy(out, TOKEN_PREFIX, PREFIX_LEN);
	sodium_bin2base64(out + PREFIX_LEN, out_len - PREFIX_LEN, body, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return 0;
}

/* The text's body into body[BODY_MAX]: its length, or -1 when it is no
 * token's text (canonical base64url only: one token, one text). */
static int
text_body(const char *text, size_t len, uint8_t body[BODY_MAX], size_t *n)
{
	char again[WIRE_TOKEN_MAX + 1];
	const char *end = NULL;

	*n = 0;
	if (len <= PREFIX_LEN || len > WIRE_TOKEN_MAX ||
	    memcmp(text, TOKEN_PREFIX, PREFIX_LEN) != 0)
		return ERR_FORMAT;
	if (sodium_base642bin(body, BODY_MAX, text + PREFIX_LEN, len - PREFIX_LEN, NULL, n, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    end != text + len)
		return ERR_FORMAT;
	/* unused low bits of the last character would give one body many texts */
	sodium_bin2base64(again, sizeof(again), body, *n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (strlen(again) != len - PREFIX_LEN ||
	    memcmp(again, text + PREFIX_LEN, len - PREFIX_LEN) != 0)
		return ERR_FORMAT;
	return 0;
}

int
token_decode(const char *text, size_t len, token_key_fn key, void *arg, struct token *t)
{
	uint8_t body[BODY_MAX], want[TOKEN_MAC_LEN], version, kn, nn;
	const uint8_t *secret;
	size_t n, secret_len;
	struct buf b, name;
	int r;

	memset(t, 0, sizeof(*t));
	if ((r = text_body(text, len, body, &n)) != 0)
		goto out;
	r = ERR_FORMAT;
	/* what locating the key needs, and room for a MAC after it */
	if (n < 2 + TOKEN_MAC_LEN)
		goto out;
	version = body[0];
	kn = body[1];
	if (version != TOKEN_VERSION || kn == 0 || kn > TOKEN_KEY_ID_MAX ||
	    n - TOKEN_MAC_LEN < 2 + (size_t)kn)
		goto out;
	memcpy(t->key_id, body + 2, kn);
	t->key_id[kn] = '\0';
	if (strlen(t->key_id) != kn || token_key_id_check(t->key_id) != 0)
		goto out;
	if ((r = key(arg, t->key_id, &secret, &secret_len)) != 0) {
		r = ERR_NOT_FOUND;
		goto out;
	}
	mac(body, n - TOKEN_MAC_LEN, secret, secret_len, want);
	if (crypto_verify_32(want, body + n - TOKEN_MAC_LEN) != 0) {
		r = ERR_AUTH;
		goto out;
	}
	/* signed by us: the rest is ours, but still read with checks */
	r = ERR_FORMAT;
	buf_view(&b, body + 2 + kn, n - TOKEN_MAC_LEN - 2 - kn);
	if (buf_get_bytes(&b, t->id, TOKEN_ID_LEN) != 0 ||
	    buf_get_u64(&b, &t->expiry_s) != 0 ||
	    buf_get_u8(&b, &t->scope) != 0 ||
	    buf_get_u8(&b, &nn) != 0 ||
	    buf_get_view(&b, &name, nn) != 0 ||
	    buf_expect_end(&b) != 0 || nn > TOKEN_NAME_MAX)
		goto out;
	memcpy(t->name, buf_ptr(&name), nn);
	t->name[nn] = '\0';
	if (strlen(t->name) != nn || token_name_check(t->name) != 0)
		goto out;
	r = 0;
out:
	sodium_memzero(body, sizeof(body));
	sodium_memzero(want, sizeof(want));
	if (r != 0)
		memset(t, 0, sizeof(*t));
	return r;
}
