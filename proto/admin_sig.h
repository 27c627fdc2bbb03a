/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_sig.h - the signature of a relay admin request (docs/relay.md
 * "Admin API and metrics"), made by fernsicht-relayctl and checked by the
 * relay:
 *
 *     hex(HMAC-SHA-256(secret, METHOD "\n" TARGET "\n" TIME "\n" NONCE "\n"
 *                              hex(SHA-256(body))))
 *
 * TARGET is the request target as sent (path, and "?" query if any), TIME
 * the X-Fernsicht-Time header (decimal unix seconds), NONCE the
 * X-Fernsicht-Nonce header (hex), hex lower case. An empty body hashes
 * as SHA-256 of nothing.
 */
#ifndef PROTO_ADMIN_SIG_H
#define PROTO_ADMIN_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum { ADMIN_SIG_LEN = 32, ADMIN_SIG_HEX_LEN = 2 * ADMIN_SIG_LEN };

/* The MAC into mac[ADMIN_SIG_LEN]. ERR_FORMAT when a text field holds a
 * newline (it would make two requests sign alike). */
int admin_sig_mac(const uint8_t *secret, size_t secret_len, const char *method,
    const char *target, const char *time, const char *nonce, const void *body, size_t body_len,
    uint8_t mac[ADMIN_SIG_LEN]) WUR;

#endif
