/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_directory - the back-end table: chosen by name, local by
 * default; and resume on the local back-end: a ticket resumes its own
 * number for the grace and nothing else, and a restart keeps that.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "directory.h"
#include "limits.h"
#include "log.h"
#include "test.h"
#include "ticket.h"

#define T0 ((int64_t)1700000000)
#define GRACE_S ((int64_t)RELAY_RESUME_GRACE_MS / 1000)

static void
test_table(void)
{
	struct directory_config cfg = { 0 };
	struct directory *d;

	d = directory_new(NULL, &cfg, T0);
	CHECK(d != NULL);
	CHECK(d != NULL && strcmp(directory_name(d), "local") == 0);
	directory_free(d);
	d = directory_new("local", &cfg, T0);
	CHECK(d != NULL);
	directory_free(d);
	CHECK(directory_new("nonesuch", &cfg, T0) == NULL);
	directory_free(NULL);
}

/* Through the table the local back-end keeps numbers.c's promises. */
static void
test_local(const char *dir)
{
	struct directory_config cfg = { .state_dir = dir };
	uint8_t t[WIRE_TICKET_LEN], h[TICKET_HASH_LEN];
	struct directory *d;
	uint32_t a, b;
	char path[512];

	ticket_new(t, h);
	d = directory_new(NULL, &cfg, T0);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK_ERR(directory_alloc(d, T0, h, &a), 0);
	CHECK_ERR(directory_alloc(d, T0, h, &b), 0);
	CHECK(a >= SESSION_NUMBER_MIN && a <= SESSION_NUMBER_MAX);
	CHECK(a != b);
	CHECK(directory_held_count(d) == 2);
	directory_retire(d, a, T0);
	directory_retire(d, b, T0);
	CHECK(directory_held_count(d) == 0);
	CHECK_ERR(directory_save(d, T0), 0);
	directory_free(d);

	/* after a restart both are cooling: never handed out again soon */
	d = directory_new("local", &cfg, T0 + 1);
	CHECK(d != NULL);
	if (d != NULL) {
		uint32_t n;
		int i, again = 0;

		CHECK(directory_held_count(d) == 0);
		for (i = 0; i < 2000; i++) {
			if (directory_alloc(d, T0 + 1, h, &n) != 0)
				break;
			again += n == a || n == b;
		}
		CHECK(i == 2000);
		CHECK(again == 0);
		directory_free(d);
	}
	snprintf(path, sizeof(path), "%s/numbers", dir);
	unlink(path);
}

struct holder {
	int calls;
	enum directory_where where;
	bool null;
};

static void
on_holder(void *arg, uint32_t number, enum directory_where where, const char *holder)
{
	struct holder *h = arg;

	(void)number;
	h->calls++;
	h->where = where;
	h->null = holder == NULL;
}

/* The local directory knows one holder: itself, or nobody. */
static void
test_local_lookup(void)
{
	struct directory_config cfg = { 0 };
	struct directory *d = directory_new(NULL, &cfg, T0);
	uint8_t t[WIRE_TICKET_LEN], h[TICKET_HASH_LEN];
	struct holder w = { 0 };
	uint32_t n;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	ticket_new(t, h);
	CHECK_ERR(directory_alloc(d, T0, h, &n), 0);
	directory_lookup(d, n, on_holder, &w);
	CHECK(w.calls == 1 && w.where == DIRECTORY_HERE && w.null);
	CHECK(directory_here(d, n) == DIRECTORY_HERE);
	directory_away(d, n, T0);
	directory_lookup(d, n, on_holder, &w);
	CHECK(w.calls == 2 && w.where == DIRECTORY_AWAY && w.null);
	CHECK(directory_here(d, n) == DIRECTORY_AWAY);
	directory_retire(d, n, T0);
	directory_lookup(d, n, on_holder, &w);
	CHECK(w.calls == 3 && w.where == DIRECTORY_NOBODY);
	directory_lookup(d, 5, on_holder, &w);
	CHECK(w.calls == 4 && w.where == DIRECTORY_NOBODY);
	/* no cluster: nobody to send masters to, nothing moves, draining is nothing */
	directory_drain(d);
	CHECK(directory_elsewhere(d) == NULL);
	directory_free(d);
}

struct answer {
	int calls;
	uint32_t number;
	int result;
};

static void
on_resumed(void *arg, uint32_t number, int result)
{
	struct answer *a = arg;

	a->calls++;
	a->number = number;
	a->result = result;
}

/* The answer to one resume (the local back-end answers at once). */
static int
resume(struct directory *d, uint32_t n, const uint8_t ticket[WIRE_TICKET_LEN], int64_t now_s)
{
	uint8_t h[TICKET_HASH_LEN];
	struct answer a = { 0 };

	ticket_hash(ticket, h);
	directory_resume(d, n, h, now_s, on_resumed, &a);
	if (a.calls != 1 || a.number != n)
		return ERR_INTERNAL;
	return a.result;
}

/* Only a number's own ticket resumes it, live or away, within the grace. */
static void
test_local_resume(void)
{
	struct directory_config cfg = { 0 };
	struct directory *d = directory_new(NULL, &cfg, T0);
	uint8_t t1[WIRE_TICKET_LEN], h1[TICKET_HASH_LEN];
	uint8_t t2[WIRE_TICKET_LEN], h2[TICKET_HASH_LEN];
	uint8_t wrong[WIRE_TICKET_LEN];
	uint32_t n1, n2;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	ticket_new(t1, h1);
	ticket_new(t2, h2);
	memcpy(wrong, t1, sizeof(wrong));
	wrong[WIRE_TICKET_LEN - 1] ^= 1;
	CHECK_ERR(directory_alloc(d, T0, h1, &n1), 0);
	CHECK_ERR(directory_alloc(d, T0, h2, &n2), 0);

	/* live (an old master connection not noticed dead yet): its ticket works */
	CHECK_ERR(resume(d, n1, t1, T0 + 1), 0);
	CHECK_ERR(resume(d, n1, wrong, T0 + 1), ERR_AUTH);
	CHECK_ERR(resume(d, n1, t2, T0 + 1), ERR_AUTH);          /* another number's */
	CHECK_ERR(resume(d, n2, t1, T0 + 1), ERR_AUTH);
	CHECK_ERR(resume(d, 12, t1, T0 + 1), ERR_AUTH);          /* no number at all */

	/* away: resumable until the grace is over, then nothing */
	directory_away(d, n1, T0 + 10);
	CHECK(directory_held_count(d) == 2);
	CHECK_ERR(resume(d, n1, wrong, T0 + 11), ERR_AUTH);
	CHECK(directory_here(d, n1) == DIRECTORY_AWAY);         /* a wrong one changes nothing */
	CHECK_ERR(resume(d, n1, t1, T0 + 11), 0);
	CHECK(directory_here(d, n1) == DIRECTORY_HERE);
	directory_away(d, n1, T0 + 20);
	CHECK_ERR(directory_save(d, T0 + 20 + GRACE_S - 1), 0);
	CHECK(directory_here(d, n1) == DIRECTORY_AWAY);
	CHECK_ERR(resume(d, n1, t1, T0 + 20 + GRACE_S), ERR_AUTH);      /* over, not yet saved */
	CHECK_ERR(directory_save(d, T0 + 20 + GRACE_S), 0);
	CHECK(directory_here(d, n1) == DIRECTORY_NOBODY);
	CHECK(directory_held_count(d) == 1);
	CHECK_ERR(resume(d, n1, t1, T0 + 20 + GRACE_S), ERR_AUTH);

	/* retired (END): its ticket is dead at once */
	directory_retire(d, n2, T0 + 30);
	CHECK_ERR(resume(d, n2, t2, T0 + 30), ERR_AUTH);
	CHECK(directory_held_count(d) == 0);
	directory_free(d);
}

/* A restart with --state-dir: what was held is resumable for the grace
 * from the start, with its own ticket only; then it cools down. */
static void
test_local_restart(const char *dir)
{
	struct directory_config cfg = { .state_dir = dir };
	uint8_t t1[WIRE_TICKET_LEN], h1[TICKET_HASH_LEN];
	uint8_t t2[WIRE_TICKET_LEN], h2[TICKET_HASH_LEN];
	uint8_t t3[WIRE_TICKET_LEN], h3[TICKET_HASH_LEN];
	char path[512], text[4096], hex1[TICKET_HEX_LEN + 1], hex2[TICKET_HEX_LEN + 1];
	struct directory *d;
	uint32_t n1, n2, n3, n;
	size_t len;
	FILE *f;
	int i, again = 0;

	ticket_new(t1, h1);
	ticket_new(t2, h2);
	ticket_new(t3, h3);
	d = directory_new(NULL, &cfg, T0);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK_ERR(directory_alloc(d, T0, h1, &n1), 0);   /* live at the stop */
	CHECK_ERR(directory_alloc(d, T0, h2, &n2), 0);   /* away at the stop */
	CHECK_ERR(directory_alloc(d, T0, h3, &n3), 0);   /* ended */
	directory_away(d, n2, T0 + 1);
	directory_retire(d, n3, T0 + 1);
	CHECK_ERR(directory_save(d, T0 + 2), 0);
	directory_free(d);

	/* the file holds hashes, never tickets */
	snprintf(path, sizeof(path), "%s/numbers", dir);
	f = fopen(path, "r");
	len = f != NULL ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[len] = '\0';
	if (f != NULL)
		fclose(f);
	ticket_hash_hex(h1, hex1);
	ticket_hash_hex(h2, hex2);
	CHECK(strstr(text, hex1) != NULL && strstr(text, hex2) != NULL);
	ticket_hash_hex(t1, hex1);      /* the ticket's bytes as hex: nowhere */
	CHECK(strstr(text, hex1) == NULL);

	/* an hour later the relay starts again */
	d = directory_new(NULL, &cfg, T0 + 3600);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK(directory_held_count(d) == 2);
	CHECK(directory_here(d, n1) == DIRECTORY_AWAY);
	CHECK(directory_here(d, n2) == DIRECTORY_AWAY);
	CHECK(directory_here(d, n3) == DIRECTORY_NOBODY);
	CHECK_ERR(resume(d, n1, t2, T0 + 3601), ERR_AUTH);
	CHECK_ERR(resume(d, n3, t3, T0 + 3601), ERR_AUTH);
	CHECK_ERR(resume(d, n1, t1, T0 + 3601), 0);
	CHECK(directory_here(d, n1) == DIRECTORY_HERE);
	/* n2 nobody resumes: gone after the grace from the start, then cooling */
	CHECK_ERR(resume(d, n2, t2, T0 + 3600 + GRACE_S), ERR_AUTH);
	CHECK_ERR(directory_save(d, T0 + 3600 + GRACE_S), 0);
	CHECK(directory_here(d, n2) == DIRECTORY_NOBODY);
	for (i = 0; i < 3000; i++) {
		if (directory_alloc(d, T0 + 3600 + GRACE_S, h3, &n) != 0)
			break;
		again += n == n1 || n == n2 || n == n3;
	}
	CHECK(i == 3000 && again == 0);
	directory_free(d);
	unlink(path);
}

/* Without --cluster's URL the redis back-end does not open. */
static void
test_redis_needs_url(void)
{
	struct directory_config cfg = { 0 };

	CHECK(directory_new("redis", &cfg, T0) == NULL);
}

static void
test_ticket(void)
{
	uint8_t t[WIRE_TICKET_LEN], h[TICKET_HASH_LEN], h2[TICKET_HASH_LEN], back[TICKET_HASH_LEN];
	char hex[TICKET_HEX_LEN + 1];

	ticket_new(t, h);
	ticket_hash(t, h2);
	CHECK(ticket_hash_equal(h, h2));
	CHECK(memcmp(t, h, sizeof(h)) != 0);
	t[0] ^= 1;
	ticket_hash(t, h2);
	CHECK(!ticket_hash_equal(h, h2));
	ticket_hash_hex(h, hex);
	CHECK(strlen(hex) == TICKET_HEX_LEN);
	CHECK_ERR(ticket_hash_parse(hex, strlen(hex), back), 0);
	CHECK(ticket_hash_equal(h, back));
	CHECK_ERR(ticket_hash_parse(hex, strlen(hex) - 1, back), ERR_FORMAT);
	hex[3] = 'A';
	CHECK_ERR(ticket_hash_parse(hex, strlen(hex), back), ERR_FORMAT);
	hex[3] = 'g';
	CHECK_ERR(ticket_hash_parse(hex, strlen(hex), back), ERR_FORMAT);
}

int
main(void)
{
	char dir[] = "/tmp/test_relay_directory.XXXXXX";

	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	log_init("test_relay_directory", LOG_ERROR);
	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp");
	test_table();
	test_ticket();
	test_local(dir);
	test_local_lookup();
	test_local_resume();
	test_local_restart(dir);
	test_redis_needs_url();
	rmdir(dir);
	return test_done();
}
