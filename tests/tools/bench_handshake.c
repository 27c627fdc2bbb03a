/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_handshake - complete master+viewer handshakes per second, run in
 * memory in one process (so both sides' CPU counts), and as the peer in
 * the same run, plain X25519 key agreements per second.
 *
 *   bench_handshake [SECONDS]  (default 3 for each)
 *
 * One handshake is what a viewer's join costs the two ends: HS_OFFER,
 * HS_INIT, HS_REPLY, HS_CONFIRM with every message encoded and decoded,
 * the CPace and confirmation checks on both sides, then the master's
 * X25519 wrap of the session key and the viewer's unwrap (MSG_KEY).
 * Prints:
 *   handshake per_s=X count=N secs=T
 *   x25519 per_s=X count=N secs=T
 *   ratio handshake/x25519=R x25519_per_handshake=C
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "handshake.h"
#include "msg.h"
#include "sec.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
fail(const char *step)
{
	fprintf(stderr, "bench_handshake: %s failed\n", step);
	exit(1);
}

/* Decode what a side just wrote, as the other side would receive it. */
static void
decode(const struct buf *out, struct buf *raw, struct msg *m)
{
	struct buf in;

	buf_view(raw, buf_ptr(out), buf_len(out));
	in = *raw;
	if (msg_decode(&in, m) != 0)
		fail("msg_decode");
}

static void
one_handshake(struct buf *a, struct buf *b)
{
	/* the relay's binding, as both ends read it from WELCOME */
	static const struct hs_bind bind = { 48213, 0x1122334455667788ULL, 3 };
	uint8_t skey[SEC_KEY_LEN], got[SEC_KEY_LEN], sealed[SEC_SEALED_KEY_LEN];
	struct hs m, v;
	struct buf raw;
	struct msg msg;

	buf_reset(a);
	buf_reset(b);
	if (hs_master_start(&m, &bind, "071934", MSG_SUITES_ALL, "host", a) != 0)
		fail("hs_master_start");
	hs_viewer_start(&v, &bind, "071934", MSG_SUITES_ALL, "helper");
	decode(a, &raw, &msg);
	if (hs_viewer_on_offer(&v, &raw, &msg.u.offer, b) != 0)
		fail("hs_viewer_on_offer");
	decode(b, &raw, &msg);
	buf_reset(a);
	if (hs_master_on_init(&m, &raw, &msg.u.init, a) != 0)
		fail("hs_master_on_init");
	decode(a, &raw, &msg);
	buf_reset(b);
	if (hs_viewer_on_reply(&v, &msg.u.reply, b) != 0)
		fail("hs_viewer_on_reply");
	decode(b, &raw, &msg);
	if (hs_master_on_confirm(&m, msg.u.confirm_tag) != 0)
		fail("hs_master_on_confirm");
	/* the session key to the viewer's authenticated X25519 key */
	randombytes_buf(skey, sizeof(skey));
	if (sec_wrap_key(sealed, skey, m.res.viewer_pk) != 0)
		fail("sec_wrap_key");
	if (sec_unwrap_key(got, sealed, v.res.viewer_pk, v.box_sk) != 0 ||
	    !sec_equal(got, skey, sizeof(skey)))
		fail("sec_unwrap_key");
	hs_clear(&m);
	hs_clear(&v);
	sodium_memzero(skey, sizeof(skey));
	sodium_memzero(got, sizeof(got));
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	uint8_t sk[32], pk[32], peer_sk[32], out[32];
	uint64_t hs_n = 0, x_n = 0;
	double t0, hs_t, x_t, hs_rate, x_rate;
	struct buf a, b;
	int i;

	if (sodium_init() < 0 || seconds <= 0) {
		fprintf(stderr, "usage: bench_handshake [SECONDS]\n");
		return 2;
	}
	buf_init(&a, 4096);
	buf_init(&b, 4096);
	t0 = now_s();
	do {
		one_handshake(&a, &b);
		hs_n++;
		hs_t = now_s() - t0;
	} while (hs_t < seconds);
	buf_release(&a);
	buf_release(&b);
	hs_rate = (double)hs_n / hs_t;
	printf("handshake per_s=%.1f count=%llu secs=%.3f\n", hs_rate,
	    (unsigned long long)hs_n, hs_t);
	fflush(stdout);

	/* the peer: one X25519 agreement with a valid public key */
	randombytes_buf(sk, sizeof(sk));
	randombytes_buf(peer_sk, sizeof(peer_sk));
	crypto_scalarmult_base(pk, peer_sk);
	t0 = now_s();
	do {
		/* batches of 64 keep clock reads out of the measurement */
		for (i = 0; i < 64; i++) {
			if (sec_x25519(out, sk, pk) != 0)
				fail("sec_x25519");
			sk[0] ^= out[0];        /* a dependency, so no call is skipped */
		}
		x_n += 64;
		x_t = now_s() - t0;
	} while (x_t < seconds);
	x_rate = (double)x_n / x_t;
	printf("x25519 per_s=%.1f count=%llu secs=%.3f\n", x_rate, (unsigned long long)x_n, x_t);
	printf("ratio handshake/x25519=%.4f x25519_per_handshake=%.1f\n", hs_rate / x_rate,
	    x_rate / hs_rate);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(peer_sk, sizeof(peer_sk));
	return 0;
}
