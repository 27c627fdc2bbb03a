/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_token.c - the session-creation token a master sends in HELLO, as
 * the relay reads it (relay/token.c, built in directly), with two keys
 * known to the verifier. The first input byte picks a mode: the text as
 * it is, or a body base64url-encoded with a valid MAC appended (so that
 * the field readers behind the MAC are reached too).
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "../../relay/token.c"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const uint8_t secret[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
	17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32 };

static int
key(void *arg, const char *key_id, const uint8_t **s, size_t *len)
{
	(void)arg;
	if (strcmp(key_id, "a") != 0 && strcmp(key_id, "k") != 0)
		return ERR_NOT_FOUND;
	*s = secret;
	*len = sizeof(secret);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char text[WIRE_TOKEN_MAX + 64], again[WIRE_TOKEN_MAX + 1];
	uint8_t body[BODY_MAX + TOKEN_MAC_LEN];
	struct token t;
	size_t len;

	if (sodium_init() < 0 || n == 0)
		return 0;
	if (d[0] & 1) {
		len = n - 1 < sizeof(text) - 1 ? n - 1 : sizeof(text) - 1;
		memcpy(text, d + 1, len);
		text[len] = '\0';
	} else {
		len = n - 1 < BODY_MAX - TOKEN_MAC_LEN ? n - 1 : BODY_MAX - TOKEN_MAC_LEN;
		memcpy(body, d + 1, len);
		mac(body, len, secret, sizeof(secret), body + len);
		memcpy(text, TOKEN_PREFIX, PREFIX_LEN);
		sodium_bin2base64(text + PREFIX_LEN, sizeof(text) - PREFIX_LEN, body,
		    len + TOKEN_MAC_LEN, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		len = strlen(text);
	}
	if (token_decode(text, len, key, NULL, &t) != 0)
		return 0;
	/* what decodes re-encodes to the same text */
	if (token_encode(&t, secret, sizeof(secret), again, sizeof(again)) != 0 ||
	    strlen(again) != len || memcmp(again, text, len) != 0 ||
	    strlen(t.name) > TOKEN_NAME_MAX || token_key_id_check(t.key_id) != 0)
		__builtin_trap();
	return 0;
}
