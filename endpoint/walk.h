/* SPDX-License-Identifier: Apache-2.0 */
/*
 * walk.h - what a transfer sends: a file, or a folder walked into a list of
 * entries in the order they go out (a folder before what it holds, names
 * sorted by their bytes). Symlinks, devices, fifos, sockets and names the
 * receiver would refuse (relpath.h) are left out and listed as skipped.
 */
#ifndef ENDPOINT_WALK_H
#define ENDPOINT_WALK_H

#include <stddef.h>
#include <stdint.h>

struct walk_entry {
	char *path;             /* relative, begins with the top item's name */
	uint64_t size;          /* 0 for a folder */
	uint8_t kind;           /* MSG_FILE_REGULAR or MSG_FILE_FOLDER */
};

struct walk_skip {
	char *path;             /* relative, as above; not always UTF-8 */
	const char *why;
};

struct walk {
	char *base;             /* the folder that holds the top item */
	struct walk_entry *e;
	uint32_t n, cap;
	uint64_t bytes;         /* the sum of the files' sizes */
	uint32_t files;         /* regular files among the entries */
	struct walk_skip *skip;
	uint32_t n_skip, cap_skip;
};

/* Walk path into w (zeroed first). Non-zero: nothing can be sent, *why
 * (why_len bytes) says why; w is empty then. */
int walk_path(const char *path, struct walk *w, char *why, size_t why_len);
/* Open entry i of w for reading (O_NOFOLLOW): a file descriptor or -1 (errno). */
int walk_open(const struct walk *w, uint32_t i);
void walk_free(struct walk *w);

#endif
