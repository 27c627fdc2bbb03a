/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_http.c - the relay's HTTP request parser and query reader (the
 * long-poll tunnel's only parser of untrusted bytes besides the frames),
 * built from relay/http.c directly.
 */
#include <stdint.h>
#include <string.h>

#include "../../relay/http.c"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct http_req req;
	char v[64];
	uint64_t u;

	memset(&req, 0, sizeof(req));
	if (http_parse(d, n, &req) == 0) {
		/* What a parsed head promises, the tunnel relies on. */
		if (req.head_len == 0 || req.head_len > n || strlen(req.path) > HTTP_TARGET_MAX ||
		    req.path[0] != '/')
			__builtin_trap();
		if (http_query(req.query, "t", v, sizeof(v)) == 0 && strlen(v) >= sizeof(v))
			__builtin_trap();
		if (http_query(req.query, "off", v, sizeof(v)) == 0)
			(void)http_u64(v, &u);
	}
	return 0;
}
