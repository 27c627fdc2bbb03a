/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stop.h - SIGINT and SIGTERM as a file descriptor (signalfd), so that the
 * programs' loops wait for them like for any other event and no handler
 * needs a file-scope flag. SIGPIPE is ignored: a closed peer is an error
 * return, not a death.
 */
#ifndef ENDPOINT_STOP_H
#define ENDPOINT_STOP_H

#include <stdbool.h>

/* Block SIGINT and SIGTERM (for every thread made later, too) and return
 * a non-blocking signalfd that becomes readable when one arrives; -1 when
 * the kernel has none (then they are left as they were). Call first in
 * main(), before any library starts a thread. */
int stop_open(void);
/* Has a stop been asked for since the last call? (Reads it; false for -1.) */
bool stop_requested(int fd);

#endif
