/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The transports without a relay: names, the remembered tier, a tcp stream
 * through curl against a local socket (and the direct tier's refusal), and
 * the failures people must be told about in words. The proxy, tls and auto paths run against real
 * proxies in tests/integration/t_proxy.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "test.h"
#include "transport.h"

static void
names(void)
{
	CHECK(transport_kind_parse("auto") == TRANSPORT_AUTO);
	CHECK(transport_kind_parse("tcp") == TRANSPORT_TCP);
	CHECK(transport_kind_parse("tls") == TRANSPORT_TLS);
	CHECK(transport_kind_parse("proxy") == TRANSPORT_PROXY);
	CHECK(transport_kind_parse("http") == TRANSPORT_HTTP);
	CHECK_ERR(transport_kind_parse("udp"), ERR_FORMAT);
	CHECK_ERR(transport_kind_parse(""), ERR_FORMAT);
	for (int k = 0; k < TRANSPORT_TIERS; k++)
		CHECK(transport_kind_parse(transport_kind_name(k)) == k);
	/* direct is the viewer's choice for a master's address, not an option. */
	CHECK(strcmp(transport_kind_name(TRANSPORT_DIRECT), "direct") == 0);
	CHECK_ERR(transport_kind_parse("direct"), ERR_FORMAT);
	CHECK(transport_kind_port(TRANSPORT_TCP) == RELAY_PORT_DEFAULT);
	CHECK(transport_kind_port(TRANSPORT_DIRECT) == RELAY_PORT_DEFAULT);
	CHECK(transport_kind_port(TRANSPORT_HTTP) == TRANSPORT_TLS_PORT);
}

static void
remembered(void)
{
	char path[] = "/tmp/fernsicht-transport-XXXXXX", file[64], key[96], line[256];
	struct transport_opts o = { .kind = TRANSPORT_AUTO, .state_file = file };
	struct transport_opts none = { .kind = TRANSPORT_AUTO, .state_file = "" };
	FILE *f;
	int lines = 0;

	if (mkdtemp(path) == NULL)
		TEST_BAIL("mkdtemp");
	snprintf(file, sizeof(file), "%s/sub/transport", path);
	transport_network_key(key, sizeof(key));
	CHECK(key[0] != '\0' && strchr(key, ' ') == NULL);
	CHECK(transport_remembered(&o, "relay.example") == TRANSPORT_AUTO);
	/* tcp is tried first anyway: nothing is written for it alone. */
	transport_remember(&o, "relay.example", TRANSPORT_TCP);
	CHECK(access(file, F_OK) != 0);
	transport_remember(&o, "relay.example", TRANSPORT_PROXY);
	transport_remember(&o, "other.example", TRANSPORT_HTTP);
	CHECK(transport_remembered(&o, "relay.example") == TRANSPORT_PROXY);
	CHECK(transport_remembered(&o, "other.example") == TRANSPORT_HTTP);
	/* Back to tcp on the same network: replaced, not added. */
	transport_remember(&o, "relay.example", TRANSPORT_TCP);
	CHECK(transport_remembered(&o, "relay.example") == TRANSPORT_TCP);
	if ((f = fopen(file, "r")) == NULL)
		TEST_BAIL("no state file");
	while (fgets(line, sizeof(line), f) != NULL) {
		lines++;
		CHECK(strncmp(line, "net=", 4) == 0 && strstr(line, " tier=") != NULL);
	}
	fclose(f);
	CHECK(lines == 2);
	CHECK(transport_remembered(&none, "relay.example") == TRANSPORT_AUTO);
	unlink(file);
	snprintf(file, sizeof(file), "%s/sub", path);
	rmdir(file);
	rmdir(path);
}

/* Drive t until ready or failed, at most ms. */
static int
connect_wait(struct transport *t, int ms)
{
	uint64_t end = mono_ms() + (uint64_t)ms;
	struct pollfd p[TRANSPORT_POLLFDS_MAX];
	int n, timeout, r;

	while (!transport_ready(t) && mono_ms() < end) {
		timeout = 100;
		n = transport_pollfds(t, p, TRANSPORT_POLLFDS_MAX, false, &timeout);
		poll(p, (nfds_t)n, timeout);
		if ((r = transport_after_poll(t)) != 0)
			return r;
	}
	return transport_ready(t) ? 0 : ERR_TIMEOUT;
}

static void
tcp_stream(void)
{
	struct transport_opts o = { .kind = TRANSPORT_TCP };
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct transport *t;
	char why[256], buf[64];
	size_t n;
	int ls, s, r;
	uint64_t end;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(ls, 1) != 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &len) != 0)
		TEST_BAIL("no listening socket");
	t = transport_start(TRANSPORT_TCP, "127.0.0.1", ntohs(sa.sin_port), &o, 2000, why,
	    sizeof(why));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	CHECK_ERR(connect_wait(t, 2000), 0);
	CHECK(transport_fd(t) >= 0);
	CHECK(transport_unsent(t) == 0);
	if ((s = accept(ls, NULL, NULL)) < 0)
		TEST_BAIL("accept");
	CHECK_ERR(transport_recv(t, buf, sizeof(buf), &n), ERR_AGAIN);
	CHECK_ERR(transport_send(t, "ping", 4, &n), 0);
	CHECK(n == 4);
	CHECK(read(s, buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK(write(s, "pong!", 5) == 5);
	end = mono_ms() + 2000;
	while ((r = transport_recv(t, buf, sizeof(buf), &n)) == ERR_AGAIN && mono_ms() < end)
		usleep(1000);
	CHECK_ERR(r, 0);
	CHECK(n == 5 && memcmp(buf, "pong!", 5) == 0);
	close(s);
	end = mono_ms() + 2000;
	while ((r = transport_recv(t, buf, sizeof(buf), &n)) == ERR_AGAIN && mono_ms() < end)
		usleep(1000);
	CHECK_ERR(r, ERR_CLOSED);
	transport_close(t);

	/* Nobody listens any more: refused, in words, quickly. */
	close(ls);
	t = transport_start(TRANSPORT_TCP, "127.0.0.1", ntohs(sa.sin_port), &o, 2000, why,
	    sizeof(why));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	r = connect_wait(t, 2000);
	CHECK(r != 0 && r != ERR_TIMEOUT);
	CHECK(strncmp(transport_why(t), "tcp: ", 5) == 0);
	transport_close(t);

	/* The direct tier is the same stream, and says so in the same words. */
	t = transport_start(TRANSPORT_DIRECT, "127.0.0.1", ntohs(sa.sin_port), &o, 2000, why,
	    sizeof(why));
	CHECK(t != NULL);
	if (t == NULL)
		return;
	r = connect_wait(t, 2000);
	CHECK(r != 0 && r != ERR_TIMEOUT);
	CHECK(strncmp(transport_why(t), "tcp: ", 5) == 0);
	CHECK(transport_kind(t) == TRANSPORT_DIRECT);
	transport_close(t);
}

static void
no_proxy(void)
{
	struct transport_opts o = { .kind = TRANSPORT_PROXY };
	char why[256] = "";

	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	CHECK(transport_start(TRANSPORT_PROXY, "127.0.0.1", 443, &o, 1000, why,
	    sizeof(why)) == NULL);
	CHECK(strstr(why, "no proxy") != NULL);
}

int
main(void)
{
	names();
	remembered();
	tcp_stream();
	no_proxy();
	return test_done();
}
