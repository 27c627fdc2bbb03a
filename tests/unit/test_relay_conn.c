/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_conn - a conn's output over a real loopback TCP socket whose
 * buffers are tiny, so that large DATA bodies sent straight from the
 * sender's input (conn.c's put_data) are taken in part, or not at all, and
 * the rest waits in the queue: every frame must reach the peer whole and in
 * order, small frames queued between large ones included.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "limit.h"
#include "loop.h"
#include "test.h"
#include "wire.h"

enum {
	FRAMES = 400,
	TINY_BUF = 4096,                /* the kernel doubles it, and keeps a floor */
	STREAM_MAX = 16 << 20,
};

static const size_t sizes[] = {
	65536, 100, 16384, 30000, 0, RELAY_DIRECT_MIN_BYTES - 1, 65529, 16385, 7, 40000,
};

static uint8_t *stream;         /* what the peer read */
static size_t stream_len;

/* The body of frame i: bytes no other frame has at the same place. */
static void
fill_body(uint8_t *p, size_t n, unsigned i)
{
	for (size_t k = 0; k < n; k++)
		p[k] = (uint8_t)(k * 7 + i * 131 + (k >> 8));
}

/* Read what the peer's socket holds now, at most most bytes. */
static void
peer_read(int fd, size_t most)
{
	ssize_t n;

	while (most > 0 && stream_len < STREAM_MAX) {
		size_t want = most < STREAM_MAX - stream_len ? most : STREAM_MAX - stream_len;

		n = read(fd, stream + stream_len, want);
		if (n <= 0)
			return;
		stream_len += (size_t)n;
		most -= (size_t)n;
	}
}

/* A connected pair: *relay_end accepted (tiny send buffer), *peer (tiny
 * receive buffer, non-blocking). */
static void
pair(int *relay_end, int *peer, struct sockaddr_in *peer_addr)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof(a);
	int l, tiny = TINY_BUF;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) < 0 || bind(l, (void *)&a, sizeof(a)) != 0 ||
	    listen(l, 1) != 0 || getsockname(l, (void *)&a, &al) != 0)
		TEST_BAIL("listen: %s", strerror(errno));
	if ((*peer = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    setsockopt(*peer, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny)) != 0 ||
	    connect(*peer, (void *)&a, sizeof(a)) != 0)
		TEST_BAIL("connect: %s", strerror(errno));
	al = sizeof(*peer_addr);
	if ((*relay_end = accept(l, (void *)peer_addr, &al)) < 0 ||
	    setsockopt(*relay_end, SOL_SOCKET, SO_SNDBUF, &tiny, sizeof(tiny)) != 0)
		TEST_BAIL("accept: %s", strerror(errno));
	close(l);
	(void)fcntl(*relay_end, F_SETFL, O_NONBLOCK);
	(void)fcntl(*peer, F_SETFL, O_NONBLOCK);
}

/* The turn's end writes, the peer reads, until the queue is empty and the
 * socket too. The number of turns it took. */
static unsigned
drain(struct conn_set *s, struct conn *c, int peer)
{
	unsigned turns = 0;
	size_t was;

	do {
		was = stream_len;
		conn_touch(c);
		conn_end_turn(s);
		peer_read(peer, SIZE_MAX);
		turns++;
	} while ((buf_len(&c->out) > 0 || stream_len > was) && turns < 1000000);
	return turns;
}

/* Parse the stream back: every frame as sent, nothing more. */
static void
check_stream(void)
{
	struct buf in, body;
	struct wire_hdr h;
	uint8_t *want = malloc(65536);
	unsigned i, whole = 0;

	buf_view(&in, stream, stream_len);
	for (i = 0; i < FRAMES; i++) {
		size_t n = sizes[i % (sizeof(sizes) / sizeof(sizes[0]))];

		if (wire_next(&in, WIRE_BODY_MAX_BYTES, &h, &body) != 0)
			break;
		fill_body(want, n, i);
		if (h.type != WIRE_DATA || h.flags != (i & 1 ? WIRE_F_PAIR : WIRE_F_SESSION) ||
		    h.slot != 0 || h.seq != i + 1 || buf_len(&body) != n ||
		    (n > 0 && memcmp(buf_ptr(&body), want, n) != 0))
			break;
		whole++;
	}
	CHECK(whole == FRAMES);
	CHECK(buf_len(&in) == 0);
	if (whole != FRAMES)
		printf("#   frame %u of %u is not what was sent\n", whole, FRAMES);
	free(want);
}

int
main(void)
{
	struct sockaddr_in peer_addr;
	struct loop *l = loop_new();
	struct limit *lim = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct conn_set *s;
	struct conn *c;
	uint8_t *body = malloc(65536);
	unsigned i, partial = 0, rounds = 0;
	int fd, peer;

	stream = malloc(STREAM_MAX);
	if (l == NULL || lim == NULL || body == NULL || stream == NULL)
		TEST_BAIL("out of memory");
	s = conn_set_new(l, lim, NULL, WIRE_BODY_MAX_BYTES);
	pair(&fd, &peer, &peer_addr);
	if (s == NULL || (c = conn_new(s, fd, (struct sockaddr *)&peer_addr)) == NULL)
		TEST_BAIL("conn_new");
	if (limit_conn_open(lim, &c->ip, 0) != 0)
		TEST_BAIL("limit_conn_open");
	c->kind = CONN_RAW;
	c->state = CONN_VIEWER;

	for (i = 0; i < FRAMES; i++) {
		size_t n = sizes[i % (sizeof(sizes) / sizeof(sizes[0]))], before, after;

		fill_body(body, n, i);
		before = buf_len(&c->out);
		CHECK_ERR(conn_send(c, WIRE_DATA, i & 1 ? WIRE_F_PAIR : WIRE_F_SESSION, 0, i + 1,
		    body, n), 0);
		after = buf_len(&c->out);
		conn_touch(c);          /* as the router does after a send */
		/* an empty queue and a large body: straight out, as far as it went */
		if (before == 0 && n >= RELAY_DIRECT_MIN_BYTES && after > 0 &&
		    after < WIRE_HEADER_LEN + n)
			partial++;
		/* the peer takes a little now and then; the turn's end flushes;
		 * every fourth frame it catches up, so the next large body finds
		 * the queue empty and the socket with room for only part of it */
		if (i % 2 == 0)
			conn_end_turn(s);
		peer_read(peer, 3000);
		if (i % 4 == 3)
			rounds += drain(s, c, peer);
	}
	rounds += drain(s, c, peer);
	CHECK(buf_len(&c->out) == 0);
	CHECK(!c->dead);
	check_stream();
	/* a body that went in part is the case this is about */
	CHECK(partial > 0);
	printf("# large bodies into an empty queue: %u sent in part; %u turns\n", partial,
	    rounds);

	close(peer);
	conn_set_free(s);
	limit_free(lim);
	loop_free(l);
	free(body);
	free(stream);
	return test_done();
}
