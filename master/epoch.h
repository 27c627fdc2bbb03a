/* SPDX-License-Identifier: Apache-2.0 */
/*
 * epoch.h - the session key's epochs (epoch.c).
 */
#ifndef MASTER_EPOCH_H
#define MASTER_EPOCH_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct master;

/* How many viewers are allowed to watch (and so hold the session key). */
unsigned epoch_watchers(const struct master *m);

/* A new session key for the allowed viewers (none: no key), sent to each
 * as KEY on its pairwise stream before any screen record under it. */
int epoch_new(struct master *m) WUR;
/* True when a viewer's screen key has sealed enough (records, bytes,
 * age by the policy) that a new epoch is due, or when an allowed viewer
 * has none (its KEY could not be sent) MASTER_EPOCH_RETRY_MS after the last. */
bool epoch_due(const struct master *m, uint64_t now_ms);

#endif
