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
 *           (directory_redis.c, directory_redis_ask.c, --cluster;
 *           docs/relay.md "Cluster")
 *
 * A held number has its ticket's hash (ticket.h). When its master's
 * connection is lost without END, the number is held "away" for
 * RELAY_RESUME_GRACE_MS: a master with the ticket resumes it (in a
 * cluster on any relay: ownership moves to that relay), and once the
 * grace is over the directory retires it by itself (on a save).
 *
 * A back-end is one file, relay/directory_<name>.c (a large one splits
 * into directory_<name>_*.c around a private directory_<name>.h), that
 * defines a struct directory_ops and is added to the table in
 * directory.c. It gets the relay's event loop (struct directory_config)
 * to talk to its store without blocking: alloc, retire and away are
 * called from the loop and must answer at once, from what the back-end
 * holds (numbers it reserved ahead, changes it sends on its next save);
 * resume and lookup may answer later, from the loop.
 *
 * Times are wall-clock seconds passed in by the caller, as in numbers.h.
 */
#ifndef RELAY_DIRECTORY_H
#define RELAY_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ticket.h"

struct loop;

struct directory_config {
	const char *state_dir;          /* NULL: nothing is loaded or saved */
	struct loop *loop;              /* for back-ends that do network I/O; may be NULL */
	const char *cluster;            /* redis: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] */
	const char *cluster_password;   /* redis: the password, when cluster has none; or NULL */
	const char *advertise;          /* redis: NAME[:PORT] others reach this relay at;
					 * NULL: the host name */
	uint16_t port;                  /* redis: advertise's port when it names none */
};

/* Where a number is, as far as the directory can tell. */
enum directory_where {
	DIRECTORY_NOBODY,               /* no relay holds it */
	DIRECTORY_HERE,                 /* this relay holds it live */
	DIRECTORY_AWAY,                 /* held away: its master may come back soon
					 * (here, or its relay is gone) */
	DIRECTORY_ELSEWHERE,            /* another relay holds it: holder names it */
	DIRECTORY_UNKNOWN,              /* cannot tell now (a shared store out of reach) */
};

/* A lookup's answer; holder is NAME:PORT for DIRECTORY_ELSEWHERE, else NULL. */
typedef void directory_lookup_fn(void *arg, uint32_t number, enum directory_where where,
    const char *holder);
/*
 * A resume's answer: 0, the number is live here now; ERR_AUTH when no
 * relay holds it with that ticket (never held, retired, the grace is
 * over, a wrong ticket); ERR_LIMIT when another relay resumed it a moment
 * ago (RELAY_RESUME_LOCK_MS: try again after it); ERR_AGAIN when the
 * directory cannot tell now.
 */
typedef void directory_resume_fn(void *arg, uint32_t number, int result);
/* A number this relay held went to another relay (its master resumed
 * there): forgotten here, without retiring it. */
typedef void directory_moved_fn(void *arg, uint32_t number);

/* One back-end. state is what its open returned. */
struct directory_ops {
	const char *name;
	/* Load what is there. NULL: out of memory (or the back-end logged why). */
	void *(*open)(const struct directory_config *cfg, int64_t now_s);
	void (*close)(void *state);
	/* A number that is neither held nor cooling, now live with that
	 * ticket hash. ERR_LIMIT: none; ERR_AGAIN: none right now (a shared
	 * store is out of reach). */
	int (*alloc)(void *state, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN],
	    uint32_t *number);
	/* A held number ends: it cools down from now_s. */
	void (*retire)(void *state, uint32_t number, int64_t now_s);
	/* A live number's master is gone: held away until the grace is over. */
	void (*away)(void *state, uint32_t number, int64_t now_s);
	/* See directory_resume. */
	void (*resume)(void *state, uint32_t number, const uint8_t hash[TICKET_HASH_LEN],
	    int64_t now_s, directory_resume_fn *fn, void *arg);
	/* Live and away numbers held here. */
	size_t (*held_count)(const void *state);
	/* Once per relay tick and at shutdown: retire what the grace passed,
	 * write out what changed. */
	int (*save)(void *state, int64_t now_s);
	/* See directory_here. */
	enum directory_where (*here)(void *state, uint32_t number);
	/* See directory_lookup. */
	void (*lookup)(void *state, uint32_t number, directory_lookup_fn *fn, void *arg);
	/* Optional: the relay drains (directory_drain). */
	void (*drain)(void *state);
	/* Optional: see directory_elsewhere. */
	const char *(*elsewhere)(void *state);
	/* Optional: who hears of numbers that moved (only a cluster's move). */
	void (*on_moved)(void *state, directory_moved_fn *fn, void *arg);
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
 * A free number, now live, its ticket's hash kept. ERR_LIMIT when every
 * number is held or cooling, ERR_AGAIN when the back-end cannot hand one
 * out now (the client is told to try again: WIRE_E_DIRECTORY).
 */
int directory_alloc(struct directory *d, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN],
    uint32_t *number) WUR;
/* A held number ends (END, or nobody resumed it): cooling, its ticket dead. */
void directory_retire(struct directory *d, uint32_t number, int64_t now_s);
/* A live number's master is gone without END: away for RELAY_RESUME_GRACE_MS. */
void directory_away(struct directory *d, uint32_t number, int64_t now_s);
/*
 * A master asks for number back with its ticket's hash: fn(arg, number,
 * result) runs exactly once, before this returns or later from the loop
 * (never when the directory is freed first). On 0 the number is live
 * here: the caller makes it a session, or gives it back with
 * directory_away.
 */
void directory_resume(struct directory *d, uint32_t number, const uint8_t hash[TICKET_HASH_LEN],
    int64_t now_s, directory_resume_fn *fn, void *arg);
/*
 * What this relay alone knows of number, at once: DIRECTORY_HERE (live
 * here), DIRECTORY_AWAY (held away here) or DIRECTORY_NOBODY (not held
 * here; in a cluster directory_lookup asks the others).
 */
enum directory_where directory_here(struct directory *d, uint32_t number);
/* Held numbers, live and away: a draining relay is done at 0. */
size_t directory_held_count(const struct directory *d);
/* Retire what the grace passed and write out what changed since the last
 * save (the back-end logs failures). */
int directory_save(struct directory *d, int64_t now_s);
/*
 * Where number is: fn(arg, number, where, holder) runs exactly once,
 * before this returns or later from the loop (never when the directory
 * is freed first).
 */
void directory_lookup(struct directory *d, uint32_t number, directory_lookup_fn *fn,
    void *arg);
/*
 * The relay drains: in a cluster it says so (it is no longer anyone's
 * target), claims no numbers ahead and renews what it holds every
 * RELAY_DRAIN_REFRESH_MS, to learn soon which numbers moved.
 */
void directory_drain(struct directory *d);
/* NAME:PORT of another relay that is up and not draining, to send a
 * master to; NULL when there is none (or no cluster). */
const char *directory_elsewhere(struct directory *d);
/* fn hears of every number that moves to another relay. */
void directory_on_moved(struct directory *d, directory_moved_fn *fn, void *arg);

#endif
