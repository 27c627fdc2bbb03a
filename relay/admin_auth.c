/* SPDX-License-Identifier: Apache-2.0 */
/* admin_auth.c - the checks of a signed admin request (admin_auth.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "admin_auth.h"
#include "admin_sig.h"
#include "limits.h"

/* Unix seconds: 1..19 decimal digits, no sign, no leading zero. */
static bool
seconds(const char *s, int64_t *v)
{
	size_t i, n = strlen(s);

	*v = 0;
	if (n == 0 || n > 18 || s[0] == '0')
		return false;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

static bool
lower_hex(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s);

	return n >= min && n <= max && n % 2 == 0 && strspn(s, "0123456789abcdef") == n;
}

enum admin_verdict
admin_auth_check(const struct admin_keys *keys, struct admin_nonces *ns,
    const struct admin_auth_req *r, enum admin_scope need, int64_t now_s, char *why,
    size_t why_len)
{
	const struct admin_key *k;
	uint8_t mac[ADMIN_SIG_LEN], sig[ADMIN_SIG_LEN];
	int64_t t;
	int rc;

	if (r->key_id == NULL || r->time == NULL || r->nonce == NULL || r->signature == NULL) {
		snprintf(why, why_len, "unsigned request");
		return ADMIN_UNAUTHORIZED;
	}
	if ((k = admin_keys_find(keys, r->key_id, strlen(r->key_id))) == NULL) {
		snprintf(why, why_len, "unknown key");
		return ADMIN_UNAUTHORIZED;
	}
	if (!seconds(r->time, &t) || t < now_s - ADMIN_WINDOW_S || t > now_s + ADMIN_WINDOW_S) {
		snprintf(why, why_len, "time not within %d s of the relay's", ADMIN_WINDOW_S);
		return ADMIN_UNAUTHORIZED;
	}
	/* Its nonce may have been seen by the relay that ran before, which
	 * took its cache with it: sign it again. */
	if (t < admin_nonces_since(ns)) {
		snprintf(why, why_len, "signed before this relay started");
		return ADMIN_UNAUTHORIZED;
	}
	if (!lower_hex(r->nonce, 2 * ADMIN_NONCE_MIN_BYTES, 2 * ADMIN_NONCE_MAX_BYTES)) {
		snprintf(why, why_len, "nonce not %d to %d bytes in lower-case hex",
		    ADMIN_NONCE_MIN_BYTES, ADMIN_NONCE_MAX_BYTES);
		return ADMIN_UNAUTHORIZED;
	}
	if (!lower_hex(r->signature, ADMIN_SIG_HEX_LEN, ADMIN_SIG_HEX_LEN) ||
	    sodium_hex2bin(sig, sizeof(sig), r->signature, ADMIN_SIG_HEX_LEN, NULL, NULL,
	    NULL) != 0 ||
	    admin_sig_mac(k->secret, k->secret_len, r->method, r->target, r->time, r->nonce,
	    r->body, r->body_len, mac) != 0 ||
	    sodium_memcmp(mac, sig, ADMIN_SIG_LEN) != 0) {
		sodium_memzero(mac, sizeof(mac));
		snprintf(why, why_len, "bad signature (key %s)", k->id);
		return ADMIN_UNAUTHORIZED;
	}
	sodium_memzero(mac, sizeof(mac));
	if (need == ADMIN_SCOPE_ACT && k->scope != ADMIN_SCOPE_ACT) {
		snprintf(why, why_len, "key %s has the read scope only", k->id);
		return ADMIN_FORBIDDEN;
	}
	if ((rc = admin_nonces_take(ns, r->nonce, strlen(r->nonce), now_s)) == ERR_AUTH) {
		snprintf(why, why_len, "replayed nonce (key %s)", k->id);
		return ADMIN_UNAUTHORIZED;
	}
	if (rc != 0) {
		snprintf(why, why_len, "too many requests within %d s", 2 * ADMIN_WINDOW_S);
		return ADMIN_BUSY;
	}
	return ADMIN_OK;
}
