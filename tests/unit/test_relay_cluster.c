/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_cluster - the redis directory back-end against a real
 * redis-server (redis_server.h): two relays' directories sharing one
 * Redis, resume across relays, and Redis going away, hanging and coming
 * back empty. The Lua scripts alone: test_relay_cluster_scripts.c;
 * --cluster and --advertise as text: test_relay_redis_url.c.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <sodium.h>

#include "cluster_keys.h"
#include "directory.h"
#include "limits.h"
#include "log.h"
#include "loop.h"
#include "redis_server.h"
#include "test.h"
#include "ticket.h"

/* every number handed out here has this ticket; a resume test makes its own */
static uint8_t the_ticket[WIRE_TICKET_LEN], the_hash[TICKET_HASH_LEN];

/* Run l until done() or ms pass. */
struct until {
	bool (*done)(void *arg);
	void *arg;
	uint64_t end_ms;
	bool met;
};

static int64_t
on_check(struct loop *l, void *arg)
{
	struct until *u = arg;

	if (u->done(u->arg)) {
		u->met = true;
		loop_stop(l);
		return LOOP_TIMER_DONE;
	}
	if (loop_now_ms(l) >= u->end_ms) {
		loop_stop(l);
		return LOOP_TIMER_DONE;
	}
	return 10;
}

static bool
run_until(struct loop *l, bool (*done)(void *), void *arg, int ms)
{
	struct until u = { done, arg, loop_now_ms(l) + (uint64_t)ms, false };
	int64_t id = loop_timer_add(l, 1, on_check, &u);

	if (id < 0 || loop_run(l) != 0)
		return false;
	loop_timer_del(l, id);
	return u.met;
}

static bool
never(void *arg)
{
	(void)arg;
	return false;
}

/* One number from d, waiting for its pool when it must. */
struct want {
	struct directory *d;
	uint32_t n;
	int r;
};

static bool
got_number(void *arg)
{
	struct want *w = arg;

	w->r = directory_alloc(w->d, (int64_t)time(NULL), the_hash, &w->n);
	return w->r == 0;
}

static int
alloc_wait(struct loop *l, struct directory *d, uint32_t *n)
{
	struct want w = { .d = d };

	if (got_number(&w) || run_until(l, got_number, &w, RELAY_CLUSTER_BACKOFF_MAX_MS + 4000)) {
		*n = w.n;
		return 0;
	}
	return w.r;
}

struct answer {
	bool came;
	uint32_t number;
	enum directory_where where;
	char holder[300];
	bool null;
};

static void
on_answer(void *arg, uint32_t number, enum directory_where where, const char *holder)
{
	struct answer *a = arg;

	a->came = true;
	a->number = number;
	a->where = where;
	a->null = holder == NULL;
	snprintf(a->holder, sizeof(a->holder), "%s", holder != NULL ? holder : "");
}

/* A relay that knows another relay to send masters to. */
static bool
other_known(void *arg)
{
	const char *e = directory_elsewhere(arg);

	return e != NULL && strcmp(e, "relay-b:2222") != 0;
}

static bool
answered(void *arg)
{
	return ((struct answer *)arg)->came;
}

static bool
value_is(redisContext *c, uint32_t n, const char *prefix)
{
	char got[512];

	cmd(c, got, sizeof(got), "GET " CLUSTER_KEY_NUM, n);
	return strncmp(got, prefix, strlen(prefix)) == 0;
}

enum { MANY = 300 };

/* Asking is allocating: a number handed out before the loss is noticed
 * goes straight back (retired), so the live count stays. */
static bool
link_gone(void *arg)
{
	uint32_t n;
	int r = directory_alloc(arg, (int64_t)time(NULL), the_hash, &n);

	if (r == 0)
		directory_retire(arg, n, (int64_t)time(NULL));
	return r == ERR_AGAIN;
}

/* Two relays' directories on one loop, one Redis. */
static void
test_two_relays(void)
{
	static uint8_t seen[SESSION_NUMBER_MAX + 1];
	char url[64], got[512];
	struct directory_config ca = { .cluster = url, .advertise = "relay-a:1111" };
	struct directory_config cb = { .cluster = url, .advertise = "relay-b:2222" };
	struct directory *a, *b;
	struct answer ans;
	struct loop *l;
	redisContext *c;
	uint32_t n, first_a = 0, first_b = 0, retired;
	unsigned i, dup = 0, bad_owner = 0;
	int r;

	snprintf(url, sizeof(url), "redis://127.0.0.1:%d/1", redis_port);
	l = loop_new();
	c = sync_connect();
	CHECK(l != NULL && c != NULL);
	if (l == NULL || c == NULL)
		return;
	ca.loop = cb.loop = l;
	a = directory_new("redis", &ca, (int64_t)time(NULL));
	b = directory_new("redis", &cb, (int64_t)time(NULL));
	CHECK(a != NULL && b != NULL);
	if (a == NULL || b == NULL)
		return;
	CHECK(strcmp(directory_name(a), "redis") == 0);
	cmd(c, got, sizeof(got), "SELECT 1");

	/* many numbers from both, interleaved: none twice, each owned right */
	for (i = 0; i < 2 * MANY; i++) {
		struct directory *d = i % 2 ? b : a;

		if ((r = alloc_wait(l, d, &n)) != 0) {
			CHECK_ERR(r, 0);
			break;
		}
		if (seen[n]++)
			dup++;
		if (!value_is(c, n, d == a ? "relay-a:1111 " : "relay-b:2222 "))
			bad_owner++;
		if (first_a == 0 && d == a)
			first_a = n;
		if (first_b == 0 && d == b)
			first_b = n;
	}
	CHECK(dup == 0);
	CHECK(bad_owner == 0);
	CHECK(directory_held_count(a) == MANY && directory_held_count(b) == MANY);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:relay:relay-a:1111");
	CHECK(strcmp(got, "(int) 1") == 0);

	/* who holds what */
	memset(&ans, 0, sizeof(ans));
	directory_lookup(b, first_a, on_answer, &ans);
	CHECK(run_until(l, answered, &ans, 2000));
	CHECK(ans.number == first_a && ans.where == DIRECTORY_ELSEWHERE &&
	    strcmp(ans.holder, "relay-a:1111") == 0);
	memset(&ans, 0, sizeof(ans));
	directory_lookup(b, first_b, on_answer, &ans);
	CHECK(ans.came && ans.where == DIRECTORY_HERE && ans.null);    /* known at once */
	CHECK(directory_here(b, first_b) == DIRECTORY_HERE);
	CHECK(directory_here(b, first_a) == DIRECTORY_NOBODY);
	for (n = SESSION_NUMBER_MIN; seen[n]; n++)
		;
	cmd(c, got, sizeof(got), "DEL " CLUSTER_KEY_NUM, n);   /* not even claimed ahead */
	memset(&ans, 0, sizeof(ans));
	directory_lookup(a, n, on_answer, &ans);
	CHECK(run_until(l, answered, &ans, 2000));
	CHECK(ans.where == DIRECTORY_NOBODY && ans.null);
	/* a number only claimed ahead (no ticket) is nobody's session */
	cmd(c, got, sizeof(got), "SET " CLUSTER_KEY_NUM " relay-a:1111", n);
	memset(&ans, 0, sizeof(ans));
	directory_lookup(b, n, on_answer, &ans);
	CHECK(run_until(l, answered, &ans, 2000));
	CHECK(ans.where == DIRECTORY_NOBODY);
	cmd(c, got, sizeof(got), "DEL " CLUSTER_KEY_NUM, n);

	/* retire on a: cooling for every relay, freed from a */
	retired = first_a;
	directory_retire(a, retired, (int64_t)time(NULL));
	CHECK(directory_held_count(a) == MANY - 1);
	CHECK_ERR(directory_save(a, (int64_t)time(NULL)), 0);
	run_until(l, never, NULL, 300);
	cmd(c, got, sizeof(got), "EXISTS " CLUSTER_KEY_NUM, retired);
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "TTL " CLUSTER_KEY_RETIRED, retired);
	CHECK(atoll(got + 6) > RELAY_RETIRE_COOLDOWN_S - 10);
	cmd(c, got, sizeof(got), "EVAL %s 2 " CLUSTER_KEY_NUM " " CLUSTER_KEY_RETIRED " x 30 9",
	    CLUSTER_LUA_CLAIM, retired, retired);
	CHECK(strcmp(got, "(int) 0") == 0);

	/* Redis dies: no new numbers, the live ones stay live here */
	redis_stop();
	CHECK(run_until(l, link_gone, a, 5000));
	CHECK(directory_alloc(b, (int64_t)time(NULL), the_hash, &n) == ERR_AGAIN);
	CHECK(directory_held_count(a) == MANY - 1);
	/* a retirement during the outage waits for Redis */
	directory_retire(b, first_b, (int64_t)time(NULL));
	CHECK_ERR(directory_save(b, (int64_t)time(NULL)), 0);
	run_until(l, never, NULL, 500);

	/* back, empty: both re-claim what they hold, new numbers flow again */
	redis_start();
	redisFree(c);
	c = sync_connect();
	cmd(c, got, sizeof(got), "SELECT 1");
	CHECK_ERR(alloc_wait(l, a, &n), 0);
	CHECK(!seen[n]);
	/* the re-claims went out before; give them a moment to be answered */
	run_until(l, never, NULL, 500);
	if (!CHECK(value_is(c, n, "relay-a:1111 "))) {
		cmd(c, got, sizeof(got), "GET " CLUSTER_KEY_NUM, n);
		printf("#   %05u holds '%s'\n", n, got);
	}
	bad_owner = 0;
	for (i = SESSION_NUMBER_MIN; i <= SESSION_NUMBER_MAX; i++)
		if (seen[i] && i != retired && i != first_b && !value_is(c, i, "relay-"))
			bad_owner++;
	CHECK(bad_owner == 0);
	cmd(c, got, sizeof(got), "TTL " CLUSTER_KEY_RETIRED, first_b);
	CHECK(atoll(got + 6) > RELAY_RETIRE_COOLDOWN_S - 10);
	cmd(c, got, sizeof(got), "EXISTS " CLUSTER_KEY_NUM, first_b);
	CHECK(strcmp(got, "(int) 0") == 0);

	/* a hung Redis counts as down once a reply is owed too long */
	kill(redis_pid, SIGSTOP);
	memset(&ans, 0, sizeof(ans));
	directory_lookup(a, first_b, on_answer, &ans);
	CHECK(run_until(l, answered, &ans, RELAY_CLUSTER_REPLY_TIMEOUT_MS + 2000));
	CHECK(ans.came && ans.where == DIRECTORY_UNKNOWN);
	CHECK(directory_alloc(a, (int64_t)time(NULL), the_hash, &n) == ERR_AGAIN);
	kill(redis_pid, SIGCONT);
	CHECK_ERR(alloc_wait(l, a, &n), 0);
	CHECK(value_is(c, n, "relay-a:1111 "));

	/* closing gives the pool back and says the relay is gone */
	directory_free(a);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:relay:relay-a:1111");
	CHECK(strcmp(got, "(int) 0") == 0);
	directory_free(b);
	redisFree(c);
	loop_free(l);
}

struct resumed {
	int calls;
	int result;
};

static void
on_resumed(void *arg, uint32_t number, int result)
{
	struct resumed *r = arg;

	(void)number;
	r->calls++;
	r->result = result;
}

static bool
resume_answered(void *arg)
{
	return ((struct resumed *)arg)->calls > 0;
}

struct moves {
	int calls;
	uint32_t last;
};

static void
on_moved_here(void *arg, uint32_t number)
{
	struct moves *m = arg;

	m->calls++;
	m->last = number;
}

static bool
moved(void *arg)
{
	return ((struct moves *)arg)->calls > 0;
}

static bool
both_answered(void *arg)
{
	struct resumed *r = arg;

	return r[0].calls > 0 && r[1].calls > 0;
}

/* One resume, waited for. */
static int
resume_wait(struct loop *l, struct directory *d, uint32_t n, const uint8_t h[TICKET_HASH_LEN])
{
	struct resumed r = { 0 };

	directory_resume(d, n, h, (int64_t)time(NULL), on_resumed, &r);
	if (r.calls == 0 && !run_until(l, resume_answered, &r, 3000))
		return ERR_INTERNAL;
	return r.result;
}

/* Resume across relays: the ticket moves its number, the former holder
 * forgets it, two resumes at once get one winner, and a relay with Redis
 * away still resumes what it holds itself. */
static void
test_resume_across(void)
{
	char url[64], got[512], hex[TICKET_HEX_LEN + 1];
	struct directory_config ca = { .cluster = url, .advertise = "relay-a:1111" };
	struct directory_config cb = { .cluster = url, .advertise = "relay-b:2222" };
	struct directory_config cc = { .cluster = url, .advertise = "relay-c:3333" };
	uint8_t t1[WIRE_TICKET_LEN], h1[TICKET_HASH_LEN], h2[TICKET_HASH_LEN];
	uint8_t wrong[TICKET_HASH_LEN];
	struct directory *a, *b, *cd;
	struct resumed two[2];
	struct moves ma = { 0 }, mb = { 0 };
	struct answer ans;
	struct loop *l;
	redisContext *c;
	uint32_t n, n2;

	snprintf(url, sizeof(url), "redis://127.0.0.1:%d/2", redis_port);
	l = loop_new();
	c = sync_connect();
	CHECK(l != NULL && c != NULL);
	if (l == NULL || c == NULL)
		return;
	cmd(c, got, sizeof(got), "SELECT 2");
	ca.loop = cb.loop = cc.loop = l;
	a = directory_new("redis", &ca, (int64_t)time(NULL));
	b = directory_new("redis", &cb, (int64_t)time(NULL));
	cd = directory_new("redis", &cc, (int64_t)time(NULL));
	CHECK(a != NULL && b != NULL && cd != NULL);
	if (a == NULL || b == NULL || cd == NULL)
		return;
	directory_on_moved(a, on_moved_here, &ma);
	directory_on_moved(b, on_moved_here, &mb);
	ticket_new(t1, h1);
	memcpy(wrong, h1, sizeof(wrong));
	wrong[0] ^= 1;

	/* a hands out n with ticket t1: its hash reaches Redis at once */
	{
		struct want w = { .d = a };

		CHECK(run_until(l, got_number, &w, RELAY_CLUSTER_BACKOFF_MAX_MS + 4000));
		n = w.n;
	}
	/* that number went out with the_hash; give a a session of its own */
	directory_retire(a, n, (int64_t)time(NULL));
	CHECK(run_until(l, never, NULL, 200) == false);
	CHECK_ERR(directory_alloc(a, (int64_t)time(NULL), h1, &n), 0);
	run_until(l, never, NULL, 200);
	ticket_hash_hex(h1, hex);
	cmd(c, got, sizeof(got), "GET " CLUSTER_KEY_TICKET, n);
	CHECK(strcmp(got, hex) == 0);

	/* wrong ticket, another number: refused; nothing moves */
	CHECK_ERR(resume_wait(l, b, n, wrong), ERR_AUTH);
	CHECK_ERR(resume_wait(l, b, n + 1 > SESSION_NUMBER_MAX ? n - 1 : n + 1, h1), ERR_AUTH);
	CHECK(value_is(c, n, "relay-a:1111 "));
	/* away on a; the ticket takes it to b */
	directory_away(a, n, (int64_t)time(NULL));
	CHECK_ERR(resume_wait(l, b, n, h1), 0);
	CHECK(value_is(c, n, "relay-b:2222 "));
	CHECK(directory_here(b, n) == DIRECTORY_HERE);
	/* a learns it on its next refresh (fast while draining) and forgets n */
	directory_drain(a);
	CHECK(run_until(l, moved, &ma, RELAY_DRAIN_REFRESH_MS * 3));
	CHECK(ma.last == n && directory_here(a, n) == DIRECTORY_NOBODY);
	CHECK(directory_held_count(a) == 0);
	/* a drains: out of the relays that take masters; b and c are in */
	memset(&ans, 0, sizeof(ans));
	directory_lookup(cd, n, on_answer, &ans);
	CHECK(run_until(l, answered, &ans, 2000));
	CHECK(ans.where == DIRECTORY_ELSEWHERE && strcmp(ans.holder, "relay-b:2222") == 0);
	cmd(c, got, sizeof(got), "ZSCORE " CLUSTER_KEY_RELAYS " relay-a:1111");
	CHECK(strcmp(got, "(nil)") == 0);
	/* b reads the set of relays with its liveness record (every 5 s) */
	CHECK(run_until(l, other_known, b, RELAY_CLUSTER_ALIVE_REFRESH_MS * 2));
	CHECK(strcmp(directory_elsewhere(b), "relay-b:2222") != 0);
	CHECK(directory_elsewhere(a) == NULL ||
	    strcmp(directory_elsewhere(a), "relay-a:1111") != 0);

	/* two resumes of n at once, on a and on c: exactly one wins */
	directory_away(b, n, (int64_t)time(NULL));
	cmd(c, got, sizeof(got), "DEL " CLUSTER_KEY_LOCK, n);
	memset(two, 0, sizeof(two));
	directory_resume(a, n, h1, (int64_t)time(NULL), on_resumed, &two[0]);
	directory_resume(cd, n, h1, (int64_t)time(NULL), on_resumed, &two[1]);
	CHECK(run_until(l, both_answered, two, 3000));
	CHECK((two[0].result == 0) != (two[1].result == 0));
	/* the loser is told to try again after the lock, not refused */
	CHECK(two[0].result == 0 || two[0].result == ERR_LIMIT);
	CHECK(two[1].result == 0 || two[1].result == ERR_LIMIT);
	CHECK(value_is(c, n, two[0].result == 0 ? "relay-a:1111 " : "relay-c:3333 "));
	directory_drain(b);     /* its refresh comes sooner */
	CHECK(run_until(l, moved, &mb, RELAY_DRAIN_REFRESH_MS * 3));
	CHECK(directory_here(b, n) == DIRECTORY_NOBODY);

	/* ended: the ticket is dead everywhere at once */
	directory_retire(two[0].result == 0 ? a : cd, n, (int64_t)time(NULL));
	run_until(l, never, NULL, 200);
	cmd(c, got, sizeof(got), "EXISTS " CLUSTER_KEY_TICKET, n);
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "DEL " CLUSTER_KEY_LOCK, n);
	CHECK_ERR(resume_wait(l, b, n, h1), ERR_AUTH);

	/* Redis away: c resumes what it holds itself, nothing else */
	ticket_new(t1, h2);
	CHECK_ERR(alloc_wait(l, cd, &n2), 0);
	directory_retire(cd, n2, (int64_t)time(NULL));
	CHECK_ERR(directory_alloc(cd, (int64_t)time(NULL), h2, &n2), 0);
	directory_away(cd, n2, (int64_t)time(NULL));
	run_until(l, never, NULL, 200);
	redis_stop();
	CHECK(run_until(l, link_gone, cd, 5000));
	CHECK_ERR(resume_wait(l, cd, n2, wrong), ERR_AUTH);
	CHECK_ERR(resume_wait(l, cd, n2, h2), 0);
	CHECK_ERR(resume_wait(l, b, n2, h2), ERR_AGAIN);
	memset(&ans, 0, sizeof(ans));
	directory_lookup(b, n2, on_answer, &ans);
	CHECK(ans.came && ans.where == DIRECTORY_UNKNOWN);
	/* back, empty: c registers n2 again, with its ticket */
	redis_start();
	redisFree(c);
	c = sync_connect();
	cmd(c, got, sizeof(got), "SELECT 2");
	{
		struct want w = { .d = cd };

		CHECK(run_until(l, got_number, &w, RELAY_CLUSTER_BACKOFF_MAX_MS + 4000));
	}
	run_until(l, never, NULL, 300);
	ticket_hash_hex(h2, hex);
	cmd(c, got, sizeof(got), "GET " CLUSTER_KEY_TICKET, n2);
	CHECK(strcmp(got, hex) == 0);
	CHECK(value_is(c, n2, "relay-c:3333 "));

	directory_free(a);
	directory_free(b);
	directory_free(cd);
	cmd(c, got, sizeof(got), "ZCARD " CLUSTER_KEY_RELAYS);
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "FLUSHDB");
	redisFree(c);
	loop_free(l);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	ticket_new(the_ticket, the_hash);
	log_init("test_relay_cluster", LOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	redis_server_begin();
	test_two_relays();
	test_resume_across();
	redis_server_end();
	return test_done();
}
