/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.h - the master's command line (options.c): the session's own
 * options go into struct master, what main() sets up besides them into
 * struct setup; the settings files (config.h) come first, the command
 * line overrides them.
 */
#ifndef MASTER_OPTIONS_H
#define MASTER_OPTIONS_H

#include <stdbool.h>

#include "config.h"
#include "drop_command.h"
#include "limits.h"
#include "transport.h"

#define MASTER_VERSION "0.3.0"

struct master;

/* What main() sets up besides the session's own options. */
struct setup {
	const char *source, *display, *lan_listen;
	int monitor;
	bool window;                    /* --window: one window through the portal */
	bool headless, once;
	struct transport_opts topts;
	bool have_transport;            /* --transport given: over the settings files */
	struct mconfig conf;            /* the settings files */
	char user_config[512];
	char hostname[MSG_NAME_MAX + 1];
	char state_file[512];
	char inbox[1024];               /* the default --inbox */
	/* file drop (endpoint/drop_command.h): --drop PATH, --fetch LINK */
	const char *drop, *fetch;
	struct drop_ask drop_ask;
	char drop_identity[512];        /* the identity file's path */
};

/* The command line into m's options and su; -1 to go on, else the exit code. */
int options_parse(int argc, char **argv, struct master *m, struct setup *su);

#endif
