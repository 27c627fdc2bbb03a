/* SPDX-License-Identifier: Apache-2.0 */
/*
 * request.h - one signed request to a relay's admin listener through
 * libcurl (docs/relay.md "Admin API and metrics"; the signature: admin_sig.h).
 */
#ifndef RELAYCTL_REQUEST_H
#define RELAYCTL_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct relayctl_key {
	char id[ADMIN_KEY_ID_MAX + 1];
	uint8_t secret[ADMIN_SECRET_MAX_BYTES];
	size_t secret_len;
};

struct relayctl_target {
	const char *url;                /* http(s)://HOST:PORT, without a path */
	const struct relayctl_key *key; /* NULL: unsigned */
	const char *cacert, *cert, *cert_key;   /* NULL: libcurl's defaults, none */
};

/* The answer: its status and its body (NUL-terminated), or status 0 and
 * why[] when no answer came. */
struct relayctl_answer {
	long status;
	char body[ADMIN_ANSWER_MAX_BYTES + 1];
	size_t len;
};

/*
 * Send method ("GET", "POST") path with body (may be NULL for none).
 * 0 when an answer came (whatever its status), else -1 with why[].
 */
int relayctl_request(const struct relayctl_target *t, const char *method, const char *path,
    const char *body, struct relayctl_answer *ans, char *why, size_t why_len);
/* The key file: one line "KEYID SECRET-HEX", not readable by group or others. */
int relayctl_key_load(const char *path, struct relayctl_key *key, char *why, size_t why_len);

#endif
