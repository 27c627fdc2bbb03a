/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_blob.c - the file drop's blob: round trips for a link and for
 * identities (empty file, one byte, chunk boundaries), every single-byte
 * change anywhere fails, truncation fails, the wrong key finds nothing,
 * bounds of the header parser, names a receiver must not write.
 */
#include <string.h>

#include "blob.h"
#include "test.h"

/* A whole blob for size bytes of a pattern, into out. */
static int
make_blob(const struct blob_recipients *to, const char *name, uint64_t size, struct buf *out)
{
	static uint8_t piece[DROP_BLOB_CHUNK_BYTES];
	struct blob_writer w;
	const char *why = NULL;
	uint64_t at = 0;
	int r;

	if ((r = blob_writer_start(&w, to, name, size, out, &why)) != 0)
		return r;
	do {
		size_t n = size - at < DROP_BLOB_CHUNK_BYTES ? (size_t)(size - at) :
		    DROP_BLOB_CHUNK_BYTES;

		for (size_t i = 0; i < n; i++)
			piece[i] = (uint8_t)((at + i) * 7 + 3);
		if ((r = blob_writer_next(&w, piece, n, out, &why)) != 0)
			return r;
		at += n;
	} while (at < size);
	return 0;
}

/* Read a blob with a link secret (or an identity when secret is NULL);
 * 0 only when it authenticates whole, with the pattern, name and size. */
static int
read_blob(const uint8_t *p, size_t n, const uint8_t *secret, const uint8_t *pk,
    const uint8_t *sk, const char *name, uint64_t size, const char **why)
{
	static uint8_t out[DROP_BLOB_CHUNK_BYTES];
	static struct blob_header h;
	struct blob_reader rd;
	uint8_t key[BLOB_KEY_LEN];
	uint64_t at = 0;
	struct buf in;
	bool done = false;
	int r;

	buf_view(&in, p, n);
	if ((r = blob_header_parse(&in, &h, why)) != 0)
		return r;
	r = secret != NULL ? blob_open_link(&h, secret, key, why) :
	    blob_open_identity(&h, pk, sk, key, why);
	if (r != 0 || (r = blob_reader_start(&rd, &h, key, why)) != 0)
		return r;
	if (strcmp(rd.name, name) != 0 || rd.size != size)
		return ERR_INTERNAL;
	while (!done) {
		size_t got;

		if ((r = blob_reader_next(&rd, &in, out, &got, &done, why)) != 0)
			return r;
		for (size_t i = 0; i < got; i++)
			if (out[i] != (uint8_t)((at + i) * 7 + 3))
				return ERR_INTERNAL;
		at += got;
	}
	if (at != size)
		return ERR_INTERNAL;
	return buf_expect_end(&in);
}

static void
round_trips(void)
{
	const uint64_t sizes[] = { 0, 1, DROP_BLOB_CHUNK_BYTES - 1, DROP_BLOB_CHUNK_BYTES,
	    DROP_BLOB_CHUNK_BYTES + 1, 3 * DROP_BLOB_CHUNK_BYTES + 5 };
	uint8_t secret[BLOB_SECRET_LEN], pk[2][BLOB_KEY_LEN], sk[2][BLOB_KEY_LEN];
	struct blob_recipients to = { secret, (const uint8_t (*)[BLOB_KEY_LEN])pk, 2 };
	const char *why = NULL;

	randombytes_buf(secret, sizeof(secret));
	crypto_box_keypair(pk[0], sk[0]);
	crypto_box_keypair(pk[1], sk[1]);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct buf *b = buf_new(4 << 20);
		int r;

		CHECK_ERR(make_blob(&to, "report 2026.pdf", sizes[i], b), 0);
		CHECK(buf_len(b) > blob_body_bytes(sizes[i]));
		r = read_blob(buf_ptr(b), buf_len(b), secret, NULL, NULL, "report 2026.pdf",
		    sizes[i], &why);
		CHECK_ERR(r, 0);
		CHECK_ERR(read_blob(buf_ptr(b), buf_len(b), NULL, pk[1], sk[1], "report 2026.pdf",
		    sizes[i], &why), 0);
		CHECK_ERR(read_blob(buf_ptr(b), buf_len(b), NULL, pk[0], sk[0], "report 2026.pdf",
		    sizes[i], &why), 0);
		buf_free(b);
	}
}

/* The blob's length is what the dropping side announces before it uploads. */
static void
length_is_known_before(void)
{
	uint8_t secret[BLOB_SECRET_LEN] = { 1 };
	struct blob_recipients to = { secret, NULL, 0 };
	struct blob_writer w;
	const char *why;
	struct buf *b = buf_new(1 << 20);
	size_t hdr;

	CHECK_ERR(blob_writer_start(&w, &to, "a", 200000, b, &why), 0);
	hdr = buf_len(b);
	blob_writer_clear(&w);
	buf_reset(b);
	CHECK_ERR(make_blob(&to, "a", 200000, b), 0);
	CHECK(buf_len(b) == hdr + blob_body_bytes(200000));
	CHECK(blob_body_bytes(0) == BLOB_ABYTES);
	CHECK(blob_body_bytes(DROP_BLOB_CHUNK_BYTES) == DROP_BLOB_CHUNK_BYTES + BLOB_ABYTES);
	buf_free(b);
}

/* Any byte changed anywhere, and any cut, fails; never a silent success. */
static void
every_byte_counts(void)
{
	uint8_t secret[BLOB_SECRET_LEN], pk[BLOB_KEY_LEN], sk[BLOB_KEY_LEN];
	struct blob_recipients to = { secret, (const uint8_t (*)[BLOB_KEY_LEN])&pk, 1 };
	struct buf *b = buf_new(1 << 20);
	const uint64_t size = DROP_BLOB_CHUNK_BYTES + 100;
	size_t bad_link = 0, bad_id = 0, cut_ok = 0, n;
	uint8_t *copy;
	const char *why;

	randombytes_buf(secret, sizeof(secret));
	crypto_box_keypair(pk, sk);
	CHECK_ERR(make_blob(&to, "x.bin", size, b), 0);
	n = buf_len(b);
	copy = malloc(n);
	memcpy(copy, buf_ptr(b), n);
	/* Every header byte, and a spread of the data's. */
	for (size_t i = 0; i < n; i += i < 400 ? 1 : 997) {
		copy[i] ^= 0x20;
		if (read_blob(copy, n, secret, NULL, NULL, "x.bin", size, &why) == 0)
			bad_link++;
		if (read_blob(copy, n, NULL, pk, sk, "x.bin", size, &why) == 0)
			bad_id++;
		copy[i] ^= 0x20;
	}
	CHECK(bad_link == 0);
	CHECK(bad_id == 0);
	for (size_t cut = 0; cut < n; cut += cut < 400 ? 1 : 4099)
		if (read_blob(copy, cut, secret, NULL, NULL, "x.bin", size, &why) == 0)
			cut_ok++;
	CHECK(cut_ok == 0);
	/* A cut inside the data is "incomplete", never "done". */
	CHECK_ERR(read_blob(copy, n - 1, secret, NULL, NULL, "x.bin", size, &why),
	    ERR_INCOMPLETE);
	/* A byte more after the final chunk. */
	copy = realloc(copy, n + 1);
	copy[n] = 0;
	CHECK_ERR(read_blob(copy, n + 1, secret, NULL, NULL, "x.bin", size, &why), ERR_TRAILING);
	CHECK_ERR(read_blob(copy, n, secret, NULL, NULL, "x.bin", size, &why), 0);
	free(copy);
	buf_free(b);
}

static void
wrong_keys_find_nothing(void)
{
	uint8_t secret[BLOB_SECRET_LEN], other[BLOB_SECRET_LEN], pk[BLOB_KEY_LEN],
	    sk[BLOB_KEY_LEN], pk2[BLOB_KEY_LEN], sk2[BLOB_KEY_LEN], key[BLOB_KEY_LEN];
	struct blob_recipients to = { secret, (const uint8_t (*)[BLOB_KEY_LEN])&pk, 1 };
	struct blob_recipients only_id = { NULL, (const uint8_t (*)[BLOB_KEY_LEN])&pk, 1 };
	struct buf *b = buf_new(1 << 20);
	struct blob_header *h = malloc(sizeof(*h));
	const char *why = NULL;
	struct buf in;

	randombytes_buf(secret, sizeof(secret));
	randombytes_buf(other, sizeof(other));
	crypto_box_keypair(pk, sk);
	crypto_box_keypair(pk2, sk2);
	CHECK_ERR(make_blob(&to, "f", 10, b), 0);
	buf_view(&in, buf_ptr(b), buf_len(b));
	CHECK_ERR(blob_header_parse(&in, h, &why), 0);
	CHECK(h->n == 2);
	CHECK_ERR(blob_open_link(h, other, key, &why), ERR_AUTH);
	CHECK(why != NULL && strstr(why, "KEY") != NULL);
	CHECK_ERR(blob_open_identity(h, pk2, sk2, key, &why), ERR_AUTH);
	/* The right public key with a wrong secret key: the box does not open. */
	CHECK_ERR(blob_open_identity(h, pk, sk2, key, &why), ERR_AUTH);
	/* A key that opens no stream: the metadata fails. */
	{
		struct blob_reader rd;

		randombytes_buf(key, sizeof(key));
		CHECK_ERR(blob_reader_start(&rd, h, key, &why), ERR_AUTH);
		CHECK(!rd.open);
	}
	/* A blob for identities only has no link envelope at all. */
	buf_reset(b);
	CHECK_ERR(make_blob(&only_id, "f", 10, b), 0);
	buf_view(&in, buf_ptr(b), buf_len(b));
	CHECK_ERR(blob_header_parse(&in, h, &why), 0);
	CHECK(h->n == 1);
	CHECK_ERR(blob_open_link(h, secret, key, &why), ERR_AUTH);
	CHECK_ERR(blob_open_identity(h, pk, sk, key, &why), 0);
	free(h);
	buf_free(b);
}

static void
header_bounds(void)
{
	struct blob_header *h = malloc(sizeof(*h));
	uint8_t raw[64] = { 'F', 'S', 'D', 'R', 'O', 'P', '1' };
	const char *why;
	struct buf in;

	buf_view(&in, raw, 7);
	CHECK_ERR(blob_header_parse(&in, h, &why), ERR_INCOMPLETE);
	CHECK(buf_len(&in) == 7);
	raw[7] = 0;
	buf_view(&in, raw, 8);
	CHECK_ERR(blob_header_parse(&in, h, &why), ERR_FORMAT);
	raw[7] = DROP_BLOB_ENVELOPES_MAX + 1;
	CHECK_ERR(blob_header_parse(&in, h, &why), ERR_FORMAT);
	raw[7] = 1;
	raw[8] = 3;             /* no such kind */
	buf_view(&in, raw, 9);
	CHECK_ERR(blob_header_parse(&in, h, &why), ERR_FORMAT);
	CHECK(why != NULL && strstr(why, "kind") != NULL);
	raw[6] = '2';
	CHECK_ERR(blob_header_parse(&in, h, &why), ERR_UNSUPPORTED);
	raw[0] = 'P';
	CHECK_ERR(blob_header_parse(&in, h, &why), ERR_FORMAT);
	CHECK(why != NULL && strstr(why, "not a file drop") != NULL);
	free(h);
}

static void
names_and_sizes_refused(void)
{
	uint8_t secret[BLOB_SECRET_LEN] = { 2 };
	struct blob_recipients to = { secret, NULL, 0 }, none = { NULL, NULL, 0 };
	struct blob_writer w;
	struct buf *b = buf_new(1 << 16);
	const char *why;

	CHECK_ERR(blob_writer_start(&w, &to, "../etc/passwd", 1, b, &why), ERR_FORMAT);
	CHECK_ERR(blob_writer_start(&w, &to, "a/b", 1, b, &why), ERR_FORMAT);
	CHECK_ERR(blob_writer_start(&w, &to, "", 1, b, &why), ERR_FORMAT);
	CHECK_ERR(blob_writer_start(&w, &to, "..", 1, b, &why), ERR_FORMAT);
	CHECK_ERR(blob_writer_start(&w, &to, "ok", DROP_BLOB_SIZE_MAX + 1, b, &why),
	    ERR_TOO_LARGE);
	CHECK_ERR(blob_writer_start(&w, &none, "ok", 1, b, &why), ERR_TOO_LARGE);
	CHECK(buf_len(b) == 0);
	/* A chunk of the wrong size is the caller's bug, and said so. */
	CHECK_ERR(blob_writer_start(&w, &to, "ok", 10, b, &why), 0);
	CHECK_ERR(blob_writer_next(&w, (const uint8_t *)"0123456789", 9, b, &why), ERR_INTERNAL);
	CHECK_ERR(blob_writer_next(&w, (const uint8_t *)"0123456789", 10, b, &why), 0);
	CHECK_ERR(blob_writer_next(&w, (const uint8_t *)"", 0, b, &why), ERR_INTERNAL);
	buf_free(b);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	round_trips();
	length_is_known_before();
	every_byte_counts();
	wrong_keys_find_nothing();
	header_bounds();
	names_and_sizes_refused();
	return test_done();
}
