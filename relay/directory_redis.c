/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory_redis.c - the "redis" directory back-end: session numbers
 * shared by the relays of a cluster through one Redis (--cluster; the
 * keys and scripts are in cluster_keys.h, the set-up in docs/relay.md
 * "Cluster").
 *
 * HELLO must be answered at once, so the back-end claims up to
 * RELAY_CLUSTER_POOL numbers ahead and alloc hands out one of those; the
 * pool refills in the background, and grows for a burst (up to
 * RELAY_CLUSTER_POOL_MAX) when a HELLO found it empty. A number is handed out only while its
 * claim (or last refresh) is younger than the lease minus a margin, and
 * only while Redis is reachable: with Redis gone, alloc says ERR_AGAIN
 * and the client hears WIRE_E_DIRECTORY. Retirements wait in a queue
 * until Redis has taken them (sent by save, once per tick), so an outage
 * loses none. Every held number (live or pooled) is refreshed every
 * RELAY_CLUSTER_REFRESH_MS; after a reconnection the refresh re-claims
 * what Redis lost, and a number that another relay took meanwhile is
 * logged as an error. Nothing here is on the data path: frames never wait
 * on Redis.
 *
 * A session's number carries its ticket's hash: set in Redis right after
 * the number is handed out, renewed with it, deleted at its retirement.
 * A resume is one script that checks the hash and moves the number here
 * (wherever it was); the relay that held it learns of the move from its
 * next refresh and forgets the number (directory_moved_fn). With Redis
 * out of reach a number held here still resumes from what this relay
 * knows, and Redis gets it (with its hash) back on the refresh after the
 * reconnection. When the relay drains it leaves the sorted set of relays
 * that take masters, claims nothing ahead, and refreshes every
 * RELAY_DRAIN_REFRESH_MS to see its numbers move soon.
 *
 * The questions a client's HELLO puts about one number (a master's
 * resume, a viewer's lookup) are answered in directory_redis_ask.c; the
 * state it shares with this file is in directory_redis.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>
#include <sodium.h>

#include "cluster_keys.h"
#include "directory.h"
#include "directory_redis.h"
#include "limits.h"
#include "log.h"
#include "loop.h"
#include "redis_link.h"
#include "redis_url.h"

enum {
	CANDIDATE_TRIES = 64,           /* random picks per candidate before giving up */
};

#define GRACE_S ((int64_t)RELAY_RESUME_GRACE_MS / 1000)

struct retiring {
	uint32_t number;
	int64_t at_s;                   /* the cool-down runs from here */
	bool sent;                      /* out to Redis, reply owed */
};

static void fill_pool(struct rdir *d);

/* A pooled number that will not be handed out: give it back. */
static void
release(struct rdir *d, uint32_t n)
{
	char num[KEY_MAX], ret[KEY_MAX];
	const char *args[] = { num, ret, d->value };

	d->held[INDEX(n)] = H_FREE;
	snprintf(num, sizeof(num), CLUSTER_KEY_NUM, n);
	snprintf(ret, sizeof(ret), CLUSTER_KEY_RETIRED, n);
	/* unanswered or down: its lease and cool-down lapse by themselves */
	(void)rdir_eval(d, NULL, NULL, CLUSTER_LUA_RELEASE, 2, 3, args);
}

static bool
fresh(const struct rdir *d, size_t i, uint64_t now)
{
	return now - d->pool_ms[i] < (uint64_t)(RELAY_CLUSTER_LEASE_S -
	    RELAY_CLUSTER_LEASE_MARGIN_S) * 1000;
}

static void
on_claim(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	uint32_t n;

	d->claiming--;
	if (d->closing || r == NULL) {
		free(a);
		return;
	}
	if (r->type == REDIS_REPLY_INTEGER && r->integer >= 1 &&
	    (unsigned long long)r->integer <= a->n_cand) {
		n = a->cand[r->integer - 1];
		if (d->held[INDEX(n)] == H_FREE && d->n_pool < RELAY_CLUSTER_POOL_MAX) {
			d->held[INDEX(n)] = H_POOL;
			d->pool[d->n_pool] = n;
			d->pool_ms[d->n_pool++] = a->sent_ms;
		} else {
			release(d, n);
		}
	}
	rdir_reply_error(d, "claim", r);
	free(a);
	fill_pool(d);
}

/* One claim of RELAY_CLUSTER_CLAIM_CANDIDATES random numbers this relay
 * does not hold (Redis decides whether anyone else does). */
static int
send_claim(struct rdir *d)
{
	char keys[2 * RELAY_CLUSTER_CLAIM_CANDIDATES][KEY_MAX], lease[16], cool[16];
	const char *args[EVAL_ARGS_MAX];
	struct ask *a;
	uint32_t n;
	unsigned i, k, tries;
	int argc = 0, r;

	if ((a = rdir_ask_new(d, 0)) == NULL)
		return ERR_NOMEM;
	for (tries = 0; a->n_cand < RELAY_CLUSTER_CLAIM_CANDIDATES &&
	    tries < CANDIDATE_TRIES * RELAY_CLUSTER_CLAIM_CANDIDATES; tries++) {
		n = SESSION_NUMBER_MIN + randombytes_uniform(NUMBERS_COUNT);
		if (d->held[INDEX(n)] != H_FREE)
			continue;
		for (k = 0; k < a->n_cand && a->cand[k] != n; k++)
			;
		if (k == a->n_cand)
			a->cand[a->n_cand++] = n;
	}
	if (a->n_cand == 0) {
		free(a);
		return ERR_LIMIT;
	}
	for (i = 0; i < a->n_cand; i++) {
		snprintf(keys[2 * i], KEY_MAX, CLUSTER_KEY_NUM, a->cand[i]);
		snprintf(keys[2 * i + 1], KEY_MAX, CLUSTER_KEY_RETIRED, a->cand[i]);
		args[argc++] = keys[2 * i];
		args[argc++] = keys[2 * i + 1];
	}
	snprintf(lease, sizeof(lease), "%d", RELAY_CLUSTER_LEASE_S);
	snprintf(cool, sizeof(cool), "%d", RELAY_RETIRE_COOLDOWN_S);
	args[argc++] = d->value;
	args[argc++] = lease;
	args[argc++] = cool;
	if ((r = rdir_eval(d, on_claim, a, CLUSTER_LUA_CLAIM, (int)(2 * a->n_cand), argc,
	    args)) != 0) {
		free(a);
		return r;
	}
	d->claiming++;
	return 0;
}

/* Claim until the pool (with the claims under way) is full, within this
 * tick's budget: a full number space must not spin the loop. */
static void
fill_pool(struct rdir *d)
{
	while (!d->closing && !d->draining && redis_link_up(d->link) &&
	    loop_now_ms(d->loop) >= d->fill_after_ms &&
	    d->n_pool + d->claiming < d->pool_target &&
	    d->claims_this_tick < RELAY_CLUSTER_CLAIMS_PER_TICK) {
		if (send_claim(d) != 0)
			break;
		d->claims_this_tick++;
	}
}

/* A session's number is no longer this relay's: forget it, without
 * retiring it, and tell the relay (its session, if any, ends here). */
static void
forget(struct rdir *d, uint32_t n)
{
	enum held h = d->held[INDEX(n)];

	if (h == H_LIVE)
		d->live--;
	else if (h == H_AWAY)
		d->away--;
	d->held[INDEX(n)] = H_FREE;
	sodium_memzero(d->hash[INDEX(n)], TICKET_HASH_LEN);
	if (d->moved != NULL)
		d->moved(d->moved_arg, n);
}

static void
on_hold(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	uint32_t n = a->number;
	enum held h = d->held[INDEX(n)];
	size_t i;

	if (d->closing || r == NULL || (h != H_POOL && h != H_LIVE && h != H_AWAY)) {
		free(a);
		return;
	}
	if (r->type == REDIS_REPLY_INTEGER && r->integer == 0) {
		/* retired (or taken and retired) elsewhere while Redis forgot our lease */
		if (h == H_POOL) {
			for (i = 0; i < d->n_pool; i++)
				if (d->pool[i] == n)
					rdir_pool_remove(d, i);
			d->held[INDEX(n)] = H_FREE;
		} else {
			log_info("number %05u was given up elsewhere meanwhile: forgotten here", n);
			forget(d, n);
		}
	} else if (r->type == REDIS_REPLY_INTEGER) {
		/* a restarted Redis: worth saying for a session's number */
		if (r->integer == 2 && h != H_POOL)
			log_rl(&d->rl_lost, LOG_WARN, "redis had lost number %05u (%s here): "
			    "claimed again, with its ticket", n, h == H_LIVE ? "live" : "away");
		else if (r->integer == 2)
			log_debug("redis had lost number %05u (claimed ahead): claimed again", n);
		for (i = 0; i < d->n_pool; i++)
			if (d->pool[i] == n)
				d->pool_ms[i] = a->sent_ms;
	} else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->type == REDIS_REPLY_STRING && h != H_POOL) {
		/* the master resumed on another relay: the number is that relay's */
		log_info("number %05u resumed on relay '%.*s': forgotten here", n,
		    (int)strcspn(r->element[0]->str, " "), r->element[0]->str);
		forget(d, n);
	} else if (r->type == REDIS_REPLY_STRING) {
		/* Another relay claimed it while Redis had lost ours. */
		if (h == H_LIVE) {
			log_error("number %05u is live here but relay '%.*s' holds it now: two "
			    "sessions share one number until one ends", n, (int)r->len, r->str);
		} else if (h == H_AWAY) {
			log_warn("number %05u (away here) is held by relay '%.*s' now: its "
			    "master cannot resume it; forgotten here", n, (int)r->len, r->str);
			forget(d, n);
		} else {
			for (i = 0; i < d->n_pool; i++)
				if (d->pool[i] == n)
					rdir_pool_remove(d, i);
			d->held[INDEX(n)] = H_FREE;
		}
	}
	rdir_reply_error(d, "refresh", r);
	free(a);
}

/* Renew one number this relay holds; a session's number with its ticket. */
static int
hold_one(struct rdir *d, uint32_t n)
{
	char num[KEY_MAX], ret[KEY_MAX], tkt[KEY_MAX], lease[16], cool[16], tsecs[16];
	char hex[TICKET_HEX_LEN + 1];
	const char *args[] = { num, ret, tkt, d->value, lease, cool, hex, tsecs };
	const char *pool_args[] = { num, ret, d->value, lease, cool };
	struct ask *a;
	int r;

	if ((a = rdir_ask_new(d, n)) == NULL)
		return ERR_NOMEM;
	snprintf(num, sizeof(num), CLUSTER_KEY_NUM, n);
	snprintf(ret, sizeof(ret), CLUSTER_KEY_RETIRED, n);
	snprintf(tkt, sizeof(tkt), CLUSTER_KEY_TICKET, n);
	snprintf(lease, sizeof(lease), "%d", RELAY_CLUSTER_LEASE_S);
	snprintf(cool, sizeof(cool), "%d", RELAY_RETIRE_COOLDOWN_S);
	snprintf(tsecs, sizeof(tsecs), "%d", RELAY_CLUSTER_TICKET_S);
	if (d->held[INDEX(n)] == H_POOL) {
		r = rdir_eval(d, on_hold, a, CLUSTER_LUA_HOLD, 2, 5, pool_args);
	} else {
		ticket_hash_hex(d->hash[INDEX(n)], hex);
		r = rdir_eval(d, on_hold, a, CLUSTER_LUA_HOLD, 3, 8, args);
	}
	if (r != 0)
		free(a);
	return r;
}

/* Renew every number held (re-claiming what Redis lost, with its ticket). */
static void
refresh_all(struct rdir *d)
{
	size_t i;

	for (i = 0; i < NUMBERS_COUNT; i++) {
		if (d->held[i] != H_POOL && d->held[i] != H_LIVE && d->held[i] != H_AWAY)
			continue;
		if (hold_one(d, (uint32_t)(i + SESSION_NUMBER_MIN)) != 0)
			return;
	}
}

/* Once per refresh: a pool grown for a burst shrinks by half when no
 * HELLO found it empty since, and gives back what it holds over that. */
static void
adapt_pool(struct rdir *d)
{
	if (!d->pool_missed && d->pool_target > RELAY_CLUSTER_POOL)
		d->pool_target /= 2;
	d->pool_missed = false;
	while (d->n_pool > d->pool_target)
		release(d, d->pool[--d->n_pool]);
}

static void
on_alive(void *arg, redisReply *r)
{
	struct rdir *d = arg;
	size_t n = strlen(d->value);

	if (d->closing || r == NULL)
		return;
	/* our own record, draining or not, is no news */
	if (r->type == REDIS_REPLY_STRING && !(strncmp(r->str, d->value, n) == 0 &&
	    (r->str[n] == '\0' || strcmp(r->str + n, CLUSTER_DRAINING) == 0)))
		log_warn("another relay process advertised %s until now ('%s'): a restart, or "
		    "two relays with one --advertise", d->name, r->str);
	rdir_reply_error(d, "liveness record", r);
}

/* The relays that take masters now: what a draining relay sends them to. */
static void
on_peers(void *arg, redisReply *r)
{
	struct rdir *d = arg;
	size_t i;

	if (d->closing || r == NULL || r->type != REDIS_REPLY_ARRAY) {
		if (r != NULL && !d->closing)
			rdir_reply_error(d, "relays", r);
		return;
	}
	d->n_peers = 0;
	for (i = 0; i < r->elements && d->n_peers < RELAY_CLUSTER_PEERS_MAX; i++) {
		const redisReply *e = r->element[i];

		if (e->type != REDIS_REPLY_STRING || e->len == 0 ||
		    e->len > RELAY_CLUSTER_NAME_MAX || strcmp(e->str, d->name) == 0)
			continue;
		memcpy(d->peers[d->n_peers], e->str, e->len);
		d->peers[d->n_peers++][e->len] = '\0';
	}
}

static void
send_alive(struct rdir *d)
{
	char key[KEY_MAX], value[VALUE_MAX + sizeof(CLUSTER_DRAINING)], secs[16], now[24];
	char limit[16];
	const char *args[] = { d->alive_key, key, value, secs, d->name, now,
		d->draining ? "1" : "0" };
	const char *peers[] = { "ZRANGEBYSCORE", key, now, "+inf", "LIMIT", "0", limit };
	size_t lens[7], i;

	snprintf(key, sizeof(key), CLUSTER_KEY_RELAYS);
	snprintf(value, sizeof(value), "%s%s", d->value, d->draining ? CLUSTER_DRAINING : "");
	snprintf(secs, sizeof(secs), "%d", RELAY_CLUSTER_ALIVE_S);
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	snprintf(limit, sizeof(limit), "%d", RELAY_CLUSTER_PEERS_MAX + 1);
	(void)rdir_eval(d, on_alive, d, CLUSTER_LUA_ALIVE, 2, 7, args);
	for (i = 0; i < 7; i++)
		lens[i] = strlen(peers[i]);
	if (redis_link_cmd(d->link, on_peers, d, 7, peers, lens) != 0)
		log_debug("redis: cannot ask for the relays now");
}

static struct retiring *
find_retiring(struct rdir *d, uint32_t n)
{
	size_t i;

	for (i = 0; i < d->n_ret; i++)
		if (d->ret[i].number == n)
			return &d->ret[i];
	return NULL;
}

static void
retired(struct rdir *d, size_t i)
{
	uint32_t n = d->ret[i].number;

	d->held[INDEX(n)] = H_FREE;
	sodium_memzero(d->hash[INDEX(n)], TICKET_HASH_LEN);
	d->ret[i] = d->ret[--d->n_ret];
}

static void
on_retire(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	struct retiring *t;

	if (!d->closing && (t = find_retiring(d, a->number)) != NULL) {
		if (r != NULL && r->type == REDIS_REPLY_INTEGER)
			retired(d, (size_t)(t - d->ret));
		else
			t->sent = false;        /* again on the next save */
	}
	if (!d->closing)
		rdir_reply_error(d, "retire", r);
	free(a);
}

/* Send one retirement; false when it cannot go now. */
static bool
send_retirement(struct rdir *d, struct retiring *t, int64_t secs)
{
	char num[KEY_MAX], ret[KEY_MAX], tkt[KEY_MAX], left[24], hex[TICKET_HEX_LEN + 1];
	const char *args[] = { num, ret, tkt, d->value, left, hex };
	struct ask *a;

	if ((a = rdir_ask_new(d, t->number)) == NULL)
		return false;
	snprintf(num, sizeof(num), CLUSTER_KEY_NUM, t->number);
	snprintf(ret, sizeof(ret), CLUSTER_KEY_RETIRED, t->number);
	snprintf(tkt, sizeof(tkt), CLUSTER_KEY_TICKET, t->number);
	snprintf(left, sizeof(left), "%lld", (long long)secs);
	ticket_hash_hex(d->hash[INDEX(t->number)], hex);
	if (rdir_eval(d, on_retire, a, CLUSTER_LUA_RETIRE, 3, 6, args) != 0) {
		free(a);
		return false;
	}
	t->sent = true;
	return true;
}

static int
send_retirements(struct rdir *d, int64_t now_s)
{
	struct retiring *t;
	int64_t secs;
	size_t i;

	for (i = 0; i < d->n_ret && redis_link_up(d->link); i++) {
		t = &d->ret[i];
		if (t->sent)
			continue;
		secs = RELAY_RETIRE_COOLDOWN_S - (now_s - t->at_s);
		if (secs <= 0) {                /* cooled down while Redis was away */
			retired(d, i--);
			continue;
		}
		if (!send_retirement(d, t, secs))
			return ERR_AGAIN;
	}
	return 0;
}

/* Redis is reachable (again): re-claim and re-send first, then refill. */
static void
on_up(void *arg)
{
	struct rdir *d = arg;
	uint64_t now = loop_now_ms(d->loop);
	size_t i;

	d->fill_after_ms = d->had_link ? now + RELAY_CLUSTER_RECLAIM_GRACE_MS : now;
	d->had_link = true;
	for (i = 0; i < d->n_ret; i++)
		d->ret[i].sent = false;
	refresh_all(d);
	(void)send_retirements(d, (int64_t)time(NULL));
	send_alive(d);
	d->refresh_ms = now + (d->draining ? RELAY_DRAIN_REFRESH_MS : RELAY_CLUSTER_REFRESH_MS);
	d->alive_ms = now + RELAY_CLUSTER_ALIVE_REFRESH_MS;
	log_info("cluster directory up: %zu live, %zu away, %zu claimed ahead, %zu retirements "
	    "to send", d->live, d->away, d->n_pool, d->n_ret);
	fill_pool(d);
}

static void
on_down(void *arg)
{
	struct rdir *d = arg;

	log_warn("cluster directory unreachable: live sessions go on, new ones are refused "
	    "until it is back (%zu live, %zu away)", d->live, d->away);
}

static int64_t
on_timer(struct loop *l, void *arg)
{
	struct rdir *d = arg;
	uint64_t now = loop_now_ms(l);
	size_t i;

	d->claims_this_tick = 0;
	if (!redis_link_up(d->link))
		return RELAY_TICK_MS;
	if (now >= d->refresh_ms) {
		adapt_pool(d);
		refresh_all(d);
		d->refresh_ms = now + (d->draining ? RELAY_DRAIN_REFRESH_MS :
		    RELAY_CLUSTER_REFRESH_MS);
	}
	if (now >= d->alive_ms) {
		send_alive(d);
		d->alive_ms = now + RELAY_CLUSTER_ALIVE_REFRESH_MS;
	}
	for (i = 0; i < d->n_pool; i++) {
		if (!fresh(d, i, now)) {
			release(d, d->pool[i]);
			rdir_pool_remove(d, i--);
		}
	}
	fill_pool(d);
	return RELAY_TICK_MS;
}

static void
rdir_free(struct rdir *d)
{
	free(d->hash);
	free(d->away_until);
	free(d->ret);
	free(d);
}

static void *
rdir_open(const struct directory_config *cfg, int64_t now_s)
{
	struct redis_link_config lc = { .up = on_up, .down = on_down };
	unsigned char inst[8];
	char host[256];
	struct redis_url u;
	struct rdir *d;
	size_t i;

	(void)now_s;
	if (cfg->loop == NULL || cfg->cluster == NULL) {
		log_error("directory redis: needs the relay's loop and --cluster");
		return NULL;
	}
	/* never the URL itself in a message: it may hold a password */
	if (redis_url_parse(cfg->cluster, &u) != 0) {
		log_error("--cluster: not redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]");
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL) {
		redis_url_wipe(&u);
		return NULL;
	}
	/* untouched pages until numbers are held */
	if ((d->hash = calloc(NUMBERS_COUNT, sizeof(*d->hash))) == NULL ||
	    (d->away_until = calloc(NUMBERS_COUNT, sizeof(*d->away_until))) == NULL) {
		redis_url_wipe(&u);
		rdir_free(d);
		return NULL;
	}
	if (cfg->advertise == NULL) {
		if (gethostname(host, sizeof(host) - 1) != 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
	}
	if (redis_advertise_parse(cfg->advertise != NULL ? cfg->advertise : host,
	    cfg->port != 0 ? cfg->port : RELAY_PORT_DEFAULT, d->name, sizeof(d->name)) != 0) {
		log_error("--advertise %s: not NAME[:PORT]", cfg->advertise != NULL ?
		    cfg->advertise : host);
		redis_url_wipe(&u);
		rdir_free(d);
		return NULL;
	}
	randombytes_buf(inst, sizeof(inst));
	i = (size_t)snprintf(d->value, sizeof(d->value), "%s ", d->name);
	sodium_bin2hex(d->value + i, sizeof(d->value) - i, inst, sizeof(inst));
	snprintf(d->alive_key, sizeof(d->alive_key), CLUSTER_KEY_RELAY, d->name);
	d->loop = cfg->loop;
	d->pool_target = RELAY_CLUSTER_POOL;
	lc.host = u.host;
	lc.port = u.port;
	lc.db = u.db;
	lc.user = u.user;
	lc.password = cfg->cluster_password != NULL ? cfg->cluster_password : u.password;
	lc.loop = cfg->loop;
	lc.arg = d;
	if ((d->timer = loop_timer_add(cfg->loop, RELAY_TICK_MS, on_timer, d)) < 0 ||
	    (d->link = redis_link_new(&lc)) == NULL) {
		if (d->timer > 0)
			loop_timer_del(cfg->loop, d->timer);
		redis_url_wipe(&u);
		rdir_free(d);
		return NULL;
	}
	log_info("cluster directory redis://%s:%u/%u as %s (instance %s)", u.host, u.port, u.db,
	    d->name, d->value + i);
	redis_url_wipe(&u);
	return d;
}

static void
rdir_close(void *state)
{
	struct rdir *d = state;
	char relays[KEY_MAX];
	const char *args[] = { d->alive_key, relays, d->value, d->name };

	if (d == NULL)
		return;
	/* Last words: retirements, the pool back, this relay gone. Numbers
	 * still held (away) stay: their leases run out, their tickets work
	 * on the other relays for the grace, their cool-downs run. */
	if (redis_link_up(d->link)) {
		(void)send_retirements(d, (int64_t)time(NULL));
		while (d->n_pool > 0)
			release(d, d->pool[--d->n_pool]);
		snprintf(relays, sizeof(relays), CLUSTER_KEY_RELAYS);
		(void)rdir_eval(d, NULL, NULL, CLUSTER_LUA_GONE, 2, 4, args);
		/* answers that come now are for no one: the relay is gone */
		d->closing = true;
		redis_link_flush(d->link, RELAY_CLUSTER_SHUTDOWN_FLUSH_MS);
	}
	if (d->n_ret > 0)
		log_warn("cluster directory: %zu retirements never reached redis (their "
		    "cool-downs run from their last refresh)", d->n_ret);
	if (d->live + d->away > 0)
		log_info("cluster directory: %zu numbers left held; resumable on the other "
		    "relays for %lld s", d->live + d->away, (long long)GRACE_S);
	d->closing = true;
	loop_timer_del(d->loop, d->timer);
	redis_link_free(d->link);
	rdir_free(d);
}

static int
rdir_alloc(void *state, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN], uint32_t *number)
{
	struct rdir *d = state;
	uint64_t now = loop_now_ms(d->loop);
	size_t i;

	(void)now_s;
	*number = 0;
	if (!redis_link_up(d->link) || d->draining)
		return ERR_AGAIN;
	while (d->n_pool > 0) {
		i = d->n_pool - 1;
		if (fresh(d, i, now)) {
			*number = d->pool[i];
			d->n_pool--;
			d->held[INDEX(*number)] = H_LIVE;
			memcpy(d->hash[INDEX(*number)], hash, TICKET_HASH_LEN);
			d->live++;
			/* its ticket into Redis now: the session may move before the refresh */
			(void)hold_one(d, *number);
			fill_pool(d);
			return 0;
		}
		release(d, d->pool[i]);
		d->n_pool--;
	}
	/* a burst: claim more ahead from now on */
	d->pool_missed = true;
	d->pool_target = d->pool_target * 2 > RELAY_CLUSTER_POOL_MAX ? RELAY_CLUSTER_POOL_MAX :
	    d->pool_target * 2;
	fill_pool(d);
	return ERR_AGAIN;
}

static void
rdir_retire(void *state, uint32_t number, int64_t now_s)
{
	struct rdir *d = state;
	struct retiring *t;
	enum held h;
	size_t cap;

	BUG_ON(number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX);
	h = d->held[INDEX(number)];
	if (h != H_LIVE && h != H_AWAY)
		return;
	if (h == H_LIVE)
		d->live--;
	else
		d->away--;
	d->held[INDEX(number)] = H_RETIRING;
	if (d->n_ret == d->cap_ret) {
		cap = d->cap_ret == 0 ? 64 : d->cap_ret * 2;
		if ((t = realloc(d->ret, cap * sizeof(*t))) == NULL) {
			/* its lease lapses and its cool-down runs from the last refresh */
			log_error("cluster directory: out of memory, number %05u not retired",
			    number);
			d->held[INDEX(number)] = H_FREE;
			return;
		}
		d->ret = t;
		d->cap_ret = cap;
	}
	t = &d->ret[d->n_ret++];
	*t = (struct retiring){ .number = number, .at_s = now_s };
	/* at once, not on the next save: its ticket must stop working now
	 * (what cannot go now goes with the next save) */
	if (redis_link_up(d->link) && now_s - t->at_s < RELAY_RETIRE_COOLDOWN_S)
		(void)send_retirement(d, t, RELAY_RETIRE_COOLDOWN_S - (now_s - t->at_s));
}

static void
rdir_away(void *state, uint32_t number, int64_t now_s)
{
	struct rdir *d = state;

	BUG_ON(number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX);
	if (d->held[INDEX(number)] != H_LIVE)
		return;
	d->held[INDEX(number)] = H_AWAY;
	d->away_until[INDEX(number)] = now_s + GRACE_S;
	d->live--;
	d->away++;
}

static size_t
rdir_held_count(const void *state)
{
	const struct rdir *d = state;

	return d->live + d->away;
}

/* Retire the away numbers whose grace is over. */
static void
expire(struct rdir *d, int64_t now_s)
{
	size_t i;

	for (i = 0; i < NUMBERS_COUNT && d->away > 0; i++)
		if (d->held[i] == H_AWAY && now_s >= d->away_until[i])
			rdir_retire(d, (uint32_t)(i + SESSION_NUMBER_MIN), d->away_until[i]);
}

static int
rdir_save(void *state, int64_t now_s)
{
	struct rdir *d = state;

	expire(d, now_s);
	return redis_link_up(d->link) ? send_retirements(d, now_s) : 0;
}

static void
rdir_drain(void *state)
{
	struct rdir *d = state;

	if (d->draining)
		return;
	d->draining = true;
	while (d->n_pool > 0)
		release(d, d->pool[--d->n_pool]);
	if (redis_link_up(d->link)) {
		send_alive(d);
		d->alive_ms = loop_now_ms(d->loop) + RELAY_CLUSTER_ALIVE_REFRESH_MS;
	}
	d->refresh_ms = loop_now_ms(d->loop) + RELAY_DRAIN_REFRESH_MS;
}

static const char *
rdir_elsewhere(void *state)
{
	struct rdir *d = state;

	if (d->n_peers == 0)
		return NULL;
	return d->peers[randombytes_uniform((uint32_t)d->n_peers)];
}

static void
rdir_on_moved(void *state, directory_moved_fn *fn, void *arg)
{
	struct rdir *d = state;

	d->moved = fn;
	d->moved_arg = arg;
}

/* Registered in directory.c. */
extern const struct directory_ops directory_redis;
const struct directory_ops directory_redis = {
	.name = "redis",
	.open = rdir_open,
	.close = rdir_close,
	.alloc = rdir_alloc,
	.retire = rdir_retire,
	.away = rdir_away,
	.resume = rdir_resume,
	.held_count = rdir_held_count,
	.save = rdir_save,
	.here = rdir_here,
	.lookup = rdir_lookup,
	.drain = rdir_drain,
	.elsewhere = rdir_elsewhere,
	.on_moved = rdir_on_moved,
};
