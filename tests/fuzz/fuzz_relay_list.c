/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_relay_list.c - what a client reads of a relay's REDIRECT beyond
 * proto/: the "host:port" that wire_redirect_decode() let through goes to
 * relay_entry_parse() before it may become a URL (net/link.c); and the
 * relay lists a user gives (--relay, the settings' relay key). Built from
 * net/relay_list.c and net/net.c directly.
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
	char to[WIRE_REDIRECT_TEXT_MAX + 1], text[CONFIG_LINE_MAX_BYTES + 1], key[4096],
	    why[256];
	struct relay_entry e;
	struct relay_list l;
	struct wire_hdr h;
	struct buf in, body;

	if (n == 0)
		return 0;
	if (d[0] & 1) {
		/* Frames as a relay sends them before WELCOME. */
		buf_view(&in, d + 1, n - 1);
		while (wire_next(&in, WIRE_PREAUTH_MAX_BYTES, &h, &body) == 0) {
			if (h.type != WIRE_REDIRECT || wire_redirect_decode(&body, to) != 0)
				continue;
			if (relay_entry_parse(to, strlen(to), &e) != 0)
				continue;
			/* What a URL is built from: nothing it would read as more. */
			if (e.host[0] == '\0' || strpbrk(e.host, "@/?#[] ") != NULL ||
			    strlen(e.text) > CLIENT_RELAY_TEXT_MAX)
				__builtin_trap();
		}
		return 0;
	}
	/* A list as the command line or a settings line gives it. */
	if (n - 1 > CONFIG_LINE_MAX_BYTES)
		n = CONFIG_LINE_MAX_BYTES + 1;
	memcpy(text, d + 1, n - 1);
	text[n - 1] = '\0';
	if (relay_list_parse(text, &l, why, sizeof(why)) != 0) {
		if (l.n != 0 || why[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (l.n == 0 || l.n > CLIENT_RELAYS_MAX)
		__builtin_trap();
	for (unsigned i = 0; i < l.n; i++)
		if (relay_list_find(&l, l.e[i].text) != (int)i || l.e[i].host[0] == '\0')
			__builtin_trap();
	relay_list_key(&l, key, sizeof(key));
	if (key[0] == '\0')
		__builtin_trap();
	return 0;
}
