/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sniff.h - which transport a connection speaks, from its first bytes
 * (docs/PROTOCOL.md section 5): 0x16 0x03 is a TLS ClientHello, "GET " or
 * "POST " is HTTP, anything else is raw relay frames (whose first byte, the
 * top of a u32 length, is 0 for any frame the relay would accept).
 */
#ifndef RELAY_SNIFF_H
#define RELAY_SNIFF_H

#include <stddef.h>
#include <stdint.h>

enum sniff_kind {
	SNIFF_MORE,     /* a prefix of a TLS or HTTP start: wait for more bytes */
	SNIFF_RAW,
	SNIFF_TLS,
	SNIFF_HTTP,
};

enum { SNIFF_BYTES = 5 };       /* never more is needed to decide */

enum sniff_kind sniff(const uint8_t *p, size_t n);

#endif
