/* SPDX-License-Identifier: Apache-2.0 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "link.h"
#include "log.h"
#include "net.h"
#include "relay_list.h"
#include "resolve.h"

/* Words for people into why[]; a long name may cut them short. */
static void __attribute__((format(printf, 3, 4)))
say(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
}

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
	if (type == WIRE_PING && l->ping_sent_ms == 0) {
		uint64_t acked, queued;

		l->ping_sent_ms = mono_ms();
		/* Our bytes ahead of it (in the socket, in our queue), then it. */
		l->ping_acked_due = 0;
		if (net_tcp_acked(l->fd, &acked, &queued) == 0) {
			l->ping_acked_due = acked + queued + buf_len(&l->out) + WIRE_HEADER_LEN + n;
			l->acked_seen = acked;
		}
	}
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
		if (r == 0)
			buf_keep(&l->in, want, got);
		else
			buf_unput(&l->in, want);        /* what a failed read left is wiped */
		if (r == 0 && got > 0) {
			l->bytes_in += got;
			l->heard_ms = mono_ms();
		}
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

/*
 * One try of link_open: a relay (by name, or one of its addresses) on one
 * tier, with a link of its own until it wins.
 */
struct attempt {
	struct link l;
	const struct relay_entry *relay;
	int kind;
	char address[INET6_ADDRSTRLEN]; /* "": by name */
	bool one_of_several;            /* address is one of the name's several */
	unsigned delay_ms;              /* after the attempt before it started */
	bool started, over;
	int r;                          /* how it ended */
	char redirect[WIRE_REDIRECT_TEXT_MAX + 1];
};

/* What link_open may start at most: the relays' addresses on their first
 * tier, then every other tier for each relay by name (link.h). */
enum {
	ATTEMPTS_MAX = CLIENT_RELAY_ADDRS_MAX + (CLIENT_RELAYS_MAX + 1) * (TRANSPORT_TIERS - 1),
};

/* Wait until one of the links' transports may move, or until deadline. */
static int
wait_links(struct link **ls, int n, uint64_t deadline, uint64_t wake)
{
	struct pollfd p[LINK_POLLFDS_MAX * ATTEMPTS_MAX];
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
		if (buf_len(&l->out) == 0 && transport_unsent(l->t) == 0) {
			uint64_t acked, queued;

			/* Written is not sent: a socket closed with the peer's
			 * bytes unread resets, and what had not left is lost (a
			 * goodbye). Until its peer acknowledged it, then. */
			while (net_tcp_acked(l->fd, &acked, &queued) == 0 && queued > 0 &&
			    mono_ms() < deadline)
				usleep(CLIENT_DRAIN_POLL_MS * 1000);
			return 0;
		}
		if ((r = wait_links(&l, 1, deadline, deadline)) != 0)
			return r;
		if ((r = transport_after_poll(l->t)) != 0) {
			snprintf(l->why, sizeof(l->why), "%s", transport_why(l->t));
			return r;
		}
	}
}

/* One race of link_open: the attempts in the order they start. */
struct race {
	struct attempt *a;
	int n;
	const struct transport_opts *o;
	const struct buf *hello;
	uint8_t role;
	uint32_t session;
	uint64_t deadline;
	bool several_relays;            /* failures say which relay */
};

/*
 * Move one attempt on: connect, send HELLO, look for the answer. 0 for a
 * WELCOME, REFUSED for the relay's ERROR (l->error_code, l->why),
 * REDIRECTED for its REDIRECT (a->redirect): either way this attempt
 * reached a relay. ERR_AGAIN while under way, another error when it
 * failed.
 */
enum { REFUSED = 1, REDIRECTED = 2 };

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
	if (h.type == WIRE_REDIRECT) {
		if (wire_redirect_decode(&body, a->redirect) != 0) {
			snprintf(l->why, sizeof(l->why), "the relay's REDIRECT is malformed");
			return ERR_PROTOCOL;
		}
		return REDIRECTED;
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
attempt_start(struct attempt *a, const struct buf *hello, const struct transport_opts *o,
    int timeout_ms)
{
	struct transport_opts use = { .kind = TRANSPORT_TCP };
	uint16_t port = a->relay->port != 0 ? a->relay->port : transport_kind_port(a->kind);
	int r;

	if (o != NULL)
		use = *o;
	use.address = a->address[0] != '\0' ? a->address : NULL;
	a->started = true;
	a->l.t = transport_start(a->kind, a->relay->host, port, &use, timeout_ms, a->l.why,
	    sizeof(a->l.why));
	if (a->l.t == NULL)
		return ERR_UNSUPPORTED;
	if ((r = link_send(&a->l, WIRE_HELLO, 0, 0, buf_ptr(hello), buf_len(hello))) != 0) {
		snprintf(a->l.why, sizeof(a->l.why), "cannot queue HELLO (%s)", err_str(r));
		return r;
	}
	return ERR_AGAIN;
}

/* "HOST[:PORT]", or "HOST[:PORT] (ADDRESS)" for one of a name's addresses. */
static const char *
attempt_label(const struct attempt *a, char *out, size_t out_len)
{
	if (a->address[0] != '\0')
		snprintf(out, out_len, "%s (%s)", a->relay->text, a->address);
	else
		snprintf(out, out_len, "%s", a->relay->text);
	return out;
}

/* One line per attempt that failed while racing: the user sees why. */
static void
attempt_log(const struct race *rc, const struct attempt *a)
{
	const char *name = transport_kind_name(a->kind);
	const char *why = a->l.why[0] != '\0' ? a->l.why : err_str(a->r);
	char label[CLIENT_RELAY_TEXT_MAX + INET6_ADDRSTRLEN + 4], relay[sizeof(label) + 10];
	size_t len = strlen(name);

	if (rc->n < 2)
		return;         /* a single attempt's failure is the caller's to show */
	relay[0] = '\0';
	if (rc->several_relays)
		snprintf(relay, sizeof(relay), "relay %s: ", attempt_label(a, label,
		    sizeof(label)));
	if (rc->o == NULL)
		log_info("%s%s", relay, why);
	else if (strncmp(why, name, len) == 0 && why[len] == ':')
		log_info("%stransport %s", relay, why);
	else
		log_info("%stransport %s: %s", relay, name, why);
}

static void
attempt_over(const struct race *rc, struct attempt *a, int r)
{
	a->over = true;
	a->r = r;
	attempt_log(rc, a);
}

/*
 * Run rc's attempts: the next starts its delay_ms after the one before,
 * or at once when one failed (or none runs); the first to reach a relay
 * wins. Its index, or -1 when every attempt failed or time ran out.
 */
static int
race_run(struct race *rc)
{
	char label[CLIENT_RELAY_TEXT_MAX + INET6_ADDRSTRLEN + 4];
	struct link *ls[ATTEMPTS_MAX];
	struct attempt *a = rc->a;
	uint64_t now, next_start = 0;
	int i, next, running, nl, r, win = -1;

	for (;;) {
		now = mono_ms();
		if (now >= rc->deadline)
			break;
		running = 0;
		for (i = 0; i < rc->n; i++)
			running += a[i].started && !a[i].over;
		for (next = 0; next < rc->n && a[next].started; next++)
			;
		if (next < rc->n && (running == 0 || now >= next_start)) {
			log_debug("relay %s: trying %s", attempt_label(&a[next], label,
			    sizeof(label)), transport_kind_name(a[next].kind));
			r = attempt_start(&a[next], rc->hello, rc->o, (int)(rc->deadline - now));
			if (r != ERR_AGAIN) {
				attempt_over(rc, &a[next], r);
				next_start = now;
			} else {
				next_start = now + (next + 1 < rc->n ? a[next + 1].delay_ms : 0);
			}
			continue;
		}
		if (running == 0)
			break;          /* every attempt failed */
		nl = 0;
		for (i = 0; i < rc->n; i++)
			if (a[i].started && !a[i].over)
				ls[nl++] = &a[i].l;
		if (wait_links(ls, nl, rc->deadline, next < rc->n ? next_start : rc->deadline) != 0)
			break;
		for (i = 0; i < rc->n && win < 0; i++) {
			if (!a[i].started || a[i].over)
				continue;
			r = attempt_step(&a[i], rc->role, rc->session);
			if (r == 0 || r == REFUSED || r == REDIRECTED) {
				win = i;
				a[i].r = r;
			} else if (r != ERR_AGAIN) {
				attempt_over(rc, &a[i], r);
				next_start = mono_ms();         /* the next one at once */
			}
		}
		if (win >= 0)
			return win;
	}
	for (i = 0; i < rc->n; i++) {
		if (a[i].started && !a[i].over) {
			snprintf(a[i].l.why, sizeof(a[i].l.why),
			    "no WELCOME from the relay in time");
			attempt_over(rc, &a[i], ERR_TIMEOUT);
		}
	}
	return -1;
}

/* Close every attempt of rc but keep (-1: all). */
static void
race_close(struct race *rc, int keep)
{
	for (int i = 0; i < rc->n; i++)
		if (i != keep)
			link_close(&rc->a[i].l);
}

/*
 * The attempt whose failure says most: the first that got past
 * connecting (TLS, a proxy, the relay's answer), else the first.
 */
static const struct attempt *
race_telling_failure(const struct race *rc)
{
	for (int i = 0; i < rc->n; i++) {
		const struct attempt *a = &rc->a[i];

		if (a->started && a->r != ERR_SYSTEM && a->r != ERR_TIMEOUT &&
		    a->r != ERR_UNSUPPORTED)
			return a;
	}
	return &rc->a[0];
}

/* The tier an attempt on host starts with: the one opts names, or for
 * auto the one that won last time on this network, else tcp. */
static int
first_kind(const struct transport_opts *o, const char *host)
{
	int k;

	if (o == NULL)
		return TRANSPORT_TCP;
	if (o->kind != TRANSPORT_AUTO)
		return o->kind;
	k = transport_remembered(o, host);
	return k != TRANSPORT_AUTO ? k : TRANSPORT_TCP;
}

static struct attempt *
race_add(struct race *rc, const struct relay_entry *e, int kind, const char *address,
    unsigned delay_ms)
{
	struct attempt *a = &rc->a[rc->n++];

	BUG_ON(rc->n > ATTEMPTS_MAX);
	memset(a, 0, sizeof(*a));
	link_init(&a->l);
	a->relay = e;
	a->kind = kind;
	a->r = ERR_TIMEOUT;
	a->delay_ms = rc->n == 1 ? 0 : delay_ms;
	snprintf(a->address, sizeof(a->address), "%s", address);
	return a;
}

/*
 * The attempts for relays e[0..ne) in that order: each relay's addresses
 * on its first tier (was_addr first for the relay written was), then for
 * auto every other tier, relay by relay.
 */
static void
race_plan(struct race *rc, const struct relay_entry *e, int ne, const char *was,
    const char *was_addr)
{
	struct resolve_name names[CLIENT_RELAYS_MAX + 1];
	int first[CLIENT_RELAYS_MAX + 1], k, i, room, added = 0;
	bool resolve = false, new_tier;
	uint64_t now = mono_ms();
	struct attempt *a;

	for (i = 0; i < ne; i++) {
		first[i] = first_kind(rc->o, e[i].host);
		/* Through a proxy, the proxy resolves. */
		names[i].host = transport_kind_proxied(first[i]) ? NULL : e[i].host;
		resolve = resolve || (names[i].host != NULL && !resolve_is_numeric(e[i].host));
	}
	if (resolve)
		resolve_names(names, (unsigned)ne, rc->deadline <= now ? 0 :
		    (int)(rc->deadline - now < CLIENT_RESOLVE_WAIT_MS ? rc->deadline - now :
		    CLIENT_RESOLVE_WAIT_MS));
	for (i = 0; i < ne; i++) {
		if (!resolve || !names[i].resolved) {
			race_add(rc, &e[i], first[i], "", CLIENT_RELAY_RACE_MS);
			added++;
			continue;
		}
		/* Each relay after this one keeps a place. */
		room = CLIENT_RELAY_ADDRS_MAX - added - (ne - i - 1);
		/* The address that won last time first. */
		for (unsigned j = 1; strcmp(e[i].text, was) == 0 && j < names[i].n; j++) {
			if (strcmp(names[i].addr[j], was_addr) != 0)
				continue;
			memcpy(names[i].addr[j], names[i].addr[0], sizeof(names[i].addr[0]));
			memcpy(names[i].addr[0], was_addr, strlen(was_addr) + 1);
		}
		for (unsigned j = 0; j < names[i].n && (int)j < room; j++) {
			a = race_add(rc, &e[i], first[i], names[i].addr[j], CLIENT_RELAY_RACE_MS);
			a->one_of_several = names[i].n > 1;
			added++;
		}
	}
	if (rc->o == NULL || rc->o->kind != TRANSPORT_AUTO)
		return;
	for (k = 0; k < TRANSPORT_TIERS; k++) {
		new_tier = true;
		for (i = 0; i < ne; i++) {
			if (first[i] == k)
				continue;
			race_add(rc, &e[i], k, "", new_tier ? TRANSPORT_RACE_MS :
			    CLIENT_RELAY_RACE_MS);
			new_tier = false;
		}
	}
}

/*
 * The relays in the order they start into out: the caller's first, the
 * one that won last time on this network for this list, then the list's.
 * *was and *was_addr: that remembered winner ("" for none).
 */
static int
relay_order(const struct link *l, const struct relay_list *list, const char *key,
    struct relay_entry *out, char *was, size_t was_len, char *was_addr, size_t addr_len)
{
	struct relay_entry e;
	char *at;
	int n = 0, i, j;

	was[0] = was_addr[0] = '\0';
	if (l->relay_first[0] != '\0' &&
	    relay_entry_parse(l->relay_first, strlen(l->relay_first), &e) == 0)
		out[n++] = e;
	if (l->opts != NULL)
		transport_remembered_relay(l->opts, key, was, was_len);
	if ((at = strchr(was, '@')) != NULL) {
		*at = '\0';
		snprintf(was_addr, addr_len, "%s", at + 1);
	}
	if ((i = relay_list_find(list, was)) >= 0 && (n == 0 || strcmp(out[0].text, was) != 0))
		out[n++] = list->e[i];
	for (i = 0; i < (int)list->n; i++) {
		for (j = 0; j < n && strcmp(out[j].text, list->e[i].text) != 0; j++)
			;
		if (j == n)
			out[n++] = list->e[i];
	}
	return n;
}

/*
 * The relay of rc->a[*win] sent REDIRECT: the same HELLO once to the relay
 * it names, on the same tier, within rc's time; rc's attempts are all
 * closed first. 0 with *win the new winner (which may have been refused),
 * or an error with l->why saying why.
 */
static int
follow_redirect(struct link *l, struct race *rc, int *win, struct relay_entry *to)
{
	struct attempt *from = &rc->a[*win], *a;
	char label[CLIENT_RELAY_TEXT_MAX + INET6_ADDRSTRLEN + 4], what[320];
	int kind = from->kind, w, r;

	attempt_label(from, label, sizeof(label));
	if (relay_entry_parse(from->redirect, strlen(from->redirect), to) != 0) {
		say(l->why, sizeof(l->why), "relay %s redirected us to '%s', which is no "
		    "relay address", label, from->redirect);
		race_close(rc, -1);
		return ERR_PROTOCOL;
	}
	if (rc->session != 0) {
		log_info("relay %s: session %05u is on %s", label, rc->session, to->text);
		say(what, sizeof(what), "the relay that holds the session (%s)", to->text);
	} else {
		log_info("relay %s: new sessions go to %s", label, to->text);
		say(what, sizeof(what), "the relay it sent us to (%s)", to->text);
	}
	race_close(rc, -1);
	rc->n = 0;
	rc->several_relays = false;
	a = race_add(rc, to, kind, "", 0);
	if ((w = race_run(rc)) < 0) {
		if (a->l.t != NULL && transport_proxy_refused(a->l.t))
			say(l->why, sizeof(l->why), "the proxy does not allow %s: %s", what,
			    a->l.why);
		else
			say(l->why, sizeof(l->why), "%s cannot be reached: %s", what,
			    a->l.why[0] != '\0' ? a->l.why : err_str(a->r));
		r = a->r != 0 && a->r != ERR_AGAIN ? a->r : ERR_TIMEOUT;
		race_close(rc, -1);
		return r;
	}
	if (a->r == REDIRECTED) {
		say(l->why, sizeof(l->why), "the relay redirected twice (%s sent us on to %s)",
		    to->text, a->redirect);
		race_close(rc, -1);
		return ERR_PROTOCOL;
	}
	*win = w;
	return 0;
}

/* HELLO as this link sends it, into *b (released by the caller). */
static int
hello_build(const struct link *l, uint8_t role, uint32_t session, const char *name,
    struct buf *b)
{
	struct wire_hello hello;

	memset(&hello, 0, sizeof(hello));
	hello.version = WIRE_VERSION;
	hello.role = role;
	hello.session = session;
	snprintf(hello.name, sizeof(hello.name), "%s", name);
	if (l->resume && role == WIRE_ROLE_MASTER) {
		hello.has_ticket = true;
		memcpy(hello.ticket, l->ticket, WIRE_TICKET_LEN);
	}
	/* session-creation tokens */
	if (!hello.has_ticket && role == WIRE_ROLE_MASTER)
		memcpy(hello.token, l->token, sizeof(hello.token));
	buf_init(b, WIRE_PREAUTH_MAX_BYTES);
	return wire_hello_encode(b, &hello);
}

/* The winner's link becomes *l; what the caller set stays. */
static void
link_take(struct link *l, struct link *won)
{
	struct link keep = *l;

	buf_release(&l->in);
	buf_release(&l->out);
	*l = *won;
	l->opts = keep.opts;
	l->resume = keep.resume;
	memcpy(l->ticket, keep.ticket, sizeof(l->ticket));
	memcpy(l->relay_first, keep.relay_first, sizeof(l->relay_first));
	memcpy(l->token, keep.token, sizeof(l->token));
	l->fd = transport_fd(l->t);
}

int
link_open(struct link *l, const char *relay, uint8_t role, uint32_t session,
    const char *name, int timeout_ms)
{
	const struct transport_opts *o = l->opts;
	struct relay_entry order[CLIENT_RELAYS_MAX + 1], to;
	char key[CLIENT_RELAYS_MAX * (CLIENT_RELAY_TEXT_MAX + 1)], was_addr[INET6_ADDRSTRLEN];
	/* "HOST[:PORT]@ADDRESS": the remembered winner, and this one's */
	char was[CLIENT_RELAY_TEXT_MAX + INET6_ADDRSTRLEN + 2], winner[sizeof(was)];
	struct relay_list list;
	struct race rc;
	struct buf hbuf;
	int ne, win, r;
	bool remember_relay;

	l->error_code = 0;
	l->why[0] = '\0';
	l->relay_used[0] = '\0';
	l->drop_grant_len = 0;
	if (relay_list_parse(relay, &list, l->why, sizeof(l->why)) != 0)
		return ERR_FORMAT;
	if ((r = hello_build(l, role, session, name, &hbuf)) != 0) {
		buf_release(&hbuf);
		snprintf(l->why, sizeof(l->why), "cannot build HELLO (%s)", err_str(r));
		return r;
	}
	memset(&rc, 0, sizeof(rc));
	if ((rc.a = calloc(ATTEMPTS_MAX, sizeof(*rc.a))) == NULL) {
		buf_release(&hbuf);
		snprintf(l->why, sizeof(l->why), "out of memory");
		return ERR_NOMEM;
	}
	rc.o = o;
	rc.hello = &hbuf;
	rc.role = role;
	rc.session = session;
	rc.deadline = mono_ms() + (uint64_t)timeout_ms;
	relay_list_key(&list, key, sizeof(key));
	ne = relay_order(l, &list, key, order, was, sizeof(was), was_addr, sizeof(was_addr));
	race_plan(&rc, order, ne, was, was_addr);
	for (int i = 1; i < rc.n && !rc.several_relays; i++)
		rc.several_relays = rc.a[i].relay != rc.a[0].relay ||
		    strcmp(rc.a[i].address, rc.a[0].address) != 0;
	win = race_run(&rc);
	if (win < 0) {
		const struct attempt *a = race_telling_failure(&rc);
		char label[CLIENT_RELAY_TEXT_MAX + INET6_ADDRSTRLEN + 4];

		if (ne > 1)
			say(l->why, sizeof(l->why), "none of the %d relays answered (%s: %s)",
			    ne, attempt_label(a, label, sizeof(label)),
			    a->l.why[0] != '\0' ? a->l.why : err_str(a->r));
		else if (a->l.why[0] != '\0')
			memcpy(l->why, a->l.why, sizeof(l->why));
		else
			snprintf(l->why, sizeof(l->why), "no WELCOME from the relay (%s)",
			    err_str(ERR_TIMEOUT));
		r = a->r != 0 && a->r != ERR_AGAIN ? a->r : ERR_TIMEOUT;
		race_close(&rc, -1);
		goto out;
	}
	/* What answered first is remembered for this network: the tier for
	 * its host, and which relay of the list (or which of a name's
	 * addresses) it was. A REDIRECT counts: that relay is of the cluster
	 * and reachable this way; a refusal does not. */
	remember_relay = relay_list_find(&list, rc.a[win].relay->text) >= 0 &&
	    (list.n > 1 || rc.a[win].one_of_several);
	if (rc.a[win].one_of_several)
		snprintf(winner, sizeof(winner), "%s@%s", rc.a[win].relay->text,
		    rc.a[win].address);
	else
		snprintf(winner, sizeof(winner), "%s", rc.a[win].relay->text);
	if (o != NULL && o->kind == TRANSPORT_AUTO && rc.a[win].r != REFUSED)
		transport_remember(o, rc.a[win].relay->host, rc.a[win].kind);
	if (o != NULL && remember_relay && rc.a[win].r != REFUSED)
		transport_remember_relay(o, key, winner);
	if (rc.a[win].r == REDIRECTED && (r = follow_redirect(l, &rc, &win, &to)) != 0)
		goto out;
	race_close(&rc, win);
	r = rc.a[win].r;
	link_take(l, &rc.a[win].l);
	snprintf(l->relay_used, sizeof(l->relay_used), "%s", rc.a[win].relay->text);
	if (r == REFUSED) {
		r = ERR_PROTOCOL;
		goto out;
	}
	l->body_max = l->welcome.body_max;
	l->heard_ms = mono_ms();
	/* file drop: what lets us upload to this relay (l->relay_used) */
	memcpy(l->drop_grant, l->welcome.drop_grant, l->welcome.drop_grant_len);
	l->drop_grant_len = l->welcome.drop_grant_len;
	/* A relay tier the options chose (direct: the caller says where). */
	if (o != NULL && o->kind != TRANSPORT_DIRECT)
		log_info("transport %s in use (%s)", link_transport(l), o->kind ==
		    TRANSPORT_AUTO ? "the first tier to reach the relay" : "--transport");
	r = 0;
out:
	buf_release(&hbuf);
	free(rc.a);
	return r;
}

uint64_t
link_ping_ms(const struct link *l)
{
	uint64_t t = l->welcome.idle_timeout_ms / 3;

	if (l->welcome.idle_timeout_ms == 0 || t > CLIENT_PING_MS)
		return CLIENT_PING_MS;
	return t < CLIENT_PING_MIN_MS ? CLIENT_PING_MIN_MS : t;
}

bool
link_silent(struct link *l, uint64_t now_ms)
{
	uint64_t quiet = 2 * link_ping_ms(l), acked, queued;

	if (l->t == NULL || l->ping_sent_ms == 0 || now_ms < l->ping_sent_ms + quiet ||
	    now_ms < l->heard_ms + quiet)
		return false;
	/* Our bytes ahead of the PING still leaving (a slow uplink): alive,
	 * and the step that takes the PING itself across gives the PONG a
	 * full wait of its own. After that a missing PONG means what it
	 * says, even where something on the way (a proxy, a box that ends
	 * TCP) did the acknowledging. (On TLS the count is of its records,
	 * a little more than our bytes: the PING is taken for delivered a
	 * little early, which that wait covers.) The HTTP tier's socket is
	 * curl's: no count there. */
	if (net_tcp_acked(l->fd, &acked, &queued) == 0 && l->acked_seen < l->ping_acked_due &&
	    acked > l->acked_seen) {
		l->acked_seen = acked;
		l->heard_ms = now_ms;
		return false;
	}
	return true;
}
