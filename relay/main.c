/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fernsicht-relay: pairs masters and viewers by session number and passes
 * their frames along. It never sees plaintext: see docs/SECURITY.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <sodium.h>

#include "i18n.h"
#include "log.h"
#include "server.h"
#include "tls.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: fernsicht-relay [options]\n"
	    "  --listen ADDR:PORT     listen here (repeatable; default 0.0.0.0:%d; port 0 = any)\n"
	    "  --state-dir DIR        keep retired session numbers in DIR/numbers\n"
	    "  --max-body BYTES       largest frame body after WELCOME (%d..%d, default %d)\n"
	    "  --max-viewers N        viewers per session (1..%d, default %d)\n"
	    "  --hello-timeout-ms N   time for a new connection to send HELLO (default %d)\n"
	    "  --idle-timeout-ms N    close a connection silent this long (default %d)\n"
	    "  --conns-per-ip N       open connections per client address (default %d)\n"
	    "  --joins-per-min N      joins to live sessions per client address and minute\n"
	    "                         (default %d; unknown numbers: %d, fixed)\n"
	    "  --tls-cert FILE        PEM certificate (chain allowed): TLS and https on every\n"
	    "                         listener, next to raw frames and http\n"
	    "  --tls-key FILE         its PEM private key\n"
	    "  --log-level LEVEL      debug, info, warn or error (default info)\n"
	    "  --help                 this text\n",
	    RELAY_PORT_DEFAULT, WIRE_BODY_MIN_BYTES, WIRE_BODY_MAX_BYTES,
	    WIRE_BODY_DEFAULT_BYTES, SESSION_VIEWERS_MAX, SESSION_VIEWERS_MAX,
	    RELAY_HELLO_TIMEOUT_MS, RELAY_IDLE_TIMEOUT_MS, RELAY_CONNS_PER_IP_MAX,
	    RELAY_JOIN_PER_MIN, RELAY_UNKNOWN_JOIN_PER_MIN);
}

static void __attribute__((format(printf, 1, 2), noreturn))
bad(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fernsicht-relay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	exit(1);
}

static uint32_t
number(const char *opt, const char *s, unsigned long min, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || errno != 0 || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "fernsicht-relay: --%s wants a number in %lu..%lu\n", opt, min, max);
		usage(stderr);
		exit(1);
	}
	return (uint32_t)v;
}

/* listeners, epoll, the signalfd, the state file, stdio */
enum { RELAY_FDS_SPARE = RELAY_LISTENERS_MAX + 16 };

enum { OPT_LISTEN = 256, OPT_STATE, OPT_BODY, OPT_VIEWERS, OPT_HELLO, OPT_IDLE, OPT_CONNS,
	OPT_JOINS, OPT_LOG, OPT_HELP, OPT_CERT, OPT_KEY };

/* What the command line asks for. */
struct options {
	struct server_config cfg;
	enum log_level level;
	const char *cert, *key;
	char default_listen[32];        /* the listener when there is no --listen */
};

/* Fill o from argv. Bad options print usage and exit 1; --help exits 0. */
static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "state-dir", required_argument, NULL, OPT_STATE },
		{ "max-body", required_argument, NULL, OPT_BODY },
		{ "max-viewers", required_argument, NULL, OPT_VIEWERS },
		{ "hello-timeout-ms", required_argument, NULL, OPT_HELLO },
		{ "idle-timeout-ms", required_argument, NULL, OPT_IDLE },
		{ "conns-per-ip", required_argument, NULL, OPT_CONNS },
		{ "joins-per-min", required_argument, NULL, OPT_JOINS },
		{ "log-level", required_argument, NULL, OPT_LOG },
		{ "tls-cert", required_argument, NULL, OPT_CERT },
		{ "tls-key", required_argument, NULL, OPT_KEY },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	struct server_config *cfg = &o->cfg;
	bool ok;
	int c;

	memset(o, 0, sizeof(*o));
	cfg->body_max = WIRE_BODY_DEFAULT_BYTES;
	cfg->max_viewers = SESSION_VIEWERS_MAX;
	cfg->hello_timeout_ms = RELAY_HELLO_TIMEOUT_MS;
	cfg->idle_timeout_ms = RELAY_IDLE_TIMEOUT_MS;
	cfg->conns_per_ip = RELAY_CONNS_PER_IP_MAX;
	cfg->joins_per_min = RELAY_JOIN_PER_MIN;
	o->level = LOG_INFO;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN:
			if (cfg->n_listen >= RELAY_LISTENERS_MAX)
				bad("too many --listen (at most %d)", RELAY_LISTENERS_MAX);
			cfg->listen[cfg->n_listen++] = optarg;
			break;
		case OPT_STATE:
			cfg->state_dir = optarg;
			break;
		case OPT_BODY:
			cfg->body_max = number("max-body", optarg, WIRE_BODY_MIN_BYTES,
			    WIRE_BODY_MAX_BYTES);
			break;
		case OPT_VIEWERS:
			cfg->max_viewers = number("max-viewers", optarg, 1, SESSION_VIEWERS_MAX);
			break;
		case OPT_HELLO:
			cfg->hello_timeout_ms = number("hello-timeout-ms", optarg, 1, INT32_MAX);
			break;
		case OPT_IDLE:
			cfg->idle_timeout_ms = number("idle-timeout-ms", optarg, 1, INT32_MAX);
			break;
		case OPT_CONNS:
			cfg->conns_per_ip = number("conns-per-ip", optarg, 1, RELAY_CONNS_MAX);
			break;
		case OPT_JOINS:
			cfg->joins_per_min = number("joins-per-min", optarg, 1, 100000);
			break;
		case OPT_LOG:
			o->level = log_level_parse(optarg, &ok);
			if (!ok)
				bad("bad --log-level '%s' (debug, info, warn, error)", optarg);
			break;
		case OPT_CERT:
			o->cert = optarg;
			break;
		case OPT_KEY:
			o->key = optarg;
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		default:
			bad("unknown option or missing argument: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad("unexpected argument '%s'", argv[optind]);
	if ((o->cert == NULL) != (o->key == NULL))
		bad("--tls-cert and --tls-key go together");
	if (cfg->n_listen == 0) {
		snprintf(o->default_listen, sizeof(o->default_listen), "0.0.0.0:%d",
		    RELAY_PORT_DEFAULT);
		cfg->listen[cfg->n_listen++] = o->default_listen;
	}
}

/* One fd per connection: take what the hard limit allows, up to what we use. */
static void
raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < RELAY_CONNS_MAX + RELAY_FDS_SPARE) {
		rl.rlim_cur = rl.rlim_max < RELAY_CONNS_MAX + RELAY_FDS_SPARE ? rl.rlim_max :
		    RELAY_CONNS_MAX + RELAY_FDS_SPARE;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int
main(int argc, char **argv)
{
	struct options o;
	struct server *srv;
	struct stat st;
	char why[256];
	int rc;

	i18n_init();
	parse_options(argc, argv, &o);
	log_init("fernsicht-relay", o.level);
	if (sodium_init() < 0)
		log_fatal(1, "libsodium failed to initialise");
	if (o.cfg.state_dir != NULL && (stat(o.cfg.state_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		log_fatal(1, "--state-dir %s: not a directory", o.cfg.state_dir);
	raise_fd_limit();
	/* a relay that cannot do the TLS it was asked for must not start without it */
	if (o.cert != NULL && tls_server_new(o.cert, o.key, &o.cfg.tls, why, sizeof(why)) != 0)
		log_fatal(1, "TLS certificate or key unusable: %s", why);
	if (o.cfg.tls != NULL)
		log_info("TLS: certificate %s", o.cert);
	rc = (srv = server_new(&o.cfg)) == NULL ? ERR_SYSTEM : server_run(srv);
	server_free(srv);
	tls_server_free(o.cfg.tls);
	return rc == 0 ? 0 : 1;
}
