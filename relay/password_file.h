/* SPDX-License-Identifier: Apache-2.0 */
/*
 * password_file.h - a password kept in a file of its own, so that it is
 * neither on a command line (ps shows those to every user) nor in a
 * settings file that is readable by all: --cluster-password-file FILE.
 *
 * The password is the file's first line (a CR before its newline is not
 * part of it; nothing after it is read). The file must be a regular file
 * that others may not read (no S_IROTH: 0600, or 0640 with the relay's
 * group): one everyone may read is refused rather than used.
 */
#ifndef RELAY_PASSWORD_FILE_H
#define RELAY_PASSWORD_FILE_H

#include <stddef.h>

#include "err.h"

/*
 * The first line of path into out (of out_len, at least
 * RELAY_CLUSTER_PASSWORD_MAX + 1). 0, or ERR_FORMAT / ERR_SYSTEM with
 * why[] "path: ...", in the reader's language: not a regular file,
 * readable by others, an empty first line, one longer than
 * RELAY_CLUSTER_PASSWORD_MAX or with a NUL byte, cannot be opened or read.
 * Whatever was read is wiped, out too on an error.
 */
int password_file_read(const char *path, char *out, size_t out_len, char *why,
    size_t why_len) WUR;

#endif
