/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_droplink.c - fernsicht://HOST[:PORT]/drop/TOKEN[#KEY]: what is
 * taken, what is refused (with the rule's reason), and format/parse agree;
 * the HOST[:PORT] parser the session links share: each fault, first
 * fault first, and nothing written when refused.
 */
#include <string.h>

#include <sodium.h>

#include "droplink.h"
#include "test.h"

static void
refused(const char *text, const char *want, int line)
{
	struct droplink d;
	const char *why = NULL;
	int r = droplink_parse(text, &d, &why);

	if (!test_check(r != 0 && why != NULL && strstr(why, want) != NULL && d.relay[0] == '\0',
	    "link is refused for the right rule", __FILE__, line))
		printf("#   %s: got %d, reason \"%s\", wanted \"%s\"\n", text, r,
		    why != NULL ? why : "", want);
}

static void
taken(void)
{
	struct droplink d;
	const char *why;
	uint8_t key[DROPLINK_KEY_LEN];
	char text[DROP_LINK_MAX_BYTES + 1];

	CHECK_ERR(droplink_parse("fernsicht://relay.example.org:4663/drop/AbC-_9", &d, &why), 0);
	CHECK(strcmp(d.relay, "relay.example.org:4663") == 0);
	CHECK(strcmp(d.token, "AbC-_9") == 0);
	CHECK(!d.has_key);
	CHECK_ERR(droplink_parse("FERNSICHT://[::1]:443/drop/x", &d, &why), 0);
	CHECK(strcmp(d.relay, "[::1]:443") == 0);
	CHECK_ERR(droplink_parse("fernsicht://h/drop/t", &d, &why), 0);
	CHECK(strcmp(d.relay, "h") == 0);
	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 37 + 250);
	CHECK_ERR(droplink_format(text, sizeof(text), "127.0.0.1:4663", "tok_en", key), 0);
	CHECK(strchr(text, '#') != NULL && strlen(strchr(text, '#')) == 44);
	CHECK_ERR(droplink_parse(text, &d, &why), 0);
	CHECK(d.has_key && memcmp(d.key, key, sizeof(key)) == 0);
	CHECK(strcmp(d.token, "tok_en") == 0);
	CHECK(droplink_is(text));
	CHECK(!droplink_is("fernsicht://h/12345"));
	CHECK(!droplink_is("fernsicht://h:1/dropx/y"));
	CHECK_ERR(droplink_format(text, 20, "127.0.0.1:4663", "tok_en", key), ERR_NO_SPACE);
	CHECK(text[0] == '\0');
}

static void
refusals(void)
{
	char longtok[DROP_LINK_TOKEN_MAX_BYTES + 40];

	refused("http://h/drop/x", "starts with", __LINE__);
	refused("fernsicht://h/12345", "/drop/", __LINE__);
	refused("fernsicht://h", "/drop/", __LINE__);
	refused("fernsicht://h/drop/", "token", __LINE__);
	refused("fernsicht://h/drop/a/b", "base64url", __LINE__);
	refused("fernsicht://h/drop/a.b", "base64url", __LINE__);
	refused("fernsicht://u@h/drop/a", "user name", __LINE__);
	refused("fernsicht://h/drop/a?x=1", "query", __LINE__);
	refused("fernsicht://h/drop/a%20", "percent", __LINE__);
	refused("fernsicht://h/drop/a b", "blanks", __LINE__);
	refused("fernsicht://h\x7f/drop/a", "printable", __LINE__);
	refused("fernsicht://h:0/drop/a", "port", __LINE__);
	refused("fernsicht://h:65536/drop/a", "port", __LINE__);
	refused("fernsicht://h:/drop/a", "port", __LINE__);
	refused("fernsicht://-h/drop/a", "malformed", __LINE__);
	refused("fernsicht://h_x/drop/a", "letters", __LINE__);
	refused("fernsicht://[::1/drop/a", "IPv6", __LINE__);
	refused("fernsicht://[zz]/drop/a", "IPv6", __LINE__);
	refused("fernsicht://h/drop/a#short", "key", __LINE__);
	refused("fernsicht://h/drop/a#AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "key",
	    __LINE__);
	refused("fernsicht://h/drop/a#AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA#", "key",
	    __LINE__);
	memset(longtok, 0, sizeof(longtok));
	strcpy(longtok, "fernsicht://h/drop/");
	memset(longtok + strlen(longtok), 'a', DROP_LINK_TOKEN_MAX_BYTES + 1);
	refused(longtok, "token", __LINE__);
}

/* HOST[:PORT] as text (without its NUL) gives fault f, and relay text on success. */
static void
authority(const char *a, enum droplink_authority_fault f, int line)
{
	char relay[DROPLINK_RELAY_MAX + 1];
	enum droplink_authority_fault got;

	memset(relay, 'x', sizeof(relay));
	got = droplink_authority_parse(a, strlen(a), relay);
	if (!test_check(got == f && (f != DROPLINK_AUTHORITY_OK ? relay[0] == 'x' :
	    strcmp(relay, a) == 0), "authority gives the right fault", __FILE__, line))
		printf("#   \"%s\": got %d, wanted %d\n", a, (int)got, (int)f);
}

static void
authorities(void)
{
	char host[LINK_URL_HOST_MAX_BYTES + 2];

	authority("relay.example.org", DROPLINK_AUTHORITY_OK, __LINE__);
	authority("Relay-1:04663", DROPLINK_AUTHORITY_OK, __LINE__);
	authority("[::ffff:192.0.2.1]:65535", DROPLINK_AUTHORITY_OK, __LINE__);
	authority("", DROPLINK_AUTHORITY_EMPTY, __LINE__);
	authority(":4663", DROPLINK_AUTHORITY_NO_HOST, __LINE__);
	authority("-oProxy", DROPLINK_AUTHORITY_LEADING, __LINE__);
	authority(".r_y", DROPLINK_AUTHORITY_LEADING, __LINE__);       /* the first fault */
	authority("r_y", DROPLINK_AUTHORITY_HOST_CHAR, __LINE__);
	authority("[relay]", DROPLINK_AUTHORITY_IPV6, __LINE__);
	authority("[::1]x", DROPLINK_AUTHORITY_IPV6, __LINE__);
	authority("[::1:80", DROPLINK_AUTHORITY_IPV6, __LINE__);
	authority("relay:0", DROPLINK_AUTHORITY_PORT, __LINE__);
	authority("relay:65536", DROPLINK_AUTHORITY_PORT, __LINE__);
	authority("relay:", DROPLINK_AUTHORITY_PORT, __LINE__);
	authority("relay:80:81", DROPLINK_AUTHORITY_PORT, __LINE__);
	authority("[::1]:123456", DROPLINK_AUTHORITY_PORT, __LINE__);
	memset(host, 'a', sizeof(host) - 1);
	host[sizeof(host) - 1] = '\0';
	authority(host, DROPLINK_AUTHORITY_TOO_LONG, __LINE__);
	host[LINK_URL_HOST_MAX_BYTES] = '\0';
	authority(host, DROPLINK_AUTHORITY_OK, __LINE__);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	taken();
	refusals();
	authorities();
	return test_done();
}
