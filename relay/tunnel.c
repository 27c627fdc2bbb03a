/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http.h"
#include "log.h"
#include "server.h"
#include "route.h"
#include "tunnel.h"

enum {
	TUNNEL_CHUNK_BYTES = 64 << 10,  /* one chunk of an rx answer at most */
	TUNNEL_ANSWER_SLACK = 64,       /* chunk size line and CRLFs */
};

static struct log_rl rl_http;

static struct tunnel **
bucket(struct server *r, const uint8_t *id)
{
	uint32_t h = (uint32_t)id[0] | (uint32_t)id[1] << 8 | (uint32_t)id[2] << 16;

	return &r->tunnels[h % TUNNEL_BUCKETS];
}

static struct tunnel *
find(struct server *r, const uint8_t *id)
{
	struct tunnel *t;

	for (t = *bucket(r, id); t != NULL; t = t->next)
		if (sodium_memcmp(t->id, id, TUNNEL_ID_BYTES) == 0)
			return t;
	return NULL;
}

size_t
tunnel_unsent(const struct tunnel *t)
{
	return buf_len(&t->c->out) - (size_t)(t->out_sent - t->out_base);
}

/* The HTTP conn has been useful: it no longer counts as pre-auth. */
static void
authed(struct server *r, struct conn *h)
{
	if (!h->preauth_counted)
		return;
	limit_conn_authed(r->limit, &h->ip);
	h->preauth_counted = false;
}

static void
answer(struct server *r, struct conn *h, int status, const char *body)
{
	if (http_answer(&h->out, status, !h->http_close, body, strlen(body)) != 0) {
		server_close(r, h, WIRE_E_SLOW, "no room for an HTTP answer");
		return;
	}
	if (status == 200)
		authed(r, h);
	server_touch(r, h);
}

/* A request we will not serve: 4xx, then close. */
static void
refuse(struct server *r, struct conn *h, int status, const char *why)
{
	char text[96];

	log_rl(&rl_http, LOG_INFO, "conn=%llu peer=%s: HTTP %d: %s", (unsigned long long)h->id,
	    h->peer, status, why);
	snprintf(text, sizeof(text), "%s\n", why);
	h->http_close = true;
	answer(r, h, status, text);
	server_close(r, h, WIRE_E_PROTOCOL, why);
}

/* End t's rx answer: cleanly (the last chunk, the conn may go on), or cut. */
static void
rx_end(struct server *r, struct tunnel *t, bool clean)
{
	struct conn *h = t->rx;

	if (h == NULL)
		return;
	t->rx = NULL;
	h->answering = NULL;
	if (!clean || h->dead || h->state == CONN_CLOSING)
		return;
	if (!h->http10 && http_chunk(&h->out, NULL, 0) != 0) {
		server_close(r, h, WIRE_E_SLOW, "no room for the last chunk");
		return;
	}
	h->rx_ms = r->now;
	if (h->http_close)
		server_close(r, h, WIRE_E_NONE, "answered");
	server_touch(r, h);       /* and then its next request, if one waits */
}

/* Stream what waits, while the answer's conn keeps up and the answer has room. */
static void
pump(struct server *r, struct tunnel *t)
{
	struct conn *c = t->c, *h;
	size_t n, at;

	while ((h = t->rx) != NULL && (n = tunnel_unsent(t)) > 0 &&
	    buf_len(&h->out) < RELAY_WRITE_BUDGET_BYTES) {
		if (n > TUNNEL_CHUNK_BYTES)
			n = TUNNEL_CHUNK_BYTES;
		if (n > RELAY_HTTP_RX_MAX_BYTES - t->rx_bytes)
			n = RELAY_HTTP_RX_MAX_BYTES - t->rx_bytes;
		at = (size_t)(t->out_sent - t->out_base);
		if (buf_avail(&h->out) < n + TUNNEL_ANSWER_SLACK ||
		    (h->http10 ? buf_put_bytes(&h->out, buf_ptr(&c->out) + at, n) :
		    http_chunk(&h->out, buf_ptr(&c->out) + at, n)) != 0)
			break;  /* cannot be: h->out is below the budget */
		t->out_sent += n;
		t->rx_bytes += n;
		c->bytes_out += n;
		c->tx_ms = r->now;
		server_touch(r, h);
		if (t->rx_bytes >= RELAY_HTTP_RX_MAX_BYTES)
			rx_end(r, t, true);
	}
}

void
tunnel_flush(struct server *r, struct conn *c)
{
	struct tunnel *t = c->tun;

	pump(r, t);
	/* its last words (ERROR, RESTARTING) are on their way: nothing more to say */
	if (c->state == CONN_CLOSING && t->rx != NULL && tunnel_unsent(t) == 0)
		server_lost(r, c, c->why);
}

void
tunnel_flushed(struct server *r, struct conn *h)
{
	if (h->answering != NULL)
		pump(r, h->answering);
	else if (buf_len(&h->in) > 0)
		tunnel_serve(r, h);
}

void
tunnel_tick(struct server *r, struct conn *h)
{
	if (h->answering != NULL && r->now >= h->answering->rx_end_ms)
		rx_end(r, h->answering, true);
}

void
tunnel_forget(struct server *r, struct conn *c)
{
	struct tunnel **p, *t = c->tun;

	if (c->kind == CONN_HTTP && c->answering != NULL) {
		rx_end(r, c->answering, false);
		return;
	}
	if (c->kind != CONN_TUNNEL || t == NULL)
		return;
	rx_end(r, t, true);     /* the client's next rx gets 404: closed */
	for (p = bucket(r, t->id); *p != NULL; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
}

static void
on_open(struct server *r, struct conn *h)
{
	char hex[2 * TUNNEL_ID_BYTES + 1], body[2 * TUNNEL_ID_BYTES + 4];
	struct tunnel *t, **b;
	struct conn *c;

	if (r->stopping || r->n_conns >= RELAY_CONNS_MAX) {
		answer(r, h, 503, "busy\n");
		return;
	}
	/* a tunnel is a connection: the same per-address caps */
	if (limit_conn_open(r->limit, &h->ip, r->now) != 0) {
		log_rl(&rl_http, LOG_INFO, "conn=%llu peer=%s: tunnel refused: too many connections",
		    (unsigned long long)h->id, h->peer);
		answer(r, h, 429, "too many connections\n");
		return;
	}
	c = conn_new_virtual(h->peer, &h->ip, r->cfg.body_max, r->now);
	t = calloc(1, sizeof(*t));
	if (c == NULL || t == NULL) {
		limit_conn_close(r->limit, &h->ip, true);
		conn_free(c);
		free(t);
		answer(r, h, 503, "out of memory\n");
		return;
	}
	randombytes_buf(t->id, sizeof(t->id));
	t->c = c;
	c->tun = t;
	c->preauth_counted = true;
	b = bucket(r, t->id);
	t->next = *b;
	*b = t;
	server_adopt(r, c);
	log_info("tunnel conn=%llu peer=%s via conn=%llu (%s)", (unsigned long long)c->id,
	    c->peer, (unsigned long long)h->id, conn_kind_str(h));
	sodium_bin2hex(hex, sizeof(hex), t->id, sizeof(t->id));
	snprintf(body, sizeof(body), "t=%s\n", hex);
	answer(r, h, 200, body);
}

static void
on_tx(struct server *r, struct conn *h, struct tunnel *t, uint64_t off, const struct buf *body)
{
	struct conn *c = t->c;
	size_t len = buf_len(body), skip, n = 0;
	char text[32];

	if (off > t->in_total) {
		answer(r, h, 409, "gap\n");
		return;
	}
	skip = off + len > t->in_total ? (size_t)(t->in_total - off) : len;
	if (skip < len) {
		n = len - skip;
		if (c->state == CONN_CLOSING) {
			t->in_total += n;       /* not listened to any more, as on a socket */
			n = 0;
		} else {
			/* what does not fit now is acknowledged short: the client sends it again */
			if (n > buf_avail(&c->in))
				n = buf_avail(&c->in);
			if (n > 0 && buf_put_bytes(&c->in, buf_ptr(body) + skip, n) != 0)
				n = 0;
			t->in_total += n;
			c->bytes_in += n;
		}
	}
	snprintf(text, sizeof(text), "ack=%llu\n", (unsigned long long)t->in_total);
	answer(r, h, 200, text);
	if (n > 0)
		route_frames(r, c);
}

static void
on_rx(struct server *r, struct conn *h, struct tunnel *t, uint64_t off)
{
	struct conn *c = t->c;
	int rc;

	if (off < t->out_base || off > t->out_sent) {
		answer(r, h, 409, "offset out of range\n");
		return;
	}
	rx_end(r, t, true);     /* an older answer: this one takes over */
	rc = buf_skip(&c->out, (size_t)(off - t->out_base));
	BUG_ON(rc != 0);
	t->out_base = t->out_sent = off;        /* what the cut answer carried comes again */
	if (h->http10)
		h->http_close = true;   /* an unframed body ends with the connection */
	if (http_stream_head(&h->out, !h->http_close, h->http10) != 0) {
		server_close(r, h, WIRE_E_SLOW, "no room for an HTTP answer");
		return;
	}
	authed(r, h);
	t->rx = h;
	h->answering = t;
	t->rx_bytes = 0;
	t->rx_end_ms = r->now + RELAY_HTTP_RX_MS;
	server_touch(r, h);
	server_touch(r, c);       /* streams, and the acknowledged bytes may allow XON */
}

static void
on_close(struct server *r, struct conn *h, struct tunnel *t)
{
	answer(r, h, 200, "");
	server_lost(r, t->c, "tunnel closed");
}

/* The t= and, for tx and rx, off= of a request; NULL after answering. */
static struct tunnel *
tunnel_of(struct server *r, struct conn *h, const struct http_req *req, bool want_off,
    uint64_t *off)
{
	uint8_t id[TUNNEL_ID_BYTES];
	char hex[2 * TUNNEL_ID_BYTES + 1], num[24];
	struct tunnel *t;
	size_t n;

	*off = 0;
	if (http_query(req->query, "t", hex, sizeof(hex)) != 0 ||
	    strlen(hex) != 2 * TUNNEL_ID_BYTES ||
	    sodium_hex2bin(id, sizeof(id), hex, strlen(hex), NULL, &n, NULL) != 0 ||
	    n != sizeof(id) ||
	    (want_off && (http_query(req->query, "off", num, sizeof(num)) != 0 ||
	    http_u64(num, off) != 0))) {
		refuse(r, h, 400, "bad tunnel id or offset");
		return NULL;
	}
	if ((t = find(r, id)) == NULL || t->c->dead) {
		answer(r, h, 404, "no such tunnel\n");
		return NULL;
	}
	return t;
}

static void
request(struct server *r, struct conn *h, const struct http_req *req, const struct buf *body)
{
	bool post = req->method == HTTP_POST;
	struct tunnel *t;
	uint64_t off;

	if (strcmp(req->path, "/v1/open") == 0 && post) {
		on_open(r, h);
	} else if (strcmp(req->path, "/v1/tx") == 0 && post) {
		if ((t = tunnel_of(r, h, req, true, &off)) != NULL)
			on_tx(r, h, t, off, body);
	} else if (strcmp(req->path, "/v1/rx") == 0 && !post) {
		if ((t = tunnel_of(r, h, req, true, &off)) != NULL)
			on_rx(r, h, t, off);
	} else if (strcmp(req->path, "/v1/close") == 0 && post) {
		if ((t = tunnel_of(r, h, req, false, &off)) != NULL)
			on_close(r, h, t);
	} else if (strcmp(req->path, "/v1/open") == 0 || strcmp(req->path, "/v1/tx") == 0 ||
	    strcmp(req->path, "/v1/rx") == 0 || strcmp(req->path, "/v1/close") == 0) {
		answer(r, h, 405, "method not allowed\n");
	} else {
		answer(r, h, 404, "not found\n");
	}
}

void
tunnel_serve(struct server *r, struct conn *h)
{
	static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct http_req req;
	struct buf body;
	size_t whole;
	int rc;

	while (!h->dead && h->state != CONN_CLOSING && h->answering == NULL &&
	    buf_len(&h->in) > 0) {
		if (h->req_ms == 0)
			h->req_ms = r->now;
		rc = http_parse(buf_ptr(&h->in), buf_len(&h->in), &req);
		if (rc == ERR_INCOMPLETE)
			return;
		if (rc != 0) {
			refuse(r, h, 400, rc == ERR_TOO_LARGE ? "request head too large" :
			    "malformed request");
			return;
		}
		if (req.content_length > RELAY_HTTP_TX_MAX_BYTES) {
			refuse(r, h, 413, "request body too large");
			return;
		}
		whole = req.head_len + (size_t)req.content_length;
		if (buf_len(&h->in) < whole) {
			if (req.expect_continue && !h->continued) {
				h->continued = true;
				if (buf_put_bytes(&h->out, go_on, sizeof(go_on) - 1) != 0)
					server_close(r, h, WIRE_E_SLOW, "no room for an HTTP answer");
				server_touch(r, h);
			}
			return;
		}
		buf_view(&body, buf_ptr(&h->in) + req.head_len, (size_t)req.content_length);
		h->http_close = !req.keep_alive || r->stopping;
		h->http10 = req.http10;
		request(r, h, &req, &body);
		rc = buf_skip(&h->in, whole);
		BUG_ON(rc != 0);
		h->req_ms = 0;
		h->continued = false;
		h->rx_ms = r->now;
		if (h->http_close && h->answering == NULL)
			server_close(r, h, WIRE_E_NONE, "answered");
	}
}
