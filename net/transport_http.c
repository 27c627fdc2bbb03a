/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_http.c - T3: the HTTP long-poll tunnel of PROTOCOL.md 5.1, for
 * proxies that pass only GET and POST. One multi handle with a GET /v1/rx
 * always outstanding and at most one POST /v1/tx at a time; the relay
 * frames inside are protected end to end like on every other tier.
 *
 * Sending queues bytes (at most TRANSPORT_HTTP_TXQ_MAX_BYTES) until the
 * relay acknowledges them; a tx is always sent from the first byte not
 * acknowledged, so a retry is harmless. Received bytes wait in a buffer
 * of TRANSPORT_HTTP_RX_BUF_BYTES; when it is full the rx transfer pauses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"
#include "transport_ops.h"

struct tunnel {
	struct transport t;
	struct transport_req open, rx, tx;
	struct curl_slist *post_hdrs, *get_hdrs;
	char id[33];
	uint8_t *rxb;                   /* received bytes [rx_head, rx_len) */
	size_t rx_head, rx_len;
	uint64_t rx_off;                /* stream offset after the last byte received */
	uint64_t rx_issued_off;         /* rx_off when the current rx was asked */
	bool rx_paused;
	uint8_t *txq;                   /* unacknowledged bytes, txq[0] at tx_base */
	size_t txq_len;
	uint64_t tx_base;
	bool peer_closed;
};

static struct tunnel *
tunnel(struct transport *t)
{
	return (struct tunnel *)t;
}

static size_t
short_answer(char *p, size_t size, size_t n, void *arg)
{
	struct transport_req *q = arg;
	size_t len = size * n, take = len;

	if (take > sizeof(q->resp) - 1 - q->resp_len)
		take = sizeof(q->resp) - 1 - q->resp_len;
	memcpy(q->resp + q->resp_len, p, take);
	q->resp_len += take;
	q->resp[q->resp_len] = '\0';
	return len;
}

/* rx bytes go into rxb whole, or the transfer waits (pause) until
 * recv made room: curl then hands the same bytes again. */
static size_t
rx_write(char *p, size_t size, size_t n, void *arg)
{
	struct tunnel *u = arg;
	size_t len = size * n;

	if (len == 0)
		return 0;
	if (u->rx_head > 0 && u->rx_len + len > TRANSPORT_HTTP_RX_BUF_BYTES) {
		memmove(u->rxb, u->rxb + u->rx_head, u->rx_len - u->rx_head);
		u->rx_len -= u->rx_head;
		u->rx_head = 0;
	}
	if (u->rx_len + len > TRANSPORT_HTTP_RX_BUF_BYTES) {
		u->rx_paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	memcpy(u->rxb + u->rx_len, p, len);
	u->rx_len += len;
	u->rx_off += len;
	return len;
}

static int
request(struct tunnel *u, struct transport_req *q, const char *path, bool post)
{
	struct transport *t = &u->t;
	char url[420];

	transport_curl_drop(t, q);
	if (transport_curl_easy(t, q) == NULL)
		return ERR_NOMEM;
	q->resp_len = 0;
	q->resp[0] = '\0';
	snprintf(url, sizeof(url), "http://%s:%u%s", t->host, t->port, path);
	curl_easy_setopt(q->e, CURLOPT_URL, url);
	/* A 4xx/5xx answer must never reach the stream as if it were bytes. */
	curl_easy_setopt(q->e, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(q->e, CURLOPT_HTTPHEADER, post ? u->post_hdrs : u->get_hdrs);
	if (post) {
		curl_easy_setopt(q->e, CURLOPT_POST, 1L);
		curl_easy_setopt(q->e, CURLOPT_TIMEOUT_MS, (long)t->timeout_ms);
	}
	if (q == &u->rx) {
		curl_easy_setopt(q->e, CURLOPT_WRITEFUNCTION, rx_write);
		curl_easy_setopt(q->e, CURLOPT_WRITEDATA, u);
		curl_easy_setopt(q->e, CURLOPT_TIMEOUT_MS, (long)TRANSPORT_HTTP_RX_TIMEOUT_MS);
	} else {
		curl_easy_setopt(q->e, CURLOPT_WRITEFUNCTION, short_answer);
		curl_easy_setopt(q->e, CURLOPT_WRITEDATA, q);
	}
	return 0;
}

static int
rx_issue(struct tunnel *u)
{
	char path[128];
	int r;

	snprintf(path, sizeof(path), "/v1/rx?t=%s&off=%llu", u->id,
	    (unsigned long long)u->rx_off);
	u->rx_issued_off = u->rx_off;
	if ((r = request(u, &u->rx, path, false)) != 0)
		return r;
	u->rx_paused = false;
	return transport_curl_go(&u->t, &u->rx);
}

/* At most one POST /v1/tx at a time, always from the first unacknowledged
 * byte: a retry of a request that did arrive is harmless. */
static int
tx_issue(struct tunnel *u)
{
	char path[128];
	size_t n = u->txq_len < RELAY_HTTP_TX_MAX_BYTES ? u->txq_len : RELAY_HTTP_TX_MAX_BYTES;
	int r;

	if (u->tx.busy || u->tx.retry_at != 0 || n == 0 || u->t.state != TRANSPORT_READY)
		return 0;
	snprintf(path, sizeof(path), "/v1/tx?t=%s&off=%llu", u->id,
	    (unsigned long long)u->tx_base);
	if ((r = request(u, &u->tx, path, true)) != 0)
		return r;
	curl_easy_setopt(u->tx.e, CURLOPT_POSTFIELDSIZE, (long)n);
	curl_easy_setopt(u->tx.e, CURLOPT_COPYPOSTFIELDS, (const char *)u->txq);
	u->tx.sent = n;
	return transport_curl_go(&u->t, &u->tx);
}

static int
start(struct transport *t)
{
	struct tunnel *u = tunnel(t);
	int r;

	u->rxb = malloc(TRANSPORT_HTTP_RX_BUF_BYTES);
	u->txq = malloc(TRANSPORT_HTTP_TXQ_MAX_BYTES);
	u->post_hdrs = curl_slist_append(NULL, "Content-Type: application/octet-stream");
	u->post_hdrs = curl_slist_append(u->post_hdrs, "Cache-Control: no-store");
	u->post_hdrs = curl_slist_append(u->post_hdrs, "Expect:");     /* no 100-continue wait */
	u->get_hdrs = curl_slist_append(NULL, "Cache-Control: no-store");
	if (u->rxb == NULL || u->txq == NULL || u->post_hdrs == NULL || u->get_hdrs == NULL)
		return ERR_NOMEM;
	if ((r = request(u, &u->open, "/v1/open", true)) != 0)
		return r;
	curl_easy_setopt(u->open.e, CURLOPT_POSTFIELDSIZE, 0L);
	curl_easy_setopt(u->open.e, CURLOPT_POSTFIELDS, "");
	return transport_curl_go(t, &u->open);
}

/* A failed rx or tx is asked again later; too many in a row end it. */
static int
retry_later(struct tunnel *u, struct transport_req *q, CURLcode res, const char *what)
{
	struct transport *t = &u->t;
	long code = 0;
	int r;

	curl_easy_getinfo(q->e, CURLINFO_RESPONSE_CODE, &code);
	r = transport_curl_describe(t, q, res, what);
	if (code == 404) {
		/* The relay forgot the tunnel: it closed the connection. */
		u->peer_closed = true;
		transport_set_why(t, "the relay closed the HTTP tunnel");
		return 0;
	}
	if (code == 409 || code == 407 || ++q->fails > TRANSPORT_HTTP_RETRIES_MAX)
		return transport_fail(t, r);
	q->retry_at = mono_ms() + (uint64_t)TRANSPORT_HTTP_RETRY_MS * (1u << (q->fails - 1));
	return 0;
}

static int
open_done(struct tunnel *u, CURLcode res)
{
	struct transport *t = &u->t;
	const char *p = u->open.resp;
	size_t i;

	if (res != CURLE_OK)
		return transport_fail(t, transport_curl_describe(t, &u->open, res, "http"));
	if (strncmp(p, "t=", 2) != 0)
		goto bad;
	for (i = 0; i < 32; i++)
		if (!strchr("0123456789abcdefABCDEF", p[2 + i]) || p[2 + i] == '\0')
			goto bad;
	if (p[34] != '\n' && p[34] != '\0')
		goto bad;
	memcpy(u->id, p + 2, 32);
	u->id[32] = '\0';
	t->state = TRANSPORT_READY;
	transport_curl_drop(t, &u->open);
	return rx_issue(u);
bad:
	transport_set_why(t, "http: the answer to /v1/open is not a tunnel id (is this a relay?)");
	return transport_fail(t, ERR_PROTOCOL);
}

static int
tx_done(struct tunnel *u, CURLcode res)
{
	unsigned long long ack;
	uint64_t drop;
	int r;

	if (res != CURLE_OK) {
		/* The same bytes from the same offset again: harmless if they
		 * did arrive. */
		r = retry_later(u, &u->tx, res, "http tx");
		transport_curl_drop(&u->t, &u->tx);
		return r;
	}
	if (sscanf(u->tx.resp, "ack=%llu", &ack) != 1 || ack < u->tx_base ||
	    ack - u->tx_base > u->txq_len) {
		transport_set_why(&u->t, "http tx: the relay's acknowledgement makes no sense");
		return transport_fail(&u->t, ERR_PROTOCOL);
	}
	u->tx.fails = 0;
	drop = ack - u->tx_base;
	memmove(u->txq, u->txq + drop, u->txq_len - (size_t)drop);
	u->txq_len -= (size_t)drop;
	u->tx_base = ack;
	transport_curl_drop(&u->t, &u->tx);
	return tx_issue(u);
}

static int
rx_done(struct tunnel *u, CURLcode res)
{
	int r;

	if (res != CURLE_OK) {
		/* Cut off or failed: ask again from what actually arrived. An
		 * answer that brought bytes before it broke was progress, not a
		 * failure in a row: ask again at once. */
		if (u->rx_off > u->rx_issued_off) {
			transport_curl_drop(&u->t, &u->rx);
			u->rx.fails = 0;
			log_debug("http rx cut after %llu bytes: asking again",
			    (unsigned long long)(u->rx_off - u->rx_issued_off));
			return rx_issue(u);
		}
		r = retry_later(u, &u->rx, res, "http rx");
		transport_curl_drop(&u->t, &u->rx);
		return r;
	}
	u->rx.fails = 0;
	return rx_issue(u);
}

static int
done(struct transport *t, struct transport_req *q, CURLcode res)
{
	struct tunnel *u = tunnel(t);

	if (q == &u->open)
		return open_done(u, res);
	if (q == &u->rx)
		return rx_done(u, res);
	if (q == &u->tx)
		return tx_done(u, res);
	return 0;
}

/* Best effort, so that the relay frees the tunnel at once instead of
 * after its idle timeout. */
static void
say_close(struct tunnel *u)
{
	struct transport *t = &u->t;
	struct transport_req q = { 0 };
	char url[420];

	if (u->id[0] == '\0' || u->peer_closed || request(u, &q, "", true) != 0)
		return;
	snprintf(url, sizeof(url), "http://%s:%u/v1/close?t=%s", t->host, t->port, u->id);
	curl_easy_setopt(q.e, CURLOPT_URL, url);
	curl_easy_setopt(q.e, CURLOPT_POSTFIELDSIZE, 0L);
	curl_easy_setopt(q.e, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(q.e, CURLOPT_TIMEOUT_MS, (long)TRANSPORT_HTTP_CLOSE_TIMEOUT_MS);
	(void)curl_easy_perform(q.e);
	curl_easy_cleanup(q.e);
}

static void
close_tunnel(struct transport *t)
{
	struct tunnel *u = tunnel(t);

	if (t->multi != NULL)
		say_close(u);
	transport_curl_drop(t, &u->open);
	transport_curl_drop(t, &u->rx);
	transport_curl_drop(t, &u->tx);
	curl_slist_free_all(u->post_hdrs);
	curl_slist_free_all(u->get_hdrs);
	free(u->rxb);
	free(u->txq);
}

static int
pollfds(struct transport *t, struct pollfd *p, int max, bool want_write, int *timeout_ms)
{
	struct tunnel *u = tunnel(t);
	uint64_t now;
	int n;

	(void)want_write;       /* what waits is in txq: curl knows */
	if (u->rx_len > u->rx_head || u->peer_closed)
		transport_lower_timeout(timeout_ms, 0);
	n = transport_curl_pollfds(t, p, max, timeout_ms);
	now = mono_ms();
	if (u->rx.retry_at != 0)
		transport_lower_timeout(timeout_ms, u->rx.retry_at > now ?
		    (long)(u->rx.retry_at - now) : 0);
	if (u->tx.retry_at != 0)
		transport_lower_timeout(timeout_ms, u->tx.retry_at > now ?
		    (long)(u->tx.retry_at - now) : 0);
	return n;
}

static int
after_poll(struct transport *t)
{
	struct tunnel *u = tunnel(t);
	int running, r;
	uint64_t now;

	if ((r = transport_curl_run(t, done)) != 0 || t->state != TRANSPORT_READY)
		return r != 0 ? r : (t->state == TRANSPORT_FAILED ? t->err : 0);
	now = mono_ms();
	if (u->tx.retry_at != 0 && now >= u->tx.retry_at) {
		u->tx.retry_at = 0;
		r = tx_issue(u);
	}
	if (r == 0 && u->rx.retry_at != 0 && now >= u->rx.retry_at)
		r = rx_issue(u);
	if (r != 0)
		return transport_fail(t, r);
	/* New requests start moving now rather than after the next poll. */
	curl_multi_perform(t->multi, &running);
	return 0;
}

static int
send_bytes(struct transport *t, const void *p, size_t n, size_t *sent)
{
	struct tunnel *u = tunnel(t);
	int r;

	if (u->peer_closed)
		return ERR_CLOSED;
	if (n > TRANSPORT_HTTP_TXQ_MAX_BYTES - u->txq_len)
		n = TRANSPORT_HTTP_TXQ_MAX_BYTES - u->txq_len;
	if (n == 0)
		return ERR_AGAIN;
	memcpy(u->txq + u->txq_len, p, n);
	u->txq_len += n;
	*sent = n;
	if ((r = tx_issue(u)) != 0)
		return transport_fail(t, r);
	return 0;
}

static int
recv_bytes(struct transport *t, void *p, size_t n, size_t *got)
{
	struct tunnel *u = tunnel(t);
	size_t have = u->rx_len - u->rx_head;

	if (have == 0)
		return u->peer_closed ? ERR_CLOSED : ERR_AGAIN;
	if (n > have)
		n = have;
	memcpy(p, u->rxb + u->rx_head, n);
	u->rx_head += n;
	if (u->rx_head == u->rx_len)
		u->rx_head = u->rx_len = 0;
	*got = n;
	t->pending = u->rx_len > u->rx_head;
	if (u->rx_paused && u->rx.e != NULL) {
		u->rx_paused = false;
		curl_easy_pause(u->rx.e, CURLPAUSE_CONT);
	}
	return 0;
}

static int
no_fd(const struct transport *t)
{
	(void)t;
	return -1;              /* several requests, none of them the stream */
}

static size_t
unsent(const struct transport *t)
{
	return ((const struct tunnel *)t)->txq_len;
}

const struct transport_ops transport_http = {
	.name = "http",
	.port = TRANSPORT_TLS_PORT,
	.proxy = true,
	.size = sizeof(struct tunnel),
	.start = start,
	.close = close_tunnel,
	.pollfds = pollfds,
	.after_poll = after_poll,
	.send = send_bytes,
	.recv = recv_bytes,
	.fd = no_fd,
	.unsent = unsent,
};
