/* SPDX-License-Identifier: Apache-2.0 */
/*
 * example.h - the shipped example settings files (packaging/NAME.conf), for
 * the tests of the programs that read them: the file as shipped (every
 * key commented out) and with every key's line uncommented. Unit tests
 * run from the top of the tree (tests/check.sh).
 */
#ifndef TEST_EXAMPLE_H
#define TEST_EXAMPLE_H

#include <stdio.h>
#include <string.h>

enum { EXAMPLE_MAX_BYTES = 8192 };

/*
 * packaging/name into shipped[] and, with "#key = value" lines turned
 * into "key = value", into keys[]. Their lengths, or 0 when the file
 * cannot be read or is too big.
 */
static size_t
example_read(const char *name, char *shipped, char *keys)
{
	char path[128], line[512];
	size_t n = 0, k = 0;
	FILE *f;

	snprintf(path, sizeof(path), "packaging/%s", name);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL) {
		size_t len = strlen(line);
		const char *from = line;

		if (n + len >= EXAMPLE_MAX_BYTES) {
			fclose(f);
			return 0;
		}
		memcpy(shipped + n, line, len);
		n += len;
		/* "#key = value": a commented-out key, not prose. */
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' &&
		    strstr(line, " = ") != NULL)
			from = line + 1;
		memcpy(keys + k, from, strlen(from));
		k += strlen(from);
	}
	fclose(f);
	shipped[n] = '\0';
	keys[k] = '\0';
	return n;
}

#endif
