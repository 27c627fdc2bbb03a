/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pair_forward - the plainest forwarder that can carry relay_load's
 * sessions: it pairs the connections it accepts in order (the first with
 * the second, the third with the fourth, ...) and copies bytes both ways,
 * one epoll loop, no protocol. The peer the relay is measured against in
 * tests/bench/relay_scale.sh.
 *
 *   pair_forward [ADDR:PORT]   (default 127.0.0.1:0) prints "listening=IP:PORT"
 *
 * What it reads it writes to the other side at once; bytes the other side
 * does not take are kept, and the reading side is not read again until they
 * are gone (so a slow reader slows its writer, as TCP does end to end).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net.h"

enum {
	READ_BYTES = 64 << 10,  /* like the relay's RELAY_READ_BYTES */
	EVENTS = 256,
};

struct side {
	int fd;
	struct side *peer;
	unsigned char *held;    /* bytes read from peer that fd did not take */
	size_t held_len;
	unsigned want;          /* the epoll events asked for */
};

static int ep;

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "pair_forward: %s: %s\n", what, why);
	exit(1);
}

static void
watch(struct side *s, unsigned want)
{
	struct epoll_event e = { .events = want, .data.ptr = s };

	if (want == s->want)
		return;
	if (epoll_ctl(ep, EPOLL_CTL_MOD, s->fd, &e) == -1)
		die("epoll_ctl", strerror(errno));
	s->want = want;
}

/* Both ends closed; the structs stay (events of this turn may still name
 * them, and a benchmark's forwarder does not live long). */
static void
drop_pair(struct side *s)
{
	struct side *p = s->peer;

	close(s->fd);
	close(p->fd);
	s->fd = p->fd = -1;
	free(s->held);
	free(p->held);
	s->held = p->held = NULL;
}

/* Write what is held for s; true when nothing is left. */
static bool
flush_held(struct side *s)
{
	ssize_t w;

	while (s->held_len > 0) {
		w = send(s->fd, s->held, s->held_len, MSG_NOSIGNAL);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return false;
		memmove(s->held, s->held + w, s->held_len - (size_t)w);
		s->held_len -= (size_t)w;
	}
	return true;
}

/* Read from s, write to its peer. false when the pair is gone. */
static bool
forward(struct side *s)
{
	static unsigned char b[READ_BYTES];
	struct side *to = s->peer;
	ssize_t n, w = 0;

	n = read(s->fd, b, sizeof(b));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0)
		return false;
	do
		w = send(to->fd, b, (size_t)n, MSG_NOSIGNAL);
	while (w == -1 && errno == EINTR);
	if (w == -1 && errno != EAGAIN)
		return false;
	if (w < 0)
		w = 0;
	if (w < n) {
		if ((to->held = realloc(to->held, to->held_len + (size_t)(n - w))) == NULL)
			die("realloc", strerror(errno));
		memcpy(to->held + to->held_len, b + w, (size_t)(n - w));
		to->held_len += (size_t)(n - w);
		watch(to, EPOLLOUT | (to->want & EPOLLIN));
		watch(s, s->want & ~EPOLLIN);
	}
	return true;
}

/* Accept everything waiting; pair the connections in order. */
static void
accept_all(int lfd, struct side **waiting)
{
	struct side *s;
	int fd;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		if ((s = calloc(1, sizeof(*s))) == NULL)
			die("calloc", strerror(errno));
		s->fd = fd;
		net_set_nodelay(fd);    /* as the relay's sockets */
		if (*waiting == NULL) {
			*waiting = s;
			continue;
		}
		s->peer = *waiting;
		(*waiting)->peer = s;
		*waiting = NULL;
		for (int k = 0; k < 2; k++, s = s->peer) {
			struct epoll_event e = { .events = EPOLLIN, .data.ptr = s };

			s->want = EPOLLIN;
			if (epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &e) == -1)
				die("epoll_ctl", strerror(errno));
		}
	}
	if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
		die("accept", strerror(errno));
}

int
main(int argc, char **argv)
{
	struct epoll_event ev[EVENTS];
	char bound[128], why[256];
	struct side *waiting = NULL, *s;
	int lfd, n, i;

	if ((lfd = net_listen(argc > 1 ? argv[1] : "127.0.0.1:0", bound, sizeof(bound),
	    why, sizeof(why))) < 0)
		die("listen", why);
	printf("listening=%s\n", bound);
	fflush(stdout);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) == -1)
		die("epoll_create1", strerror(errno));
	ev[0].events = EPOLLIN;
	ev[0].data.ptr = NULL;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev[0]) == -1)
		die("epoll_ctl", strerror(errno));
	for (;;) {
		n = epoll_wait(ep, ev, EVENTS, -1);
		if (n == -1 && errno != EINTR)
			die("epoll_wait", strerror(errno));
		for (i = 0; i < n; i++) {
			if ((s = ev[i].data.ptr) == NULL) {
				accept_all(lfd, &waiting);
				continue;
			}
			if (s->fd < 0)
				continue;
			if (ev[i].events & EPOLLOUT) {
				if (!flush_held(s) && errno != EAGAIN) {
					drop_pair(s);
					continue;
				}
				if (s->held_len == 0) {
					watch(s, s->want & ~EPOLLOUT);
					watch(s->peer, s->peer->want | EPOLLIN);
				}
			}
			if ((ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && !forward(s))
				drop_pair(s);
		}
	}
}
