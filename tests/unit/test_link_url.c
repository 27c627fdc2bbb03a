/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_link_url.c - fernsicht:// links (viewer/link_url.c): good ones with
 * names, IPv4, IPv6 and ports, and hostile ones: over LINK_URL_MAX_BYTES,
 * bad ports, letters and too many or few digits in the number,
 * percent-escapes, user names and passwords, a query or fragment, more
 * path, blanks, control and non-ASCII bytes, another scheme, random
 * bytes. A refused link leaves nothing in the result and says why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "link_url.h"
#include "test.h"

static char why[256];

static void
good(const char *text, const char *relay, unsigned long session)
{
	struct link_url u;

	why[0] = '\0';
	if (!CHECK(link_url_parse(text, &u, why, sizeof(why)) == 0))
		printf("#   refused %s: %s\n", text, why);
	if (!CHECK(strcmp(u.relay, relay) == 0 && u.session == session))
		printf("#   %s gave relay '%s' session %lu\n", text, u.relay, u.session);
	CHECK(link_url_is(text));
}

/* Refused, with a reason that mentions want (a word of the English text). */
static void
bad(const char *text, int err, const char *want)
{
	struct link_url u;

	memset(&u, 0x55, sizeof(u));
	why[0] = '\0';
	if (!CHECK(link_url_parse(text, &u, why, sizeof(why)) == err))
		printf("#   %s: accepted or wrong error (%s)\n", text, why);
	if (!CHECK(strstr(why, want) != NULL))
		printf("#   %s: why '%s' lacks '%s'\n", text, why, want);
	CHECK(u.relay[0] == '\0' && u.session == 0);
}

static void
good_links(void)
{
	good("fernsicht://relay.example.org/48213", "relay.example.org", 48213);
	good("fernsicht://relay.example.org:443/10000", "relay.example.org:443", 10000);
	good("FERNSICHT://Relay-1.Example.org/99999", "Relay-1.Example.org", 99999);
	good("fernsicht://127.0.0.1:4663/12345", "127.0.0.1:4663", 12345);
	good("fernsicht://[::1]/12345", "[::1]", 12345);
	good("fernsicht://[2001:db8::7]:65535/54321", "[2001:db8::7]:65535", 54321);
	good("fernsicht://[::ffff:192.0.2.1]:1/54321", "[::ffff:192.0.2.1]:1", 54321);
	good("fernsicht://localhost:04663/48213", "localhost:04663", 48213);
}

static void
too_long(void)
{
	char text[LINK_URL_MAX_BYTES + 64];
	char host[LINK_URL_HOST_MAX_BYTES + 2];
	int n;

	/* Exactly at the limit: refused for its host, not for its length. */
	memset(host, 'a', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	n = snprintf(text, sizeof(text), "fernsicht://%s/48213", host);
	CHECK(n <= LINK_URL_MAX_BYTES);
	bad(text, ERR_FORMAT, "too long");
	/* The longest host that is allowed. */
	host[LINK_URL_HOST_MAX_BYTES] = '\0';
	snprintf(text, sizeof(text), "fernsicht://%s/48213", host);
	good(text, host, 48213);

	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text, "fernsicht://", 12);
	bad(text, ERR_TOO_LARGE, "longer than");
	text[LINK_URL_MAX_BYTES + 1] = '\0';
	bad(text, ERR_TOO_LARGE, "longer than");
}

static void
bad_ports(void)
{
	bad("fernsicht://relay:0/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:65536/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:123456/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:-1/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:+80/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:44x/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:80:81/48213", ERR_FORMAT, "port");
	bad("fernsicht://relay:18446744073709551617/48213", ERR_FORMAT, "port");
	bad("fernsicht://[::1]:0/48213", ERR_FORMAT, "port");
}

static void
bad_numbers(void)
{
	bad("fernsicht://relay/4821a", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/abcde", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/4821", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/482130", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/09999", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/-4821", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/+4821", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/0x1ff", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/", ERR_FORMAT, "no session number");
	bad("fernsicht://relay", ERR_FORMAT, "no session number");
	bad("fernsicht://relay:4663", ERR_FORMAT, "no session number");
}

static void
hostile(void)
{
	bad("fernsicht://relay/48%32213", ERR_FORMAT, "percent");
	bad("fernsicht://rel%61y/48213", ERR_FORMAT, "percent");
	bad("fernsicht://%5B::1%5D/48213", ERR_FORMAT, "percent");
	bad("fernsicht://user@relay/48213", ERR_FORMAT, "user name");
	bad("fernsicht://user:pw@relay/48213", ERR_FORMAT, "user name");
	bad("fernsicht://trusted.example.org@evil.example/48213", ERR_FORMAT, "user name");
	bad("fernsicht://relay/48213?code=071934", ERR_FORMAT, "query");
	bad("fernsicht://relay/48213#x", ERR_FORMAT, "query");
	bad("fernsicht://relay/48213/", ERR_FORMAT, "goes on");
	bad("fernsicht://relay/48213/x", ERR_FORMAT, "goes on");
	bad("fernsicht://relay/a/48213", ERR_FORMAT, "five digits");
	bad("fernsicht://relay//48213", ERR_FORMAT, "five digits");
	bad("fernsicht://relay/48213 --code 1", ERR_FORMAT, "printable");
	bad("fernsicht://relay/48213\n", ERR_FORMAT, "printable");
	bad("fernsicht://rel\033[2Jay/48213", ERR_FORMAT, "printable");
	bad("fernsicht://r\xc3\xa9lay/48213", ERR_FORMAT, "printable");
	bad("fernsicht://relay\\evil/48213", ERR_FORMAT, "letters");
	bad("fernsicht://rel_ay/48213", ERR_FORMAT, "letters");
	bad("fernsicht://-oProxy/48213", ERR_FORMAT, "letters");
	bad("fernsicht://.relay/48213", ERR_FORMAT, "letters");
	bad("fernsicht:///48213", ERR_FORMAT, "no host");
	bad("fernsicht://:4663/48213", ERR_FORMAT, "no host");
	bad("fernsicht://[::1/48213", ERR_FORMAT, "IPv6");
	bad("fernsicht://[]/48213", ERR_FORMAT, "IPv6");
	bad("fernsicht://[relay]/48213", ERR_FORMAT, "IPv6");
	bad("fernsicht://[fe80::1%25eth0]/48213", ERR_FORMAT, "percent");
	bad("fernsicht://[::1]x/48213", ERR_FORMAT, "IPv6");
	bad("fernsicht:relay/48213", ERR_FORMAT, "start with");
	bad("fernsicht:/relay/48213", ERR_FORMAT, "start with");
	bad("https://relay/48213", ERR_FORMAT, "start with");
	bad("", ERR_FORMAT, "start with");
	CHECK(!link_url_is("48213"));
	CHECK(!link_url_is("/tmp/fernsicht:x"));
	CHECK(link_url_is("Fernsicht:whatever"));
}

/* A good link with bytes changed at random (any byte but NUL): never a
 * crash, and whatever is still accepted has a relay of allowed characters
 * and a number in range; whatever is refused says why and leaves nothing. */
static void
random_links(void)
{
	static const char base[] = "fernsicht://relay.example.org:4663/48213";
	char text[sizeof(base) + 8];
	struct link_url u;
	unsigned ok = 0, bad_result = 0;

	srand(7);
	for (int i = 0; i < 50000; i++) {
		memcpy(text, base, sizeof(base));
		for (int k = 1 + rand() % 3; k > 0; k--)
			text[rand() % (int)(sizeof(base) - 1)] = (char)(1 + rand() % 255);
		if (link_url_parse(text, &u, why, sizeof(why)) == 0) {
			ok++;
			if (u.relay[0] == '\0' || u.session < SESSION_NUMBER_MIN ||
			    u.session > SESSION_NUMBER_MAX ||
			    strspn(u.relay, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-.:[]") != strlen(u.relay))
				bad_result++;
		} else if (why[0] == '\0' || u.relay[0] != '\0' || u.session != 0) {
			bad_result++;
		}
	}
	CHECK(bad_result == 0);
	CHECK(ok > 0 && ok < 50000);
	printf("# %u of 50000 changed links still accepted\n", ok);
}

int
main(void)
{
	good_links();
	too_long();
	bad_ports();
	bad_numbers();
	hostile();
	random_links();
	return test_done();
}
