/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "net.h"
#include "tls.h"

/* Room for control frames (ERROR, PONG, FLOW) on top of the data cap. */
enum { CONN_OUT_SLACK = WIRE_PREAUTH_MAX_BYTES };

static uint64_t conn_ids;

static struct conn *
make(int fd, size_t in_max, uint64_t now_ms)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = fd;
	c->id = ++conn_ids;
	buf_init(&c->in, in_max);
	buf_init(&c->out, RELAY_OUTBUF_MAX_BYTES + CONN_OUT_SLACK);
	c->state = CONN_PREAUTH;
	c->connected_ms = c->rx_ms = c->tx_ms = now_ms;
	return c;
}

struct conn *
conn_new(int fd, const struct sockaddr *sa, size_t body_max, uint64_t now_ms)
{
	size_t most = WIRE_HEADER_LEN + body_max;
	struct conn *c;

	/* the kind is not known yet: room for whichever is larger */
	if (most < RELAY_HTTP_HEAD_MAX_BYTES + RELAY_HTTP_TX_MAX_BYTES)
		most = RELAY_HTTP_HEAD_MAX_BYTES + RELAY_HTTP_TX_MAX_BYTES;
	if ((c = make(fd, most + RELAY_READ_BYTES, now_ms)) == NULL)
		return NULL;
	net_addr_str(sa, c->peer, sizeof(c->peer));
	limit_key_from(sa, &c->ip);
	return c;
}

struct conn *
conn_new_virtual(const char *peer, const struct limit_key *ip, size_t body_max,
    uint64_t now_ms)
{
	struct conn *c;

	c = make(-1, WIRE_HEADER_LEN + body_max + RELAY_HTTP_TX_MAX_BYTES, now_ms);
	if (c == NULL)
		return NULL;
	c->kind = CONN_TUNNEL;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	c->ip = *ip;
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	tls_free(c->tls);
	if (c->fd >= 0)
		close(c->fd);
	free(c->tun);
	buf_release(&c->in);
	buf_release(&c->out);
	free(c);
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
		buf_unput(&c->in, want - got);
		c->bytes_in += got;
		total += got;
		if (r != 0)
			return r == ERR_AGAIN && total > 0 ? 0 : r;
	}
}

int
conn_fill(struct conn *c)
{
	size_t got;
	int r;

	if (c->tls != NULL)
		return fill_tls(c);
	r = buf_read_fd(&c->in, c->fd, RELAY_READ_BYTES, &got);
	c->bytes_in += got;
	return r;
}

int
conn_flush(struct conn *c, uint64_t now_ms)
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
		c->tx_ms = now_ms;
	return 0;
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
	}
	return "?";
}

int
conn_send(struct conn *c, uint8_t type, uint8_t flags, uint16_t slot, uint64_t seq,
    const void *body, size_t n)
{
	struct wire_hdr h = { .type = type, .flags = flags, .slot = slot, .seq = seq };

	/* data stops at the cap; only the slack above it is left for control frames */
	if (type == WIRE_DATA && buf_len(&c->out) + WIRE_HEADER_LEN + n > RELAY_OUTBUF_MAX_BYTES)
		return ERR_NO_SPACE;
	return wire_put(&c->out, &h, body, n);
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
