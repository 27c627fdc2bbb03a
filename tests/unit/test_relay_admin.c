/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_admin - the admin API's keys file, request signature (against
 * vectors computed with Python's hmac), the checks in order, the nonce
 * cache's bounds, and the header lookup they rely on. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "admin_auth.h"
#include "admin_keys.h"
#include "admin_nonce.h"
#include "admin_sig.h"
#include "http.h"
#include "test.h"

static const char SECRET_HEX[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char NONCE[] = "00112233445566778899aabbccddeeff";

static int
parse_keys(struct admin_keys *k, const char *text, char *why, size_t why_len)
{
	return admin_keys_parse(k, "keys", text, strlen(text), why, why_len);
}

static void
test_keys(void)
{
	struct admin_keys k;
	char text[1024], why[256];

	snprintf(text, sizeof(text), "# rotation\n\nops act %s\n  mon\tread %s  \r\n", SECRET_HEX,
	    SECRET_HEX);
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), 0);
	CHECK(k.n == 2);
	CHECK(admin_keys_find(&k, "ops", 3) != NULL && admin_keys_find(&k, "ops", 3)->scope ==
	    ADMIN_SCOPE_ACT);
	CHECK(admin_keys_find(&k, "mon", 3) != NULL && admin_keys_find(&k, "mon", 3)->scope ==
	    ADMIN_SCOPE_READ);
	CHECK(admin_keys_find(&k, "mo", 2) == NULL);
	CHECK(admin_keys_find(&k, "ops", 3)->secret_len == 32);

	/* each refusal names the line, never the secret */
	snprintf(text, sizeof(text), "ops act %s\nops read %s\n", SECRET_HEX, SECRET_HEX);
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), ERR_FORMAT);
	CHECK(strstr(why, "keys:2:") != NULL && strstr(why, SECRET_HEX) == NULL);
	CHECK(k.n == 0);
	snprintf(text, sizeof(text), "ops write %s\n", SECRET_HEX);
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), ERR_FORMAT);
	CHECK(strstr(why, "keys:1:") != NULL);
	CHECK_ERR(parse_keys(&k, "ops act 00112233\n", why, sizeof(why)), ERR_FORMAT);
	snprintf(text, sizeof(text), "ops act %.63s\n", SECRET_HEX);    /* odd length */
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), ERR_FORMAT);
	snprintf(text, sizeof(text), "ops act %.62sxx\n", SECRET_HEX);  /* not hex */
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), ERR_FORMAT);
	snprintf(text, sizeof(text), "o/s act %s\n", SECRET_HEX);
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), ERR_FORMAT);
	snprintf(text, sizeof(text), "ops act %s extra\n", SECRET_HEX);
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), ERR_FORMAT);
	CHECK_ERR(parse_keys(&k, "# nothing\n\n", why, sizeof(why)), ERR_FORMAT);
	CHECK_ERR(admin_keys_parse(&k, "keys", "ops\0act", 7, why, sizeof(why)), ERR_FORMAT);
}

static void
test_sig_vectors(void)
{
	uint8_t secret[32], mac[ADMIN_SIG_LEN];
	char hex[ADMIN_SIG_HEX_LEN + 1];

	for (int i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	CHECK_ERR(admin_sig_mac(secret, 32, "POST", "/v1/admin/drain", "1700000000", NONCE, "",
	    0, mac), 0);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	CHECK(strcmp(hex, "9800fd3a9d4e14ce889c62666d4c1cd5534c6cc6202e813c3ee6f32cc0a5479f") == 0);
	CHECK_ERR(admin_sig_mac(secret, 32, "GET", "/v1/admin/sessions", "1700000000", NONCE,
	    "{\"a\":1}", 7, mac), 0);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	CHECK(strcmp(hex, "d629134601c9dd678065c3f0a824f61404b65d4784a9ab309045f93f402aff89") == 0);
	/* a newline in a field would let two requests sign alike */
	CHECK_ERR(admin_sig_mac(secret, 32, "GET", "/a\n/b", "1700000000", NONCE, "", 0, mac),
	    ERR_FORMAT);
}

/* A request signed with the test secret at time t. */
static void
signed_req(struct admin_auth_req *r, const char *method, const char *target, const char *key,
    char *tm, int64_t t, const char *nonce, char *sig)
{
	uint8_t secret[32], mac[ADMIN_SIG_LEN];

	for (int i = 0; i < 32; i++)
		secret[i] = (uint8_t)i;
	snprintf(tm, 24, "%lld", (long long)t);
	memset(r, 0, sizeof(*r));
	r->method = method;
	r->target = target;
	r->key_id = key;
	r->time = tm;
	r->nonce = nonce;
	r->body = "";
	if (admin_sig_mac(secret, 32, method, target, tm, nonce, "", 0, mac) != 0)
		TEST_BAIL("signing failed");
	sodium_bin2hex(sig, ADMIN_SIG_HEX_LEN + 1, mac, sizeof(mac));
	r->signature = sig;
}

static void
test_checks(void)
{
	struct admin_keys k;
	struct admin_nonces *ns = admin_nonces_new(1700000000 - 100);
	struct admin_auth_req r;
	char text[512], why[256], tm[24], sig[ADMIN_SIG_HEX_LEN + 1];
	const int64_t now = 1700000000;

	snprintf(text, sizeof(text), "ops act %s\nmon read %s\n", SECRET_HEX, SECRET_HEX);
	CHECK_ERR(parse_keys(&k, text, why, sizeof(why)), 0);
	CHECK(ns != NULL);

	signed_req(&r, "GET", "/v1/admin/sessions", "mon", tm, now, NONCE, sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) == ADMIN_OK);
	/* the same again: replayed */
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	CHECK(strstr(why, "replayed") != NULL);

	/* read scope, POST: 403, and the nonce is not used up by it */
	signed_req(&r, "POST", "/v1/admin/drain", "mon", tm, now,
	    "aa112233445566778899aabbccddeeff", sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_ACT, now, why, sizeof(why)) ==
	    ADMIN_FORBIDDEN);
	signed_req(&r, "POST", "/v1/admin/drain", "ops", tm, now,
	    "bb112233445566778899aabbccddeeff", sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_ACT, now, why, sizeof(why)) == ADMIN_OK);

	/* the window: 60 s either way, not 61 */
	signed_req(&r, "GET", "/metrics", "mon", tm, now - 60, "cc112233445566778899aabbccddeeff",
	    sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) == ADMIN_OK);
	signed_req(&r, "GET", "/metrics", "mon", tm, now + 61, "dd112233445566778899aabbccddeeff",
	    sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	CHECK(strstr(why, "time") != NULL);
	signed_req(&r, "GET", "/metrics", "mon", tm, now - 61, "dd112233445566778899aabbccddeeff",
	    sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);

	/* the signature covers method, target and body */
	signed_req(&r, "GET", "/metrics", "mon", tm, now, "ee112233445566778899aabbccddeeff", sig);
	r.target = "/healthz";
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	CHECK(strstr(why, "bad signature") != NULL);
	r.target = "/metrics";
	r.body = "x";
	r.body_len = 1;
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	r.body = "";
	r.body_len = 0;
	sig[0] = sig[0] == '0' ? '1' : '0';
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	sig[0] = 'A';   /* upper-case hex is not ours */
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	/* a bad signature did not use up the nonce */
	signed_req(&r, "GET", "/metrics", "mon", tm, now, "ee112233445566778899aabbccddeeff", sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) == ADMIN_OK);

	/* unknown key, missing header, short or odd nonce, a time with a sign */
	signed_req(&r, "GET", "/metrics", "old", tm, now, "ff112233445566778899aabbccddeeff", sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	CHECK(strstr(why, "unknown key") != NULL);
	signed_req(&r, "GET", "/metrics", "mon", tm, now, "ff112233445566778899aabbccddeeff", sig);
	r.signature = NULL;
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	CHECK(strstr(why, "unsigned") != NULL);
	signed_req(&r, "GET", "/metrics", "mon", tm, now, "00112233445566778899aabbccddee", sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	signed_req(&r, "GET", "/metrics", "mon", tm, now, "ff112233445566778899aabbccddeeff", sig);
	r.time = "+1700000000";
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	admin_nonces_free(ns);

	/* A relay that started 10 s ago knows no nonce from before: a
	 * request signed then (its time still in the window) could have
	 * passed the relay that ran before, so it is refused; one signed
	 * in the start's second passes. */
	ns = admin_nonces_new(now - 10);
	signed_req(&r, "GET", "/metrics", "mon", tm, now - 11, "1a112233445566778899aabbccddeeff",
	    sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) ==
	    ADMIN_UNAUTHORIZED);
	CHECK(strstr(why, "before this relay started") != NULL);
	signed_req(&r, "GET", "/metrics", "mon", tm, now - 10, "1b112233445566778899aabbccddeeff",
	    sig);
	CHECK(admin_auth_check(&k, ns, &r, ADMIN_SCOPE_READ, now, why, sizeof(why)) == ADMIN_OK);
	admin_nonces_free(ns);
	admin_keys_wipe(&k);
}

static void
test_nonces(void)
{
	struct admin_nonces *ns = admin_nonces_new(0);
	uint32_t i, x;
	int64_t t = 1000;
	int rc = 0;

	CHECK(ns != NULL);
	for (i = 0; i < ADMIN_NONCES_MAX && rc == 0; i++)
		rc = admin_nonces_take(ns, &i, sizeof(i), t + (i * 2 * ADMIN_WINDOW_S) /
		    ADMIN_NONCES_MAX);
	CHECK_ERR(rc, 0);
	CHECK(admin_nonces_count(ns) == ADMIN_NONCES_MAX);
	/* full of nonces still in their time: refused, none forgotten early */
	x = ADMIN_NONCES_MAX;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 1), ERR_LIMIT);
	x = 0;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 1), ERR_AUTH);
	x = ADMIN_NONCES_MAX - 1;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 2 * ADMIN_WINDOW_S - 1), ERR_AUTH);
	/* a request of time t + window passes until t + 2 * window: kept till then */
	x = 0;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 2 * ADMIN_WINDOW_S), ERR_AUTH);
	x = ADMIN_NONCES_MAX;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 2 * ADMIN_WINDOW_S), ERR_LIMIT);
	/* a second later the first ones leave, and only they */
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 2 * ADMIN_WINDOW_S + 1), 0);
	x = ADMIN_NONCES_MAX - 1;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 2 * ADMIN_WINDOW_S + 1), ERR_AUTH);
	/* long after, all gone; the index is rebuilt and still finds what it holds */
	for (i = 0; i < 3; i++) {
		x = 7 + i;
		CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 10 * ADMIN_WINDOW_S), 0);
	}
	CHECK(admin_nonces_count(ns) == 3);
	x = 8;
	CHECK_ERR(admin_nonces_take(ns, &x, sizeof(x), t + 10 * ADMIN_WINDOW_S), ERR_AUTH);
	admin_nonces_free(ns);
}

static void
test_header(void)
{
	const char *h = "GET /v1/admin/sessions HTTP/1.1\r\nHost: x\r\n"
	    "x-fernsicht-key:  ops \r\nX-Fernsicht-Time: 17\r\nX-Fernsicht-Nonce: a\r\n"
	    "X-Fernsicht-Nonce: b\r\nX-Fernsicht-Empty:\r\n\r\n";
	struct http_req q;
	char v[16];

	CHECK_ERR(http_parse((const uint8_t *)h, strlen(h), &q), 0);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Key", v, sizeof(v)), 0);
	CHECK(strcmp(v, "ops") == 0);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "x-fernsicht-time", v, sizeof(v)), 0);
	CHECK(strcmp(v, "17") == 0);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Nonce", v, sizeof(v)),
	    ERR_FORMAT);                /* twice */
	CHECK(v[0] == '\0');
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Empty", v, sizeof(v)),
	    ERR_FORMAT);
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht", v, sizeof(v)),
	    ERR_FORMAT);                /* a prefix is not the name */
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "X-Fernsicht-Key", v, 3),
	    ERR_FORMAT);                /* does not fit */
	CHECK_ERR(http_header((const uint8_t *)h, q.head_len, "GET /v1", v, sizeof(v)),
	    ERR_FORMAT);                /* the request line is no header */
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	test_keys();
	test_sig_vectors();
	test_checks();
	test_nonces();
	test_header();
	return test_done();
}
