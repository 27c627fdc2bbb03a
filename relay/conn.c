/* SPDX-License-Identifier: Apache-2.0 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "net.h"

/* Room for control frames (ERROR, PONG, FLOW) on top of the data cap. */
enum { CONN_OUT_SLACK = WIRE_PREAUTH_MAX_BYTES };

static uint64_t conn_ids;

struct conn *
conn_new(int fd, const struct sockaddr *sa, size_t body_max, uint64_t now_ms)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = fd;
	c->id = ++conn_ids;
	net_addr_str(sa, c->peer, sizeof(c->peer));
	limit_key_from(sa, &c->ip);
	buf_init(&c->in, WIRE_HEADER_LEN + body_max + RELAY_READ_BYTES);
	buf_init(&c->out, RELAY_OUTBUF_MAX_BYTES + CONN_OUT_SLACK);
	c->state = CONN_PREAUTH;
	c->connected_ms = c->rx_ms = c->tx_ms = now_ms;
	return c;
}

void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	if (c->fd >= 0)
		close(c->fd);
	buf_release(&c->in);
	buf_release(&c->out);
	free(c);
}

int
conn_fill(struct conn *c)
{
	size_t got;
	int r;

	r = buf_read_fd(&c->in, c->fd, RELAY_READ_BYTES, &got);
	c->bytes_in += got;
	return r;
}

int
conn_flush(struct conn *c, uint64_t now_ms)
{
	size_t sent;
	int r;

	if (buf_len(&c->out) == 0)
		return 0;
	r = buf_write_fd(&c->out, c->fd, RELAY_WRITE_BUDGET_BYTES, &sent);
	if (r == ERR_AGAIN)
		return 0;
	if (r != 0)
		return r;
	c->bytes_out += sent;
	if (sent > 0)
		c->tx_ms = now_ms;
	return 0;
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
