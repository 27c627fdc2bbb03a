/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_settings.c - the settings files every program reads: the lines
 * (proto/keyvalue.c), the files and messages (net/settings.c) and the
 * shared value checks (settings_value.c, settings_client.c), against a
 * table of its own. Hostile input: lines at and over the limit, NUL and
 * other control bytes anywhere, random binary, a file over the limit (and
 * a sparse one of a GiB), a directory, a FIFO, a symlink to /dev/zero.
 * A refused file leaves the settings as they were and names file:line; a
 * secret value is never shown.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "keyvalue.h"
#include "log.h"
#include "settings.h"
#include "test.h"

enum { K_HOST, K_COUNT, K_SECRET, K_MANY, KS };

static const struct keyvalue_key keys[KS] = {
	[K_HOST] = { "host", 0 },
	[K_COUNT] = { "count", 0 },
	[K_SECRET] = { "secret", KEYVALUE_SECRET },
	[K_MANY] = { "many", KEYVALUE_REPEATABLE },
};

struct conf {
	char host[SETTINGS_VALUE_MAX];
	unsigned long count;
	char secret[64];
	char many[3][32];
	unsigned n_many;
	char from[128];
	unsigned warnings;
};

static int
set(void *p, unsigned k, const char *v, const char *from, char *want, size_t want_len)
{
	struct conf *c = p;

	switch (k) {
	case K_HOST:
		snprintf(c->host, sizeof(c->host), "%s", v);
		snprintf(c->from, sizeof(c->from), "%s", from);
		return 0;
	case K_COUNT:
		return settings_value_number(v, 1, 10, &c->count, want, want_len);
	case K_SECRET:
		if (strchr(v, ':') == NULL) {
			snprintf(want, want_len, "USER:PASS");
			return ERR_FORMAT;
		}
		snprintf(c->secret, sizeof(c->secret), "%s", v);
		return 0;
	case K_MANY:
		if (c->n_many == 3) {
			snprintf(want, want_len, "at most 3");
			return ERR_FORMAT;
		}
		snprintf(c->many[c->n_many++], sizeof(c->many[0]), "%s", v);
		return 0;
	}
	return ERR_INTERNAL;
}

static const struct settings_spec spec = {
	.keys = keys, .n_keys = KS, .set = set, .conf_size = sizeof(struct conf),
};

static char why[512];

static int
parse_n(struct conf *c, const char *text, size_t n)
{
	return settings_parse(&spec, c, "t.conf", text, n, &c->warnings, why, sizeof(why));
}

static int
parse(struct conf *c, const char *text)
{
	return parse_n(c, text, strlen(text));
}

/* A text that must be refused, saying where; c unchanged. */
static void
refused_n(const char *text, size_t n, const char *where)
{
	struct conf c, before;

	memset(&c, 0, sizeof(c));
	snprintf(c.host, sizeof(c.host), "kept");
	before = c;
	if (!CHECK(parse_n(&c, text, n) == ERR_FORMAT))
		printf("#   accepted: %.*s\n", (int)n, text);
	if (!CHECK(strncmp(why, where, strlen(where)) == 0))
		printf("#   why: %s (want %s)\n", why, where);
	c.warnings = before.warnings;
	CHECK(memcmp(&c, &before, sizeof(c)) == 0);
}

static void
refused(const char *text, const char *where)
{
	refused_n(text, strlen(text), where);
}

/* The reader alone: what it hands out for each kind of line. */
static void
reader_items(void)
{
	const char *text = "# comment = not a pair\n"
	    "\n"
	    "  host =  a b  \r\n"
	    "hots = typo\n"
	    "host=second\n"
	    "many = 1\n"
	    "many = 2\n"
	    "\t# tabbed comment\n"
	    "count = 3 # not a comment\n"
	    "nokey\n"
	    "host = never reached\n";
	struct keyvalue_reader rd;
	struct keyvalue_item it;

	keyvalue_init(&rd, keys, KS, text, strlen(text));
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_PAIR && it.line == 3 && it.key == K_HOST && !it.again);
	CHECK(strcmp(it.value, "a b") == 0);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_UNKNOWN && it.line == 4 && strcmp(it.name, "hots") == 0);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_PAIR && it.line == 5 && it.again);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_PAIR && it.key == K_MANY && !it.again);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_PAIR && it.key == K_MANY && !it.again);   /* repeatable */
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_PAIR && it.line == 9);
	CHECK(strcmp(it.value, "3 # not a comment") == 0);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_BAD && it.problem == KEYVALUE_NO_EQUALS && it.line == 10);
	/* After a refusal nothing more, however often asked. */
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_END);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_END);
	keyvalue_wipe(&rd);

	/* Empty text, and text without a final newline. */
	keyvalue_init(&rd, keys, KS, "", 0);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_END);
	keyvalue_init(&rd, keys, KS, "host=x", 6);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_PAIR && strcmp(it.value, "x") == 0);
	keyvalue_next(&rd, &it);
	CHECK(it.kind == KEYVALUE_END);
}

static void
good_and_all_or_nothing(void)
{
	struct conf c;

	memset(&c, 0, sizeof(c));
	CHECK(parse(&c, "host = h1\ncount = 7\nsecret = u:p\nmany = a\nmany = b\nodd = 1\n") == 0);
	CHECK(strcmp(c.host, "h1") == 0 && c.count == 7 && strcmp(c.secret, "u:p") == 0);
	CHECK(c.n_many == 2 && strcmp(c.many[1], "b") == 0);
	CHECK(strcmp(c.from, "t.conf") == 0);
	CHECK(c.warnings == 1);
	/* Lines 1..4 good, 5 bad: nothing of 1..4 is kept; the warnings
	 * about line 2 (unknown) and 5 (count again) were logged and stay
	 * counted. */
	CHECK(parse(&c, "host = h2\nhots = x\ncount = 2\nmany = c\ncount = 11\n") == ERR_FORMAT);
	CHECK(strcmp(why, "t.conf:5: bad count '11' (want a number in 1..10)") == 0);
	CHECK(strcmp(c.host, "h1") == 0 && c.count == 7 && c.n_many == 2);
	if (!CHECK(c.warnings == 3))
		printf("#   warnings %u\n", c.warnings);
	/* A repeatable key past what the program takes: its own words. */
	CHECK(parse(&c, "many = c\nmany = d\n") == ERR_FORMAT);
	CHECK(strcmp(why, "t.conf:2: bad many 'd' (want at most 3)") == 0 && c.n_many == 2);
	/* Given twice: a warning, the later one counts. */
	CHECK(parse(&c, "count = 1\ncount = 2\n") == 0 && c.count == 2 && c.warnings == 4);
}

static void
messages(void)
{
	struct conf c;
	char line[128];

	refused("host\n", "t.conf:1: no '=' (want key = value)");
	refused("\n\n = x\n", "t.conf:3: no key before '='");
	refused("# c\ncount =  \t\n", "t.conf:2: empty value for count");
	refused("host = a\x1b[31m\n", "t.conf:1: control character 0x1b");
	refused("host = a\rb\n", "t.conf:1: control character 0x0d");
	refused("host = a\x7f\n", "t.conf:1: control character 0x7f");
	refused("host = a\r\r\n", "t.conf:1: control character 0x0d");
	refused("count = zero\n", "t.conf:1: bad count 'zero' (want a number in 1..10)");
	/* A secret is never shown, not even when it is wrong. */
	refused("secret = hunter2\n", "t.conf:1: bad secret '...' (want USER:PASS)");
	CHECK(strstr(why, "hunter2") == NULL);
	/* A bad value is shown escaped and cut: no raw bytes of it in why[]. */
	memset(&c, 0, sizeof(c));
	snprintf(line, sizeof(line), "count = \xff\xfe%0100d\n", 5);
	CHECK(parse(&c, line) == ERR_FORMAT);
	CHECK(strstr(why, "\xff") == NULL && strstr(why, "\\xff") != NULL);
	CHECK(strlen(why) < 4 * LOG_ESCAPE_MAX + 80);
	/* An unknown key with an empty value is only a warning. */
	memset(&c, 0, sizeof(c));
	CHECK(parse(&c, "nothing =\n") == 0 && c.warnings == 1);
	/* Keys are matched exactly. */
	CHECK(parse(&c, "HOST = x\nhost2 = y\n") == 0 && c.warnings == 3 && c.host[0] == '\0');
}

static void
nul_bytes(void)
{
	static const struct {
		const char *text;
		size_t n;
		const char *where;
	} cases[] = {
		{ "\0host = a\n", 10, "t.conf:1: control character 0x00" },
		{ "host\0 = a\n", 10, "t.conf:1: control character 0x00" },
		{ "host = a\0b\n", 11, "t.conf:1: control character 0x00" },
		{ "host = a\0\n", 10, "t.conf:1: control character 0x00" },
		{ "# a comment \0 too\n", 18, "t.conf:1: control character 0x00" },
		{ "host = a\n\n\0", 11, "t.conf:3: control character 0x00" },
		{ "host = a\r\0\n", 11, "t.conf:1: control character 0x0d" },   /* CR not last */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refused_n(cases[i].text, cases[i].n, cases[i].where);
}

static void
long_lines(void)
{
	size_t big = 2 * CONFIG_FILE_MAX_BYTES;
	char *text = malloc(big + 1);
	struct conf c;
	size_t n;

	/* "host = " and a value up to exactly CONFIG_LINE_MAX_BYTES. */
	memset(text, 'v', CONFIG_LINE_MAX_BYTES);
	memcpy(text, "host = ", 7);
	memset(&c, 0, sizeof(c));
	CHECK(parse_n(&c, text, CONFIG_LINE_MAX_BYTES) == 0);
	CHECK(strlen(c.host) == CONFIG_LINE_MAX_BYTES - 7);
	/* One byte more, with or without a newline after it. */
	text[CONFIG_LINE_MAX_BYTES] = 'v';
	refused_n(text, CONFIG_LINE_MAX_BYTES + 1, "t.conf:1: line longer than 1024 bytes");
	text[CONFIG_LINE_MAX_BYTES + 1] = '\n';
	refused_n(text, CONFIG_LINE_MAX_BYTES + 2, "t.conf:1: line longer than 1024 bytes");
	/* The longest line a file may hold, on line 3. */
	memcpy(text, "#\n#\n", 4);
	memset(text + 4, '#', CONFIG_FILE_MAX_BYTES - 4);
	refused_n(text, CONFIG_FILE_MAX_BYTES, "t.conf:3: line longer than 1024 bytes");
	/* One line of a whole file's size and more: the file is refused as a
	 * whole before any line is looked at. */
	memset(text, 'x', big);
	refused_n(text, big, "t.conf: larger than 65536 bytes");
	/* Exactly the largest file, all short lines: read. */
	for (n = 0; n + 8 <= CONFIG_FILE_MAX_BYTES; n += 8)
		memcpy(text + n, "count=1\n", 8);
	memset(text + n, '\n', CONFIG_FILE_MAX_BYTES - n);
	memset(&c, 0, sizeof(c));
	CHECK(parse_n(&c, text, CONFIG_FILE_MAX_BYTES) == 0 && c.count == 1);
	CHECK(parse_n(&c, text, CONFIG_FILE_MAX_BYTES + 1) == ERR_FORMAT);
	free(text);
}

/* Random bytes, and random lines built from the pieces that matter:
 * refused or read, never a crash (the ASan build runs this too), and a
 * refusal always says t.conf:. */
static void
random_text(void)
{
	static const char *const parts[] = { "host", "count", "secret", "many", "=", " ",
	    "\t", "#", "\n", "\r\n", "\r", ":", "1", "10", "\xc3", "\x00", "\xff", "a" };
	char text[768];
	unsigned seed = 4242, reads = 0, refusals = 0, wrong = 0;
	struct conf c;

	for (int round = 0; round < 30000; round++) {
		size_t n = 0;

		seed = seed * 1103515245 + 12345;
		if (round % 3 == 0) {
			n = (seed >> 8) % sizeof(text);
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245 + 12345;
				text[i] = (char)(seed >> 16);
			}
		} else {
			while (n < sizeof(text) - 8) {
				const char *p;

				seed = seed * 1103515245 + 12345;
				if ((seed >> 8) % 24 == 0)
					break;
				p = parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))];
				if (p[0] == '\0')
					text[n++] = '\0';
				else
					for (; *p != '\0'; p++)
						text[n++] = *p;
			}
		}
		memset(&c, 0, sizeof(c));
		if (parse_n(&c, text, n) == 0) {
			reads++;
			wrong += c.count > 10 || c.n_many > 3 || memchr(c.host, '\n', 8) != NULL;
		} else {
			refusals++;
			wrong += strncmp(why, "t.conf:", 7) != 0;
		}
	}
	printf("# random text: %u read, %u refused\n", reads, refusals);
	CHECK(reads > 100 && refusals > 100 && wrong == 0);
}

static char dir[] = "/tmp/fernsicht-test-settings.XXXXXX";

static void
put(const char *name, const char *text, char *path, size_t path_len)
{
	FILE *f;

	snprintf(path, path_len, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		TEST_BAIL("cannot write %s", path);
	fputs(text, f);
	fclose(f);
}

static void
files_on_disk(void)
{
	char path[256], link[256];
	struct conf c;
	bool found;
	int fd;

	memset(&c, 0, sizeof(c));
	snprintf(path, sizeof(path), "%s/none.conf", dir);
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == 0 && !found);
	snprintf(path, sizeof(path), "%s/none/x.conf", dir);
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == 0 && !found);

	put("good.conf", "host = disk\ncount = 4\n", path, sizeof(path));
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == 0 && found);
	CHECK(strcmp(c.host, "disk") == 0 && strcmp(c.from, path) == 0);

	/* A bad line on disk: the path and the line. */
	put("bad.conf", "host = other\n\ncount = 0\n", path, sizeof(path));
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strncmp(why, path, strlen(path)) == 0 && strncmp(why + strlen(path), ":3: bad count",
	    13) == 0);
	CHECK(strcmp(c.host, "disk") == 0);

	/* A directory, a FIFO nobody writes to (must not block), /dev/zero
	 * behind a symlink: none is a regular file. */
	CHECK(settings_load(&spec, &c, dir, &found, &c.warnings, why, sizeof(why)) == ERR_FORMAT);
	CHECK(found && strstr(why, "not a regular file") != NULL);
	snprintf(path, sizeof(path), "%s/fifo.conf", dir);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "not a regular file") != NULL);
	unlink(path);
	snprintf(link, sizeof(link), "%s/zero.conf", dir);
	CHECK(symlink("/dev/zero", link) == 0);
	CHECK(settings_load(&spec, &c, link, &found, &c.warnings, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "not a regular file") != NULL);
	unlink(link);
	/* /dev/null is "no settings": found, nothing changed, no error. */
	CHECK(settings_load(&spec, &c, "/dev/null", &found, &c.warnings, why, sizeof(why)) == 0);
	CHECK(found && why[0] == '\0' && strcmp(c.host, "disk") == 0);
	/* A symlink to a good file is followed. */
	snprintf(path, sizeof(path), "%s/good.conf", dir);
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	CHECK(symlink(path, link) == 0);
	CHECK(settings_load(&spec, &c, link, &found, &c.warnings, why, sizeof(why)) == 0);
	unlink(link);

	/* A sparse GiB: refused from its size, without reading it. */
	snprintf(path, sizeof(path), "%s/huge.conf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)1 << 30) == 0);
	close(fd);
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "larger than 65536 bytes") != NULL);
	unlink(path);

	/* Binary: every byte value. */
	snprintf(path, sizeof(path), "%s/binary.conf", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (int i = 0; i < 256; i++) {
		unsigned char b = (unsigned char)(255 - i);

		CHECK_ERR((int)write(fd, &b, 1) - 1, 0);
	}
	close(fd);
	CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, ":1: control character") != NULL);
	unlink(path);

	/* Unreadable (root reads it anyway). */
	if (geteuid() != 0) {
		put("closed.conf", "host = x\n", path, sizeof(path));
		chmod(path, 0);
		CHECK(settings_load(&spec, &c, path, &found, &c.warnings, why, sizeof(why)) ==
		    ERR_SYSTEM);
		CHECK(found && strstr(why, "Permission denied") != NULL);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/good.conf", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/bad.conf", dir);
	unlink(path);
}

static void
shared_values(void)
{
	char want[128];
	unsigned long n = 99;
	int kind = -7;

	CHECK(settings_value_number("1", 1, 10, &n, want, sizeof(want)) == 0 && n == 1);
	CHECK(settings_value_number("10", 1, 10, &n, want, sizeof(want)) == 0 && n == 10);
	n = 99;
	CHECK(settings_value_number("0", 1, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_number("11", 1, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_number("-1", 0, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_number("+1", 0, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_number(" 1", 0, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_number("1k", 0, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_number("0x1", 0, 10, &n, want, sizeof(want)) == ERR_FORMAT);
	CHECK(strcmp(want, "a number in 0..10") == 0);
	CHECK(settings_value_number("18446744073709551616", 0, ~0UL, &n, want, sizeof(want)) ==
	    ERR_FORMAT);
	CHECK(n == 99);
	CHECK(settings_value_path("/etc/x", want, sizeof(want)) == 0);
	CHECK(settings_value_path("etc/x", want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_path("/\xc3", want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_name("Anna \xc3\xa4", want, sizeof(want)) == 0);
	CHECK(settings_value_transport("tls", &kind, want, sizeof(want)) == 0 && kind >= 0);
	kind = -7;
	CHECK(settings_value_transport("carrier-pigeon", &kind, want, sizeof(want)) ==
	    ERR_FORMAT && kind == -7);
	CHECK(settings_value_hostport("relay.example:443", want, sizeof(want)) == 0);
	CHECK(settings_value_hostport("relay.example:0", want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_url("http://p:3128", want, sizeof(want)) == 0);
	CHECK(settings_value_url("http://p :3128", want, sizeof(want)) == ERR_FORMAT);
	CHECK(settings_value_user_pass("a:b", want, sizeof(want)) == 0);
	CHECK(settings_value_user_pass("ab", want, sizeof(want)) == ERR_FORMAT);
}

int
main(void)
{
	/* The unknown-key warnings are expected: keep them off the TAP output. */
	log_init("test_settings", LOG_ERROR);
	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp failed");
	reader_items();
	good_and_all_or_nothing();
	messages();
	nul_bytes();
	long_lines();
	random_text();
	files_on_disk();
	shared_values();
	rmdir(dir);
	return test_done();
}
