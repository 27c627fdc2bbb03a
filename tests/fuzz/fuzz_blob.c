/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_blob.c - the file drop's blob reader on any bytes, two ways:
 *   first byte even: the input is a blob; parse its header, try to open it
 *     with a fixed link secret and a fixed identity, and read what follows
 *     (no crash, no read past the input, nothing taken that should not be);
 *   first byte odd: the input picks a file (size, content) and a byte to
 *     change: a blob is made for it, one byte is flipped, and the reader
 *     must refuse it. A changed blob that reads as complete is a failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blob.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static uint8_t secret[BLOB_SECRET_LEN], pk[BLOB_KEY_LEN], sk[BLOB_KEY_LEN];
static uint8_t chunk[DROP_BLOB_CHUNK_BYTES];
static struct blob_header h;

/* 0 only when the whole input reads as one complete, authentic blob. */
static int
read_all(const uint8_t *p, size_t n)
{
	struct blob_reader r;
	uint8_t key[BLOB_KEY_LEN];
	const char *why = NULL;
	bool done = false;
	struct buf in;
	int rc;

	buf_view(&in, p, n);
	if ((rc = blob_header_parse(&in, &h, &why)) != 0) {
		if (why == NULL)
			__builtin_trap();
		return rc;
	}
	if (h.n == 0 || h.n > DROP_BLOB_ENVELOPES_MAX || h.len > sizeof(h.raw))
		__builtin_trap();
	if (blob_open_link(&h, secret, key, &why) != 0 &&
	    (rc = blob_open_identity(&h, pk, sk, key, &why)) != 0)
		return rc;
	if ((rc = blob_reader_start(&r, &h, key, &why)) != 0)
		return rc;
	if (r.name[0] == '\0' || strchr(r.name, '/') != NULL)
		__builtin_trap();
	while (!done) {
		size_t got;

		if ((rc = blob_reader_next(&r, &in, chunk, &got, &done, &why)) != 0)
			return rc;
		if (got > DROP_BLOB_CHUNK_BYTES)
			__builtin_trap();
	}
	return buf_expect_end(&in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static bool ready;
	uint8_t *p;

	if (!ready) {
		if (sodium_init() < 0)
			abort();
		memset(secret, 0x5A, sizeof(secret));
		crypto_box_seed_keypair(pk, sk, secret);
		ready = true;
	}
	if (n == 0)
		return 0;
	if ((d[0] & 1) == 0) {
		/* A copy of exactly n bytes, so ASan sees any read past the end. */
		if ((p = malloc(n)) == NULL)
			return 0;
		memcpy(p, d + 1, n - 1);
		(void)read_all(p, n - 1);
		free(p);
	} else if (n >= 5) {
		struct blob_recipients to = { secret, (const uint8_t (*)[BLOB_KEY_LEN])&pk, 1 };
		uint64_t size = ((uint64_t)d[1] << 16 | (uint64_t)d[2] << 8) % (3 * 65536 + 7);
		size_t flip = (size_t)d[3] << 8 | d[4], at = 0;
		struct blob_writer w;
		struct buf *b = buf_new(1 << 20);
		const char *why;

		if (b == NULL || blob_writer_start(&w, &to, "f.bin", size, b, &why) != 0)
			abort();
		do {
			size_t k = size - at < DROP_BLOB_CHUNK_BYTES ? (size_t)(size - at) :
			    DROP_BLOB_CHUNK_BYTES;

			for (size_t i = 0; i < k; i++)
				chunk[i] = n > 5 ? d[5 + (at + i) % (n - 5)] : 0;
			if (blob_writer_next(&w, chunk, k, b, &why) != 0)
				abort();
			at += k;
		} while (at < size);
		if ((p = malloc(buf_len(b))) == NULL)
			abort();
		memcpy(p, buf_ptr(b), buf_len(b));
		if (read_all(p, buf_len(b)) != 0)
			__builtin_trap();       /* an intact blob must read */
		flip = flip * 31 % buf_len(b);
		p[flip] ^= (uint8_t)(1u << (d[3] & 7));
		if (read_all(p, buf_len(b)) == 0)
			__builtin_trap();       /* a changed one must not */
		free(p);
		buf_free(b);
	}
	return 0;
}
