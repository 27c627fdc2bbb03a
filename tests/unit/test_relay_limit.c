/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_limit - per-address connection caps, join, new-session and log-line token buckets. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "limit.h"
#include "limits.h"
#include "test.h"

static void
key4(struct limit_key *k, const char *ip)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons(1234);
	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1)
		TEST_BAIL("inet_pton %s", ip);
	limit_key_from((struct sockaddr *)&sa, k);
}

static void
key6(struct limit_key *k, const char *ip)
{
	struct sockaddr_in6 sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin6_family = AF_INET6;
	sa.sin6_port = htons(1234);
	if (inet_pton(AF_INET6, ip, &sa.sin6_addr) != 1)
		TEST_BAIL("inet_pton %s", ip);
	limit_key_from((struct sockaddr *)&sa, k);
}

static void
test_conns(void)
{
	struct limit *t = limit_new(3, RELAY_JOIN_PER_MIN);
	struct limit_key a, b;
	struct sockaddr_in6 sa6;
	struct limit_key c6;

	key4(&a, "192.0.2.1");
	key4(&b, "192.0.2.2");
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	CHECK_ERR(limit_conn_open(t, &a, 0), ERR_LIMIT);       /* --conns-per-ip */
	CHECK_ERR(limit_conn_open(t, &b, 0), 0);               /* another address */
	limit_conn_authed(t, &a);
	limit_conn_close(t, &a, false);
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	CHECK(limit_count(t) == 2);

	/* the same address by IPv4 and IPv4-mapped IPv6 is one address */
	memset(&sa6, 0, sizeof(sa6));
	sa6.sin6_family = AF_INET6;
	CHECK(inet_pton(AF_INET6, "::ffff:192.0.2.2", &sa6.sin6_addr) == 1);
	limit_key_from((struct sockaddr *)&sa6, &c6);
	CHECK(memcmp(&c6, &b, sizeof(b)) == 0);
	limit_free(t);
}

/* A host picks addresses from its /64 at will: every limit holds per /64. */
static void
test_ipv6_prefix(void)
{
	struct limit *t = limit_new(3, RELAY_JOIN_PER_MIN);
	struct limit_key a, b, c, d, m, v4;
	int i, ok = 0;

	key6(&a, "2001:db8:1:2::1");
	key6(&b, "2001:db8:1:2:ffff:eeee:dddd:cccc");
	key6(&c, "2001:db8:1:3::1");                   /* the next /64 */
	key6(&d, "fd00::2");
	CHECK(memcmp(&a, &b, sizeof(a)) == 0);
	CHECK(memcmp(&a, &c, sizeof(a)) != 0);
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	CHECK_ERR(limit_conn_open(t, &b, 0), 0);
	key6(&b, "2001:db8:1:2::99");
	CHECK_ERR(limit_conn_open(t, &b, 0), 0);
	CHECK_ERR(limit_conn_open(t, &b, 0), ERR_LIMIT);       /* three of one /64 */
	CHECK_ERR(limit_conn_open(t, &c, 0), 0);
	CHECK_ERR(limit_conn_open(t, &d, 0), 0);
	CHECK(limit_count(t) == 5);     /* three /64s, and their two /48s */

	/* pre-auth connections: the same */
	limit_free(t);
	t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	for (i = 0; i < RELAY_PREAUTH_PER_IP_MAX; i++) {
		char ip[64];

		snprintf(ip, sizeof(ip), "2001:db8:7:7::%x", i + 1);
		key6(&a, ip);
		ok += limit_conn_open(t, &a, 0) == 0;
	}
	CHECK(ok == RELAY_PREAUTH_PER_IP_MAX);
	key6(&a, "2001:db8:7:7:1:2:3:4");
	CHECK_ERR(limit_conn_open(t, &a, 0), ERR_LIMIT);

	/* and joins: one bucket per /64 */
	for (i = 0, ok = 0; i < RELAY_JOIN_BURST; i++) {
		char ip[64];

		snprintf(ip, sizeof(ip), "2001:db8:9:9::%x", 0x100 + i);
		key6(&a, ip);
		ok += limit_join(t, &a, true, 1000) == 0;
	}
	CHECK(ok == RELAY_JOIN_BURST);
	key6(&a, "2001:db8:9:9:abcd::1");
	CHECK_ERR(limit_join(t, &a, true, 1000), ERR_LIMIT);
	key6(&a, "2001:db8:9:a::1");
	CHECK_ERR(limit_join(t, &a, true, 1000), 0);

	/* IPv4-mapped addresses stay per IPv4 address, and are IPv4 */
	key6(&m, "::ffff:192.0.2.8");
	key4(&v4, "192.0.2.8");
	CHECK(memcmp(&m, &v4, sizeof(m)) == 0);
	key6(&d, "::ffff:192.0.2.9");
	CHECK(memcmp(&m, &d, sizeof(m)) != 0);
	/* ::/64 (loopback ::1 among it) is not any IPv4 address */
	key6(&d, "::1");
	key4(&v4, "0.0.0.0");
	CHECK(memcmp(&d, &v4, sizeof(d)) != 0);
	limit_free(t);
}

static void
test_preauth(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a;
	int i, ok = 0;

	key4(&a, "198.51.100.7");
	for (i = 0; i < RELAY_PREAUTH_PER_IP_MAX; i++)
		ok += limit_conn_open(t, &a, 0) == 0;
	CHECK(ok == RELAY_PREAUTH_PER_IP_MAX);
	CHECK_ERR(limit_conn_open(t, &a, 0), ERR_LIMIT);       /* silent ones */
	limit_conn_authed(t, &a);                               /* one said HELLO */
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	CHECK_ERR(limit_conn_open(t, &a, 0), ERR_LIMIT);
	limit_conn_close(t, &a, true);                          /* a silent one left */
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	limit_free(t);
}

static void
test_join_bucket(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a, b;
	uint64_t now = 1000000, step = 60000 / RELAY_JOIN_PER_MIN;
	int i, ok = 0;

	key4(&a, "203.0.113.9");
	key4(&b, "203.0.113.10");
	for (i = 0; i < RELAY_JOIN_BURST; i++)
		ok += limit_join(t, &a, true, now) == 0;
	CHECK(ok == RELAY_JOIN_BURST);
	CHECK_ERR(limit_join(t, &a, true, now), ERR_LIMIT);
	CHECK_ERR(limit_join(t, &b, true, now), 0);            /* per address */
	/* refill: one token per 60000 / RELAY_JOIN_PER_MIN ms, not before */
	CHECK_ERR(limit_join(t, &a, true, now + step - 1), ERR_LIMIT);
	CHECK_ERR(limit_join(t, &a, true, now + step), 0);
	CHECK_ERR(limit_join(t, &a, true, now + step), ERR_LIMIT);
	/* a long pause refills up to the burst, not beyond */
	now += 3600 * 1000;
	for (i = 0, ok = 0; i < RELAY_JOIN_BURST + 5; i++)
		ok += limit_join(t, &a, true, now) == 0;
	CHECK(ok == RELAY_JOIN_BURST);
	limit_free(t);
}

static void
test_unknown_bucket(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a;
	uint64_t now = 5000, step = 60000 / RELAY_UNKNOWN_JOIN_PER_MIN;
	int i, ok = 0;

	key4(&a, "192.0.2.77");
	for (i = 0; i < RELAY_UNKNOWN_JOIN_BURST; i++)
		ok += limit_join(t, &a, false, now) == 0;
	CHECK(ok == RELAY_UNKNOWN_JOIN_BURST);
	CHECK_ERR(limit_join(t, &a, false, now), ERR_LIMIT);   /* guessing stops */
	/* a live number still works: misses also spent ordinary joins */
	for (i = 0, ok = 0; i < RELAY_JOIN_BURST; i++)
		ok += limit_join(t, &a, true, now) == 0;
	CHECK(ok == RELAY_JOIN_BURST - RELAY_UNKNOWN_JOIN_BURST);
	CHECK_ERR(limit_join(t, &a, false, now + step - 1), ERR_LIMIT);
	CHECK_ERR(limit_join(t, &a, false, now + step), 0);
	limit_free(t);
}

/* Lookups (resumes, joins to numbers held elsewhere) cost a join; only
 * the misses cost from the strict bucket, and stop the address once it
 * is empty. */
static void
test_lookup(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a, b;
	uint64_t now = 5000, step = 60000 / RELAY_UNKNOWN_JOIN_PER_MIN;
	int i, ok = 0;

	key4(&a, "192.0.2.80");
	key4(&b, "192.0.2.81");
	/* more hits than the strict burst: an office coming back at once */
	for (i = 0; i < RELAY_JOIN_BURST; i++)
		ok += limit_lookup(t, &a, now) == 0;
	CHECK(ok == RELAY_JOIN_BURST);
	CHECK_ERR(limit_lookup(t, &a, now), ERR_LIMIT);         /* joins used up */
	/* misses: after the strict burst, nothing more from that address */
	for (i = 0, ok = 0; i < RELAY_UNKNOWN_JOIN_BURST; i++) {
		ok += limit_lookup(t, &b, now) == 0;
		limit_miss(t, &b, now);
	}
	CHECK(ok == RELAY_UNKNOWN_JOIN_BURST);
	CHECK_ERR(limit_lookup(t, &b, now), ERR_LIMIT);
	CHECK_ERR(limit_join(t, &b, false, now), ERR_LIMIT);
	CHECK_ERR(limit_lookup(t, &b, now + step), 0);          /* one more a step later */
	limit_free(t);
}

/* Lookups answered later (a cluster's Redis): a burst of them all put
 * before the first answer, all misses, is paid back before the address
 * guesses again, so that guessing stays at the strict rate on average. */
static void
test_lookup_burst_owed(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	uint64_t now = 5000, step = 60000 / RELAY_UNKNOWN_JOIN_PER_MIN;
	uint64_t owed = RELAY_JOIN_BURST - RELAY_UNKNOWN_JOIN_BURST;
	struct limit_key a;
	int i, ok = 0;

	key4(&a, "192.0.2.90");
	for (i = 0; i < RELAY_JOIN_BURST; i++)
		ok += limit_lookup(t, &a, now) == 0;
	CHECK(ok == RELAY_JOIN_BURST);
	for (i = 0; i < RELAY_JOIN_BURST; i++)
		limit_miss(t, &a, now);
	/* the join bucket alone would let one through a step later */
	CHECK_ERR(limit_lookup(t, &a, now + 6 * step), ERR_LIMIT);
	CHECK_ERR(limit_join(t, &a, false, now + 6 * step), ERR_LIMIT);
	CHECK_ERR(limit_lookup(t, &a, now + owed * step - 1), ERR_LIMIT);
	limit_gc(t, now + owed * step - 1);
	CHECK(limit_count(t) == 1);     /* owing: not forgotten */
	CHECK_ERR(limit_lookup(t, &a, now + (owed + 1) * step), 0);
	limit_free(t);
}

static void
test_gc(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a, b;
	uint64_t now = 0;

	key4(&a, "192.0.2.200");
	key4(&b, "192.0.2.201");
	CHECK_ERR(limit_conn_open(t, &a, now), 0);
	CHECK_ERR(limit_join(t, &b, false, now), 0);
	CHECK(limit_count(t) == 2);
	limit_gc(t, now);
	CHECK(limit_count(t) == 2);     /* a is connected, b's bucket is not full */
	limit_conn_close(t, &a, true);
	limit_gc(t, now);
	CHECK(limit_count(t) == 1);     /* a had full buckets */
	limit_gc(t, now + 60000);
	CHECK(limit_count(t) == 0);     /* b refilled: forgotten */
	/* and coming back does not start with more than a full bucket */
	CHECK_ERR(limit_join(t, &b, false, now + 60000), 0);
	limit_free(t);
}

/* New sessions: a burst, then the rate; the other buckets are apart,
 * and a session that got no number costs nothing. */
static void
test_session_bucket(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a, b;
	uint64_t now = 1000, step = 60000 / RELAY_SESSION_PER_MIN;
	int i, ok = 0;

	key4(&a, "192.0.2.210");
	key4(&b, "192.0.2.211");
	CHECK_ERR(limit_conn_open(t, &a, now), 0);      /* as a master's conn holds it */
	for (i = 0; i < 100; i++)
		if (limit_session(t, &a, now) == 0)
			ok++;
	CHECK(ok == RELAY_SESSION_BURST);
	CHECK_ERR(limit_join(t, &a, true, now), 0);     /* joins are another bucket */
	CHECK_ERR(limit_session(t, &b, now), 0);        /* and other addresses others */
	limit_session_back(t, &a);                      /* that one got no number */
	CHECK_ERR(limit_session(t, &a, now), 0);
	CHECK_ERR(limit_session(t, &a, now), ERR_LIMIT);
	CHECK_ERR(limit_session(t, &a, now + step), 0); /* one more a step later */
	CHECK_ERR(limit_session(t, &a, now + step), ERR_LIMIT);
	/* a reload's rate, and the burst it brings */
	limit_set_sessions(t, 600);
	CHECK_ERR(limit_session(t, &a, now + step + 100), 0);   /* 600 a minute: 1 per 100 ms */
	CHECK_ERR(limit_session(t, &a, now + step + 100), ERR_LIMIT);
	limit_conn_close(t, &a, true);
	limit_free(t);
}

/* The /64s of one IPv6 /48 each have their own buckets; their new
 * sessions count together too, so that one site cannot burn the numbers
 * 65,536 times as fast as one address. IPv4 addresses are not grouped. */
static void
test_session_site(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	unsigned site = RELAY_SESSION_BURST * RELAY_SESSION_SITE_FACTOR;
	uint64_t now = 1000, step = 60000 / (RELAY_SESSION_PER_MIN * RELAY_SESSION_SITE_FACTOR);
	struct limit_key k;
	char ip[64];
	unsigned i, ok = 0;

	/* one session from each of 1,000 /64s of 2001:db8:7::/48 */
	for (i = 0; i < 1000; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:7:%x::1", i);
		key6(&k, ip);
		if (limit_session(t, &k, now) == 0)
			ok++;
	}
	CHECK(ok == site);
	/* a /64 of the site that was refused kept its own token: the site's
	 * next one, a step later, goes to it */
	key6(&k, "2001:db8:7:3e7::1");
	CHECK_ERR(limit_session(t, &k, now + step), 0);
	CHECK_ERR(limit_session(t, &k, now + step), ERR_LIMIT);
	/* no number after all: both buckets get it back */
	limit_session_back(t, &k);
	CHECK_ERR(limit_session(t, &k, now + step), 0);
	/* another /48 is not held back, nor is IPv4 */
	key6(&k, "2001:db8:8::1");
	CHECK_ERR(limit_session(t, &k, now), 0);
	ok = 0;
	for (i = 0; i < 100; i++) {
		snprintf(ip, sizeof(ip), "192.0.%u.1", i);
		key4(&k, ip);
		ok += limit_session(t, &k, now) == 0;
	}
	CHECK(ok == 100);
	limit_free(t);
}

/* Connect lines: a burst, then the rate; the next logged one carries the
 * count of those that were not. Each address has its own. */
static void
test_log_bucket(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a, b;
	uint64_t now = 1000, step = 60000 / RELAY_LOG_CONNS_PER_MIN, unlogged = 9;
	unsigned i, logged = 0;

	key4(&a, "192.0.2.220");
	key4(&b, "192.0.2.221");
	CHECK(limit_conn_log(t, &a, now, &unlogged) && unlogged == 0);  /* not in the table */
	CHECK_ERR(limit_conn_open(t, &a, now), 0);
	for (i = 0; i < 100; i++)
		logged += limit_conn_log(t, &a, now, &unlogged);
	CHECK(logged == RELAY_LOG_CONNS_BURST);
	CHECK_ERR(limit_conn_open(t, &b, now), 0);
	CHECK(limit_conn_log(t, &b, now, &unlogged) && unlogged == 0);
	CHECK(!limit_conn_log(t, &a, now + step - 1, &unlogged));
	CHECK(limit_conn_log(t, &a, now + step, &unlogged));
	CHECK(unlogged == 100 - RELAY_LOG_CONNS_BURST + 1);
	CHECK(!limit_conn_log(t, &a, now + step, &unlogged));
	/* an address whose lines are not refilled yet is not forgotten (b
	 * used one, refilled by now) */
	limit_conn_close(t, &a, true);
	limit_conn_close(t, &b, true);
	limit_gc(t, now + step);
	CHECK(limit_count(t) == 1);
	limit_gc(t, now + step + 60000);
	CHECK(limit_count(t) == 0);
	limit_free(t);
}

/* One IPv6 /48 holds at most RELAY_IP_TABLE_SITE_MAX /64s in the table:
 * its 65,536 could otherwise fill it and lock every other address out.
 * Those it holds keep working; when they go, its newcomers get in. */
static void
test_site_table(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key k;
	char ip[64];
	unsigned i, ok = 0;

	for (i = 0; i < RELAY_IP_TABLE_SITE_MAX + 100; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:5:%x::1", i);
		key6(&k, ip);
		ok += limit_conn_open(t, &k, 0) == 0;
	}
	CHECK(ok == RELAY_IP_TABLE_SITE_MAX);
	CHECK(limit_count(t) == RELAY_IP_TABLE_SITE_MAX + 1);
	key6(&k, "2001:db8:5:1::1");            /* one it holds: still served */
	CHECK_ERR(limit_conn_open(t, &k, 0), 0);
	limit_conn_close(t, &k, true);
	key6(&k, "2001:db8:6::1");              /* another /48, and IPv4 */
	CHECK_ERR(limit_conn_open(t, &k, 0), 0);
	key4(&k, "192.0.2.77");
	CHECK_ERR(limit_conn_open(t, &k, 0), 0);
	/* the site's /64s leave and are collected: room for its next */
	for (i = 0; i < RELAY_IP_TABLE_SITE_MAX; i++) {
		snprintf(ip, sizeof(ip), "2001:db8:5:%x::1", i);
		key6(&k, ip);
		limit_conn_close(t, &k, true);
	}
	limit_gc(t, 0);
	key6(&k, "2001:db8:5:ffff::1");
	CHECK_ERR(limit_conn_open(t, &k, 0), 0);
	limit_free(t);
}

/* The /48 cap bounds one site, but seventeen /48s (a /44) could still
 * fill the table: IPv6 gets three quarters of it, and IPv4 the rest. */
static void
test_table_sites_fill(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key k;
	char ip[64];
	unsigned site, i;

	for (site = 0; site < 17; site++)
		for (i = 0; i < RELAY_IP_TABLE_SITE_MAX; i++) {
			snprintf(ip, sizeof(ip), "2001:db8:%x:%x::1", 0x100 + site, i);
			key6(&k, ip);
			if (limit_conn_open(t, &k, 0) != 0)
				continue;       /* its /48 is full, or the table */
		}
	key4(&k, "192.0.2.99");
	CHECK_ERR(limit_conn_open(t, &k, 0), 0);        /* an ordinary IPv4 client */
	limit_free(t);
}

/* Connections left out of the log are said with the address's next
 * logged connect line; an address that goes quiet and is collected says
 * them in a line of its own (caught here from stderr). */
static void
test_log_count_kept(void)
{
	struct limit *t = limit_new(RELAY_CONNS_PER_IP_MAX, RELAY_JOIN_PER_MIN);
	struct limit_key a;
	uint64_t unlogged = 0;
	char said[512] = "";
	unsigned i;
	FILE *f = tmpfile();
	int saved = dup(2);

	if (f == NULL || saved < 0)
		TEST_BAIL("tmpfile");
	key4(&a, "192.0.2.230");
	CHECK_ERR(limit_conn_open(t, &a, 0), 0);
	for (i = 0; i < RELAY_LOG_CONNS_BURST + 5; i++)
		(void)limit_conn_log(t, &a, 0, &unlogged);
	limit_conn_close(t, &a, true);
	fflush(stderr);
	dup2(fileno(f), 2);
	limit_gc(t, 61000);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	if (fgets(said, sizeof(said), f) == NULL)
		said[0] = '\0';
	fclose(f);
	CHECK(limit_count(t) == 0);
	CHECK(strstr(said, "peer 192.0.2.230: 5 connections not logged") != NULL);
	/* and the next one starts from nothing */
	CHECK_ERR(limit_conn_open(t, &a, 61000), 0);
	CHECK(limit_conn_log(t, &a, 61000, &unlogged) && unlogged == 0);
	limit_conn_close(t, &a, true);
	limit_free(t);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init");
	test_conns();
	test_ipv6_prefix();
	test_preauth();
	test_join_bucket();
	test_unknown_bucket();
	test_lookup();
	test_lookup_burst_owed();
	test_gc();
	test_session_bucket();
	test_session_site();
	test_log_bucket();
	test_site_table();
	test_table_sites_fill();
	test_log_count_kept();
	return test_done();
}
