/* SPDX-License-Identifier: Apache-2.0 */
/* test_zstream.c - each viewer's long-lived screen stream. */
#include <stdlib.h>
#include <string.h>

#include "limits.h"
#include "test.h"
#include "zstream.h"

enum { PART_LEN = 4000 };

static uint32_t rng = 99;

static uint8_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (uint8_t)rng;
}

/* Compress one part on e into z; its length. */
static size_t
part(struct zs_enc *e, bool restart, const uint8_t *raw, size_t n, struct buf *z)
{
	buf_reset(z);
	if (zs_enc_part(e, restart, raw, n, z) != 0)
		TEST_BAIL("zs_enc_part");
	return buf_len(z);
}

/* Content sent a moment ago costs a few bytes: that is the stream's point. */
static void
repeats(void)
{
	struct zs_enc *e = zs_enc_new(3);
	struct zs_dec *d = zs_dec_new();
	uint8_t a[PART_LEN], b[PART_LEN], out[PART_LEN];
	struct buf z;
	size_t first, again, other;

	if (e == NULL || d == NULL)
		TEST_BAIL("setup");
	buf_init(&z, zs_enc_bound(PART_LEN));
	for (size_t i = 0; i < PART_LEN; i++) {
		a[i] = rnd();
		b[i] = rnd();
	}
	first = part(e, true, a, PART_LEN, &z);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), buf_len(&z), out, PART_LEN), 0);
	CHECK(memcmp(out, a, PART_LEN) == 0);
	again = part(e, false, a, PART_LEN, &z);
	CHECK_ERR(zs_dec_part(d, false, buf_ptr(&z), buf_len(&z), out, PART_LEN), 0);
	CHECK(memcmp(out, a, PART_LEN) == 0);
	other = part(e, false, b, PART_LEN, &z);
	CHECK_ERR(zs_dec_part(d, false, buf_ptr(&z), buf_len(&z), out, PART_LEN), 0);
	CHECK(memcmp(out, b, PART_LEN) == 0);
	printf("# %d random bytes: %zu the first time, %zu again, %zu new\n", PART_LEN, first,
	    again, other);
	CHECK(first >= PART_LEN && other >= PART_LEN && again * 50 < PART_LEN);
	/* A restart forgets: the same bytes cost their size again, on both sides. */
	CHECK(part(e, true, a, PART_LEN, &z) >= PART_LEN);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), buf_len(&z), out, PART_LEN), 0);
	CHECK(memcmp(out, a, PART_LEN) == 0);
	buf_release(&z);
	zs_enc_free(e);
	zs_dec_free(d);
}

/* A part that inflates to more or less than announced, is cut, carries a
 * byte too many, or is garbage is refused. */
static void
lies(void)
{
	struct zs_enc *e = zs_enc_new(3);
	struct zs_dec *d = zs_dec_new();
	static const uint8_t text[] = "a line of text, a line of text, a line of text";
	uint8_t out[256];
	struct buf z;
	size_t n = sizeof(text);

	if (e == NULL || d == NULL)
		TEST_BAIL("setup");
	buf_init(&z, 1024);
	part(e, true, text, n, &z);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), buf_len(&z), out, n - 1), ERR_FORMAT);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), buf_len(&z), out, n + 1), ERR_FORMAT);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), buf_len(&z) - 1, out, n), ERR_FORMAT);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), 0, out, n), ERR_FORMAT);
	CHECK_ERR(zs_dec_part(d, true, buf_ptr(&z), buf_len(&z), out, n), 0);
	CHECK(memcmp(out, text, n) == 0);
	/* The next part with one byte of garbage behind it. */
	part(e, false, text, n, &z);
	CHECK(buf_put_u8(&z, 0x55) == 0);
	CHECK_ERR(zs_dec_part(d, false, buf_ptr(&z), buf_len(&z), out, n), ERR_FORMAT);
	memset(out, 0xA5, sizeof(out));
	CHECK(zs_dec_part(d, true, out, 64, out + 64, n) < 0);
	buf_release(&z);
	zs_enc_free(e);
	zs_dec_free(d);
}

int
main(void)
{
	repeats();
	lies();
	return test_done();
}
