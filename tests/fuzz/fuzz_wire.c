/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_wire.c - relay frames as the relay and the clients parse them,
 * with a REDIRECT's target as link_open checks it before it may become a
 * URL (net/relay_list.c, built in directly with net/net.c).
 */
#include <stdint.h>
#include <string.h>

#include "../../net/net.c"
#include "../../net/relay_list.c"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct buf in, body;
	struct wire_hdr h;
	struct wire_hello hello;
	struct wire_welcome welcome;
	struct wire_error_body err;
	char addr[WIRE_ADDR_TEXT_MAX + 1], hint[MSG_NAME_MAX + 1], to[WIRE_REDIRECT_TEXT_MAX + 1];
	struct relay_entry target;
	uint16_t code;
	uint8_t on, grant[WIRE_DROP_GRANT_MAX];
	size_t grant_len;

	buf_view(&in, d, n);
	/* The first byte picks the limit, as before and after HELLO. */
	while (wire_next(&in, (n & 1) ? WIRE_PREAUTH_MAX_BYTES : 4096, &h, &body) == 0) {
		struct buf b = body;

		switch (h.type) {
		case WIRE_HELLO:
			(void)wire_hello_decode(&b, &hello);
			break;
		case WIRE_WELCOME:
			(void)wire_welcome_decode(&b, &welcome);
			break;
		case WIRE_ERROR:
			(void)wire_error_decode(&b, &err);
			break;
		case WIRE_PEER_JOIN:
			(void)wire_join_decode(&b, addr, hint);
			b = body;
			(void)wire_addr_decode(&b, addr);
			break;
		case WIRE_REDIRECT:
			if (wire_redirect_decode(&b, to) != 0 ||
			    relay_entry_parse(to, strlen(to), &target) != 0)
				break;
			/* Nothing a URL would read as more than a host. */
			if (target.host[0] == '\0' || strpbrk(target.host, "@/?#[] ") != NULL)
				__builtin_trap();
			break;
		case WIRE_PEER_LEAVE:
			(void)wire_code_decode(&b, &code);
			break;
		case WIRE_GRANT:
			if (wire_grant_decode(&b, grant, &grant_len) == 0 &&
			    (grant_len == 0 || grant_len > sizeof(grant)))
				__builtin_trap();
			break;
		case WIRE_FLOW:
			(void)wire_flow_decode(&b, &on);
			break;
		}
	}
	return 0;
}
