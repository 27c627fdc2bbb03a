/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory.h - who hands out session numbers: one back-end, chosen by
 * name when the relay starts, behind a small ops table.
 *
 * The relay asks the directory for a free number when a master says
 * HELLO, and retires the number when the session ends; a retired number
 * stays out of use for RELAY_RETIRE_COOLDOWN_S (see numbers.h for why).
 * The back-end decides where that knowledge lives:
 *
 *   local   this process only (numbers.c), saved to <state-dir>/numbers;
 *           the first entry of the table, so the default
 *   redis   shared by every relay of a cluster through one Redis
 *           (directory_redis.c, --cluster; docs/relay.md "Cluster")
 *
 * A back-end is one file, relay/directory_<name>.c, that defines a struct
 * directory_ops and is added to the table in directory.c. It gets the
 * relay's event loop (struct directory_config) to talk to its store
 * without blocking: alloc and retire are called from the loop and must
 * answer at once, from what the back-end holds (numbers it reserved
 * ahead, retirements it sends on its next save).
 *
 * Times are wall-clock seconds passed in by the caller, as in numbers.h.
 */
#ifndef RELAY_DIRECTORY_H
#define RELAY_DIRECTORY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct loop;

struct directory_config {
	const char *state_dir;          /* NULL: nothing is loaded or saved */
	struct loop *loop;              /* for back-ends that do network I/O; may be NULL */
	const char *cluster;            /* redis: redis://HOST[:PORT][/DB] */
	const char *advertise;          /* redis: NAME[:PORT] others reach this relay at;
					 * NULL: the host name */
	uint16_t port;                  /* redis: advertise's port when it names none */
};

/*
 * Who holds number: the holder's advertised NAME:PORT, "" when it is this
 * relay, NULL when no relay holds it or the directory cannot tell now.
 */
typedef void directory_lookup_fn(void *arg, uint32_t number, const char *holder);

/* One back-end. state is what its open returned. */
struct directory_ops {
	const char *name;
	/* Load what is there. NULL: out of memory (or the back-end logged why). */
	void *(*open)(const struct directory_config *cfg, int64_t now_s);
	void (*close)(void *state);
	/* A number that is neither live nor cooling, now live. ERR_LIMIT: none;
	 * ERR_AGAIN: none right now (a shared store is out of reach). */
	int (*alloc)(void *state, int64_t now_s, uint32_t *number);
	/* A live number ends: it cools down from now_s. */
	void (*retire)(void *state, uint32_t number, int64_t now_s);
	size_t (*live_count)(const void *state);
	/* Once per relay tick and at shutdown: write out what changed. */
	int (*save)(void *state, int64_t now_s);
	/* See directory_lookup. */
	int (*lookup)(void *state, uint32_t number, directory_lookup_fn *fn, void *arg);
};

struct directory;

/*
 * Open the back-end called name, or the table's first (local) when name
 * is NULL. NULL when there is no such back-end (logged), or it could not
 * open.
 */
struct directory *directory_new(const char *name, const struct directory_config *cfg,
    int64_t now_s);
void directory_free(struct directory *d);       /* NULL is fine */
const char *directory_name(const struct directory *d);
/*
 * A free number, now live. ERR_LIMIT when every number is live or
 * cooling, ERR_AGAIN when the back-end cannot hand one out now (the
 * client is told to try again: WIRE_E_DIRECTORY).
 */
int directory_alloc(struct directory *d, int64_t now_s, uint32_t *number) WUR;
void directory_retire(struct directory *d, uint32_t number, int64_t now_s);
size_t directory_live_count(const struct directory *d);
/* Write out what changed since the last save (the back-end logs failures). */
int directory_save(struct directory *d, int64_t now_s);
/*
 * Ask who holds number: fn(arg, number, holder) runs once, from the loop,
 * or before this returns when the back-end knows at once (local). 0, or
 * ERR_AGAIN when the back-end cannot ask now (fn does not run). A lookup
 * still out when the directory is freed is never answered.
 */
int directory_lookup(struct directory *d, uint32_t number, directory_lookup_fn *fn,
    void *arg) WUR;

#endif
