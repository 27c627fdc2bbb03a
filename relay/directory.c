/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory.c - the table of directory back-ends and the calls that pass
 * through to the chosen one. Adding a back-end: define its ops in
 * directory_<name>.c, declare it below and add it to backends[].
 */
#include <stdlib.h>
#include <string.h>

#include "directory.h"
#include "log.h"

/* Each defined in its own directory_<name>.c. */
extern const struct directory_ops directory_local;
extern const struct directory_ops directory_redis;

/* The first is the default. */
static const struct directory_ops *const backends[] = {
	&directory_local,
	&directory_redis,
};

struct directory {
	const struct directory_ops *ops;
	void *state;
};

struct directory *
directory_new(const char *name, const struct directory_config *cfg, int64_t now_s)
{
	const struct directory_ops *ops = NULL;
	struct directory *d;
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]) && ops == NULL; i++)
		if (name == NULL || strcmp(backends[i]->name, name) == 0)
			ops = backends[i];
	if (ops == NULL) {
		log_error("no directory back-end called '%s'", name);
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	d->ops = ops;
	if ((d->state = ops->open(cfg, now_s)) == NULL) {
		free(d);
		return NULL;
	}
	return d;
}

void
directory_free(struct directory *d)
{
	if (d == NULL)
		return;
	d->ops->close(d->state);
	free(d);
}

const char *
directory_name(const struct directory *d)
{
	return d->ops->name;
}

int
directory_alloc(struct directory *d, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN],
    uint32_t *number)
{
	return d->ops->alloc(d->state, now_s, hash, number);
}

void
directory_retire(struct directory *d, uint32_t number, int64_t now_s)
{
	d->ops->retire(d->state, number, now_s);
}

void
directory_away(struct directory *d, uint32_t number, int64_t now_s)
{
	d->ops->away(d->state, number, now_s);
}

void
directory_resume(struct directory *d, uint32_t number, const uint8_t hash[TICKET_HASH_LEN],
    int64_t now_s, directory_resume_fn *fn, void *arg)
{
	d->ops->resume(d->state, number, hash, now_s, fn, arg);
}

enum directory_where
directory_here(struct directory *d, uint32_t number)
{
	return d->ops->here(d->state, number);
}

size_t
directory_held_count(const struct directory *d)
{
	return d->ops->held_count(d->state);
}

int
directory_save(struct directory *d, int64_t now_s)
{
	return d->ops->save(d->state, now_s);
}

void
directory_lookup(struct directory *d, uint32_t number, directory_lookup_fn *fn, void *arg)
{
	d->ops->lookup(d->state, number, fn, arg);
}

void
directory_drain(struct directory *d)
{
	if (d->ops->drain != NULL)
		d->ops->drain(d->state);
}

const char *
directory_elsewhere(struct directory *d)
{
	return d->ops->elsewhere != NULL ? d->ops->elsewhere(d->state) : NULL;
}

void
directory_on_moved(struct directory *d, directory_moved_fn *fn, void *arg)
{
	if (d->ops->on_moved != NULL)
		d->ops->on_moved(d->state, fn, arg);
}
