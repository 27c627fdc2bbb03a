/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sec.c - record layer and key schedule on libsodium. See sec.h and
 * docs/PROTOCOL.md ("Records").
 */
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "msg.h"
#include "sec.h"

/* The ratchet's KDF context: key' = KDF(key, generation, "FSratch1"). */
static const char RATCHET_CTX[8] = { 'F', 'S', 'r', 'a', 't', 'c', 'h', '1' };

static void
sodium_ready(void)
{
	/* Idempotent and thread safe; every entry point that needs the
	 * library's CPU feature detection goes through here. */
	if (sodium_init() < 0)
		log_fatal(1, "libsodium cannot be initialised");
}

void
sec_policy_default(struct sec_policy *p)
{
	p->rekey_after_messages = SEC_REKEY_AFTER_MESSAGES;
	p->rekey_after_bytes = SEC_REKEY_AFTER_BYTES;
	p->rekey_after_ms = SEC_REKEY_AFTER_MS;
	p->key_max_age_ms = SEC_KEY_MAX_AGE_MS;
}

bool
sec_aes_available(void)
{
	sodium_ready();
	return crypto_aead_aes256gcm_is_available() != 0;
}

uint8_t
sec_suites_offered(bool force_xchacha)
{
	if (force_xchacha || !sec_aes_available())
		return MSG_SUITE_XCHACHA20;
	return MSG_SUITE_AES256GCM | MSG_SUITE_XCHACHA20;
}

static size_t
nonce_len(uint8_t suite)
{
	switch (suite) {
	case MSG_SUITE_AES256GCM:
		return SEC_AES_NONCE_LEN;
	case MSG_SUITE_XCHACHA20:
		return SEC_XCHACHA_NONCE_LEN;
	}
	return 0;
}

int
sec_aead_seal_nonce(uint8_t suite, const uint8_t key[SEC_KEY_LEN], const uint8_t *nonce,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n, uint8_t *out)
{
	unsigned long long clen;

	sodium_ready();
	if (suite == MSG_SUITE_AES256GCM) {
		if (!crypto_aead_aes256gcm_is_available())
			return ERR_UNSUPPORTED;
		crypto_aead_aes256gcm_encrypt(out, &clen, in, n, ad, ad_len, NULL, nonce, key);
		return 0;
	}
	if (suite == MSG_SUITE_XCHACHA20) {
		crypto_aead_xchacha20poly1305_ietf_encrypt(out, &clen, in, n, ad, ad_len, NULL,
		    nonce, key);
		return 0;
	}
	return ERR_UNSUPPORTED;
}

int
sec_aead_open_nonce(uint8_t suite, const uint8_t key[SEC_KEY_LEN], const uint8_t *nonce,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n, uint8_t *out)
{
	unsigned long long mlen;
	int r;

	sodium_ready();
	if (n < SEC_TAG_LEN)
		return ERR_AUTH;
	if (suite == MSG_SUITE_AES256GCM) {
		if (!crypto_aead_aes256gcm_is_available())
			return ERR_UNSUPPORTED;
		r = crypto_aead_aes256gcm_decrypt(out, &mlen, NULL, in, n, ad, ad_len, nonce, key);
	} else if (suite == MSG_SUITE_XCHACHA20) {
		r = crypto_aead_xchacha20poly1305_ietf_decrypt(out, &mlen, NULL, in, n, ad,
		    ad_len, nonce, key);
	} else {
		return ERR_UNSUPPORTED;
	}
	return r == 0 ? 0 : ERR_AUTH;
}

/* nonce = zero bytes || seq, big-endian, in the suite's nonce length. */
static void
seq_nonce(uint8_t nonce[SEC_XCHACHA_NONCE_LEN], size_t len, uint64_t seq)
{
	memset(nonce, 0, len);
	for (int i = 0; i < 8; i++)
		nonce[len - 1 - i] = (uint8_t)(seq >> (8 * i));
}

int
sec_aead_seal(uint8_t suite, const uint8_t key[SEC_KEY_LEN], uint64_t seq,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t nonce[SEC_XCHACHA_NONCE_LEN];
	size_t len = nonce_len(suite);

	if (len == 0)
		return ERR_UNSUPPORTED;
	seq_nonce(nonce, len, seq);
	return sec_aead_seal_nonce(suite, key, nonce, ad, ad_len, in, n, out);
}

int
sec_aead_open(uint8_t suite, const uint8_t key[SEC_KEY_LEN], uint64_t seq,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n, uint8_t *out)
{
	uint8_t nonce[SEC_XCHACHA_NONCE_LEN];
	size_t len = nonce_len(suite);

	if (len == 0)
		return ERR_UNSUPPORTED;
	seq_nonce(nonce, len, seq);
	return sec_aead_open_nonce(suite, key, nonce, ad, ad_len, in, n, out);
}

void
sec_tx_init(struct sec_tx *tx, uint8_t suite, const uint8_t key[SEC_KEY_LEN],
    const struct sec_policy *pol, uint64_t now_ms)
{
	memset(tx, 0, sizeof(*tx));
	tx->suite = suite;
	memcpy(tx->key, key, SEC_KEY_LEN);
	tx->key_born_ms = now_ms;
	tx->pol = *pol;
	tx->ready = nonce_len(suite) != 0;
}

void
sec_rx_init(struct sec_rx *rx, uint8_t suite, const uint8_t key[SEC_KEY_LEN],
    const struct sec_policy *pol, uint64_t now_ms)
{
	memset(rx, 0, sizeof(*rx));
	rx->suite = suite;
	memcpy(rx->key, key, SEC_KEY_LEN);
	rx->key_born_ms = now_ms;
	rx->pol = *pol;
	rx->ready = nonce_len(suite) != 0;
}

void
sec_tx_clear(struct sec_tx *tx)
{
	sodium_memzero(tx, sizeof(*tx));
}

void
sec_rx_clear(struct sec_rx *rx)
{
	sodium_memzero(rx, sizeof(*rx));
}

bool
sec_tx_due(const struct sec_tx *tx, uint64_t now_ms)
{
	return tx->key_msgs >= tx->pol.rekey_after_messages ||
	    tx->key_bytes >= tx->pol.rekey_after_bytes ||
	    now_ms - tx->key_born_ms >= tx->pol.rekey_after_ms;
}

/* key' = KDF(key, next generation): the old key cannot be recomputed from
 * the new one, so a later compromise does not open earlier records. */
static void
ratchet(uint8_t key[SEC_KEY_LEN], uint64_t gen)
{
	uint8_t next[SEC_KEY_LEN];

	sec_kdf(next, key, gen, RATCHET_CTX);
	memcpy(key, next, SEC_KEY_LEN);
	sodium_memzero(next, sizeof(next));
}

/* The AD: the header as sent, with the slot zeroed (the relay rewrites it). */
static void
record_ad(uint8_t ad[WIRE_HEADER_LEN], const struct wire_hdr *h)
{
	struct wire_hdr a = *h;

	a.slot = 0;
	wire_hdr_pack(&a, ad);
}

static int
seal(struct sec_tx *tx, bool may_ratchet, uint8_t key_flag, uint16_t slot,
    const uint8_t *pt, size_t n, struct buf *out, uint64_t now_ms)
{
	struct wire_hdr h = { .type = WIRE_DATA, .flags = key_flag, .slot = slot };
	uint8_t ad[WIRE_HEADER_LEN], *p;
	size_t total = WIRE_HEADER_LEN + n + SEC_TAG_LEN;
	int r;

	if (!tx->ready)
		return ERR_PROTOCOL;
	if ((key_flag & ~WIRE_F_KEY_MASK) != 0 || n > WIRE_BODY_MAX_BYTES - SEC_TAG_LEN)
		return ERR_TOO_LARGE;
	if (tx->seq == UINT64_MAX)
		return ERR_LIMIT;       /* never reuse a nonce: the stream is over */
	if (buf_avail(out) < total)
		return ERR_NO_SPACE;
	if (may_ratchet && sec_tx_due(tx, now_ms)) {
		ratchet(tx->key, ++tx->gen);
		tx->key_msgs = tx->key_bytes = 0;
		tx->key_born_ms = now_ms;
		h.flags |= WIRE_F_REKEY;
	}
	h.seq = tx->seq + 1;
	h.len = (uint32_t)(n + SEC_TAG_LEN);
	record_ad(ad, &h);
	if ((r = buf_reserve(out, total, &p)) != 0)
		return r;
	wire_hdr_pack(&h, p);
	if ((r = sec_aead_seal(tx->suite, tx->key, h.seq, ad, sizeof(ad), pt, n,
	    p + WIRE_HEADER_LEN)) != 0) {
		buf_unput(out, total);
		return r;
	}
	tx->seq = h.seq;
	tx->key_msgs++;
	tx->key_bytes += n;
	return 0;
}

int
sec_seal(struct sec_tx *tx, uint8_t key_flag, uint16_t slot,
    const uint8_t *pt, size_t n, struct buf *out, uint64_t now_ms)
{
	return seal(tx, true, key_flag, slot, pt, n, out, now_ms);
}

int
sec_seal_fixed(struct sec_tx *tx, uint8_t key_flag, uint16_t slot,
    const uint8_t *pt, size_t n, struct buf *out, uint64_t now_ms)
{
	return seal(tx, false, key_flag, slot, pt, n, out, now_ms);
}

int
sec_open(struct sec_rx *rx, const struct wire_hdr *h, const struct buf *body,
    uint8_t *out, size_t out_max, size_t *out_len, uint64_t now_ms)
{
	uint8_t ad[WIRE_HEADER_LEN], key[SEC_KEY_LEN];
	size_t n = buf_len(body);
	uint64_t gen = rx->gen, born = rx->key_born_ms;

	if (n < SEC_TAG_LEN || n - SEC_TAG_LEN > out_max)
		return ERR_FORMAT;
	if (!rx->ready || h->type != WIRE_DATA || h->len != n)
		goto fail;
	if (h->seq != rx->seq + 1)
		goto fail;      /* a record dropped, replayed or put out of order */
	memcpy(key, rx->key, SEC_KEY_LEN);
	if (h->flags & WIRE_F_REKEY) {
		ratchet(key, ++gen);
		born = now_ms;
	} else if (rx->pol.key_max_age_ms != 0 && now_ms - born > rx->pol.key_max_age_ms) {
		goto fail;      /* the sender kept a key past its life */
	}
	record_ad(ad, h);
	if (sec_aead_open(rx->suite, key, h->seq, ad, sizeof(ad), buf_ptr(body), n, out) != 0)
		goto fail;
	/* Only an authentic record moves the stream forward. */
	memcpy(rx->key, key, SEC_KEY_LEN);
	sodium_memzero(key, sizeof(key));
	rx->gen = gen;
	rx->key_born_ms = born;
	rx->seq = h->seq;
	*out_len = n - SEC_TAG_LEN;
	return 0;
fail:
	sodium_memzero(key, sizeof(key));
	sec_rx_clear(rx);
	return ERR_AUTH;
}

void
sec_kdf(uint8_t out[SEC_KEY_LEN], const uint8_t prk[SEC_PRK_LEN], uint64_t id,
    const char ctx[8])
{
	crypto_kdf_derive_from_key(out, SEC_KEY_LEN, id, ctx, prk);
}

void
sec_mac(uint8_t out[32], const uint8_t key[32], const uint8_t *msg, size_t n)
{
	crypto_auth_hmacsha512256(out, msg, n, key);
}

bool
sec_mac_verify(const uint8_t tag[32], const uint8_t key[32], const uint8_t *msg, size_t n)
{
	return crypto_auth_hmacsha512256_verify(tag, msg, n, key) == 0;
}

bool
sec_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void
sec_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

int
sec_x25519(uint8_t out[32], const uint8_t sk[32], const uint8_t pk[32])
{
	sodium_ready();
	/* libsodium refuses an all-zero result (a low-order public key). */
	return crypto_scalarmult_curve25519(out, sk, pk) == 0 ? 0 : ERR_AUTH;
}

void
sec_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t n)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, key_len);
	crypto_auth_hmacsha256_update(&st, msg, n);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

void
sec_hmac_sha512(uint8_t out[64], const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t n)
{
	crypto_auth_hmacsha512_state st;

	crypto_auth_hmacsha512_init(&st, key, key_len);
	crypto_auth_hmacsha512_update(&st, msg, n);
	crypto_auth_hmacsha512_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

void
sec_box_keypair(uint8_t pk[SEC_BOX_PK_LEN], uint8_t sk[SEC_BOX_SK_LEN])
{
	sodium_ready();
	crypto_box_keypair(pk, sk);
}

int
sec_wrap_key(uint8_t sealed[SEC_SEALED_KEY_LEN], const uint8_t key[SEC_KEY_LEN],
    const uint8_t pk[SEC_BOX_PK_LEN])
{
	sodium_ready();
	return crypto_box_seal(sealed, key, SEC_KEY_LEN, pk) == 0 ? 0 : ERR_AUTH;
}

int
sec_unwrap_key(uint8_t key[SEC_KEY_LEN], const uint8_t sealed[SEC_SEALED_KEY_LEN],
    const uint8_t pk[SEC_BOX_PK_LEN], const uint8_t sk[SEC_BOX_SK_LEN])
{
	sodium_ready();
	return crypto_box_seal_open(key, sealed, SEC_SEALED_KEY_LEN, pk, sk) == 0 ?
	    0 : ERR_AUTH;
}

void
sec_screen_key(uint8_t out[SEC_KEY_LEN], const uint8_t session_key[SEC_KEY_LEN],
    const uint8_t key_screen[SEC_KEY_LEN])
{
	static const char label[] = "FSscreen";
	uint8_t msg[sizeof(label) - 1 + SEC_KEY_LEN];

	memcpy(msg, label, sizeof(label) - 1);
	memcpy(msg + sizeof(label) - 1, session_key, SEC_KEY_LEN);
	sec_mac(out, key_screen, msg, sizeof(msg));
	sodium_memzero(msg, sizeof(msg));
}

_Static_assert(SEC_SEALED_KEY_LEN == crypto_box_SEALBYTES + SEC_KEY_LEN, "sealed key size");
_Static_assert(SEC_SEALED_KEY_LEN == MSG_SEALED_KEY_LEN, "sealed key size in msg.h");
