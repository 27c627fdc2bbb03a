/* SPDX-License-Identifier: Apache-2.0 */
/*
 * usage.h - fernsicht-viewer's --help (usage.c) and --version.
 */
#ifndef VIEWER_USAGE_H
#define VIEWER_USAGE_H

#include <stdio.h>

#define VIEWER_VERSION "0.3.0"    /* --version */

/* --help, or the usage after a bad command line, onto f. */
void viewer_usage(FILE *f);

#endif
