/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relay_load - many small sessions at once through the relay, or through a
 * plain forwarder, and the latency each frame picked up on the way.
 *
 *   relay_load relay HOST:PORT SESSIONS SECONDS [PID [HZ]]
 *   relay_load plain HOST:PORT SESSIONS SECONDS [PID [HZ]]
 *
 * Each session is two connections, a master and a viewer. "relay": the
 * master sends HELLO and gets its number, the viewer joins with it, the
 * master sees PEER_JOIN (the cheapest real path: no key agreement, which
 * the relay never sees anyway; DATA under the session flag is forwarded to
 * an unverified viewer). "plain": the two connect one after the other to a
 * forwarder that pairs connections in order (pair_forward). Then every
 * master sends a DATA frame with a 100-byte body HZ times a second (10
 * unless told; 1 to 100), the sessions spread evenly over the period, and
 * its viewer reads it; the body starts with the time it was sent
 * (CLOCK_MONOTONIC, this same process), so the viewer's clock gives the
 * frame's whole trip through both kernels' loopback and the forwarder in
 * between.
 *
 * Every session gets its own source address, 127.10.X.Y: the relay counts
 * connections and joins per address, and one address per session keeps
 * each inside the default limits, as real users on their own lines are.
 *
 * After 2 s of warm-up, SECONDS are measured. PID (the forwarder) has its
 * CPU time read from /proc over the same window. Prints one line:
 *   sessions=N frames=F lost=L p50_us=A p99_us=B p999_us=C max_us=D
 *   fwd_cpu_pct=P load_cpu_pct=Q
 * lost: frames sent in the window that had not arrived 1 s after it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "net.h"
#include "wire.h"

enum {
	BODY_BYTES = 100,
	HZ_DEFAULT = 10,                /* frames a second per session */
	HZ_MAX = 100,
	WARMUP_US = 2000000,
	DRAIN_US = 1000000,             /* late frames still counted after the window */
	IN_BYTES = 16 << 10,
	BODY_MAX = 1024,                /* what this tool accepts from the other end */
	SETUP_MS = 10000,               /* one handshake step at most */
	HIST_US = 2000000,              /* latencies above 2 s count as 2 s */
	SESSIONS_MAX = 60000,
	EVENTS = 512,
};

struct session {
	int master, viewer;
	uint16_t slot;
	uint64_t seq;
	struct buf in;                  /* the viewer's unparsed bytes */
};

static uint32_t *hist;          /* HIST_US + 1 buckets of 1 us */
static uint64_t counted, in_window_sent, late, max_us;

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "relay_load: %s: %s\n", what, why);
	exit(1);
}

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* A connection from 127.10.X.Y (one address per session) to the target. */
static int
connect_from(unsigned idx, const struct sockaddr_in *to)
{
	struct sockaddr_in from = { .sin_family = AF_INET };
	int fd, one = 1;

	from.sin_addr.s_addr = htonl((127u << 24) | (10u << 16) | ((idx / 250) << 8) |
	    (idx % 250 + 1));
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		die("socket", strerror(errno));
	(void)setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&from, sizeof(from)) == -1)
		die("bind", strerror(errno));
	if (connect(fd, (const struct sockaddr *)to, sizeof(*to)) == -1)
		die("connect", strerror(errno));
	return fd;
}

/* Blocking handshake steps: the setup is not what is measured. */
static void
send_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;
	ssize_t w;

	while (n > 0) {
		w = send(fd, b, n, MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			die("send", strerror(errno));
		b += w;
		n -= (size_t)w;
	}
}

static void
hello(int fd, uint8_t role, uint32_t number)
{
	struct wire_hello m;
	struct wire_hdr h = { .type = WIRE_HELLO };
	struct buf body, out;

	memset(&m, 0, sizeof(m));
	m.version = WIRE_VERSION;
	m.role = role;
	m.session = number;
	snprintf(m.name, sizeof(m.name), "load");
	buf_init(&body, WIRE_PREAUTH_MAX_BYTES);
	buf_init(&out, WIRE_PREAUTH_MAX_BYTES + WIRE_HEADER_LEN);
	if (wire_hello_encode(&body, &m) != 0 ||
	    wire_put(&out, &h, buf_ptr(&body), buf_len(&body)) != 0)
		die("HELLO", "cannot encode");
	send_all(fd, buf_ptr(&out), buf_len(&out));
	buf_release(&body);
	buf_release(&out);
}

/* The next frame of type want on a blocking-style read; others are skipped. */
static void
expect(int fd, struct buf *in, uint8_t want, struct wire_hdr *h, struct buf *body)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got;
	int r;

	for (;;) {
		r = wire_next(in, BODY_MAX, h, body);
		if (r == 0 && h->type == want)
			return;
		if (r == 0 && h->type == WIRE_ERROR)
			die("relay", "ERROR during setup (limits? see the relay's log)");
		if (r == 0)
			continue;
		if (r != ERR_INCOMPLETE)
			die("setup", err_str(r));
		if (poll(&p, 1, SETUP_MS) != 1)
			die("setup", "no answer");
		r = buf_read_fd(in, fd, IN_BYTES, &got);
		if (r != 0 && r != ERR_AGAIN)
			die("setup", err_str(r));
	}
}

static void
nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		die("fcntl", strerror(errno));
}

static void
open_session(struct session *s, unsigned idx, bool relay, const struct sockaddr_in *to)
{
	struct wire_welcome w;
	struct wire_hdr h;
	struct buf body, min;

	buf_init(&s->in, IN_BYTES);
	s->master = connect_from(idx, to);
	s->viewer = connect_from(idx, to);
	nonblocking(s->master);
	nonblocking(s->viewer);
	s->slot = 1;
	if (!relay)
		return;
	buf_init(&min, IN_BYTES);
	hello(s->master, WIRE_ROLE_MASTER, 0);
	expect(s->master, &min, WIRE_WELCOME, &h, &body);
	if (wire_welcome_decode(&body, &w) != 0)
		die("WELCOME", "cannot decode");
	hello(s->viewer, WIRE_ROLE_VIEWER, w.session);
	expect(s->viewer, &s->in, WIRE_WELCOME, &h, &body);
	expect(s->master, &min, WIRE_PEER_JOIN, &h, &body);
	s->slot = h.slot;
	buf_release(&min);
}

/* One frame from s's master; its first 8 body bytes are the time. */
static bool
send_frame(struct session *s)
{
	uint8_t f[WIRE_HEADER_LEN + BODY_BYTES];
	struct wire_hdr h = { .type = WIRE_DATA, .flags = WIRE_F_SESSION, .slot = s->slot,
	    .len = BODY_BYTES };
	uint64_t t = now_us();
	ssize_t w;

	h.seq = ++s->seq;
	wire_hdr_pack(&h, f);
	memset(f + WIRE_HEADER_LEN, 0x5a, BODY_BYTES);
	memcpy(f + WIRE_HEADER_LEN, &t, sizeof(t));
	w = send(s->master, f, sizeof(f), MSG_NOSIGNAL);
	if (w == (ssize_t)sizeof(f))
		return true;
	if (w == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return false;   /* not sent: not counted either */
	die("send", w == -1 ? strerror(errno) : "a frame cut in two");
	return false;
}

/* Everything the viewer has: each DATA frame's age in the histogram. */
static void
receive(struct session *s, uint64_t from, uint64_t until)
{
	struct wire_hdr h;
	struct buf body;
	uint64_t t, now;
	size_t got;
	int r;

	for (;;) {
		r = buf_read_fd(&s->in, s->viewer, IN_BYTES, &got);
		if (r == ERR_AGAIN)
			break;
		if (r != 0 && r != ERR_NO_SPACE)
			die("viewer", err_str(r));
		now = now_us();
		while ((r = wire_next(&s->in, BODY_MAX, &h, &body)) == 0) {
			if (h.type == WIRE_ERROR)
				die("viewer", "ERROR from the relay");
			if (h.type != WIRE_DATA || buf_len(&body) < sizeof(t))
				continue;
			memcpy(&t, buf_ptr(&body), sizeof(t));
			if (t < from || t >= until)
				continue;
			counted++;
			if (now - t > max_us)
				max_us = now - t;
			hist[now - t < HIST_US ? now - t : HIST_US]++;
		}
		if (r != ERR_INCOMPLETE)
			die("viewer", err_str(r));
	}
}

static uint64_t
percentile(double q)
{
	uint64_t want = (uint64_t)((double)counted * q), seen = 0;

	for (uint64_t us = 0; us <= HIST_US; us++) {
		seen += hist[us];
		if (seen > want)
			return us;
	}
	return HIST_US;
}

/* utime + stime of a process, in clock ticks; 0 when unreadable. */
static uint64_t
proc_ticks(long pid)
{
	char path[64], line[1024], *p;
	unsigned long long ut, st;
	FILE *f;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	if (p == NULL || (p = strrchr(line, ')')) == NULL)
		return 0;
	/* after ") ": state is field 3; utime and stime are fields 14 and 15 */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	return ut + st;
}

static double
self_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void
usage(void)
{
	fprintf(stderr, "usage: relay_load relay|plain HOST:PORT SESSIONS SECONDS [PID [HZ]]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct epoll_event ev[EVENTS];
	struct sockaddr_in to = { .sin_family = AF_INET };
	char host[256];
	struct session *ss;
	uint64_t t0, w0, w1, end, due, issued = 0, now, ticks0, ticks1;
	unsigned long n, secs, hz, period_us;
	double self0, self1;
	long pid;
	uint16_t port;
	bool relay;
	int ep, k, i;

	if (argc < 5 || argc > 7)
		usage();
	relay = strcmp(argv[1], "relay") == 0;
	if (!relay && strcmp(argv[1], "plain") != 0)
		usage();
	if (net_split_hostport(argv[2], 0, host, sizeof(host), &port) != 0 || port == 0 ||
	    inet_pton(AF_INET, host, &to.sin_addr) != 1)
		die("address", "want IPv4:PORT");
	to.sin_port = htons(port);
	n = strtoul(argv[3], NULL, 10);
	secs = strtoul(argv[4], NULL, 10);
	pid = argc >= 6 ? strtol(argv[5], NULL, 10) : 0;
	hz = argc == 7 ? strtoul(argv[6], NULL, 10) : HZ_DEFAULT;
	if (n == 0 || n > SESSIONS_MAX || secs == 0 || secs > 3600 || hz == 0 || hz > HZ_MAX)
		usage();
	period_us = 1000000 / hz;
	if ((hist = calloc(HIST_US + 1, sizeof(*hist))) == NULL ||
	    (ss = calloc(n, sizeof(*ss))) == NULL)
		die("calloc", strerror(errno));
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		die("epoll_create1", strerror(errno));
	for (unsigned long s = 0; s < n; s++) {
		struct epoll_event e = { .events = EPOLLIN, .data.ptr = &ss[s] };

		open_session(&ss[s], (unsigned)s, relay, &to);
		if (epoll_ctl(ep, EPOLL_CTL_ADD, ss[s].viewer, &e) == -1)
			die("epoll_ctl", strerror(errno));
	}
	fprintf(stderr, "relay_load: %lu sessions open\n", n);
	t0 = now_us();
	w0 = t0 + WARMUP_US;
	w1 = w0 + secs * 1000000;
	end = w1 + DRAIN_US;
	ticks0 = ticks1 = 0;
	self0 = self1 = 0;
	for (;;) {
		now = now_us();
		if (ticks0 == 0 && now >= w0) {
			ticks0 = proc_ticks(pid);
			self0 = self_s();
		}
		if (ticks1 == 0 && now >= w1) {
			ticks1 = proc_ticks(pid);
			self1 = self_s();
		}
		if (now >= end)
			break;
		/* the frames due by now, session after session in a fixed order */
		due = now < w1 ? (now - t0) * n / period_us : (w1 - t0) * n / period_us;
		for (; issued < due; issued++) {
			struct session *s = &ss[issued % n];

			if (!send_frame(s))
				late++;
			else if (now >= w0 && now < w1)
				in_window_sent++;
		}
		k = epoll_wait(ep, ev, EVENTS, 1);
		if (k == -1 && errno != EINTR)
			die("epoll_wait", strerror(errno));
		for (i = 0; i < k; i++)
			receive(ev[i].data.ptr, w0, w1);
	}
	printf("sessions=%lu hz=%lu frames=%llu lost=%lld p50_us=%llu p99_us=%llu p999_us=%llu "
	    "max_us=%llu fwd_cpu_pct=%.1f load_cpu_pct=%.1f unsent=%llu\n", n, hz,
	    (unsigned long long)counted, (long long)in_window_sent - (long long)counted,
	    (unsigned long long)percentile(0.50), (unsigned long long)percentile(0.99),
	    (unsigned long long)percentile(0.999), (unsigned long long)max_us,
	    pid > 0 ? 100.0 * (double)(ticks1 - ticks0) / (double)sysconf(_SC_CLK_TCK) /
	    (double)secs : 0.0, 100.0 * (self1 - self0) / (double)secs,
	    (unsigned long long)late);
	return 0;
}
