/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bytes.h - sizes people type: "500M", "2G", "1048576" (--file-limit and
 * the like). K, M, G, T are powers of 1024, with or without "iB"/"B".
 */
#ifndef ENDPOINT_BYTES_H
#define ENDPOINT_BYTES_H

#include <stdint.h>

/* 0 and *out, or ERR_FORMAT for anything else (no sign, no overflow). */
int bytes_parse(const char *s, uint64_t *out);

#endif
