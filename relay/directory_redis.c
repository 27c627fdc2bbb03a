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
#include "limits.h"
#include "log.h"
#include "loop.h"
#include "redis_link.h"
#include "redis_url.h"

#define NUMBERS_COUNT (SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1)
#define INDEX(n) ((n) - SESSION_NUMBER_MIN)

enum {
	KEY_MAX = sizeof(CLUSTER_KEY_PREFIX) + 16 + RELAY_CLUSTER_NAME_MAX,
	VALUE_MAX = RELAY_CLUSTER_NAME_MAX + 1 + 32 + 1,       /* "NAME:PORT INSTANCE" */
	/* EVAL script numkeys, then at most a claim's keys and three ARGV */
	EVAL_ARGS_MAX = 3 + 2 * RELAY_CLUSTER_CLAIM_CANDIDATES + 3,
	CANDIDATE_TRIES = 64,           /* random picks per candidate before giving up */
};

/* What this relay holds of a number. */
enum held { H_FREE, H_POOL, H_LIVE, H_RETIRING };

struct retiring {
	uint32_t number;
	int64_t at_s;                   /* the cool-down runs from here */
	bool sent;                      /* out to Redis, reply owed */
};

struct rdir {
	struct loop *loop;
	struct redis_link *link;
	char name[RELAY_CLUSTER_NAME_MAX + 1];  /* NAME:PORT */
	char value[VALUE_MAX];                  /* NAME:PORT INSTANCE */
	char alive_key[KEY_MAX];
	uint8_t held[NUMBERS_COUNT];            /* enum held */
	uint32_t pool[RELAY_CLUSTER_POOL_MAX];
	uint64_t pool_ms[RELAY_CLUSTER_POOL_MAX];       /* when its lease was last asked for */
	size_t n_pool, claiming, live;
	size_t pool_target;                     /* RELAY_CLUSTER_POOL.._MAX */
	bool pool_missed;                       /* a HELLO found it empty since the last refresh */
	struct retiring *ret;
	size_t n_ret, cap_ret;
	uint64_t fill_after_ms;                 /* no new claims before (re-claims go first) */
	uint64_t refresh_ms, alive_ms;          /* next due */
	unsigned claims_this_tick;
	bool had_link;
	bool closing;                           /* replies are only freed */
	int64_t timer;
	struct log_rl rl_err, rl_lost;
};

/* A reply's context: which number(s), and when it was asked. */
struct ask {
	struct rdir *d;
	uint64_t sent_ms;
	uint32_t number;
	uint32_t cand[RELAY_CLUSTER_CLAIM_CANDIDATES];
	unsigned n_cand;
	directory_lookup_fn *fn;
	void *arg;
};

static void fill_pool(struct rdir *d);

/* EVAL script with nkeys keys, then the other args. */
static int
eval(struct rdir *d, redis_reply_fn *fn, void *arg, const char *script, int nkeys, int argc,
    const char **args)
{
	const char *v[EVAL_ARGS_MAX];
	size_t lens[EVAL_ARGS_MAX];
	char nk[16];
	int i, n = 0;

	BUG_ON(argc + 3 > EVAL_ARGS_MAX);
	snprintf(nk, sizeof(nk), "%d", nkeys);
	v[n++] = "EVAL";
	v[n++] = script;
	v[n++] = nk;
	for (i = 0; i < argc; i++)
		v[n++] = args[i];
	for (i = 0; i < n; i++)
		lens[i] = strlen(v[i]);
	return redis_link_cmd(d->link, fn, arg, n, v, lens);
}

static struct ask *
ask_new(struct rdir *d, uint32_t number)
{
	struct ask *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->d = d;
	a->number = number;
	a->sent_ms = loop_now_ms(d->loop);
	return a;
}

/* An error reply is Redis refusing us (a script error, out of memory):
 * worth a log line, rate-limited. */
static void
reply_error(struct rdir *d, const char *what, const redisReply *r)
{
	if (r != NULL && r->type == REDIS_REPLY_ERROR)
		log_rl(&d->rl_err, LOG_ERROR, "redis: %s: %s", what, r->str);
}

static void
pool_remove(struct rdir *d, size_t i)
{
	d->pool[i] = d->pool[--d->n_pool];
	d->pool_ms[i] = d->pool_ms[d->n_pool];
}

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
	(void)eval(d, NULL, NULL, CLUSTER_LUA_RELEASE, 2, 3, args);
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
	reply_error(d, "claim", r);
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

	if ((a = ask_new(d, 0)) == NULL)
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
	if ((r = eval(d, on_claim, a, CLUSTER_LUA_CLAIM, (int)(2 * a->n_cand), argc, args)) != 0) {
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
	while (!d->closing && redis_link_up(d->link) && loop_now_ms(d->loop) >= d->fill_after_ms &&
	    d->n_pool + d->claiming < d->pool_target &&
	    d->claims_this_tick < RELAY_CLUSTER_CLAIMS_PER_TICK) {
		if (send_claim(d) != 0)
			break;
		d->claims_this_tick++;
	}
}

static void
on_hold(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	uint32_t n = a->number;
	enum held h = d->held[INDEX(n)];
	size_t i;

	if (d->closing || r == NULL || (h != H_POOL && h != H_LIVE)) {
		free(a);
		return;
	}
	if (r->type == REDIS_REPLY_INTEGER) {
		/* a restarted Redis: worth saying for a live session's number */
		if (r->integer == 2 && h == H_LIVE)
			log_rl(&d->rl_lost, LOG_WARN, "redis had lost live number %05u: claimed "
			    "again", n);
		else if (r->integer == 2)
			log_debug("redis had lost number %05u (claimed ahead): claimed again", n);
		for (i = 0; i < d->n_pool; i++)
			if (d->pool[i] == n)
				d->pool_ms[i] = a->sent_ms;
	} else if (r->type == REDIS_REPLY_STRING) {
		/* Another relay claimed it while Redis had lost ours. */
		if (h == H_LIVE) {
			log_error("number %05u is live here but relay '%.*s' holds it now: two "
			    "sessions share one number until one ends", n, (int)r->len, r->str);
		} else {
			for (i = 0; i < d->n_pool; i++)
				if (d->pool[i] == n)
					pool_remove(d, i);
			d->held[INDEX(n)] = H_FREE;
		}
	}
	reply_error(d, "refresh", r);
	free(a);
}

/* Renew every number held (re-claiming what Redis lost). */
static void
refresh_all(struct rdir *d)
{
	char num[KEY_MAX], ret[KEY_MAX], lease[16], cool[16];
	const char *args[] = { num, ret, d->value, lease, cool };
	struct ask *a;
	size_t i;

	snprintf(lease, sizeof(lease), "%d", RELAY_CLUSTER_LEASE_S);
	snprintf(cool, sizeof(cool), "%d", RELAY_RETIRE_COOLDOWN_S);
	for (i = 0; i < NUMBERS_COUNT; i++) {
		if (d->held[i] != H_POOL && d->held[i] != H_LIVE)
			continue;
		if ((a = ask_new(d, (uint32_t)(i + SESSION_NUMBER_MIN))) == NULL)
			return;
		snprintf(num, sizeof(num), CLUSTER_KEY_NUM, a->number);
		snprintf(ret, sizeof(ret), CLUSTER_KEY_RETIRED, a->number);
		if (eval(d, on_hold, a, CLUSTER_LUA_HOLD, 2, 5, args) != 0) {
			free(a);
			return;
		}
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

	if (d->closing || r == NULL)
		return;
	if (r->type == REDIS_REPLY_STRING && strcmp(r->str, d->value) != 0)
		log_warn("another relay process advertised %s until now ('%s'): a restart, or "
		    "two relays with one --advertise", d->name, r->str);
	reply_error(d, "liveness record", r);
}

static void
send_alive(struct rdir *d)
{
	char secs[16];
	const char *args[] = { d->alive_key, d->value, secs };

	snprintf(secs, sizeof(secs), "%d", RELAY_CLUSTER_ALIVE_S);
	(void)eval(d, on_alive, d, CLUSTER_LUA_ALIVE, 1, 3, args);
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
on_retire(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	struct retiring *t;

	if (!d->closing && (t = find_retiring(d, a->number)) != NULL) {
		if (r != NULL && r->type == REDIS_REPLY_INTEGER) {
			d->held[INDEX(t->number)] = H_FREE;
			*t = d->ret[--d->n_ret];
		} else {
			t->sent = false;        /* again on the next save */
		}
	}
	if (!d->closing)
		reply_error(d, "retire", r);
	free(a);
}

static int
send_retirements(struct rdir *d, int64_t now_s)
{
	char num[KEY_MAX], ret[KEY_MAX], left[24];
	const char *args[] = { num, ret, d->value, left };
	struct retiring *t;
	struct ask *a;
	int64_t secs;
	size_t i;

	for (i = 0; i < d->n_ret && redis_link_up(d->link); i++) {
		t = &d->ret[i];
		if (t->sent)
			continue;
		secs = RELAY_RETIRE_COOLDOWN_S - (now_s - t->at_s);
		if (secs <= 0) {                /* cooled down while Redis was away */
			d->held[INDEX(t->number)] = H_FREE;
			*t = d->ret[--d->n_ret];
			i--;
			continue;
		}
		if ((a = ask_new(d, t->number)) == NULL)
			return ERR_NOMEM;
		snprintf(num, sizeof(num), CLUSTER_KEY_NUM, t->number);
		snprintf(ret, sizeof(ret), CLUSTER_KEY_RETIRED, t->number);
		snprintf(left, sizeof(left), "%lld", (long long)secs);
		if (eval(d, on_retire, a, CLUSTER_LUA_RETIRE, 2, 4, args) != 0) {
			free(a);
			return ERR_AGAIN;
		}
		t->sent = true;
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
	d->refresh_ms = now + RELAY_CLUSTER_REFRESH_MS;
	d->alive_ms = now + RELAY_CLUSTER_ALIVE_REFRESH_MS;
	log_info("cluster directory up: %zu live, %zu claimed ahead, %zu retirements to send",
	    d->live, d->n_pool, d->n_ret);
	fill_pool(d);
}

static void
on_down(void *arg)
{
	struct rdir *d = arg;

	log_warn("cluster directory unreachable: live sessions go on, new ones are refused "
	    "until it is back (%zu live)", d->live);
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
		d->refresh_ms = now + RELAY_CLUSTER_REFRESH_MS;
	}
	if (now >= d->alive_ms) {
		send_alive(d);
		d->alive_ms = now + RELAY_CLUSTER_ALIVE_REFRESH_MS;
	}
	for (i = 0; i < d->n_pool; i++) {
		if (!fresh(d, i, now)) {
			release(d, d->pool[i]);
			pool_remove(d, i--);
		}
	}
	fill_pool(d);
	return RELAY_TICK_MS;
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
	if (redis_url_parse(cfg->cluster, &u) != 0) {
		log_error("--cluster %s: not redis://HOST[:PORT][/DB]", cfg->cluster);
		return NULL;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if (cfg->advertise == NULL) {
		if (gethostname(host, sizeof(host) - 1) != 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
	}
	if (redis_advertise_parse(cfg->advertise != NULL ? cfg->advertise : host,
	    cfg->port != 0 ? cfg->port : RELAY_PORT_DEFAULT, d->name, sizeof(d->name)) != 0) {
		log_error("--advertise %s: not NAME[:PORT]", cfg->advertise != NULL ?
		    cfg->advertise : host);
		free(d);
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
	lc.loop = cfg->loop;
	lc.arg = d;
	if ((d->timer = loop_timer_add(cfg->loop, RELAY_TICK_MS, on_timer, d)) < 0 ||
	    (d->link = redis_link_new(&lc)) == NULL) {
		if (d->timer > 0)
			loop_timer_del(cfg->loop, d->timer);
		free(d);
		return NULL;
	}
	log_info("cluster directory redis://%s:%u/%u as %s (instance %s)", u.host, u.port, u.db,
	    d->name, d->value + i);
	return d;
}

static void
rdir_close(void *state)
{
	struct rdir *d = state;
	char empty[KEY_MAX];
	const char *args[] = { d->alive_key, empty, d->value };

	if (d == NULL)
		return;
	/* Last words: retirements, the pool back, this relay gone. */
	if (redis_link_up(d->link)) {
		(void)send_retirements(d, (int64_t)time(NULL));
		while (d->n_pool > 0)
			release(d, d->pool[--d->n_pool]);
		snprintf(empty, sizeof(empty), CLUSTER_KEY_PREFIX "none");
		(void)eval(d, NULL, NULL, CLUSTER_LUA_RELEASE, 2, 3, args);
		redis_link_flush(d->link, RELAY_CLUSTER_SHUTDOWN_FLUSH_MS);
	}
	if (d->n_ret > 0)
		log_warn("cluster directory: %zu retirements never reached redis (their "
		    "cool-downs run from their last refresh)", d->n_ret);
	d->closing = true;
	loop_timer_del(d->loop, d->timer);
	redis_link_free(d->link);
	free(d->ret);
	free(d);
}

static int
rdir_alloc(void *state, int64_t now_s, uint32_t *number)
{
	struct rdir *d = state;
	uint64_t now = loop_now_ms(d->loop);
	size_t i;

	(void)now_s;
	*number = 0;
	if (!redis_link_up(d->link))
		return ERR_AGAIN;
	while (d->n_pool > 0) {
		i = d->n_pool - 1;
		if (fresh(d, i, now)) {
			*number = d->pool[i];
			d->n_pool--;
			d->held[INDEX(*number)] = H_LIVE;
			d->live++;
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
	size_t cap;

	BUG_ON(number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX);
	if (d->held[INDEX(number)] != H_LIVE)
		return;
	d->live--;
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
	d->ret[d->n_ret++] = (struct retiring){ .number = number, .at_s = now_s };
}

static size_t
rdir_live_count(const void *state)
{
	const struct rdir *d = state;

	return d->live;
}

static int
rdir_save(void *state, int64_t now_s)
{
	struct rdir *d = state;

	return redis_link_up(d->link) ? send_retirements(d, now_s) : 0;
}

static void
on_lookup(void *arg, redisReply *r)
{
	struct ask *a = arg;
	struct rdir *d = a->d;
	char holder[VALUE_MAX];
	const char *sp;

	if (d->closing) {
		free(a);
		return;
	}
	if (r == NULL || r->type != REDIS_REPLY_STRING) {
		reply_error(d, "lookup", r);
		a->fn(a->arg, a->number, NULL);
	} else if (strcmp(r->str, d->value) == 0) {
		a->fn(a->arg, a->number, "");
	} else {
		snprintf(holder, sizeof(holder), "%s", r->str);
		if ((sp = strchr(holder, ' ')) != NULL)
			holder[sp - holder] = '\0';
		a->fn(a->arg, a->number, holder);
	}
	free(a);
}

static int
rdir_lookup(void *state, uint32_t number, directory_lookup_fn *fn, void *arg)
{
	struct rdir *d = state;
	char key[KEY_MAX];
	const char *argv[] = { "GET", key };
	size_t lens[2];
	struct ask *a;
	int r;

	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX) {
		fn(arg, number, NULL);
		return 0;
	}
	if ((a = ask_new(d, number)) == NULL)
		return ERR_NOMEM;
	a->fn = fn;
	a->arg = arg;
	snprintf(key, sizeof(key), CLUSTER_KEY_NUM, number);
	lens[0] = 3;
	lens[1] = strlen(key);
	if ((r = redis_link_cmd(d->link, on_lookup, a, 2, argv, lens)) != 0)
		free(a);
	return r;
}

/* Registered in directory.c. */
extern const struct directory_ops directory_redis;
const struct directory_ops directory_redis = {
	.name = "redis",
	.open = rdir_open,
	.close = rdir_close,
	.alloc = rdir_alloc,
	.retire = rdir_retire,
	.live_count = rdir_live_count,
	.save = rdir_save,
	.lookup = rdir_lookup,
};
