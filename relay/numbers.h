/* SPDX-License-Identifier: Apache-2.0 */
/*
 * numbers.h - the five-digit session numbers a relay hands out.
 *
 * A number is free, live (a session uses it) or retired. A retired number
 * stays out of use for RELAY_RETIRE_COOLDOWN_S, so that a viewer who types
 * an old number never lands in somebody else's session. Retired numbers
 * survive a restart through "<state-dir>/numbers", one "number unix_time"
 * per line. Live numbers are written too, with the time of writing: after
 * a crash they count as retired then.
 *
 * Times are wall-clock seconds passed in by the caller, so tests need no
 * sleeping.
 */
#ifndef RELAY_NUMBERS_H
#define RELAY_NUMBERS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct numbers;

/* state_dir may be NULL: nothing is loaded or saved. Loads what is there. */
struct numbers *numbers_new(const char *state_dir, int64_t now_s);
void numbers_free(struct numbers *ns);
/* A free number, now live. ERR_LIMIT when every number is live or cooling. */
int numbers_alloc(struct numbers *ns, int64_t now_s, uint32_t *out) WUR;
/* A live number ends: it cools down from now_s. */
void numbers_retire(struct numbers *ns, uint32_t n, int64_t now_s);
bool numbers_live(const struct numbers *ns, uint32_t n);
bool numbers_cooling(const struct numbers *ns, uint32_t n, int64_t now_s);
size_t numbers_live_count(const struct numbers *ns);
/* Write the state file if anything changed since the last save (logs failures). */
int numbers_save(struct numbers *ns, int64_t now_s);

#endif
