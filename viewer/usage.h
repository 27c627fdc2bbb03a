/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage.h - fernsicht-viewer's --help (usage.c).
 */
#ifndef VIEWER_USAGE_H
#define VIEWER_USAGE_H

#include <stdio.h>

/* --help, or the usage after a bad command line, onto f. */
void viewer_usage(FILE *f);

#endif
