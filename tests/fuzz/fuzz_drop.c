/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_drop.c - what the file drop parses from peers: the query values
 * and headers of its requests (relay/http.c) and its credentials
 * (relay/drop_token.c: grants, put and get secrets, links), built from
 * the sources directly. The first input byte picks the parser; a
 * credential must never verify unless it was made with the key.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "../../relay/drop_token.c"
#include "../../relay/http.c"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

static const uint8_t key[DROP_KEY_BYTES] = { 1, 2, 3 };

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char text[512], v[DROP_LINK_TEXT_MAX + 1];
	uint8_t id[DROP_ID_BYTES] = { 0 }, got[DROP_ID_BYTES], index;
	struct http_req req;
	struct drop_grant_of number;
	uint64_t u;

	if (n < 1 || n - 1 >= sizeof(text))
		return 0;
	if (sodium_init() < 0)
		__builtin_trap();
	memcpy(text, d + 1, n - 1);
	text[n - 1] = '\0';
	switch (d[0] % 4) {
	case 0:         /* a head, then every lookup the drop makes */
		if (http_parse(d + 1, n - 1, &req) != 0)
			break;
		(void)http_header(d + 1, req.head_len, "X-Fernsicht-Grant", v, sizeof(v));
		if (strlen(v) >= sizeof(v))
			__builtin_trap();
		(void)http_header(d + 1, req.head_len, "X-Fernsicht-Put", v, 8);
		if (http_query(req.query, "size", v, 24) == 0)
			(void)http_u64(v, &u);
		if (http_query(req.query, "t", v, sizeof(v)) == 0 &&
		    drop_link_check(key, v, 0, got, &index) == 0)
			__builtin_trap();
		break;
	case 1:
		if (drop_grant_check(key, text, 0, &number) == 0)
			__builtin_trap();
		break;
	case 2:
		if (drop_link_check(key, text, 0, got, &index) == 0 ||
		    drop_put_check(key, id, text) == 0)
			__builtin_trap();
		break;
	default:
		if (drop_get_check(key, id, text, 0) == 0)
			__builtin_trap();
		break;
	}
	return 0;
}
