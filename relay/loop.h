/* SPDX-License-Identifier: Apache-2.0 */
/*
 * loop.h - a small event loop after Redis's ae.c: file events and timers,
 * nothing else. One thread, level-triggered epoll, Linux only.
 *
 * File events: one watcher per fd (a table indexed by fd, like ae's
 * events[]) with a mask of LOOP_READ and LOOP_WRITE. A watched fd with
 * mask 0 stays registered, so hang-ups and errors still come (LOOP_HUP):
 * the kernel reports those whatever one asks for.
 *
 * Timers: a callback at a time in milliseconds of CLOCK_MONOTONIC; it
 * returns when to run again, or LOOP_TIMER_DONE.
 *
 * One turn of loop_run: the before-sleep hook, then epoll_wait until the
 * next timer is due, then every file event that came, then every timer
 * that is due. The clock (loop_now_ms) is read once per turn, after the
 * wait.
 *
 * Callbacks must not close a watched fd: loop_unwatch it, and close it in
 * the before-sleep hook (or later). Events already fetched for an fd that
 * was unwatched in the same turn are not delivered, and as long as the fd
 * stays open its number cannot come back within the turn.
 *
 * The loop knows nothing of the relay: no sockets, no buffers, no logs
 * beyond its own epoll failures.
 */
#ifndef RELAY_LOOP_H
#define RELAY_LOOP_H

#include <stdint.h>

#include "err.h"

enum loop_mask {
	LOOP_READ = 1,
	LOOP_WRITE = 2,
	LOOP_HUP = 4,                   /* only ever in ready: a hang-up or an error */
};

enum {
	LOOP_EVENTS = 256,              /* epoll events taken per turn */
	LOOP_TIMER_DONE = -1,           /* a timer callback's answer: do not run again */
};

struct loop;

/* fd is ready for what ready says (LOOP_READ, LOOP_WRITE, LOOP_HUP). */
typedef void loop_io_fn(struct loop *l, int fd, void *arg, int ready);
/* Returns the milliseconds until the next run, or LOOP_TIMER_DONE. */
typedef int64_t loop_timer_fn(struct loop *l, void *arg);
typedef void loop_hook_fn(struct loop *l, void *arg);

/* NULL when out of memory or epoll_create1 fails (logged). */
struct loop *loop_new(void);
/* Closes the epoll fd; watched fds stay open (they are their owners'). NULL is fine. */
void loop_free(struct loop *l);

/*
 * Watch fd for mask (LOOP_READ | LOOP_WRITE, or 0), calling fn(l, fd, arg,
 * ready). Watching again changes mask, fn and arg; the kernel is told only
 * when the mask changes. ERR_SYSTEM (errno set) when epoll refuses,
 * ERR_NOMEM when the table cannot grow to fd: then nothing changed.
 */
int loop_watch(struct loop *l, int fd, int mask, loop_io_fn *fn, void *arg) WUR;
/* Forget fd; no event for it is delivered any more. Unwatched fds are fine. */
void loop_unwatch(struct loop *l, int fd);
/* What fd is watched for now: 0 when not watched. */
int loop_mask(const struct loop *l, int fd);

/* Run fn(l, arg) in ms milliseconds. Returns the timer's id (> 0), or ERR_NOMEM. */
int64_t loop_timer_add(struct loop *l, uint64_t ms, loop_timer_fn *fn, void *arg);
/* Cancel a timer; also from inside a timer callback. Unknown ids are fine. */
void loop_timer_del(struct loop *l, int64_t id);

/* fn(l, arg) before every wait for events; fn NULL: none. */
void loop_set_before_sleep(struct loop *l, loop_hook_fn *fn, void *arg);
/* CLOCK_MONOTONIC in ms, read once per turn (and by loop_new). */
uint64_t loop_now_ms(const struct loop *l);

/*
 * Turn until loop_stop() was called: the loop returns right after the
 * next before-sleep hook (this turn's, when called from it), so it never
 * waits again. 0 then; ERR_SYSTEM when epoll_wait fails (logged).
 */
int loop_run(struct loop *l) WUR;
void loop_stop(struct loop *l);

#endif
