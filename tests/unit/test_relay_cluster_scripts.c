/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_cluster_scripts - the Lua scripts of the redis directory
 * back-end (cluster_keys.h), one by one, against a real redis-server
 * (redis_server.h): claim, release, hold, retire, alive and gone, and the
 * scripts of resume (tickets renewed, looked up, moved, retired), key by
 * key. The directories that run them: test_relay_cluster.c.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "cluster_keys.h"
#include "redis_server.h"
#include "test.h"

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

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	redis_server_begin();
	test_scripts();
	test_ticket_scripts();
	redis_server_end();
	return test_done();
}
