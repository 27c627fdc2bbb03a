/* SPDX-License-Identifier: Apache-2.0 */
/* admin_sig.c - the admin request signature (admin_sig.h). */
#include <string.h>

#include <sodium.h>

#include "admin_sig.h"

static int
field(crypto_auth_hmacsha256_state *st, const char *s)
{
	if (strchr(s, '\n') != NULL)
		return ERR_FORMAT;
	crypto_auth_hmacsha256_update(st, (const unsigned char *)s, strlen(s));
	crypto_auth_hmacsha256_update(st, (const unsigned char *)"\n", 1);
	return 0;
}

int
admin_sig_mac(const uint8_t *secret, size_t secret_len, const char *method, const char *target,
    const char *time, const char *nonce, const void *body, size_t body_len,
    uint8_t mac[ADMIN_SIG_LEN])
{
	crypto_auth_hmacsha256_state st;
	uint8_t digest[crypto_hash_sha256_BYTES];
	char hex[2 * crypto_hash_sha256_BYTES + 1];
	int r = 0;

	memset(mac, 0, ADMIN_SIG_LEN);
	crypto_hash_sha256(digest, body, body_len);
	sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
	crypto_auth_hmacsha256_init(&st, secret, secret_len);
	if ((r = field(&st, method)) != 0 || (r = field(&st, target)) != 0 ||
	    (r = field(&st, time)) != 0 || (r = field(&st, nonce)) != 0)
		goto out;
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)hex, strlen(hex));
	crypto_auth_hmacsha256_final(&st, mac);
out:
	sodium_memzero(&st, sizeof(st));
	return r;
}
