/* SPDX-License-Identifier: Apache-2.0 */
/*
 * numbers.h - the five-digit session numbers a relay hands out.
 *
 * A number is free, live (a master is connected), away (its master's
 * connection was lost without END: the master may resume it with its
 * ticket until a deadline) or retired. A retired number stays out of use
 * for RELAY_RETIRE_COOLDOWN_S, so that a viewer who types an old number
 * never lands in somebody else's session. Live and away numbers keep the
 * hash of their ticket (ticket.h), never the ticket.
 *
 * Everything survives a restart through "<state-dir>/numbers", one line
 * per number:
 *
 *   NUMBER UNIX_TIME           retired then (cooling)
 *   NUMBER UNIX_TIME HASH      live or away when written; HASH is the
 *                              ticket's hash in 64 lower-case hex digits
 *
 * A restarted relay holds every number with a hash away, resumable for
 * RELAY_RESUME_GRACE_MS from its start, then retires it. A live number
 * written by an older relay (no hash) counts as retired at its time.
 * Malformed lines are skipped.
 *
 * Times are wall-clock seconds passed in by the caller, so tests need no
 * sleeping.
 */
#ifndef RELAY_NUMBERS_H
#define RELAY_NUMBERS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "ticket.h"

struct numbers;

/* state_dir may be NULL: nothing is loaded or saved. Loads what is there. */
struct numbers *numbers_new(const char *state_dir, int64_t now_s);
void numbers_free(struct numbers *ns);
/* A free number, now live with the ticket hash given. ERR_LIMIT when
 * every number is live, away or cooling. */
int numbers_alloc(struct numbers *ns, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN],
    uint32_t *out) WUR;
/* A live or away number ends: it cools down from now_s; its ticket is dead. */
void numbers_retire(struct numbers *ns, uint32_t n, int64_t now_s);
/* A live number's master is gone: away, resumable until now_s + the grace. */
void numbers_away(struct numbers *ns, uint32_t n, int64_t now_s);
/* Take a live or away number back with its ticket's hash: live again.
 * ERR_AUTH when n is neither, its grace is over, or the hash differs. */
int numbers_resume(struct numbers *ns, uint32_t n, const uint8_t hash[TICKET_HASH_LEN],
    int64_t now_s) WUR;
/* Retire the away numbers whose grace is over (cooling from its end).
 * Returns how many. */
size_t numbers_expire(struct numbers *ns, int64_t now_s);
bool numbers_live(const struct numbers *ns, uint32_t n);
bool numbers_is_away(const struct numbers *ns, uint32_t n);
bool numbers_cooling(const struct numbers *ns, uint32_t n, int64_t now_s);
size_t numbers_live_count(const struct numbers *ns);
/* Live and away. */
size_t numbers_held_count(const struct numbers *ns);
/* Write the state file if anything changed since the last save (logs failures). */
int numbers_save(struct numbers *ns, int64_t now_s);

#endif
