/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_numbers - session numbers: unique, cooled down, persisted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "limits.h"
#include "numbers.h"
#include "test.h"

#define COUNT (SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1)
#define T0 ((int64_t)1700000000)
#define GRACE_S ((int64_t)RELAY_RESUME_GRACE_MS / 1000)

/* a ticket's hash: what numbers.c keeps of a held number */
static const uint8_t H[TICKET_HASH_LEN] = { 1, 2, 3 };

static unsigned char seen[SESSION_NUMBER_MAX + 1];

static void
test_unique_and_exhaust(void)
{
	struct numbers *ns = numbers_new(NULL, T0);
	uint32_t n, first = 0;
	int i, dup = 0, range = 0, fail = 0;

	CHECK(ns != NULL);
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < COUNT; i++) {
		if (numbers_alloc(ns, T0, H, &n) != 0) {
			fail++;
			continue;
		}
		if (n < SESSION_NUMBER_MIN || n > SESSION_NUMBER_MAX) {
			range++;
			continue;
		}
		if (seen[n]++)
			dup++;
		if (i == 0)
			first = n;
	}
	CHECK(fail == 0);
	CHECK(range == 0);
	CHECK(dup == 0);
	CHECK(numbers_live_count(ns) == COUNT);
	CHECK(numbers_live(ns, first));
	CHECK_ERR(numbers_alloc(ns, T0, H, &n), ERR_LIMIT);
	CHECK(n == 0);

	/* a retired number stays out of use for the whole cooldown */
	numbers_retire(ns, first, T0);
	CHECK(!numbers_live(ns, first));
	CHECK(numbers_cooling(ns, first, T0 + 1));
	CHECK_ERR(numbers_alloc(ns, T0 + 1, H, &n), ERR_LIMIT);
	CHECK_ERR(numbers_alloc(ns, T0 + RELAY_RETIRE_COOLDOWN_S - 1, H, &n), ERR_LIMIT);
	CHECK(!numbers_cooling(ns, first, T0 + RELAY_RETIRE_COOLDOWN_S));
	CHECK_ERR(numbers_alloc(ns, T0 + RELAY_RETIRE_COOLDOWN_S, H, &n), 0);
	CHECK(n == first);
	CHECK(numbers_live(ns, first));
	numbers_free(ns);
}

static void
test_random_spread(void)
{
	struct numbers *ns = numbers_new(NULL, T0);
	uint32_t n, lo = SESSION_NUMBER_MAX, hi = 0;
	int i;

	/* not a sequence: the first few land all over the range */
	for (i = 0; i < 50; i++) {
		if (numbers_alloc(ns, T0, H, &n) != 0)
			break;
		lo = n < lo ? n : lo;
		hi = n > hi ? n : hi;
	}
	CHECK(i == 50);
	CHECK(hi - lo > 10000);
	CHECK(!numbers_live(ns, SESSION_NUMBER_MIN - 1));
	CHECK(!numbers_live(ns, SESSION_NUMBER_MAX + 1));
	CHECK_ERR(numbers_save(ns, T0), 0);    /* no state dir: nothing to do */
	numbers_free(ns);
}

static void
write_file(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fwrite(text, 1, n, f) != n || fclose(f) != 0)
		TEST_BAIL("cannot write %s", path);
}

static void
test_persist(const char *dir)
{
	struct numbers *ns;
	char path[512], line[128];
	uint32_t a, b, c;
	int lines = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/numbers", dir);
	ns = numbers_new(dir, T0);
	CHECK(ns != NULL);
	CHECK_ERR(numbers_alloc(ns, T0, H, &a), 0);
	CHECK_ERR(numbers_alloc(ns, T0, H, &b), 0);
	CHECK_ERR(numbers_alloc(ns, T0, H, &c), 0);
	numbers_retire(ns, a, T0 + 5);
	numbers_retire(ns, c, T0 - RELAY_RETIRE_COOLDOWN_S);   /* cooled long ago */
	CHECK_ERR(numbers_save(ns, T0 + 10), 0);
	numbers_free(ns);

	/* "number unix_time" per line: a retired; b still live, saved as now
	 * with its ticket's hash */
	f = fopen(path, "r");
	CHECK(f != NULL);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		unsigned long n;
		long long t;

		lines++;
		CHECK(sscanf(line, "%lu %lld", &n, &t) == 2);
		CHECK((n == a && t == T0 + 5) || (n == b && t == T0 + 10));
	}
	if (f != NULL)
		fclose(f);
	CHECK(lines == 2);
	snprintf(line, sizeof(line), "%s/numbers.tmp", dir);
	CHECK(access(line, F_OK) != 0);

	/* a restart: a cools down, c is free, b is held away: its master may
	 * resume it for the grace from the start */
	ns = numbers_new(dir, T0 + 20);
	CHECK(ns != NULL);
	CHECK(numbers_live_count(ns) == 0);
	CHECK(numbers_held_count(ns) == 1);
	CHECK(numbers_cooling(ns, a, T0 + 20));
	CHECK(numbers_is_away(ns, b));
	CHECK(!numbers_cooling(ns, b, T0 + 20));
	CHECK(!numbers_cooling(ns, c, T0 + 20));
	CHECK(numbers_cooling(ns, a, T0 + 5 + RELAY_RETIRE_COOLDOWN_S - 1));
	CHECK(!numbers_cooling(ns, a, T0 + 5 + RELAY_RETIRE_COOLDOWN_S));
	/* the grace ends: b cools from its end */
	CHECK(numbers_expire(ns, T0 + 20 + GRACE_S - 1) == 0);
	CHECK(numbers_expire(ns, T0 + 20 + GRACE_S) == 1);
	CHECK(numbers_held_count(ns) == 0);
	CHECK(numbers_cooling(ns, b, T0 + 20 + GRACE_S + RELAY_RETIRE_COOLDOWN_S - 1));
	CHECK(!numbers_cooling(ns, b, T0 + 20 + GRACE_S + RELAY_RETIRE_COOLDOWN_S));
	CHECK_ERR(numbers_save(ns, T0 + 20 + GRACE_S), 0);
	numbers_free(ns);

	/* loaded after the cooldown: nothing left */
	ns = numbers_new(dir, T0 + 30 + GRACE_S + RELAY_RETIRE_COOLDOWN_S);
	CHECK(!numbers_cooling(ns, a, T0 + 30 + GRACE_S + RELAY_RETIRE_COOLDOWN_S));
	CHECK(!numbers_cooling(ns, b, T0 + 30 + GRACE_S + RELAY_RETIRE_COOLDOWN_S));
	CHECK(numbers_held_count(ns) == 0);
	numbers_free(ns);
	unlink(path);
}

static void
test_garbage(const char *dir)
{
	static const char text[] =
	    "garbage\n"
	    "12345 1700000000\n"                /* good */
	    "99 1700000000\n"                   /* not five digits */
	    "100000 1700000000\n"
	    "54321 abc\n"
	    "23456 1700000000 extra\n"
	    " 34567 1700000000\n"
	    "45678 -5\n"
	    "\n"
	    "56789 99999999999999999999999999\n"
	    "67890 1700000000"                  /* no newline at the end: still good */
	    "\0\0\0\n"
	    "\xff\xfe\n"
	    "11111 1700000000 1234567890123456789012345678901234567890123456789012345678901234567890\n"
	    "22222 9999999999\n"                /* the future: cools from now */
	    "44444 1700000000 "
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n" /* held */
	    "55555 1700000000 "
	    "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff\n" /* upper */
	    "66666 1700000000 "
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddee\n"   /* short */
	    "77777 1700000000 "
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff \n" /* space */
	    "33333 1700000000";                 /* the last line, no newline: good */
	char path[512];
	struct numbers *ns;

	snprintf(path, sizeof(path), "%s/numbers", dir);
	write_file(path, text, sizeof(text) - 1);
	ns = numbers_new(dir, T0 + 100);
	CHECK(ns != NULL);
	CHECK(numbers_cooling(ns, 12345, T0 + 100));
	CHECK(numbers_cooling(ns, 33333, T0 + 100));
	CHECK(numbers_cooling(ns, 22222, T0 + 100));
	CHECK(!numbers_cooling(ns, 22222, T0 + 100 + RELAY_RETIRE_COOLDOWN_S));
	CHECK(!numbers_cooling(ns, 54321, T0 + 100));
	CHECK(!numbers_cooling(ns, 23456, T0 + 100));
	CHECK(!numbers_cooling(ns, 34567, T0 + 100));
	CHECK(!numbers_cooling(ns, 45678, T0 + 100));
	CHECK(!numbers_cooling(ns, 56789, T0 + 100));
	CHECK(!numbers_cooling(ns, 11111, T0 + 100));
	CHECK(numbers_live_count(ns) == 0);
	CHECK(numbers_is_away(ns, 44444));
	CHECK(numbers_held_count(ns) == 1);
	CHECK(!numbers_is_away(ns, 55555) && !numbers_cooling(ns, 55555, T0 + 100));
	CHECK(!numbers_is_away(ns, 66666) && !numbers_cooling(ns, 66666, T0 + 100));
	CHECK(!numbers_is_away(ns, 77777) && !numbers_cooling(ns, 77777, T0 + 100));
	numbers_free(ns);

	/* binary junk, no newline anywhere, longer than a line */
	{
		char junk[300];
		size_t i;

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (char)(i * 37 + 1);
		write_file(path, junk, sizeof(junk));
		ns = numbers_new(dir, T0);
		CHECK(ns != NULL);
		numbers_free(ns);
	}
	write_file(path, "", 0);
	ns = numbers_new(dir, T0);
	CHECK(ns != NULL);
	numbers_free(ns);
	unlink(path);

	/* an unwritable state dir: save fails, nothing breaks */
	ns = numbers_new("/nonexistent/fernsicht", T0);
	CHECK(ns != NULL);
	{
		uint32_t n;

		CHECK_ERR(numbers_alloc(ns, T0, H, &n), 0);
		CHECK_ERR(numbers_save(ns, T0), ERR_SYSTEM);
	}
	numbers_free(ns);
}

int
main(void)
{
	char dir[] = "/tmp/test_relay_numbers.XXXXXX";

	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp");
	test_unique_and_exhaust();
	test_random_spread();
	test_persist(dir);
	test_garbage(dir);
	rmdir(dir);
	return test_done();
}
