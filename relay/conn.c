/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conn.c - connections on the event loop: reading, sniffing the
 * transport, writing, deferred closing (the contract is in conn.h). What
 * the bytes mean is the business of the hooks in s->ops[].
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "conn.h"
#include "loop.h"
#include "net.h"
#include "sniff.h"
#include "tls.h"

/* Room for control frames (ERROR, PONG, FLOW) on top of the data cap. */
enum { CONN_OUT_SLACK = WIRE_PREAUTH_MAX_BYTES };

static void on_io(struct loop *l, int fd, void *arg, int ready);

struct conn_set *
conn_set_new(struct loop *loop, struct limit *limit, struct tls_server *tls, uint32_t body_max)
{
	struct conn_set *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->loop = loop;
	s->limit = limit;
	s->tls = tls;
	s->body_max = body_max;
	s->max = RELAY_CONNS_MAX;
	return s;
}

void
conn_set_reload(struct conn_set *s, struct tls_server *tls, uint32_t body_max)
{
	s->tls = tls;
	s->body_max = body_max;
}

void
conn_fit_body(struct conn *c, uint32_t body_max)
{
	/* as conn_new and conn_new_virtual size it: a frame plus one read or /v1/tx body */
	buf_raise_max(&c->in, WIRE_HEADER_LEN + (size_t)body_max +
	    (c->kind == CONN_TUNNEL ? RELAY_HTTP_TX_MAX_BYTES : RELAY_READ_BYTES));
}

static void
conn_free(struct conn *c)
{
	tls_free(c->tls);
	if (c->fd >= 0)
		close(c->fd);
	buf_release(&c->in);
	buf_release(&c->out);
	free(c);
}

void
conn_set_free(struct conn_set *s)
{
	struct conn *c;

	if (s == NULL)
		return;
	while ((c = s->all) != NULL) {
		s->all = c->next;
		conn_free(c);
	}
	while ((c = s->dead) != NULL) {
		s->dead = c->next;
		conn_free(c);
	}
	free(s);
}

void
conn_set_ops(struct conn_set *s, enum conn_kind k, const struct conn_ops *ops, void *arg)
{
	BUG_ON(k == CONN_SNIFF || k >= CONN_KINDS);
	s->ops[k] = ops;
	s->ops_arg[k] = arg;
}

uint64_t
conn_now(const struct conn_set *s)
{
	return loop_now_ms(s->loop);
}

static struct conn *
make(struct conn_set *s, int fd, size_t in_max)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->set = s;
	c->fd = fd;
	c->id = ++s->ids;
	buf_init(&c->in, in_max);
	buf_init(&c->out, RELAY_OUTBUF_MAX_BYTES + CONN_OUT_SLACK);
	c->state = CONN_PREAUTH;
	c->connected_ms = c->rx_ms = c->tx_ms = conn_now(s);
	return c;
}

static void
adopt(struct conn_set *s, struct conn *c)
{
	c->prev = NULL;
	c->next = s->all;
	if (s->all != NULL)
		s->all->prev = c;
	s->all = c;
	s->count++;
}

struct conn *
conn_new(struct conn_set *s, int fd, const struct sockaddr *sa)
{
	size_t most = WIRE_HEADER_LEN + s->body_max;
	struct conn *c;

	/* the kind is not known yet: room for whichever is larger */
	if (most < RELAY_HTTP_HEAD_MAX_BYTES + RELAY_HTTP_TX_MAX_BYTES)
		most = RELAY_HTTP_HEAD_MAX_BYTES + RELAY_HTTP_TX_MAX_BYTES;
	if ((c = make(s, fd, most + RELAY_READ_BYTES)) == NULL) {
		close(fd);
		return NULL;
	}
	net_addr_str(sa, c->peer, sizeof(c->peer));
	limit_key_from(sa, &c->ip);
	if (loop_watch(s->loop, fd, LOOP_READ, on_io, c) != 0) {
		conn_free(c);
		return NULL;
	}
	adopt(s, c);
	return c;
}

struct conn *
conn_new_virtual(struct conn_set *s, const char *peer, const struct limit_key *ip,
    const struct conn_carrier *carrier, void *carrier_arg)
{
	struct conn *c;

	if ((c = make(s, -1, WIRE_HEADER_LEN + s->body_max + RELAY_HTTP_TX_MAX_BYTES)) == NULL)
		return NULL;
	c->kind = CONN_TUNNEL;
	c->carrier = carrier;
	c->carrier_arg = carrier_arg;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->ip = *ip;
	adopt(s, c);
	return c;
}

/* The hooks of c's kind; NULL while it is not known. */
static const struct conn_ops *
ops(const struct conn *c)
{
	return c->set->ops[c->kind];
}

static void *
ops_arg(const struct conn *c)
{
	return c->set->ops_arg[c->kind];
}

static void
leave(struct conn *c, uint16_t code)
{
	if (ops(c) != NULL && ops(c)->leave != NULL)
		ops(c)->leave(ops_arg(c), c, code);
}

static void
drained(struct conn *c)
{
	if (ops(c) != NULL && ops(c)->drained != NULL)
		ops(c)->drained(ops_arg(c), c);
}

void
conn_serve(struct conn *c)
{
	if (ops(c) != NULL)
		ops(c)->serve(ops_arg(c), c);
}

void
conn_touch(struct conn *c)
{
	struct conn_set *s = c->set;

	if (c->touched || c->dead)
		return;
	c->touched = true;
	c->touch_next = s->touched;
	s->touched = c;
}

/* Gone for good: log it, forget it, free it at the end of the turn. */
static void
drop(struct conn *c, const char *why)
{
	struct conn_set *s = c->set;

	if (c->dead)
		return;
	leave(c, WIRE_E_CLOSED);        /* only if nobody did it before */
	if (c->carrier != NULL)
		c->carrier->drop(c->carrier_arg, c);
	if (!c->unlogged)
		log_info("close conn=%llu peer=%s via=%s state=%s: %s; bytes in=%llu out=%llu%s",
		    (unsigned long long)c->id, c->peer, conn_kind_str(c),
		    conn_state_str(c->state), why, (unsigned long long)c->bytes_in,
		    (unsigned long long)c->bytes_out,
		    c->frames_unknown > 0 ? " (skipped unknown frames)" : "");
	limit_conn_close(s->limit, &c->ip, c->preauth_counted);
	loop_unwatch(s->loop, c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->all = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->count--;
	c->dead = true;
	c->next = s->dead;
	s->dead = c;
}

void
conn_lost(struct conn *c, const char *why)
{
	drop(c, c->state == CONN_CLOSING ? c->why : why);
}

static void
closing(struct conn *c, const char *why)
{
	c->state = CONN_CLOSING;
	c->why = why;
	c->close_ms = conn_now(c->set) + RELAY_CLOSE_LINGER_MS;
	conn_touch(c);
}

void
conn_close(struct conn *c, uint16_t code, const char *why)
{
	if (c->dead || c->state == CONN_CLOSING)
		return;
	metrics_refusal(code);
	if (code == WIRE_E_SLOW)
		relay_metrics.evictions++;
	leave(c, code);                 /* HTTP: an answer in progress is cut */
	if (conn_speaks_frames(c) && conn_send_error(c, code) != 0)
		log_debug("conn=%llu: no room for the ERROR", (unsigned long long)c->id);
	closing(c, why);
}

void
conn_doom(struct conn *c, uint16_t code, const char *why)
{
	if (c->doom != 0 || c->dead || c->state == CONN_CLOSING)
		return;
	c->doom = code;
	c->doom_why = why;
	conn_touch(c);
}

void
conn_restart(struct conn *c, const char *why)
{
	if (c->dead || c->state == CONN_CLOSING)
		return;
	if (conn_speaks_frames(c) && conn_send(c, WIRE_RESTARTING, 0, 0, 0, NULL, 0) != 0)
		log_debug("conn=%llu: no room for RESTARTING", (unsigned long long)c->id);
	closing(c, why);
}

void
conn_finish(struct conn *c, const char *why)
{
	if (c->dead || c->state == CONN_CLOSING)
		return;
	closing(c, why);
}

void
conn_authed(struct conn *c)
{
	if (!c->preauth_counted)
		return;
	limit_conn_authed(c->set->limit, &c->ip);
	c->preauth_counted = false;
}

size_t
conn_unsent(const struct conn *c)
{
	if (c->carrier != NULL)
		return c->carrier->unsent(c->carrier_arg, c);
	return buf_len(&c->out);
}

/* What the loop should watch c's socket for now. */
static void
interest(struct conn *c)
{
	int want = 0;

	if (c->dead || c->fd < 0)
		return;
	if (!c->eof && !c->sniff_slow && !c->paused)
		want |= LOOP_READ;
	if (buf_len(&c->out) > 0 && !c->shut_wr)
		want |= LOOP_WRITE;
	/* OpenSSL may need the socket the other way round */
	if (c->tls != NULL && c->tls->read_wants_write)
		want |= LOOP_WRITE;
	if (c->tls != NULL && c->tls->write_wants_read && !c->shut_wr)
		want = (want & ~LOOP_WRITE) | LOOP_READ;
	if (loop_watch(c->set->loop, c->fd, want, on_io, c) != 0) {
		log_warn("epoll_ctl: %s", strerror(errno));
		drop(c, "epoll failed");
	}
}

/* Decrypt all that fits: bytes left inside OpenSSL wake no epoll. */
static int
fill_tls(struct conn *c)
{
	size_t got, want, total = 0;
	uint8_t *p;
	int r;

	for (;;) {
		if ((want = buf_avail(&c->in)) == 0)
			return total > 0 ? 0 : ERR_NO_SPACE;
		if (want > RELAY_READ_BYTES)
			want = RELAY_READ_BYTES;
		if ((r = buf_reserve(&c->in, want, &p)) != 0)
			return r;
		r = tls_read(c->tls, p, want, &got);
		if (r == 0 || r == ERR_AGAIN)
			buf_keep(&c->in, want, got);
		else
			buf_unput(&c->in, want - got);  /* what a failed read left is wiped */
		c->bytes_in += got;
		total += got;
		if (r != 0)
			return r == ERR_AGAIN && total > 0 ? 0 : r;
	}
}

/* One read(2) of at most RELAY_READ_BYTES; under TLS, every decrypted byte
 * that fits. ERR_AGAIN, ERR_CLOSED, ERR_NO_SPACE, ERR_SYSTEM, ERR_AUTH. */
static int
fill(struct conn *c)
{
	size_t got;
	int r;

	if (c->tls != NULL)
		return fill_tls(c);
	r = buf_read_fd(&c->in, c->fd, RELAY_READ_BYTES, &got);
	c->bytes_in += got;
	return r;
}

/* Write at most RELAY_WRITE_BUDGET_BYTES. ERR_CLOSED / ERR_SYSTEM / ERR_AUTH when broken. */
static int
flush(struct conn *c)
{
	size_t n, sent;
	int r;

	if (buf_len(&c->out) == 0)
		return 0;
	if (c->tls != NULL) {
		n = buf_len(&c->out) < RELAY_WRITE_BUDGET_BYTES ? buf_len(&c->out) :
		    RELAY_WRITE_BUDGET_BYTES;
		if ((r = tls_write(c->tls, buf_ptr(&c->out), n, &sent)) == 0)
			r = buf_skip(&c->out, sent);
	} else {
		r = buf_write_fd(&c->out, c->fd, RELAY_WRITE_BUDGET_BYTES, &sent);
	}
	if (r == ERR_AGAIN)
		return 0;
	if (r != 0)
		return r;
	c->bytes_out += sent;
	if (sent > 0)
		c->tx_ms = conn_now(c->set);
	return 0;
}

static void read_conn(struct conn *c);

static void
write_conn(struct conn *c)
{
	int rc;

	if (c->dead || c->shut_wr)
		return;
	if (c->carrier != NULL) {
		c->carrier->push(c->carrier_arg, c);
		if (!c->dead && c->state != CONN_CLOSING)
			drained(c);
		return;
	}
	if ((rc = flush(c)) != 0) {
		if (rc == ERR_AUTH)
			log_rl(&c->set->rl_tls, LOG_INFO, "conn=%llu peer=%s: %s",
			    (unsigned long long)c->id, c->peer, tls_why());
		/* Its last frames may wait unread behind the reset that made
		 * the write fail (a viewer's goodbye): they go first. (After a
		 * TLS error OpenSSL may not be read from again.) */
		if (c->tls == NULL)
			read_conn(c);
		if (!c->dead)
			conn_lost(c, "write failed");
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
			drop(c, c->why);
		return;
	}
	drained(c);
}

/* A plain socket's first bytes, peeked so that TLS finds them in the
 * socket. false: not decided (or closed) yet. */
static bool
sniff_socket(struct conn *c)
{
	struct conn_set *s = c->set;
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
		conn_touch(c);
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
	if (s->tls == NULL) {
		log_rl(&s->rl_tls, LOG_INFO, "conn=%llu peer=%s: TLS, but this relay has no "
		    "--tls-cert: closed", (unsigned long long)c->id, c->peer);
		conn_lost(c, "TLS without a certificate");
		return false;
	}
	if ((c->tls = tls_new(s->tls, c->fd)) == NULL) {
		conn_lost(c, "out of memory for TLS");
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

static void
read_conn(struct conn *c)
{
	enum metrics_tier tier;
	bool sniffing = c->kind == CONN_SNIFF;
	int rc;

	if (c->dead || c->eof || c->fd < 0)
		return;
	if (c->paused)
		return;         /* woken for OpenSSL's sake, not for reading */
	if (c->kind == CONN_SNIFF && c->tls == NULL && !sniff_socket(c))
		return;
	rc = fill(c);
	if (c->tls != NULL)
		conn_touch(c);  /* its interest may have changed, or bytes wait inside */
	if (rc == ERR_AGAIN)
		return;
	if (c->state == CONN_CLOSING) {
		/* not listened to any more; read on so that close() sends no reset */
		buf_reset(&c->in);
		if (rc != 0) {
			c->eof = true;
			if (c->shut_wr || rc != ERR_CLOSED)
				drop(c, c->why);
			else
				conn_touch(c);
		}
		return;
	}
	if (c->kind == CONN_SNIFF && !sniff_inner(c, rc == 0))
		return;
	if (sniffing && conn_tier(c, &tier))
		relay_metrics.connections[tier]++;
	if (rc == ERR_CLOSED) {
		/* what came before the end still counts: a viewer's last DATA, an END */
		if (ops(c) != NULL && ops(c)->eof != NULL)
			ops(c)->eof(ops_arg(c), c);
		if (!c->dead && c->state != CONN_CLOSING)
			conn_lost(c, "peer closed");
		else if (!c->dead)
			c->eof = true;
		return;
	}
	if (rc != 0) {
		if (rc == ERR_AUTH)
			log_rl(&c->set->rl_tls, LOG_INFO, "conn=%llu peer=%s: %s",
			    (unsigned long long)c->id, c->peer, tls_why());
		/* A reset after the last frames (a viewer that said goodbye
		 * and closed with bytes of ours unread) ends no differently
		 * from a close: what came before it still counts. */
		if (rc != ERR_NO_SPACE && rc != ERR_AUTH && ops(c) != NULL && ops(c)->eof != NULL)
			ops(c)->eof(ops_arg(c), c);
		if (!c->dead)
			conn_lost(c, rc == ERR_NO_SPACE ? "input full" : rc == ERR_AUTH ?
			    "TLS failed" : "read failed");
		return;
	}
	conn_serve(c);
}

static void
on_io(struct loop *l, int fd, void *arg, int ready)
{
	struct conn *c = arg;

	(void)fd;
	if (c->dead)
		return;
	if (ready & LOOP_WRITE) {
		write_conn(c);
		if (c->tls != NULL && c->tls->read_wants_write)
			read_conn(c);
		conn_touch(c);          /* stop watching for writing once empty */
	}
	if ((ready & LOOP_READ) && c->tls != NULL && c->tls->write_wants_read) {
		write_conn(c);
		conn_touch(c);
	}
	if (c->paused && (ready & LOOP_HUP) && !(loop_mask(l, c->fd) & LOOP_READ)) {
		/* gone while we were not reading it: no level-triggered spin */
		conn_lost(c, "peer hung up");
		return;
	}
	if (ready & (LOOP_READ | LOOP_HUP))
		read_conn(c);
}

void
conn_end_turn(struct conn_set *s)
{
	struct conn *c;

	while ((c = s->touched) != NULL) {
		s->touched = c->touch_next;
		c->touched = false;
		if (c->dead)
			continue;
		if (c->doom != 0) {
			uint16_t code = c->doom;

			c->doom = 0;
			conn_close(c, code, c->doom_why);
			continue;       /* it touched itself again */
		}
		write_conn(c);
		interest(c);
		/* decrypted bytes inside OpenSSL: no epoll event will come for them */
		if (c->tls != NULL && !c->dead && (loop_mask(s->loop, c->fd) & LOOP_READ) &&
		    tls_pending(c->tls))
			read_conn(c);
	}
	while ((c = s->dead) != NULL) {
		s->dead = c->next;
		conn_free(c);
	}
}

bool
conn_speaks_frames(const struct conn *c)
{
	switch (c->kind) {
	case CONN_RAW:
	case CONN_TUNNEL:
		return true;
	case CONN_SNIFF:
		/* silence is taken for raw frames, but not mid-handshake */
		return c->tls == NULL || tls_ready(c->tls);
	case CONN_HTTP:
	case CONN_KINDS:
		break;
	}
	return false;
}

const char *
conn_kind_str(const struct conn *c)
{
	switch (c->kind) {
	case CONN_SNIFF: return c->tls != NULL ? "tls" : "new";
	case CONN_RAW: return c->tls != NULL ? "tls" : "tcp";
	case CONN_HTTP: return c->tls != NULL ? "https" : "http";
	case CONN_TUNNEL: return "tunnel";
	case CONN_KINDS: break;
	}
	return "?";
}

/*
 * A large DATA body to a plain TCP conn with nothing queued goes out at once
 * from where it lies (the sender's input), behind its new header in one
 * sendmsg; only what the socket does not take is copied into the queue
 * (forwarding 64 KiB frames, the relay's memmove went from 4.4 % of its
 * time to 1.4 % without that copy). Small frames still wait for the end
 * of the turn, where all that is queued for one conn leaves in one send.
 * The queue's room is taken first, so that running out of memory refuses
 * the frame as before instead of leaving half of it sent; a failed send
 * queues it all, and the end of the turn's write finds the error.
 */
static int
put_data(struct conn *c, const uint8_t hdr[WIRE_HEADER_LEN], const void *body, size_t n)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)hdr, .iov_len = WIRE_HEADER_LEN },
		{ .iov_base = (void *)body, .iov_len = n },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };
	size_t total = WIRE_HEADER_LEN + n, sent = 0;
	bool direct = n >= RELAY_DIRECT_MIN_BYTES && c->tls == NULL && c->carrier == NULL &&
	    !c->dead && !c->shut_wr && c->fd >= 0 && c->state != CONN_CLOSING &&
	    buf_len(&c->out) == 0;
	uint8_t *p;
	ssize_t w;
	int r;

	if ((r = buf_reserve(&c->out, total, &p)) != 0)
		return r;
	if (direct) {
		do
			w = sendmsg(c->fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
		while (w == -1 && errno == EINTR);
		if (w > 0) {
			sent = (size_t)w;
			c->bytes_out += sent;
			c->tx_ms = conn_now(c->set);
		}
	}
	/* the part not sent, to the front of the room taken */
	if (sent < WIRE_HEADER_LEN) {
		memcpy(p, hdr + sent, WIRE_HEADER_LEN - sent);
		if (n > 0)
			memcpy(p + WIRE_HEADER_LEN - sent, body, n);
	} else if (sent < total) {
		memcpy(p, (const uint8_t *)body + (sent - WIRE_HEADER_LEN), total - sent);
	}
	buf_unput(&c->out, sent);
	return 0;
}

int
conn_send(struct conn *c, uint8_t type, uint8_t flags, uint16_t slot, uint64_t seq,
    const void *body, size_t n)
{
	struct wire_hdr h = { .type = type, .flags = flags, .slot = slot, .seq = seq,
	    .len = (uint32_t)n };
	uint8_t hdr[WIRE_HEADER_LEN];

	/* data stops at the cap; only the slack above it is left for control frames */
	if (type == WIRE_DATA && buf_len(&c->out) + WIRE_HEADER_LEN + n > RELAY_OUTBUF_MAX_BYTES)
		return ERR_NO_SPACE;
	if (type != WIRE_DATA || n > WIRE_BODY_MAX_BYTES)
		return wire_put(&c->out, &h, body, n);
	wire_hdr_pack(&h, hdr);
	return put_data(c, hdr, body, n);
}

int
conn_send_error(struct conn *c, uint16_t code)
{
	struct buf body;
	int r;

	buf_init(&body, 2 + 2 + WIRE_ERROR_TEXT_MAX);
	if ((r = wire_error_encode(&body, code, wire_error_str(code))) == 0)
		r = conn_send(c, WIRE_ERROR, 0, 0, 0, buf_ptr(&body), buf_len(&body));
	buf_release(&body);
	return r;
}

const char *
conn_state_str(enum conn_state s)
{
	switch (s) {
	case CONN_PREAUTH: return "preauth";
	case CONN_MASTER: return "master";
	case CONN_VIEWER: return "viewer";
	case CONN_CLOSING: return "closing";
	}
	return "?";
}

/* session-creation tokens */
void
conn_close_text(struct conn *c, uint16_t code, const char *text, const char *why)
{
	struct buf body;
	int r;

	if (c->dead || c->state == CONN_CLOSING)
		return;
	metrics_refusal(code);
	leave(c, code);
	if (conn_speaks_frames(c)) {
		buf_init(&body, 2 + 2 + WIRE_ERROR_TEXT_MAX);
		if ((r = wire_error_encode(&body, code, text)) == 0)
			r = conn_send(c, WIRE_ERROR, 0, 0, 0, buf_ptr(&body), buf_len(&body));
		buf_release(&body);
		if (r != 0)
			log_debug("conn=%llu: no room for the ERROR", (unsigned long long)c->id);
	}
	closing(c, why);
}

bool
conn_tier(const struct conn *c, enum metrics_tier *t)
{
	switch (c->kind) {
	case CONN_RAW:
		*t = c->tls != NULL ? METRICS_TLS : METRICS_TCP;
		return true;
	case CONN_HTTP:
		*t = c->tls != NULL ? METRICS_HTTPS : METRICS_HTTP;
		return true;
	case CONN_TUNNEL:
		*t = c->tunnel_tls ? METRICS_HTTPS : METRICS_HTTP;
		return true;
	case CONN_SNIFF:
	case CONN_KINDS:
		break;
	}
	return false;
}
