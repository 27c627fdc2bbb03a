/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_grant RELAY [HOLD] - what a client's link (net/link.c) keeps of WELCOME's
 * file-drop grant: connects as a master, then as a viewer of that
 * master's number, through link_open as the programs do, and prints
 *   session=N
 *   master_grant=HEX
 *   viewer_grant=HEX
 * ("" for no grant). With HOLD, the master stays connected HOLD seconds
 * more (its session, and so its grant, stays live). Exit 1 when a
 * connection fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <sodium.h>

#include "link.h"

static void
print_grant(const char *who, const struct link *l)
{
	char hex[2 * WIRE_DROP_GRANT_MAX + 1];

	sodium_bin2hex(hex, sizeof(hex), l->drop_grant, l->drop_grant_len);
	printf("%s_grant=%s\n", who, hex);
}

int
main(int argc, char **argv)
{
	struct link m, v;

	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: drop_grant RELAY [HOLD]\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	link_init(&m);
	link_init(&v);
	if (link_open(&m, argv[1], WIRE_ROLE_MASTER, 0, "drop_grant", 10000) != 0) {
		fprintf(stderr, "drop_grant: master: %s\n", m.why);
		return 1;
	}
	printf("session=%u\n", m.welcome.session);
	print_grant("master", &m);
	if (link_open(&v, argv[1], WIRE_ROLE_VIEWER, m.welcome.session, "drop_grant", 10000) != 0) {
		fprintf(stderr, "drop_grant: viewer: %s\n", v.why);
		return 1;
	}
	print_grant("viewer", &v);
	fflush(stdout);
	link_close(&v);
	if (argc == 3)
		sleep((unsigned)strtoul(argv[2], NULL, 10));
	link_close(&m);
	return 0;
}
