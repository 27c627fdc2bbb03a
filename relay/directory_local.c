/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory_local.c - the "local" directory back-end: numbers this relay
 * alone hands out, kept by numbers.c (and in <state-dir>/numbers). The
 * adapter only; the table and its file format are numbers.c's. It
 * answers everything at once; it has no cluster to drain to and no
 * numbers that move.
 */
#include "directory.h"
#include "numbers.h"

static void *
local_open(const struct directory_config *cfg, int64_t now_s)
{
	return numbers_new(cfg->state_dir, now_s);
}

static void
local_close(void *state)
{
	numbers_free(state);
}

static int
local_alloc(void *state, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN], uint32_t *number)
{
	return numbers_alloc(state, now_s, hash, number);
}

static void
local_retire(void *state, uint32_t number, int64_t now_s)
{
	numbers_retire(state, number, now_s);
}

static void
local_away(void *state, uint32_t number, int64_t now_s)
{
	numbers_away(state, number, now_s);
}

static void
local_resume(void *state, uint32_t number, const uint8_t hash[TICKET_HASH_LEN], int64_t now_s,
    directory_resume_fn *fn, void *arg)
{
	fn(arg, number, numbers_resume(state, number, hash, now_s));
}

static size_t
local_held_count(const void *state)
{
	return numbers_held_count(state);
}

static int
local_save(void *state, int64_t now_s)
{
	(void)numbers_expire(state, now_s);
	return numbers_save(state, now_s);
}

static enum directory_where
local_here(void *state, uint32_t number)
{
	if (numbers_live(state, number))
		return DIRECTORY_HERE;
	if (numbers_is_away(state, number))
		return DIRECTORY_AWAY;
	return DIRECTORY_NOBODY;
}

/* Here, or nowhere: one relay knows no other. */
static void
local_lookup(void *state, uint32_t number, directory_lookup_fn *fn, void *arg)
{
	fn(arg, number, local_here(state, number), NULL);
}

/* Registered in directory.c. */
extern const struct directory_ops directory_local;
const struct directory_ops directory_local = {
	.name = "local",
	.open = local_open,
	.close = local_close,
	.alloc = local_alloc,
	.retire = local_retire,
	.away = local_away,
	.resume = local_resume,
	.held_count = local_held_count,
	.save = local_save,
	.here = local_here,
	.lookup = local_lookup,
};
