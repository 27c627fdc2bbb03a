/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_cluster - the redis directory back-end against a real
 * redis-server (started here on 127.0.0.1, a free port, its own
 * directory, no persistence): --cluster and --advertise as text, the Lua
 * scripts one by one, two relays' directories sharing one Redis, and
 * Redis going away and coming back empty.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>
#include <sodium.h>

#include "cluster_keys.h"
#include "directory.h"
#include "limits.h"
#include "log.h"
#include "loop.h"
#include "redis_url.h"
#include "test.h"
#include "ticket.h"

static char tmpdir[] = "/tmp/test_relay_cluster.XXXXXX";
static pid_t redis_pid = -1;
static int redis_port;
/* every number handed out here has this ticket; a resume test makes its own */
static uint8_t the_ticket[WIRE_TICKET_LEN], the_hash[TICKET_HASH_LEN];

static void
test_url(void)
{
	struct redis_url u;
	char a[RELAY_CLUSTER_NAME_MAX + 1];

	CHECK_ERR(redis_url_parse("redis://127.0.0.1:6380/3", &u), 0);
	CHECK(strcmp(u.host, "127.0.0.1") == 0 && u.port == 6380 && u.db == 3);
	CHECK_ERR(redis_url_parse("redis://redis.example", &u), 0);
	CHECK(strcmp(u.host, "redis.example") == 0 && u.port == 6379 && u.db == 0);
	CHECK_ERR(redis_url_parse("redis://[::1]:7000", &u), 0);
	CHECK(strcmp(u.host, "::1") == 0 && u.port == 7000);
	CHECK_ERR(redis_url_parse("http://127.0.0.1", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h:0", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h:99999", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h/x", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://h/", &u), ERR_FORMAT);
	CHECK_ERR(redis_url_parse("redis://@h", &u), ERR_FORMAT);
	/* user and password: test_relay_redis_url.c */
	CHECK_ERR(redis_url_parse("redis://h h", &u), ERR_FORMAT);

	CHECK_ERR(redis_advertise_parse("relay1.example.org", 4663, a, sizeof(a)), 0);
	CHECK(strcmp(a, "relay1.example.org:4663") == 0);
	CHECK_ERR(redis_advertise_parse("relay1:443", 4663, a, sizeof(a)), 0);
	CHECK(strcmp(a, "relay1:443") == 0);
	CHECK_ERR(redis_advertise_parse("[2001:db8::1]:443", 4663, a, sizeof(a)), 0);
	CHECK(strcmp(a, "[2001:db8::1]:443") == 0);
	CHECK_ERR(redis_advertise_parse("two words", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK(a[0] == '\0');
	CHECK_ERR(redis_advertise_parse("", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("r:0", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("r\n", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("r/x:1", 4663, a, sizeof(a)), ERR_FORMAT);
	CHECK_ERR(redis_advertise_parse("u@r:1", 4663, a, sizeof(a)), ERR_FORMAT);
}

/* A port nobody listens on now (a small race with other programs). */
static int
free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int fd, port;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0)
		TEST_BAIL("no free port");
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static redisContext *
sync_connect(void)
{
	struct timeval tv = { 0, 200000 };
	redisContext *c = redisConnectWithTimeout("127.0.0.1", redis_port, tv);

	if (c != NULL && c->err != 0) {
		redisFree(c);
		return NULL;
	}
	return c;
}

static void
redis_start(void)
{
	char port[16];
	redisContext *c;
	int i;

	snprintf(port, sizeof(port), "%d", redis_port);
	fflush(stdout);
	if ((redis_pid = fork()) == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execlp("redis-server", "redis-server", "--port", port, "--bind", "127.0.0.1",
		    "--dir", tmpdir, "--save", "", "--appendonly", "no", (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		if ((c = sync_connect()) != NULL) {
			redisFree(c);
			return;
		}
		usleep(50000);
	}
	TEST_BAIL("redis-server did not start (is the package redis-server installed?)");
}

static void
redis_stop(void)
{
	if (redis_pid > 0) {
		kill(redis_pid, SIGKILL);
		waitpid(redis_pid, NULL, 0);
		redis_pid = -1;
	}
}

/* The reply to one command, as a string ("(nil)", "(int) N", "ERR ..."). */
static void
cmd(redisContext *c, char *out, size_t out_len, const char *fmt, ...)
{
	redisReply *r;
	va_list ap;

	va_start(ap, fmt);
	r = redisvCommand(c, fmt, ap);
	va_end(ap);
	if (r == NULL)
		snprintf(out, out_len, "(no reply)");
	else if (r->type == REDIS_REPLY_NIL)
		snprintf(out, out_len, "(nil)");
	else if (r->type == REDIS_REPLY_INTEGER)
		snprintf(out, out_len, "(int) %lld", r->integer);
	else if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS ||
	    r->type == REDIS_REPLY_ERROR)
		snprintf(out, out_len, "%s", r->str);
	else
		snprintf(out, out_len, "(type %d)", r->type);
	freeReplyObject(r);
}

/* The scripts alone: what the relays rely on, key by key. */
static void
test_scripts(void)
{
	redisContext *c = sync_connect();
	char got[256];
	long long ttl;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	cmd(c, got, sizeof(got), "FLUSHALL");
	/* claim: the first free candidate, both keys set */
	cmd(c, got, sizeof(got), "SET fernsicht:num:10001 other");
	cmd(c, got, sizeof(got), "SET fernsicht:retired:10002 other");
	cmd(c, got, sizeof(got), "EVAL %s 6 fernsicht:num:10001 fernsicht:retired:10001 "
	    "fernsicht:num:10002 fernsicht:retired:10002 fernsicht:num:10003 "
	    "fernsicht:retired:10003 me 30 86400", CLUSTER_LUA_CLAIM);
	CHECK(strcmp(got, "(int) 3") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:num:10003");
	CHECK(strcmp(got, "me") == 0);
	cmd(c, got, sizeof(got), "TTL fernsicht:num:10003");
	ttl = atoll(got + 6);
	CHECK(ttl > 25 && ttl <= 30);
	cmd(c, got, sizeof(got), "TTL fernsicht:retired:10003");
	CHECK(atoll(got + 6) > 86000);
	/* a cooling number is refused, even with its num key gone */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10002 fernsicht:retired:10002 me 30 "
	    "86400", CLUSTER_LUA_CLAIM);
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:num:10002");
	CHECK(strcmp(got, "(int) 0") == 0);

	/* release: compare-and-delete, never another's */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10001 fernsicht:retired:10001 me",
	    CLUSTER_LUA_RELEASE);
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:num:10001");
	CHECK(strcmp(got, "other") == 0);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10003 fernsicht:retired:10003 me",
	    CLUSTER_LUA_RELEASE);
	CHECK(strcmp(got, "(int) 1") == 0);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:num:10003 fernsicht:retired:10003");
	CHECK(strcmp(got, "(int) 0") == 0);

	/* hold: renew ours, take back what Redis lost, name the other holder */
	cmd(c, got, sizeof(got), "SET fernsicht:num:10004 me EX 5");
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10004 fernsicht:retired:10004 me 30 "
	    "86400", CLUSTER_LUA_HOLD);
	CHECK(strcmp(got, "(int) 1") == 0);
	cmd(c, got, sizeof(got), "TTL fernsicht:num:10004");
	CHECK(atoll(got + 6) > 25);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10005 fernsicht:retired:10005 me 30 "
	    "86400", CLUSTER_LUA_HOLD);
	CHECK(strcmp(got, "(int) 2") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:num:10005");
	CHECK(strcmp(got, "me") == 0);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10001 fernsicht:retired:10001 me 30 "
	    "86400", CLUSTER_LUA_HOLD);
	CHECK(strcmp(got, "other") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:num:10001");
	CHECK(strcmp(got, "other") == 0);

	/* retire: cool-down in full, ours freed, another's kept */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10004 fernsicht:retired:10004 me 86400",
	    CLUSTER_LUA_RETIRE);
	CHECK(strcmp(got, "(int) 1") == 0);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:num:10004");
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "TTL fernsicht:retired:10004");
	CHECK(atoll(got + 6) > 86000);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10001 fernsicht:retired:10001 me 100",
	    CLUSTER_LUA_RETIRE);
	cmd(c, got, sizeof(got), "GET fernsicht:num:10001");
	CHECK(strcmp(got, "other") == 0);
	/* a shorter cool-down never cuts a longer one */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:num:10004 fernsicht:retired:10004 me 10",
	    CLUSTER_LUA_RETIRE);
	cmd(c, got, sizeof(got), "TTL fernsicht:retired:10004");
	CHECK(atoll(got + 6) > 86000);

	/* alive: says whom it replaced; the set of relays that take masters */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r1 fernsicht:relays me 15 r1 1000 0",
	    CLUSTER_LUA_ALIVE);
	CHECK(strcmp(got, "(nil)") == 0);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r1 fernsicht:relays you 15 r1 1000 0",
	    CLUSTER_LUA_ALIVE);
	CHECK(strcmp(got, "me") == 0);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r2 fernsicht:relays x 15 r2 1000 0",
	    CLUSTER_LUA_ALIVE);
	cmd(c, got, sizeof(got), "ZCOUNT fernsicht:relays 1000 +inf");
	CHECK(strcmp(got, "(int) 2") == 0);
	/* draining: out of the set; a record run out: out of the set */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r1 fernsicht:relays"
	    " %s 15 r1 1005 1", CLUSTER_LUA_ALIVE, "you draining");
	cmd(c, got, sizeof(got), "ZSCORE fernsicht:relays r1");
	CHECK(strcmp(got, "(nil)") == 0);
	cmd(c, got, sizeof(got), "ZSCORE fernsicht:relays r2");
	CHECK(strcmp(got, "1015") == 0);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r1 fernsicht:relays you 15 r1 1016 0",
	    CLUSTER_LUA_ALIVE);
	cmd(c, got, sizeof(got), "ZSCORE fernsicht:relays r2");
	CHECK(strcmp(got, "(nil)") == 0);
	/* gone: only one's own record */
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r1 fernsicht:relays me r1",
	    CLUSTER_LUA_GONE);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:relay:r1");
	CHECK(strcmp(got, "(int) 1") == 0);
	cmd(c, got, sizeof(got), "EVAL %s 2 fernsicht:relay:r1 fernsicht:relays you r1",
	    CLUSTER_LUA_GONE);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:relay:r1");
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "ZSCORE fernsicht:relays r1");
	CHECK(strcmp(got, "(nil)") == 0);
	cmd(c, got, sizeof(got), "FLUSHALL");
	redisFree(c);
}

/* The first element of an array reply, and how many there are. */
static void
cmd_array(redisContext *c, long long *first, char *second, size_t n, size_t *count,
    const char *fmt, ...)
{
	redisReply *r;
	va_list ap;

	*first = -99;
	*count = 0;
	second[0] = '\0';
	va_start(ap, fmt);
	r = redisvCommand(c, fmt, ap);
	va_end(ap);
	if (r != NULL && r->type == REDIS_REPLY_ARRAY) {
		*count = r->elements;
		if (r->elements > 0 && r->element[0]->type == REDIS_REPLY_INTEGER)
			*first = r->element[0]->integer;
		if (r->elements > 0 && r->element[0]->type == REDIS_REPLY_STRING)
			snprintf(second, n, "%s", r->element[0]->str);
		if (r->elements > 1 && r->element[1]->type == REDIS_REPLY_STRING)
			snprintf(second, n, "%s", r->element[1]->str);
	}
	freeReplyObject(r);
}

#define HOLD3 "EVAL %s 3 fernsicht:num:%d fernsicht:retired:%d fernsicht:ticket:%d " \
	"%s 30 86400 %s 150"
#define RESUME "EVAL %s 4 fernsicht:num:%d fernsicht:retired:%d fernsicht:ticket:%d " \
	"fernsicht:resumed:%d %s %s 30 86400 150 %d"
#define LOOKUP "EVAL %s 2 fernsicht:num:%d fernsicht:ticket:%d fernsicht:relay:"

/* The scripts of resume: tickets renewed, checked, moved, retired. */
static void
test_ticket_scripts(void)
{
	redisContext *c = sync_connect();
	const char *h1 = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *h2 = "2222222222222222222222222222222222222222222222222222222222222222";
	char got[256], v[256];
	long long first;
	size_t count;

	CHECK(c != NULL);
	if (c == NULL)
		return;
	cmd(c, got, sizeof(got), "FLUSHALL");
	cmd(c, got, sizeof(got), "SET fernsicht:relay:a:1 %s", "a:1 i1");
	cmd(c, got, sizeof(got), "SET fernsicht:relay:b:2 %s", "b:2 i2 draining");

	/* hold with a ticket: the hash is set and lives longer than the lease */
	cmd(c, got, sizeof(got), HOLD3, CLUSTER_LUA_HOLD, 20001, 20001, 20001, "a:1 i1", h1);
	CHECK(strcmp(got, "(int) 2") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:ticket:20001");
	CHECK(strcmp(got, h1) == 0);
	cmd(c, got, sizeof(got), "TTL fernsicht:ticket:20001");
	CHECK(atoll(got + 6) > 140);
	/* lookup: held by a relay that is up */
	cmd_array(c, &first, v, sizeof(v), &count, LOOKUP, CLUSTER_LUA_LOOKUP, 20001, 20001);
	CHECK(first == 1 && strcmp(v, "a:1 i1") == 0);
	/* a draining relay is up too; one without a record is gone: away */
	cmd(c, got, sizeof(got), "SET fernsicht:num:20001 %s", "b:2 i2");
	cmd_array(c, &first, v, sizeof(v), &count, LOOKUP, CLUSTER_LUA_LOOKUP, 20001, 20001);
	CHECK(first == 1 && strcmp(v, "b:2 i2") == 0);
	cmd(c, got, sizeof(got), "SET fernsicht:num:20001 %s", "c:3 i3");
	cmd_array(c, &first, v, sizeof(v), &count, LOOKUP, CLUSTER_LUA_LOOKUP, 20001, 20001);
	CHECK(first == 2);
	cmd(c, got, sizeof(got), "SET fernsicht:num:20001 %s", "a:1 old-instance");
	cmd_array(c, &first, v, sizeof(v), &count, LOOKUP, CLUSTER_LUA_LOOKUP, 20001, 20001);
	CHECK(first == 2);
	cmd(c, got, sizeof(got), "DEL fernsicht:num:20001");
	cmd_array(c, &first, v, sizeof(v), &count, LOOKUP, CLUSTER_LUA_LOOKUP, 20001, 20001);
	CHECK(first == 2 && v[0] == '\0');
	cmd_array(c, &first, v, sizeof(v), &count, LOOKUP, CLUSTER_LUA_LOOKUP, 20002, 20002);
	CHECK(first == 0);
	cmd(c, got, sizeof(got), "SET fernsicht:num:20001 %s", "a:1 i1");

	/* resume: the ticket decides */
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20002, 20002, 20002, 20002, "b:2 i2",
	    h1, 5000);
	CHECK(strcmp(got, "(int) -3") == 0);    /* nothing known: only the relay can tell */
	cmd(c, got, sizeof(got), "SET fernsicht:retired:20002 %s", "a:1 i1");
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20002, 20002, 20002, 20002, "b:2 i2",
	    h1, 5000);
	CHECK(strcmp(got, "(int) 0") == 0);     /* no such session: a used it last */
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20002, 20002, 20002, 20002, "a:1 i1",
	    h1, 5000);
	CHECK(strcmp(got, "(int) -3") == 0);
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001, 20001, "b:2 i2",
	    h2, 5000);
	CHECK(strcmp(got, "(int) -1") == 0);                    /* wrong ticket */
	cmd(c, got, sizeof(got), "GET fernsicht:num:20001");
	CHECK(strcmp(got, "a:1 i1") == 0);
	/* the holder itself */
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001, 20001, "a:1 i1",
	    h1, 5000);
	CHECK(strcmp(got, "(int) 1") == 0);
	/* another relay now: the lock from a's resume refuses it */
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001, 20001, "b:2 i2",
	    h1, 5000);
	CHECK(strcmp(got, "(int) -2") == 0);
	cmd(c, got, sizeof(got), "DEL fernsicht:resumed:20001");
	/* with the lock gone, a takeover, naming the former holder */
	cmd_array(c, &first, v, sizeof(v), &count, RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001,
	    20001, "b:2 i2", h1, 5000);
	CHECK(count == 1 && strcmp(v, "a:1 i1") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:num:20001");
	CHECK(strcmp(got, "b:2 i2") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:resumed:20001");
	CHECK(strcmp(got, "b:2 i2") == 0);
	cmd(c, got, sizeof(got), "PTTL fernsicht:resumed:20001");
	CHECK(atoll(got + 6) > 4000 && atoll(got + 6) <= 5000);
	/* a third relay, at once after: refused */
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001, 20001, "c:3 i3",
	    h1, 5000);
	CHECK(strcmp(got, "(int) -2") == 0);

	/* the former holder's refresh: moved (same ticket), so it forgets */
	cmd_array(c, &first, v, sizeof(v), &count, HOLD3, CLUSTER_LUA_HOLD, 20001, 20001, 20001,
	    "a:1 i1", h1);
	CHECK(count == 1 && strcmp(v, "b:2 i2") == 0);
	/* another ticket there: not a move, the old answer */
	cmd(c, got, sizeof(got), HOLD3, CLUSTER_LUA_HOLD, 20001, 20001, 20001, "a:1 i1", h2);
	CHECK(strcmp(got, "b:2 i2") == 0);

	/* retire by the holder: number and ticket gone; a resume after it fails */
	cmd(c, got, sizeof(got), "EVAL %s 3 fernsicht:num:20001 fernsicht:retired:20001 "
	    "fernsicht:ticket:20001 %s 86400 %s", CLUSTER_LUA_RETIRE, "a:1 i1", h1);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:ticket:20001");
	CHECK(strcmp(got, "(int) 1") == 0);                     /* not a's to retire */
	cmd(c, got, sizeof(got), "EVAL %s 3 fernsicht:num:20001 fernsicht:retired:20001 "
	    "fernsicht:ticket:20001 %s 86400 %s", CLUSTER_LUA_RETIRE, "b:2 i2", h1);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:num:20001 fernsicht:ticket:20001");
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "GET fernsicht:retired:20001");
	CHECK(strcmp(got, "b:2 i2") == 0);
	cmd(c, got, sizeof(got), "DEL fernsicht:resumed:20001");
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001, 20001, "c:3 i3",
	    h1, 5000);
	CHECK(strcmp(got, "(int) 0") == 0);
	/* its last holder cannot tell from Redis: it knows it retired it */
	cmd(c, got, sizeof(got), RESUME, CLUSTER_LUA_RESUME, 20001, 20001, 20001, 20001, "b:2 i2",
	    h1, 5000);
	CHECK(strcmp(got, "(int) -3") == 0);
	/* ...and a's late refresh does not bring it back: retired by another */
	cmd(c, got, sizeof(got), HOLD3, CLUSTER_LUA_HOLD, 20001, 20001, 20001, "a:1 i1", h1);
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "EXISTS fernsicht:num:20001 fernsicht:ticket:20001");
	CHECK(strcmp(got, "(int) 0") == 0);
	cmd(c, got, sizeof(got), "FLUSHALL");
	redisFree(c);
}

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
	char cleanup[128];

	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	ticket_new(the_ticket, the_hash);
	log_init("test_relay_cluster", LOG_ERROR);
	signal(SIGPIPE, SIG_IGN);
	test_url();
	if (mkdtemp(tmpdir) == NULL)
		TEST_BAIL("mkdtemp");
	redis_port = free_port();
	redis_start();
	test_scripts();
	test_ticket_scripts();
	test_two_relays();
	test_resume_across();
	redis_stop();
	snprintf(cleanup, sizeof(cleanup), "rm -rf %s", tmpdir);
	if (system(cleanup) != 0)
		printf("# could not remove %s\n", tmpdir);
	return test_done();
}
