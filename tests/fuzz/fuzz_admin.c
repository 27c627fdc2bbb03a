/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_admin.c - what the relay's admin listener does with a stranger's
 * bytes before any key is proved: the HTTP head, its X-Fernsicht-*
 * headers and every check of admin_auth.c (with a fixed key and a nonce
 * cache that lives across inputs); and the admin-keys-file parser. Built
 * from the relay's files directly.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "../../relay/admin_auth.c"
#include "../../relay/admin_keys.c"
#include "../../relay/admin_nonce.c"
#include "../../relay/http.c"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const char KEYS[] =
    "ops act 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
    "mon read 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n";

static struct admin_keys keys;
static struct admin_nonces *nonces;

static void
request(const uint8_t *d, size_t n)
{
	char key[160], tm[160], nonce[160], sig[160], why[256];
	struct admin_auth_req r;
	struct http_req req;

	if (http_parse(d, n, &req) != 0)
		return;
	memset(&r, 0, sizeof(r));
	r.method = req.method == HTTP_GET ? "GET" : "POST";
	r.target = req.path;
	r.key_id = http_header(d, req.head_len, "X-Fernsicht-Key", key, sizeof(key)) == 0 ?
	    key : NULL;
	r.time = http_header(d, req.head_len, "X-Fernsicht-Time", tm, sizeof(tm)) == 0 ?
	    tm : NULL;
	r.nonce = http_header(d, req.head_len, "X-Fernsicht-Nonce", nonce, sizeof(nonce)) == 0 ?
	    nonce : NULL;
	r.signature = http_header(d, req.head_len, "X-Fernsicht-Signature", sig, sizeof(sig)) ==
	    0 ? sig : NULL;
	if ((r.key_id != NULL && strlen(r.key_id) >= sizeof(key)) ||
	    (r.signature != NULL && strlen(r.signature) >= sizeof(sig)))
		__builtin_trap();
	r.body = d + req.head_len;
	r.body_len = n - req.head_len;
	(void)admin_auth_check(&keys, nonces, &r, req.method == HTTP_GET ? ADMIN_SCOPE_READ :
	    ADMIN_SCOPE_ACT, 1700000000, why, sizeof(why));
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct admin_keys k;
	char why[256];

	if (nonces == NULL) {
		if (sodium_init() < 0 || (nonces = admin_nonces_new(0)) == NULL ||
		    admin_keys_parse(&keys, "keys", KEYS, strlen(KEYS), why, sizeof(why)) != 0)
			__builtin_trap();
	}
	if (n == 0)
		return 0;
	if (d[0] == 'K') {
		if (admin_keys_parse(&k, "fuzz", (const char *)d + 1, n - 1, why,
		    sizeof(why)) == 0 && (k.n == 0 || k.n > ADMIN_KEYS_MAX))
			__builtin_trap();
		return 0;
	}
	request(d, n);
	return 0;
}
