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
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "config.h"
#include "i18n.h"
#include "log.h"
#include "password_file.h"
#include "privdrop.h"
#include "redis_url.h"
#include "server.h"
#include "tls.h"
#include "tokens.h"

static void
usage(FILE *f)
{
	/* One string per option: a translator sees each on its own. */
	fputs(_("usage: fernsicht-relay [options]\n"), f);
	fprintf(f, _("  --config FILE          settings file (default %s):\n"
	    "                         one \"key = value\" a line, the keys are the long\n"
	    "                         options below; the command line wins\n"),
	    RELAY_CONFIG_DEFAULT);
	fprintf(f, _("  --listen ADDR:PORT     listen here (repeatable; default 0.0.0.0:%d; "
	    "port 0 = any)\n"), RELAY_PORT_DEFAULT);
	fputs(_("  --state-dir DIR        keep retired session numbers in DIR/numbers\n"), f);
	fprintf(f, _("  --max-body BYTES       largest frame body after WELCOME (%d..%d, "
	    "default %d)\n"),
	    WIRE_BODY_MIN_BYTES, WIRE_BODY_MAX_BYTES, WIRE_BODY_DEFAULT_BYTES);
	fprintf(f, _("  --max-viewers N        viewers per session (1..%d, default %d)\n"),
	    SESSION_VIEWERS_MAX, SESSION_VIEWERS_MAX);
	fprintf(f, _("  --hello-timeout-ms N   time for a new connection to send HELLO "
	    "(default %d)\n"),
	    RELAY_HELLO_TIMEOUT_MS);
	fprintf(f, _("  --idle-timeout-ms N    close a connection silent this long "
	    "(default %d)\n"),
	    RELAY_IDLE_TIMEOUT_MS);
	fprintf(f, _("  --conns-per-ip N       open connections per client address "
	    "(default %d)\n"),
	    RELAY_CONNS_PER_IP_MAX);
	fprintf(f, _("  --joins-per-min N      joins to live sessions per client address and "
	    "minute\n"
	    "                         (default %d; unknown numbers: %d, fixed)\n"),
	    RELAY_JOIN_PER_MIN, RELAY_UNKNOWN_JOIN_PER_MIN);
	fprintf(f, _("  --sessions-per-min N   new sessions per client address and minute "
	    "(default %d)\n"),
	    RELAY_SESSION_PER_MIN);
	fputs(_("  --tls-cert FILE        PEM certificate (chain allowed): TLS and https on every\n"
	    "                         listener, next to raw frames and http\n"), f);
	fputs(_("  --tls-key FILE         its PEM private key\n"), f);
	fputs(_("  --cluster URL          share session numbers with other relays through\n"
	    "                         Redis: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]\n"), f);
	fputs(_("  --cluster-password-file FILE\n"
	    "                         the Redis password: the first line of FILE, which\n"
	    "                         everyone else must not be able to read (instead of\n"
	    "                         a password in --cluster, which ps shows)\n"), f);
	fputs(_("  --advertise NAME[:PORT]\n"
	    "                         where others reach this relay in a cluster (default:\n"
	    "                         the host name and the first listener's port)\n"), f);
	fprintf(f, _("  --drain-deadline SECONDS\n"
	    "                         after SIGUSR1 (drain: no new sessions, masters move\n"
	    "                         to other relays), stop at the latest after this long\n"
	    "                         (default %d)\n"), RELAY_DRAIN_DEADLINE_MS / 1000);
	fputs(_("  --drop-dir DIR         keep the file drop's encrypted uploads in DIR\n"
	    "                         (off unless given; made 0700)\n"), f);
	fputs(_("  --drop-max-file BYTES  largest upload (K, M, G, T allowed; default 2G)\n"), f);
	fputs(_("  --drop-quota-session BYTES\n"
	    "                         stored per session number (default 4G)\n"), f);
	fputs(_("  --drop-quota-address BYTES\n"
	    "                         stored per client address (default 8G)\n"), f);
	fputs(_("  --drop-quota-total BYTES\n"
	    "                         stored in all (default 64G)\n"), f);
	fprintf(f, _("  --drop-max-ttl SECONDS longest time an upload is kept (default %d)\n"),
	    DROP_TTL_MAX_DEFAULT_S);
	fputs(_("  --log-level LEVEL      debug, info, warn or error (default info)\n"), f);
	fputs(_("  --session-policy open|token\n"
	    "                         token: a master opens a session only with a token\n"
	    "                         issued here (default open)\n"), f);
	fputs(_("  --token-key-file FILE  lines \"KEYID SECRET-HEX\": the first signs new tokens,\n"
	    "                         every one verifies; nobody else may read FILE\n"), f);
	fputs(_("  --issue-token NAME --ttl SECONDS\n"
	    "                         issue a session token for NAME (recorded in the\n"
	    "                         state dir), print \"id=ID\" and \"token=TOKEN\", exit\n"), f);
	fputs(_("  --revoke-token ID      revoke the token issued with this id, exit (a running\n"
	    "                         relay takes it at its next start or reload)\n"), f);
	fputs(_("  --log-format FORMAT    text (default) or json: one JSON object a line\n"), f);
	fputs(_("  --user NAME            started as root: become this system user once\n"
	    "                         listening (SIGHUP then reads files as NAME)\n"), f);
	fputs(_("  --admin-listen ADDR:PORT\n"
	    "                         the admin listener: /metrics, /healthz and the signed\n"
	    "                         JSON API (off unless given; e.g. 127.0.0.1:4664)\n"), f);
	fputs(_("  --admin-keys-file FILE lines \"KEYID read|act SECRET-HEX\" that may sign admin\n"
	    "                         requests (others must not be able to read FILE)\n"), f);
	fputs(_("  --admin-tls-cert FILE, --admin-tls-key FILE\n"
	    "                         HTTPS on the admin listener\n"), f);
	fputs(_("  --admin-client-ca FILE require a client certificate signed by this CA (mTLS)\n"),
	    f);
	fputs(_("  --admin-metrics-open yes|no\n"
	    "                         GET /metrics and /healthz without a signature\n"
	    "                         (default no)\n"),
	    f);
	fputs(_("  --help                 this text\n"), f);
}

/* A bad command line: what is wrong, then the usage; exit 1. */
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

/* listeners, epoll, the signalfd, the state file, stdio */
/* (and the admin listener with its connections) */
enum { RELAY_FDS_SPARE = RELAY_LISTENERS_MAX + 16 + 1 + ADMIN_CONNS_MAX };

/* getopt's values: a setting's key (enum rconfig_key) from OPT_KEY on,
 * then the options that are no setting. */
enum { OPT_KEY = 256, OPT_CONFIG = OPT_KEY + RKEYS, OPT_HELP,
	/* session-creation tokens */
	OPT_ISSUE_TOKEN, OPT_TTL, OPT_REVOKE_TOKEN };

/* What the command line and the settings file ask for. */
struct options {
	struct rconfig given;           /* the command line, then the file under it */
	struct rconfig cmdline;         /* the command line alone: a reload's top */
	struct rconfig file;
	const char *config;             /* --config, else RELAY_CONFIG_DEFAULT */
	bool config_given;
	struct server_config cfg;
	char default_listen[32];        /* the listener when there is no listen */
	char cluster_password[RELAY_CLUSTER_PASSWORD_MAX + 1];   /* wiped once in use */
	/* session-creation tokens: the offline commands */
	const char *issue_token;        /* --issue-token NAME */
	uint64_t ttl_s;                 /* --ttl */
	const char *revoke_token;       /* --revoke-token ID */
};

/* Fill o->given from argv. Bad options print usage and exit 1; --help exits 0. */
static void
parse_options(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, OPT_KEY + RKEY_LISTEN },
		{ "state-dir", required_argument, NULL, OPT_KEY + RKEY_STATE_DIR },
		{ "max-body", required_argument, NULL, OPT_KEY + RKEY_MAX_BODY },
		{ "max-viewers", required_argument, NULL, OPT_KEY + RKEY_MAX_VIEWERS },
		{ "hello-timeout-ms", required_argument, NULL, OPT_KEY + RKEY_HELLO_TIMEOUT_MS },
		{ "idle-timeout-ms", required_argument, NULL, OPT_KEY + RKEY_IDLE_TIMEOUT_MS },
		{ "conns-per-ip", required_argument, NULL, OPT_KEY + RKEY_CONNS_PER_IP },
		{ "joins-per-min", required_argument, NULL, OPT_KEY + RKEY_JOINS_PER_MIN },
		{ "sessions-per-min", required_argument, NULL, OPT_KEY + RKEY_SESSIONS_PER_MIN },
		{ "log-level", required_argument, NULL, OPT_KEY + RKEY_LOG_LEVEL },
		{ "tls-cert", required_argument, NULL, OPT_KEY + RKEY_TLS_CERT },
		{ "tls-key", required_argument, NULL, OPT_KEY + RKEY_TLS_KEY },
		{ "cluster", required_argument, NULL, OPT_KEY + RKEY_CLUSTER },
		{ "cluster-password-file", required_argument, NULL,
			OPT_KEY + RKEY_CLUSTER_PASSWORD_FILE },
		{ "advertise", required_argument, NULL, OPT_KEY + RKEY_ADVERTISE },
		{ "drain-deadline", required_argument, NULL, OPT_KEY + RKEY_DRAIN_DEADLINE },
		{ "drop-dir", required_argument, NULL, OPT_KEY + RKEY_DROP_DIR },
		{ "drop-max-file", required_argument, NULL, OPT_KEY + RKEY_DROP_MAX_FILE },
		{ "drop-quota-session", required_argument, NULL,
			OPT_KEY + RKEY_DROP_QUOTA_SESSION },
		{ "drop-quota-address", required_argument, NULL,
			OPT_KEY + RKEY_DROP_QUOTA_ADDRESS },
		{ "drop-quota-total", required_argument, NULL, OPT_KEY + RKEY_DROP_QUOTA_TOTAL },
		{ "drop-max-ttl", required_argument, NULL, OPT_KEY + RKEY_DROP_MAX_TTL },
		{ "session-policy", required_argument, NULL, OPT_KEY + RKEY_SESSION_POLICY },
		{ "token-key-file", required_argument, NULL, OPT_KEY + RKEY_TOKEN_KEY_FILE },
		{ "issue-token", required_argument, NULL, OPT_ISSUE_TOKEN },
		{ "ttl", required_argument, NULL, OPT_TTL },
		{ "revoke-token", required_argument, NULL, OPT_REVOKE_TOKEN },
		{ "user", required_argument, NULL, OPT_KEY + RKEY_USER },
		{ "log-format", required_argument, NULL, OPT_KEY + RKEY_LOG_FORMAT },
		/* admin listener */
		{ "admin-listen", required_argument, NULL, OPT_KEY + RKEY_ADMIN_LISTEN },
		{ "admin-keys-file", required_argument, NULL, OPT_KEY + RKEY_ADMIN_KEYS_FILE },
		{ "admin-tls-cert", required_argument, NULL, OPT_KEY + RKEY_ADMIN_TLS_CERT },
		{ "admin-tls-key", required_argument, NULL, OPT_KEY + RKEY_ADMIN_TLS_KEY },
		{ "admin-client-ca", required_argument, NULL, OPT_KEY + RKEY_ADMIN_CLIENT_CA },
		{ "admin-metrics-open", required_argument, NULL,
			OPT_KEY + RKEY_ADMIN_METRICS_OPEN },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 },
	};
	enum rconfig_key k;
	unsigned long ttl;
	char want[256];
	int c;

	rconfig_init(&o->given);
	o->config = RELAY_CONFIG_DEFAULT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case OPT_CONFIG:
			o->config = optarg;
			o->config_given = true;
			break;
		case OPT_HELP:
			usage(stdout);
			exit(0);
		case OPT_ISSUE_TOKEN:
			o->issue_token = optarg;
			break;
		case OPT_TTL:
			if (settings_value_number(optarg, 1, TOKEN_TTL_MAX_S, &ttl, want,
			    sizeof(want)) != 0)
				bad(_("--ttl wants %s"), want);
			o->ttl_s = ttl;
			break;
		case OPT_REVOKE_TOKEN:
			o->revoke_token = optarg;
			break;
		default:
			if (c < OPT_KEY || c >= OPT_KEY + RKEYS)
				bad(_("unknown option or missing argument: %s"), argv[optind - 1]);
			k = (enum rconfig_key)(c - OPT_KEY);
			if (k == RKEY_LISTEN && o->given.n_listen >= RELAY_LISTENERS_MAX)
				bad(_("too many --listen (at most %d)"), RELAY_LISTENERS_MAX);
			if (rconfig_set(&o->given, k, optarg, false, want, sizeof(want)) != 0)
				bad(_("--%s wants %s"), rconfig_key_name(k), want);
			/* what ps shows from now on: no password (it had a moment) */
			if (k == RKEY_CLUSTER)
				redis_url_hide_userinfo(optarg);
		}
	}
	if (optind < argc)
		bad(_("unexpected argument '%s'"), argv[optind]);
	if (o->issue_token != NULL && o->revoke_token != NULL)
		bad(_("--issue-token and --revoke-token: one at a time"));
	if ((o->issue_token != NULL) != (o->ttl_s != 0))
		bad(_("--issue-token and --ttl go together"));
	o->cmdline = o->given;
}

/* The Redis password from --cluster-password-file, and what goes with it:
 * a password in one place only, and a user in --cluster only with one. */
static void
read_cluster_password(struct options *o)
{
	const char *file = o->given.cluster_password_file;
	bool user, password;
	char why[512];

	rconfig_cluster_auth(&o->given, &user, &password);
	if (file[0] == '\0') {
		if (user && !password)
			bad(_("--cluster names a user but no password: "
			    "redis://USER:PASSWORD@HOST, or --cluster-password-file"));
		return;
	}
	if (o->given.cluster[0] == '\0')
		bad(_("--cluster-password-file needs --cluster"));
	if (password)
		bad(_("the Redis password is given twice: in --cluster and in "
		    "--cluster-password-file"));
	if (password_file_read(file, o->cluster_password, sizeof(o->cluster_password), why,
	    sizeof(why)) != 0) {
		fprintf(stderr, "fernsicht-relay: --cluster-password-file %s\n", why);
		exit(1);
	}
}

/* The admin listener's keys go together, and it is not left open by mistake. */
static void
check_admin(const struct options *o)
{
	const struct rconfig *g = &o->given;

	if ((g->admin_tls_cert[0] == '\0') != (g->admin_tls_key[0] == '\0'))
		bad(_("--admin-tls-cert and --admin-tls-key go together"));
	if (g->admin_client_ca[0] != '\0' && g->admin_tls_cert[0] == '\0')
		bad(_("--admin-client-ca needs --admin-tls-cert and --admin-tls-key"));
	if (g->admin_listen[0] == '\0') {
		if (g->admin_keys_file[0] != '\0' || g->admin_tls_cert[0] != '\0' ||
		    g->admin_metrics_open)
			bad(_("the admin settings need --admin-listen"));
		return;
	}
	if (g->admin_keys_file[0] == '\0' && !g->admin_metrics_open)
		bad(_("--admin-listen needs --admin-keys-file (or --admin-metrics-open yes for "
		    "/metrics and /healthz alone)"));
}

/* The settings file under the command line. A refused file stops the
 * relay before it listens: nothing of it is half used. */
static void
read_config(struct options *o)
{
	char why[512];

	rconfig_init(&o->file);
	if (rconfig_load(&o->file, o->config, o->config_given, why, sizeof(why)) != 0) {
		fprintf(stderr, "fernsicht-relay: %s\n", why);
		exit(1);
	}
	rconfig_under(&o->given, &o->file);
	if ((o->given.tls_cert[0] == '\0') != (o->given.tls_key[0] == '\0'))
		bad(_("--tls-cert and --tls-key go together (tls-cert and tls-key in %s)"),
		    o->config);
	if (o->given.advertise[0] != '\0' && o->given.cluster[0] == '\0')
		bad(_("--advertise needs --cluster"));
	read_cluster_password(o);
	check_admin(o);
	rconfig_server(&o->given, &o->cfg, o->default_listen, sizeof(o->default_listen));
	if (o->cluster_password[0] != '\0')
		o->cfg.cluster_password = o->cluster_password;
}

/* The secret's copies, once the directory has its own. */
static void
wipe_cluster_password(struct options *o)
{
	sodium_memzero(o->cluster_password, sizeof(o->cluster_password));
	redis_url_hide_userinfo(o->given.cluster);
	redis_url_hide_userinfo(o->file.cluster);
	redis_url_hide_userinfo(o->cmdline.cluster);
}

/*
 * SIGHUP: the settings file again under the same command line, checked
 * whole before anything changes (the TLS files too); the keys that need
 * a restart keep their running values. Runs as the user the relay became.
 */
static void
reread(void *arg, struct server *srv)
{
	static struct rconfig next, file;       /* tens of KiB each */
	struct options *o = arg;
	struct server_config cfg;
	char why[512], default_listen[32];

	next = o->cmdline;
	rconfig_init(&file);
	if (rconfig_load(&file, o->config, o->config_given, why, sizeof(why)) != 0) {
		log_error("reload refused, the running settings stay: %s", why);
		return;
	}
	rconfig_under(&next, &file);
	if ((next.tls_cert[0] == '\0') != (next.tls_key[0] == '\0')) {
		log_error("reload refused, the running settings stay: %s: tls-cert and tls-key "
		    "go together", o->config);
		return;
	}
	(void)rconfig_keep_restart_keys(&next, &o->given, o->config);
	rconfig_server(&next, &cfg, default_listen, sizeof(default_listen));
	/* the server keeps the running strings; these die with this call */
	if (next.tls_cert[0] != '\0' && tls_server_new(next.tls_cert, next.tls_key, &cfg.tls,
	    why, sizeof(why)) != 0) {
		log_error("reload refused, the running settings stay: TLS certificate or key "
		    "unusable: %s", why);
		return;
	}
	if (server_reload(srv, &cfg) != 0)
		return;
	/* what runs now, for the next reload's comparison; its restart keys
	 * and its hidden cluster password are the running ones */
	o->given = next;
	sodium_memzero(&file, sizeof(file));
	sodium_memzero(&next, sizeof(next));
}

/*
 * As root with user: become user now that every listener is bound and the
 * TLS key is read, and check the state directory is the user's to write.
 * As root without: say so. 0, or -1 with why[] (translated): the relay
 * must stop (main frees the server first).
 */
static int
drop_privileges(const struct options *o, char *why, size_t why_len)
{
	char reason[256];

	if (!privdrop_is_root()) {
		if (o->given.user[0] != '\0')
			log_info("user %s: not started as root, nothing to give up",
			    o->given.user);
		return 0;
	}
	if (o->given.user[0] == '\0') {
		log_warn("running as root: set user (a system user such as fernsicht-relay) so "
		    "that the relay gives root up once it listens");
		return 0;
	}
	if (privdrop_to(o->given.user, reason, sizeof(reason)) != 0) {
		snprintf(why, why_len, _("cannot become user %s: %s"), o->given.user, reason);
		return -1;
	}
	log_info("running as user %s (uid %u, gid %u)", o->given.user, (unsigned)getuid(),
	    (unsigned)getgid());
	if (o->cfg.state_dir != NULL && !privdrop_dir_writable(o->cfg.state_dir)) {
		snprintf(why, why_len, _("--state-dir %s: user %s may not write there (chown it "
		    "to %s)"), o->cfg.state_dir, o->given.user, o->given.user);
		return -1;
	}
	return 0;
}

/* token-key-file's keys and the state dir's lists; NULL without a key file.
 * Exits when they are needed and cannot be had. */
static struct tokens *
read_tokens(const struct options *o, bool offline)
{
	const char *key_file = o->given.token_key_file;
	struct tokens *t;
	char why[512];

	if (key_file[0] == '\0') {
		if (offline)
			log_fatal(1, "%s", _("session tokens need token-key-file (the keys that "
			    "sign them)"));
		if (o->given.token_policy)
			log_fatal(1, "%s", _("session-policy token needs token-key-file (the keys "
			    "that sign the tokens)"));
		return NULL;
	}
	if (offline && o->cfg.state_dir == NULL)
		log_fatal(1, "%s", _("issuing or revoking tokens needs state-dir (where they "
		    "are recorded, so that they can be listed and revoked)"));
	if ((t = tokens_new(key_file, o->cfg.state_dir, why, sizeof(why))) == NULL)
		log_fatal(1, _("session tokens: %s"), why);
	if (!offline && o->given.token_policy)
		log_info("session-policy token: keys from %s%s", key_file,
		    o->cfg.state_dir == NULL ? " (without state-dir no token can be revoked)" : "");
	return t;
}

/* --issue-token or --revoke-token: done here, without listening. The exit code. */
static int
offline_tokens(const struct options *o)
{
	char token[WIRE_TOKEN_MAX + 1], id[TOKEN_ID_HEX_LEN + 1];
	struct tokens *t = read_tokens(o, true);
	uint64_t now = (uint64_t)time(NULL);
	int r;

	if (o->issue_token != NULL) {
		r = tokens_issue(t, o->issue_token, now, o->ttl_s, token, sizeof(token), id);
		if (r == ERR_FORMAT)
			log_error(_("--issue-token: a name is at most %d bytes of UTF-8 without "
			    "control characters"), TOKEN_NAME_MAX);
		else if (r != 0)
			log_error(_("--issue-token: cannot issue (%s)"), err_str(r));
		else
			printf("id=%s\ntoken=%s\n", id, token);
		sodium_memzero(token, sizeof(token));
	} else {
		r = tokens_revoke(t, o->revoke_token);
		if (r == ERR_FORMAT)
			log_error(_("--revoke-token: an id is %d lower-case hex digits"),
			    TOKEN_ID_HEX_LEN);
		else if (r == ERR_NOT_FOUND)
			log_error(_("--revoke-token: no token with id %s was issued here"),
			    o->revoke_token);
		else if (r != 0)
			log_error(_("--revoke-token: cannot revoke (%s)"), err_str(r));
		else
			log_info("token %s revoked: a running relay refuses it after its next "
			    "start or reload", o->revoke_token);
	}
	tokens_free(t);
	return r == 0 ? 0 : 1;
}

/*
 * One fd per connection: take what the hard limit allows, up to what we
 * use, and hold no more connections than the descriptors left after the
 * spare: past that, accept(2) would fail and connections would wait
 * unanswered, where a refusal with ERROR BUSY tells the client.
 */
static uint32_t
raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want = RELAY_CONNS_MAX + RELAY_FDS_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return RELAY_CONNS_MAX;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur >= want)
		return RELAY_CONNS_MAX;
	if (rl.rlim_cur <= RELAY_FDS_SPARE)
		log_fatal(1, "%llu file descriptors: too few for the relay (raise LimitNOFILE or "
		    "ulimit -n)", (unsigned long long)rl.rlim_cur);
	log_warn("%llu file descriptors allow %llu connections (%llu sessions), not %d: raise "
	    "LimitNOFILE or ulimit -n for more", (unsigned long long)rl.rlim_cur,
	    (unsigned long long)(rl.rlim_cur - RELAY_FDS_SPARE),
	    (unsigned long long)(rl.rlim_cur - RELAY_FDS_SPARE) / 2, RELAY_CONNS_MAX);
	return (uint32_t)(rl.rlim_cur - RELAY_FDS_SPARE);
}

int
main(int argc, char **argv)
{
	static struct options o;        /* two sets of settings: tens of KiB */
	struct server *srv;
	struct stat st;
	char why[256];
	int rc;

	i18n_init();
	/* Before the file: its unknown keys are logged. */
	log_init("fernsicht-relay", LOG_INFO);
	parse_options(argc, argv, &o);
	read_config(&o);
	log_set_level(o.given.level);
	log_set_format(o.given.format);
	if (sodium_init() < 0)
		log_fatal(1, "%s", _("libsodium failed to initialise"));
	if (o.cfg.state_dir != NULL && (stat(o.cfg.state_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
		log_fatal(1, _("--state-dir %s: not a directory"), o.cfg.state_dir);
	if (o.issue_token != NULL || o.revoke_token != NULL)
		return offline_tokens(&o);
	o.cfg.tokens = read_tokens(&o, false);
	o.cfg.conns_max = raise_fd_limit();
	if (privdrop_is_root() && o.given.user[0] != '\0' &&
	    !privdrop_user_ok(o.given.user, why, sizeof(why)))
		log_fatal(1, _("cannot become user %s: %s"), o.given.user, why);
	/* a relay that cannot do the TLS it was asked for must not start without it */
	if (o.given.tls_cert[0] != '\0' && tls_server_new(o.given.tls_cert, o.given.tls_key,
	    &o.cfg.tls, why, sizeof(why)) != 0)
		log_fatal(1, _("TLS certificate or key unusable: %s"), why);
	if (o.cfg.tls != NULL)
		log_info("TLS: certificate %s", o.given.tls_cert);
	/* the server owns the TLS context from here on */
	if (o.given.admin_tls_cert[0] != '\0' && (tls_server_new(o.given.admin_tls_cert,
	    o.given.admin_tls_key, &o.cfg.admin_tls, why, sizeof(why)) != 0 ||
	    (o.given.admin_client_ca[0] != '\0' && tls_server_require_client(o.cfg.admin_tls,
	    o.given.admin_client_ca, why, sizeof(why)) != 0)))
		log_fatal(1, _("admin TLS certificate, key or client CA unusable: %s"), why);
	srv = server_new(&o.cfg);
	wipe_cluster_password(&o);
	if (srv == NULL)
		return 1;
	if (drop_privileges(&o, why, sizeof(why)) != 0) {
		server_free(srv);
		log_fatal(1, "%s", why);
	}
	server_on_sighup(srv, reread, &o);
	rc = server_run(srv);
	server_free(srv);
	tls_server_free(o.cfg.admin_tls);
	return rc == 0 ? 0 : 1;
}
