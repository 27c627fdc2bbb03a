/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link_shaper - a slow line in user space, for benchmarks: a TCP proxy
 * that gives each direction of each connection a bandwidth and a delay.
 *
 *   link_shaper PORT HOST:PORT KBIT DELAY_MS
 *
 * Listens on 127.0.0.1:PORT (0: any; prints "listening PORT"), connects
 * each client to HOST:PORT, and passes bytes both ways as a line of KBIT
 * kbit/s with DELAY_MS one way would: a chunk read at t leaves the wire
 * when the bytes before it have and its own took their time at KBIT, and
 * arrives DELAY_MS later. At most SHAPER_QUEUE_BYTES wait per direction
 * (then it stops reading: the sender's TCP backs off, as behind a full
 * router queue, only without losses). Runs until killed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { PAIRS_MAX = 16, CHUNK = 16384, CHUNKS_MAX = 512, SHAPER_QUEUE_BYTES = 1 << 20 };

struct chunk {
	uint8_t data[CHUNK];
	size_t len, off;
	uint64_t due_us;                /* when it has crossed the line */
};

struct dir {
	int from, to;
	struct chunk *q[CHUNKS_MAX];
	unsigned head, n;
	size_t queued;
	uint64_t wire_free_us;          /* when the line has sent what it holds */
	int eof;
};

struct pair {
	int used;
	struct dir d[2];                /* 0: client to target, 1: target to client */
};

static struct pair pairs[PAIRS_MAX];
static uint64_t kbit, delay_us;

static uint64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
die(const char *what)
{
	fprintf(stderr, "link_shaper: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
close_pair(struct pair *p)
{
	close(p->d[0].from);
	close(p->d[0].to);
	for (int k = 0; k < 2; k++)
		while (p->d[k].n > 0) {
			free(p->d[k].q[p->d[k].head]);
			p->d[k].head = (p->d[k].head + 1) % CHUNKS_MAX;
			p->d[k].n--;
		}
	memset(p, 0, sizeof(*p));
}

/* Read what may be read into the line; 0 on EOF or error. */
static int
take(struct dir *d, uint64_t now)
{
	struct chunk *c;
	ssize_t r;

	if ((c = malloc(sizeof(*c))) == NULL)
		return 0;
	r = read(d->from, c->data, sizeof(c->data));
	if (r <= 0) {
		free(c);
		return r < 0 && errno == EAGAIN;
	}
	c->len = (size_t)r;
	c->off = 0;
	if (d->wire_free_us < now)
		d->wire_free_us = now;
	d->wire_free_us += (uint64_t)r * 8 * 1000 / kbit;     /* kbit/s: bits per ms */
	c->due_us = d->wire_free_us + delay_us;
	d->q[(d->head + d->n++) % CHUNKS_MAX] = c;
	d->queued += c->len;
	return 1;
}

/* Write what has crossed the line; 0 on error. */
static int
give(struct dir *d, uint64_t now)
{
	while (d->n > 0) {
		struct chunk *c = d->q[d->head];
		ssize_t w;

		if (c->due_us > now)
			return 1;
		w = write(d->to, c->data + c->off, c->len - c->off);
		if (w < 0)
			return errno == EAGAIN;
		c->off += (size_t)w;
		if (c->off < c->len)
			return 1;
		d->queued -= c->len;
		free(c);
		d->head = (d->head + 1) % CHUNKS_MAX;
		d->n--;
	}
	if (d->eof)
		shutdown(d->to, SHUT_WR);
	return 1;
}

static int
connect_target(const struct sockaddr_in *to)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || connect(fd, (const struct sockaddr *)to, sizeof(*to)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in me = { .sin_family = AF_INET }, to = { .sin_family = AF_INET };
	socklen_t len = sizeof(me);
	char host[64];
	int ls, one = 1, port;

	if (argc != 5 || sscanf(argv[2], "%63[^:]:%d", host, &port) != 2 ||
	    inet_pton(AF_INET, host, &to.sin_addr) != 1 ||
	    (kbit = strtoull(argv[3], NULL, 10)) == 0) {
		fprintf(stderr, "usage: link_shaper PORT HOST:PORT KBIT DELAY_MS\n");
		return 2;
	}
	to.sin_port = htons((uint16_t)port);
	signal(SIGPIPE, SIG_IGN);       /* a side that hangs up ends its pair, not the line */
	delay_us = strtoull(argv[4], NULL, 10) * 1000;
	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	me.sin_port = htons((uint16_t)atoi(argv[1]));
	if ((ls = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		die("socket");
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(ls, (struct sockaddr *)&me, sizeof(me)) != 0 || listen(ls, 16) != 0 ||
	    getsockname(ls, (struct sockaddr *)&me, &len) != 0)
		die("listen");
	printf("listening %u\n", ntohs(me.sin_port));
	fflush(stdout);
	for (;;) {
		struct pollfd pf[1 + 2 * PAIRS_MAX];
		struct pair *who[1 + 2 * PAIRS_MAX];
		int side[1 + 2 * PAIRS_MAX], n = 1, timeout = -1;
		uint64_t now = now_us();

		pf[0].fd = ls;
		pf[0].events = POLLIN;
		for (int i = 0; i < PAIRS_MAX; i++) {
			struct pair *p = &pairs[i];

			if (!p->used)
				continue;
			for (int k = 0; k < 2; k++) {
				struct dir *d = &p->d[k];
				short ev = 0;

				if (!d->eof && d->queued < SHAPER_QUEUE_BYTES && d->n < CHUNKS_MAX)
					ev |= POLLIN;
				if (d->n > 0) {
					uint64_t due = d->q[d->head]->due_us;
					/* Due but not taken (a full socket): look again in 1 ms. */
					int wait = due <= now ? 1 : (int)((due - now) / 1000) + 1;

					if (timeout < 0 || wait < timeout)
						timeout = wait;
				}
				pf[n].fd = d->from;
				pf[n].events = ev;
				who[n] = p;
				side[n++] = k;
			}
		}
		if (poll(pf, (nfds_t)n, timeout) < 0 && errno != EINTR)
			die("poll");
		now = now_us();
		if (pf[0].revents & POLLIN) {
			int c = accept(ls, NULL, NULL), t;
			int i;

			for (i = 0; i < PAIRS_MAX && pairs[i].used; i++)
				;
			if (c >= 0 && (i == PAIRS_MAX || (t = connect_target(&to)) < 0)) {
				close(c);
			} else if (c >= 0) {
				setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
				fcntl(c, F_SETFL, O_NONBLOCK);
				pairs[i].used = 1;
				pairs[i].d[0] = (struct dir){ .from = c, .to = t };
				pairs[i].d[1] = (struct dir){ .from = t, .to = c };
			}
		}
		for (int i = 1; i < n; i++) {
			struct dir *d = &who[i]->d[side[i]];

			if (!who[i]->used)
				continue;
			if ((pf[i].revents & (POLLIN | POLLHUP | POLLERR)) && !take(d, now))
				d->eof = 1;
		}
		for (int i = 0; i < PAIRS_MAX; i++) {
			struct pair *p = &pairs[i];

			if (!p->used)
				continue;
			if (!give(&p->d[0], now) || !give(&p->d[1], now) ||
			    (p->d[0].eof && p->d[1].eof && p->d[0].n == 0 && p->d[1].n == 0))
				close_pair(p);
		}
	}
}
