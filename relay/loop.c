/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loop.c - file events and timers on epoll (the contract is in loop.h).
 * Timers are few (the relay has one), so they are a plain list that is
 * walked once per turn, as in ae.c.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "loop.h"

enum { LOOP_FDS_FIRST = 1024 };         /* watchers to start with; the table grows */

struct watcher {
	int mask;                       /* LOOP_READ | LOOP_WRITE */
	loop_io_fn *fn;                 /* NULL: fd is not watched */
	void *arg;
};

struct timer {
	int64_t id;                     /* 0: deleted, freed on the next walk */
	uint64_t when_ms;
	loop_timer_fn *fn;
	void *arg;
	struct timer *next;
};

struct loop {
	int ep;
	struct watcher *w;              /* indexed by fd */
	int n_w;
	struct timer *timers;
	int64_t timer_ids;
	loop_hook_fn *before_sleep;
	void *before_sleep_arg;
	uint64_t now_ms;
	bool stop;
	struct epoll_event ev[LOOP_EVENTS];
};

struct loop *
loop_new(void)
{
	struct loop *l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return NULL;
	if ((l->w = calloc(LOOP_FDS_FIRST, sizeof(*l->w))) == NULL) {
		free(l);
		return NULL;
	}
	l->n_w = LOOP_FDS_FIRST;
	if ((l->ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		log_error("epoll_create1: %s", strerror(errno));
		free(l->w);
		free(l);
		return NULL;
	}
	l->now_ms = mono_ms();
	return l;
}

void
loop_free(struct loop *l)
{
	struct timer *t, *next;

	if (l == NULL)
		return;
	for (t = l->timers; t != NULL; t = next) {
		next = t->next;
		free(t);
	}
	close(l->ep);
	free(l->w);
	free(l);
}

/* Make the table hold fd. */
static int
grow(struct loop *l, int fd)
{
	struct watcher *w;
	int n = l->n_w;

	while (n <= fd)
		n *= 2;
	if ((w = realloc(l->w, (size_t)n * sizeof(*w))) == NULL)
		return ERR_NOMEM;
	memset(w + l->n_w, 0, (size_t)(n - l->n_w) * sizeof(*w));
	l->w = w;
	l->n_w = n;
	return 0;
}

int
loop_watch(struct loop *l, int fd, int mask, loop_io_fn *fn, void *arg)
{
	struct epoll_event e;
	struct watcher *w;
	int op;

	BUG_ON(fd < 0 || fn == NULL || (mask & ~(LOOP_READ | LOOP_WRITE)) != 0);
	if (fd >= l->n_w && grow(l, fd) != 0)
		return ERR_NOMEM;
	w = &l->w[fd];
	if (w->fn == NULL || w->mask != mask) {
		op = w->fn == NULL ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
		memset(&e, 0, sizeof(e));
		e.events = (mask & LOOP_READ ? EPOLLIN : 0) | (mask & LOOP_WRITE ? EPOLLOUT : 0);
		e.data.fd = fd;
		if (epoll_ctl(l->ep, op, fd, &e) == -1)
			return ERR_SYSTEM;
	}
	w->mask = mask;
	w->fn = fn;
	w->arg = arg;
	return 0;
}

void
loop_unwatch(struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->n_w || l->w[fd].fn == NULL)
		return;
	(void)epoll_ctl(l->ep, EPOLL_CTL_DEL, fd, NULL);
	memset(&l->w[fd], 0, sizeof(l->w[fd]));
}

int
loop_mask(const struct loop *l, int fd)
{
	if (fd < 0 || fd >= l->n_w || l->w[fd].fn == NULL)
		return 0;
	return l->w[fd].mask;
}

int64_t
loop_timer_add(struct loop *l, uint64_t ms, loop_timer_fn *fn, void *arg)
{
	struct timer *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return ERR_NOMEM;
	t->id = ++l->timer_ids;
	t->when_ms = l->now_ms + ms;
	t->fn = fn;
	t->arg = arg;
	t->next = l->timers;
	l->timers = t;
	return t->id;
}

void
loop_timer_del(struct loop *l, int64_t id)
{
	struct timer *t;

	for (t = l->timers; t != NULL; t = t->next)
		if (t->id == id && id > 0)
			t->id = 0;      /* a walk may be at it now: freed by the next one */
}

void
loop_set_before_sleep(struct loop *l, loop_hook_fn *fn, void *arg)
{
	l->before_sleep = fn;
	l->before_sleep_arg = arg;
}

uint64_t
loop_now_ms(const struct loop *l)
{
	return l->now_ms;
}

void
loop_stop(struct loop *l)
{
	l->stop = true;
}

/* How long epoll_wait may sleep: until the first timer, or for ever. */
static int
wait_ms(const struct loop *l)
{
	const struct timer *t;
	uint64_t first = UINT64_MAX, now = mono_ms();

	for (t = l->timers; t != NULL; t = t->next)
		if (t->id != 0 && t->when_ms < first)
			first = t->when_ms;
	if (first == UINT64_MAX)
		return -1;
	if (first <= now)
		return 0;
	return first - now > INT32_MAX ? INT32_MAX : (int)(first - now);
}

/* Run the timers that are due; free the deleted ones. */
static void
run_timers(struct loop *l)
{
	struct timer **p = &l->timers, *t;
	int64_t next;

	while ((t = *p) != NULL) {
		if (t->id != 0 && t->when_ms <= l->now_ms) {
			next = t->fn(l, t->arg);
			if (t->id != 0 && next != LOOP_TIMER_DONE)
				t->when_ms = l->now_ms + (uint64_t)(next > 0 ? next : 0);
			else
				t->id = 0;
		}
		if (t->id == 0) {
			*p = t->next;
			free(t);
		} else {
			p = &t->next;
		}
	}
}

int
loop_run(struct loop *l)
{
	int i, n;

	l->stop = false;
	for (;;) {
		if (l->before_sleep != NULL)
			l->before_sleep(l, l->before_sleep_arg);
		if (l->stop)
			return 0;
		n = epoll_wait(l->ep, l->ev, LOOP_EVENTS, wait_ms(l));
		if (n == -1 && errno != EINTR) {
			log_error("epoll_wait: %s", strerror(errno));
			return ERR_SYSTEM;
		}
		l->now_ms = mono_ms();
		for (i = 0; i < n; i++) {
			int fd = l->ev[i].data.fd, ready = 0;
			uint32_t e = l->ev[i].events;

			/* unwatched by an earlier callback of this turn */
			if (fd >= l->n_w || l->w[fd].fn == NULL)
				continue;
			if (e & EPOLLIN)
				ready |= LOOP_READ;
			if (e & EPOLLOUT)
				ready |= LOOP_WRITE;
			if (e & (EPOLLHUP | EPOLLERR))
				ready |= LOOP_HUP;
			l->w[fd].fn(l, fd, l->w[fd].arg, ready);
		}
		run_timers(l);
	}
}
