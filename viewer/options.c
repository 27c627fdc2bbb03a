/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.c - the viewer's command line and settings files into struct
 * vopts (options.h) and the session's shape.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "bytes.h"
#include "drop_command.h"
#include "env.h"
#include "i18n.h"
#include "log.h"
#include "options.h"
#include "usage.h"

static bool
ask_code(char code[SESSION_CODE_DIGITS + 1])
{
	char line[64];

	if (!isatty(STDIN_FILENO))
		return false;
	fprintf(stderr, "%s", _("one-time code shown by the host: "));
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return hs_code_parse(line, code);
}


/* X,Y,N for --latency-probe. */
static int
parse_probe(const char *arg, struct vprobe *p)
{
	unsigned long v[3];
	const char *a = arg;
	char *end;

	for (int i = 0; i < 3; i++) {
		errno = 0;
		v[i] = strtoul(a, &end, 10);
		if (errno != 0 || end == a || *end != (i < 2 ? ',' : '\0'))
			return -1;
		a = end + 1;
	}
	if (v[0] < PROBE_STEP || v[0] > UINT16_MAX - PROBE_STEP ||
	    v[1] > UINT16_MAX - PROBE_PIXEL_DY || v[2] < 1 || v[2] > UINT32_MAX)
		return -1;
	memset(p, 0, sizeof(*p));
	p->x = (uint16_t)v[0];
	p->y = (uint16_t)v[1];
	p->left = (uint32_t)v[2];
	return 0;
}

/* A fernsicht:// link instead of SESSION: relay and number from it, the
 * code from the start window (or --code, or asked for when headless). */
static int
use_link(struct vopts *o, const char *arg)
{
	char why[256];

	if (o->relay != NULL)
		log_fatal(VIEWER_EXIT_USAGE, "%s", _("a fernsicht:// link names its relay: "
		    "leave out --relay and --direct"));
	if (link_url_parse(arg, &o->link, why, sizeof(why)) != 0) {
		char text[512];

		snprintf(text, sizeof(text), _("cannot use the fernsicht:// link: %s"), why);
		/* A link is clicked in a browser: nobody reads stderr there. */
		if (!o->headless)
			gui_alert(text);
		log_fatal(VIEWER_EXIT_USAGE, "%s", text);
	}
	o->relay = o->link.relay;
	o->session = o->link.session;
	if (!o->have_code && !o->headless) {
		o->start_window = true;
		return -1;
	}
	if (!o->have_code && !ask_code(o->code))
		log_fatal(VIEWER_EXIT_USAGE, "%s",
		    _("no code: pass --code with the six digits the host shows"));
	return -1;
}

/* The command line into o and s; -1 to go on, else the exit code. */
int
options_parse(int argc, char **argv, struct vopts *o, struct vsession *s)
{
	static const struct option opts[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "transport", required_argument, NULL, 'T' },
		{ "proxy", required_argument, NULL, 'P' },
		{ "proxy-user", required_argument, NULL, 'U' },
		{ "ca-file", required_argument, NULL, 'F' },
		{ "direct", required_argument, NULL, 'D' },
		{ "no-lan", no_argument, NULL, 'L' },
		{ "code", required_argument, NULL, 'c' },
		{ "headless", no_argument, NULL, 'H' },
		{ "record", required_argument, NULL, 'R' },
		{ "frames", required_argument, NULL, 'f' },
		{ "input-script", required_argument, NULL, 'i' },
		{ "chat", required_argument, NULL, 'C' },
		{ "send", required_argument, NULL, 'Y' },
		{ "inbox", required_argument, NULL, 'I' },
		{ "file-limit", required_argument, NULL, 'Z' },
		{ "files-total-limit", required_argument, NULL, 'z' },
		{ "name", required_argument, NULL, 'n' },
		{ "handshake-timeout", required_argument, NULL, 'W' },
		{ "consent-timeout", required_argument, NULL, 'A' },
		{ "resume-grace", required_argument, NULL, 'G' },
		{ "force-xchacha", no_argument, NULL, 'X' },
		{ "stall-after", required_argument, NULL, 's' },
		{ "dump-plaintext", required_argument, NULL, 'd' },
		{ "quiet-frames", no_argument, NULL, 'q' },
		{ "screenshot", required_argument, NULL, 'S' },
		{ "no-flow-control", no_argument, NULL, 'N' },
		{ "latency-probe", required_argument, NULL, 'p' },
		{ "log-level", required_argument, NULL, 'l' },
		/* file drop */
		{ "drop", required_argument, NULL, 0x100 },
		{ "fetch", required_argument, NULL, 0x101 },
		{ "out", required_argument, NULL, 'I' },
		{ "drop-links", required_argument, NULL, 0x102 },
		{ "drop-downloads", required_argument, NULL, 0x103 },
		{ "drop-ttl", required_argument, NULL, 0x104 },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	char want[128];
	bool ok;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (settings_value_relays(optarg, want, sizeof(want)) != 0)
				log_fatal(VIEWER_EXIT_USAGE, _("--relay wants %s"), want);
			o->relay = optarg;
			break;
		case 'T':
			if ((o->topts.kind = transport_kind_parse(optarg)) == ERR_FORMAT)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--transport wants auto, tcp, tls, proxy or http"));
			o->have_transport = true;
			break;
		case 'P': o->topts.proxy = optarg; break;
		case 'U': o->topts.proxy_user = optarg; break;
		case 'F': o->topts.ca_file = optarg; break;
		case 'D': o->relay = optarg; o->no_relay = true; break;
		case 'L': o->no_direct = true; break;
		case 'c':
			if (!hs_code_parse(optarg, o->code))
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--code wants the six digits the host shows"));
			o->have_code = true;
			break;
		case 'H': o->headless = true; break;
		case 'R': o->record = optarg; break;
		case 'f':
			if (settings_parse_uint(optarg, 1, UINT32_MAX, &o->frames) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--frames wants a positive number"));
			break;
		case 'i': o->script_path = optarg; break;
		case 'C': o->chat = optarg; break;
		case 'Y':
			if (o->n_send == CLIENT_SENDS_MAX)
				log_fatal(VIEWER_EXIT_USAGE,
				    _("--send at most %d times (send a folder)"), CLIENT_SENDS_MAX);
			o->send[o->n_send++] = optarg;
			break;
		case 'I': s->files_conf.inbox = optarg; break;
		case 'Z':
			if (bytes_parse(optarg, &s->files_conf.transfer_max_bytes) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--file-limit wants a size such as 4G"));
			break;
		case 'z':
			if (bytes_parse(optarg, &s->files_conf.total_max_bytes) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--files-total-limit wants a size such as 4G"));
			break;
		case 'n': o->name = optarg; break;
		case 'W':
			if (settings_parse_uint(optarg, 1, 3600, &o->handshake_s) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--handshake-timeout wants 1..3600 seconds"));
			break;
		case 'A':
			if (settings_parse_uint(optarg, 1, 3600, &o->consent_s) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--consent-timeout wants 1..3600 seconds"));
			break;
		case 'G':
			if (settings_parse_uint(optarg, 0, 3600, &o->resume_s) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--resume-grace wants 0..3600 seconds"));
			break;
		case 'X': o->force_xchacha = true; break;
		case 's':
			if (settings_parse_uint(optarg, 1, UINT32_MAX, &o->stall_after) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--stall-after wants a positive number"));
			break;
		case 'd': o->dump = optarg; break;
		case 'q': s->quiet_frames = true; break;
		case 'S': o->screenshot = optarg; break;
		case 'N': s->no_credit = true; break;
		case 'p':
			if (parse_probe(optarg, &s->probe) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "%s", _("--latency-probe wants X,Y,N: "
				    "the probe window's centre on the host's screen and a sample "
				    "count"));
			break;
		case 'l':
			log_set_level(log_level_parse(optarg, &ok));
			if (!ok)
				log_fatal(VIEWER_EXIT_USAGE, "%s",
				    _("--log-level wants debug, info, warn or error"));
			break;
		case 0x100: o->drop = optarg; break;
		case 0x101: o->fetch = optarg; break;
		case 0x102:
		case 0x103:
		case 0x104:
			if (drop_ask_option(c - 0x102, optarg, &o->drop_ask) != 0)
				return VIEWER_EXIT_USAGE;
			break;
		case 'h': viewer_usage(stdout); return 0;
		case 'V': printf("fernsicht-viewer %s\n", VIEWER_VERSION); return 0;
		default: viewer_usage(stderr); return VIEWER_EXIT_USAGE;
		}
	}
	if (optind < argc - 1) {
		viewer_usage(stderr);
		return VIEWER_EXIT_USAGE;
	}
	if (o->drop != NULL && o->fetch != NULL)
		log_fatal(VIEWER_EXIT_USAGE, "%s", _("--drop and --fetch: one at a time"));
	if (o->fetch != NULL)
		return -1;
	if (optind == argc && !o->no_relay) {
		if (o->headless)
			log_fatal(VIEWER_EXIT_USAGE, "%s",
			    _("--headless needs the SESSION number"));
		o->start_window = true;
		return -1;
	}
	o->session = 0;    /* direct: any session the host runs */
	if (optind < argc && link_url_is(argv[optind]))
		return use_link(o, argv[optind]);
	if (optind < argc &&
	    settings_parse_uint(argv[optind], SESSION_NUMBER_MIN, SESSION_NUMBER_MAX, &o->session) != 0)
		log_fatal(VIEWER_EXIT_USAGE, "%s",
		    _("SESSION must be the host's five-digit number"));
	if (!o->have_code && !ask_code(o->code))
		log_fatal(VIEWER_EXIT_USAGE, "%s",
		    _("no code: pass --code with the six digits the host shows"));
	return -1;
}

/*
 * The settings files under the command line: what it left out comes from
 * the user's file, else from the system's. A refused file ends the viewer,
 * unless the start window can say so (it then goes on without the files).
 * -1 to go on, else the exit code.
 */
int
options_use_config(struct vopts *o)
{
	const struct vconfig *c = &o->conf;
	bool found;

	vconfig_init(&o->conf);
	if (vconfig_load(&o->conf, VCONFIG_SYSTEM, &found, o->config_why,
	    sizeof(o->config_why)) != 0 ||
	    (env_config_path("viewer.conf", o->user_config, sizeof(o->user_config)) &&
	    vconfig_load(&o->conf, o->user_config, &found, o->config_why,
	    sizeof(o->config_why)) != 0)) {
		if (!o->start_window)
			log_fatal(VIEWER_EXIT_USAGE, "%s", o->config_why);
		log_error("%s", o->config_why);
		vconfig_init(&o->conf);
	}
	o->relay_from_link = o->relay != NULL && o->relay == o->link.relay;
	o->relay_from_command_line = o->relay != NULL && !o->relay_from_link;
	o->relay_from = o->relay != NULL ? "" : c->relay_from;
	if (o->relay == NULL && c->relay[0] != '\0')
		o->relay = c->relay;
	if (!o->have_transport && c->transport >= 0)
		o->topts.kind = c->transport;
	if (o->topts.proxy == NULL && c->proxy[0] != '\0')
		o->topts.proxy = c->proxy;
	if (o->topts.proxy_user == NULL && c->proxy_user[0] != '\0')
		o->topts.proxy_user = c->proxy_user;
	if (o->topts.ca_file == NULL && c->ca_file[0] != '\0')
		o->topts.ca_file = c->ca_file;
	if (o->name == NULL && c->name[0] != '\0')
		o->name = c->name;
	if (o->relay == NULL && !o->start_window && o->fetch == NULL) {
		log_error(_("no relay: pass --relay HOST, or put 'relay = HOST' into %s"),
		    o->user_config[0] != '\0' ? o->user_config : VCONFIG_SYSTEM);
		viewer_usage(stderr);
		return VIEWER_EXIT_USAGE;
	}
	return -1;
}
