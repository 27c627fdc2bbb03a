/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_command.h - the programs' --drop and --fetch, the same in master and
 * viewer (man pages: "FILE DROP"):
 *
 *   --drop PATH   connect to the relay as the program does (the master
 *                 opens a session, the viewer joins SESSION without the
 *                 code), take the upload right of its WELCOME, upload
 *                 PATH encrypted for a link while that connection holds
 *                 the session (a grant is good while its session lives),
 *                 close it, print the link(s) as "drop-link link=\"...\""
 *                 event lines, exit.
 *   --fetch LINK  download, decrypt and verify into the inbox folder,
 *                 "drop-fetched name=\"N\" bytes=B", exit.
 *
 * Failures print "drop-failed reason=\"R\"" (or fetch-failed) and return
 * non-zero.
 */
#ifndef ENDPOINT_DROP_COMMAND_H
#define ENDPOINT_DROP_COMMAND_H

#include <stdbool.h>
#include <stdint.h>

#include "drop_client.h"
#include "transport.h"

struct drop_command {
	const char *relay;              /* --relay or the settings' */
	const struct transport_opts *topts;
	uint8_t role;                   /* WIRE_ROLE_MASTER or _VIEWER */
	uint32_t session;               /* a viewer's SESSION */
	const char *name;               /* HELLO's name */
	struct drop_ask ask;
	int https;                      /* 1 or 0 from --transport; -1: by the port */
	const char *identity_path;      /* "" or NULL: no drop identity */
	const char *token;              /* a master's session-creation token, or NULL */
};

/* links 1, downloads 1 (a one-time link), a day. */
void drop_ask_default(struct drop_ask *a);
/* --drop-links (which 0), --drop-downloads (1), --drop-ttl (2) into *a;
 * 0, or -1 after an error line. */
int drop_ask_option(int which, const char *arg, struct drop_ask *a);

/* The options' lines for --help (translated): the viewer's or the master's. */
const char *drop_usage(bool viewer);

/* 0, or 1 after a line saying why. */
int drop_command_put(const struct drop_command *d, const char *path);
int drop_command_fetch(const struct drop_command *d, const char *link, const char *dir);

#endif
