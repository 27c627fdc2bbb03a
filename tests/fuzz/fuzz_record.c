/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_record.c - a received DATA frame through the record layer with a
 * fixed key: no input without the key may ever authenticate.
 */
#include <stdint.h>

#include "msg.h"
#include "sec.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static const uint8_t key[SEC_KEY_LEN] = { 1, 2, 3 };
	static uint8_t out[WIRE_BODY_DEFAULT_BYTES];
	struct sec_policy pol;
	struct sec_rx rx;
	struct wire_hdr h;
	struct buf in, body;
	size_t len;

	if (n < 1)
		return 0;
	sec_policy_default(&pol);
	sec_rx_init(&rx, (d[0] & 1) ? MSG_SUITE_XCHACHA20 : MSG_SUITE_AES256GCM, key, &pol, 0);
	buf_view(&in, d + 1, n - 1);
	while (wire_next(&in, WIRE_BODY_DEFAULT_BYTES, &h, &body) == 0)
		if (sec_open(&rx, &h, &body, out, sizeof(out), &len, 0) == 0)
			__builtin_trap();       /* a forgery */
	return 0;
}
