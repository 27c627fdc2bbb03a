/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A link that fell silent (net/link.c link_silent), on a real loopback TCP
 * connection: net_tcp_acked's counts (acknowledged and queued add up to
 * what was written; none for a socket that is not TCP), and the rule
 * itself: a PING behind our bytes while they still leave is alive; the
 * same PING once acknowledged, or bytes that stopped leaving, with nothing
 * heard for two PING intervals, is a dead path.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "link.h"
#include "net.h"
#include "test.h"

/* A connected pair on 127.0.0.1: *c to *s, both non-blocking. */
static void
pair(int *c, int *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(l, 1) != 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) != 0)
		TEST_BAIL("listen: %s", strerror(errno));
	*c = socket(AF_INET, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    (*s = accept(l, NULL, NULL)) < 0 || net_set_nonblock(*c) != 0 ||
	    net_set_nonblock(*s) != 0)
		TEST_BAIL("connect: %s", strerror(errno));
	close(l);
}

static void
backlog_then_drained(void)
{
	static char block[65536];
	uint64_t acked = 0, queued = 1, sent = 0, base = 0, until;
	ssize_t n;
	int c, s;

	pair(&c, &s);
	/* (The kernel's count starts with the connection's SYN.) */
	CHECK_ERR(net_tcp_acked(c, &base, &queued), 0);
	CHECK(base <= 1 && queued == 0);
	/* The receiver does not read: our bytes pile up in the send queue. */
	while ((n = write(c, block, sizeof(block))) > 0)
		sent += (uint64_t)n;
	CHECK(errno == EAGAIN && sent > 0);
	CHECK_ERR(net_tcp_acked(c, &acked, &queued), 0);
	CHECK(queued > 0);
	CHECK(acked - base + queued == sent);
	/* It reads everything: every byte acknowledged, nothing waits. */
	until = mono_ms() + 5000;
	do {
		while (read(s, block, sizeof(block)) > 0)
			;
		if (net_tcp_acked(c, &acked, &queued) != 0)
			break;
	} while (acked - base < sent && mono_ms() < until && usleep(1000) == 0);
	CHECK(queued == 0);
	CHECK(acked - base == sent);
	close(c);
	close(s);
}

static void
not_tcp(void)
{
	uint64_t acked = 7, queued = 8;
	int p[2];

	CHECK(pipe(p) == 0);
	CHECK_ERR(net_tcp_acked(p[0], &acked, &queued), ERR_UNSUPPORTED);
	CHECK_ERR(net_tcp_acked(-1, &acked, &queued), ERR_UNSUPPORTED);
	CHECK(acked == 7 && queued == 8);
	close(p[0]);
	close(p[1]);
}

/* Reads what s has waiting; how many bytes. */
static uint64_t
drain(int s)
{
	static char block[65536];
	uint64_t got = 0;
	ssize_t n;

	while ((n = read(s, block, sizeof(block))) > 0)
		got += (uint64_t)n;
	return got;
}

static void
silent_rule(void)
{
	static char block[65536];
	struct link l;
	uint64_t t0, q = 2000;  /* two PING intervals: the relay asked for 3 s */
	int c, s;

	pair(&c, &s);
	link_init(&l);
	l.fd = c;
	/* link_silent and link_send only look whether a transport is there;
	 * the bytes go to the socket by hand below. */
	l.t = (struct transport *)&l;
	l.welcome.idle_timeout_ms = 3000;
	CHECK(link_ping_ms(&l) == 1000);
	/* A slow uplink: our bytes fill the socket, the PING queued behind. */
	while (write(c, block, sizeof(block)) > 0)
		;
	t0 = mono_ms();
	l.heard_ms = t0;
	CHECK_ERR(link_send(&l, WIRE_PING, 0, 0, NULL, 0), 0);
	CHECK(!link_silent(&l, t0 + q - 1));
	/* Nothing acknowledged for two intervals: the path is dead. */
	CHECK(link_silent(&l, t0 + q));
	/* The far end takes some: bytes leave, the PING still behind them. */
	CHECK(drain(s) > 0);
	usleep(20 * 1000);
	CHECK(!link_silent(&l, t0 + q + 1));
	CHECK(l.heard_ms == t0 + q + 1);
	/* The PING itself goes out and is acknowledged; no PONG for two
	 * intervals more: dead, whoever acknowledged it. */
	CHECK(write(c, buf_ptr(&l.out), buf_len(&l.out)) == (ssize_t)buf_len(&l.out));
	for (int i = 0; i < 200; i++) {
		(void)drain(s);
		usleep(1000);
	}
	CHECK(!link_silent(&l, t0 + 2 * q));
	/* (The step that took the PING across gives its PONG one more wait.) */
	CHECK(!link_silent(&l, t0 + 2 * q + 1));
	CHECK(!link_silent(&l, t0 + 3 * q));
	CHECK(link_silent(&l, t0 + 3 * q + 1));
	/* A PONG (anything heard) ends it. */
	l.ping_sent_ms = 0;
	CHECK(!link_silent(&l, t0 + 10 * q));
	buf_release(&l.in);
	buf_release(&l.out);
	close(c);
	close(s);
}

int
main(void)
{
	backlog_then_drained();
	not_tcp();
	silent_rule();
	return test_done();
}
