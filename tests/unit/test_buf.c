/* SPDX-License-Identifier: Apache-2.0 */
/* test_buf.c - the bounded reader/writer every parser stands on. */
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "test.h"

static void
integers(void)
{
	struct buf *b = buf_new(64);
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	CHECK(buf_put_u8(b, 0xAB) == 0 && buf_put_u16(b, 0x1234) == 0 &&
	    buf_put_u32(b, 0xDEADBEEF) == 0 && buf_put_u64(b, 0x0102030405060708ULL) == 0);
	CHECK(buf_len(b) == 15);
	CHECK(memcmp(buf_ptr(b), "\xAB\x12\x34\xDE\xAD\xBE\xEF\x01\x02", 9) == 0);
	CHECK(buf_get_u8(b, &u8) == 0 && u8 == 0xAB);
	CHECK(buf_get_u16(b, &u16) == 0 && u16 == 0x1234);
	CHECK(buf_get_u32(b, &u32) == 0 && u32 == 0xDEADBEEF);
	CHECK(buf_get_u64(b, &u64) == 0 && u64 == 0x0102030405060708ULL);
	CHECK_ERR(buf_get_u8(b, &u8), ERR_INCOMPLETE);
	CHECK_ERR(buf_expect_end(b), 0);
	buf_free(b);
}

static void
bounds(void)
{
	struct buf *b = buf_new(8), v, sub;
	uint8_t big[16] = { 0 };
	uint32_t u32;

	CHECK_ERR(buf_put_bytes(b, big, 9), ERR_NO_SPACE);
	CHECK(buf_len(b) == 0);
	CHECK_ERR(buf_put_bytes(b, big, 8), 0);
	CHECK_ERR(buf_put_u8(b, 1), ERR_NO_SPACE);
	buf_free(b);

	/* A length prefix over the caller's limit is refused before reading. */
	buf_view(&v, "\x00\x05hello", 7);
	CHECK_ERR(buf_get_lv16(&v, &sub, 4), ERR_TOO_LARGE);
	buf_view(&v, "\x00\x05hell", 6);
	CHECK_ERR(buf_get_lv16(&v, &sub, 64), ERR_INCOMPLETE);
	CHECK(buf_len(&v) == 6);  /* nothing consumed on failure */
	buf_view(&v, "\x00\x05hello!", 8);
	CHECK(buf_get_lv16(&v, &sub, 64) == 0 && buf_len(&sub) == 5);
	CHECK_ERR(buf_expect_end(&v), ERR_TRAILING);
	buf_view(&v, "\xFF\xFF\xFF\xFF", 4);
	CHECK_ERR(buf_get_lv32(&v, &sub, 1 << 20), ERR_TOO_LARGE);
	CHECK(buf_peek_u32(&v, 0, &u32) == 0 && u32 == 0xFFFFFFFF);
	CHECK_ERR(buf_peek_u32(&v, 1, &u32), ERR_INCOMPLETE);
	CHECK_ERR(buf_skip(&v, 5), ERR_INCOMPLETE);
	/* A view is read-only. */
	CHECK(buf_put_u8(&v, 1) != 0);
}

static void
growth(void)
{
	struct buf *b = buf_new(1 << 20);
	uint8_t chunk[1000], *p;
	uint8_t out[1000];
	bool ok = true;

	for (int i = 0; i < 1000; i++) {
		memset(chunk, i & 0xFF, sizeof(chunk));
		ok &= buf_put_bytes(b, chunk, sizeof(chunk)) == 0;
		if (i % 3 == 0) {
			ok &= buf_get_bytes(b, out, sizeof(out)) == 0;
		}
	}
	CHECK(ok && buf_len(b) == 1000 * 1000 - 334 * 1000);
	CHECK(buf_reserve(b, 10, &p) == 0);
	buf_unput(b, 10);
	CHECK(buf_len(b) == 666000);
	buf_reset(b);
	CHECK(buf_len(b) == 0);
	buf_free(b);
}

static void
utf8(void)
{
	CHECK(buf_utf8_valid((const uint8_t *)"Gr\xC3\xBC\xC3\x9F" "e", 7));
	CHECK(buf_utf8_valid((const uint8_t *)"\xE2\x82\xAC", 3));
	CHECK(buf_utf8_valid((const uint8_t *)"\xF0\x9F\x98\x80", 4));
	CHECK(!buf_utf8_valid((const uint8_t *)"\xC3", 1));             /* truncated */
	CHECK(!buf_utf8_valid((const uint8_t *)"\xC0\xAF", 2));         /* overlong */
	CHECK(!buf_utf8_valid((const uint8_t *)"\xED\xA0\x80", 3));     /* surrogate */
	CHECK(!buf_utf8_valid((const uint8_t *)"\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
	CHECK(!buf_utf8_valid((const uint8_t *)"\xFF", 1));
}

/* Variable-length numbers: each length at its edges, shortest form only. */
static void
var32(void)
{
	static const uint32_t v[] = { 0, 1, 127, 128, 16383, 16384, 0xFFFFFFFF };
	static const size_t len[] = { 1, 1, 1, 2, 2, 3, 5 };
	struct buf *b = buf_new(64);
	uint32_t got;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_reset(b);
		CHECK(buf_put_var32(b, v[i]) == 0 && buf_len(b) == len[i]);
		CHECK(buf_get_var32(b, &got) == 0 && got == v[i] && buf_len(b) == 0);
	}
	buf_reset(b);
	CHECK(buf_put_bytes(b, "\x80", 1) == 0);
	CHECK_ERR(buf_get_var32(b, &got), ERR_INCOMPLETE);
	CHECK(buf_len(b) == 1);         /* nothing consumed */
	buf_free(b);
}

/* What a release wipes: the bytes ever written, not all that was
 * allocated (a read into 64 KiB of room that got 100 bytes wrote 100). */
static void
wiped_extent(void)
{
	struct buf b;
	uint8_t *p, chunk[300];
	size_t got;
	int fds[2];

	memset(chunk, 0xA5, sizeof(chunk));
	buf_init(&b, 1 << 20);
	if (pipe(fds) != 0)
		TEST_BAIL("pipe");
	CHECK(write(fds[1], chunk, 100) == 100);
	CHECK(buf_read_fd(&b, fds[0], 64 << 10, &got) == 0 && got == 100);
	CHECK(b.cap >= (64u << 10) && b.used == 100);
	CHECK(buf_skip(&b, 100) == 0);
	/* the next read slides to the front: nothing beyond 100 was written */
	CHECK(write(fds[1], chunk, 50) == 50);
	CHECK(buf_read_fd(&b, fds[0], 64 << 10, &got) == 0 && got == 50);
	CHECK(buf_len(&b) == 50 && b.used == 100);
	/* a read past the old extent raises it to what was read */
	CHECK(write(fds[1], chunk, 300) == 300);
	CHECK(buf_read_fd(&b, fds[0], 64 << 10, &got) == 0 && got == 300);
	CHECK(b.used == 350);
	/* a read that gets nothing writes nothing */
	close(fds[1]);
	CHECK_ERR(buf_read_fd(&b, fds[0], 64 << 10, &got), ERR_CLOSED);
	CHECK(b.used == 350 && buf_len(&b) == 350);
	close(fds[0]);
	/* a writer that fills part of its room keeps that part only */
	CHECK(buf_reserve(&b, 1000, &p) == 0 && b.used == 1350);
	memset(p, 1, 10);
	buf_keep(&b, 1000, 10);
	CHECK(buf_len(&b) == 360 && b.used == 360);
	/* room given back below what was written before stays counted */
	CHECK(buf_skip(&b, 360) == 0);
	CHECK(buf_reserve(&b, 5, &p) == 0);
	buf_keep(&b, 5, 0);
	CHECK(b.used == 360);
	/* new storage: what was kept is copied, and only that counts */
	CHECK(buf_put_bytes(&b, chunk, 30) == 0);
	CHECK(buf_reserve(&b, 200 << 10, &p) == 0);
	CHECK(b.used == buf_len(&b) && b.used == 30 + (200 << 10));
	buf_unput(&b, 200 << 10);
	CHECK(buf_len(&b) == 30 && b.used == 30 + (200 << 10));    /* reserved: counted */
	buf_release(&b);
	CHECK(b.used == 0 && b.cap == 0);
}

int
main(void)
{
	integers();
	var32();
	bounds();
	growth();
	utf8();
	wiped_extent();
	return test_done();
}
