/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - the master's settings files: /etc/fernsicht/master.conf, then
 * ~/.config/fernsicht/master.conf (or under $XDG_CONFIG_HOME), each key of
 * the later file replacing the earlier one's; the command line wins over
 * both. What a company sets once, so that `fernsicht-master` alone starts
 * a session: relay, transport, proxy, proxy-user, ca-file, name, inbox,
 * file-limit, files-total-limit, max-kbps, the command line's options of
 * the same names. Nothing that lets a viewer in without the host's word
 * (--auto-accept) is taken from a file. And what only a file holds: the
 * relay's session token (token, or token-file: its first line), never on
 * the command line, where ps would show it.
 *
 * The format and what refuses a file: proto/keyvalue.h; reading and
 * messages: net/settings.h.
 */
#ifndef MASTER_CONFIG_H
#define MASTER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "settings.h"

#define MCONFIG_SYSTEM SETTINGS_SYSTEM_DIR "/master.conf"

struct master_opts;
struct transport_opts;

struct mconfig {
	/* Empty strings, transport -1 and limits 0: not set by any file. */
	char relay[SETTINGS_VALUE_MAX];
	int transport;                  /* enum transport_kind, as --transport */
	char proxy[SETTINGS_VALUE_MAX];
	char proxy_user[SETTINGS_VALUE_MAX];
	char ca_file[SETTINGS_VALUE_MAX];
	char name[MSG_NAME_MAX + 1];
	char inbox[SETTINGS_VALUE_MAX];
	uint64_t file_max_bytes, files_total_max_bytes;
	unsigned max_kbps;
	/* session-creation tokens: token wins over token-file */
	char token[WIRE_TOKEN_MAX + 1];
	char token_file[SETTINGS_VALUE_MAX];
	unsigned warnings;              /* unknown or repeated keys, each logged */
	char why[512];                  /* a refused file: "file:line: ..." */
};

/* Nothing set. */
void mconfig_init(struct mconfig *c);

/* The lines of one file (settings_parse): on a refused line c is left as
 * it was, why[] "name:line: ...". */
int mconfig_parse(struct mconfig *c, const char *name, const char *text, size_t len,
    char *why, size_t why_len);

/* One file over c (settings_load): a missing file is no error. */
int mconfig_load(struct mconfig *c, const char *path, bool *found, char *why,
    size_t why_len);

/*
 * MCONFIG_SYSTEM, then user (env_config_path()'s; "": none) into c, then
 * what the command line left unset in o and t (transport: unless
 * transport_given) taken from them; o and t then point into c. -1 to go
 * on; 1 (the usage exit code) after a refused file, printed with its file
 * and line.
 */
int mconfig_use(struct mconfig *c, const char *user, struct master_opts *o,
    struct transport_opts *t, bool transport_given);

#endif
