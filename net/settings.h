/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings.h - the programs' settings files, read the same way by all
 * three: /etc/fernsicht/NAME.conf, and for master and viewer then the
 * user's (main() asks env_config_path() where: $XDG_CONFIG_HOME/fernsicht/
 * NAME.conf or ~/.config/fernsicht/NAME.conf), each key of a later file
 * replacing the earlier one's; the command line wins over both.
 * The format and what is refused: proto/keyvalue.h.
 *
 * Here: reading a file (bounded, regular files only, never blocking on a
 * FIFO), the messages (why[] "file:line: ...", in the reader's language;
 * a bad value is shown escaped, a KEYVALUE_SECRET or _HIDDEN one not at all), the
 * warnings for unknown and repeated keys (logged with file:line), and
 * all-or-nothing: a program's settings change only when every line of a
 * file was good. Each program's config.c keeps its key table and its
 * value checks (struct settings_spec).
 */
#ifndef NET_SETTINGS_H
#define NET_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "keyvalue.h"

#define SETTINGS_SYSTEM_DIR "/etc/fernsicht"

/* Room for a value in a program's settings (a line's value is shorter). */
enum { SETTINGS_VALUE_MAX = CONFIG_LINE_MAX_BYTES + 1 };

struct settings_spec {
	const struct keyvalue_key *keys;
	unsigned n_keys;
	/*
	 * Check value for keys[key] and store it in conf (from: the file,
	 * for a program that says where a value came from). 0, or
	 * ERR_FORMAT with want[] saying what a good value looks like, in
	 * the reader's language.
	 */
	int (*set)(void *conf, unsigned key, const char *value, const char *from, char *want,
	    size_t want_len);
	/* conf is copied whole (into the heap, wiped after): it may hold no
	 * pointers into itself. */
	size_t conf_size;
};

/*
 * The lines of text[0..len) over conf; name stands for the file in
 * messages. On a refused line (ERR_FORMAT, why[] "name:line: ...") conf
 * is left as it was; ERR_NOMEM. *warnings counts the unknown and repeated
 * keys reported, refused file or not.
 */
int settings_parse(const struct settings_spec *s, void *conf, const char *name,
    const char *text, size_t len, unsigned *warnings, char *why, size_t why_len);

/*
 * The file at path over conf, as settings_parse(). A missing file (or
 * directory on its way) is no error: 0 with *found false. Not a regular
 * file, or over CONFIG_FILE_MAX_BYTES: ERR_FORMAT, "path: ..."; exists
 * but cannot be read: ERR_SYSTEM. A file that sets a KEYVALUE_SECRET key
 * and that others may read is logged as a warning.
 */
int settings_load(const struct settings_spec *s, void *conf, const char *path, bool *found,
    unsigned *warnings, char *why, size_t why_len);

/*
 * Values more than one program's table takes. Each is 0 for a good value,
 * else ERR_FORMAT with want[] saying what a good one looks like, in the
 * reader's language. The clients' (settings_client.c, with the
 * transports; the relay links none of these):
 */
/* host or host:port as link_open() takes it, a port of 1..65535 (relay). */
int settings_value_hostport(const char *v, char *want, size_t want_len);
/* One or more relays, "a,b,c" as relay_list_parse() takes them (relay). */
int settings_value_relays(const char *v, char *want, size_t want_len);
/* auto, tcp, tls, proxy or http into *kind (transport). */
int settings_value_transport(const char *v, int *kind, char *want, size_t want_len);
/* Printable ASCII without blanks (proxy). */
int settings_value_url(const char *v, char *want, size_t want_len);
/* USER:PASS, UTF-8 (proxy-user). */
int settings_value_user_pass(const char *v, char *want, size_t want_len);
/* Up to MSG_NAME_MAX bytes of UTF-8 (name). */
int settings_value_name(const char *v, char *want, size_t want_len);
/* session-creation tokens: "fst1." and printable ASCII without
 * blanks, <= WIRE_TOKEN_MAX (token). */
int settings_value_token(const char *v, char *want, size_t want_len);
/* Every program's (settings_value.c): */
/* An absolute path, UTF-8: a file's settings do not depend on where the
 * program was started (ca-file, inbox, state-dir, tls-cert). */
int settings_value_path(const char *v, char *want, size_t want_len);
/* A decimal number in lo..hi, digits only (a command line's too): 0, or ERR_FORMAT. */
int settings_parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out);
/* A decimal number in min..max. */
int settings_value_number(const char *v, unsigned long min, unsigned long max,
    unsigned long *out, char *want, size_t want_len);

#endif
