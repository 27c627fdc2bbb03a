/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_master_config.c - the master's settings files (master/config.c):
 * its key table, each value's check, that nothing lets a viewer in
 * without the host (auto-accept is no key), and how the files sit under
 * the command line (mconfig_use, with a user's file of the test's own).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../master/config.h"
#include "../../master/session.h"
#include "log.h"
#include "example.h"
#include "test.h"
#include "transport.h"

static char why[512];

static int
parse(struct mconfig *c, const char *text)
{
	return mconfig_parse(c, "m.conf", text, strlen(text), why, sizeof(why));
}

static void
refused(const char *text, const char *where)
{
	struct mconfig c;

	mconfig_init(&c);
	snprintf(c.relay, sizeof(c.relay), "kept:1");
	if (!CHECK(parse(&c, text) == ERR_FORMAT))
		printf("#   accepted: %s\n", text);
	if (!CHECK(strncmp(why, where, strlen(where)) == 0))
		printf("#   why: %s (want %s)\n", why, where);
	CHECK(strcmp(c.relay, "kept:1") == 0 && c.transport == -1 && c.file_max_bytes == 0);
}

static void
every_key(void)
{
	struct mconfig c;

	mconfig_init(&c);
	CHECK(parse(&c, "# what the company sets once\n"
	    "relay = relay.example.org:443\n"
	    "transport = proxy\n"
	    "proxy = http://proxy.example:3128\n"
	    "proxy-user = host:pa ss\n"
	    "ca-file = /etc/ssl/company-ca.pem\n"
	    "name = Buchhaltung 3\n"
	    "inbox = /srv/inbox\n"
	    "file-limit = 4G\n"
	    "files-total-limit = 10GiB\n"
	    "max-kbps = 2000\n") == 0);
	CHECK(strcmp(c.relay, "relay.example.org:443") == 0);
	CHECK(c.transport == TRANSPORT_PROXY);
	CHECK(strcmp(c.proxy, "http://proxy.example:3128") == 0);
	CHECK(strcmp(c.proxy_user, "host:pa ss") == 0);
	CHECK(strcmp(c.ca_file, "/etc/ssl/company-ca.pem") == 0);
	CHECK(strcmp(c.name, "Buchhaltung 3") == 0);
	CHECK(strcmp(c.inbox, "/srv/inbox") == 0);
	CHECK(c.file_max_bytes == (uint64_t)4 << 30);
	CHECK(c.files_total_max_bytes == (uint64_t)10 << 30);
	CHECK(c.max_kbps == 2000);
	CHECK(c.warnings == 0);
}

/* What would let a viewer in without the host's word is no key: a file
 * that says so is warned about and changes nothing. */
static void
no_consent_bypass(void)
{
	struct mconfig c, before;

	mconfig_init(&c);
	before = c;
	CHECK(parse(&c, "auto-accept = yes\nauto_accept = 1\nheadless = yes\n"
	    "handshake-timeout = 3600\n") == 0);
	CHECK(c.warnings == 4);
	c.warnings = 0;
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
}

static void
bad_values(void)
{
	char name[MSG_NAME_MAX + 16];

	refused("relay = relay.example:0\n", "m.conf:1: bad relay");
	refused("relay = relay example\n", "m.conf:1: bad relay");
	refused("relay = a.example,,b.example\n", "m.conf:1: bad relay");
	refused("relay = 1,2,3,4,5,6,7,8,9\n", "m.conf:1: bad relay '1,2,3,4,5,6,7,8,9' (want "
	    "HOST[:PORT], or several of them separated by commas (at most 8))");
	refused("transport = pigeon\n", "m.conf:1: bad transport 'pigeon' (want auto, tcp, tls, "
	    "proxy or http)");
	refused("proxy = http://a b\n", "m.conf:1: bad proxy");
	refused("proxy-user = nopass\n", "m.conf:1: bad proxy-user '...' (want USER:PASS)");
	refused("ca-file = ca.pem\n", "m.conf:1: bad ca-file 'ca.pem' (want an absolute path)");
	refused("inbox = Downloads\n", "m.conf:1: bad inbox 'Downloads' (want an absolute path)");
	refused("file-limit = 0\n",
	    "m.conf:1: bad file-limit '0' (want a size such as 500M or 4G)");
	refused("file-limit = 4X\n", "m.conf:1: bad file-limit");
	refused("file-limit = -1\n", "m.conf:1: bad file-limit");
	refused("files-total-limit = 99999999999999999999\n", "m.conf:1: bad files-total-limit");
	refused("files-total-limit = 17179869184T\n", "m.conf:1: bad files-total-limit");
	refused("max-kbps = 15\n", "m.conf:1: bad max-kbps '15' (want a number in 16..10000000)");
	refused("max-kbps = 10000001\n", "m.conf:1: bad max-kbps");
	refused("relay = ok.example\nname = \xc3\n", "m.conf:2: bad name");
	snprintf(name, sizeof(name), "name = %0*d\n", MSG_NAME_MAX + 1, 0);
	refused(name, "m.conf:1: bad name");
	refused("relay\n", "m.conf:1: no '='");
}

static char dir[] = "/tmp/fernsicht-test-mconfig.XXXXXX";

static void
write_conf(const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/fernsicht", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/fernsicht/master.conf", dir);
	if ((f = fopen(path, "w")) == NULL)
		TEST_BAIL("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

/* The files fill what the command line left out, and only that. */
static void
under_the_command_line(void)
{
	static struct mconfig c;        /* o and t point into it */
	struct master_opts o;
	struct transport_opts t;
	char path[256];

	if (access("/etc/fernsicht/master.conf", F_OK) == 0) {
		printf("# skipped: this machine has an /etc/fernsicht/master.conf\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/fernsicht/master.conf", dir);
	write_conf("relay = file.example\ntransport = tls\nproxy = http://p:1\n"
	    "ca-file = /ca.pem\nname = from-file\ninbox = /in\nfile-limit = 1M\n"
	    "max-kbps = 100\n");

	/* Nothing on the command line: all from the file. */
	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	t.kind = TRANSPORT_AUTO;
	CHECK(mconfig_use(&c, path, &o, &t, false) == -1);
	CHECK(o.relay != NULL && strcmp(o.relay, "file.example") == 0);
	CHECK(t.kind == TRANSPORT_TLS && strcmp(t.proxy, "http://p:1") == 0);
	CHECK(t.proxy_user == NULL && strcmp(t.ca_file, "/ca.pem") == 0);
	CHECK(strcmp(o.name, "from-file") == 0 && strcmp(o.inbox, "/in") == 0);
	CHECK(o.file_max_bytes == 1 << 20 && o.files_total_max_bytes == 0 && o.max_kbps == 100);

	/* The command line wins, --transport auto included. */
	memset(&o, 0, sizeof(o));
	o.relay = "cli.example";
	o.name = "cli";
	o.file_max_bytes = 5;
	o.max_kbps = 64;
	memset(&t, 0, sizeof(t));
	t.kind = TRANSPORT_AUTO;
	t.proxy = "http://cli:2";
	CHECK(mconfig_use(&c, path, &o, &t, true) == -1);
	CHECK(strcmp(o.relay, "cli.example") == 0 && strcmp(o.name, "cli") == 0);
	CHECK(t.kind == TRANSPORT_AUTO && strcmp(t.proxy, "http://cli:2") == 0);
	CHECK(o.file_max_bytes == 5 && o.max_kbps == 64 && strcmp(o.inbox, "/in") == 0);

	/* A refused file: exit code 1, why[] with file:line, o untouched. */
	write_conf("relay = file.example\n\nmax-kbps = 1\n");
	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	CHECK(mconfig_use(&c, path, &o, &t, false) == 1);
	CHECK(strncmp(c.why, path, strlen(path)) == 0 && strstr(c.why, ":3: bad max-kbps") != NULL);
	CHECK(o.relay == NULL && o.max_kbps == 0);
	unlink(path);

	/* No file at all, or no user's path: nothing changes. */
	memset(&o, 0, sizeof(o));
	CHECK(mconfig_use(&c, path, &o, &t, false) == -1 && o.relay == NULL && o.inbox == NULL);
	CHECK(mconfig_use(&c, "", &o, &t, false) == -1 && o.relay == NULL);
	snprintf(path, sizeof(path), "%s/fernsicht", dir);
	rmdir(path);
}

/* session-creation tokens: token from a file only, token-file's
 * first line, token over token-file, bad ones refused with file and line. */
static void
token_keys(void)
{
	static struct mconfig c;
	struct master_opts o;
	struct transport_opts t;
	char path[256], tpath[256];
	FILE *f;

	mconfig_init(&c);
	CHECK(parse(&c, "token = fst1.AbC-_9\n") == 0 && strcmp(c.token, "fst1.AbC-_9") == 0);
	refused("relay = r\ntoken = fst2.abc\n", "m.conf:2: bad token");
	refused("token = fst1.\n", "m.conf:1: bad token");
	refused("token = fst1.a b\n", "m.conf:1: bad token");
	refused("token-file = relative/path\n", "m.conf:1: bad token-file");
	if (access("/etc/fernsicht/master.conf", F_OK) == 0) {
		printf("# skipped: this machine has an /etc/fernsicht/master.conf\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/fernsicht/master.conf", dir);
	snprintf(tpath, sizeof(tpath), "%s/token", dir);
	if ((f = fopen(tpath, "w")) == NULL)
		TEST_BAIL("cannot write %s", tpath);
	fputs("fst1.FromFile\r\nsecond line\n", f);
	fclose(f);
	chmod(tpath, 0600);
	{
		char text[600];

		snprintf(text, sizeof(text), "token-file = %s\n", tpath);
		write_conf(text);
	}
	memset(&o, 0, sizeof(o));
	memset(&t, 0, sizeof(t));
	CHECK(mconfig_use(&c, path, &o, &t, false) == -1);
	CHECK(o.token != NULL && strcmp(o.token, "fst1.FromFile") == 0);
	{
		char text[600];

		snprintf(text, sizeof(text), "token-file = %s\ntoken = fst1.Wins\n", tpath);
		write_conf(text);
	}
	memset(&o, 0, sizeof(o));
	CHECK(mconfig_use(&c, path, &o, &t, false) == -1 && strcmp(o.token, "fst1.Wins") == 0);
	if ((f = fopen(tpath, "w")) == NULL)
		TEST_BAIL("cannot write %s", tpath);
	fputs("not a token\n", f);
	fclose(f);
	{
		char text[600];

		snprintf(text, sizeof(text), "token-file = %s\n", tpath);
		write_conf(text);
	}
	memset(&o, 0, sizeof(o));
	CHECK(mconfig_use(&c, path, &o, &t, false) == 1 && o.token == NULL);
	CHECK(strstr(c.why, "not a session token") != NULL);
	unlink(tpath);
	CHECK(mconfig_use(&c, path, &o, &t, false) == 1 && o.token == NULL);
	unlink(path);
	snprintf(path, sizeof(path), "%s/fernsicht", dir);
	rmdir(path);
}

/* packaging/master.conf: as shipped it sets nothing; uncommented, every
 * key is the master's and every value good. */
static void
shipped_example(void)
{
	static char shipped[EXAMPLE_MAX_BYTES], keys[EXAMPLE_MAX_BYTES];
	struct mconfig c, none;

	if (!CHECK(example_read("master.conf", shipped, keys) > 0))
		return;
	mconfig_init(&c);
	none = c;
	CHECK(parse(&c, shipped) == 0 && memcmp(&c, &none, sizeof(c)) == 0);
	if (!CHECK(parse(&c, keys) == 0 && c.warnings == 0))
		printf("#   %s\n", why);
	CHECK(c.relay[0] != '\0' && c.proxy[0] != '\0');     /* transport auto: the default */
	CHECK(c.proxy_user[0] != '\0' && c.ca_file[0] != '\0' && c.name[0] != '\0');
	CHECK(c.inbox[0] != '\0' && c.file_max_bytes > 0 && c.files_total_max_bytes > 0);
	CHECK(c.max_kbps > 0);
	CHECK(c.token[0] != '\0' && c.token_file[0] != '\0');
}

int
main(void)
{
	log_init("test_master_config", LOG_ERROR);
	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp failed");
	every_key();
	no_consent_bypass();
	bad_values();
	under_the_command_line();
	token_keys();
	shipped_example();
	rmdir(dir);
	return test_done();
}
