/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_config.c - the relay's settings (relay/config.c): the file's
 * keys and the command line's options checked by the same code, listen
 * repeatable up to RELAY_LISTENERS_MAX, absolute paths in the file, the
 * command line over the file, and what the server is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../relay/config.h"
#include "log.h"
#include "redis_url.h"
#include "server.h"
#include "example.h"
#include "test.h"

static char why[512];

static int
parse(struct rconfig *c, const char *text)
{
	return rconfig_parse(c, "r.conf", text, strlen(text), why, sizeof(why));
}

static void
refused(const char *text, const char *where)
{
	struct rconfig c, before;

	rconfig_init(&c);
	before = c;
	if (!CHECK(parse(&c, text) == ERR_FORMAT))
		printf("#   accepted: %s\n", text);
	if (!CHECK(strncmp(why, where, strlen(where)) == 0))
		printf("#   why: %s (want %s)\n", why, where);
	c.warnings = 0;
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
}

static void
every_key(void)
{
	struct rconfig c;

	rconfig_init(&c);
	CHECK(c.max_viewers == SESSION_VIEWERS_MAX && c.body_max == WIRE_BODY_DEFAULT_BYTES);
	CHECK(parse(&c, "listen = 0.0.0.0:4663\n"
	    "listen = [::]:4663\n"
	    "listen = 127.0.0.1\n"
	    "state-dir = /var/lib/fernsicht-relay\n"
	    "max-body = 65536\n"
	    "max-viewers = 4\n"
	    "hello-timeout-ms = 5000\n"
	    "idle-timeout-ms = 60000\n"
	    "conns-per-ip = 8\n"
	    "joins-per-min = 10\n"
	    "sessions-per-min = 2\n"
	    "tls-cert = /etc/fernsicht/relay.pem\n"
	    "tls-key = /etc/fernsicht/relay.key\n"
	    "log-level = warn\n"
	    "cluster = redis://10.0.0.5:6379/2\n"
	    "cluster-password-file = /etc/fernsicht/redis-password\n"
	    "advertise = relay1.example.org:443\n"
	    "drain-deadline = 300\n"
	    "drop-dir = /var/lib/fernsicht-relay/drop\n"
	    "drop-max-file = 512M\n"
	    "drop-quota-session = 1G\n"
	    "drop-quota-address = 3000000000\n"
	    "drop-quota-total = 2T\n"
	    "drop-max-ttl = 3600\n"
	    "session-policy = token\n"
	    "token-key-file = /etc/fernsicht/token-keys\n"
	    "user = fernsicht-relay\n"
	    "log-format = json\n"
	    /* admin listener */
	    "admin-listen = 127.0.0.1:4664\n"
	    "admin-keys-file = /etc/fernsicht/admin.keys\n"
	    "admin-tls-cert = /etc/fernsicht/admin.pem\n"
	    "admin-tls-key = /etc/fernsicht/admin.key\n"
	    "admin-client-ca = /etc/fernsicht/admin-ca.pem\n"
	    "admin-metrics-open = yes\n") == 0);
	CHECK(c.warnings == 0);         /* listen thrice: no "given again" */
	CHECK(c.n_listen == 3 && strcmp(c.listen[1], "[::]:4663") == 0);
	CHECK(strcmp(c.state_dir, "/var/lib/fernsicht-relay") == 0);
	CHECK(c.body_max == 65536 && c.max_viewers == 4 && c.hello_timeout_ms == 5000);
	CHECK(c.idle_timeout_ms == 60000 && c.conns_per_ip == 8 && c.joins_per_min == 10);
	CHECK(c.sessions_per_min == 2);
	CHECK(strcmp(c.tls_cert, "/etc/fernsicht/relay.pem") == 0);
	CHECK(strcmp(c.tls_key, "/etc/fernsicht/relay.key") == 0);
	CHECK(c.level == LOG_WARN);
	CHECK(strcmp(c.cluster, "redis://10.0.0.5:6379/2") == 0);
	CHECK(strcmp(c.cluster_password_file, "/etc/fernsicht/redis-password") == 0);
	CHECK(strcmp(c.advertise, "relay1.example.org:443") == 0);
	CHECK(c.drain_deadline_s == 300);
	CHECK(strcmp(c.drop_dir, "/var/lib/fernsicht-relay/drop") == 0);
	CHECK(c.drop_max_file == UINT64_C(512) << 20 && c.drop_quota_session == UINT64_C(1) << 30);
	CHECK(c.drop_quota_address == 3000000000 && c.drop_quota_total == UINT64_C(2) << 40);
	CHECK(c.drop_max_ttl_s == 3600);
	CHECK(c.token_policy && strcmp(c.token_key_file, "/etc/fernsicht/token-keys") == 0);
	CHECK(strcmp(c.user, "fernsicht-relay") == 0 && c.format == LOG_FORMAT_JSON);
	CHECK(strcmp(c.admin_listen, "127.0.0.1:4664") == 0);
	CHECK(strcmp(c.admin_keys_file, "/etc/fernsicht/admin.keys") == 0);
	CHECK(strcmp(c.admin_tls_cert, "/etc/fernsicht/admin.pem") == 0);
	CHECK(strcmp(c.admin_tls_key, "/etc/fernsicht/admin.key") == 0);
	CHECK(strcmp(c.admin_client_ca, "/etc/fernsicht/admin-ca.pem") == 0);
	CHECK(c.admin_metrics_open);
	for (unsigned k = 0; k < RKEYS; k++)
		CHECK(c.given[k]);
}

static void
bad_values(void)
{
	char text[RELAY_LISTENERS_MAX * 32 + 64];
	size_t n = 0;

	/* file drop: sizes */
	refused("drop-max-file = 0\n", "r.conf:1: bad drop-max-file '0'");
	refused("drop-max-file = 2X\n", "r.conf:1: bad drop-max-file '2X'");
	refused("drop-quota-total = 17T\n", "r.conf:1: bad drop-quota-total '17T'");
	refused("drop-quota-total = 99999999999999999999999\n", "r.conf:1: bad drop-quota-total");
	refused("drop-max-ttl = 0\n", "r.conf:1: bad drop-max-ttl '0'");
	refused("drop-dir = relative\n", "r.conf:1: bad drop-dir 'relative'");
	refused("listen = localhost:4663\n",
	    "r.conf:1: bad listen 'localhost:4663' (want ADDR:PORT");
	refused("listen = 0.0.0.0:65536\n", "r.conf:1: bad listen");
	/* admin listener */
	refused("admin-listen = localhost:4664\n", "r.conf:1: bad admin-listen");
	refused("admin-keys-file = admin.keys\n", "r.conf:1: bad admin-keys-file");
	refused("admin-metrics-open = true\n", "r.conf:1: bad admin-metrics-open 'true' "
	    "(want yes or no)");
	refused("listen = 0.0.0.0:\n", "r.conf:1: bad listen");
	refused("listen = [::1\n", "r.conf:1: bad listen");
	refused("listen = 999.0.0.1:1\n", "r.conf:1: bad listen");
	refused("max-viewers = 0\n", "r.conf:1: bad max-viewers '0' (want a number in 1..16)");
	refused("max-viewers = 17\n", "r.conf:1: bad max-viewers '17'");
	refused("max-body = 1024\n", "r.conf:1: bad max-body '1024' (want a number in 32768..");
	refused("hello-timeout-ms = 2147483648\n", "r.conf:1: bad hello-timeout-ms");
	refused("idle-timeout-ms = 1e3\n", "r.conf:1: bad idle-timeout-ms");
	refused("conns-per-ip = -1\n", "r.conf:1: bad conns-per-ip");
	refused("joins-per-min = 100001\n", "r.conf:1: bad joins-per-min");
	refused("sessions-per-min = 0\n", "r.conf:1: bad sessions-per-min");
	refused("drain-deadline = 0\n", "r.conf:1: bad drain-deadline '0' (want a number in "
	    "1..86400)");
	refused("drain-deadline = 86401\n", "r.conf:1: bad drain-deadline");
	refused("state-dir = relative/dir\n", "r.conf:1: bad state-dir 'relative/dir' (want an "
	    "absolute path)");
	refused("tls-cert = cert.pem\n", "r.conf:1: bad tls-cert");
	refused("tls-key = key.pem\n", "r.conf:1: bad tls-key");
	refused("session-policy = closed\n", "r.conf:1: bad session-policy 'closed' (want open "
	    "or token)");
	refused("token-key-file = keys\n", "r.conf:1: bad token-key-file");
	refused("user = -rf\n", "r.conf:1: bad user '-rf' (want a system user's name");
	refused("user = a b\n", "r.conf:1: bad user");
	refused("user = ../root\n", "r.conf:1: bad user");
	refused("user = abcdefghijklmnopqrstuvwxyz0123456\n", "r.conf:1: bad user");
	refused("log-format = yaml\n", "r.conf:1: bad log-format 'yaml' (want text or json)");
	refused("log-level = loud\n", "r.conf:1: bad log-level 'loud' (want debug, info, warn or "
	    "error)");
	/* cluster may hold a password: a bad one is not shown */
	refused("cluster = 10.0.0.5:6379\n", "r.conf:1: bad cluster '...' (want "
	    "redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]");
	refused("cluster = redis://h/db\n", "r.conf:1: bad cluster");
	refused("cluster = redis://relay:s3cret@h:99999\n", "r.conf:1: bad cluster '...'");
	CHECK(strstr(why, "s3cret") == NULL && strstr(why, "relay:") == NULL);
	refused("cluster = redis://:s3cret%zz@h\n", "r.conf:1: bad cluster '...'");
	CHECK(strstr(why, "s3cret") == NULL);
	refused("cluster-password-file = redis-password\n", "r.conf:1: bad "
	    "cluster-password-file 'redis-password' (want an absolute path)");
	refused("advertise = two words\n", "r.conf:1: bad advertise 'two words' (want NAME[:PORT] "
	    "with no spaces");
	refused("advertise = relay:0\n", "r.conf:1: bad advertise");
	refused("max-viewers = 2\nmax-viewers\n", "r.conf:2: no '='");
	/* One listen more than the relay takes: the line that is one too many. */
	for (int i = 0; i <= RELAY_LISTENERS_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "listen = 127.0.0.1:%d\n",
		    5000 + i);
	refused(text, "r.conf:17: bad listen '127.0.0.1:5016' (want at most 16 listen addresses)");
}

/* The command line's values go through the same checks, but a path on
 * the command line may be relative (it is the caller's directory). */
static void
command_line(void)
{
	struct rconfig c;
	char want[256];

	rconfig_init(&c);
	CHECK(rconfig_set(&c, RKEY_STATE_DIR, "state", false, want, sizeof(want)) == 0);
	CHECK(rconfig_set(&c, RKEY_STATE_DIR, "state", true, want, sizeof(want)) == ERR_FORMAT);
	CHECK(rconfig_set(&c, RKEY_MAX_VIEWERS, "99", false, want, sizeof(want)) == ERR_FORMAT);
	CHECK(strcmp(want, "a number in 1..16") == 0 && !c.given[RKEY_MAX_VIEWERS]);
	CHECK(strcmp(rconfig_key_name(RKEY_MAX_VIEWERS), "max-viewers") == 0);
	CHECK(strcmp(rconfig_key_name(RKEYS), "?") == 0);
}

/* The file under the command line; listen as a whole. */
static void
merge(void)
{
	struct rconfig cli, file;
	struct server_config cfg;
	char def[32], want[256];

	rconfig_init(&cli);
	rconfig_init(&file);
	CHECK(parse(&file, "listen = 127.0.0.1:1\nlisten = 127.0.0.1:2\nmax-viewers = 5\n"
	    "idle-timeout-ms = 1000\nlog-level = debug\n") == 0);
	CHECK(rconfig_set(&cli, RKEY_LISTEN, "[::1]:3", false, want, sizeof(want)) == 0);
	CHECK(rconfig_set(&cli, RKEY_MAX_VIEWERS, "2", false, want, sizeof(want)) == 0);
	rconfig_under(&cli, &file);
	CHECK(cli.n_listen == 1 && strcmp(cli.listen[0], "[::1]:3") == 0);
	CHECK(cli.max_viewers == 2 && cli.idle_timeout_ms == 1000 && cli.level == LOG_DEBUG);
	CHECK(cli.hello_timeout_ms == RELAY_HELLO_TIMEOUT_MS && !cli.given[RKEY_HELLO_TIMEOUT_MS]);
	rconfig_server(&cli, &cfg, def, sizeof(def));
	CHECK(cfg.n_listen == 1 && strcmp(cfg.listen[0], "[::1]:3") == 0);
	CHECK(cfg.max_viewers == 2 && cfg.idle_timeout_ms == 1000 && cfg.state_dir == NULL);

	/* No listen anywhere: the default port on every IPv4 address. */
	rconfig_init(&cli);
	rconfig_init(&file);
	rconfig_under(&cli, &file);
	rconfig_server(&cli, &cfg, def, sizeof(def));
	CHECK(cfg.n_listen == 1 && strcmp(cfg.listen[0], "0.0.0.0:4663") == 0);
	CHECK(cfg.body_max == WIRE_BODY_DEFAULT_BYTES && cfg.joins_per_min == RELAY_JOIN_PER_MIN);

	/* From the file only. */
	rconfig_init(&cli);
	rconfig_init(&file);
	CHECK(parse(&file, "listen = 127.0.0.1:1\nlisten = 127.0.0.1:2\nstate-dir = /s\n") == 0);
	rconfig_under(&cli, &file);
	rconfig_server(&cli, &cfg, def, sizeof(def));
	CHECK(cfg.n_listen == 2 && strcmp(cfg.listen[1], "127.0.0.1:2") == 0);
	CHECK(cfg.state_dir != NULL && strcmp(cfg.state_dir, "/s") == 0);
}

static void
files(void)
{
	char dir[] = "/tmp/fernsicht-test-rconfig.XXXXXX", path[256];
	struct rconfig c;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp failed");
	snprintf(path, sizeof(path), "%s/relay.conf", dir);
	rconfig_init(&c);
	/* The default file may be missing; a --config FILE may not. */
	CHECK(rconfig_load(&c, path, false, why, sizeof(why)) == 0);
	CHECK(rconfig_load(&c, path, true, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strncmp(why, path, strlen(path)) == 0 && strstr(why, "no such file") != NULL);
	f = fopen(path, "w");
	fputs("listen = 127.0.0.1:0\nmax-viewers = 3\n", f);
	fclose(f);
	CHECK(rconfig_load(&c, path, true, why, sizeof(why)) == 0);
	CHECK(c.n_listen == 1 && c.max_viewers == 3);
	/* A directory given as --config */
	CHECK(rconfig_load(&c, dir, true, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "not a regular file") != NULL);
	/* A Redis password in a file everyone may read: a warning, not a refusal */
	f = fopen(path, "w");
	fputs("cluster = redis://:s3cret@10.0.0.5\n", f);
	fclose(f);
	CHECK(chmod(path, 0644) == 0);
	rconfig_init(&c);
	CHECK(rconfig_load(&c, path, true, why, sizeof(why)) == 0 && c.warnings == 1);
	CHECK(chmod(path, 0640) == 0);
	rconfig_init(&c);
	CHECK(rconfig_load(&c, path, true, why, sizeof(why)) == 0 && c.warnings == 0);
	f = fopen(path, "w");
	fputs("cluster = redis://10.0.0.5\n", f);
	fclose(f);
	CHECK(chmod(path, 0644) == 0);
	rconfig_init(&c);
	CHECK(rconfig_load(&c, path, true, why, sizeof(why)) == 0 && c.warnings == 0);
	unlink(path);
	rmdir(dir);
}

/* packaging/relay.conf: as shipped it sets nothing; every key in it,
 * uncommented, is a key of the relay and a good value. */
static void
shipped_example(void)
{
	static char shipped[EXAMPLE_MAX_BYTES], keys[EXAMPLE_MAX_BYTES];
	struct rconfig c;

	if (!CHECK(example_read("relay.conf", shipped, keys) > 0))
		return;
	rconfig_init(&c);
	CHECK(parse(&c, shipped) == 0 && c.warnings == 0);
	for (unsigned k = 0; k < RKEYS; k++)
		CHECK(!c.given[k]);
	if (!CHECK(parse(&c, keys) == 0 && c.warnings == 0))
		printf("#   %s\n", why);
	for (unsigned k = 0; k < RKEYS; k++)
		if (!CHECK(c.given[k]))
			printf("#   not in packaging/relay.conf: %s\n", rconfig_key_name(k));
	CHECK(c.n_listen == 2);
}

/* A reload keeps what needs a restart, and takes the rest. */
static void
restart_keys(void)
{
	static struct rconfig run, next;

	rconfig_init(&run);
	CHECK(parse(&run, "listen = 127.0.0.1:1\nstate-dir = /a\nuser = one\n"
	    "cluster = redis://:pw@h:1/0\nmax-viewers = 3\n") == 0);
	redis_url_hide_userinfo(run.cluster);   /* as main() leaves it running */
	rconfig_init(&next);
	CHECK(parse(&next, "listen = 127.0.0.1:1\nstate-dir = /a\nuser = one\n"
	    "cluster = redis://:pw@h:1/0\nmax-viewers = 2\n") == 0);
	CHECK(rconfig_keep_restart_keys(&next, &run, "r.conf") == 0);
	CHECK(next.max_viewers == 2 && strcmp(next.cluster, run.cluster) == 0);
	rconfig_init(&next);
	CHECK(parse(&next, "listen = 127.0.0.1:2\nlisten = 127.0.0.1:3\nstate-dir = /b\n"
	    "user = two\ncluster = redis://:other@h:1/0\nadvertise = x:1\n"
	    "max-viewers = 1\n") == 0);
	CHECK(rconfig_keep_restart_keys(&next, &run, "r.conf") == 5);
	CHECK(next.n_listen == 1 && strcmp(next.listen[0], "127.0.0.1:1") == 0);
	CHECK(strcmp(next.state_dir, "/a") == 0 && strcmp(next.user, "one") == 0);
	CHECK(strcmp(next.cluster, run.cluster) == 0 && next.advertise[0] == '\0');
	CHECK(next.max_viewers == 1);
}

int
main(void)
{
	log_init("test_relay_config", LOG_ERROR);
	every_key();
	bad_values();
	command_line();
	merge();
	files();
	shipped_example();
	restart_keys();
	return test_done();
}
