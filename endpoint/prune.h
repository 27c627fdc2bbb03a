/* SPDX-License-Identifier: Apache-2.0 */
/*
 * prune.h - what a folder transfer sent, and the rest of its TOP.part
 * removed before the folder gets its name. TOP.part may hold what an
 * earlier, unfinished transfer of the same name left (kept for its
 * resume), perhaps from another peer, or a file the sender has since
 * deleted: none of that may arrive as if this sender had sent it.
 *
 * The paths are kept as 8-byte SipHash values under a key of this
 * transfer's (at most FILES_ENTRIES_MAX of them, about 1 MiB): the peer cannot
 * know the key, so it cannot pick a path whose value another's matches.
 */
#ifndef ENDPOINT_PRUNE_H
#define ENDPOINT_PRUNE_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

enum { PRUNE_HASH_LEN = crypto_shorthash_BYTES };

struct prune {
	uint8_t (*sent)[PRUNE_HASH_LEN];
	size_t n, cap;
	uint8_t key[crypto_shorthash_KEYBYTES];  /* made at the first path */
};

/* rel (n bytes, inside TOP: "a/b.txt") was sent. 0 or ERR_NOMEM. */
int prune_add(struct prune *p, const char *rel, size_t n);
/* Remove every file and folder below top_fd that was not sent (never
 * following a symlink). 0, or -errno of the first removal that failed. */
int prune_rest(struct prune *p, int top_fd);
void prune_free(struct prune *p);

#endif
