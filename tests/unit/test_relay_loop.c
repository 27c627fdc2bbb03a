/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_loop - the event loop: file events, timers, the turn's order. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "loop.h"
#include "test.h"

struct seen {
	int calls;
	int ready;
	int unwatch_fd;                 /* >= 0: the callback unwatches this fd */
	int stop_after;                 /* stop the loop after this many calls */
};

static void
on_io(struct loop *l, int fd, void *arg, int ready)
{
	struct seen *s = arg;
	char b[16];
	ssize_t n;

	s->calls++;
	s->ready |= ready;
	if (ready & LOOP_READ) {
		n = read(fd, b, sizeof(b));     /* level-triggered: take the byte */
		(void)n;
	}
	if (s->unwatch_fd >= 0)
		loop_unwatch(l, s->unwatch_fd);
	if (s->stop_after > 0 && s->calls >= s->stop_after)
		loop_stop(l);
}

/* A timer that stops the loop, so that no test waits for ever. */
static int64_t
on_deadline(struct loop *l, void *arg)
{
	int *fired = arg;

	(*fired)++;
	loop_stop(l);
	return LOOP_TIMER_DONE;
}

static void
pair(int sv[2])
{
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0)
		TEST_BAIL("socketpair");
}

static void
test_read_event(void)
{
	struct seen s = { .unwatch_fd = -1, .stop_after = 1 };
	struct loop *l = loop_new();
	int sv[2], deadline = 0;

	pair(sv);
	CHECK_ERR(loop_watch(l, sv[0], LOOP_READ, on_io, &s), 0);
	CHECK(loop_mask(l, sv[0]) == LOOP_READ);
	CHECK(loop_mask(l, sv[1]) == 0);
	CHECK(loop_timer_add(l, 2000, on_deadline, &deadline) > 0);
	CHECK(write(sv[1], "x", 1) == 1);
	CHECK_ERR(loop_run(l), 0);
	CHECK(s.calls == 1);
	CHECK(s.ready == LOOP_READ);
	CHECK(deadline == 0);
	loop_free(l);
	close(sv[0]);
	close(sv[1]);
}

/* An fd unwatched by an earlier callback of the same turn hears nothing. */
static void
test_unwatch_in_turn(void)
{
	struct seen a = { .unwatch_fd = -1 }, b = { .unwatch_fd = -1 };
	struct loop *l = loop_new();
	int p[2], q[2], deadline = 0;

	pair(p);
	pair(q);
	a.unwatch_fd = q[0];
	b.unwatch_fd = p[0];
	CHECK_ERR(loop_watch(l, p[0], LOOP_READ, on_io, &a), 0);
	CHECK_ERR(loop_watch(l, q[0], LOOP_READ, on_io, &b), 0);
	CHECK(write(p[1], "x", 1) == 1);
	CHECK(write(q[1], "x", 1) == 1);
	CHECK(loop_timer_add(l, 50, on_deadline, &deadline) > 0);
	CHECK_ERR(loop_run(l), 0);
	CHECK(a.calls + b.calls == 1);  /* whichever came first unwatched the other */
	CHECK(deadline == 1);
	CHECK(loop_mask(l, p[0]) == 0 || loop_mask(l, q[0]) == 0);
	loop_free(l);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

/* Mask 0 keeps the fd registered: a hang-up still comes. */
static void
test_hup_with_no_mask(void)
{
	struct seen s = { .unwatch_fd = -1, .stop_after = 1 };
	struct loop *l = loop_new();
	int sv[2], deadline = 0;

	pair(sv);
	CHECK_ERR(loop_watch(l, sv[0], LOOP_READ, on_io, &s), 0);
	CHECK_ERR(loop_watch(l, sv[0], 0, on_io, &s), 0);
	CHECK(loop_mask(l, sv[0]) == 0);
	close(sv[1]);
	CHECK(loop_timer_add(l, 2000, on_deadline, &deadline) > 0);
	CHECK_ERR(loop_run(l), 0);
	CHECK(s.calls == 1);
	CHECK(s.ready == LOOP_HUP);
	loop_free(l);
	close(sv[0]);
}

static void
test_write_event_and_high_fd(void)
{
	struct seen s = { .unwatch_fd = -1, .stop_after = 1 };
	struct loop *l = loop_new();
	int sv[2], hi, deadline = 0;

	pair(sv);
	/* beyond the first table: it grows */
	if ((hi = fcntl(sv[0], F_DUPFD_CLOEXEC, 3000)) < 0) {
		printf("# no fd 3000 here: ulimit -n too low; using %d\n", sv[0]);
		hi = dup(sv[0]);
	}
	CHECK_ERR(loop_watch(l, hi, LOOP_WRITE, on_io, &s), 0);
	CHECK(loop_mask(l, hi) == LOOP_WRITE);
	CHECK(loop_timer_add(l, 2000, on_deadline, &deadline) > 0);
	CHECK_ERR(loop_run(l), 0);
	CHECK(s.calls == 1);
	CHECK(s.ready == LOOP_WRITE);
	loop_unwatch(l, hi);
	CHECK(loop_mask(l, hi) == 0);
	loop_unwatch(l, hi);            /* twice is fine */
	loop_free(l);
	close(hi);
	close(sv[0]);
	close(sv[1]);
}

struct ticks {
	int runs;
	int64_t other;                  /* a timer this one cancels on its first run */
	uint64_t first_ms;
};

static int64_t
on_repeat(struct loop *l, void *arg)
{
	struct ticks *t = arg;

	if (t->runs++ == 0) {
		t->first_ms = loop_now_ms(l);
		loop_timer_del(l, t->other);
	}
	if (t->runs == 3) {
		loop_stop(l);
		return LOOP_TIMER_DONE;
	}
	return 10;
}

static int64_t
on_never(struct loop *l, void *arg)
{
	int *fired = arg;

	(void)l;
	(*fired)++;
	return LOOP_TIMER_DONE;
}

static void
test_timers(void)
{
	struct ticks t = { 0 };
	struct loop *l = loop_new();
	uint64_t t0 = mono_ms();
	int never = 0, deadline = 0;
	int64_t id;

	CHECK(loop_timer_add(l, 5, on_repeat, &t) > 0);
	t.other = loop_timer_add(l, 15, on_never, &never);
	CHECK(t.other > 0);
	CHECK((id = loop_timer_add(l, 1, on_never, &never)) > 0);
	loop_timer_del(l, id);          /* cancelled before it ran */
	loop_timer_del(l, 12345);       /* unknown: nothing happens */
	CHECK(loop_timer_add(l, 2000, on_deadline, &deadline) > 0);
	CHECK_ERR(loop_run(l), 0);
	CHECK(t.runs == 3);
	CHECK(never == 0);
	CHECK(deadline == 0);
	CHECK(t.first_ms >= t0 + 5);
	CHECK(mono_ms() >= t0 + 25);    /* 5, then 10 and 10 */
	loop_free(l);
}

struct order {
	int hooks;
	int stop_at;
};

static void
on_before_sleep(struct loop *l, void *arg)
{
	struct order *o = arg;

	if (++o->hooks == o->stop_at)
		loop_stop(l);
}

static int64_t
on_soon(struct loop *l, void *arg)
{
	(void)l;
	(void)arg;
	return 1;
}

/* A stop in the hook ends the loop before it waits again. */
static void
test_before_sleep(void)
{
	struct order o = { .stop_at = 3 };
	struct loop *l = loop_new();

	loop_set_before_sleep(l, on_before_sleep, &o);
	CHECK(loop_timer_add(l, 1, on_soon, NULL) > 0);
	CHECK_ERR(loop_run(l), 0);
	CHECK(o.hooks == 3);
	o.stop_at = 4;
	CHECK_ERR(loop_run(l), 0);     /* runs again after a stop */
	CHECK(o.hooks == 4);
	loop_free(l);
	loop_free(NULL);
}

int
main(void)
{
	log_init("test_relay_loop", LOG_ERROR);
	test_read_event();
	test_unwatch_in_turn();
	test_hup_with_no_mask();
	test_write_event_and_high_fd();
	test_timers();
	test_before_sleep();
	return test_done();
}
