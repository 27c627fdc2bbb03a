/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_record - MB/s of the record layer (sec_seal, sec_open) on 16 KiB
 * records, for every suite this machine offers. For tests/bench/run.sh,
 * which sets the numbers against `openssl speed` run at the same time.
 *
 *   bench_record [SECONDS]     (default 3 per suite and direction)
 *
 * Prints one line per measurement:
 *   record suite=aes256gcm op=seal mbps=X records=N secs=T
 * MB are 10^6 bytes of plaintext, as openssl speed counts them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "clock.h"
#include "msg.h"
#include "sec.h"

enum {
	RECORD_BYTES = 16 << 10,        /* the size openssl speed is asked for */
	BATCH = 256,                    /* records per clock look; 4 MiB sealed */
};

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
report(const char *suite, const char *op, uint64_t records, double secs)
{
	printf("record suite=%s op=%s mbps=%.1f records=%llu secs=%.3f\n", suite, op,
	    (double)records * RECORD_BYTES / secs / 1e6, (unsigned long long)records, secs);
	fflush(stdout);
}

static void
bench_suite(uint8_t suite, const char *name, double seconds)
{
	static uint8_t pt[RECORD_BYTES], out[RECORD_BYTES];
	uint8_t key[SEC_KEY_LEN];
	struct sec_policy pol;
	struct sec_tx tx;
	struct sec_rx rx;
	struct buf one, batch, body;
	struct wire_hdr h;
	uint64_t records = 0;
	double t0, t;
	size_t n;
	int i;

	randombytes_buf(pt, sizeof(pt));
	randombytes_buf(key, sizeof(key));
	/* the real policy: a rekey that falls due inside the run is part of it */
	sec_policy_default(&pol);
	sec_tx_init(&tx, suite, key, &pol, mono_ms());

	/* seal: one frame buffer, reset per record, as a sender's queue drains */
	buf_init(&one, WIRE_HEADER_LEN + RECORD_BYTES + SEC_TAG_LEN);
	t0 = now_s();
	do {
		for (i = 0; i < BATCH; i++) {
			buf_reset(&one);
			if (sec_seal(&tx, WIRE_F_SESSION, 1, pt, sizeof(pt), &one, mono_ms()) != 0) {
				fprintf(stderr, "bench_record: sec_seal failed\n");
				exit(1);
			}
		}
		records += BATCH;
		t = now_s() - t0;
	} while (t < seconds);
	report(name, "seal", records, t);
	buf_release(&one);

	/*
	 * open: receivers take each seq once, so seal one batch and open it
	 * again and again under a fresh receiver (its init is a memcpy).
	 */
	sec_tx_init(&tx, suite, key, &pol, mono_ms());
	buf_init(&batch, (size_t)BATCH * (WIRE_HEADER_LEN + RECORD_BYTES + SEC_TAG_LEN));
	for (i = 0; i < BATCH; i++)
		if (sec_seal(&tx, WIRE_F_SESSION, 1, pt, sizeof(pt), &batch, mono_ms()) != 0) {
			fprintf(stderr, "bench_record: sec_seal failed\n");
			exit(1);
		}
	records = 0;
	t0 = now_s();
	do {
		struct buf in;

		buf_view(&in, buf_ptr(&batch), buf_len(&batch));
		sec_rx_init(&rx, suite, key, &pol, mono_ms());
		while (wire_next(&in, WIRE_BODY_MAX_BYTES, &h, &body) == 0) {
			if (sec_open(&rx, &h, &body, out, sizeof(out), &n, mono_ms()) != 0 ||
			    n != RECORD_BYTES) {
				fprintf(stderr, "bench_record: sec_open failed\n");
				exit(1);
			}
			records++;
		}
		t = now_s() - t0;
	} while (t < seconds);
	report(name, "open", records, t);
	if (memcmp(out, pt, sizeof(pt)) != 0) {
		fprintf(stderr, "bench_record: opened bytes differ\n");
		exit(1);
	}
	buf_release(&batch);
	sec_tx_clear(&tx);
	sec_rx_clear(&rx);
	sodium_memzero(key, sizeof(key));
}

int
main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;

	if (sodium_init() < 0 || seconds <= 0) {
		fprintf(stderr, "usage: bench_record [SECONDS]\n");
		return 2;
	}
	if (sec_aes_available())
		bench_suite(MSG_SUITE_AES256GCM, "aes256gcm", seconds);
	else
		printf("record suite=aes256gcm unavailable\n");
	bench_suite(MSG_SUITE_XCHACHA20, "xchacha20", seconds);
	return 0;
}
