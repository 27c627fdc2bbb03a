/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - one relay (the contract and the layers are in server.h): it
 * makes the loop, the connection set, the routes and the tunnels, wires
 * them together, accepts connections, runs the clocks once a tick, shuts
 * down on SIGTERM or SIGINT, and drains on SIGUSR1.
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

#include "conn.h"
#include "directory.h"
#include "limit.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "route.h"
#include "server.h"
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
	int sigfd;                      /* SIGTERM, SIGINT and SIGUSR1, or -1 */
	bool draining;
	uint64_t drain_end_ms;          /* draining: shut down at the latest then */
	struct log_rl rl_accept;
};

static void
refuse(int fd, uint16_t code)
{
	struct wire_hdr h = { .type = WIRE_ERROR };
	struct buf body, out;

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
	if (s->conns->count >= RELAY_CONNS_MAX) {
		log_rl(&s->rl_accept, LOG_WARN, "refused peer=%s: %d connections", peer,
		    RELAY_CONNS_MAX);
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
			if (now - c->rx_ms >= s->cfg.idle_timeout_ms) {
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
 * SIGUSR1: no new sessions here; every master (and its viewers) hears
 * RESTARTING and comes back elsewhere; stop once nothing is held here or
 * at the deadline. The listeners stay: they answer with REDIRECT.
 */
static void
drain(struct server *s)
{
	if (s->draining)
		return;
	s->draining = true;
	s->drain_end_ms = loop_now_ms(s->loop) + s->cfg.drain_deadline_ms;
	log_info("signal %d: draining: %zu numbers held, %zu connections; stopping when none "
	    "is held, or in %u s", SIGUSR1, directory_held_count(s->dir), s->conns->count,
	    s->cfg.drain_deadline_ms / 1000);
	directory_drain(s->dir);
	route_drain(s->route, (int64_t)time(NULL));
}

/* SIGTERM, SIGINT or SIGUSR1 came through the signalfd. */
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
		drain(s);
	else
		shutdown_all(s, (int)si.ssi_signo);
}

/* SIGTERM, SIGINT and SIGUSR1 arrive through a signalfd, as file events. */
static int
watch_signals(struct server *s)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGUSR1);
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
		if ((s->drop = drop_new(&cfg->drop, cfg->state_dir, (int64_t)time(NULL))) == NULL)
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
	conn_set_ops(s->conns, CONN_RAW, &route_ops, s->route);
	conn_set_ops(s->conns, CONN_TUNNEL, &route_ops, s->route);
	conn_set_ops(s->conns, CONN_HTTP, &tunnel_ops, s->tunnels);
	loop_set_before_sleep(s->loop, before_sleep, s);
	return 0;
}

struct server *
server_new(const struct server_config *cfg)
{
	struct server *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
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
	tunnel_set_free(s->tunnels);
	drop_free(s->drop);
	route_free(s->route);
	conn_set_free(s->conns);
	limit_free(s->limit);
	directory_free(s->dir);
	if (s->sigfd >= 0)
		close(s->sigfd);
	loop_free(s->loop);
	free(s);
}
