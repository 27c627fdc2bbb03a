/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console.h - the master's standard input, line by line: y, v, n, take,
 * kick SLOT, newcode, send SLOT PATH, cancel SLOT in|out ID, files SLOT
 * on|off, drop PATH, end.
 */
#ifndef MASTER_CONSOLE_H
#define MASTER_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

struct master;

/*
 * Read what stdin has into acc (acc_len bytes held, acc_size its room);
 * each whole line is a command. *eof once stdin ended or failed. 0, or
 * what a command that ends the session returned.
 */
int console_read(struct master *m, char *acc, size_t acc_size, size_t *acc_len, bool *eof);

#endif
