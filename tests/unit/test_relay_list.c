/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The relays a client may use (net/relay_list.c): --relay a,b,c and the
 * settings' relay key, the REDIRECT target's check; which relay of a list
 * won, remembered beside the tiers (net/transport_memory.c); a name's
 * addresses (net/resolve.c) and a transport pinned to one of them. The
 * race itself runs against real relays in tests/integration/t_relay_list.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "relay_list.h"
#include "resolve.h"
#include "settings.h"
#include "test.h"
#include "transport.h"

static void
entries(void)
{
	struct relay_entry e;
	char long_host[300];

	CHECK_ERR(relay_entry_parse("relay.example", 13, &e), 0);
	CHECK(strcmp(e.host, "relay.example") == 0 && e.port == 0);
	CHECK_ERR(relay_entry_parse("relay.example:443", 17, &e), 0);
	CHECK(strcmp(e.text, "relay.example:443") == 0 && e.port == 443);
	CHECK_ERR(relay_entry_parse("[::1]:4663", 10, &e), 0);
	CHECK(strcmp(e.host, "::1") == 0 && e.port == 4663);
	CHECK_ERR(relay_entry_parse("::1", 3, &e), 0);
	CHECK(strcmp(e.host, "::1") == 0 && e.port == 0);
	CHECK_ERR(relay_entry_parse("127.0.0.1:65535", 15, &e), 0);
	CHECK(e.port == 65535);
	/* Only n bytes count: the rest of a list is not this entry. */
	CHECK_ERR(relay_entry_parse("a.example,b.example", 9, &e), 0);
	CHECK(strcmp(e.text, "a.example") == 0);
	/* What a URL would read otherwise, or what is no address at all. */
	CHECK_ERR(relay_entry_parse("user@evil.example:443", 21, &e), ERR_FORMAT);
	CHECK(e.text[0] == '\0' && e.host[0] == '\0');
	CHECK_ERR(relay_entry_parse("evil.example/x:443", 18, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("evil.example?:443", 17, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("evil.example#:443", 17, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("a b:443", 7, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("a\0b", 3, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("relay.example:0", 15, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("relay.example:65536", 19, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("relay.example:", 14, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("relay.example:x", 15, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse(":443", 4, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("[relay.example]:443", 19, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("[::1", 4, &e), ERR_FORMAT);
	CHECK_ERR(relay_entry_parse("", 0, &e), ERR_FORMAT);
	/* A DNS name's 253, with a port, fits; past CLIENT_RELAY_TEXT_MAX not. */
	memset(long_host, 'a', sizeof(long_host));
	memcpy(long_host + 253, ":4663", 5);
	CHECK_ERR(relay_entry_parse(long_host, 258, &e), 0);
	CHECK_ERR(relay_entry_parse(long_host, CLIENT_RELAY_TEXT_MAX + 1, &e), ERR_FORMAT);
}

static void
lists(void)
{
	struct relay_list l;
	char why[256], key[64];

	CHECK_ERR(relay_list_parse("one.example", &l, why, sizeof(why)), 0);
	CHECK(l.n == 1 && strcmp(l.e[0].text, "one.example") == 0);
	CHECK_ERR(relay_list_parse("a.example:1, b.example ,\t[::1]:3", &l, why, sizeof(why)), 0);
	CHECK(l.n == 3 && strcmp(l.e[1].text, "b.example") == 0 && l.e[2].port == 3);
	CHECK(relay_list_find(&l, "b.example") == 1 && relay_list_find(&l, "b") == -1);
	relay_list_key(&l, key, sizeof(key));
	CHECK(strcmp(key, "a.example:1,b.example,[::1]:3") == 0);
	relay_list_key(&l, key, 10);    /* does not fit: no key rather than half of one */
	CHECK(key[0] == '\0');
	/* The same entry twice counts once. */
	CHECK_ERR(relay_list_parse("a.example,b.example,a.example", &l, why, sizeof(why)), 0);
	CHECK(l.n == 2);
	CHECK_ERR(relay_list_parse("1,2,3,4,5,6,7,8", &l, why, sizeof(why)), 0);
	CHECK(l.n == CLIENT_RELAYS_MAX);
	CHECK_ERR(relay_list_parse("1,2,3,4,5,6,7,8,9", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK(l.n == 0 && strstr(why, "more than 8 relays") != NULL);
	CHECK_ERR(relay_list_parse("", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK(strcmp(why, "no relay given") == 0);
	CHECK_ERR(relay_list_parse("  ", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK_ERR(relay_list_parse("a.example,", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK(strstr(why, "an empty entry") != NULL);
	CHECK_ERR(relay_list_parse(",a.example", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK_ERR(relay_list_parse("a.example,,b.example", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK_ERR(relay_list_parse("a.example,b example", &l, why, sizeof(why)), ERR_FORMAT);
	CHECK(strcmp(why, "bad relay address 'b example' (want HOST[:PORT])") == 0);
	CHECK_ERR(relay_list_parse("a.example;b.example", &l, why, sizeof(why)), ERR_FORMAT);
}

static void
settings_value(void)
{
	char want[128];

	CHECK_ERR(settings_value_relays("relay.example:443", want, sizeof(want)), 0);
	CHECK_ERR(settings_value_relays("r1.example,r2.example:8443", want, sizeof(want)), 0);
	CHECK_ERR(settings_value_relays("relay.example:0", want, sizeof(want)), ERR_FORMAT);
	CHECK(strcmp(want, "HOST[:PORT], or several of them separated by commas (at most 8)")
	    == 0);
	CHECK_ERR(settings_value_relays("r\xc3\xa4lay.example", want, sizeof(want)), ERR_FORMAT);
}

static void
remembered(void)
{
	char path[] = "/tmp/fernsicht-relays-XXXXXX", file[64], out[400], line[512];
	struct transport_opts o = { .kind = TRANSPORT_AUTO, .state_file = file };
	FILE *f;
	int lines = 0;

	if (mkdtemp(path) == NULL)
		TEST_BAIL("mkdtemp");
	snprintf(file, sizeof(file), "%s/transport", path);
	transport_remembered_relay(&o, "a,b", out, sizeof(out));
	CHECK(out[0] == '\0');
	transport_remember(&o, "a", TRANSPORT_TLS);
	transport_remember_relay(&o, "a,b", "b");
	transport_remember_relay(&o, "a,c", "c:1@10.0.0.1");
	transport_remembered_relay(&o, "a,b", out, sizeof(out));
	CHECK(strcmp(out, "b") == 0);
	transport_remembered_relay(&o, "a,c", out, sizeof(out));
	CHECK(strcmp(out, "c:1@10.0.0.1") == 0);
	transport_remembered_relay(&o, "a", out, sizeof(out));
	CHECK(out[0] == '\0');
	transport_remembered_relay(&o, "", out, sizeof(out));
	CHECK(out[0] == '\0');
	/* The tiers and the relays live side by side; a new winner replaces. */
	transport_remember_relay(&o, "a,b", "a");
	transport_remember(&o, "b", TRANSPORT_HTTP);
	transport_remembered_relay(&o, "a,b", out, sizeof(out));
	CHECK(strcmp(out, "a") == 0);
	CHECK(transport_remembered(&o, "a") == TRANSPORT_TLS);
	CHECK(transport_remembered(&o, "b") == TRANSPORT_HTTP);
	if ((f = fopen(file, "r")) == NULL)
		TEST_BAIL("no state file");
	while (fgets(line, sizeof(line), f) != NULL)
		lines++;
	fclose(f);
	CHECK(lines == 4);
	/* The longest list there can be, with the longest winner, fits a line. */
	{
		struct relay_list l = { .n = CLIENT_RELAYS_MAX };
		char key[CLIENT_RELAYS_MAX * (CLIENT_RELAY_TEXT_MAX + 1)];
		char winner[CLIENT_RELAY_TEXT_MAX + INET6_ADDRSTRLEN + 2];

		for (unsigned i = 0; i < l.n; i++) {
			memset(l.e[i].text, 'a' + (int)i, CLIENT_RELAY_TEXT_MAX);
			l.e[i].text[CLIENT_RELAY_TEXT_MAX] = '\0';
		}
		relay_list_key(&l, key, sizeof(key));
		CHECK(strlen(key) == sizeof(key) - 1);
		snprintf(winner, sizeof(winner), "%s@ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		    l.e[7].text);
		transport_remember_relay(&o, key, winner);
		transport_remembered_relay(&o, key, out, sizeof(out));
		CHECK(strcmp(out, winner) == 0);
		transport_remembered_relay(&o, "a,b", out, sizeof(out));
		CHECK(strcmp(out, "a") == 0);
	}
	unlink(file);
	rmdir(path);
}

static void
resolving(void)
{
	struct resolve_name n[3] = { { .host = "127.0.0.1" }, { .host = NULL },
		{ .host = "localhost" } };
	uint64_t t0 = mono_ms();

	CHECK(resolve_is_numeric("127.0.0.1") && resolve_is_numeric("::1") &&
	    resolve_is_numeric("fe80::1%lo") && !resolve_is_numeric("localhost"));
	resolve_names(n, 3, 2000);
	CHECK(mono_ms() - t0 < 2500);
	/* Numbers and NULL are not looked up: the transport takes them as they are. */
	CHECK(!n[0].resolved && n[0].n == 0 && !n[1].resolved);
	/* localhost is in every /etc/hosts. */
	CHECK(n[2].resolved && n[2].n >= 1);
	for (unsigned i = 0; i < n[2].n; i++)
		CHECK(resolve_is_numeric(n[2].addr[i]));
}

/* A name nobody can resolve, pinned to our listening address: curl
 * connects there without asking DNS. */
static void
pinned(void)
{
	struct transport_opts o = { .kind = TRANSPORT_TCP, .address = "127.0.0.1" };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct pollfd p[TRANSPORT_POLLFDS_MAX];
	struct transport *t;
	char why[256];
	uint64_t end;
	int ls, n, timeout, r = 0;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(ls, 1) != 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &len) != 0)
		TEST_BAIL("no listening socket");
	t = transport_start(TRANSPORT_TCP, "relay.invalid", ntohs(sa.sin_port), &o, 2000, why,
	    sizeof(why));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	end = mono_ms() + 2000;
	while (!transport_ready(t) && r == 0 && mono_ms() < end) {
		timeout = 100;
		n = transport_pollfds(t, p, TRANSPORT_POLLFDS_MAX, false, &timeout);
		poll(p, (nfds_t)n, timeout);
		r = transport_after_poll(t);
	}
	CHECK_ERR(r, 0);
	CHECK(transport_ready(t));
	transport_close(t);
	close(ls);
}

int
main(void)
{
	entries();
	lists();
	settings_value();
	remembered();
	resolving();
	pinned();
	return test_done();
}
