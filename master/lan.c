/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "clock.h"
#include "lan.h"
#include "log.h"
#include "net.h"

enum lan_state {
	LAN_FREE = 0,
	LAN_PREAUTH,            /* accepted, waiting for HELLO */
	LAN_VIEWER,             /* welcomed: a viewer slot in the session */
	LAN_CLOSING,            /* flush, then close */
};

struct lan_conn {
	enum lan_state state;
	int fd;
	char peer[WIRE_ADDR_TEXT_MAX + 1];
	struct buf in, out;
	unsigned slot;          /* the session's slot while LAN_VIEWER */
	uint64_t born_ms, seen_ms;
};

struct lan {
	int fd;
	char addr[WIRE_ADDR_TEXT_MAX + 1];
	struct lan_conn c[LAN_CONNS_MAX];
	unsigned joins;                 /* in the current minute */
	uint64_t joins_minute_ms;
};

struct lan *
lan_open(const char *addr, char *why, size_t why_len)
{
	struct lan *l = calloc(1, sizeof(*l));
	if (l == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	if ((l->fd = net_listen(addr, l->addr, sizeof(l->addr), why, why_len)) < 0) {
		free(l);
		return NULL;
	}
	for (unsigned i = 0; i < LAN_CONNS_MAX; i++)
		l->c[i].fd = -1;
	return l;
}

static void
conn_close(struct lan_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	buf_release(&c->in);
	buf_release(&c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

void
lan_close(struct lan *l)
{
	if (l == NULL)
		return;
	for (unsigned i = 0; i < LAN_CONNS_MAX; i++)
		if (l->c[i].state != LAN_FREE)
			conn_close(&l->c[i]);
	close(l->fd);
	free(l);
}

const char *
lan_addr(const struct lan *l)
{
	return l->addr;
}

struct buf *
lan_out(struct lan_conn *c)
{
	return &c->out;
}

size_t
lan_queued(const struct lan_conn *c)
{
	return buf_len(&c->out);
}

void
lan_drop(struct lan_conn *c, uint16_t code)
{
	if (c->state == LAN_FREE || c->state == LAN_CLOSING)
		return;
	buf_reset(&c->in);
	if (code != WIRE_E_NONE) {
		uint8_t body[4 + WIRE_ERROR_TEXT_MAX];
		struct buf b;

		buf_init(&b, sizeof(body));
		if (wire_error_encode(&b, code, wire_error_str(code)) == 0) {
			struct wire_hdr h = { .type = WIRE_ERROR };

			if (wire_put(&c->out, &h, buf_ptr(&b), buf_len(&b)) != 0)
				log_debug("lan %s: no room for the ERROR frame", c->peer);
		}
		buf_release(&b);
	}
	c->state = LAN_CLOSING;
	c->seen_ms = mono_ms();
}

/*
 * Where a viewer on the same network can reach us: the listening address
 * when it names one, else every IPv4 address of this host but loopback.
 */
int
lan_offer(const struct lan *l, struct msg_lan_offer *o)
{
	const char *colon = strrchr(l->addr, ':');
	struct ifaddrs *ifs, *i;

	memset(o, 0, sizeof(*o));
	if (colon == NULL)
		return ERR_INTERNAL;
	if (strncmp(l->addr, "0.0.0.0:", 8) != 0 && strncmp(l->addr, "[::]:", 5) != 0) {
		snprintf(o->addr[o->n++], sizeof(o->addr[0]), "%s", l->addr);
		return 0;
	}
	if (getifaddrs(&ifs) != 0)
		return ERR_SYSTEM;
	for (i = ifs; i != NULL && o->n < MSG_LAN_ADDRS_MAX; i = i->ifa_next) {
		char ip[WIRE_ADDR_TEXT_MAX + 1];
		const char *c;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_INET)
			continue;
		net_addr_str(i->ifa_addr, ip, sizeof(ip));
		if (strncmp(ip, "127.", 4) == 0 || (c = strrchr(ip, ':')) == NULL)
			continue;
		snprintf(o->addr[o->n++], sizeof(o->addr[0]), "%.*s%s", (int)(c - ip), ip, colon);
	}
	freeifaddrs(ifs);
	return o->n > 0 ? 0 : ERR_UNSUPPORTED;
}

void
lan_forget(struct lan_conn *c)
{
	c->slot = 0;
}

int
lan_pollfds(struct lan *l, struct pollfd *p, int max)
{
	int n = 0;

	if (max < 1)
		return 0;
	p[n].fd = l->fd;
	p[n++].events = POLLIN;
	for (unsigned i = 0; i < LAN_CONNS_MAX && n < max; i++) {
		struct lan_conn *c = &l->c[i];

		if (c->state == LAN_FREE)
			continue;
		p[n].fd = c->fd;
		p[n++].events = (short)((c->state != LAN_CLOSING ? POLLIN : 0) |
		    (buf_len(&c->out) > 0 ? POLLOUT : 0));
	}
	return n;
}

static void
accept_one(struct lan *l)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned i, preauth = 0;
	struct lan_conn *c = NULL;
	int fd;

	if ((fd = accept4(l->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC)) < 0)
		return;
	for (i = 0; i < LAN_CONNS_MAX; i++) {
		preauth += l->c[i].state == LAN_PREAUTH;
		if (c == NULL && l->c[i].state == LAN_FREE)
			c = &l->c[i];
	}
	if (c == NULL || preauth >= LAN_PREAUTH_MAX) {
		log_info("lan: refused a connection: %s", c == NULL ? "full" : "too many waiting");
		close(fd);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	net_addr_str((struct sockaddr *)&ss, c->peer, sizeof(c->peer));
	buf_init(&c->in, WIRE_HEADER_LEN + WIRE_BODY_DEFAULT_BYTES + RELAY_READ_BYTES);
	buf_init(&c->out, CLIENT_OUTBUF_MAX_BYTES);
	c->state = LAN_PREAUTH;
	c->born_ms = c->seen_ms = mono_ms();
	log_info("lan: connection from %s", c->peer);
}

/* HELLO from a would-be viewer: WELCOME, and a new viewer in the session. */
static void
on_hello(struct lan *l, const struct lan_events *ev, struct lan_conn *c, struct buf *body)
{
	struct wire_welcome w = { .slot = 1, .body_max = WIRE_BODY_DEFAULT_BYTES,
		.idle_timeout_ms = RELAY_IDLE_TIMEOUT_MS, .max_viewers = SESSION_VIEWERS_MAX };
	struct wire_hdr h = { .type = WIRE_WELCOME };
	struct wire_hello hello;
	uint64_t now = mono_ms();
	uint8_t b[64];
	struct buf out;
	unsigned upgrade_of = 0;
	int slot;

	if (wire_hello_decode(body, &hello) != 0 || hello.role != WIRE_ROLE_VIEWER) {
		lan_drop(c, WIRE_E_PROTOCOL);
		return;
	}
	if (hello.version != WIRE_VERSION) {
		lan_drop(c, WIRE_E_VERSION);
		return;
	}
	if (hello.session != 0 && hello.session != ev->number(ev->ctx)) {
		lan_drop(c, WIRE_E_NO_SESSION);
		return;
	}
	if (now - l->joins_minute_ms >= 60000) {
		l->joins_minute_ms = now;
		l->joins = 0;
	}
	if (++l->joins > LAN_JOINS_PER_MIN) {
		log_info("lan: %s refused: too many joins this minute", c->peer);
		lan_drop(c, WIRE_E_RATE);
		return;
	}
	randombytes_buf(&w.session_uid, sizeof(w.session_uid));
	w.session = ev->number(ev->ctx);
	/* "upgrade:N": a relayed viewer in slot N moving here (the name is a
	 * hint only: the handshake over its secret token decides). */
	if (strncmp(hello.name, "upgrade:", 8) == 0)
		upgrade_of = (unsigned)strtoul(hello.name + 8, NULL, 10);
	if ((slot = ev->join(ev->ctx, c, c->peer, w.session_uid, upgrade_of)) < 0) {
		lan_drop(c, WIRE_E_FULL);
		return;
	}
	buf_init(&out, sizeof(b));
	if (wire_welcome_encode(&out, &w) != 0 ||
	    wire_put(&c->out, &h, buf_ptr(&out), buf_len(&out)) != 0) {
		buf_release(&out);
		ev->leave(ev->ctx, (unsigned)slot, WIRE_E_CLOSED);
		lan_drop(c, WIRE_E_BUSY);
		return;
	}
	buf_release(&out);
	c->state = LAN_VIEWER;
	c->slot = (unsigned)slot;
	/* The handshake's first message follows the WELCOME. */
	ev->start(ev->ctx, (unsigned)slot);
}

static void
on_frames(struct lan *l, const struct lan_events *ev, struct lan_conn *c)
{
	struct wire_hdr h;
	struct buf body;
	int r;

	while (c->state == LAN_PREAUTH || c->state == LAN_VIEWER) {
		size_t max = c->state == LAN_PREAUTH ? WIRE_PREAUTH_MAX_BYTES :
		    WIRE_BODY_DEFAULT_BYTES;

		if ((r = wire_next(&c->in, max, &h, &body)) == ERR_INCOMPLETE)
			return;
		if (r != 0) {
			lan_drop(c, r == ERR_TOO_LARGE ? WIRE_E_TOO_LARGE : WIRE_E_PROTOCOL);
			break;
		}
		c->seen_ms = mono_ms();
		if (c->state == LAN_PREAUTH) {
			if (h.type != WIRE_HELLO)
				lan_drop(c, WIRE_E_PROTOCOL);
			else
				on_hello(l, ev, c, &body);
			continue;
		}
		if (h.type == WIRE_PING) {
			struct wire_hdr p = { .type = WIRE_PONG };

			if (wire_put(&c->out, &p, NULL, 0) != 0)
				lan_drop(c, WIRE_E_SLOW);
			continue;
		}
		if (h.type != WIRE_DATA) {
			lan_drop(c, WIRE_E_PROTOCOL);
			break;
		}
		h.slot = (uint16_t)c->slot;    /* what a relay would do: the source */
		ev->frame(ev->ctx, c->slot, &h, &body);
	}
	if (c->state == LAN_CLOSING && c->slot != 0) {
		unsigned slot = c->slot;

		c->slot = 0;
		ev->leave(ev->ctx, slot, WIRE_E_PROTOCOL);
	}
}

/*
 * c's connection ended (a read or a write failed). What the viewer sent
 * before the end counts first (its goodbye, often in the same moment as
 * the end or the reset that follows it): a viewer that said goodbye left,
 * it was not lost.
 */
static void
conn_gone(struct lan *l, const struct lan_events *ev, struct lan_conn *c)
{
	size_t got;

	if (c->state != LAN_CLOSING) {
		while (buf_read_fd(&c->in, c->fd, RELAY_READ_BYTES, &got) == 0)
			;
		on_frames(l, ev, c);
	}
	if (c->slot != 0 && c->state == LAN_VIEWER)
		ev->leave(ev->ctx, c->slot, WIRE_E_CLOSED);
	log_info("lan: %s closed", c->peer);
	conn_close(c);
}

void
lan_service(struct lan *l, const struct lan_events *ev, const struct pollfd *p, int n)
{
	uint64_t now = mono_ms();

	if (n > 0 && (p[0].revents & POLLIN))
		accept_one(l);
	for (unsigned i = 0; i < LAN_CONNS_MAX; i++) {
		struct lan_conn *c = &l->c[i];
		size_t got;
		int r = 0;

		if (c->state == LAN_FREE)
			continue;
		if (c->state != LAN_CLOSING) {
			while ((r = buf_read_fd(&c->in, c->fd, RELAY_READ_BYTES, &got)) == 0)
				;
			if (r != ERR_AGAIN && r != ERR_NO_SPACE) {
				conn_gone(l, ev, c);
				continue;
			}
			on_frames(l, ev, c);
		}
		/* Compare by adding: seen_ms may be later than now (set just above). */
		if (c->state == LAN_PREAUTH && c->born_ms + RELAY_HELLO_TIMEOUT_MS < now)
			lan_drop(c, WIRE_E_TIMEOUT);
		else if (c->state == LAN_VIEWER && c->seen_ms + RELAY_IDLE_TIMEOUT_MS < now) {
			ev->leave(ev->ctx, c->slot, WIRE_E_TIMEOUT);
			c->slot = 0;
			lan_drop(c, WIRE_E_TIMEOUT);
		}
	}
	lan_flush(l, ev);
}

void
lan_flush(struct lan *l, const struct lan_events *ev)
{
	uint64_t now = mono_ms();

	for (unsigned i = 0; i < LAN_CONNS_MAX; i++) {
		struct lan_conn *c = &l->c[i];
		size_t sent;
		int r = 0;

		if (c->state == LAN_FREE)
			continue;
		while (buf_len(&c->out) > 0 &&
		    (r = buf_write_fd(&c->out, c->fd, RELAY_WRITE_BUDGET_BYTES, &sent)) == 0)
			;
		if (r != 0 && r != ERR_AGAIN) {
			conn_gone(l, ev, c);
			continue;
		}
		/* Closing: gone once flushed, or after a second regardless. */
		if (c->state == LAN_CLOSING && (buf_len(&c->out) == 0 ||
		    c->seen_ms + RELAY_CLOSE_LINGER_MS < now))
			conn_close(c);
	}
}
