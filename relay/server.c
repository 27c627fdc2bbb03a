/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "loop.h"
#include "server.h"
#include "net.h"
#include "route.h"
#include "sniff.h"
#include "tls.h"

static struct log_rl rl_accept, rl_tls;

static void on_conn(struct loop *l, int fd, void *arg, int ready);

struct room *
server_room(struct server *r, uint32_t number)
{
	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX)
		return NULL;
	return r->rooms[number - SESSION_NUMBER_MIN];
}

void
server_touch(struct server *r, struct conn *c)
{
	if (c->touched || c->dead)
		return;
	c->touched = true;
	c->touch_next = r->touched;
	r->touched = c;
}

/* Gone for good: log it, forget it, free it at the end of the turn. */
static void
drop(struct server *r, struct conn *c, const char *why)
{
	if (c->dead)
		return;
	route_leave(r, c, WIRE_E_CLOSED);       /* only if nobody did it before */
	tunnel_forget(r, c);
	log_info("close conn=%llu peer=%s via=%s state=%s: %s; bytes in=%llu out=%llu%s",
	    (unsigned long long)c->id, c->peer, conn_kind_str(c), conn_state_str(c->state), why,
	    (unsigned long long)c->bytes_in, (unsigned long long)c->bytes_out,
	    c->frames_unknown > 0 ? " (skipped unknown frames)" : "");
	limit_conn_close(r->limit, &c->ip, c->preauth_counted);
	loop_unwatch(r->loop, c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		r->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	r->n_conns--;
	c->dead = true;
	c->next = r->dead;
	r->dead = c;
}

void
server_close(struct server *r, struct conn *c, uint16_t code, const char *why)
{
	if (c->dead || c->state == CONN_CLOSING)
		return;
	route_leave(r, c, code);
	if (conn_speaks_frames(c) && conn_send_error(c, code) != 0)
		log_debug("conn=%llu: no room for the ERROR", (unsigned long long)c->id);
	if (c->kind == CONN_HTTP)
		tunnel_forget(r, c);    /* an answer in progress is cut */
	c->state = CONN_CLOSING;
	c->why = why;
	c->close_ms = r->now + RELAY_CLOSE_LINGER_MS;
	server_touch(r, c);
}

void
server_doom(struct server *r, struct conn *c, uint16_t code, const char *why)
{
	if (c->doom != 0 || c->dead || c->state == CONN_CLOSING)
		return;
	c->doom = code;
	c->doom_why = why;
	server_touch(r, c);
}

/* What the loop should watch c's socket for now. */
static void
interest(struct server *r, struct conn *c)
{
	int want = 0;

	if (c->dead || c->fd < 0)
		return;
	if (!c->eof && !c->sniff_slow &&
	    !(c->state == CONN_VIEWER && c->room != NULL && c->room->paused))
		want |= LOOP_READ;
	if (buf_len(&c->out) > 0 && !c->shut_wr)
		want |= LOOP_WRITE;
	/* OpenSSL may need the socket the other way round */
	if (c->tls != NULL && c->tls->read_wants_write)
		want |= LOOP_WRITE;
	if (c->tls != NULL && c->tls->write_wants_read && !c->shut_wr)
		want = (want & ~LOOP_WRITE) | LOOP_READ;
	if (loop_watch(r->loop, c->fd, want, on_conn, c) != 0) {
		log_warn("epoll_ctl: %s", strerror(errno));
		drop(r, c, "epoll failed");
	}
}

void
server_lost(struct server *r, struct conn *c, const char *why)
{
	if (c->state == CONN_CLOSING) {
		drop(r, c, c->why);
		return;
	}
	route_leave(r, c, WIRE_E_CLOSED);
	drop(r, c, why);
}

static void
write_conn(struct server *r, struct conn *c)
{
	int rc;

	if (c->dead || c->shut_wr)
		return;
	if (c->kind == CONN_TUNNEL) {
		tunnel_flush(r, c);
		if (!c->dead && c->state != CONN_CLOSING)
			route_drained(r, c);
		return;
	}
	if ((rc = conn_flush(c, r->now)) != 0) {
		if (rc == ERR_AUTH)
			log_rl(&rl_tls, LOG_INFO, "conn=%llu peer=%s: %s", (unsigned long long)c->id,
			    c->peer, tls_why());
		server_lost(r, c, "write failed");
		return;
	}
	if (c->state == CONN_CLOSING) {
		if (buf_len(&c->out) > 0)
			return;
		/* all said: half-close, and wait for the peer's end (or the linger) */
		if (c->tls != NULL)
			tls_shutdown(c->tls);
		(void)shutdown(c->fd, SHUT_WR);
		c->shut_wr = true;
		if (c->eof)
			drop(r, c, c->why);
		return;
	}
	if (c->kind == CONN_HTTP)
		tunnel_flushed(r, c);
	else
		route_drained(r, c);
}

/* A plain socket's first bytes, peeked so that TLS finds them in the
 * socket. false: not decided (or closed) yet. */
static bool
sniff_socket(struct server *r, struct conn *c)
{
	uint8_t p[SNIFF_BYTES];
	ssize_t n;

	n = recv(c->fd, p, sizeof(p), MSG_PEEK | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return false;
	if (n <= 0) {
		c->kind = CONN_RAW;     /* the read that follows sees the end or the error */
		return true;
	}
	switch (sniff(p, (size_t)n)) {
	case SNIFF_MORE:
		/* level-triggered epoll would spin on these bytes: next tick */
		c->sniff_slow = true;
		server_touch(r, c);
		return false;
	case SNIFF_RAW:
		c->kind = CONN_RAW;
		return true;
	case SNIFF_HTTP:
		c->kind = CONN_HTTP;
		return true;
	case SNIFF_TLS:
		break;
	}
	if (r->cfg.tls == NULL) {
		log_rl(&rl_tls, LOG_INFO, "conn=%llu peer=%s: TLS, but this relay has no "
		    "--tls-cert: closed", (unsigned long long)c->id, c->peer);
		server_lost(r, c, "TLS without a certificate");
		return false;
	}
	if ((c->tls = tls_new(r->cfg.tls, c->fd)) == NULL) {
		server_lost(r, c, "out of memory for TLS");
		return false;
	}
	return true;
}

/* Inside TLS the same test, on the decrypted bytes. false: not decided. */
static bool
sniff_inner(struct conn *c, bool more_to_come)
{
	switch (sniff(buf_ptr(&c->in), buf_len(&c->in))) {
	case SNIFF_MORE:
		if (more_to_come)
			return false;
		c->kind = CONN_RAW;
		return true;
	case SNIFF_HTTP:
		c->kind = CONN_HTTP;    /* https long-poll */
		return true;
	default:
		c->kind = CONN_RAW;     /* TLS inside TLS included: it fails as frames */
		return true;
	}
}

/* What c's decided kind does with its input. */
static void
serve(struct server *r, struct conn *c)
{
	if (c->kind == CONN_HTTP)
		tunnel_serve(r, c);
	else
		route_frames(r, c);
}

static void
read_conn(struct server *r, struct conn *c)
{
	int rc;

	if (c->dead || c->eof || c->fd < 0)
		return;
	if (c->state == CONN_VIEWER && c->room != NULL && c->room->paused)
		return;         /* woken for OpenSSL's sake, not for reading */
	if (c->kind == CONN_SNIFF && c->tls == NULL && !sniff_socket(r, c))
		return;
	rc = conn_fill(c);
	if (c->tls != NULL)
		server_touch(r, c);       /* its interest may have changed, or bytes wait inside */
	if (rc == ERR_AGAIN)
		return;
	if (c->state == CONN_CLOSING) {
		/* not listened to any more; read on so that close() sends no reset */
		buf_reset(&c->in);
		if (rc != 0) {
			c->eof = true;
			if (c->shut_wr || rc != ERR_CLOSED)
				drop(r, c, c->why);
			else
				server_touch(r, c);
		}
		return;
	}
	if (c->kind == CONN_SNIFF && !sniff_inner(c, rc == 0))
		return;
	if (rc == ERR_CLOSED) {
		/* frames before the end still count: a viewer's last DATA, an END */
		if (c->kind != CONN_HTTP)
			route_frames(r, c);
		if (!c->dead && c->state != CONN_CLOSING)
			server_lost(r, c, "peer closed");
		else if (!c->dead)
			c->eof = true;
		return;
	}
	if (rc != 0) {
		if (rc == ERR_AUTH)
			log_rl(&rl_tls, LOG_INFO, "conn=%llu peer=%s: %s", (unsigned long long)c->id,
			    c->peer, tls_why());
		server_lost(r, c, rc == ERR_NO_SPACE ? "input full" : rc == ERR_AUTH ?
		    "TLS failed" : "read failed");
		return;
	}
	serve(r, c);
}

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

void
server_adopt(struct server *r, struct conn *c)
{
	c->server = r;
	c->prev = NULL;
	c->next = r->conns;
	if (r->conns != NULL)
		r->conns->prev = c;
	r->conns = c;
	r->n_conns++;
}

/* Accept one connection. false when there was none to take. */
static bool
accept_one(struct server *r, struct listener *l)
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
			log_rl(&rl_accept, LOG_WARN, "accept: %s", strerror(errno));
			loop_unwatch(r->loop, l->fd);
			l->paused = true;
		}
		return false;
	}
	net_addr_str((struct sockaddr *)&ss, peer, sizeof(peer));
	if (r->n_conns >= RELAY_CONNS_MAX) {
		log_rl(&rl_accept, LOG_WARN, "refused peer=%s: %d connections", peer,
		    RELAY_CONNS_MAX);
		refuse(fd, WIRE_E_BUSY);
		return true;
	}
	limit_key_from((struct sockaddr *)&ss, &k);
	if (limit_conn_open(r->limit, &k, r->now) != 0) {
		log_rl(&rl_accept, LOG_INFO, "refused peer=%s: too many connections from it", peer);
		refuse(fd, WIRE_E_RATE);
		return true;
	}
	net_set_nodelay(fd);
	if ((c = conn_new(fd, (struct sockaddr *)&ss, r->cfg.body_max, r->now)) == NULL) {
		limit_conn_close(r->limit, &k, true);
		close(fd);
		return true;
	}
	c->preauth_counted = true;
	c->server = r;
	if (loop_watch(r->loop, fd, LOOP_READ, on_conn, c) != 0) {
		limit_conn_close(r->limit, &k, true);
		conn_free(c);
		return true;
	}
	server_adopt(r, c);
	log_info("connect conn=%llu peer=%s", (unsigned long long)c->id, c->peer);
	return true;
}

/* A listener is readable: take a turn's worth of connects, then the others. */
static void
on_listener(struct loop *l, int fd, void *arg, int ready)
{
	struct listener *lis = arg;
	struct server *r = lis->server;
	int k;

	(void)l;
	(void)fd;
	(void)ready;
	for (k = 0; k < LOOP_EVENTS && !r->stopping && accept_one(r, lis); k++)
		;
}

static int
listen_all(struct server *r)
{
	char bound[WIRE_ADDR_TEXT_MAX + 1], why[256];
	unsigned i;
	int fd;

	for (i = 0; i < r->cfg.n_listen; i++) {
		if ((fd = net_listen(r->cfg.listen[i], bound, sizeof(bound), why, sizeof(why))) < 0) {
			log_error("%s", why);
			return fd;
		}
		r->lis[i].fd = fd;
		r->lis[i].server = r;
		r->n_lis++;
		if (loop_watch(r->loop, fd, LOOP_READ, on_listener, &r->lis[i]) != 0) {
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
resume_listeners(struct server *r)
{
	unsigned i;

	for (i = 0; i < r->n_lis; i++) {
		if (!r->lis[i].paused)
			continue;
		if (loop_watch(r->loop, r->lis[i].fd, LOOP_READ, on_listener, &r->lis[i]) == 0)
			r->lis[i].paused = false;
	}
}

/* The clocks: HELLO and idle timeouts, stalled writers, lingering closes. */
static void
tick(struct server *r)
{
	struct conn *c, *next;
	uint64_t now = r->now;

	for (c = r->conns; c != NULL; c = next) {
		next = c->next;
		/* a stall counts from when output waits (a tunnel's: not yet streamed) */
		if ((c->kind == CONN_TUNNEL ? tunnel_unsent(c->tun) : buf_len(&c->out)) == 0)
			c->tx_ms = now;
		if (c->sniff_slow) {
			c->sniff_slow = false;
			server_touch(r, c);
		}
		if (c->kind == CONN_HTTP && c->state != CONN_CLOSING) {
			/* an rx answer ends in time; a request must come whole within the
			 * pre-auth deadline of its first byte; a quiet one, the idle time */
			if (c->answering != NULL) {
				tunnel_tick(r, c);
			} else if (c->req_ms != 0 ? now - c->req_ms >= r->cfg.hello_timeout_ms :
			    now - c->rx_ms >= r->cfg.idle_timeout_ms) {
				log_rl(&rl_accept, LOG_INFO, "conn=%llu peer=%s: %s",
				    (unsigned long long)c->id, c->peer,
				    c->req_ms != 0 ? "no whole HTTP request in time" : "idle");
				server_close(r, c, WIRE_E_TIMEOUT, "no request in time");
				continue;
			}
		} else switch (c->state) {
		case CONN_CLOSING:
			if (now >= c->close_ms)
				drop(r, c, c->why);
			continue;
		case CONN_PREAUTH:
			if (now - c->connected_ms >= r->cfg.hello_timeout_ms) {
				log_rl(&rl_accept, LOG_INFO, "conn=%llu peer=%s: no HELLO in time",
				    (unsigned long long)c->id, c->peer);
				server_close(r, c, WIRE_E_TIMEOUT, "no HELLO");
				continue;
			}
			break;
		case CONN_MASTER:
		case CONN_VIEWER:
			if (c->state == CONN_VIEWER && c->room != NULL && c->room->paused)
				c->rx_ms = now; /* we are the ones not reading it */
			if (now - c->rx_ms >= r->cfg.idle_timeout_ms) {
				server_close(r, c, WIRE_E_TIMEOUT, "idle");
				continue;
			}
			break;
		}
		if (now - c->tx_ms >= RELAY_WRITE_STALL_MS) {
			log_info("evict conn=%llu peer=%s state=%s: no write progress for %d ms",
			    (unsigned long long)c->id, c->peer, conn_state_str(c->state),
			    RELAY_WRITE_STALL_MS);
			server_close(r, c, WIRE_E_SLOW, "write stalled");
		}
	}
	resume_listeners(r);
	limit_gc(r->limit, now);
	(void)directory_save(r->dir, (int64_t)time(NULL));
}

/* Flush what this turn queued, apply deferred closes, fix epoll interest. */
static void
end_turn(struct server *r)
{
	struct conn *c;

	while ((c = r->touched) != NULL) {
		r->touched = c->touch_next;
		c->touched = false;
		if (c->dead)
			continue;
		if (c->doom != 0) {
			uint16_t code = c->doom;

			c->doom = 0;
			server_close(r, c, code, c->doom_why);
			continue;       /* it touched itself again */
		}
		write_conn(r, c);
		interest(r, c);
		/* decrypted bytes inside OpenSSL: no epoll event will come for them */
		if (c->tls != NULL && !c->dead && (loop_mask(r->loop, c->fd) & LOOP_READ) &&
		    tls_pending(c->tls))
			read_conn(r, c);
	}
	while ((c = r->dead) != NULL) {
		r->dead = c->next;
		conn_free(c);
	}
}

/* SIGTERM: tell everyone to reconnect later, give them a moment, stop. */
static void
begin_shutdown(struct server *r, int signo)
{
	struct conn *c;
	unsigned i;
	size_t k;

	log_info("signal %d: shutting down, %zu connections", signo, r->n_conns);
	r->stopping = true;
	for (i = 0; i < r->n_lis; i++) {
		loop_unwatch(r->loop, r->lis[i].fd);
		close(r->lis[i].fd);
	}
	r->n_lis = 0;
	for (k = 0; k < sizeof(r->rooms) / sizeof(r->rooms[0]); k++) {
		if (r->rooms[k] == NULL)
			continue;
		directory_retire(r->dir, r->rooms[k]->number, (int64_t)time(NULL));
		room_free(r->rooms[k]);
		r->rooms[k] = NULL;
	}
	for (c = r->conns; c != NULL; c = c->next) {
		c->room = NULL;
		if (c->state == CONN_CLOSING)
			continue;
		if (c->kind == CONN_HTTP) {
			/* an rx answer carries its tunnel's RESTARTING first */
			c->http_close = true;
			if (c->answering == NULL)
				server_close(r, c, WIRE_E_SHUTDOWN, "relay shutting down");
			continue;
		}
		if (conn_speaks_frames(c) &&
		    conn_send(c, WIRE_RESTARTING, 0, 0, 0, NULL, 0) != 0)
			log_debug("conn=%llu: no room for RESTARTING", (unsigned long long)c->id);
		c->state = CONN_CLOSING;
		c->why = "relay shutting down";
		c->close_ms = r->now + RELAY_CLOSE_LINGER_MS;
		server_touch(r, c);
	}
	(void)directory_save(r->dir, (int64_t)time(NULL));
}

static void
on_conn(struct loop *l, int fd, void *arg, int ready)
{
	struct conn *c = arg;
	struct server *r = c->server;

	(void)fd;
	r->now = loop_now_ms(l);
	if (c->dead)
		return;
	if (ready & LOOP_WRITE) {
		write_conn(r, c);
		if (c->tls != NULL && c->tls->read_wants_write)
			read_conn(r, c);
		server_touch(r, c);       /* stop watching for writing once empty */
	}
	if ((ready & LOOP_READ) && c->tls != NULL && c->tls->write_wants_read) {
		write_conn(r, c);
		server_touch(r, c);
	}
	if (c->state == CONN_VIEWER && c->room != NULL && c->room->paused &&
	    (ready & LOOP_HUP) && !(loop_mask(l, c->fd) & LOOP_READ)) {
		/* gone while we were not reading it: no level-triggered spin */
		server_lost(r, c, "peer hung up");
		return;
	}
	if (ready & (LOOP_READ | LOOP_HUP))
		read_conn(r, c);
}

/* SIGTERM or SIGINT came through the signalfd. */
static void
on_signal(struct loop *l, int fd, void *arg, int ready)
{
	struct signalfd_siginfo si;
	struct server *r = arg;

	(void)ready;
	r->now = loop_now_ms(l);
	if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si) || r->stopping)
		return;
	begin_shutdown(r, (int)si.ssi_signo);
}

static int64_t
on_tick(struct loop *l, void *arg)
{
	struct server *r = arg;

	r->now = loop_now_ms(l);
	end_turn(r);            /* what the file events queued goes first */
	tick(r);
	return RELAY_TICK_MS;
}

/* The end of every turn; once shut down and everyone is gone, the end. */
static void
before_sleep(struct loop *l, void *arg)
{
	struct server *r = arg;

	r->now = loop_now_ms(l);
	end_turn(r);
	if (r->stopping && r->conns == NULL)
		loop_stop(l);
}

/* SIGTERM and SIGINT arrive through a signalfd, as file events. */
static int
watch_signals(struct server *r)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
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
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	if ((r->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) == -1) {
		log_error("signalfd: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	if (loop_watch(r->loop, r->sigfd, LOOP_READ, on_signal, r) != 0) {
		log_error("epoll_ctl: %s", strerror(errno));
		return ERR_SYSTEM;
	}
	return 0;
}

int
server_run(const struct server_config *cfg)
{
	struct directory_config dcfg = { 0 };
	struct server *r;
	int rc;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ERR_NOMEM;
	r->cfg = *cfg;
	r->sigfd = -1;
	rc = ERR_SYSTEM;
	if ((r->loop = loop_new()) == NULL)
		goto out;
	r->now = loop_now_ms(r->loop);
	if ((rc = watch_signals(r)) != 0)
		goto out;
	dcfg.state_dir = cfg->state_dir;
	dcfg.loop = r->loop;
	rc = ERR_NOMEM;
	if ((r->dir = directory_new(NULL, &dcfg, (int64_t)time(NULL))) == NULL ||
	    (r->limit = limit_new(cfg->conns_per_ip, cfg->joins_per_min)) == NULL ||
	    loop_timer_add(r->loop, RELAY_TICK_MS, on_tick, r) < 0)
		goto out;
	if ((rc = listen_all(r)) != 0)
		goto out;
	loop_set_before_sleep(r->loop, before_sleep, r);
	rc = loop_run(r->loop);
	log_info("stopped: %llu unknown frames skipped, %llu frames to empty slots dropped",
	    (unsigned long long)r->frames_unknown, (unsigned long long)r->frames_dropped);
out:
	directory_free(r->dir);
	limit_free(r->limit);
	if (r->sigfd >= 0)
		close(r->sigfd);
	loop_free(r->loop);
	free(r);
	return rc;
}
