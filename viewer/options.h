/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.h - what the viewer's command line and settings files say
 * (options.c), besides what goes into each session's shape.
 */
#ifndef VIEWER_OPTIONS_H
#define VIEWER_OPTIONS_H

#include <stdbool.h>

#include "config.h"
#include "drop_client.h"
#include "link_url.h"
#include "sec.h"
#include "session.h"
#include "startwin.h"
#include "transport.h"

/* What the command line says, besides what goes into the session. */
struct vopts {
	const char *relay, *record, *script_path, *chat, *name, *dump, *screenshot;
	char code[SESSION_CODE_DIGITS + 1];
	bool have_code, headless, force_xchacha;
	bool no_relay;                  /* --direct */
	bool no_direct;                 /* --no-lan: never leave the relay */
	unsigned long session, frames, stall_after;
	unsigned long handshake_s, consent_s;   /* 0: the defaults */
	unsigned long resume_s;                 /* --resume-grace */
	const char *send[CLIENT_SENDS_MAX];     /* --send */
	unsigned n_send;
	char inbox[1024];                       /* the default --inbox */
	struct transport_opts topts;
	char state_file[512], defname[MSG_NAME_MAX + 1];
	struct sec_policy pol;          /* the environment's, for every attempt */
	bool start_window;              /* no SESSION: the start window asks */
	bool have_transport;            /* --transport given */
	const char *relay_from;         /* where relay came from, for the start window */
	bool relay_from_command_line;   /* --relay */
	bool relay_from_link;           /* a fernsicht:// link's */
	struct vconfig conf;            /* the settings files */
	char user_config[512], config_why[512];
	char relay_typed[STARTWIN_RELAY_MAX + 1];
	struct link_url link;           /* fernsicht://HOST[:PORT]/SESSION */
	/* file drop (endpoint/drop_command.h): --drop PATH, --fetch LINK */
	const char *drop, *fetch;
	struct drop_ask drop_ask;       /* --drop-links, --drop-downloads, --drop-ttl */
};

/* The command line into o and s (the session's shape); -1 to go on, else
 * the exit code. */
int options_parse(int argc, char **argv, struct vopts *o, struct vsession *s);
/* The settings files under the command line; -1 to go on, else the exit code. */
int options_use_config(struct vopts *o);

#endif
