/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "limit.h"
#include "limits.h"
#include "log.h"
#include "metrics.h"

/*
 * Tokens are counted in 1/60000ths, so that refilling N per minute is
 * N units per millisecond: exact integers, no floats.
 */
#define TOKEN ((uint64_t)60000)

enum { LIMIT_HASH_SIZE = 16384 };       /* a power of two */

struct bucket {
	uint64_t units;
	uint64_t at_ms;                 /* when units was last brought up to date */
};

struct entry {
	struct limit_key k;
	unsigned conns, preauth;
	struct bucket join, unknown, session, log;
	uint64_t unlogged;              /* connections not logged since the last logged one */
	/* misses charged while the unknown bucket was empty: lookups run
	 * in parallel and are charged when answered, so a burst of them may
	 * miss more than the bucket held; the refill pays this back first */
	uint64_t owed;
	/* An IPv6 /64's entry: its /48's, which counts it in members and
	 * stays while it is there. */
	struct entry *site;
	unsigned members;
	struct entry *next;
};

struct limit {
	unsigned conns_per_ip;
	unsigned join_burst, joins_per_min;     /* joins to live numbers */
	unsigned session_burst, sessions_per_min;       /* new sessions */
	size_t count;
	size_t count6;                  /* of those, IPv6 /64s and /48s */
	uint64_t seed[2];               /* keyed hash: nobody picks our collisions */
	struct entry *hash[LIMIT_HASH_SIZE];
};

struct limit *
limit_new(unsigned conns_per_ip, unsigned joins_per_min)
{
	struct limit *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	limit_reload(t, conns_per_ip, joins_per_min);
	limit_set_sessions(t, RELAY_SESSION_PER_MIN);
	randombytes_buf(t->seed, sizeof(t->seed));
	return t;
}

void
limit_reload(struct limit *t, unsigned conns_per_ip, unsigned joins_per_min)
{
	t->conns_per_ip = conns_per_ip;
	t->joins_per_min = joins_per_min;
	/* a third of a minute's allowance at once, never below the default burst */
	t->join_burst = joins_per_min / 3 > RELAY_JOIN_BURST ? joins_per_min / 3 : RELAY_JOIN_BURST;
}

void
limit_set_sessions(struct limit *t, unsigned sessions_per_min)
{
	t->sessions_per_min = sessions_per_min;
	t->session_burst = sessions_per_min / 3 > RELAY_SESSION_BURST ? sessions_per_min / 3 :
	    RELAY_SESSION_BURST;
}

void
limit_free(struct limit *t)
{
	struct entry *e, *n;
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < LIMIT_HASH_SIZE; i++)
		for (e = t->hash[i]; e != NULL; e = n) {
			n = e->next;
			free(e);
		}
	free(t);
}

void
limit_key_from(const struct sockaddr *sa, struct limit_key *k)
{
	memset(k, 0, sizeof(*k));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)sa;

		k->a[10] = k->a[11] = 0xFF;
		memcpy(k->a + 12, &a->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

		/* One host gets a /64 to pick from: that is the unit, not the
		 * address. A mapped IPv4 address stays what it is, IPv4. */
		memcpy(k->a, a, IN6_IS_ADDR_V4MAPPED(a) ? 16 : 8);
	}
}

static size_t
slot_of(const struct limit *t, const struct limit_key *k)
{
	uint8_t h[crypto_shorthash_BYTES];

	crypto_shorthash(h, k->a, sizeof(k->a), (const unsigned char *)t->seed);
	return ((size_t)h[0] | (size_t)h[1] << 8) & (LIMIT_HASH_SIZE - 1);
}

static struct entry *
find(const struct limit *t, const struct limit_key *k)
{
	struct entry *e;

	for (e = t->hash[slot_of(t, k)]; e != NULL; e = e->next)
		if (memcmp(e->k.a, k->a, sizeof(k->a)) == 0)
			return e;
	return NULL;
}

static void
refill(struct bucket *b, unsigned burst, unsigned per_min, uint64_t now_ms)
{
	uint64_t cap = burst * TOKEN;

	if (now_ms > b->at_ms) {
		b->units += (now_ms - b->at_ms) * per_min;
		if (b->units > cap)
			b->units = cap;
	}
	b->at_ms = now_ms;
}

static bool
full(const struct bucket *b, unsigned burst, unsigned per_min, uint64_t now_ms)
{
	struct bucket c = *b;

	refill(&c, burst, per_min, now_ms);
	return c.units >= burst * TOKEN;
}

/* The unknown bucket brought up to date: what came in since pays what is
 * owed first. */
static void
settle(struct entry *e, uint64_t now_ms)
{
	uint64_t cap = RELAY_UNKNOWN_JOIN_BURST * TOKEN, gain, pay;

	if (now_ms > e->unknown.at_ms) {
		gain = (now_ms - e->unknown.at_ms) * RELAY_UNKNOWN_JOIN_PER_MIN;
		pay = gain < e->owed ? gain : e->owed;
		e->owed -= pay;
		e->unknown.units += gain - pay;
		if (e->unknown.units > cap)
			e->unknown.units = cap;
	}
	e->unknown.at_ms = now_ms;
}

/* Whether a join to an unknown number or a lookup may go now. */
static bool
unknown_left(struct entry *e, uint64_t now_ms)
{
	settle(e, now_ms);
	return e->owed == 0 && e->unknown.units >= TOKEN;
}

/*
 * The key of k's IPv6 /48 (a site), to count its new sessions together;
 * false for IPv4. Its last byte marks it: a /64 key's host half is always
 * zero, and an IPv4 key has ::ffff: in bytes 10 and 11.
 */
static bool
is_v4(const struct limit_key *k)
{
	static const uint8_t v4[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(k->a, v4, sizeof(v4)) == 0;
}

static bool
site_key(const struct limit_key *k, struct limit_key *site)
{
	if (is_v4(k))
		return false;
	memset(site, 0, sizeof(*site));
	memcpy(site->a, k->a, 6);
	site->a[15] = 48;
	return true;
}

static bool
is_site(const struct limit_key *k)
{
	return k->a[15] == 48 && k->a[10] == 0 && k->a[11] == 0;
}

/* The new-session bucket's burst for this entry: a site's is larger. */
static unsigned
session_burst(const struct limit *t, const struct entry *e)
{
	return t->session_burst * (is_site(&e->k) ? RELAY_SESSION_SITE_FACTOR : 1);
}

static unsigned
session_rate(const struct limit *t, const struct entry *e)
{
	return t->sessions_per_min * (is_site(&e->k) ? RELAY_SESSION_SITE_FACTOR : 1);
}

static bool
idle(const struct limit *t, const struct entry *e, uint64_t now_ms)
{
	struct entry u = *e;

	settle(&u, now_ms);
	return e->conns == 0 && u.owed == 0 && e->members == 0 &&
	    full(&e->join, t->join_burst, t->joins_per_min, now_ms) &&
	    u.unknown.units >= RELAY_UNKNOWN_JOIN_BURST * TOKEN &&
	    full(&e->session, session_burst(t, e), session_rate(t, e), now_ms) &&
	    full(&e->log, RELAY_LOG_CONNS_BURST, RELAY_LOG_CONNS_PER_MIN, now_ms);
}

/* An address as its key holds it: IPv4, or an IPv6 /64 (or /48 site). */
static void
key_str(const struct limit_key *k, char *out, size_t n)
{
	uint8_t a[16];

	if (is_v4(k)) {
		inet_ntop(AF_INET, k->a + 12, out, (socklen_t)n);
		return;
	}
	memcpy(a, k->a, sizeof(a));
	a[15] = 0;
	inet_ntop(AF_INET6, a, out, (socklen_t)n);
	strncat(out, is_site(k) ? "/48" : "/64", n - strlen(out) - 1);
}

void
limit_gc(struct limit *t, uint64_t now_ms)
{
	struct entry **pp, *e;
	size_t i;

	for (i = 0; i < LIMIT_HASH_SIZE; i++) {
		pp = &t->hash[i];
		while ((e = *pp) != NULL) {
			if (idle(t, e, now_ms)) {
				*pp = e->next;
				if (e->site != NULL)
					e->site->members--;
				if (!is_v4(&e->k))
					t->count6--;
				if (e->unlogged > 0) {
					/* its next connect line would have said */
					char addr[INET6_ADDRSTRLEN + 4];

					key_str(&e->k, addr, sizeof(addr));
					log_info("peer %s: %llu connections not logged "
					    "(more than %u a minute)", addr,
					    (unsigned long long)e->unlogged,
					    (unsigned)RELAY_LOG_CONNS_PER_MIN);
				}
				free(e);
				t->count--;
			} else {
				pp = &e->next;
			}
		}
	}
}

static struct entry *
make(struct limit *t, const struct limit_key *k, uint64_t now_ms)
{
	struct entry *e;
	size_t s;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->k = *k;
	e->join.units = t->join_burst * TOKEN;
	e->join.at_ms = now_ms;
	e->unknown.units = RELAY_UNKNOWN_JOIN_BURST * TOKEN;
	e->unknown.at_ms = now_ms;
	e->session.units = session_burst(t, e) * TOKEN;
	e->session.at_ms = now_ms;
	e->log.units = RELAY_LOG_CONNS_BURST * TOKEN;
	e->log.at_ms = now_ms;
	s = slot_of(t, k);
	e->next = t->hash[s];
	t->hash[s] = e;
	t->count++;
	t->count6 += !is_v4(k);
	return e;
}

/*
 * k's entry, made if need be: NULL when the table is full, when k is IPv6
 * and IPv6 has its share of the table (RELAY_IP_TABLE_V6_MAX: the rest
 * stays for IPv4, which nobody has by the thousand), or when k is an IPv6
 * /64 whose /48 holds RELAY_IP_TABLE_SITE_MAX entries already (one site
 * cannot fill IPv6's share and lock the other IPv6 clients out).
 */
static struct entry *
get(struct limit *t, const struct limit_key *k, uint64_t now_ms)
{
	struct limit_key sk;
	struct entry *e, *site = NULL;

	if ((e = find(t, k)) != NULL)
		return e;
	/* Room for it and its site, made before either is taken (a later
	 * collection could free a site that has no members yet). */
	if (t->count + 2 > RELAY_IP_TABLE_MAX ||
	    (!is_v4(k) && t->count6 + 2 > RELAY_IP_TABLE_V6_MAX))
		limit_gc(t, now_ms);
	if (t->count + 2 > RELAY_IP_TABLE_MAX ||
	    (!is_v4(k) && t->count6 + 2 > RELAY_IP_TABLE_V6_MAX))
		return NULL;
	if (!is_site(k) && site_key(k, &sk)) {
		if ((site = find(t, &sk)) == NULL && (site = make(t, &sk, now_ms)) == NULL)
			return NULL;
		if (site->members >= RELAY_IP_TABLE_SITE_MAX)
			return NULL;
	}
	if ((e = make(t, k, now_ms)) == NULL)
		return NULL;
	if (site != NULL) {
		e->site = site;
		site->members++;
	}
	return e;
}

/* metrics: every "no" of the checks below */
static int
limited(void)
{
	relay_metrics.rate_limited++;
	return ERR_LIMIT;
}

int
limit_conn_open(struct limit *t, const struct limit_key *k, uint64_t now_ms)
{
	struct entry *e;

	if ((e = get(t, k, now_ms)) == NULL)
		return limited();
	if (e->conns >= t->conns_per_ip || e->preauth >= RELAY_PREAUTH_PER_IP_MAX)
		return limited();
	e->conns++;
	e->preauth++;
	return 0;
}

bool
limit_conn_log(struct limit *t, const struct limit_key *k, uint64_t now_ms, uint64_t *unlogged)
{
	struct entry *e = find(t, k);

	*unlogged = 0;
	if (e == NULL)
		return true;
	refill(&e->log, RELAY_LOG_CONNS_BURST, RELAY_LOG_CONNS_PER_MIN, now_ms);
	if (e->log.units < TOKEN) {
		e->unlogged++;
		return false;
	}
	e->log.units -= TOKEN;
	*unlogged = e->unlogged;
	e->unlogged = 0;
	return true;
}

void
limit_conn_authed(struct limit *t, const struct limit_key *k)
{
	struct entry *e = find(t, k);

	BUG_ON(e == NULL || e->preauth == 0);
	e->preauth--;
}

void
limit_conn_close(struct limit *t, const struct limit_key *k, bool preauth)
{
	struct entry *e = find(t, k);

	BUG_ON(e == NULL || e->conns == 0);
	e->conns--;
	if (preauth) {
		BUG_ON(e->preauth == 0);
		e->preauth--;
	}
}

static bool
take(struct bucket *b, unsigned burst, unsigned per_min, uint64_t now_ms)
{
	refill(b, burst, per_min, now_ms);
	if (b->units < TOKEN)
		return false;
	b->units -= TOKEN;
	return true;
}

int
limit_join(struct limit *t, const struct limit_key *k, bool known, uint64_t now_ms)
{
	struct entry *e;

	if ((e = get(t, k, now_ms)) == NULL)
		return limited();
	/* a miss costs from both buckets: guessing also uses up ordinary joins */
	if (!known && !unknown_left(e, now_ms))
		return limited();
	if (!take(&e->join, t->join_burst, t->joins_per_min, now_ms))
		return limited();
	if (!known)
		e->unknown.units -= TOKEN;
	return 0;
}

int
limit_lookup(struct limit *t, const struct limit_key *k, uint64_t now_ms)
{
	struct entry *e;

	if ((e = get(t, k, now_ms)) == NULL)
		return limited();
	if (!unknown_left(e, now_ms))
		return limited();
	if (!take(&e->join, t->join_burst, t->joins_per_min, now_ms))
		return limited();
	return 0;
}

/* One new session back into e's bucket (it got no number after all). */
static void
session_refund(const struct limit *t, struct entry *e)
{
	uint64_t cap;

	if (e == NULL)
		return;
	cap = (uint64_t)session_burst(t, e) * TOKEN;
	e->session.units = e->session.units + TOKEN < cap ? e->session.units + TOKEN : cap;
}

int
limit_session(struct limit *t, const struct limit_key *k, uint64_t now_ms)
{
	struct limit_key sk;
	struct entry *e, *s;

	if ((e = get(t, k, now_ms)) == NULL)
		return limited();
	if (!take(&e->session, session_burst(t, e), session_rate(t, e), now_ms))
		return limited();
	if (site_key(k, &sk) && ((s = get(t, &sk, now_ms)) == NULL ||
	    !take(&s->session, session_burst(t, s), session_rate(t, s), now_ms))) {
		session_refund(t, e);
		return limited();
	}
	return 0;
}

void
limit_session_back(struct limit *t, const struct limit_key *k)
{
	struct limit_key sk;

	session_refund(t, find(t, k));
	if (site_key(k, &sk))
		session_refund(t, find(t, &sk));
}

void
limit_miss(struct limit *t, const struct limit_key *k, uint64_t now_ms)
{
	struct entry *e;

	if ((e = get(t, k, now_ms)) == NULL)
		return;
	settle(e, now_ms);
	if (e->unknown.units >= TOKEN)
		e->unknown.units -= TOKEN;
	else
		e->owed += TOKEN;       /* more misses came back than it held */
}

size_t
limit_count(const struct limit *t)
{
	return t->count;
}
