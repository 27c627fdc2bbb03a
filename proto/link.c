/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "link.h"
#include "net.h"

void
link_init(struct link *l)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	buf_init(&l->in, WIRE_HEADER_LEN + WIRE_BODY_MAX_BYTES + RELAY_READ_BYTES);
	buf_init(&l->out, CLIENT_OUTBUF_MAX_BYTES);
	l->body_max = WIRE_PREAUTH_MAX_BYTES;
}

void
link_close(struct link *l)
{
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
	buf_release(&l->in);
	buf_release(&l->out);
	l->body_max = WIRE_PREAUTH_MAX_BYTES;
	l->ping_sent_ms = 0;
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

	while (buf_len(&l->out) > 0) {
		r = buf_write_fd(&l->out, l->fd, buf_len(&l->out), &sent);
		if (r == ERR_AGAIN)
			return 0;
		if (r != 0) {
			snprintf(l->why, sizeof(l->why), "connection lost while sending (%s)",
			    err_str(r));
			return r;
		}
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
	size_t got;
	int r;

	for (;;) {
		r = buf_read_fd(&l->in, l->fd, RELAY_READ_BYTES, &got);
		if (r == 0)
			l->bytes_in += got;
		if (r == ERR_AGAIN || r == ERR_NO_SPACE)
			return 0;       /* a full buffer: the caller parses first */
		if (r != 0) {
			snprintf(l->why, sizeof(l->why), "%s",
			    r == ERR_CLOSED ? "the relay closed the connection" :
			    "connection lost while receiving");
			return r;
		}
	}
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

/* Wait for fd to become ready for events until deadline. */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };
	uint64_t now;
	int r;

	for (;;) {
		now = mono_ms();
		if (now >= deadline)
			return ERR_TIMEOUT;
		r = poll(&p, 1, (int)(deadline - now));
		if (r > 0)
			return 0;
		if (r == -1 && errno != EINTR)
			return ERR_SYSTEM;
	}
}

int
link_drain(struct link *l, int timeout_ms)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	int r;

	while (buf_len(&l->out) > 0) {
		if ((r = link_flush(l)) != 0)
			return r;
		if (buf_len(&l->out) > 0 && (r = wait_fd(l->fd, POLLOUT, deadline)) != 0)
			return r;
	}
	return 0;
}

int
link_open(struct link *l, const char *relay, uint8_t role, uint32_t session,
    const char *name, int timeout_ms)
{
	uint64_t deadline = mono_ms() + (uint64_t)timeout_ms;
	struct wire_hello hello;
	struct wire_error_body eb;
	struct wire_hdr h;
	struct buf body;
	uint8_t hb[WIRE_PREAUTH_MAX_BYTES];
	struct buf hbuf;
	char host[256];
	uint16_t port;
	int r;

	l->error_code = 0;
	l->why[0] = '\0';
	if (net_split_hostport(relay, RELAY_PORT_DEFAULT, host, sizeof(host), &port) != 0) {
		snprintf(l->why, sizeof(l->why), "bad relay address '%s' (want HOST[:PORT])", relay);
		return ERR_FORMAT;
	}
	if ((r = net_connect(host, port, timeout_ms, l->why, sizeof(l->why))) < 0)
		return r;
	l->fd = r;
	memset(&hello, 0, sizeof(hello));
	hello.version = WIRE_VERSION;
	hello.role = role;
	hello.session = session;
	snprintf(hello.name, sizeof(hello.name), "%s", name);
	buf_init(&hbuf, sizeof(hb));
	if ((r = wire_hello_encode(&hbuf, &hello)) != 0 ||
	    (r = link_send(l, WIRE_HELLO, 0, 0, buf_ptr(&hbuf), buf_len(&hbuf))) != 0) {
		buf_release(&hbuf);
		snprintf(l->why, sizeof(l->why), "cannot build HELLO (%s)", err_str(r));
		return r;
	}
	buf_release(&hbuf);
	if ((r = link_drain(l, (int)(deadline - mono_ms()))) != 0)
		goto fail;
	for (;;) {
		r = link_next(l, &h, &body);
		if (r == 0)
			break;
		if (r != ERR_INCOMPLETE)
			goto fail;
		if ((r = wait_fd(l->fd, POLLIN, deadline)) != 0 || (r = link_fill(l)) != 0)
			goto fail;
	}
	if (h.type == WIRE_ERROR) {
		if (wire_error_decode(&body, &eb) == 0) {
			l->error_code = eb.code;
			snprintf(l->why, sizeof(l->why), "relay refused: %s (%s)",
			    wire_error_str(eb.code), eb.text);
		} else {
			snprintf(l->why, sizeof(l->why), "relay refused with a malformed ERROR");
		}
		return ERR_PROTOCOL;
	}
	if (h.type != WIRE_WELCOME || wire_welcome_decode(&body, &l->welcome) != 0 ||
	    (role == WIRE_ROLE_VIEWER && session != 0 && l->welcome.session != session) ||
	    (role == WIRE_ROLE_MASTER && l->welcome.slot != WIRE_SLOT_MASTER) ||
	    (role == WIRE_ROLE_VIEWER && l->welcome.slot == WIRE_SLOT_MASTER)) {
		snprintf(l->why, sizeof(l->why), "the relay's WELCOME is malformed");
		return ERR_PROTOCOL;
	}
	l->body_max = l->welcome.body_max;
	return 0;
fail:
	if (l->why[0] == '\0')
		snprintf(l->why, sizeof(l->why), "no WELCOME from the relay (%s)", err_str(r));
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
