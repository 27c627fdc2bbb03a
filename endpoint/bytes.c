/* SPDX-License-Identifier: Apache-2.0 */
/* bytes.c - sizes people type (bytes.h). */
#include <string.h>

#include "bytes.h"
#include "err.h"

int
bytes_parse(const char *s, uint64_t *out)
{
	static const char units[] = "KMGT";
	uint64_t v = 0;
	const char *u;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return ERR_FORMAT;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return ERR_FORMAT;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0' && (u = strchr(units, *s)) != NULL) {
		shift = 10 * (unsigned)(u - units + 1);
		s++;
		if (strcmp(s, "iB") == 0 || strcmp(s, "B") == 0)
			s += strlen(s);
	} else if (strcmp(s, "B") == 0) {
		s++;
	}
	if (*s != '\0' || (shift > 0 && v > UINT64_MAX >> shift))
		return ERR_FORMAT;
	*out = v << shift;
	return 0;
}
