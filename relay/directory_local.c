/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory_local.c - the "local" directory back-end: numbers this relay
 * alone hands out, kept by numbers.c (and in <state-dir>/numbers). The
 * adapter only; the table and its file format are numbers.c's.
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
local_alloc(void *state, int64_t now_s, uint32_t *number)
{
	return numbers_alloc(state, now_s, number);
}

static void
local_retire(void *state, uint32_t number, int64_t now_s)
{
	numbers_retire(state, number, now_s);
}

static size_t
local_live_count(const void *state)
{
	return numbers_live_count(state);
}

static int
local_save(void *state, int64_t now_s)
{
	return numbers_save(state, now_s);
}

/* Live here, or nowhere: one relay knows no other. */
static int
local_lookup(void *state, uint32_t number, directory_lookup_fn *fn, void *arg)
{
	fn(arg, number, numbers_live(state, number) ? "" : NULL);
	return 0;
}

/* Registered in directory.c. */
extern const struct directory_ops directory_local;
const struct directory_ops directory_local = {
	.name = "local",
	.open = local_open,
	.close = local_close,
	.alloc = local_alloc,
	.retire = local_retire,
	.live_count = local_live_count,
	.save = local_save,
	.lookup = local_lookup,
};
