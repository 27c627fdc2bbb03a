/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel.c - HTTP long-poll tunnels (the contract is in tunnel.h): the
 * HTTP conns' request hooks, and the carrier that streams a tunnel's
 * output on the rx answers of those conns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "drop_http.h"
#include "http.h"
#include "limit.h"
#include "log.h"
#include "tunnel.h"

enum {
	TUNNEL_CHUNK_BYTES = 64 << 10,  /* one chunk of an rx answer at most */
	TUNNEL_ANSWER_SLACK = 64,       /* chunk size line and CRLFs */
};

struct tunnel {
	struct tunnel_set *set;
	uint8_t id[TUNNEL_ID_BYTES];
	struct conn *c;                 /* the tunnel's own conn */
	uint64_t in_total;              /* client bytes taken: the next tx offset */
	uint64_t out_base;              /* acknowledged: the offset of out's first byte */
	uint64_t out_sent;              /* streamed on rx answers so far */
	struct conn *rx;                /* the HTTP conn answering an rx now, or NULL */
	size_t rx_bytes;                /* bytes in that answer so far */
	uint64_t rx_end_ms;             /* when that answer ends at the latest */
	struct tunnel *next;            /* same bucket */
};

struct tunnel_set {
	struct tunnel_config cfg;
	struct conn_set *conns;
	struct limit *limit;
	struct tunnel *table[TUNNEL_BUCKETS];   /* by id */
	struct log_rl rl_http, rl_clock;
};

struct tunnel_set *
tunnel_set_new(const struct tunnel_config *cfg, struct conn_set *conns, struct limit *limit)
{
	struct tunnel_set *ts;

	if ((ts = calloc(1, sizeof(*ts))) == NULL)
		return NULL;
	ts->cfg = *cfg;
	ts->conns = conns;
	ts->limit = limit;
	return ts;
}

void
tunnel_set_reload(struct tunnel_set *ts, const struct tunnel_config *cfg)
{
	ts->cfg = *cfg;
}

void
tunnel_set_free(struct tunnel_set *ts)
{
	struct tunnel *t, *next;
	size_t i;

	if (ts == NULL)
		return;
	for (i = 0; i < TUNNEL_BUCKETS; i++)
		for (t = ts->table[i]; t != NULL; t = next) {
			next = t->next;
			free(t);
		}
	free(ts);
}

static struct tunnel **
bucket(struct tunnel_set *ts, const uint8_t *id)
{
	uint32_t h = (uint32_t)id[0] | (uint32_t)id[1] << 8 | (uint32_t)id[2] << 16;

	return &ts->table[h % TUNNEL_BUCKETS];
}

static struct tunnel *
find(struct tunnel_set *ts, const uint8_t *id)
{
	struct tunnel *t;

	for (t = *bucket(ts, id); t != NULL; t = t->next)
		if (sodium_memcmp(t->id, id, TUNNEL_ID_BYTES) == 0)
			return t;
	return NULL;
}

/* Bytes queued on t that no answer has carried yet. */
static size_t
unsent(const struct tunnel *t)
{
	return buf_len(&t->c->out) - (size_t)(t->out_sent - t->out_base);
}

static uint64_t
now(const struct tunnel_set *ts)
{
	return conn_now(ts->conns);
}

static void
answer(struct conn *h, int status, const char *body)
{
	if (http_answer(&h->out, status, !h->http_close, body, strlen(body)) != 0) {
		conn_close(h, WIRE_E_SLOW, "no room for an HTTP answer");
		return;
	}
	if (status == 200)
		conn_authed(h);
	conn_touch(h);
}

/* A request we will not serve: 4xx, then close. */
static void
refuse(struct tunnel_set *ts, struct conn *h, int status, const char *why)
{
	char text[96];

	log_rl(&ts->rl_http, LOG_INFO, "conn=%llu peer=%s: HTTP %d: %s", (unsigned long long)h->id,
	    h->peer, status, why);
	snprintf(text, sizeof(text), "%s\n", why);
	h->http_close = true;
	answer(h, status, text);
	conn_close(h, WIRE_E_PROTOCOL, why);
}

/* End t's rx answer: cleanly (the last chunk, the conn may go on), or cut. */
static void
rx_end(struct tunnel_set *ts, struct tunnel *t, bool clean)
{
	struct conn *h = t->rx;

	if (h == NULL)
		return;
	t->rx = NULL;
	h->answering = NULL;
	if (!clean || h->dead || h->state == CONN_CLOSING)
		return;
	if (!h->http10 && http_chunk(&h->out, NULL, 0) != 0) {
		conn_close(h, WIRE_E_SLOW, "no room for the last chunk");
		return;
	}
	h->rx_ms = now(ts);
	if (h->http_close)
		conn_close(h, WIRE_E_NONE, "answered");
	conn_touch(h);       /* and then its next request, if one waits */
}

/* Stream what waits, while the answer's conn keeps up and the answer has room. */
static void
pump(struct tunnel_set *ts, struct tunnel *t)
{
	struct conn *c = t->c, *h;
	size_t n, at;

	while ((h = t->rx) != NULL && (n = unsent(t)) > 0 &&
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
		c->tx_ms = now(ts);
		conn_touch(h);
		if (t->rx_bytes >= RELAY_HTTP_RX_MAX_BYTES)
			rx_end(ts, t, true);
	}
}

/* The carrier's push: tunnel conn c has output, stream it. Closing, and
 * all streamed: gone. */
static void
push(void *arg, struct conn *c)
{
	struct tunnel *t = arg;

	pump(t->set, t);
	/* its last words (ERROR, RESTARTING) are on their way: nothing more to say */
	if (c->state == CONN_CLOSING && t->rx != NULL && unsent(t) == 0)
		conn_lost(c, c->why);
}

static size_t
carrier_unsent(const void *arg, const struct conn *c)
{
	(void)c;
	return unsent(arg);
}

/* The carrier's drop: the tunnel's conn is dropped. Out of the table, its
 * answer ended: the client's next rx gets 404. */
static void
drop(void *arg, struct conn *c)
{
	struct tunnel *t = arg, **p;

	rx_end(t->set, t, true);
	for (p = bucket(t->set, t->id); *p != NULL; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	c->carrier_arg = NULL;
	free(t);
}

static const struct conn_carrier carrier = {
	.push = push,
	.unsent = carrier_unsent,
	.drop = drop,
};

bool
tunnel_tick(struct tunnel_set *ts, struct conn *h)
{
	uint64_t ms = now(ts);

	uint64_t allowed = ts->cfg.hello_timeout_ms;

	/* an rx answer ends in time; a request must come whole within the
	 * pre-auth deadline of its first byte, plus a second for every
	 * RELAY_HTTP_BODY_MIN_BYTES_PER_S of its body that came; a quiet
	 * one, the idle time */
	if (h->answering != NULL) {
		if (ms >= h->answering->rx_end_ms)
			rx_end(ts, h->answering, true);
		return false;
	}
	if (h->req_head_len > 0 && buf_len(&h->in) > h->req_head_len)
		allowed += (uint64_t)(buf_len(&h->in) - h->req_head_len) * 1000 /
		    RELAY_HTTP_BODY_MIN_BYTES_PER_S;
	if (h->req_ms != 0 ? ms - h->req_ms >= allowed :
	    ms - h->rx_ms >= ts->cfg.idle_timeout_ms) {
		log_rl(&ts->rl_clock, LOG_INFO, "conn=%llu peer=%s: %s", (unsigned long long)h->id,
		    h->peer, h->req_ms != 0 ? "no whole HTTP request in time" : "idle");
		conn_close(h, WIRE_E_TIMEOUT, "no request in time");
		return true;
	}
	return false;
}

void
tunnel_shutdown(struct conn *h)
{
	/* an rx answer carries its tunnel's RESTARTING first */
	h->http_close = true;
	if (h->answering == NULL)
		conn_close(h, WIRE_E_SHUTDOWN, "relay shutting down");
}

static void
on_open(struct tunnel_set *ts, struct conn *h)
{
	char hex[2 * TUNNEL_ID_BYTES + 1], body[2 * TUNNEL_ID_BYTES + 4];
	struct tunnel *t, **b;
	struct conn *c;

	if (ts->conns->stopping || ts->conns->count >= ts->conns->max) {
		answer(h, 503, "busy\n");
		return;
	}
	/* a tunnel is a connection: the same per-address caps */
	if (limit_conn_open(ts->limit, &h->ip, now(ts)) != 0) {
		log_rl(&ts->rl_http, LOG_INFO, "conn=%llu peer=%s: tunnel refused: "
		    "too many connections", (unsigned long long)h->id, h->peer);
		answer(h, 429, "too many connections\n");
		return;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (c = conn_new_virtual(ts->conns, h->peer, &h->ip, &carrier, t)) == NULL) {
		limit_conn_close(ts->limit, &h->ip, true);
		free(t);
		answer(h, 503, "out of memory\n");
		return;
	}
	randombytes_buf(t->id, sizeof(t->id));
	t->set = ts;
	t->c = c;
	c->preauth_counted = true;
	c->tunnel_tls = h->tls != NULL;
	b = bucket(ts, t->id);
	t->next = *b;
	*b = t;
	log_info("tunnel conn=%llu peer=%s via conn=%llu (%s)", (unsigned long long)c->id,
	    c->peer, (unsigned long long)h->id, conn_kind_str(h));
	sodium_bin2hex(hex, sizeof(hex), t->id, sizeof(t->id));
	snprintf(body, sizeof(body), "t=%s\n", hex);
	answer(h, 200, body);
}

static void
on_tx(struct conn *h, struct tunnel *t, uint64_t off, const struct buf *body)
{
	struct conn *c = t->c;
	size_t len = buf_len(body), skip, n = 0;
	char text[32];

	if (off > t->in_total) {
		answer(h, 409, "gap\n");
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
	answer(h, 200, text);
	if (n > 0)
		conn_serve(c);          /* as a read would */
}

static void
on_rx(struct tunnel_set *ts, struct conn *h, struct tunnel *t, uint64_t off)
{
	struct conn *c = t->c;
	int rc;

	if (off < t->out_base || off > t->out_sent) {
		answer(h, 409, "offset out of range\n");
		return;
	}
	rx_end(ts, t, true);     /* an older answer: this one takes over */
	rc = buf_skip(&c->out, (size_t)(off - t->out_base));
	BUG_ON(rc != 0);
	t->out_base = t->out_sent = off;        /* what the cut answer carried comes again */
	if (h->http10)
		h->http_close = true;   /* an unframed body ends with the connection */
	if (http_stream_head(&h->out, !h->http_close, h->http10) != 0) {
		conn_close(h, WIRE_E_SLOW, "no room for an HTTP answer");
		return;
	}
	conn_authed(h);
	t->rx = h;
	h->answering = t;
	t->rx_bytes = 0;
	t->rx_end_ms = now(ts) + RELAY_HTTP_RX_MS;
	conn_touch(h);
	conn_touch(c);       /* streams, and the acknowledged bytes may allow XON */
}

static void
on_close(struct conn *h, struct tunnel *t)
{
	answer(h, 200, "");
	conn_lost(t->c, "tunnel closed");
}

/* The t= and, for tx and rx, off= of a request; NULL after answering. */
static struct tunnel *
tunnel_of(struct tunnel_set *ts, struct conn *h, const struct http_req *req, bool want_off,
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
		refuse(ts, h, 400, "bad tunnel id or offset");
		return NULL;
	}
	if ((t = find(ts, id)) == NULL || t->c->dead) {
		answer(h, 404, "no such tunnel\n");
		return NULL;
	}
	return t;
}

static void
request(struct tunnel_set *ts, struct conn *h, const struct http_req *req, const struct buf *body)
{
	bool post = req->method == HTTP_POST;
	struct tunnel *t;
	uint64_t off;

	if (strcmp(req->path, "/v1/open") == 0 && post) {
		on_open(ts, h);
	} else if (strcmp(req->path, "/v1/tx") == 0 && post) {
		if ((t = tunnel_of(ts, h, req, true, &off)) != NULL)
			on_tx(h, t, off, body);
	} else if (strcmp(req->path, "/v1/rx") == 0 && !post) {
		if ((t = tunnel_of(ts, h, req, true, &off)) != NULL)
			on_rx(ts, h, t, off);
	} else if (strcmp(req->path, "/v1/close") == 0 && post) {
		if ((t = tunnel_of(ts, h, req, false, &off)) != NULL)
			on_close(h, t);
	} else if (strncmp(req->path, "/v1/drop/", 9) == 0) {
		/* file drop: its head is still at the start of h's input */
		drop_http_serve(ts->cfg.drop, h, req, buf_ptr(&h->in), body);
	} else if (strcmp(req->path, "/v1/open") == 0 || strcmp(req->path, "/v1/tx") == 0 ||
	    strcmp(req->path, "/v1/rx") == 0 || strcmp(req->path, "/v1/close") == 0) {
		answer(h, 405, "method not allowed\n");
	} else {
		answer(h, 404, "not found\n");
	}
}

/* Serve the requests waiting in HTTP conn h's input, until one is
 * incomplete, one is answered by a stream, or h closes. */
static void
serve(struct tunnel_set *ts, struct conn *h)
{
	static const char go_on[] = "HTTP/1.1 100 Continue\r\n\r\n";
	struct http_req req;
	struct buf body;
	size_t whole;
	int rc;

	while (!h->dead && h->state != CONN_CLOSING && h->answering == NULL &&
	    buf_len(&h->in) > 0) {
		if (h->req_ms == 0)
			h->req_ms = now(ts);
		rc = http_parse(buf_ptr(&h->in), buf_len(&h->in), &req);
		if (rc == ERR_INCOMPLETE)
			return;
		if (rc != 0) {
			refuse(ts, h, 400, rc == ERR_TOO_LARGE ? "request head too large" :
			    "malformed request");
			return;
		}
		if (req.content_length > RELAY_HTTP_TX_MAX_BYTES) {
			refuse(ts, h, 413, "request body too large");
			return;
		}
		whole = req.head_len + (size_t)req.content_length;
		if (buf_len(&h->in) < whole) {
			h->req_head_len = req.head_len;
			if (req.expect_continue && !h->continued) {
				h->continued = true;
				if (buf_put_bytes(&h->out, go_on, sizeof(go_on) - 1) != 0)
					conn_close(h, WIRE_E_SLOW, "no room for an HTTP answer");
				conn_touch(h);
			}
			return;
		}
		buf_view(&body, buf_ptr(&h->in) + req.head_len, (size_t)req.content_length);
		h->http_close = !req.keep_alive || ts->conns->stopping;
		h->http10 = req.http10;
		request(ts, h, &req, &body);
		rc = buf_skip(&h->in, whole);
		BUG_ON(rc != 0);
		h->req_ms = 0;
		h->req_head_len = 0;
		h->continued = false;
		h->rx_ms = now(ts);
		if (h->http_close && h->answering == NULL)
			conn_close(h, WIRE_E_NONE, "answered");
	}
}

static void
on_serve(void *arg, struct conn *h)
{
	serve(arg, h);
}

/* HTTP conn h wrote: stream more to it, or serve its next request. */
static void
on_drained(void *arg, struct conn *h)
{
	if (h->answering != NULL)
		pump(arg, h->answering);
	else if (buf_len(&h->in) > 0)
		serve(arg, h);
}

/* h closes or is dropped: an answer in progress is cut. */
static void
on_leave(void *arg, struct conn *h, uint16_t code)
{
	(void)code;
	if (h->answering != NULL)
		rx_end(arg, h->answering, false);
}

const struct conn_ops tunnel_ops = {
	.serve = on_serve,
	.drained = on_drained,
	.leave = on_leave,
};
