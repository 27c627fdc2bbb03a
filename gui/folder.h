/* SPDX-License-Identifier: Apache-2.0 */
/*
 * folder.h - show a received file's folder in the desktop's file manager:
 * `xdg-open DIR`, started with posix_spawn and left to run on its own
 * (its own session, default signals, no descriptors of ours, stdin and
 * stdout on /dev/null: stdout carries the event lines). Ended openers are
 * collected by gui_folder_reap(), so none stays a zombie.
 */
#ifndef GUI_FOLDER_H
#define GUI_FOLDER_H

#include <stddef.h>
#include <sys/types.h>

#include "limits.h"

struct gui_folder {
	pid_t pid[GUI_OPENERS_MAX];
	unsigned n;
};

/* What went wrong, twice: in English for the log, in the reader's
 * language for the window. */
struct gui_folder_why {
	char log[384];
	char shown[384];
};

/* Open the folder that holds path. 0, or an error with *why (no
 * xdg-open, too many still starting, no such folder). */
int gui_folder_open(struct gui_folder *o, const char *path, struct gui_folder_why *why);
/* Collect openers that ended; 1 with *why when one of them failed
 * (call again for the next), else 0. */
int gui_folder_reap(struct gui_folder *o, struct gui_folder_why *why);

#endif
