/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sec.h - the record layer and key schedule (libsodium 1.0.18 wrappers).
 *
 * One key = one sender = one 64-bit counter. A record is a DATA frame
 * whose body is AEAD(plaintext) || 16-byte tag, with
 *   nonce = zero bytes || seq (u64 big-endian)   (12 bytes AES-GCM, 24 XChaCha)
 *   ad    = the 16-byte frame header with its slot bytes set to zero
 * (the relay rewrites slot from destination to source, so slot cannot be
 * bound; who may read a record is bound by which key protects it).
 *
 * Receivers accept only seq == last + 1 (every stream has one sender and
 * one receiver, and nothing on the way may drop a record of it) and move
 * their counter only after the tag verified. Any failure is ERR_AUTH and
 * closes the stream for good.
 *
 * Rekeying: a sender whose key is due (messages, bytes or age over the
 * policy) moves to key' = KDF(key, "FSratch1", generation) and flags that
 * record WIRE_F_REKEY; flags are in the AD, so nobody can add or strip the
 * mark. A receiver refuses records under a key older than max_age_ms.
 */
#ifndef PROTO_SEC_H
#define PROTO_SEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "wire.h"

#define SEC_KEY_LEN 32
#define SEC_TAG_LEN 16
#define SEC_PRK_LEN 32

struct sec_policy {
	uint64_t rekey_after_messages;
	uint64_t rekey_after_bytes;
	uint64_t rekey_after_ms;
	uint64_t key_max_age_ms;        /* receivers; 0 = no limit */
};

struct sec_tx {
	uint8_t suite;                  /* MSG_SUITE_AES256GCM or MSG_SUITE_XCHACHA20 */
	uint8_t key[SEC_KEY_LEN];
	uint64_t seq;                   /* last seq sent; the next is seq + 1 */
	uint64_t gen;                   /* ratchet generation of key */
	uint64_t key_msgs, key_bytes, key_born_ms;
	struct sec_policy pol;
	bool ready;
};

struct sec_rx {
	uint8_t suite;
	uint8_t key[SEC_KEY_LEN];
	uint64_t seq;                   /* last seq accepted */
	uint64_t gen;
	uint64_t key_born_ms;
	struct sec_policy pol;
	bool ready;                     /* false before init and after any failure */
};

/* Fill a policy with limits.h's values (the programs' environment
 * overrides are applied by their main(), net/env.h). */
void sec_policy_default(struct sec_policy *p);

/* True when this CPU runs libsodium's AES-256-GCM. */
bool sec_aes_available(void);
/* The suites this process offers (MSG_SUITE_* bitmask): XChaCha20 only
 * when force_xchacha or without AES, else both. */
uint8_t sec_suites_offered(bool force_xchacha);

/* Raw AEAD with an explicit 64-bit counter nonce. out has n + SEC_TAG_LEN bytes. */
int sec_aead_seal(uint8_t suite, const uint8_t key[SEC_KEY_LEN], uint64_t seq,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n,
    uint8_t *out) WUR;
/* out has n - SEC_TAG_LEN bytes. ERR_AUTH on any failure. */
int sec_aead_open(uint8_t suite, const uint8_t key[SEC_KEY_LEN], uint64_t seq,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n,
    uint8_t *out) WUR;

void sec_tx_init(struct sec_tx *tx, uint8_t suite, const uint8_t key[SEC_KEY_LEN],
    const struct sec_policy *pol, uint64_t now_ms);
void sec_rx_init(struct sec_rx *rx, uint8_t suite, const uint8_t key[SEC_KEY_LEN],
    const struct sec_policy *pol, uint64_t now_ms);
void sec_tx_clear(struct sec_tx *tx);
void sec_rx_clear(struct sec_rx *rx);
/* True when tx's key is due for a rekey by its policy. */
bool sec_tx_due(const struct sec_tx *tx, uint64_t now_ms);

/*
 * Seal pt (n bytes) into one DATA frame appended to out, for slot, with
 * key_flag (WIRE_F_PAIR or WIRE_F_SESSION) as its key class; the sequence
 * number, the length and REKEY are filled in. Ratchets first when the key
 * is due (sec_tx_due).
 */
int sec_seal(struct sec_tx *tx, uint8_t key_flag, uint16_t slot,
    const uint8_t *pt, size_t n, struct buf *out, uint64_t now_ms) WUR;
/* Seal without ratcheting (for a key shared by several receivers). */
int sec_seal_fixed(struct sec_tx *tx, uint8_t key_flag, uint16_t slot,
    const uint8_t *pt, size_t n, struct buf *out, uint64_t now_ms) WUR;
/*
 * Open a received DATA frame's body into out[0..out_max). ERR_AUTH on every
 * failure (which also clears rx), ERR_FORMAT only when body is shorter than
 * a tag or longer than out_max + tag.
 */
int sec_open(struct sec_rx *rx, const struct wire_hdr *h, const struct buf *body,
    uint8_t *out, size_t out_max, size_t *out_len, uint64_t now_ms) WUR;

/* Sub-key: crypto_kdf_derive_from_key(out, 32, id, ctx[8], prk). */
void sec_kdf(uint8_t out[SEC_KEY_LEN], const uint8_t prk[SEC_PRK_LEN], uint64_t id,
    const char ctx[8]);
/* HMAC-SHA-512-256 over msg. */
void sec_mac(uint8_t out[32], const uint8_t key[32], const uint8_t *msg, size_t n);
bool sec_mac_verify(const uint8_t tag[32], const uint8_t key[32], const uint8_t *msg, size_t n);
bool sec_equal(const void *a, const void *b, size_t n); /* constant time */

/*
 * The primitives under the record layer and the handshake, exposed so that
 * tests can check them against published vectors.
 */
#define SEC_AES_NONCE_LEN 12
#define SEC_XCHACHA_NONCE_LEN 24
#define SEC_BOX_PK_LEN 32
#define SEC_BOX_SK_LEN 32
#define SEC_SEALED_KEY_LEN 80 /* crypto_box_SEALBYTES + SEC_KEY_LEN */

/* AEAD with a caller-chosen nonce of the suite's length. */
int sec_aead_seal_nonce(uint8_t suite, const uint8_t key[SEC_KEY_LEN], const uint8_t *nonce,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n, uint8_t *out) WUR;
int sec_aead_open_nonce(uint8_t suite, const uint8_t key[SEC_KEY_LEN], const uint8_t *nonce,
    const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t n, uint8_t *out) WUR;
/* X25519; ERR_AUTH when the result is all zero (a low-order point). */
int sec_x25519(uint8_t out[32], const uint8_t sk[32], const uint8_t pk[32]) WUR;
/* HMAC with any key length (the full tag; callers truncate). */
void sec_hmac_sha256(uint8_t out[32], const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t n);
void sec_hmac_sha512(uint8_t out[64], const uint8_t *key, size_t key_len,
    const uint8_t *msg, size_t n);
/* The viewer's ephemeral X25519 key pair for the session key's envelope. */
void sec_box_keypair(uint8_t pk[SEC_BOX_PK_LEN], uint8_t sk[SEC_BOX_SK_LEN]);
/* sealed = crypto_box_seal(key, pk); unwrap gives ERR_AUTH on any failure. */
int sec_wrap_key(uint8_t sealed[SEC_SEALED_KEY_LEN], const uint8_t key[SEC_KEY_LEN],
    const uint8_t pk[SEC_BOX_PK_LEN]) WUR;
int sec_unwrap_key(uint8_t key[SEC_KEY_LEN], const uint8_t sealed[SEC_SEALED_KEY_LEN],
    const uint8_t pk[SEC_BOX_PK_LEN], const uint8_t sk[SEC_BOX_SK_LEN]) WUR;
/*
 * The key one viewer's screen records are sealed under: the session key
 * bound to that viewer's handshake,
 *   HMAC-SHA-512-256(key = key_screen, "FSscreen" || session key).
 * Every allowed viewer unwraps the same session key, but only this one
 * knows its key_screen: another viewer (with the relay's help) can
 * neither read this viewer's screen nor seal records it would accept.
 */
void sec_screen_key(uint8_t out[SEC_KEY_LEN], const uint8_t session_key[SEC_KEY_LEN],
    const uint8_t key_screen[SEC_KEY_LEN]);
void sec_wipe(void *p, size_t n);

#endif
