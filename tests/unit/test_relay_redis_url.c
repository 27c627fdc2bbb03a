/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_redis_url - --cluster and --advertise as text: host, port
 * and db and their bad forms; --cluster's user and password: the URL's
 * userinfo with percent-decoding and its bad forms, that the password
 * ends up in no printed form (the URL as shown, the settings' messages),
 * and --cluster-password-file's first line and its refusals.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../relay/config.h"
#include "limits.h"
#include "log.h"
#include "password_file.h"
#include "redis_url.h"
#include "test.h"

static bool
all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* --cluster and --advertise without a user: host, port and db, their
 * defaults and their bad forms. */
static void
host_port_db(void)
{
	struct redis_url u;
	char a[RELAY_CLUSTER_NAME_MAX + 1];

	CHECK_ERR(redis_url_parse("redis://127.0.0.1:6380/3", &u), 0);
	CHECK(strcmp(u.host, "127.0.0.1") == 0 && u.port == 6380 && u.db == 3);
	CHECK_ERR(redis_url_parse("redis://redis.example", &u), 0);
	CHECK(strcmp(u.host, "redis.example") == 0 && u.port == 6379 && u.db == 0);
	CHECK_ERR(redis_url_parse("redis://[::1]:7000", &u), 0);
	CHECK(strcmp(u.host, "::1") == 0 && u.port == 7000);
	CHECK_ERR(redis_url_parse("http://127.0.0.1", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h:0", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h:99999", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h/x", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h/", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://@h", &u), ERR_FORMAT);
	/* user and password: userinfo() */
	CHECK_ERR(redis_url_parse("redis://h h", &u), ERR_FORMAT);

	CHECK_ERR(redis_advertise_parse("relay1.example.org", 4663, a, sizeof(a)), 0);
	CHECK(strcmp(a, "relay1.example.org:4663") == 0);
	CHECK_ERR(redis_advertise_parse("relay1:443", 4663, a, sizeof(a)), 0);
	CHECK(strcmp(a, "relay1:443") == 0);
	CHECK_ERR(redis_advertise_parse("[2001:db8::1]:443", 4663, a, sizeof(a)), 0);
	CHECK(strcmp(a, "[2001:db8::1]:443") == 0);
	CHECK_ERR(redis_advertise_parse("two words", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK(a[0] == '\0');
	CHECK_ERR(redis_advertise_parse("", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("r:0", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("r\n", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("r/x:1", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("u@r:1", 4663, a, sizeof(a)), ERR_FORMAT);
}

/* s parses to host:port/db with this user and password. */
static void
good(const char *s, const char *host, unsigned port, unsigned db, const char *user,
    const char *password)
{
	struct redis_url u;

	if (!CHECK(redis_url_parse(s, &u) == 0)) {
		printf("#   refused: %s\n", s);
		return;
	}
	if (!CHECK(strcmp(u.host, host) == 0 && u.port == port && u.db == db &&
	    strcmp(u.user, user) == 0 && strcmp(u.password, password) == 0))
		printf("#   %s: host '%s' port %u db %u user '%s'\n", s, u.host, u.port, u.db,
		    u.user);
	redis_url_wipe(&u);
	CHECK(all_zero(&u, sizeof(u)));
}

static void
bad(const char *s)
{
	struct redis_url u;

	memset(&u, 0x55, sizeof(u));
	if (!CHECK(redis_url_parse(s, &u) == ERR_FORMAT))
		printf("#   accepted: %s\n", s);
	/* nothing half-decoded is left behind */
	CHECK(all_zero(&u, sizeof(u)));
}

static void
userinfo(void)
{
	char longest[RELAY_CLUSTER_PASSWORD_MAX + 64], over[RELAY_CLUSTER_PASSWORD_MAX + 64];
	char want[RELAY_CLUSTER_PASSWORD_MAX + 1];

	good("redis://10.0.0.5", "10.0.0.5", 6379, 0, "", "");
	good("redis://:s3cret@10.0.0.5:6380/2", "10.0.0.5", 6380, 2, "", "s3cret");
	good("redis://relay:s3cret@redis.example", "redis.example", 6379, 0, "relay", "s3cret");
	good("redis://relay@redis.example/1", "redis.example", 6379, 1, "relay", "");
	good("redis://:p%40ss%2Fw%25rd%3a@[::1]:7000", "::1", 7000, 0, "", "p@ss/w%rd:");
	good("redis://us%3Aer:x@h", "h", 6379, 0, "us:er", "x");
	/* the first ':' ends the user, the last '@' the password */
	good("redis://u:a:b@c@h:1", "h", 1, 0, "u", "a:b@c");
	/* a decoded byte may be anything but NUL: the password goes out with its length */
	good("redis://:%0a%20%ff@h", "h", 6379, 0, "", "\n \xff");

	bad("redis://@h");
	bad("redis://:@h");
	bad("redis://u:@h");
	bad("redis://:pw@");
	bad("redis://:pw@:6379");
	bad("redis://:p%4@h");
	bad("redis://:p%@h");
	bad("redis://:p%zz@h");
	bad("redis://:p%00w@h");
	bad("redis://u%00:p@h");
	bad("redis://:p w@h");          /* a blank: percent-encode it */
	bad("redis://:pw@h:0");
	bad("redis://:pw@h/x");
	bad("redis://:pw@h/+1");
	bad("redis://:p/w@h");          /* '/' ends the host part: %2F */
	bad("rediss://:pw@h");

	/* the longest password and user, and one byte more */
	memset(want, 'p', RELAY_CLUSTER_PASSWORD_MAX);
	want[RELAY_CLUSTER_PASSWORD_MAX] = '\0';
	snprintf(longest, sizeof(longest), "redis://:%s@h", want);
	good(longest, "h", 6379, 0, "", want);
	snprintf(over, sizeof(over), "redis://:%sp@h", want);
	bad(over);
	want[RELAY_CLUSTER_USER_MAX] = '\0';
	snprintf(longest, sizeof(longest), "redis://%s:x@h", want);
	good(longest, "h", 6379, 0, want, "x");
	snprintf(over, sizeof(over), "redis://%sp:x@h", want);
	bad(over);
	/* percent-encoded, the limit is on the decoded bytes */
	over[0] = '\0';
	strcat(over, "redis://:");
	for (int i = 0; i < 100; i++)
		strcat(over, "%41");
	strcat(over, "@h");
	good(over, "h", 6379, 0, "", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
}

/* What is shown of a URL: the userinfo hidden, the rest as it was. */
static void
hidden(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "redis://:s3cret@h:1/2", "redis://*******@h:1/2" },
		{ "redis://relay:s3cret@h", "redis://************@h" },
		{ "redis://u:a@b@h", "redis://*****@h" },
		{ "redis://h:1/2", "redis://h:1/2" },
		{ "redis://s3cret@h", "redis://******@h" },
		{ "redis://h/s3cret@x", "redis://h/s3cret@x" },        /* no userinfo: as it is */
		{ "http://:s3cret@h", "http://:s3cret@h" },            /* not ours: untouched */
		{ "", "" },
	};
	char s[128];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(s, sizeof(s), "%s", cases[i].in);
		redis_url_hide_userinfo(s);
		if (!CHECK(strcmp(s, cases[i].out) == 0))
			printf("#   %s -> %s\n", cases[i].in, s);
	}
}

/* The settings' messages about a bad --cluster never show what was given. */
static void
messages(void)
{
	static const char *const values[] = {
		"redis://:s3cret@h:99999", "redis://relay:s3cret@h/x", "redis://:s3cret%zz@h",
		"s3cret", "redis://:s3cret@",
	};
	char want[256], why[512], line[128];
	struct rconfig c;

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		rconfig_init(&c);
		CHECK(rconfig_set(&c, RKEY_CLUSTER, values[i], false, want, sizeof(want)) ==
		    ERR_FORMAT);
		CHECK(strstr(want, "s3cret") == NULL && strstr(want, "redis://[[USER]") != NULL);
		snprintf(line, sizeof(line), "cluster = %s\n", values[i]);
		CHECK(rconfig_parse(&c, "r.conf", line, strlen(line), why, sizeof(why)) ==
		    ERR_FORMAT);
		if (!CHECK(strstr(why, "s3cret") == NULL))
			printf("#   %s\n", why);
	}
}

static char dir[] = "/tmp/test_relay_redis_url.XXXXXX";

/* A file at dir/name with these bytes and mode; its path in path. */
static void
file(char *path, size_t path_len, const char *name, const void *text, size_t len, mode_t mode)
{
	int fd;

	snprintf(path, path_len, "%s/%s", dir, name);
	unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0 ||
	    write(fd, text, len) != (ssize_t)len || fchmod(fd, mode) != 0 || close(fd) != 0)
		TEST_BAIL("cannot write %s", path);
}

static void
password_file(void)
{
	char path[256], pw[RELAY_CLUSTER_PASSWORD_MAX + 1], why[512];
	char longest[RELAY_CLUSTER_PASSWORD_MAX + 2];

	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp failed");
	file(path, sizeof(path), "pw", "s3cret\nsecond line\n", 19, 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == 0);
	CHECK(strcmp(pw, "s3cret") == 0);
	file(path, sizeof(path), "pw", "s3 cret:@%41\r\n", 14, 0640);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == 0);
	CHECK(strcmp(pw, "s3 cret:@%41") == 0);        /* as it is: no decoding */
	file(path, sizeof(path), "pw", "s3cret", 6, 0400);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == 0);
	CHECK(strcmp(pw, "s3cret") == 0);

	/* everyone may read it: refused, and nothing of it comes back */
	file(path, sizeof(path), "pw", "s3cret\n", 7, 0644);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);
	CHECK(pw[0] == '\0' && strstr(why, "everyone may read it") != NULL);
	CHECK(strncmp(why, path, strlen(path)) == 0 && strstr(why, "s3cret") == NULL);
	file(path, sizeof(path), "pw", "s3cret\n", 7, 0604);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);

	file(path, sizeof(path), "pw", "\ns3cret\n", 8, 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "empty") != NULL);
	file(path, sizeof(path), "pw", "", 0, 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);
	file(path, sizeof(path), "pw", "s3\0cret\n", 8, 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "NUL") != NULL);

	/* the longest first line, with CRLF, and one byte more */
	memset(longest, 'p', sizeof(longest));
	longest[RELAY_CLUSTER_PASSWORD_MAX] = '\r';
	longest[RELAY_CLUSTER_PASSWORD_MAX + 1] = '\n';
	file(path, sizeof(path), "pw", longest, sizeof(longest), 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == 0);
	CHECK(strlen(pw) == RELAY_CLUSTER_PASSWORD_MAX);
	longest[RELAY_CLUSTER_PASSWORD_MAX] = 'p';
	file(path, sizeof(path), "pw", longest, sizeof(longest), 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "longer than") != NULL);
	file(path, sizeof(path), "pw", longest, RELAY_CLUSTER_PASSWORD_MAX + 1, 0600);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);

	CHECK(password_file_read(dir, pw, sizeof(pw), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "not a regular file") != NULL);
	snprintf(path, sizeof(path), "%s/missing", dir);
	CHECK(password_file_read(path, pw, sizeof(pw), why, sizeof(why)) == ERR_SYSTEM);
	snprintf(path, sizeof(path), "%s/pw", dir);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	log_init("test_relay_redis_url", LOG_ERROR);
	host_port_db();
	userinfo();
	hidden();
	messages();
	password_file();
	return test_done();
}
