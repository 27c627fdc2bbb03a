/* SPDX-License-Identifier: Apache-2.0 */
/*
 * options.c - the master's command line (options.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "bytes.h"
#include "capture.h"
#include "env.h"
#include "i18n.h"
#include "log.h"
#include "options.h"
#include "session.h"
#include "usage.h"

int
options_parse(int argc, char **argv, struct master *m, struct setup *su)
{
	static const struct option opts[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "transport", required_argument, NULL, 'T' },
		{ "proxy", required_argument, NULL, 'P' },
		{ "proxy-user", required_argument, NULL, 'U' },
		{ "ca-file", required_argument, NULL, 'F' },
		{ "headless", no_argument, NULL, 'H' },
		{ "source", required_argument, NULL, 's' },
		{ "display", required_argument, NULL, 'D' },
		{ "lan", required_argument, NULL, 'A' },
		{ "monitor", required_argument, NULL, 'M' },
		{ "window", no_argument, NULL, 0x112 },
		{ "auto-accept", no_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "fps", required_argument, NULL, 'f' },
		{ "max-kbps", required_argument, NULL, 'K' },
		{ "low-bandwidth", no_argument, NULL, 'L' },
		{ "lossless", no_argument, NULL, 0x110 },
		{ "quality", required_argument, NULL, 0x111 },
		{ "size", required_argument, NULL, 'S' },
		{ "force-xchacha", no_argument, NULL, 'X' },
		{ "print-input", no_argument, NULL, 'i' },
		{ "chat", required_argument, NULL, 'c' },
		{ "inbox", required_argument, NULL, 'I' },
		{ "file-limit", required_argument, NULL, 'Z' },
		{ "files-total-limit", required_argument, NULL, 'z' },
		{ "handshake-timeout", required_argument, NULL, 't' },
		{ "consent-timeout", required_argument, NULL, 'C' },
		{ "once", no_argument, NULL, 'o' },
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
	unsigned long v;
	unsigned w, hgt;
	char want[128];
	bool ok;
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (settings_value_relays(optarg, want, sizeof(want)) != 0)
				log_fatal(1, _("--relay wants %s"), want);
			m->o.relay = optarg;
			break;
		case 'T':
			if ((su->topts.kind = transport_kind_parse(optarg)) == ERR_FORMAT)
				log_fatal(1, "%s",
				    _("--transport wants auto, tcp, tls, proxy or http"));
			su->have_transport = true;
			break;
		case 'P': su->topts.proxy = optarg; break;
		case 'U': su->topts.proxy_user = optarg; break;
		case 'F': su->topts.ca_file = optarg; break;
		case 'H': su->headless = true; break;
		case 's':
			if (capture_find(optarg) == NULL)
				log_fatal(1, _("--source wants %s"), capture_names());
			su->source = optarg;
			break;
		case 'D': su->display = optarg; break;
		case 'A': su->lan_listen = optarg; break;
		case 'M':
			if (settings_parse_uint(optarg, 0, 15, &v) != 0)
				log_fatal(1, "%s", _("--monitor wants 0..15"));
			su->monitor = (int)v;
			break;
		case 0x112: su->window = true; break;
		case 'a': m->o.auto_accept = true; break;
		case 't':
			if (settings_parse_uint(optarg, 1, 3600, &v) != 0)
				log_fatal(1, "%s", _("--handshake-timeout wants 1..3600 seconds"));
			m->o.handshake_ms = (unsigned)v * 1000;
			break;
		case 'C':
			if (settings_parse_uint(optarg, 1, 3600, &v) != 0)
				log_fatal(1, "%s", _("--consent-timeout wants 1..3600 seconds"));
			m->o.consent_ms = (unsigned)v * 1000;
			break;
		case 'n': m->o.name = optarg; break;
		case 'f':
			if (settings_parse_uint(optarg, 1, 120, &v) != 0)
				log_fatal(1, "%s", _("--fps wants 1..120"));
			m->o.fps = (unsigned)v;
			break;
		case 'S':
			if (sscanf(optarg, "%ux%u", &w, &hgt) != 2 || w < 64 || hgt < 64 ||
			    w > MSG_DIM_MAX || hgt > MSG_DIM_MAX)
				log_fatal(1, _("--size wants WxH, 64..%d each"), MSG_DIM_MAX);
			m->o.width = (uint16_t)w;
			m->o.height = (uint16_t)hgt;
			break;
		case 'K':
			if (settings_parse_uint(optarg, 16, 10000000, &v) != 0)
				log_fatal(1, "%s", _("--max-kbps wants 16..10000000"));
			m->o.max_kbps = (unsigned)v;
			break;
		case 'L': m->o.low_bandwidth = true; break;
		case 0x110: m->o.lossless = true; break;
		case 0x111:
			if (settings_parse_uint(optarg, 1, 100, &v) != 0)
				log_fatal(1, "%s", _("--quality wants 1..100"));
			m->o.quality = (unsigned)v;
			break;
		case 'X': m->o.force_xchacha = true; break;
		case 'i': m->o.print_input = true; break;
		case 'c': m->o.chat = optarg; break;
		case 'I': m->o.inbox = optarg; break;
		case 'Z':
			if (bytes_parse(optarg, &m->o.file_max_bytes) != 0)
				log_fatal(1, "%s",
				    _("--file-limit wants a size such as 500M or 4G"));
			break;
		case 'z':
			if (bytes_parse(optarg, &m->o.files_total_max_bytes) != 0)
				log_fatal(1, "%s",
				    _("--files-total-limit wants a size such as 500M or 4G"));
			break;
		case 'o': su->once = true; break;
		case 'l':
			log_set_level(log_level_parse(optarg, &ok));
			if (!ok)
				log_fatal(1, "%s",
				    _("--log-level wants debug, info, warn or error"));
			break;
		case 0x100: su->drop = optarg; break;
		case 0x101: su->fetch = optarg; break;
		case 0x102:
		case 0x103:
		case 0x104:
			if (drop_ask_option(c - 0x102, optarg, &su->drop_ask) != 0)
				return 1;
			break;
		case 'h': master_usage(stdout); return 0;
		case 'V': printf("fernsicht-master %s\n", MASTER_VERSION); return 0;
		default: master_usage(stderr); return 1;
		}
	}
	env_config_path("master.conf", su->user_config, sizeof(su->user_config));
	if ((r = mconfig_use(&su->conf, su->user_config, &m->o, &su->topts,
	    su->have_transport)) >= 0) {
		if (r != 0 && !su->headless)
			gui_alert(su->conf.why);
		return r;
	}
	if (optind != argc) {
		master_usage(stderr);
		return 1;
	}
	if (su->drop != NULL && su->fetch != NULL)
		log_fatal(1, "%s", _("--drop and --fetch: one at a time"));
	if (m->o.relay == NULL && su->lan_listen == NULL && su->fetch == NULL) {
		char text[1024];

		snprintf(text, sizeof(text), _("fernsicht-master: no relay: give --relay HOST, or "
		    "put 'relay = HOST'\n  into %s or %s\n"), su->user_config[0] != '\0' ?
		    su->user_config : "~/.config/fernsicht/master.conf", MCONFIG_SYSTEM);
		fputs(text, stderr);
		if (!su->headless)
			gui_alert(text);
		return 1;
	}
	if (m->o.inbox == NULL) {
		if (env_download_dir(su->inbox, sizeof(su->inbox)) != 0)
			log_fatal(1, "%s", _("no HOME for the default inbox: give --inbox DIR"));
		m->o.inbox = su->inbox;
	}
	return -1;
}
