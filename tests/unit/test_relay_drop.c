/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_drop - the file drop's credentials (grants, put and get
 * secrets, links), its store in a temporary directory (quotas, offsets,
 * downloads left, a restart, the sweep), and the header lookup. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "drop.h"
#include "drop_token.h"
#include "http.h"
#include "limits.h"
#include "log.h"
#include "server.h"
#include "test.h"

static uint8_t key[DROP_KEY_BYTES], other[DROP_KEY_BYTES];

static void
grants(void)
{
	const struct drop_grant_of of = { 12345, 0x0102030405060708ull, 7 };
	struct drop_grant_of n;
	uint8_t g[DROP_GRANT_LEN];
	char hex[2 * DROP_GRANT_LEN + 1];

	drop_grant_make(key, &of, 1000, g);
	sodium_bin2hex(hex, sizeof(hex), g, sizeof(g));
	CHECK_ERR(drop_grant_check(key, hex, 999, &n), 0);
	CHECK(n.number == 12345 && n.uid == of.uid && n.gen == 7);
	CHECK_ERR(drop_grant_check(key, hex, 1000, &n), ERR_TIMEOUT);  /* at expiry: over */
	CHECK(n.number == 0);
	CHECK_ERR(drop_grant_check(other, hex, 999, &n), ERR_AUTH);
	hex[7] = hex[7] == '0' ? '1' : '0';                     /* the number changed */
	CHECK_ERR(drop_grant_check(key, hex, 999, &n), ERR_AUTH);
	hex[7] = hex[7] == '0' ? '1' : '0';
	hex[31] = hex[31] == '0' ? '1' : '0';                   /* the generation */
	CHECK_ERR(drop_grant_check(key, hex, 999, &n), ERR_AUTH);
	/* a forged grant that also claims a later expiry: the MAC, not the time, says no */
	drop_grant_make(other, &of, 5000, g);
	sodium_bin2hex(hex, sizeof(hex), g, sizeof(g));
	CHECK_ERR(drop_grant_check(key, hex, 4000, &n), ERR_AUTH);
	CHECK_ERR(drop_grant_check(key, "00", 0, &n), ERR_FORMAT);
	hex[2 * DROP_GRANT_LEN - 1] = 'x';
	CHECK_ERR(drop_grant_check(key, hex, 0, &n), ERR_FORMAT);
}

static void
secrets_and_links(void)
{
	uint8_t id[DROP_ID_BYTES], id2[DROP_ID_BYTES], got[DROP_ID_BYTES], idx;
	char put[2 * DROP_PUT_BYTES + 1], get[2 * DROP_GET_BYTES + 1];
	char link[DROP_LINK_TEXT_MAX + 1], bad[DROP_LINK_TEXT_MAX + 8];

	memset(id, 7, sizeof(id));
	memset(id2, 8, sizeof(id2));
	drop_put_make(key, id, put);
	CHECK(strlen(put) == 2 * DROP_PUT_BYTES);
	CHECK_ERR(drop_put_check(key, id, put), 0);
	CHECK_ERR(drop_put_check(key, id2, put), ERR_AUTH);
	CHECK_ERR(drop_put_check(other, id, put), ERR_AUTH);
	CHECK_ERR(drop_put_check(key, id, ""), ERR_AUTH);

	drop_get_make(key, id, 2000, get);
	CHECK(strlen(get) == 2 * DROP_GET_BYTES);
	CHECK_ERR(drop_get_check(key, id, get, 1999), 0);
	CHECK_ERR(drop_get_check(key, id, get, 2000), ERR_TIMEOUT);
	CHECK_ERR(drop_get_check(key, id2, get, 1999), ERR_AUTH);
	/* a get secret is no put secret of the same id, and the other way round */
	CHECK_ERR(drop_put_check(key, id, get), ERR_AUTH);
	CHECK(drop_get_check(key, id, put, 0) != 0);

	drop_link_make(key, id, 3, 3000, link);
	CHECK(strlen(link) == 76);
	CHECK(strspn(link, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == 76);
	CHECK_ERR(drop_link_check(key, link, 2999, got, &idx), 0);
	CHECK(memcmp(got, id, sizeof(id)) == 0 && idx == 3);
	CHECK_ERR(drop_link_check(key, link, 3000, got, &idx), ERR_TIMEOUT);
	CHECK_ERR(drop_link_check(other, link, 0, got, &idx), ERR_AUTH);
	snprintf(bad, sizeof(bad), "%s", link);
	bad[22] = bad[22] == 'A' ? 'B' : 'A';                   /* the link index */
	CHECK_ERR(drop_link_check(key, bad, 0, got, &idx), ERR_AUTH);
	snprintf(bad, sizeof(bad), "%s=", link);                /* padding */
	CHECK_ERR(drop_link_check(key, bad, 0, got, &idx), ERR_FORMAT);
	snprintf(bad, sizeof(bad), "%s", link);
	bad[10] = '+';                                          /* not base64url */
	CHECK_ERR(drop_link_check(key, bad, 0, got, &idx), ERR_FORMAT);
	bad[75] = '\0';
	CHECK_ERR(drop_link_check(key, bad, 0, got, &idx), ERR_FORMAT);
}

static void
header(void)
{
	const char *h = "POST /v1/drop/put?id=1 HTTP/1.1\r\nHost: r\r\n"
	    "x-fernsicht-put:  abc \r\nContent-Length: 0\r\nX-Two: 1\r\nX-Two: 2\r\n\r\n";
	struct http_req q;
	char v[8];

	CHECK_ERR(http_parse((const uint8_t *)h, strlen(h), &q), 0);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Put", v, sizeof(v)), 0);
	CHECK(strcmp(v, "abc") == 0);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Get", v, sizeof(v)),
	    ERR_FORMAT);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Two", v, sizeof(v)), ERR_FORMAT);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Put", v, 3), ERR_FORMAT);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "Host", v, sizeof(v)), 0);
	CHECK(strcmp(v, "r") == 0);
	/* "Host" is no header named "Hos" */
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "Hos", v, sizeof(v)), ERR_FORMAT);
}

static void
store(void)
{
	char dir[] = "/tmp/test_relay_drop.XXXXXX", sub[64], path[128];
	struct drop_config cfg = { .max_file = 1 << 20, .quota_session = 1000,
		.quota_address = 1500, .quota_total = 1900, .max_ttl_s = 100 };
	struct limit_key a = { { 1 } }, b = { { 2 } };
	struct drop_item *it, *it2, *it3;
	uint8_t data[600], out[700], id[DROP_ID_BYTES];
	struct drop *d;
	size_t got;
	struct stat st;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/drop", dir);
	cfg.dir = sub;
	randombytes_buf(data, sizeof(data));
	CHECK((d = drop_new(&cfg, dir, 100)) != NULL);
	if (d == NULL)
		return;
	CHECK(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700);
	snprintf(path, sizeof(path), "%s/drop-key", dir);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 && st.st_size == 32);

	CHECK(drop_create(d, 11111, &a, 600, 2, 1, 50, 100, &it) == 0);
	CHECK(drop_create(d, 11111, &a, 401, 1, 1, 50, 100, &it2) == DROP_R_QUOTA_SESSION);
	CHECK(it2 == NULL);
	CHECK(drop_create(d, 22222, &a, 901, 1, 1, 50, 100, &it2) == DROP_R_QUOTA_ADDRESS);
	CHECK(drop_create(d, 22222, &a, 400, 1, 1, 50, 100, &it2) == 0);
	CHECK(drop_create(d, 33333, &b, 901, 1, 1, 50, 100, &it3) == DROP_R_QUOTA_TOTAL);
	CHECK(drop_create(d, 33333, &b, 100, 1, 1, 10, 100, &it3) == 0);
	CHECK(drop_stats(d)->uploading == 3 && drop_stats(d)->reserved_bytes == 1100);

	/* offsets: only at have; never past the size */
	CHECK_ERR(drop_append(d, it, 1, data, 10, 101), ERR_PROTOCOL);
	CHECK_ERR(drop_append(d, it, 0, data, 300, 101), 0);
	CHECK_ERR(drop_append(d, it, 0, data, 300, 101), ERR_PROTOCOL);
	CHECK_ERR(drop_append(d, it, 300, data + 300, 301, 101), ERR_TOO_LARGE);
	CHECK_ERR(drop_finish(d, it), ERR_INCOMPLETE);
	CHECK_ERR(drop_read(d, it, 0, out, sizeof(out), &got), ERR_PROTOCOL);    /* not done */
	CHECK_ERR(drop_append(d, it, 300, data + 300, 300, 101), 0);
	CHECK_ERR(drop_finish(d, it), 0);
	CHECK_ERR(drop_finish(d, it), 0);                       /* asked again: the same */
	CHECK_ERR(drop_append(d, it, 600, data, 1, 101), ERR_PROTOCOL);
	CHECK(drop_stats(d)->files == 1 && drop_stats(d)->bytes == 600 &&
	    drop_stats(d)->uploads == 1);
	CHECK_ERR(drop_read(d, it, 0, out, sizeof(out), &got), 0);
	CHECK(got == 600 && memcmp(out, data, 600) == 0);
	CHECK_ERR(drop_read(d, it, 550, out, 10, &got), 0);
	CHECK(got == 10 && memcmp(out, data + 550, 10) == 0);
	CHECK_ERR(drop_read(d, it, 600, out, 10, &got), 0);
	CHECK(got == 0);
	CHECK_ERR(drop_read(d, it, 601, out, 10, &got), ERR_PROTOCOL);

	/* downloads left, per link */
	CHECK_ERR(drop_take(d, it, 0), 0);
	CHECK_ERR(drop_take(d, it, 0), ERR_LIMIT);
	CHECK_ERR(drop_take(d, it, 2), ERR_FORMAT);
	CHECK_ERR(drop_append(d, it2, 0, data, 100, 101), 0);   /* it2: cut at 100 */
	memcpy(id, it->id, sizeof(id));

	/* a restart: the same key, the drops, the counts, the cut upload */
	{
		uint8_t k1[DROP_KEY_BYTES];

		memcpy(k1, drop_key(d), sizeof(k1));
		drop_free(d);
		CHECK((d = drop_new(&cfg, dir, 105)) != NULL);
		if (d == NULL)
			return;
		CHECK(memcmp(k1, drop_key(d), sizeof(k1)) == 0);
	}
	CHECK((it = drop_find(d, id)) != NULL);
	if (it == NULL)
		return;
	CHECK(it->done && it->size == 600 && it->left[0] == 0 && it->left[1] == 1);
	CHECK_ERR(drop_take(d, it, 0), ERR_LIMIT);
	CHECK(drop_stats(d)->files == 1 && drop_stats(d)->uploading == 2);
	/* the sweep: it3 (ttl 10) at 110, the others at 150 */
	drop_sweep(d, 109, 0, true);
	CHECK(drop_stats(d)->uploading == 2);
	drop_sweep(d, 110, 0, true);
	CHECK(drop_stats(d)->uploading == 1 && drop_stats(d)->expired == 1);
	drop_sweep(d, 150, 0, true);
	CHECK(drop_stats(d)->files == 0 && drop_stats(d)->uploading == 0);
	CHECK(drop_find(d, id) == NULL);
	snprintf(path, sizeof(path), "%s/drop", dir);
	CHECK(rmdir(path) == 0);                                /* nothing left in it */
	drop_free(d);
	snprintf(path, sizeof(path), "%s/drop-key", dir);
	unlink(path);
	rmdir(dir);
}

/* A meta file that is not ours, or whose blob is gone, is left alone. */
static void
foreign_files(void)
{
	char dir[] = "/tmp/test_relay_drop.XXXXXX", sub[64], path[160];
	struct drop_config cfg = { .max_file = 1 << 20, .quota_session = 1 << 20,
		.quota_address = 1 << 20, .quota_total = 1 << 20, .max_ttl_s = 100 };
	struct drop *d;
	FILE *f;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/drop", dir);
	CHECK(mkdir(sub, 0700) == 0);
	cfg.dir = sub;
	snprintf(path, sizeof(path), "%s/00112233445566778899aabbccddeeff.meta", sub);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f != NULL) {
		fputs("version=1\nnumber=1\nsize=99999999999999999999\n", f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/x.meta.tmp", sub);
	CHECK((f = fopen(path, "w")) != NULL);
	if (f != NULL)
		fclose(f);
	CHECK((d = drop_new(&cfg, NULL, 100)) != NULL);
	CHECK(d != NULL && drop_stats(d)->files == 0 && drop_stats(d)->uploading == 0);
	CHECK(access(path, F_OK) != 0);                         /* the .tmp went */
	snprintf(path, sizeof(path), "%s/00112233445566778899aabbccddeeff.meta", sub);
	CHECK(access(path, F_OK) == 0);                         /* the foreign meta stayed */
	drop_free(d);
	unlink(path);
	rmdir(sub);
	rmdir(dir);
}

/* The reload hooks: new limits at once; another drop-dir only after a restart. */
static void
reload(void)
{
	char dir[] = "/tmp/test_relay_drop.XXXXXX", sub[64], why[128];
	struct drop_config cfg = { .max_file = 1000, .quota_session = 1000,
		.quota_address = 1000, .quota_total = 1000, .max_ttl_s = 100 };
	struct limit_key a = { { 1 } };
	struct server_config sc;
	struct drop_item *it;
	struct drop *d;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(sub, sizeof(sub), "%s/drop", dir);
	cfg.dir = sub;
	if (!CHECK((d = drop_new(&cfg, NULL, 100)) != NULL))
		return;
	memset(&sc, 0, sizeof(sc));
	sc.drop = cfg;
	sc.drop.quota_total = 10;
	CHECK_ERR(drop_reload_check(d, &sc, why, sizeof(why)), 0);
	drop_reload_apply(d, &sc);
	CHECK(drop_create(d, 11111, &a, 11, 1, 1, 10, 100, &it) == DROP_R_QUOTA_TOTAL);
	sc.drop.max_ttl_s = 0;
	CHECK(drop_reload_check(d, &sc, why, sizeof(why)) != 0);
	sc.drop.max_ttl_s = 100;
	sc.drop.quota_total = 1000;
	sc.drop.dir = "/elsewhere";
	CHECK_ERR(drop_reload_check(d, &sc, why, sizeof(why)), 0);
	drop_reload_apply(d, &sc);
	CHECK(strcmp(drop_config(d)->dir, sub) == 0 && drop_config(d)->quota_total == 1000);
	CHECK(drop_create(d, 11111, &a, 11, 1, 1, 10, 100, &it) == 0);
	drop_sweep(d, 1000, 0, true);
	drop_free(d);
	rmdir(sub);
	rmdir(dir);
}

/* Drops are counted per session number and per address, not only in all:
 * one session's many small drops must not take every place
 * (DROP_FILES_MAX) from the relay's other sessions. */
static void
counts(void)
{
	char dir[64], sub[96];
	struct drop_config cfg = { .max_file = 1 << 20, .quota_session = 1 << 30,
		.quota_address = 1 << 30, .quota_total = 1 << 30, .max_ttl_s = 100 };
	struct limit_key a = { { 1 } }, b = { { 2 } };
	struct drop_item *it;
	struct drop *d;
	unsigned n;

	/* a thousand meta files, each synced: in memory where there is some */
	snprintf(dir, sizeof(dir), "/dev/shm/test_relay_drop.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		snprintf(dir, sizeof(dir), "/tmp/test_relay_drop.XXXXXX");
		CHECK(mkdtemp(dir) != NULL);
	}
	snprintf(sub, sizeof(sub), "%s/drop", dir);
	cfg.dir = sub;
	CHECK((d = drop_new(&cfg, NULL, 100)) != NULL);
	if (d == NULL)
		return;
	for (n = 0; n < DROP_FILES_SESSION_MAX; n++)
		if (drop_create(d, 11111, &a, 1, 1, 1, 50, 100, &it) != 0)
			break;
	CHECK(n == DROP_FILES_SESSION_MAX);
	CHECK(drop_create(d, 11111, &a, 1, 1, 1, 50, 100, &it) == DROP_R_QUOTA_SESSION);
	/* another session from the same address, up to the address's count */
	for (n = DROP_FILES_SESSION_MAX; n < DROP_FILES_ADDRESS_MAX; n++)
		if (drop_create(d, 22222 + n / DROP_FILES_SESSION_MAX, &a, 1, 1, 1, 50, 100,
		    &it) != 0)
			break;
	CHECK(n == DROP_FILES_ADDRESS_MAX);
	CHECK(drop_create(d, 99999, &a, 1, 1, 1, 50, 100, &it) == DROP_R_QUOTA_ADDRESS);
	CHECK(drop_create(d, 99999, &b, 1, 1, 1, 50, 100, &it) == 0);
	drop_sweep(d, 150, 0, true);
	CHECK(drop_stats(d)->uploading == 0);
	drop_free(d);
	CHECK(rmdir(sub) == 0);                                 /* nothing left in it */
	CHECK(rmdir(dir) == 0);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	log_set_level(LOG_ERROR);
	randombytes_buf(key, sizeof(key));
	randombytes_buf(other, sizeof(other));
	grants();
	secrets_and_links();
	header();
	store();
	foreign_files();
	reload();
	counts();
	return test_done();
}
