/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage.h - fernsicht-master's --help (usage.c).
 */
#ifndef MASTER_USAGE_H
#define MASTER_USAGE_H

#include <stdio.h>

/* --help, or the usage after a bad command line, onto f. */
void master_usage(FILE *f);

#endif
