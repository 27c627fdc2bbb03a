/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_directory - the back-end table: chosen by name, local by default. */
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

#define T0 ((int64_t)1700000000)

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
	struct directory *d;
	uint32_t a, b;
	char path[512];

	d = directory_new(NULL, &cfg, T0);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK_ERR(directory_alloc(d, T0, &a), 0);
	CHECK_ERR(directory_alloc(d, T0, &b), 0);
	CHECK(a >= SESSION_NUMBER_MIN && a <= SESSION_NUMBER_MAX);
	CHECK(a != b);
	CHECK(directory_live_count(d) == 2);
	directory_retire(d, a, T0);
	CHECK(directory_live_count(d) == 1);
	CHECK_ERR(directory_save(d, T0), 0);
	directory_free(d);

	/* after a restart both are cooling: never handed out again soon */
	d = directory_new("local", &cfg, T0 + 1);
	CHECK(d != NULL);
	if (d != NULL) {
		uint32_t n;
		int i, again = 0;

		CHECK(directory_live_count(d) == 0);
		for (i = 0; i < 2000; i++) {
			if (directory_alloc(d, T0 + 1, &n) != 0)
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
	bool null;
	char text[64];
};

static void
on_holder(void *arg, uint32_t number, const char *holder)
{
	struct holder *h = arg;

	(void)number;
	h->calls++;
	h->null = holder == NULL;
	snprintf(h->text, sizeof(h->text), "%s", holder != NULL ? holder : "");
}

/* The local directory knows one holder: itself, or nobody. */
static void
test_local_lookup(void)
{
	struct directory_config cfg = { 0 };
	struct directory *d = directory_new(NULL, &cfg, T0);
	struct holder h = { 0 };
	uint32_t n;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	CHECK_ERR(directory_alloc(d, T0, &n), 0);
	CHECK_ERR(directory_lookup(d, n, on_holder, &h), 0);
	CHECK(h.calls == 1 && !h.null && h.text[0] == '\0');
	directory_retire(d, n, T0);
	CHECK_ERR(directory_lookup(d, n, on_holder, &h), 0);
	CHECK(h.calls == 2 && h.null);
	CHECK_ERR(directory_lookup(d, 5, on_holder, &h), 0);
	CHECK(h.calls == 3 && h.null);
	directory_free(d);
}

/* Without --cluster's URL the redis back-end does not open. */
static void
test_redis_needs_url(void)
{
	struct directory_config cfg = { 0 };

	CHECK(directory_new("redis", &cfg, T0) == NULL);
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
	test_local(dir);
	test_local_lookup();
	test_redis_needs_url();
	rmdir(dir);
	return test_done();
}
