/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - one relay (the contract and the layers are in server.h): it
 * makes the loop, the connection set, the routes and the tunnels, wires
 * them together, accepts connections, runs the clocks once a tick, shuts
 * down on SIGTERM or SIGINT, drains on SIGUSR1, and reloads on SIGHUP.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "admin.h"
#include "conn.h"
#include "directory.h"
#include "limit.h"
#include "log.h"
#include "loop.h"
#include "metrics.h"
#include "net.h"
#include "route.h"
#include "server.h"
#include "tls.h"
#include "tokens.h"
#include "tunnel.h"

struct listener {
	struct server *server;
	int fd;
	bool paused;                    /* out of fds: retried on the next tick */
};

struct server {
	struct server_config cfg;
	struct loop *loop;
	struct directory *dir;
	struct limit *limit;
	struct conn_set *conns;
	struct route *route;
	struct tunnel_set *tunnels;
	struct drop *drop;              /* file drop, or NULL */
	struct listener lis[RELAY_LISTENERS_MAX];
	unsigned n_lis;
	uint16_t port;                  /* the first listener's */
	int sigfd;                      /* SIGTERM, SIGINT, SIGUSR1 and SIGHUP, or -1 */
	bool draining;
	uint64_t drain_end_ms;          /* draining: shut down at the latest then */
	struct log_rl rl_accept;
	/* reload */
	server_reread_fn *reread;       /* SIGHUP, or NULL */
	void *reread_arg;
	struct reload_hook hooks[RELAY_RELOAD_HOOKS_MAX];
	struct tokens *tokens_next;     /* a reload's first token keys, until applied */
	unsigned n_hooks;
	/* admin listener (admin.h), or NULL */
	struct admin *admin;
};

static void
refuse(int fd, uint16_t code)
{
	struct wire_hdr h = { .type = WIRE_ERROR };
	struct buf body, out;

	metrics_refusal(code);
	/* one try, no queue: the refused get none of our memory */
	buf_init(&body, 2 + 2 + WIRE_ERROR_TEXT_MAX);
	buf_init(&out, WIRE_HEADER_LEN + 2 + 2 + WIRE_ERROR_TEXT_MAX);
	if (wire_error_encode(&body, code, wire_error_str(code)) == 0 &&
	    wire_put(&out, &h, buf_ptr(&body), buf_len(&body)) == 0)
		(void)send(fd, buf_ptr(&out), buf_len(&out), MSG_NOSIGNAL | MSG_DONTWAIT);
	buf_release(&body);
	buf_release(&out);
	close(fd);
}

/* Accept one connection. false when there was none to take. */
static bool
accept_one(struct server *s, struct listener *l)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct limit_key k;
	struct conn *c;
	uint64_t unlogged;
	char peer[WIRE_ADDR_TEXT_MAX + 1];
	int fd;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
			/* level-triggered: stop asking until the next tick */
			log_rl(&s->rl_accept, LOG_WARN, "accept: %s", strerror(errno));
			loop_unwatch(s->loop, l->fd);
			l->paused = true;
		}
		return false;
	}
	net_addr_str((struct sockaddr *)&ss, peer, sizeof(peer));
	if (s->conns->count >= s->conns->max) {
		log_rl(&s->rl_accept, LOG_WARN, "refused peer=%s: %zu connections", peer,
		    s->conns->max);
		refuse(fd, WIRE_E_BUSY);
		return true;
	}
	limit_key_from((struct sockaddr *)&ss, &k);
	if (limit_conn_open(s->limit, &k, loop_now_ms(s->loop)) != 0) {
		log_rl(&s->rl_accept, LOG_INFO, "refused peer=%s: too many connections from it",
		    peer);
		refuse(fd, WIRE_E_RATE);
		return true;
	}
	net_set_nodelay(fd);
	if ((c = conn_new(s->conns, fd, (struct sockaddr *)&ss)) == NULL) {
		limit_conn_close(s->limit, &k, true);
		return true;
	}
	c->preauth_counted = true;
	c->unlogged = !limit_conn_log(s->limit, &k, loop_now_ms(s->loop), &unlogged);
	if (!c->unlogged && unlogged > 0)
		log_info("connect conn=%llu peer=%s (and %llu connections from it not logged: "
		    "more than %u a minute)", (unsigned long long)c->id, c->peer,
		    (unsigned long long)unlogged, (unsigned)RELAY_LOG_CONNS_PER_MIN);
	else if (!c->unlogged)
		log_info("connect conn=%llu peer=%s", (unsigned long long)c->id, c->peer);
	return true;
}

/* A listener is readable: take a turn's worth of connects, then the others. */
static void
on_listener(struct loop *l, int fd, void *arg, int ready)
{
	struct listener *lis = arg;
	struct server *s = lis->server;
	int k;

	(void)l;
	(void)fd;
	(void)ready;
	for (k = 0; k < LOOP_EVENTS && !s->conns->stopping && accept_one(s, lis); k++)
		;
}

static int
listen_all(struct server *s)
{
	char bound[WIRE_ADDR_TEXT_MAX + 1], why[256];
	unsigned i;
	int fd;

	for (i = 0; i < s->cfg.n_listen; i++) {
		fd = net_listen(s->cfg.listen[i], bound, sizeof(bound), why, sizeof(why));
		if (fd < 0) {
			log_error("%s", why);
			return fd;
		}
		if (i == 0 && net_split_hostport(bound, 0, why, sizeof(why), &s->port) != 0)
			s->port = 0;
		s->lis[i].fd = fd;
		s->lis[i].server = s;
		s->n_lis++;
		if (loop_watch(s->loop, fd, LOOP_READ, on_listener, &s->lis[i]) != 0) {
			log_error("epoll_ctl: %s", strerror(errno));
			return ERR_SYSTEM;
		}
		printf("listening=%s\n", bound);
		fflush(stdout);
		log_info("listening on %s", bound);
	}
	return 0;
}

static void
resume_listeners(struct server *s)
{
	unsigned i;

	for (i = 0; i < s->n_lis; i++) {
		if (!s->lis[i].paused)
			continue;
		if (loop_watch(s->loop, s->lis[i].fd, LOOP_READ, on_listener, &s->lis[i]) == 0)
			s->lis[i].paused = false;
	}
}

/* New sessions per address and minute: 0 in cfg is the default. */
static unsigned
sessions_per_min(const struct server_config *cfg)
{
	return cfg->sessions_per_min != 0 ? cfg->sessions_per_min : RELAY_SESSION_PER_MIN;
}

static void shutdown_all(struct server *s, int signo);

/* The clocks: HELLO and idle timeouts, stalled writers, lingering closes. */
static void
tick(struct server *s)
{
	struct conn *c, *next;
	uint64_t now = loop_now_ms(s->loop);

	for (c = s->conns->all; c != NULL; c = next) {
		next = c->next;
		/* a stall counts from when output waits (a tunnel's: not yet streamed) */
		if (conn_unsent(c) == 0)
			c->tx_ms = now;
		if (c->sniff_slow) {
			c->sniff_slow = false;
			conn_touch(c);
		}
		if (c->kind == CONN_HTTP && c->state != CONN_CLOSING) {
			if (tunnel_tick(s->tunnels, c))
				continue;
		} else switch (c->state) {
		case CONN_CLOSING:
			if (now >= c->close_ms)
				conn_lost(c, c->why);
			continue;
		case CONN_PREAUTH:
			if (now - c->connected_ms >= s->cfg.hello_timeout_ms) {
				log_rl(&s->rl_accept, LOG_INFO, "conn=%llu peer=%s: no HELLO "
				    "in time", (unsigned long long)c->id, c->peer);
				conn_close(c, WIRE_E_TIMEOUT, "no HELLO");
				continue;
			}
			break;
		case CONN_MASTER:
		case CONN_VIEWER:
			if (c->paused)
				c->rx_ms = now; /* we are the ones not reading it */
			/* the idle time its WELCOME announced, whatever a reload did */
			if (now - c->rx_ms >= (c->idle_timeout_ms != 0 ? c->idle_timeout_ms :
			    s->cfg.idle_timeout_ms)) {
				conn_close(c, WIRE_E_TIMEOUT, "idle");
				continue;
			}
			break;
		}
		if (now - c->tx_ms >= RELAY_WRITE_STALL_MS) {
			log_info("evict conn=%llu peer=%s state=%s: no write progress for %d ms",
			    (unsigned long long)c->id, c->peer, conn_state_str(c->state),
			    RELAY_WRITE_STALL_MS);
			conn_close(c, WIRE_E_SLOW, "write stalled");
		}
	}
	resume_listeners(s);
	limit_gc(s->limit, now);
	if (s->drop != NULL)
		drop_sweep(s->drop, (int64_t)time(NULL), now, false);
	(void)directory_save(s->dir, (int64_t)time(NULL));
	if (s->draining && !s->conns->stopping) {
		if (directory_held_count(s->dir) == 0) {
			log_info("drained: no number held here any more");
			shutdown_all(s, 0);
		} else if (now >= s->drain_end_ms) {
			log_info("drain deadline: %zu numbers still held here",
			    directory_held_count(s->dir));
			shutdown_all(s, 0);
		}
	}
}

static int64_t
on_tick(struct loop *l, void *arg)
{
	struct server *s = arg;

	(void)l;
	conn_end_turn(s->conns);        /* what the file events queued goes first */
	tick(s);
	return RELAY_TICK_MS;
}

/* The end of every turn; once shut down and everyone is gone, the end. */
static void
before_sleep(struct loop *l, void *arg)
{
	struct server *s = arg;

	conn_end_turn(s->conns);
	admin_end_turn(s->admin);
	if (s->conns->stopping && s->conns->all == NULL)
		loop_stop(l);
}

/* SIGTERM (or a drain's end): tell everyone to reconnect, give them a
 * moment, stop. Held numbers stay held (away): their masters resume them
 * elsewhere in a cluster, or here after a restart with --state-dir. */
static void
shutdown_all(struct server *s, int signo)
{
	struct conn *c;
	unsigned i;

	if (signo != 0)
		log_info("signal %d: shutting down, %zu connections", signo, s->conns->count);
	else
		log_info("shutting down, %zu connections", s->conns->count);
	s->conns->stopping = true;
	for (i = 0; i < s->n_lis; i++) {
		loop_unwatch(s->loop, s->lis[i].fd);
		close(s->lis[i].fd);
	}
	s->n_lis = 0;
	admin_stop(s->admin);
	route_release(s->route, (int64_t)time(NULL));
	for (c = s->conns->all; c != NULL; c = c->next) {
		if (c->state == CONN_CLOSING)
			continue;
		if (c->kind == CONN_HTTP)
			tunnel_shutdown(c);
		else
			conn_restart(c, "relay shutting down");
	}
	(void)directory_save(s->dir, (int64_t)time(NULL));
}

/*
 * SIGUSR1, or the admin API's POST drain (by says which): no new sessions
 * here; every master (and its viewers) hears RESTARTING and comes back
 * elsewhere; stop once nothing is held here or at the deadline. The
 * listeners stay: they answer with REDIRECT.
 */
static void
drain(struct server *s, const char *by)
{
	if (s->draining)
		return;
	s->draining = true;
	s->drain_end_ms = loop_now_ms(s->loop) + s->cfg.drain_deadline_ms;
	log_info("%s: draining: %zu numbers held, %zu connections; stopping when none "
	    "is held, or in %u s", by, directory_held_count(s->dir), s->conns->count,
	    s->cfg.drain_deadline_ms / 1000);
	directory_drain(s->dir);
	route_drain(s->route, (int64_t)time(NULL));
}

/* SIGHUP: the settings again, through main's reread. */
static void
hangup(struct server *s)
{
	if (s->reread == NULL) {
		log_warn("signal %d: no settings to read again here", SIGHUP);
		return;
	}
	log_info("signal %d: reading the settings again", SIGHUP);
	s->reread(s->reread_arg, s);
}

/* admin API: what the relay does for it (admin.h) */

static void
admin_gauges(void *arg, struct metrics_gauges *g)
{
	struct server *s = arg;
	enum metrics_tier t;
	struct conn *c;

	route_count(s->route, &g->sessions, &g->viewers);
	for (c = s->conns->all; c != NULL; c = c->next) {
		if (c->state != CONN_CLOSING && conn_tier(c, &t))
			g->open[t]++;
		else
			g->open_other++;
	}
	g->numbers_held = directory_held_count(s->dir);
	g->draining = s->draining;
	g->drop = s->drop != NULL ? drop_stats(s->drop) : NULL;
}

static int
admin_sessions(void *arg, struct buf *out)
{
	struct server *s = arg;

	return route_sessions_json(s->route, out, (int64_t)time(NULL));
}

static bool
admin_end(void *arg, uint32_t number)
{
	struct server *s = arg;

	return route_end(s->route, number);
}

static const char *
admin_retire(void *arg, uint32_t number)
{
	struct server *s = arg;

	return route_retire(s->route, number, (int64_t)time(NULL));
}

static bool
admin_drain(void *arg)
{
	struct server *s = arg;
	bool was = s->draining;

	if (!s->conns->stopping)
		drain(s, "admin API");
	return !was;
}

static struct tokens *
admin_tokens(void *arg)
{
	struct server *s = arg;

	return s->cfg.tokens;
}

static const struct admin_ops admin_ops = {
	.gauges = admin_gauges, .sessions_json = admin_sessions, .end = admin_end,
	.retire = admin_retire, .drain = admin_drain, .tokens = admin_tokens,
};

/* SIGHUP: the admin keys file again (admin.h); its address and TLS stay. */
static int
admin_keys_check(void *arg, const struct server_config *cfg, char *why, size_t why_len)
{
	struct server *s = arg;

	return s->admin == NULL ? 0 : admin_reload_check(s->admin, cfg->admin_keys_file, why,
	    why_len);
}

static void
admin_keys_apply(void *arg, const struct server_config *cfg)
{
	struct server *s = arg;

	(void)cfg;
	if (s->admin != NULL)
		admin_reload_apply(s->admin);
}

/* SIGTERM, SIGINT, SIGUSR1 or SIGHUP came through the signalfd. */
static void
on_signal(struct loop *l, int fd, void *arg, int ready)
{
	struct signalfd_siginfo si;
	struct server *s = arg;

	(void)l;
	(void)ready;
	if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si) || s->conns->stopping)
		return;
	if (si.ssi_signo == SIGUSR1)
		drain(s, "SIGUSR1");
	else if (si.ssi_signo == SIGHUP)
		hangup(s);
	else
		shutdown_all(s, (int)si.ssi_signo);
}

/* SIGTERM, SIGINT, SIGUSR1 and SIGHUP arrive through a signalfd, as file events. */
static int
watch_signals(struct server *s)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0) {
		log_error("sigprocmask: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	/* blocked, and not ignored: a shell may start us with SIGINT ignored,
	 * and an ignored signal never reaches the signalfd */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGUSR1, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	if ((s->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		log_error("signalfd: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	if (loop_watch(s->loop, s->sigfd, LOOP_READ, on_signal, s) != 0) {
		log_error("epoll_ctl: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	return 0;
}

/* Make the layers, bottom up, and tell the connections who serves what. */
static int
wire_up(struct server *s)
{
	const struct server_config *cfg = &s->cfg;
	struct directory_config dcfg = { .state_dir = cfg->state_dir, .loop = s->loop,
		.cluster = cfg->cluster, .cluster_password = cfg->cluster_password,
		.advertise = cfg->advertise, .port = s->port };
	struct route_config rcfg = {
		.body_max = cfg->body_max,
		.max_viewers = cfg->max_viewers,
		.idle_timeout_ms = cfg->idle_timeout_ms,
		.tokens = cfg->tokens_required ? cfg->tokens : NULL,
	};
	struct tunnel_config tcfg = {
		.hello_timeout_ms = cfg->hello_timeout_ms,
		.idle_timeout_ms = cfg->idle_timeout_ms,
	};

	/* file drop: its key signs WELCOME's grants */
	if (cfg->drop.dir != NULL) {
		struct reload_hook limits = { .check = drop_reload_check,
			.apply = drop_reload_apply };

		if ((s->drop = drop_new(&cfg->drop, cfg->state_dir, (int64_t)time(NULL))) == NULL)
			return ERR_SYSTEM;
		limits.arg = s->drop;
		if (server_add_reload_hook(s, &limits) != 0)
			return ERR_SYSTEM;
		rcfg.drop_key = drop_key(s->drop);
		tcfg.drop = s->drop;
	}

	if ((s->dir = directory_new(cfg->cluster != NULL ? "redis" : NULL, &dcfg,
	    (int64_t)time(NULL))) == NULL ||
	    (s->limit = limit_new(cfg->conns_per_ip, cfg->joins_per_min)) == NULL ||
	    (s->conns = conn_set_new(s->loop, s->limit, cfg->tls, cfg->body_max)) == NULL ||
	    (s->route = route_new(&rcfg, s->dir, s->limit)) == NULL ||
	    (s->tunnels = tunnel_set_new(&tcfg, s->conns, s->limit)) == NULL ||
	    loop_timer_add(s->loop, RELAY_TICK_MS, on_tick, s) < 0)
		return ERR_NOMEM;
	limit_set_sessions(s->limit, sessions_per_min(cfg));
	if (s->drop != NULL)    /* a grant uploads while its session and generation live */
		drop_set_live(s->drop, route_grant_live, s->route);
	if (cfg->conns_max != 0)
		s->conns->max = cfg->conns_max;
	conn_set_ops(s->conns, CONN_RAW, &route_ops, s->route);
	conn_set_ops(s->conns, CONN_TUNNEL, &route_ops, s->route);
	conn_set_ops(s->conns, CONN_HTTP, &tunnel_ops, s->tunnels);
	loop_set_before_sleep(s->loop, before_sleep, s);
	if (cfg->admin_listen != NULL) {
		struct admin_config acfg = { .listen = cfg->admin_listen,
			.keys_file = cfg->admin_keys_file, .tls = cfg->admin_tls,
			.metrics_open = cfg->admin_metrics_open };

		const struct reload_hook keys = { .check = admin_keys_check,
			.apply = admin_keys_apply, .arg = s };

		if ((s->admin = admin_new(s->loop, &acfg, &admin_ops, s)) == NULL ||
		    server_add_reload_hook(s, &keys) != 0)
			return ERR_SYSTEM;
	}
	return 0;
}

struct server *
server_new(const struct server_config *cfg)
{
	struct server *s;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		tls_server_free(cfg->tls);
		return NULL;
	}
	s->cfg = *cfg;
	s->sigfd = -1;
	/* listeners first: a cluster directory advertises the first one's port */
	if ((s->loop = loop_new()) == NULL || watch_signals(s) != 0 || listen_all(s) != 0 ||
	    wire_up(s) != 0) {
		server_free(s);
		return NULL;
	}
	return s;
}

int
server_run(struct server *s)
{
	int rc = loop_run(s->loop);

	log_info("stopped: %llu unknown frames skipped, %llu frames to empty slots dropped",
	    (unsigned long long)route_frames_unknown(s->route),
	    (unsigned long long)route_frames_dropped(s->route));
	return rc;
}

void
server_free(struct server *s)
{
	unsigned i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_lis; i++) {
		loop_unwatch(s->loop, s->lis[i].fd);
		close(s->lis[i].fd);
	}
	admin_free(s->admin);
	tunnel_set_free(s->tunnels);
	drop_free(s->drop);
	route_free(s->route);
	conn_set_free(s->conns);
	limit_free(s->limit);
	directory_free(s->dir);
	if (s->sigfd >= 0)
		close(s->sigfd);
	loop_free(s->loop);
	tls_server_free(s->cfg.tls);
	tokens_free(s->cfg.tokens);
	free(s);
}

const struct server_config *
server_running(const struct server *s)
{
	return &s->cfg;
}

void
server_on_sighup(struct server *s, server_reread_fn *fn, void *arg)
{
	s->reread = fn;
	s->reread_arg = arg;
}

int
server_add_reload_hook(struct server *s, const struct reload_hook *h)
{
	if (s->n_hooks >= RELAY_RELOAD_HOOKS_MAX)
		return ERR_LIMIT;
	s->hooks[s->n_hooks++] = *h;
	return 0;
}

static bool
same_text(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* What cfg would change that only a restart can; logged, never taken. */
static void
log_restart_only(const struct server *s, const struct server_config *cfg)
{
	bool listen = s->cfg.n_listen != cfg->n_listen;

	for (unsigned i = 0; i < cfg->n_listen && !listen; i++)
		listen = !same_text(s->cfg.listen[i], cfg->listen[i]);
	if (listen)
		log_warn("reload: listen changed: needs a restart; the running value stays");
	if (!same_text(s->cfg.state_dir, cfg->state_dir))
		log_warn("reload: state-dir changed: needs a restart; the running value stays");
	if (!same_text(s->cfg.cluster, cfg->cluster))
		log_warn("reload: cluster changed: needs a restart; the running value stays");
	if (!same_text(s->cfg.advertise, cfg->advertise))
		log_warn("reload: advertise changed: needs a restart; the running value stays");
}

/* The server's own check: the values as rconfig_set lets them through
 * (server_reload may have other callers than the settings file). */
static int
check_own(const struct server_config *cfg, char *why, size_t why_len)
{
	if (cfg->body_max < WIRE_BODY_MIN_BYTES || cfg->body_max > WIRE_BODY_MAX_BYTES ||
	    cfg->max_viewers == 0 || cfg->max_viewers > SESSION_VIEWERS_MAX ||
	    cfg->hello_timeout_ms == 0 || cfg->idle_timeout_ms == 0 || cfg->conns_per_ip == 0 ||
	    cfg->joins_per_min == 0 || cfg->drain_deadline_ms == 0) {
		snprintf(why, why_len, "a limit out of its range");
		return ERR_FORMAT;
	}
	return 0;
}

/*
 * Session tokens at a reload: the key file and the revoked list read again
 * (tokens_prepare), or read for the first time when the relay started
 * without a key file; put in use by apply_tokens, dropped by a refusal.
 */
static int
check_tokens(struct server *s, const struct server_config *cfg, char *why, size_t why_len)
{
	s->tokens_next = NULL;
	if (cfg->token_key_file == NULL) {
		if (!cfg->tokens_required)
			return 0;
		snprintf(why, why_len, "session-policy token needs token-key-file");
		return ERR_FORMAT;
	}
	if (s->cfg.tokens != NULL)
		return tokens_prepare(s->cfg.tokens, cfg->token_key_file, why, why_len);
	s->tokens_next = tokens_new(cfg->token_key_file, s->cfg.state_dir, why, why_len);
	return s->tokens_next != NULL ? 0 : ERR_FORMAT;
}

static void
abandon_tokens(struct server *s)
{
	tokens_free(s->tokens_next);
	s->tokens_next = NULL;
	if (s->cfg.tokens != NULL)
		tokens_abandon(s->cfg.tokens);
}

/* The keys checked by check_tokens in use; a key file taken out of the
 * settings leaves the last keys loaded, unused unless the policy is token
 * (which check_tokens refused without a file). */
static void
apply_tokens(struct server *s, const struct server_config *cfg)
{
	if (s->tokens_next != NULL) {
		s->cfg.tokens = s->tokens_next;
		s->tokens_next = NULL;
	} else if (cfg->token_key_file != NULL) {
		tokens_commit(s->cfg.tokens);
	}
	if (s->cfg.tokens_required != cfg->tokens_required)
		log_info("reload: session-policy %s", cfg->tokens_required ? "token" : "open");
	s->cfg.tokens_required = cfg->tokens_required;
}

/* One number a reload changed, for the log. */
static void
log_change(const char *name, uint32_t was, uint32_t is)
{
	if (was != is)
		log_info("reload: %s %u -> %u", name, was, is);
}

static void
apply_own(struct server *s, const struct server_config *cfg)
{
	struct route_config rcfg = { .body_max = cfg->body_max,
		.max_viewers = cfg->max_viewers, .idle_timeout_ms = cfg->idle_timeout_ms };
	struct tunnel_config tcfg = { .hello_timeout_ms = cfg->hello_timeout_ms,
		.idle_timeout_ms = cfg->idle_timeout_ms };
	struct server_config *run = &s->cfg;

	log_change("max-viewers", run->max_viewers, cfg->max_viewers);
	log_change("max-body (new sessions)", run->body_max, cfg->body_max);
	log_change("idle-timeout-ms (new sessions)", run->idle_timeout_ms, cfg->idle_timeout_ms);
	log_change("hello-timeout-ms", run->hello_timeout_ms, cfg->hello_timeout_ms);
	log_change("conns-per-ip", run->conns_per_ip, cfg->conns_per_ip);
	log_change("joins-per-min", run->joins_per_min, cfg->joins_per_min);
	log_change("sessions-per-min", sessions_per_min(run), sessions_per_min(cfg));
	log_change("drain-deadline (ms)", run->drain_deadline_ms, cfg->drain_deadline_ms);
	apply_tokens(s, cfg);
	rcfg.tokens = s->cfg.tokens_required ? s->cfg.tokens : NULL;
	route_reload(s->route, &rcfg);
	tunnel_set_reload(s->tunnels, &tcfg);
	limit_reload(s->limit, cfg->conns_per_ip, cfg->joins_per_min);
	limit_set_sessions(s->limit, sessions_per_min(cfg));
	/* OpenSSL counts the sessions on the old context: freeing ours is safe */
	conn_set_reload(s->conns, cfg->tls, cfg->body_max);
	if (run->tls != cfg->tls) {
		tls_server_free(run->tls);
		log_info("reload: TLS %s", cfg->tls != NULL ? "certificate and key loaded again "
		    "for new handshakes" : "off for new connections");
	}
	run->tls = cfg->tls;
	run->body_max = cfg->body_max;
	run->max_viewers = cfg->max_viewers;
	run->hello_timeout_ms = cfg->hello_timeout_ms;
	run->idle_timeout_ms = cfg->idle_timeout_ms;
	run->conns_per_ip = cfg->conns_per_ip;
	run->joins_per_min = cfg->joins_per_min;
	run->sessions_per_min = cfg->sessions_per_min;
	/* a drain under way keeps its end */
	run->drain_deadline_ms = cfg->drain_deadline_ms;
	run->log_level = cfg->log_level;
	run->log_format = cfg->log_format;
	log_set_level(cfg->log_level);
	log_set_format(cfg->log_format);
}

int
server_reload(struct server *s, const struct server_config *cfg)
{
	char why[512];
	unsigned i;

	why[0] = '\0';
	if (check_own(cfg, why, sizeof(why)) != 0 || check_tokens(s, cfg, why, sizeof(why)) != 0)
		goto refused;
	for (i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].check != NULL &&
		    s->hooks[i].check(s->hooks[i].arg, cfg, why, sizeof(why)) != 0)
			goto refused;
	log_restart_only(s, cfg);
	apply_own(s, cfg);
	for (i = 0; i < s->n_hooks; i++)
		if (s->hooks[i].apply != NULL)
			s->hooks[i].apply(s->hooks[i].arg, cfg);
	log_info("reload done: %zu connections kept", s->conns->count);
	return 0;
refused:
	abandon_tokens(s);
	log_error("reload refused, the running settings stay: %s", why[0] != '\0' ? why : "?");
	if (cfg->tls != s->cfg.tls)
		tls_server_free(cfg->tls);
	return ERR_FORMAT;
}
