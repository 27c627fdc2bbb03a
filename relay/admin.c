/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin.c - the admin listener and its connections (admin.h): accept,
 * read one request (through TLS if configured), hand it to admin_api.c,
 * write the answer, close. Connections are few and short: a fixed input
 * buffer each, a deadline for the whole exchange, ADMIN_CONNS_MAX at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "admin_private.h"
#include "loop.h"
#include "net.h"
#include "tls.h"

enum {
	IN_MAX = RELAY_HTTP_HEAD_MAX_BYTES + ADMIN_BODY_MAX_BYTES,
	CHECK_MS = 500,                 /* deadlines are looked at this often */
};

struct admin_conn {
	struct admin *a;
	int fd;
	struct tls *tls;
	char peer[WIRE_ADDR_TEXT_MAX + 1];
	uint8_t in[IN_MAX];
	size_t in_len;
	struct buf out;                 /* the answer, once there is one */
	size_t sent;
	bool answering;
	uint64_t deadline_ms;
	struct admin_conn *prev, *next;
};

static void on_conn(struct loop *l, int fd, void *arg, int ready);

/* Gone: off the list and the loop now, closed and freed at the turn's end. */
static void
kill_conn(struct admin_conn *c)
{
	struct admin *a = c->a;

	loop_unwatch(a->loop, c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		a->all = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	a->count--;
	c->next = a->dead;
	a->dead = c;
}

static void
free_conn(struct admin_conn *c)
{
	if (c->tls != NULL) {
		tls_shutdown(c->tls);
		tls_free(c->tls);
	}
	close(c->fd);
	buf_release(&c->out);
	sodium_memzero(c->in, sizeof(c->in));   /* it may have held a signed request */
	free(c);
}

void
admin_end_turn(struct admin *a)
{
	struct admin_conn *c;

	if (a == NULL)
		return;
	while ((c = a->dead) != NULL) {
		a->dead = c->next;
		free_conn(c);
	}
}

/* Watch c for what it needs next (OpenSSL may need the other direction). */
static void
interest(struct admin_conn *c)
{
	int mask;

	if (c->answering)
		mask = LOOP_WRITE | (c->tls != NULL && c->tls->write_wants_read ? LOOP_READ : 0);
	else
		mask = LOOP_READ | (c->tls != NULL && c->tls->read_wants_write ? LOOP_WRITE : 0);
	if (loop_watch(c->a->loop, c->fd, mask, on_conn, c) != 0)
		kill_conn(c);
}

/* An answer without a request worth serving (400, 413): plain text. */
static void
answer_plain(struct admin_conn *c, int status, const char *text)
{
	buf_reset(&c->out);
	if (http_answer_typed(&c->out, status, false, "text/plain", text, strlen(text)) != 0) {
		kill_conn(c);
		return;
	}
	c->answering = true;
	interest(c);
}

static void
serve(struct admin_conn *c, const struct http_req *req)
{
	struct admin_answer ans = { .status = 500, .type = "text/plain" };

	buf_init(&ans.body, ADMIN_ANSWER_MAX_BYTES);
	admin_api_serve(c->a, c->peer, req, c->in, &ans);
	buf_reset(&c->out);
	if (http_answer_typed(&c->out, ans.status, false, ans.type,
	    (const char *)buf_ptr(&ans.body), buf_len(&ans.body)) != 0) {
		buf_release(&ans.body);
		kill_conn(c);
		return;
	}
	buf_release(&ans.body);
	c->answering = true;
	interest(c);
}

/* What c->in holds now: wait, refuse, or serve. */
static void
parse(struct admin_conn *c)
{
	struct http_req req;
	int rc = http_parse(c->in, c->in_len, &req);

	if (rc == ERR_INCOMPLETE) {
		if (c->in_len == sizeof(c->in))
			answer_plain(c, 413, "request too large\n");
		return;
	}
	if (rc != 0) {
		log_rl(&c->a->rl_conn, LOG_INFO, "admin peer=%s: malformed request", c->peer);
		answer_plain(c, 400, "malformed request\n");
		return;
	}
	if (req.content_length > ADMIN_BODY_MAX_BYTES) {
		answer_plain(c, 413, "body too large\n");
		return;
	}
	if (c->in_len < req.head_len + req.content_length)
		return;         /* the body is still coming */
	if (c->in_len > req.head_len + req.content_length) {
		answer_plain(c, 400, "one request per connection\n");
		return;
	}
	serve(c, &req);
}

static void
read_conn(struct admin_conn *c)
{
	size_t got = 0;
	ssize_t n;
	int rc;

	if (c->in_len == sizeof(c->in)) {
		parse(c);
		return;
	}
	if (c->tls != NULL) {
		rc = tls_read(c->tls, c->in + c->in_len, sizeof(c->in) - c->in_len, &got);
		if (rc == ERR_AGAIN) {
			interest(c);
			return;
		}
		if (rc != 0) {
			if (rc == ERR_AUTH)
				log_rl(&c->a->rl_conn, LOG_INFO, "admin peer=%s: TLS: %s", c->peer,
				    tls_why());
			kill_conn(c);
			return;
		}
	} else {
		n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n <= 0) {
			kill_conn(c);
			return;
		}
		got = (size_t)n;
	}
	c->in_len += got;
	parse(c);
	/* TLS: more may wait decrypted where epoll cannot see it */
	if (!c->answering && c->tls != NULL && tls_pending(c->tls) && c->in_len < sizeof(c->in))
		read_conn(c);
}

static void
write_conn(struct admin_conn *c)
{
	const uint8_t *p = buf_ptr(&c->out) + c->sent;
	size_t left = buf_len(&c->out) - c->sent, sent = 0;
	ssize_t n;
	int rc;

	if (c->tls != NULL) {
		rc = tls_write(c->tls, p, left, &sent);
		if (rc == ERR_AGAIN) {
			interest(c);
			return;
		}
		if (rc != 0) {
			kill_conn(c);
			return;
		}
	} else {
		n = send(c->fd, p, left, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		if (n < 0) {
			kill_conn(c);
			return;
		}
		sent = (size_t)n;
	}
	c->sent += sent;
	if (c->sent == buf_len(&c->out)) {
		/* done: half-close so the client reads to the end, then go */
		if (c->tls == NULL)
			(void)shutdown(c->fd, SHUT_WR);
		kill_conn(c);
	}
}

static void
on_conn(struct loop *l, int fd, void *arg, int ready)
{
	struct admin_conn *c = arg;

	(void)l;
	(void)fd;
	if (c->answering)
		write_conn(c);
	else if ((ready & (LOOP_READ | LOOP_HUP)) || (c->tls != NULL && (ready & LOOP_WRITE)))
		read_conn(c);
}

static void
on_listener(struct loop *l, int fd, void *arg, int ready)
{
	struct admin *a = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct admin_conn *c;
	int cfd;

	(void)l;
	(void)ready;
	if ((cfd = accept4(fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
		return;
	if (a->count >= ADMIN_CONNS_MAX) {
		log_rl(&a->rl_conn, LOG_WARN, "admin: %d connections open, one more refused",
		    ADMIN_CONNS_MAX);
		close(cfd);     /* never watched: closing it here is fine */
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(cfd);
		return;
	}
	c->a = a;
	c->fd = cfd;
	net_addr_str((struct sockaddr *)&ss, c->peer, sizeof(c->peer));
	buf_init(&c->out, ADMIN_ANSWER_MAX_BYTES + RELAY_HTTP_HEAD_MAX_BYTES);
	c->deadline_ms = loop_now_ms(a->loop) + ADMIN_REQUEST_MS;
	if (a->cfg.tls != NULL && (c->tls = tls_new(a->cfg.tls, cfd)) == NULL) {
		buf_release(&c->out);
		close(cfd);
		free(c);
		return;
	}
	c->next = a->all;
	if (a->all != NULL)
		a->all->prev = c;
	a->all = c;
	a->count++;
	interest(c);
}

/* Connections past their deadline go, answered or not. */
static int64_t
on_check(struct loop *l, void *arg)
{
	struct admin *a = arg;
	struct admin_conn *c, *next;
	uint64_t now = loop_now_ms(l);

	for (c = a->all; c != NULL; c = next) {
		next = c->next;
		if (now >= c->deadline_ms) {
			log_rl(&a->rl_conn, LOG_INFO, "admin peer=%s: no whole request in %d ms",
			    c->peer, ADMIN_REQUEST_MS);
			kill_conn(c);
		}
	}
	return CHECK_MS;
}

struct admin *
admin_new(struct loop *loop, const struct admin_config *cfg, const struct admin_ops *ops,
    void *ops_arg)
{
	char bound[WIRE_ADDR_TEXT_MAX + 1], why[512];
	struct admin *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->cfg = *cfg;
	a->loop = loop;
	a->ops = ops;
	a->ops_arg = ops_arg;
	a->fd = -1;
	a->started_ms = loop_now_ms(loop);
	if (cfg->keys_file != NULL && admin_keys_load(&a->keys, cfg->keys_file, why,
	    sizeof(why)) != 0) {
		log_error("admin-keys-file %s", why);
		goto bad;
	}
	if ((a->nonces = admin_nonces_new((int64_t)time(NULL))) == NULL)
		goto bad;
	if ((a->fd = net_listen(cfg->listen, bound, sizeof(bound), why, sizeof(why))) < 0) {
		log_error("admin-listen: %s", why);
		goto bad;
	}
	if (loop_watch(loop, a->fd, LOOP_READ, on_listener, a) != 0 ||
	    (a->timer = loop_timer_add(loop, CHECK_MS, on_check, a)) < 0) {
		log_error("admin: %s", strerror(errno));
		goto bad;
	}
	printf("admin-listening=%s\n", bound);
	fflush(stdout);
	log_info("admin listening on %s (%s), %u keys%s", bound,
	    cfg->tls != NULL ? "https" : "http", a->keys.n,
	    cfg->metrics_open ? "; /metrics and /healthz open" : "");
	return a;
bad:
	admin_free(a);
	return NULL;
}

void
admin_stop(struct admin *a)
{
	if (a == NULL || a->fd < 0)
		return;
	loop_unwatch(a->loop, a->fd);
	close(a->fd);
	a->fd = -1;
}

void
admin_free(struct admin *a)
{
	struct admin_conn *c;

	if (a == NULL)
		return;
	admin_stop(a);
	while ((c = a->all) != NULL)
		kill_conn(c);
	admin_end_turn(a);
	if (a->timer > 0)
		loop_timer_del(a->loop, a->timer);
	admin_nonces_free(a->nonces);
	admin_keys_wipe(&a->keys);
	admin_keys_wipe(&a->pending);
	free(a);
}

int
admin_reload_check(struct admin *a, const char *keys_file, char *why, size_t why_len)
{
	int r = 0;

	a->pending_ok = false;
	admin_keys_wipe(&a->pending);
	if (keys_file != NULL && (r = admin_keys_load(&a->pending, keys_file, why, why_len)) != 0)
		return r;
	a->pending_ok = true;
	return 0;
}

void
admin_reload_apply(struct admin *a)
{
	if (!a->pending_ok)
		return;
	a->keys = a->pending;
	admin_keys_wipe(&a->pending);
	a->pending_ok = false;
	log_info("admin: %u keys now", a->keys.n);
}
