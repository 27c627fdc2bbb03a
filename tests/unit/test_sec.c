/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sec.c - the record layer: round trips in both suites, the
 * sequence rule (no gap, no going back), tampering of every header field and the body,
 * rekeying by each threshold, key age, key envelopes, the screen key
 * bound to one viewer. The primitives
 * themselves are checked against Wycheproof in test_vectors.c.
 */
#include <string.h>

#include <sodium.h>

#include "env.h"
#include "msg.h"
#include "sec.h"
#include "test.h"

static struct sec_policy pol;

/* Seal one record and return a view of its header and body. */
static int
seal_one(struct sec_tx *tx, const char *text, struct buf *frame, struct wire_hdr *h,
    struct buf *body, uint64_t now)
{
	int r;

	buf_reset(frame);
	if ((r = sec_seal(tx, WIRE_F_PAIR, 3, (const uint8_t *)text, strlen(text), frame,
	    now)) != 0)
		return r;
	return wire_next(frame, WIRE_BODY_MAX_BYTES, h, body);
}

static void
round_trip(uint8_t suite)
{
	uint8_t key[SEC_KEY_LEN], out[256];
	struct sec_tx tx;
	struct sec_rx rx;
	struct buf *frame = buf_new(4096), body;
	struct wire_hdr h;
	size_t n = 0;
	bool all = true;

	randombytes_buf(key, sizeof(key));
	sec_tx_init(&tx, suite, key, &pol, 0);
	sec_rx_init(&rx, suite, key, &pol, 0);
	for (int i = 0; i < 50; i++) {
		all &= seal_one(&tx, "hello record", frame, &h, &body, 0) == 0;
		all &= h.seq == (uint64_t)i + 1 && h.slot == 3 && h.flags == WIRE_F_PAIR;
		all &= sec_open(&rx, &h, &body, out, sizeof(out), &n, 0) == 0;
		all &= n == 12 && memcmp(out, "hello record", 12) == 0;
		/* The relay rewrites the slot: still authentic. */
	}
	CHECK(all);
	CHECK(seal_one(&tx, "x", frame, &h, &body, 0) == 0);
	h.slot = 9;
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), 0);
	/* A replay of the last record is refused and ends the stream. */
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), ERR_AUTH);
	CHECK(!rx.ready);
	buf_free(frame);
}

/* Every single-bit change of header or body is refused. */
static void
tamper(uint8_t suite)
{
	uint8_t key[SEC_KEY_LEN], out[64], copy[WIRE_HEADER_LEN + 64];
	struct sec_tx tx;
	struct sec_rx rx;
	struct buf *frame = buf_new(4096), body, f;
	struct wire_hdr h;
	size_t n, len, refused = 0, tried = 0;

	randombytes_buf(key, sizeof(key));
	sec_tx_init(&tx, suite, key, &pol, 0);
	CHECK(sec_seal(&tx, WIRE_F_SESSION, 1, (const uint8_t *)"screen", 6, frame, 0) == 0);
	len = buf_len(frame);
	memcpy(copy, buf_ptr(frame), len);
	for (size_t bit = 0; bit < len * 8; bit++) {
		uint8_t t[sizeof(copy)];

		/* Bits of the slot field (bytes 6, 7) are not authenticated. */
		if (bit / 8 == 6 || bit / 8 == 7)
			continue;
		memcpy(t, copy, len);
		t[bit / 8] ^= (uint8_t)(1 << (bit % 8));
		buf_view(&f, t, len);
		sec_rx_init(&rx, suite, key, &pol, 0);
		tried++;
		if (wire_next(&f, WIRE_BODY_MAX_BYTES, &h, &body) != 0 ||
		    sec_open(&rx, &h, &body, out, sizeof(out), &n, 0) != 0)
			refused++;
	}
	CHECK(tried > 100 && refused == tried);
	buf_free(frame);
}

static void
sequence_order(void)
{
	uint8_t key[SEC_KEY_LEN], out[64], saved[3][64];
	size_t lens[3], n;
	struct sec_tx tx;
	struct sec_rx rx;
	struct buf *frame = buf_new(4096), f, body;
	struct wire_hdr h;

	randombytes_buf(key, sizeof(key));
	sec_tx_init(&tx, MSG_SUITE_XCHACHA20, key, &pol, 0);
	for (int i = 0; i < 3; i++) {
		buf_reset(frame);
		CHECK(sec_seal_fixed(&tx, WIRE_F_SESSION, 1, (const uint8_t *)"abc", 3, frame,
		    0) == 0);
		lens[i] = buf_len(frame);
		memcpy(saved[i], buf_ptr(frame), lens[i]);
	}
	/* A gap (record 1 dropped on the way) closes the stream... */
	sec_rx_init(&rx, MSG_SUITE_XCHACHA20, key, &pol, 0);
	buf_view(&f, saved[1], lens[1]);
	CHECK(wire_next(&f, 1 << 20, &h, &body) == 0);
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), ERR_AUTH);
	/* ...and so does going back: records 1 and 2, then 1 again. */
	sec_rx_init(&rx, MSG_SUITE_XCHACHA20, key, &pol, 0);
	for (int i = 0; i < 2; i++) {
		buf_view(&f, saved[i], lens[i]);
		CHECK(wire_next(&f, 1 << 20, &h, &body) == 0);
		CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), 0);
	}
	buf_view(&f, saved[0], lens[0]);
	CHECK(wire_next(&f, 1 << 20, &h, &body) == 0);
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), ERR_AUTH);
	buf_free(frame);
}

/* Rekeying by messages, bytes and time; stripped or added REKEY marks. */
static void
rekey(void)
{
	uint8_t key[SEC_KEY_LEN], out[64];
	struct sec_policy p = pol;
	struct sec_tx tx;
	struct sec_rx rx;
	struct buf *frame = buf_new(4096), body;
	struct wire_hdr h;
	size_t n;
	int marks = 0;
	bool ok = true;

	randombytes_buf(key, sizeof(key));
	p.rekey_after_messages = 5;
	sec_tx_init(&tx, MSG_SUITE_XCHACHA20, key, &p, 0);
	sec_rx_init(&rx, MSG_SUITE_XCHACHA20, key, &p, 0);
	for (int i = 0; i < 40; i++) {
		ok &= seal_one(&tx, "tick", frame, &h, &body, 0) == 0;
		marks += (h.flags & WIRE_F_REKEY) != 0;
		ok &= sec_open(&rx, &h, &body, out, sizeof(out), &n, 0) == 0;
	}
	CHECK(ok && marks == 7 && tx.gen == 7 && rx.gen == 7);
	CHECK(memcmp(tx.key, key, SEC_KEY_LEN) != 0);

	/* Stripping the next mark (the relay cannot recompute the tag) fails. */
	CHECK(seal_one(&tx, "tick", frame, &h, &body, 0) == 0);
	CHECK(h.flags & WIRE_F_REKEY);
	h.flags &= ~WIRE_F_REKEY;
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), ERR_AUTH);

	/* By bytes. */
	p = pol;
	p.rekey_after_bytes = 10;
	sec_tx_init(&tx, MSG_SUITE_XCHACHA20, key, &p, 0);
	CHECK(seal_one(&tx, "0123456789", frame, &h, &body, 0) == 0 && !(h.flags & WIRE_F_REKEY));
	CHECK(seal_one(&tx, "x", frame, &h, &body, 0) == 0 && (h.flags & WIRE_F_REKEY));

	/* By time; and a receiver refuses a key kept past its maximum age. */
	p = pol;
	p.rekey_after_ms = 1000;
	p.key_max_age_ms = 1500;
	sec_tx_init(&tx, MSG_SUITE_XCHACHA20, key, &p, 0);
	sec_rx_init(&rx, MSG_SUITE_XCHACHA20, key, &p, 0);
	CHECK(seal_one(&tx, "a", frame, &h, &body, 999) == 0 && !(h.flags & WIRE_F_REKEY));
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 999), 0);
	CHECK(seal_one(&tx, "b", frame, &h, &body, 1000) == 0 && (h.flags & WIRE_F_REKEY));
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 1000), 0);
	CHECK(sec_seal_fixed(&tx, WIRE_F_PAIR, 0, (const uint8_t *)"c", 1,
	    (buf_reset(frame), frame), 3000) == 0);
	CHECK(wire_next(frame, 1 << 20, &h, &body) == 0);
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 3000), ERR_AUTH);
	buf_free(frame);
}

static void
limits(void)
{
	uint8_t key[SEC_KEY_LEN] = { 0 }, out[8];
	struct sec_tx tx;
	struct sec_rx rx;
	struct buf *frame = buf_new(4096), body;
	struct wire_hdr h;
	size_t n;

	sec_tx_init(&tx, MSG_SUITE_XCHACHA20, key, &pol, 0);
	CHECK(seal_one(&tx, "longer than eight", frame, &h, &body, 0) == 0);
	sec_rx_init(&rx, MSG_SUITE_XCHACHA20, key, &pol, 0);
	CHECK_ERR(sec_open(&rx, &h, &body, out, sizeof(out), &n, 0), ERR_FORMAT);
	tx.seq = UINT64_MAX;
	CHECK_ERR(seal_one(&tx, "x", frame, &h, &body, 0), ERR_LIMIT);
	sec_tx_init(&tx, 7, key, &pol, 0);
	CHECK_ERR(seal_one(&tx, "x", frame, &h, &body, 0), ERR_PROTOCOL);
	buf_free(frame);
}

static void
envelope(void)
{
	uint8_t pk[SEC_BOX_PK_LEN], sk[SEC_BOX_SK_LEN], pk2[SEC_BOX_PK_LEN], sk2[SEC_BOX_SK_LEN];
	uint8_t key[SEC_KEY_LEN], got[SEC_KEY_LEN], sealed[SEC_SEALED_KEY_LEN];

	randombytes_buf(key, sizeof(key));
	sec_box_keypair(pk, sk);
	sec_box_keypair(pk2, sk2);
	CHECK_ERR(sec_wrap_key(sealed, key, pk), 0);
	CHECK_ERR(sec_unwrap_key(got, sealed, pk, sk), 0);
	CHECK(memcmp(got, key, sizeof(key)) == 0);
	CHECK_ERR(sec_unwrap_key(got, sealed, pk2, sk2), ERR_AUTH);
	sealed[40] ^= 1;
	CHECK_ERR(sec_unwrap_key(got, sealed, pk, sk), ERR_AUTH);
}

/*
 * Two viewers unwrap the same session key; each one's screen records are
 * sealed under it bound to its own handshake. Viewer A, holding the
 * session key and its own binding, cannot seal a record B accepts, nor
 * read B's; neither can anyone sealing under the bare session key.
 */
static void
screen_keys(void)
{
	uint8_t skey[SEC_KEY_LEN], bind_a[SEC_KEY_LEN], bind_b[SEC_KEY_LEN];
	uint8_t key_a[SEC_KEY_LEN], key_b[SEC_KEY_LEN], again[SEC_KEY_LEN], out[64];
	/* HMAC-SHA-512 (truncated to 32 bytes) of "FSscreen" || 40 41 .. 5f,
	 * keyed with 00 01 .. 1f: computed with Python's hmac module. */
	static const uint8_t known[SEC_KEY_LEN] = {
		0xe2, 0x89, 0x3b, 0x99, 0x91, 0x51, 0x95, 0x95, 0x4d, 0xcd, 0xdf, 0x4e,
		0x47, 0x3f, 0xc5, 0x9d, 0x7a, 0xf1, 0x08, 0x2a, 0x81, 0xc4, 0xe7, 0x19,
		0x4d, 0xce, 0xdd, 0x2a, 0x1f, 0xbc, 0xcd, 0xae,
	};
	struct sec_tx tx_a, tx_b, forger;
	struct sec_rx rx_b;
	struct buf *frame = buf_new(4096), body;
	struct wire_hdr h;
	size_t n;

	for (unsigned i = 0; i < SEC_KEY_LEN; i++) {
		bind_a[i] = (uint8_t)i;
		skey[i] = (uint8_t)(0x40 + i);
	}
	sec_screen_key(key_a, skey, bind_a);
	CHECK(memcmp(key_a, known, sizeof(known)) == 0);

	randombytes_buf(skey, sizeof(skey));
	randombytes_buf(bind_a, sizeof(bind_a));
	randombytes_buf(bind_b, sizeof(bind_b));
	sec_screen_key(key_a, skey, bind_a);
	sec_screen_key(key_b, skey, bind_b);
	sec_screen_key(again, skey, bind_b);
	CHECK(memcmp(key_b, again, sizeof(again)) == 0);
	CHECK(memcmp(key_a, key_b, sizeof(key_b)) != 0);
	CHECK(memcmp(key_a, skey, sizeof(skey)) != 0);

	sec_tx_init(&tx_b, MSG_SUITE_XCHACHA20, key_b, &pol, 0);
	sec_rx_init(&rx_b, MSG_SUITE_XCHACHA20, key_b, &pol, 0);
	CHECK(seal_one(&tx_b, "the host's screen", frame, &h, &body, 0) == 0);
	CHECK_ERR(sec_open(&rx_b, &h, &body, out, sizeof(out), &n, 0), 0);

	/* A's own key, and the bare session key, at the next sequence number. */
	sec_tx_init(&tx_a, MSG_SUITE_XCHACHA20, key_a, &pol, 0);
	tx_a.seq = 1;
	CHECK(seal_one(&tx_a, "forged screen", frame, &h, &body, 0) == 0);
	CHECK_ERR(sec_open(&rx_b, &h, &body, out, sizeof(out), &n, 0), ERR_AUTH);
	sec_rx_init(&rx_b, MSG_SUITE_XCHACHA20, key_b, &pol, 0);
	rx_b.seq = 1;
	sec_tx_init(&forger, MSG_SUITE_XCHACHA20, skey, &pol, 0);
	forger.seq = 1;
	CHECK(seal_one(&forger, "forged screen", frame, &h, &body, 0) == 0);
	CHECK_ERR(sec_open(&rx_b, &h, &body, out, sizeof(out), &n, 0), ERR_AUTH);
	sec_tx_clear(&tx_a);
	sec_tx_clear(&tx_b);
	sec_tx_clear(&forger);
	buf_free(frame);
}

static void
policy_env(void)
{
	struct sec_policy p;

	/* The programs read these in main() (net/env.c) and pass them on. */
	setenv("FERNSICHT_REKEY_MESSAGES", "30", 1);
	setenv("FERNSICHT_REKEY_MS", "bogus", 1);
	env_sec_policy(&p);
	CHECK(p.rekey_after_messages == 30 && p.rekey_after_ms == SEC_REKEY_AFTER_MS);
	unsetenv("FERNSICHT_REKEY_MESSAGES");
	unsetenv("FERNSICHT_REKEY_MS");
	setenv("FERNSICHT_FORCE_XCHACHA", "1", 1);
	CHECK(sec_suites_offered(env_force_xchacha()) == MSG_SUITE_XCHACHA20);
	/* proto/ itself reads no environment. */
	CHECK(!sec_aes_available() || sec_suites_offered(false) != MSG_SUITE_XCHACHA20);
	unsetenv("FERNSICHT_FORCE_XCHACHA");
	CHECK(sec_suites_offered(true) == MSG_SUITE_XCHACHA20);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("libsodium");
	sec_policy_default(&pol);
	if (sec_aes_available()) {
		round_trip(MSG_SUITE_AES256GCM);
		tamper(MSG_SUITE_AES256GCM);
	} else {
		printf("# AES-256-GCM not available on this CPU: only XChaCha20 tested\n");
	}
	round_trip(MSG_SUITE_XCHACHA20);
	tamper(MSG_SUITE_XCHACHA20);
	sequence_order();
	rekey();
	limits();
	envelope();
	screen_keys();
	policy_env();
	return test_done();
}
