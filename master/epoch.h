/* SPDX-License-Identifier: Apache-2.0 */
/*
 * epoch.h - the session key's epochs (epoch.c).
 */
#ifndef MASTER_EPOCH_H
#define MASTER_EPOCH_H

#include "err.h"

struct master;

/* How many viewers are allowed to watch (and so hold the session key). */
unsigned epoch_watchers(const struct master *m);

/* A new session key for the allowed viewers (none: no key), sent to each
 * as KEY on its pairwise stream before any screen record under it. */
int epoch_new(struct master *m) WUR;

#endif
