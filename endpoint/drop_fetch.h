/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_fetch.h - a drop link into a file: claim one download of the link
 * at its relay, fetch the blob part by part, open it with the link's #KEY
 * or (without one) with the drop identity, and write the file into a
 * folder like a received file: as "NAME.drop.part" while it arrives, then
 * renamed to NAME, or "NAME (1)" ... when that is taken; never over
 * anything. A blob that does not authenticate to its last byte leaves no
 * file behind.
 */
#ifndef ENDPOINT_DROP_FETCH_H
#define ENDPOINT_DROP_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drop_identity.h"
#include "limits.h"
#include "transport.h"

struct drop_fetch {
	const struct transport_opts *topts;
	int https;                      /* 1, 0, or -1: https for port 443 (or none), else http */
	const struct drop_identity *identity; /* NULL: links with #KEY only */
	const char *dir;                /* where the file goes (made when missing) */
};

struct drop_fetched {
	char name[FILES_COMPONENT_MAX + 1];     /* the name it got in dir */
	uint64_t bytes;
};

int drop_fetch_link(const struct drop_fetch *f, const char *link, struct drop_fetched *out,
    char *why, size_t why_len) WUR;

/*
 * drop_fetch_link in a thread of its own, for a window that must not wait
 * for it. The window polls drop_fetch_async_done once per turn and calls
 * drop_fetch_async_finish once it says true (or at the end, to wait).
 */
struct drop_fetch_async;

/* Start fetching link as f says. f (its dir at most 1023 bytes, its
 * identity) and link (at most DROP_LINK_MAX_BYTES) are copied: the caller
 * may wipe its identity at once. 0 with *out, or ERR_NOMEM, or ERR_SYSTEM
 * when no thread starts; then *out is NULL. */
int drop_fetch_async_start(const struct drop_fetch *f, const char *link,
    struct drop_fetch_async **out) WUR;
/* Whether the fetch has ended (then finish does not wait). */
bool drop_fetch_async_done(struct drop_fetch_async *a);
/* The folder the file goes into, as copied by start; valid until finish. */
const char *drop_fetch_async_dir(const struct drop_fetch_async *a);
/* Wait for the fetch, then free a, wiping the identity and link copied.
 * What drop_fetch_link returned: 0 with *got, or an error with why[]. */
int drop_fetch_async_finish(struct drop_fetch_async *a, struct drop_fetched *got, char *why,
    size_t why_len);

#endif
