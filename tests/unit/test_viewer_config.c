/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_viewer_config.c - the viewer's settings files (viewer/config.c):
 * good files, files read over each other, and hostile ones: lines at the
 * limit and one over, no '=', unknown and repeated keys, bad ports, empty
 * values, control characters and NUL bytes, names over MSG_NAME_MAX, a
 * file over CONFIG_FILE_MAX_BYTES, a FIFO and a directory where the file
 * should be, and random bytes. A refused file must leave the settings as
 * they were and say file:line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../viewer/config.h"
#include "log.h"
#include "example.h"
#include "test.h"
#include "transport.h"

static char why[512];

static int
parse(struct vconfig *c, const char *text)
{
	return vconfig_parse(c, "t.conf", text, strlen(text), why, sizeof(why));
}

/* A one-line file: refused, saying where. */
static void
refused(const char *text, const char *where)
{
	struct vconfig c;

	vconfig_init(&c);
	snprintf(c.relay, sizeof(c.relay), "kept:1");
	if (!CHECK(parse(&c, text) == ERR_FORMAT))
		printf("#   accepted: %s\n", text);
	if (!CHECK(strncmp(why, where, strlen(where)) == 0))
		printf("#   why: %s\n", why);
	CHECK(strcmp(c.relay, "kept:1") == 0 && c.name[0] == '\0' && c.transport == -1);
}

static void
accepted(const char *text)
{
	struct vconfig c;

	vconfig_init(&c);
	if (!CHECK(parse(&c, text) == 0))
		printf("#   refused: %s (%s)\n", text, why);
}

static void
good_file(void)
{
	struct vconfig c;

	vconfig_init(&c);
	CHECK(parse(&c, "# the support desk's relay\n"
	    "\n"
	    "   relay =  relay.example.org:4663  \r\n"
	    "transport=tls\n"
	    "\tproxy = http://proxy:3128\n"
	    "proxy-user = anna:s3cret = yes\n"
	    "ca-file = /etc/ssl/our-ca.pem\n"
	    "name = Anna (Support) \xc3\xa4\n"
	    "   # an indented comment = with an equals sign\n"
	    "relay = [::1]:4663") == 0);
	CHECK(strcmp(c.relay, "[::1]:4663") == 0);      /* the last one counts */
	CHECK(strcmp(c.relay_from, "t.conf") == 0);
	CHECK(c.transport == TRANSPORT_TLS);
	CHECK(strcmp(c.proxy, "http://proxy:3128") == 0);
	CHECK(strcmp(c.proxy_user, "anna:s3cret = yes") == 0);
	CHECK(strcmp(c.ca_file, "/etc/ssl/our-ca.pem") == 0);
	CHECK(strcmp(c.name, "Anna (Support) \xc3\xa4") == 0);
	CHECK(c.warnings == 1);                         /* relay given twice */
	/* Several relays: the list as written, for link_open. */
	vconfig_init(&c);
	CHECK(parse(&c, "relay = a.example.org, b.example.org:443\n") == 0);
	CHECK(strcmp(c.relay, "a.example.org, b.example.org:443") == 0);
}

/* The system file, then the user's: each key of the later one replaces. */
static void
files_over_each_other(void)
{
	struct vconfig c;
	const char *sys = "relay = sys.example\nname = desk\ntransport = tcp\n";
	const char *user = "relay = user.example:443\n";

	vconfig_init(&c);
	CHECK(vconfig_parse(&c, "/etc/fernsicht/viewer.conf", sys, strlen(sys), why,
	    sizeof(why)) == 0);
	CHECK(vconfig_parse(&c, "/home/a/.config/fernsicht/viewer.conf", user, strlen(user),
	    why, sizeof(why)) == 0);
	CHECK(strcmp(c.relay, "user.example:443") == 0);
	CHECK(strcmp(c.relay_from, "/home/a/.config/fernsicht/viewer.conf") == 0);
	CHECK(strcmp(c.name, "desk") == 0 && c.transport == TRANSPORT_TCP);
	/* A refused file changes nothing, not even the keys before its bad line. */
	CHECK(parse(&c, "relay = third.example\nname = x\nport = 1\ntransport = pigeon\n") ==
	    ERR_FORMAT);
	CHECK(strncmp(why, "t.conf:4: bad transport 'pigeon'", 32) == 0);
	CHECK(strcmp(c.relay, "user.example:443") == 0 && strcmp(c.name, "desk") == 0);
	CHECK(c.warnings == 1);                         /* "port" was still reported */
}

static void
unknown_keys_warn(void)
{
	struct vconfig c;

	vconfig_init(&c);
	CHECK(parse(&c, "relya = typo.example\nrelay = ok.example\n"
	    "\xff\x01key = v\n") == ERR_FORMAT);   /* a control character: refused */
	vconfig_init(&c);
	CHECK(parse(&c, "relya = typo.example\nrelay = ok.example\nRelay = x\n"
	    "\xff\xfe = v\n") == 0);
	CHECK(c.warnings == 3 && strcmp(c.relay, "ok.example") == 0);
}

static void
lines_at_the_limit(void)
{
	char *text = malloc(CONFIG_LINE_MAX_BYTES + 64);
	struct vconfig c;

	/* A comment of exactly CONFIG_LINE_MAX_BYTES, then one byte more. */
	memset(text, 'x', CONFIG_LINE_MAX_BYTES + 1);
	text[0] = '#';
	text[CONFIG_LINE_MAX_BYTES] = '\n';
	strcpy(text + CONFIG_LINE_MAX_BYTES + 1, "relay = a.example\n");
	vconfig_init(&c);
	CHECK(vconfig_parse(&c, "t.conf", text, strlen(text), why, sizeof(why)) == 0);
	CHECK(strcmp(c.relay, "a.example") == 0);
	memset(text, 'x', CONFIG_LINE_MAX_BYTES + 1);
	text[0] = '#';
	text[CONFIG_LINE_MAX_BYTES + 1] = '\0';
	vconfig_init(&c);
	CHECK(vconfig_parse(&c, "t.conf", text, strlen(text), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strncmp(why, "t.conf:1: line longer than", 26) == 0);
	/* Over the limit on line 2, with CRLF: its \r counts as a byte. */
	memset(text, 'x', CONFIG_LINE_MAX_BYTES + 8);
	memcpy(text, "# a\r\n#", 6);
	strcpy(text + 5 + CONFIG_LINE_MAX_BYTES, "\r\n");
	CHECK(vconfig_parse(&c, "t.conf", text, strlen(text), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strncmp(why, "t.conf:2: line longer than", 26) == 0);
	/* A long relay value is refused by what the host may be. */
	memset(text, 'a', CONFIG_LINE_MAX_BYTES);
	memcpy(text, "relay=", 6);
	text[CONFIG_LINE_MAX_BYTES] = '\0';
	CHECK(vconfig_parse(&c, "t.conf", text, strlen(text), why, sizeof(why)) == ERR_FORMAT);
	CHECK(strncmp(why, "t.conf:1: bad relay", 19) == 0);
	free(text);
}

static void
bad_lines(void)
{
	char nul[] = "relay = a\0b.example\n";
	struct vconfig c;

	refused("relay relay.example\n", "t.conf:1: no '='");
	refused("\n\n# c\nrelay\n", "t.conf:4: no '='");
	refused("= relay.example\n", "t.conf:1: no key before '='");
	refused("relay =\n", "t.conf:1: empty value for relay");
	refused("relay =   \t \n", "t.conf:1: empty value for relay");
	refused("name=\r\n", "t.conf:1: empty value for name");
	refused("transport = direct\n", "t.conf:1: bad transport");    /* not a --transport */
	refused("transport = TLS\n", "t.conf:1: bad transport");
	refused("relay = a.example\x1b[2J\n", "t.conf:1: control character 0x1b");
	refused("name = a\x7f\n", "t.conf:1: control character 0x7f");
	refused("relay = a\rb\n", "t.conf:1: control character 0x0d");
	vconfig_init(&c);
	CHECK(vconfig_parse(&c, "t.conf", nul, sizeof(nul) - 1, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strcmp(why, "t.conf:1: control character 0x00") == 0);
	CHECK(c.relay[0] == '\0');
}

static void
ports_and_hosts(void)
{
	refused("relay = relay.example:0\n", "t.conf:1: bad relay");
	refused("relay = relay.example:65536\n", "t.conf:1: bad relay");
	refused("relay = relay.example:99999999999999999999\n", "t.conf:1: bad relay");
	refused("relay = relay.example:-1\n", "t.conf:1: bad relay");
	refused("relay = relay.example:44a\n", "t.conf:1: bad relay");
	refused("relay = relay.example:\n", "t.conf:1: bad relay");
	refused("relay = :4663\n", "t.conf:1: bad relay");
	refused("relay = [::1\n", "t.conf:1: bad relay");
	refused("relay = [::1]:0\n", "t.conf:1: bad relay");
	refused("relay = relay example\n", "t.conf:1: bad relay");
	refused("relay = relay/example\n", "t.conf:1: bad relay");
	refused("relay = r\xc3\xa4lay.example\n", "t.conf:1: bad relay");
	accepted("relay = relay.example:1\n");
	accepted("relay = relay.example:65535\n");
	accepted("relay = 192.0.2.7\n");
	accepted("relay = [2001:db8::1]:443\n");
	accepted("relay = 2001:db8::1\n");
}

static void
other_values(void)
{
	char name[MSG_NAME_MAX + 16];

	refused("ca-file = ca.pem\n", "t.conf:1: bad ca-file");
	refused("proxy = http://proxy :3128\n", "t.conf:1: bad proxy");
	refused("proxy-user = anna\n", "t.conf:1: bad proxy-user '...'");   /* no password shown */
	refused("name = \xc3\n", "t.conf:1: bad name");                     /* not UTF-8 */
	snprintf(name, sizeof(name), "name = %0*d", MSG_NAME_MAX, 0);
	accepted(name);
	snprintf(name, sizeof(name), "name = %0*d", MSG_NAME_MAX + 1, 0);
	refused(name, "t.conf:1: bad name");
}

static void
whole_file_limit(void)
{
	size_t n = CONFIG_FILE_MAX_BYTES + 1;
	char *text = malloc(n);
	struct vconfig c;

	memset(text, '\n', n);
	vconfig_init(&c);
	CHECK(vconfig_parse(&c, "t.conf", text, n - 1, why, sizeof(why)) == 0);
	CHECK(vconfig_parse(&c, "t.conf", text, n, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strncmp(why, "t.conf: larger than", 19) == 0);
	free(text);
}

static void
files_on_disk(void)
{
	char dir[] = "/tmp/fernsicht-test-config.XXXXXX", path[256];
	struct vconfig c;
	bool found;
	FILE *f;

	if (mkdtemp(dir) == NULL)
		TEST_BAIL("mkdtemp failed");
	vconfig_init(&c);
	snprintf(path, sizeof(path), "%s/none.conf", dir);
	CHECK(vconfig_load(&c, path, &found, why, sizeof(why)) == 0 && !found);
	snprintf(path, sizeof(path), "%s/none/viewer.conf", dir);
	CHECK(vconfig_load(&c, path, &found, why, sizeof(why)) == 0 && !found);

	snprintf(path, sizeof(path), "%s/viewer.conf", dir);
	f = fopen(path, "w");
	fputs("relay = disk.example:4663\nfavourite-colour = blue\n", f);
	fclose(f);
	CHECK(vconfig_load(&c, path, &found, why, sizeof(why)) == 0 && found);
	CHECK(strcmp(c.relay, "disk.example:4663") == 0 && c.warnings == 1);
	CHECK(strcmp(c.relay_from, path) == 0);

	/* A directory, and a FIFO nobody writes to (must not block). */
	CHECK(vconfig_load(&c, dir, &found, why, sizeof(why)) == ERR_FORMAT && found);
	CHECK(strstr(why, "not a regular file") != NULL);
	snprintf(path, sizeof(path), "%s/fifo.conf", dir);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(vconfig_load(&c, path, &found, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "not a regular file") != NULL);
	unlink(path);

	/* Over CONFIG_FILE_MAX_BYTES on disk. */
	snprintf(path, sizeof(path), "%s/big.conf", dir);
	f = fopen(path, "w");
	for (int i = 0; i <= CONFIG_FILE_MAX_BYTES / 8; i++)
		fputs("# 4567\n\n", f);
	fclose(f);
	CHECK(vconfig_load(&c, path, &found, why, sizeof(why)) == ERR_FORMAT);
	CHECK(strstr(why, "larger than") != NULL);
	CHECK(strcmp(c.relay, "disk.example:4663") == 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/viewer.conf", dir);
	unlink(path);
	rmdir(dir);
}

/* Random bytes and random lines of the right shape: refused or read,
 * never a crash (the ASan build runs this too). */
static void
random_files(void)
{
	static const char *const parts[] = { "relay", "name", "transport", "proxy", "=", " ",
	    "\t", "#", "\n", "\r\n", ":", "[", "]", "0", "65536", "\xc3", "\x00", "a" };
	char text[512];
	unsigned seed = 12345, refusals = 0, reads = 0, wrong = 0;
	struct vconfig c;

	for (int round = 0; round < 20000; round++) {
		size_t n = 0;

		seed = seed * 1103515245 + 12345;
		if (round % 2 == 0) {
			n = (seed >> 8) % sizeof(text);
			for (size_t i = 0; i < n; i++) {
				seed = seed * 1103515245 + 12345;
				text[i] = (char)(seed >> 16);
			}
		} else {
			while (n < sizeof(text) - 8) {
				const char *p;

				seed = seed * 1103515245 + 12345;
				p = parts[(seed >> 16) % (sizeof(parts) / sizeof(parts[0]))];
				if ((seed >> 8) % 16 == 0)
					break;
				/* "\x00" is one NUL byte */
				if (p[0] == '\0')
					text[n++] = '\0';
				else
					for (; *p != '\0'; p++)
						text[n++] = *p;
			}
		}
		vconfig_init(&c);
		if (vconfig_parse(&c, "r.conf", text, n, why, sizeof(why)) == 0) {
			reads++;
			wrong += strlen(c.relay) > CONFIG_LINE_MAX_BYTES;
		} else {
			refusals++;
			wrong += strncmp(why, "r.conf:", 7) != 0;
		}
	}
	printf("# random files: %u read, %u refused\n", reads, refusals);
	CHECK(reads > 100 && refusals > 100 && wrong == 0);
}

/* packaging/viewer.conf: as shipped it sets nothing; uncommented, every
 * key is the viewer's and every value good. */
static void
shipped_example(void)
{
	static char shipped[EXAMPLE_MAX_BYTES], keys[EXAMPLE_MAX_BYTES];
	struct vconfig c, none;

	if (!CHECK(example_read("viewer.conf", shipped, keys) > 0))
		return;
	vconfig_init(&c);
	none = c;
	CHECK(parse(&c, shipped) == 0 && memcmp(&c, &none, sizeof(c)) == 0);
	if (!CHECK(parse(&c, keys) == 0 && c.warnings == 0))
		printf("#   %s\n", why);
	CHECK(c.relay[0] != '\0' && c.proxy[0] != '\0');     /* transport auto: the default */
	CHECK(c.proxy_user[0] != '\0' && c.ca_file[0] != '\0' && c.name[0] != '\0');
}

int
main(void)
{
	/* The unknown-key warnings are expected: keep them off the TAP output. */
	log_init("test_viewer_config", LOG_ERROR);
	good_file();
	files_over_each_other();
	unknown_keys_warn();
	lines_at_the_limit();
	bad_lines();
	ports_and_hosts();
	other_values();
	whole_file_limit();
	files_on_disk();
	random_files();
	shipped_example();
	return test_done();
}
