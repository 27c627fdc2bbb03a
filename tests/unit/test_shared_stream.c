/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_shared_stream.c - the master's shared screen stream
 * (shared_stream.c): when it restarts for viewers that came back into
 * step, and that a part compressed once inflates for every viewer on it,
 * including one that joined at a restart after the others had history.
 */
#include <stdint.h>
#include <string.h>

#include "limits.h"
#include "shared_stream.h"
#include "test.h"
#include "zstream.h"

static void
test_rejoin_due(void)
{
	struct shared_stream s;

	shared_stream_init(&s);
	CHECK(!shared_stream_rejoin_due(&s, 0, 5000));  /* everyone on it */
	CHECK(shared_stream_rejoin_due(&s, 1, 5000));   /* never started: at once */
	shared_stream_restart(&s, 5000);
	CHECK(!shared_stream_rejoin_due(&s, 2, 5000));
	CHECK(!shared_stream_rejoin_due(&s, 1, 5000 + MASTER_SHARED_REJOIN_MS - 1));
	CHECK(shared_stream_rejoin_due(&s, 1, 5000 + MASTER_SHARED_REJOIN_MS));
	CHECK(!shared_stream_rejoin_due(&s, 0, 5000 + 10 * MASTER_SHARED_REJOIN_MS));
	shared_stream_free(&s);
}

/* A picture-like part: repeats (the history pays) with a changing byte. */
static void
fill(uint8_t *raw, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		raw[i] = (uint8_t)((i % 97) ^ (i / 4096 == seed % 4 ? seed : 0));
}

static void
test_parts(void)
{
	struct shared_stream s;
	struct zs_dec *a = zs_dec_new(), *b = zs_dec_new();
	static uint8_t raw[16384], out[16384];
	size_t first_len = 0;

	CHECK(a != NULL && b != NULL);
	shared_stream_init(&s);
	/* a alone from the start: a key-like restart, then history. */
	shared_stream_restart(&s, 1);
	for (unsigned k = 0; k < 4; k++) {
		fill(raw, sizeof(raw), k);
		CHECK(shared_stream_part(&s, raw, sizeof(raw), 1) == 0);
		CHECK(!s.restart_pending);
		if (k == 0)
			first_len = buf_len(&s.z);
		CHECK(zs_dec_part(a, k == 0, buf_ptr(&s.z), buf_len(&s.z), out, sizeof(out)) == 0);
		CHECK(memcmp(out, raw, sizeof(raw)) == 0);
	}
	CHECK(s.parts_shared == 0 && s.parts_saved == 0);
	/* History made the same picture cheap... */
	fill(raw, sizeof(raw), 0);
	CHECK(shared_stream_part(&s, raw, sizeof(raw), 1) == 0);
	CHECK(buf_len(&s.z) < first_len);
	CHECK(zs_dec_part(a, false, buf_ptr(&s.z), buf_len(&s.z), out, sizeof(out)) == 0);
	/* ...which b, without that history, cannot inflate. */
	CHECK(zs_dec_part(b, true, buf_ptr(&s.z), buf_len(&s.z), out, sizeof(out)) != 0 ||
	    memcmp(out, raw, sizeof(raw)) != 0);
	zs_dec_free(b);
	b = zs_dec_new();
	/* A restart: both inflate the same bytes from here on. */
	shared_stream_restart(&s, 2);
	for (unsigned k = 0; k < 4; k++) {
		fill(raw, sizeof(raw), k + 1);
		CHECK(s.restart_pending == (k == 0));
		CHECK(shared_stream_part(&s, raw, sizeof(raw), 2) == 0);
		CHECK(zs_dec_part(a, k == 0, buf_ptr(&s.z), buf_len(&s.z), out, sizeof(out)) == 0);
		CHECK(memcmp(out, raw, sizeof(raw)) == 0);
		CHECK(zs_dec_part(b, k == 0, buf_ptr(&s.z), buf_len(&s.z), out, sizeof(out)) == 0);
		CHECK(memcmp(out, raw, sizeof(raw)) == 0);
	}
	CHECK(s.parts_shared == 4 && s.parts_saved == 4);
	CHECK(shared_stream_part(&s, raw, sizeof(raw), 3) == 0);
	CHECK(s.parts_shared == 5 && s.parts_saved == 6);
	zs_dec_free(a);
	zs_dec_free(b);
	shared_stream_free(&s);
}

int
main(void)
{
	test_rejoin_due();
	test_parts();
	return test_done();
}
