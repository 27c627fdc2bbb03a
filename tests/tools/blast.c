/* SPDX-License-Identifier: Apache-2.0 */
/*
 * blast - pushes N MiB of DATA frames through the relay, or through any
 * plain TCP forwarder, and times the far end. For tests/bench/run.sh.
 *
 *   blast master RELAY MIB           HELLO as master, print "session=N",
 *                                    wait for a viewer, send MIB MiB to it
 *   blast viewer RELAY SESSION MIB   join, read MIB MiB of DATA bodies
 *   blast sink MIB                   listen on 127.0.0.1:0, print
 *                                    "listening=IP:PORT", read like a viewer
 *   blast source HOST:PORT MIB       send the same frames over plain TCP
 *
 * The readers print "mbps=X bytes=N secs=T": MB/s (10^6 bytes) of DATA
 * body bytes, timed from the first DATA frame to the last. Both paths
 * carry exactly the same frame stream, parsed by the same code, so the
 * relay and a peer forwarder (socat) can be compared fairly.
 *
 * Bodies are random bytes: to the relay they are opaque records, and
 * random data keeps any compression along the way honest.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "clock.h"
#include "link.h"
#include "net.h"
#include "wire.h"

enum {
	BODY_BYTES = 64 << 10,          /* like a large screen record */
	READ_BYTES = 256 << 10,         /* per read(2): fewer syscalls than the relay's */
	TIMEOUT_MS = 120 * 1000,        /* a benchmark that hangs is stopped */
	BURST = 8,                      /* frames sent between looks at FLOW */
};

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "blast: %s: %s\n", what, why);
	exit(1);
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static uint64_t
mib_arg(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*end != '\0' || v == 0 || v > (1UL << 20))
		die("MIB", "want a number of MiB, 1..1048576");
	return (uint64_t)v << 20;
}

/* Wait until fd is ready for events; the whole run is bounded by deadline. */
static void
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t now = mono_ms();

	if (now >= deadline)
		die("timeout", "no progress");
	if (poll(&p, 1, (int)(deadline - now)) == -1 && errno != EINTR)
		die("poll", strerror(errno));
}

/* One frame: header and body in one buffer, so one send() can take it. */
struct frame {
	uint8_t *p;
	size_t len, off;        /* bytes in p, bytes of it already sent */
	uint64_t seq;
};

static void
frame_init(struct frame *f, size_t body)
{
	if ((f->p = malloc(WIRE_HEADER_LEN + body)) == NULL)
		die("malloc", strerror(errno));
	randombytes_buf(f->p + WIRE_HEADER_LEN, body);
	f->len = WIRE_HEADER_LEN + body;
	f->off = f->len;        /* "sent": the next call packs a fresh header */
	f->seq = 0;
}

/* Send what the socket takes of the current frame, starting a new one when
 * the last is done. Returns the body bytes completed by this call. */
static size_t
frame_push(struct frame *f, int fd, uint16_t slot)
{
	struct wire_hdr h = { .type = WIRE_DATA, .flags = WIRE_F_SESSION, .slot = slot };
	size_t done = 0;
	ssize_t w;

	if (f->off == f->len) {
		h.len = (uint32_t)(f->len - WIRE_HEADER_LEN);
		h.seq = ++f->seq;
		wire_hdr_pack(&h, f->p);
		f->off = 0;
	}
	do
		w = send(fd, f->p + f->off, f->len - f->off, MSG_NOSIGNAL);
	while (w == -1 && errno == EINTR);
	if (w == -1) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		die("send", strerror(errno));
	}
	f->off += (size_t)w;
	if (f->off == f->len)
		done = f->len - WIRE_HEADER_LEN;
	return done;
}

/*
 * The receiving end, shared by viewer and sink: read frames until total
 * DATA body bytes arrived; other frames (WELCOME, PING) are skipped.
 */
static void
receive(int fd, struct buf *in, uint64_t total)
{
	uint64_t got = 0, t0 = 0, t1, deadline = mono_ms() + TIMEOUT_MS;
	struct wire_hdr h;
	struct buf body;
	size_t n;
	int r;

	while (got < total) {
		r = wire_next(in, WIRE_BODY_MAX_BYTES, &h, &body);
		if (r == 0) {
			if (h.type == WIRE_ERROR)
				die("receive", "the relay sent ERROR");
			if (h.type != WIRE_DATA)
				continue;
			if (got == 0)
				t0 = now_us();
			got += buf_len(&body);
			continue;
		}
		if (r != ERR_INCOMPLETE)
			die("receive", err_str(r));
		r = buf_read_fd(in, fd, READ_BYTES, &n);
		if (r == ERR_AGAIN)
			wait_fd(fd, POLLIN, deadline);
		else if (r != 0)
			die("receive", err_str(r));
	}
	t1 = now_us();
	if (t1 <= t0)
		t1 = t0 + 1;
	printf("mbps=%.1f bytes=%llu secs=%.3f\n", (double)got / (double)(t1 - t0),
	    (unsigned long long)got, (double)(t1 - t0) / 1e6);
}

static void
reader_buf(struct buf *in)
{
	buf_init(in, WIRE_HEADER_LEN + WIRE_BODY_MAX_BYTES + READ_BYTES);
}

/*
 * The relay's master: honours FLOW like fernsicht-master does (the relay
 * evicts a viewer whose queue passes RELAY_OUTBUF_MAX_BYTES, it never
 * stops reading the master), so flow control is part of what is timed.
 */
static int
run_master(const char *relay, uint64_t total)
{
	uint64_t sent = 0, deadline = mono_ms() + TIMEOUT_MS;
	struct wire_hdr h;
	struct buf body;
	struct frame f;
	struct link l;
	struct pollfd p;
	size_t bodylen;
	unsigned k;
	uint16_t slot = 0;
	uint8_t on;
	bool xoff = false, left = false;
	int r;

	link_init(&l);
	if (link_open(&l, relay, WIRE_ROLE_MASTER, 0, "blast", 10000) != 0)
		die("relay", l.why);
	printf("session=%u\n", l.welcome.session);
	fflush(stdout);
	bodylen = l.body_max < BODY_BYTES ? l.body_max : BODY_BYTES;
	if (total % bodylen != 0)
		die("MIB", "not a whole number of frames");
	while (!left) {
		/* control frames first: PEER_JOIN starts the run, FLOW paces it */
		while ((r = link_next(&l, &h, &body)) == 0) {
			if (h.type == WIRE_PEER_JOIN && slot == 0) {
				slot = h.slot;
				frame_init(&f, bodylen);
			} else if (h.type == WIRE_FLOW && h.slot == slot &&
			    wire_flow_decode(&body, &on) == 0) {
				xoff = on == WIRE_FLOW_XOFF;
			} else if (h.type == WIRE_PEER_LEAVE && h.slot == slot) {
				left = true;
			} else if (h.type == WIRE_ERROR) {
				die("relay", "ERROR from the relay");
			}
		}
		if (r != ERR_INCOMPLETE)
			die("relay", err_str(r));
		if (left)
			break;
		/* a started frame is finished even under XOFF: frames are atomic */
		p.fd = l.fd;
		p.events = POLLIN;
		if (slot != 0 && sent < total && (!xoff || f.off != f.len))
			p.events |= POLLOUT;
		if (mono_ms() >= deadline)
			die("timeout", "no progress");
		if (poll(&p, 1, 1000) == -1 && errno != EINTR)
			die("poll", strerror(errno));
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			if ((r = link_fill(&l)) != 0)
				die("relay", l.why);
		}
		/*
		 * Keep going while the socket takes it (fewer polls), but look
		 * for FLOW again after BURST frames: an XOFF read late lets the
		 * viewer's queue at the relay grow towards eviction.
		 */
		for (k = 0; (p.revents & POLLOUT) && k < BURST; k++) {
			if (sent >= total || (xoff && f.off == f.len))
				break;
			sent += frame_push(&f, l.fd, slot);
			if (f.off != f.len)
				break;
		}
	}
	/* the viewer closes only after it read everything: the run is over */
	link_close(&l);
	return 0;
}

static int
run_viewer(const char *relay, const char *session, uint64_t total)
{
	struct link l;
	char *end;
	unsigned long num = strtoul(session, &end, 10);

	if (*end != '\0' || num < SESSION_NUMBER_MIN || num > SESSION_NUMBER_MAX)
		die("SESSION", "want a session number");
	link_init(&l);
	if (link_open(&l, relay, WIRE_ROLE_VIEWER, (uint32_t)num, "blast", 10000) != 0)
		die("relay", l.why);
	receive(l.fd, &l.in, total);
	fflush(stdout);
	link_close(&l);
	return 0;
}

static int
run_sink(uint64_t total)
{
	char bound[128], why[256];
	struct buf in;
	int lfd, fd;

	if ((lfd = net_listen("127.0.0.1:0", bound, sizeof(bound), why, sizeof(why))) < 0)
		die("listen", why);
	printf("listening=%s\n", bound);
	fflush(stdout);
	wait_fd(lfd, POLLIN, mono_ms() + TIMEOUT_MS);
	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) == -1)
		die("accept", strerror(errno));
	close(lfd);
	reader_buf(&in);
	receive(fd, &in, total);
	fflush(stdout);
	buf_release(&in);
	close(fd);
	return 0;
}

/* Plain TCP: the same frames, no flow control but TCP's own. */
static int
run_source(const char *addr, uint64_t total)
{
	uint64_t sent = 0, deadline = mono_ms() + TIMEOUT_MS;
	char host[256], why[256];
	uint8_t sink[4096];
	struct frame f;
	uint16_t port;
	ssize_t n;
	int fd;

	if (net_split_hostport(addr, 0, host, sizeof(host), &port) != 0 || port == 0)
		die("address", "want HOST:PORT");
	if ((fd = net_connect(host, port, 10000, why, sizeof(why))) < 0)
		die("connect", why);
	frame_init(&f, BODY_BYTES);
	while (sent < total) {
		sent += frame_push(&f, fd, 1);
		if (f.off != f.len)
			wait_fd(fd, POLLOUT, deadline);
	}
	/* wait for the far end to close, so socat forwarded every byte */
	shutdown(fd, SHUT_WR);
	for (;;) {
		n = read(fd, sink, sizeof(sink));
		if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
			break;
		if (n == -1)
			wait_fd(fd, POLLIN, deadline);
	}
	close(fd);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: blast master RELAY MIB | viewer RELAY SESSION MIB |"
	    " sink MIB | source HOST:PORT MIB\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		die("libsodium", "cannot initialise");
	if (argc == 4 && strcmp(argv[1], "master") == 0)
		return run_master(argv[2], mib_arg(argv[3]));
	if (argc == 5 && strcmp(argv[1], "viewer") == 0)
		return run_viewer(argv[2], argv[3], mib_arg(argv[4]));
	if (argc == 3 && strcmp(argv[1], "sink") == 0)
		return run_sink(mib_arg(argv[2]));
	if (argc == 4 && strcmp(argv[1], "source") == 0)
		return run_source(argv[2], mib_arg(argv[3]));
	usage();
	return 2;
}
