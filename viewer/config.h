/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - the viewer's settings files: ~/.config/fernsicht/viewer.conf
 * (or under $XDG_CONFIG_HOME) and /etc/fernsicht/viewer.conf. main() finds
 * the paths (net/env.c) and reads the system file first, then the user's,
 * each key of a later file replacing the earlier one's; the command line
 * wins over both.
 *
 * The format and what refuses a file: proto/keyvalue.h; reading and
 * messages: net/settings.h. Keys: relay (host[:port], port 1..65535, or
 * several of them separated by commas: net/relay_list.h),
 * transport (auto, tcp, tls, proxy, http), proxy (URL), proxy-user
 * (USER:PASS), ca-file (an absolute path), name (the name the host sees,
 * up to MSG_NAME_MAX bytes of UTF-8), the command line's options of the
 * same names. An unknown key or a key given twice is a warning (logged
 * with file:line); a bad line refuses the whole file, with file:line in
 * why[].
 */
#ifndef VIEWER_CONFIG_H
#define VIEWER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "limits.h"
#include "settings.h"

#define VCONFIG_SYSTEM SETTINGS_SYSTEM_DIR "/viewer.conf"

enum { VCONFIG_FROM_MAX = 256 };

struct vconfig {
	/* Empty strings and transport -1: not set by any file. */
	char relay[CONFIG_LINE_MAX_BYTES + 1];
	int transport;                  /* enum transport_kind, as --transport */
	char proxy[CONFIG_LINE_MAX_BYTES + 1];
	char proxy_user[CONFIG_LINE_MAX_BYTES + 1];
	char ca_file[CONFIG_LINE_MAX_BYTES + 1];
	char name[MSG_NAME_MAX + 1];
	char relay_from[VCONFIG_FROM_MAX];      /* the file that set relay (shortened) */
	unsigned warnings;              /* unknown or repeated keys, each logged */
};

/* Nothing set. */
void vconfig_init(struct vconfig *c);

/*
 * Read the file at path over c: the keys it sets replace c's. A missing
 * file is no error (0, *found false). ERR_FORMAT with why[] "path:line:
 * ..." for a bad line, or "path: ..." for a file that is not a regular
 * file or is over CONFIG_FILE_MAX_BYTES; ERR_SYSTEM when it exists but
 * cannot be read. On any error c is left as it was.
 */
int vconfig_load(struct vconfig *c, const char *path, bool *found, char *why,
    size_t why_len);

/* The same over len bytes in memory; name stands for the file in
 * messages. */
int vconfig_parse(struct vconfig *c, const char *name, const char *text, size_t len,
    char *why, size_t why_len);

#endif
