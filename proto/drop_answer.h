/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_answer.h - the relay's answers to the file drop's requests
 * (docs/PROTOCOL.md 5.2): "key=value" lines whose values are hex,
 * base64url or decimal. A hostile relay writes them, so they are read
 * here, apart from the HTTP client (net/drop_client.c), where
 * tests/fuzz/fuzz_droplink.c reaches them.
 */
#ifndef PROTO_DROP_ANSWER_H
#define PROTO_DROP_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/*
 * The value of the index-th line "key=VALUE" in p[0..n) into v (NUL-
 * terminated): 1 to max characters of [0-9A-Za-z_-]. ERR_FORMAT when
 * there is no such line or its value is empty, longer or of other bytes.
 */
int drop_answer_field(const uint8_t *p, size_t n, const char *key, unsigned index, char *v,
    size_t max) WUR;

/* A decimal number of 1 to 19 digits and nothing else: 0, or ERR_FORMAT. */
int drop_answer_number(const char *s, uint64_t *v) WUR;

#endif
