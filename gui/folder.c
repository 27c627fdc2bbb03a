/* SPDX-License-Identifier: Apache-2.0 */
/* folder.c - xdg-open DIR, detached (folder.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "folder.h"
#include "i18n.h"
#include "log.h"

extern char **environ;

static void tell(struct gui_folder_why *why, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* fmt (marked with N_) into why->log as it is, into why->shown translated. */
static void
tell(struct gui_folder_why *why, const char *fmt, ...)
{
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	vsnprintf(why->log, sizeof(why->log), fmt, ap);
	vsnprintf(why->shown, sizeof(why->shown), _(fmt), again);
	va_end(again);
	va_end(ap);
}

/* What xdg-open's exit codes mean (its manual page). */
static void
xdg_open_status(struct gui_folder_why *why, int code)
{
	switch (code) {
	case 1: tell(why, N_("xdg-open: bad command line (exit %d)"), code); break;
	case 2: tell(why, N_("xdg-open: the folder does not exist (exit %d)"), code); break;
	case 3: tell(why, N_("xdg-open: no program found to open folders (exit %d)"), code); break;
	case 4: tell(why, N_("xdg-open: the file manager failed (exit %d)"), code); break;
	default: tell(why, N_("xdg-open failed (exit %d)"), code); break;
	}
}

static int
spawn(pid_t *pid, const char *dir)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	char *argv[] = { "xdg-open", (char *)dir, NULL };
	int r;

	sigemptyset(&none);
	sigfillset(&all);
	if ((r = posix_spawn_file_actions_init(&fa)) != 0)
		return r;
	if ((r = posix_spawnattr_init(&at)) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return r;
	}
	/* The programs block SIGINT and SIGTERM for their signalfd: the
	 * opener gets them back, and every handler at its default. */
	if ((r = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0)) == 0 &&
	    (r = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0)) == 0 &&
	    (r = posix_spawn_file_actions_addclosefrom_np(&fa, 3)) == 0 &&
	    (r = posix_spawnattr_setsigmask(&at, &none)) == 0 &&
	    (r = posix_spawnattr_setsigdefault(&at, &all)) == 0 &&
	    (r = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSID)) == 0)
		r = posix_spawnp(pid, "xdg-open", &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

int
gui_folder_open(struct gui_folder *o, const char *path, struct gui_folder_why *why)
{
	char copy[4096], dir[4096 + 2];
	struct stat st;
	pid_t pid;
	int r;

	if (path == NULL || path[0] == '\0' || strlen(path) >= sizeof(copy)) {
		tell(why, N_("no folder is known for it"));
		return ERR_FORMAT;
	}
	if (o->n == GUI_OPENERS_MAX) {
		/* Always GUI_OPENERS_MAX, but counted all the same. */
		snprintf(why->log, sizeof(why->log), "%u folders are still being opened", o->n);
		snprintf(why->shown, sizeof(why->shown), NG_("%u folder is still being opened",
		    "%u folders are still being opened", o->n), o->n);
		return ERR_LIMIT;
	}
	snprintf(copy, sizeof(copy), "%s", path);
	/* A name beginning with '-' is never taken for an option. */
	snprintf(dir, sizeof(dir), "%s%s", copy[0] == '-' ? "./" : "", dirname(copy));
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		tell(why, N_("the folder %s is gone"), dir);
		return ERR_FORMAT;
	}
	if ((r = spawn(&pid, dir)) != 0) {
		if (r == ENOENT)
			tell(why, N_("xdg-open is not installed (package xdg-utils); the file is "
			    "in %s"), dir);
		else
			tell(why, N_("cannot start xdg-open: %s"), strerror(r));
		return ERR_SYSTEM;
	}
	log_info("opening %s with xdg-open (pid %d)", dir, (int)pid);
	o->pid[o->n++] = pid;
	return 0;
}

int
gui_folder_reap(struct gui_folder *o, struct gui_folder_why *why)
{
	for (unsigned i = 0; i < o->n; i++) {
		int st;
		pid_t r = waitpid(o->pid[i], &st, WNOHANG);

		if (r == 0 || (r == -1 && errno == EINTR))
			continue;
		o->pid[i] = o->pid[--o->n];
		if (r == -1)
			continue;       /* someone else collected it */
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			return 0;
		if (WIFEXITED(st))
			xdg_open_status(why, WEXITSTATUS(st));
		else
			tell(why, N_("xdg-open ended by signal %d"), WTERMSIG(st));
		return 1;
	}
	return 0;
}
