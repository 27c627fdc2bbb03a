/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_link.c - a self-mending connection to Redis on the relay's loop
 * (the contract is in redis_link.h). One timer, every RELAY_TICK_MS,
 * starts the next attempt after the back-off and drops a connection that
 * takes too long to come up or to answer; everything else happens in
 * hiredis's callbacks. A connection is up once SELECT answered (AUTH,
 * when there is a password, goes out before it on the same connection).
 */
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <sodium.h>

#include "clock.h"
#include "limits.h"
#include "log.h"
#include "loop.h"
#include "redis_link.h"
#include "redis_loop.h"

enum link_state { LINK_DOWN, LINK_CONNECTING, LINK_UP };

struct redis_link {
	struct redis_link_config cfg;   /* cfg.host, .user, .password point here */
	char host[NI_MAXHOST];
	char user[RELAY_CLUSTER_USER_MAX + 1];
	char password[RELAY_CLUSTER_PASSWORD_MAX + 1];  /* "": no AUTH; wiped at the end */
	char ip[NI_MAXHOST];            /* host, resolved once */
	redisAsyncContext *ac;          /* NULL when down */
	enum link_state state;
	uint64_t started_ms;            /* this attempt's start */
	uint64_t retry_ms;              /* when down: the next attempt */
	uint64_t backoff_ms;
	uint64_t progress_ms;           /* the last reply, or the first owed one's sending */
	size_t owed;                    /* replies owed on ac */
	int64_t timer;
	bool freeing;
	bool told_auth;                 /* a password problem is logged for this outage */
	struct log_rl rl_log;
};

/* One command's reply, routed back to its owner. */
struct pending {
	struct redis_link *rl;
	redisAsyncContext *ac;          /* the connection it went out on */
	redis_reply_fn *fn;
	void *arg;
};

static void connect_now(struct redis_link *rl);

static void
schedule_retry(struct redis_link *rl)
{
	uint64_t now = loop_now_ms(rl->cfg.loop);

	rl->retry_ms = now + rl->backoff_ms;
	rl->backoff_ms = rl->backoff_ms * 2 > RELAY_CLUSTER_BACKOFF_MAX_MS ?
	    RELAY_CLUSTER_BACKOFF_MAX_MS : rl->backoff_ms * 2;
}

/* Give up on the connection we have (whatever its state) and try later. */
static void
drop(struct redis_link *rl, const char *why)
{
	redisAsyncContext *ac = rl->ac;
	bool was_up = rl->state == LINK_UP;

	log_rl(&rl->rl_log, LOG_WARN, "redis %s:%u: %s; retrying in %llu ms", rl->cfg.host,
	    rl->cfg.port, why, (unsigned long long)rl->backoff_ms);
	rl->ac = NULL;
	rl->state = LINK_DOWN;
	rl->owed = 0;
	schedule_retry(rl);
	/* owed replies come as NULL now (or right after the running callback) */
	if (ac != NULL)
		redisAsyncFree(ac);
	if (was_up && rl->cfg.down != NULL)
		rl->cfg.down(rl->cfg.arg);
}

static void
on_reply(redisAsyncContext *ac, void *reply, void *priv)
{
	struct pending *p = priv;
	struct redis_link *rl = p->rl;

	if (ac == rl->ac) {
		rl->owed--;
		rl->progress_ms = loop_now_ms(rl->cfg.loop);
	}
	if (p->fn != NULL)
		p->fn(p->arg, reply);
	free(p);
}

static int
send_cmd(struct redis_link *rl, redis_reply_fn *fn, void *arg, int argc, const char **argv,
    const size_t *lens)
{
	struct pending *p;

	if ((p = malloc(sizeof(*p))) == NULL)
		return ERR_NOMEM;
	p->rl = rl;
	p->ac = rl->ac;
	p->fn = fn;
	p->arg = arg;
	if (redisAsyncCommandArgv(rl->ac, on_reply, p, argc, argv, lens) != REDIS_OK) {
		free(p);
		return ERR_NOMEM;
	}
	if (rl->owed++ == 0)
		rl->progress_ms = loop_now_ms(rl->cfg.loop);
	return 0;
}

int
redis_link_cmd(struct redis_link *rl, redis_reply_fn *fn, void *arg, int argc, const char **argv,
    const size_t *lens)
{
	if (rl->state != LINK_UP)
		return ERR_AGAIN;
	return send_cmd(rl, fn, arg, argc, argv, lens);
}

/* A password problem, once per outage: the retries that follow say only
 * "password refused" or Redis's NOAUTH. Redis's own words never hold the
 * password (nor does this line). */
static void
tell_auth(struct redis_link *rl, const char *what, const redisReply *r)
{
	char esc[4 * LOG_ESCAPE_MAX + 4];

	if (rl->told_auth)
		return;
	rl->told_auth = true;
	log_error("cluster directory: %s (redis %s:%u: %s)", what, rl->cfg.host, rl->cfg.port,
	    r->type == REDIS_REPLY_ERROR ? log_escape(esc, sizeof(esc), r->str, r->len) :
	    "no error text");
}

/* AUTH's answer: refused, the connection failed (SELECT after it needs
 * it, so it is dropped here; SELECT's own answer then comes as NULL). */
static void
on_auth(void *arg, redisReply *r)
{
	struct redis_link *rl = arg;

	if (r == NULL || rl->state != LINK_CONNECTING || r->type == REDIS_REPLY_STATUS)
		return;
	tell_auth(rl, "Redis refused the password", r);
	drop(rl, "password refused");
}

/* SELECT's answer: the link is up, or the database is refused. */
static void
on_select(void *arg, redisReply *r)
{
	struct redis_link *rl = arg;

	if (r == NULL || rl->state != LINK_CONNECTING)
		return;
	if (r->type != REDIS_REPLY_STATUS) {
		/* hiredis 0.14 has no error codes: Redis's reply starts with its own */
		if (r->type == REDIS_REPLY_ERROR && rl->password[0] == '\0' &&
		    strncmp(r->str, "NOAUTH", 6) == 0)
			tell_auth(rl, "Redis wants a password (redis://:PASSWORD@HOST in "
			    "--cluster, or --cluster-password-file)", r);
		drop(rl, r->type == REDIS_REPLY_ERROR ? r->str : "SELECT failed");
		return;
	}
	log_info("redis %s:%u: connected (database %u%s)", rl->cfg.host, rl->cfg.port,
	    rl->cfg.db, rl->password[0] != '\0' ? ", password accepted" : "");
	rl->state = LINK_UP;
	rl->told_auth = false;
	rl->backoff_ms = RELAY_CLUSTER_BACKOFF_MIN_MS;
	if (rl->cfg.up != NULL)
		rl->cfg.up(rl->cfg.arg);
}

static void
on_connect(const redisAsyncContext *ac, int status)
{
	struct redis_link *rl = ac->data;

	if (status == REDIS_OK || ac != rl->ac)
		return;
	/* hiredis frees ac when this returns */
	rl->ac = NULL;
	drop(rl, ac->errstr[0] != '\0' ? ac->errstr : "cannot connect");
}

static void
on_disconnect(const redisAsyncContext *ac, int status)
{
	struct redis_link *rl = ac->data;

	(void)status;
	if (ac != rl->ac || rl->freeing)
		return;
	/* hiredis frees ac when this returns */
	rl->ac = NULL;
	drop(rl, ac->errstr[0] != '\0' ? ac->errstr : "connection closed");
}

/* AUTH [USER] PASSWORD, the first command on a new connection. */
static int
send_auth(struct redis_link *rl)
{
	const char *argv[] = { "AUTH", rl->user, rl->password };
	size_t lens[] = { 4, strlen(rl->user), strlen(rl->password) };

	if (rl->password[0] == '\0')
		return 0;
	if (rl->user[0] == '\0') {
		argv[1] = argv[2];
		lens[1] = lens[2];
		return send_cmd(rl, on_auth, rl, 2, argv, lens);
	}
	return send_cmd(rl, on_auth, rl, 3, argv, lens);
}

static void
connect_now(struct redis_link *rl)
{
	char db[16];
	const char *argv[] = { "SELECT", db };
	size_t lens[2];
	redisAsyncContext *ac;

	snprintf(db, sizeof(db), "%u", rl->cfg.db);
	lens[0] = strlen(argv[0]);
	lens[1] = strlen(db);
	rl->started_ms = loop_now_ms(rl->cfg.loop);
	if ((ac = redisAsyncConnect(rl->ip, rl->cfg.port)) == NULL) {
		schedule_retry(rl);
		return;
	}
	if (ac->err != 0) {
		log_rl(&rl->rl_log, LOG_WARN, "redis %s:%u: %s", rl->cfg.host, rl->cfg.port,
		    ac->errstr);
		redisAsyncFree(ac);
		schedule_retry(rl);
		return;
	}
	ac->data = rl;
	rl->ac = ac;
	rl->owed = 0;
	rl->state = LINK_CONNECTING;
	if (redis_loop_attach(rl->cfg.loop, ac) != 0 ||
	    redisAsyncSetConnectCallback(ac, on_connect) != REDIS_OK ||
	    redisAsyncSetDisconnectCallback(ac, on_disconnect) != REDIS_OK ||
	    send_auth(rl) != 0 ||       /* the first command starts the connect */
	    send_cmd(rl, on_select, rl, 2, argv, lens) != 0)
		drop(rl, "out of memory");
}

static int64_t
on_timer(struct loop *l, void *arg)
{
	struct redis_link *rl = arg;
	uint64_t now = loop_now_ms(l);

	switch (rl->state) {
	case LINK_DOWN:
		if (now >= rl->retry_ms)
			connect_now(rl);
		break;
	case LINK_CONNECTING:
		if (now - rl->started_ms >= RELAY_CLUSTER_CONNECT_TIMEOUT_MS)
			drop(rl, "no connection in time");
		break;
	case LINK_UP:
		if (rl->owed > 0 && now - rl->progress_ms >= RELAY_CLUSTER_REPLY_TIMEOUT_MS)
			drop(rl, "no reply in time");
		break;
	}
	return RELAY_TICK_MS;
}

/* The numeric address, so that reconnecting never waits on DNS. */
static int
resolve(struct redis_link *rl)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	int r;

	if ((r = getaddrinfo(rl->cfg.host, NULL, &hints, &res)) != 0) {
		log_error("redis %s: %s", rl->cfg.host, gai_strerror(r));
		return ERR_FORMAT;
	}
	r = getnameinfo(res->ai_addr, res->ai_addrlen, rl->ip, sizeof(rl->ip), NULL, 0,
	    NI_NUMERICHOST);
	freeaddrinfo(res);
	if (r != 0) {
		log_error("redis %s: %s", rl->cfg.host, gai_strerror(r));
		return ERR_FORMAT;
	}
	return 0;
}

struct redis_link *
redis_link_new(const struct redis_link_config *cfg)
{
	struct redis_link *rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	rl->cfg = *cfg;
	snprintf(rl->host, sizeof(rl->host), "%s", cfg->host);
	rl->cfg.host = rl->host;
	rl->cfg.user = rl->user;
	rl->cfg.password = rl->password;
	if ((cfg->user != NULL && strlen(cfg->user) >= sizeof(rl->user)) ||
	    (cfg->password != NULL && strlen(cfg->password) >= sizeof(rl->password))) {
		log_error("redis %s: user or password too long", rl->host);
		free(rl);
		return NULL;
	}
	if (cfg->password != NULL) {
		memcpy(rl->password, cfg->password, strlen(cfg->password));
		if (cfg->user != NULL)
			memcpy(rl->user, cfg->user, strlen(cfg->user));
	}
	rl->backoff_ms = RELAY_CLUSTER_BACKOFF_MIN_MS;
	if (resolve(rl) != 0 || (rl->timer = loop_timer_add(cfg->loop, RELAY_TICK_MS, on_timer,
	    rl)) < 0) {
		sodium_memzero(rl, sizeof(*rl));
		free(rl);
		return NULL;
	}
	connect_now(rl);
	return rl;
}

void
redis_link_free(struct redis_link *rl)
{
	redisAsyncContext *ac;

	if (rl == NULL)
		return;
	rl->freeing = true;
	loop_timer_del(rl->cfg.loop, rl->timer);
	if ((ac = rl->ac) != NULL) {
		rl->ac = NULL;
		redisAsyncFree(ac);
	}
	sodium_memzero(rl, sizeof(*rl));
	free(rl);
}

bool
redis_link_up(const struct redis_link *rl)
{
	return rl->state == LINK_UP;
}

size_t
redis_link_owed(const struct redis_link *rl)
{
	return rl->state == LINK_DOWN ? 0 : rl->owed;
}

void
redis_link_flush(struct redis_link *rl, int timeout_ms)
{
	uint64_t end = mono_ms() + (uint64_t)timeout_ms, now;
	struct pollfd pfd;
	int mask;

	while (rl->ac != NULL && rl->owed > 0 && (now = mono_ms()) < end) {
		pfd.fd = rl->ac->c.fd;
		mask = loop_mask(rl->cfg.loop, pfd.fd);
		pfd.events = (short)((mask & LOOP_READ ? POLLIN : 0) |
		    (mask & LOOP_WRITE ? POLLOUT : 0));
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)(end - now)) <= 0)
			break;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			redisAsyncHandleRead(rl->ac);
			if (rl->ac == NULL)
				break;
		}
		if (pfd.revents & POLLOUT)
			redisAsyncHandleWrite(rl->ac);
	}
}
