/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "link.h"
#include "log.h"
#include "net.h"

void
link_init(struct link *l)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->t = NULL;
	buf_init(&l->in, WIRE_HEADER_LEN + WIRE_BODY_MAX_BYTES + RELAY_READ_BYTES);
	buf_init(&l->out, CLIENT_OUTBUF_MAX_BYTES);
	l->body_max = WIRE_PREAUTH_MAX_BYTES;
}

void
link_close(struct link *l)
{
	transport_close(l->t);
	l->t = NULL;
	l->fd = -1;
	buf_release(&l->in);
	buf_release(&l->out);
	l->body_max = WIRE_PREAUTH_MAX_BYTES;
	l->ping_sent_ms = 0;
	l->ended = 0;
}

int
link_send(struct link *l, uint8_t type, uint8_t flags, uint16_t slot,
    const void *body, size_t n)
{
	struct wire_hdr h = { .type = type, .flags = flags, .slot = slot };

	if (n > l->body_max)
		return ERR_TOO_LARGE;
	if (type == WIRE_PING && l->ping_sent_ms == 0)
		l->ping_sent_ms = mono_ms();
	return wire_put(&l->out, &h, body, n);
}

int
link_flush(struct link *l)
{
	size_t sent;
	int r;

	if (l->t == NULL)
		return buf_len(&l->out) > 0 ? ERR_CLOSED : 0;
	while (buf_len(&l->out) > 0) {
		r = transport_send(l->t, buf_ptr(&l->out), buf_len(&l->out), &sent);
		if (r == ERR_AGAIN)
			return 0;
		if (r != 0) {
			snprintf(l->why, sizeof(l->why), "connection lost while sending (%s)",
			    transport_why(l->t)[0] ? transport_why(l->t) : err_str(r));
			return r;
		}
		if ((r = buf_skip(&l->out, sent)) != 0)
			return r;
	}
	return 0;
}

bool
link_want_write(const struct link *l)
{
	return buf_len(&l->out) > 0;
}

size_t
link_queued(const struct link *l)
{
	return buf_len(&l->out);
}

int
link_fill(struct link *l)
{
	size_t got, want;
	uint8_t *p;
	int r;

	if (l->t == NULL)
		return ERR_CLOSED;
	if (l->ended != 0)
		return link_has_frame(l) ? 0 : l->ended;
	for (;;) {
		want = buf_avail(&l->in) < RELAY_READ_BYTES ? buf_avail(&l->in) : RELAY_READ_BYTES;
		if (want == 0)
			return 0;       /* a full buffer: the caller parses first */
		if ((r = buf_reserve(&l->in, want, &p)) != 0)
			return r;
		r = transport_recv(l->t, p, want, &got);
		buf_unput(&l->in, want - (r == 0 ? got : 0));
		if (r == 0)
			l->bytes_in += got;
		if (r == ERR_AGAIN)
			return 0;
		if (r != 0) {
			snprintf(l->why, sizeof(l->why), "%s", r == ERR_CLOSED ?
			    "the relay closed the connection" : transport_why(l->t)[0] ?
			    transport_why(l->t) : "connection lost while receiving");
			/* The relay's last frames (an ERROR saying why it
			 * closed) often come in the same read as the close:
			 * they are taken first, the end after them. */
			if (link_has_frame(l)) {
				l->ended = r;
				return 0;
			}
			return r;
		}
	}
}

int
link_pollfds(struct link *l, struct pollfd *p, int max, int *timeout_ms)
{
	if (l->t == NULL)
		return 0;
	return transport_pollfds(l->t, p, max, link_want_write(l), timeout_ms);
}

int
link_service(struct link *l)
{
	int r;

	if (l->t == NULL)
		return ERR_CLOSED;
	if (l->ended != 0)
		return link_fill(l);    /* the transport is done: nothing to move on */
	if ((r = transport_after_poll(l->t)) != 0) {
		snprintf(l->why, sizeof(l->why), "%s", transport_why(l->t));
		return r;
	}
	if (!transport_ready(l->t))
		return 0;
	return link_fill(l);
}

const char *
link_transport(const struct link *l)
{
	return l->t != NULL ? transport_kind_name(transport_kind(l->t)) : "none";
}

bool
link_has_frame(const struct link *l)
{
	uint32_t len;

	return buf_peek_u32(&l->in, 0, &len) == 0 &&
	    buf_len(&l->in) >= (size_t)WIRE_HEADER_LEN + len;
}

int
link_next(struct link *l, struct wire_hdr *h, struct buf *body)
{
	int r = wire_next(&l->in, l->body_max, h, body);

	if (r == 0 && h->type == WIRE_PONG && l->ping_sent_ms != 0) {
		l->rtt_ms = (unsigned)(mono_ms() - l->ping_sent_ms);
		l->ping_sent_ms = 0;
	}
	return r;
}

/* Wait until one of the links' transports may move, or until deadline. */
static int
wait_links(struct link **ls, int n, uint64_t deadline, uint64_t wake)
{
	struct pollfd p[LINK_POLLFDS_MAX * TRANSPORT_TIERS];
	int np = 0, timeout, r;
	uint64_t now = mono_ms();

	if (now >= deadline)
		return ERR_TIMEOUT;
	if (wake > deadline)
		wake = deadline;
	timeout = wake > now ? (int)(wake - now) : 0;
	for (int i = 0; i < n && np + LINK_POLLFDS_MAX <= (int)(sizeof(p) / sizeof(p[0])); i++)
		np += link_pollfds(ls[i], p + np, LINK_POLLFDS_MAX, &timeout);
	r = poll(p, (nfds_t)np, timeout);
	if (r == -1 && errno != EINTR)
		return ERR_SYSTEM;
	return 0;
}

int
link_drain(struct link *l, int timeout_ms)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	int r;

	for (;;) {
		if ((r = link_flush(l)) != 0)
			return r;
		if (buf_len(&l->out) == 0 && transport_unsent(l->t) == 0)
			return 0;
		if ((r = wait_links(&l, 1, deadline, deadline)) != 0)
			return r;
		if ((r = transport_after_poll(l->t)) != 0) {
			snprintf(l->why, sizeof(l->why), "%s", transport_why(l->t));
			return r;
		}
	}
}

/* One tier of link_open: a link of its own until it wins. */
struct attempt {
	struct link l;
	int kind;
	bool started, over;
	int r;                          /* how it ended */
};

/*
 * Move one attempt on: connect, send HELLO, look for the answer. 0 for a
 * WELCOME, REFUSED for the relay's ERROR (l->error_code, l->why): either
 * way this tier reached the relay. ERR_AGAIN while under way, another
 * error when this tier failed.
 */
enum { REFUSED = 1 };

static int
attempt_step(struct attempt *a, uint8_t role, uint32_t session)
{
	struct wire_error_body eb;
	struct wire_hdr h;
	struct buf body;
	struct link *l = &a->l;
	int r;

	if ((r = link_service(l)) != 0)
		return r;
	/* An answer that came with the relay's close waits although the
	 * transport is over (and may not be ready again): read it first. */
	if (!link_has_frame(l)) {
		if (!transport_ready(l->t))
			return ERR_AGAIN;
		if ((r = link_flush(l)) != 0)
			return r;
	}
	if ((r = link_next(l, &h, &body)) == ERR_INCOMPLETE)
		return ERR_AGAIN;
	if (r != 0) {
		snprintf(l->why, sizeof(l->why), "no WELCOME from the relay (%s)", err_str(r));
		return r;
	}
	if (h.type == WIRE_ERROR) {
		if (wire_error_decode(&body, &eb) == 0) {
			l->error_code = eb.code;
			/* The relay's text is usually the code's own words. */
			if (eb.text[0] == '\0' || strcmp(eb.text, wire_error_str(eb.code)) == 0)
				snprintf(l->why, sizeof(l->why), "relay refused: %s",
				    wire_error_str(eb.code));
			else
				snprintf(l->why, sizeof(l->why), "relay refused: %s (%s)",
				    wire_error_str(eb.code), eb.text);
		} else {
			l->error_code = WIRE_E_PROTOCOL;
			snprintf(l->why, sizeof(l->why), "relay refused with a malformed ERROR");
		}
		return REFUSED;
	}
	if (h.type != WIRE_WELCOME || wire_welcome_decode(&body, &l->welcome) != 0 ||
	    (session != 0 && l->welcome.session != session) ||
	    (role == WIRE_ROLE_MASTER && l->welcome.slot != WIRE_SLOT_MASTER) ||
	    (role == WIRE_ROLE_VIEWER && l->welcome.slot == WIRE_SLOT_MASTER)) {
		snprintf(l->why, sizeof(l->why), "the relay's WELCOME is malformed");
		return ERR_PROTOCOL;
	}
	return 0;
}

static int
attempt_start(struct attempt *a, const char *host, uint16_t port, const struct buf *hello,
    const struct transport_opts *o, int timeout_ms)
{
	struct transport_opts tcp = { .kind = TRANSPORT_TCP };
	int r;

	a->started = true;
	a->l.t = transport_start(a->kind, host, port, o != NULL ? o : &tcp, timeout_ms,
	    a->l.why, sizeof(a->l.why));
	if (a->l.t == NULL)
		return ERR_UNSUPPORTED;
	if ((r = link_send(&a->l, WIRE_HELLO, 0, 0, buf_ptr(hello), buf_len(hello))) != 0) {
		snprintf(a->l.why, sizeof(a->l.why), "cannot queue HELLO (%s)", err_str(r));
		return r;
	}
	return ERR_AGAIN;
}

/* One line per tier that failed while racing: the user sees why. */
static void
tier_log(const struct transport_opts *o, int n, struct attempt *a)
{
	const char *name = transport_kind_name(a->kind);
	size_t len = strlen(name);

	if (o == NULL || n < 2)
		return;         /* a single tier's failure is the caller's to show */
	if (strncmp(a->l.why, name, len) == 0 && a->l.why[len] == ':')
		log_info("transport %s", a->l.why);
	else
		log_info("transport %s: %s", name, a->l.why[0] ? a->l.why : err_str(a->r));
}

/* The tiers to try, in order: the one given (a relay tier or direct), or
 * for auto the one that won last time on this network first, then every
 * relay tier in the table's order (T0..T3). */
static int
tier_order(const struct transport_opts *o, const char *relay, int *order)
{
	int n = 0, first;

	if (o == NULL || o->kind != TRANSPORT_AUTO) {
		order[0] = o == NULL ? TRANSPORT_TCP : o->kind;
		return 1;
	}
	first = transport_remembered(o, relay);
	if (first != TRANSPORT_AUTO)
		order[n++] = first;
	for (int k = 0; k < TRANSPORT_TIERS; k++)
		if (k != first)
			order[n++] = k;
	return n;
}

int
link_open(struct link *l, const char *relay, uint8_t role, uint32_t session,
    const char *name, int timeout_ms)
{
	const struct transport_opts *o = l->opts;
	uint64_t now, deadline = mono_ms() + (uint64_t)timeout_ms, next_start = 0;
	struct attempt a[TRANSPORT_TIERS];
	struct link *ls[TRANSPORT_TIERS];
	struct wire_hello hello;
	struct buf hbuf;
	int order[TRANSPORT_TIERS], n, nl, i, next, running, win = -1, r = ERR_TIMEOUT;
	char host[256];
	uint16_t port;

	l->error_code = 0;
	l->why[0] = '\0';
	if (net_split_hostport(relay, 0, host, sizeof(host), &port) != 0) {
		snprintf(l->why, sizeof(l->why), "bad relay address '%s' (want HOST[:PORT])", relay);
		return ERR_FORMAT;
	}
	memset(&hello, 0, sizeof(hello));
	hello.version = WIRE_VERSION;
	hello.role = role;
	hello.session = session;
	snprintf(hello.name, sizeof(hello.name), "%s", name);
	if (l->resume && role == WIRE_ROLE_MASTER) {
		hello.has_ticket = true;
		memcpy(hello.ticket, l->ticket, WIRE_TICKET_LEN);
	}
	buf_init(&hbuf, WIRE_PREAUTH_MAX_BYTES);
	if ((r = wire_hello_encode(&hbuf, &hello)) != 0) {
		buf_release(&hbuf);
		snprintf(l->why, sizeof(l->why), "cannot build HELLO (%s)", err_str(r));
		return r;
	}
	n = tier_order(o, host, order);
	for (i = 0; i < n; i++) {
		memset(&a[i], 0, sizeof(a[i]));
		link_init(&a[i].l);
		a[i].kind = order[i];
		a[i].r = ERR_TIMEOUT;
	}
	for (;;) {
		now = mono_ms();
		running = 0;
		for (i = 0; i < n; i++)
			running += a[i].started && !a[i].over;
		/* The next tier joins the race after a while, or at once when
		 * every running one has failed. */
		for (next = 0; next < n && a[next].started; next++)
			;
		if (next < n && (running == 0 || now >= next_start)) {
			uint16_t p = port != 0 ? port : transport_kind_port(order[next]);
			int left = deadline > now ? (int)(deadline - now) : 1;

			r = attempt_start(&a[next], host, p, &hbuf, o, left);
			if (r != ERR_AGAIN) {
				a[next].over = true;
				a[next].r = r;
				tier_log(o, n, &a[next]);
			}
			next_start = now + TRANSPORT_RACE_MS;
			continue;
		}
		if (running == 0)
			break;          /* every tier failed */
		nl = 0;
		for (i = 0; i < n; i++)
			if (a[i].started && !a[i].over)
				ls[nl++] = &a[i].l;
		if ((r = wait_links(ls, nl, deadline, next < n ? next_start : deadline)) != 0)
			break;
		for (i = 0; i < n && win < 0; i++) {
			if (!a[i].started || a[i].over)
				continue;
			r = attempt_step(&a[i], role, session);
			if (r == 0 || r == REFUSED) {
				win = i;
				a[i].r = r;
			} else if (r != ERR_AGAIN) {
				a[i].over = true;
				a[i].r = r;
				tier_log(o, n, &a[i]);
			}
		}
		if (win >= 0)
			break;
	}
	buf_release(&hbuf);
	for (i = 0; i < n; i++) {
		if (i == win || !a[i].started)
			continue;
		if (!a[i].over && win < 0) {
			snprintf(a[i].l.why, sizeof(a[i].l.why), "no WELCOME from the relay in time");
			tier_log(o, n, &a[i]);
		}
		if (win < 0 && i == 0) {
			/* The first tier's failure is the one to show: for auto
			 * the others were fallbacks, each logged above. */
			memcpy(l->why, a[i].l.why, sizeof(l->why));
			r = a[i].r;
		}
		link_close(&a[i].l);
	}
	if (win < 0) {
		if (l->why[0] == '\0')
			snprintf(l->why, sizeof(l->why), "no WELCOME from the relay (%s)",
			    err_str(ERR_TIMEOUT));
		return r != 0 && r != ERR_AGAIN ? r : ERR_TIMEOUT;
	}
	/* The winner's link becomes ours; our options and resume ticket stay. */
	buf_release(&l->in);
	buf_release(&l->out);
	a[win].l.opts = o;
	a[win].l.resume = l->resume;
	memcpy(a[win].l.ticket, l->ticket, sizeof(l->ticket));
	*l = a[win].l;
	l->fd = transport_fd(l->t);
	if (a[win].r == REFUSED)
		return ERR_PROTOCOL;
	l->body_max = l->welcome.body_max;
	/* A relay tier the options chose (direct: the caller says where). */
	if (o != NULL && o->kind != TRANSPORT_DIRECT) {
		log_info("transport %s in use (%s)", link_transport(l), o->kind ==
		    TRANSPORT_AUTO ? "the first tier to reach the relay" : "--transport");
		if (o->kind == TRANSPORT_AUTO)
			transport_remember(o, host, transport_kind(l->t));
	}
	return 0;
}

uint64_t
link_ping_ms(const struct link *l)
{
	uint64_t t = l->welcome.idle_timeout_ms / 3;

	if (l->welcome.idle_timeout_ms == 0 || t > CLIENT_PING_MS)
		return CLIENT_PING_MS;
	return t < CLIENT_PING_MIN_MS ? CLIENT_PING_MIN_MS : t;
}
