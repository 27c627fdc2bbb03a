/* SPDX-License-Identifier: Apache-2.0 */
/*
 * privdrop.h - a relay started as root gives root up for good once its
 * listeners are bound and its TLS key is read (settings key and option
 * user): the process that parses what strangers send holds as little as
 * possible. What it reads later (a reload's settings file, certificate
 * and key, the state directory) it reads as that user.
 */
#ifndef RELAY_PRIVDROP_H
#define RELAY_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* Whether this process runs as root (its effective user). */
bool privdrop_is_root(void);

/*
 * Become user (its uid, its primary group and its supplementary groups:
 * initgroups, setresgid, setresuid) and make sure that root cannot come
 * back (setuid(0) fails) and that no exec gains privileges
 * (PR_SET_NO_NEW_PRIVS). Only as root. 0, or ERR_FORMAT (no such user,
 * or the user is root) or ERR_SYSTEM, with why[] set.
 */
int privdrop_to(const char *user, char *why, size_t why_len) WUR;

/* Whether user names a user of this system other than root: checked before
 * listening, so that a wrong name stops the relay before anyone connects. */
bool privdrop_user_ok(const char *user, char *why, size_t why_len);

/* Whether this process may keep its files in dir (write and search it). */
bool privdrop_dir_writable(const char *dir);

#endif
