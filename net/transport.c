/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include <curl/curl.h>

#include "log.h"
#include "clock.h"
#include "transport.h"

enum tstate { T_CONNECTING, T_READY, T_FAILED };

/* One HTTP request of the tunnel (open, rx or tx). */
struct req {
	CURL *e;
	bool busy;                      /* added to the multi */
	uint64_t retry_at;              /* 0: no retry waiting */
	int fails;                      /* consecutive */
	size_t sent;                    /* tx: bytes in this POST */
	char resp[64];                  /* open, tx: the short answer */
	size_t resp_len;
	char err[CURL_ERROR_SIZE];
};

struct transport {
	int kind;
	enum tstate state;
	int err;                        /* the ERR_* that failed it */
	struct transport_opts o;
	char host[260];                 /* as in a URL: v6 in brackets */
	uint16_t port;
	int timeout_ms;
	CURLM *multi;
	bool pending;                   /* recv filled the caller's buffer: maybe more inside */
	char why[256];

	/* tcp, tls, proxy: one CONNECT_ONLY transfer, kept in the multi
	 * because curl_easy_send/recv find the connection through it. */
	struct req conn;
	int fd;

	/* http: the tunnel of PROTOCOL.md 5.1 */
	struct req open, rx, tx;
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

static bool curl_ready;

static void set_why(struct transport *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_why(struct transport *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

static int
fail(struct transport *t, int err)
{
	t->state = T_FAILED;
	t->err = err;
	return err;
}

int
transport_kind_parse(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return TRANSPORT_AUTO;
	for (int k = 0; k < TRANSPORT_KINDS; k++)
		if (strcmp(s, transport_kind_name(k)) == 0)
			return k;
	return ERR_FORMAT;
}

const char *
transport_kind_name(int kind)
{
	static const char *const names[TRANSPORT_KINDS] = { "tcp", "tls", "proxy", "http" };

	if (kind == TRANSPORT_AUTO)
		return "auto";
	return kind >= 0 && kind < TRANSPORT_KINDS ? names[kind] : "?";
}

/* A proxy the proxy tier may use: --proxy, or one curl finds for https. */
static bool
have_proxy(const struct transport_opts *o)
{
	return (o->proxy != NULL && o->proxy[0] != '\0') || o->env_proxy;
}

/* What every handle of a transport shares: timeouts, proxy, TLS checks. */
static CURL *
easy_new(struct transport *t, struct req *q)
{
	CURL *e = curl_easy_init();

	if (e == NULL)
		return NULL;
	q->e = e;
	q->err[0] = '\0';
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, q->err);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)t->timeout_ms);
	curl_easy_setopt(e, CURLOPT_PRIVATE, q);
	/* Never weaker than the defaults, whatever a curlrc or build says. */
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->o.ca_file != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, t->o.ca_file);
	if (t->kind == TRANSPORT_TCP || t->kind == TRANSPORT_TLS) {
		/* "" disables the proxy even when the environment names one:
		 * going through a proxy is the proxy tier's job. */
		curl_easy_setopt(e, CURLOPT_PROXY, "");
	} else {
		if (t->o.proxy != NULL)
			curl_easy_setopt(e, CURLOPT_PROXY, t->o.proxy);
		curl_easy_setopt(e, CURLOPT_PROXYAUTH, (long)CURLAUTH_ANY);
		if (t->o.proxy_user != NULL)
			curl_easy_setopt(e, CURLOPT_PROXYUSERPWD, t->o.proxy_user);
	}
	return e;
}

static void
req_drop(struct transport *t, struct req *q)
{
	if (q->e == NULL)
		return;
	if (q->busy)
		curl_multi_remove_handle(t->multi, q->e);
	curl_easy_cleanup(q->e);
	q->e = NULL;
	q->busy = false;
}

/* Words for a failed curl transfer: the proxy's, TLS's or the network's. */
static int
describe(struct transport *t, struct req *q, CURLcode res, const char *what)
{
	long proxy_code = 0, code = 0;

	curl_easy_getinfo(q->e, CURLINFO_HTTP_CONNECTCODE, &proxy_code);
	curl_easy_getinfo(q->e, CURLINFO_RESPONSE_CODE, &code);
	/* 407 is the standard answer; tinyproxy says 401 to a CONNECT. */
	if (proxy_code == 407 || proxy_code == 401 || code == 407) {
		set_why(t, "%s: the proxy refused the credentials (HTTP %ld)%s", what,
		    proxy_code != 0 ? proxy_code : code, t->o.proxy_user == NULL &&
		    (t->o.proxy == NULL || strchr(t->o.proxy, '@') == NULL) ?
		    "; give --proxy-user USER:PASS" : "");
		return ERR_AUTH;
	}
	if (proxy_code != 0 && proxy_code != 200) {
		set_why(t, "%s: the proxy refused CONNECT %s:%u (HTTP %ld)", what, t->host,
		    t->port, proxy_code);
		return ERR_PROTOCOL;
	}
	switch (res) {
	case CURLE_PEER_FAILED_VERIFICATION:
		set_why(t, "%s: the relay's TLS certificate is not trusted (%s)%s", what,
		    q->err[0] ? q->err : curl_easy_strerror(res),
		    t->o.ca_file == NULL ? "; --ca-file names a CA to trust" : "");
		return ERR_AUTH;
	case CURLE_SSL_CONNECT_ERROR:
		set_why(t, "%s: TLS handshake with the relay failed (%s)", what,
		    q->err[0] ? q->err : curl_easy_strerror(res));
		return ERR_PROTOCOL;
	case CURLE_OPERATION_TIMEDOUT:
		set_why(t, "%s: timed out (%s)", what, q->err[0] ? q->err : "no answer");
		return ERR_TIMEOUT;
	case CURLE_HTTP_RETURNED_ERROR:
		set_why(t, "%s: the relay (or a proxy) answered HTTP %ld", what, code);
		return code == 404 ? ERR_CLOSED : ERR_PROTOCOL;
	default:
		set_why(t, "%s: %s", what, q->err[0] ? q->err : curl_easy_strerror(res));
		return ERR_SYSTEM;
	}
}

/* ---- tcp, tls, proxy: one CONNECT_ONLY connection ---- */

static int
stream_start(struct transport *t)
{
	char url[320];
	CURL *e;

	if ((e = easy_new(t, &t->conn)) == NULL)
		return ERR_NOMEM;
	/* CONNECT_ONLY sends no request: for tcp the scheme only picks curl's
	 * plain connection, for tls and proxy https makes it a TLS one. */
	snprintf(url, sizeof(url), "%s://%s:%u/", t->kind == TRANSPORT_TCP ? "http" : "https",
	    t->host, t->port);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
	if (t->kind == TRANSPORT_PROXY)
		curl_easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L);
	if (curl_multi_add_handle(t->multi, e) != CURLM_OK)
		return ERR_NOMEM;
	t->conn.busy = true;
	return 0;
}

static int
stream_done(struct transport *t, CURLcode res)
{
	curl_socket_t s = CURL_SOCKET_BAD;
	const char *what = transport_kind_name(t->kind);

	if (res != CURLE_OK)
		return fail(t, describe(t, &t->conn, res, what));
	if (curl_easy_getinfo(t->conn.e, CURLINFO_ACTIVESOCKET, &s) != CURLE_OK ||
	    s == CURL_SOCKET_BAD) {
		set_why(t, "%s: connected, but curl has no socket", what);
		return fail(t, ERR_INTERNAL);
	}
	t->fd = (int)s;
	t->state = T_READY;
	return 0;
}

/* ---- http: the long-poll tunnel ---- */

static size_t
short_answer(char *p, size_t size, size_t n, void *arg)
{
	struct req *q = arg;
	size_t len = size * n, take = len;

	if (take > sizeof(q->resp) - 1 - q->resp_len)
		take = sizeof(q->resp) - 1 - q->resp_len;
	memcpy(q->resp + q->resp_len, p, take);
	q->resp_len += take;
	q->resp[q->resp_len] = '\0';
	return len;
}

/* rx bytes go into rxb whole, or the transfer waits (pause) until
 * transport_recv made room: curl then hands the same bytes again. */
static size_t
rx_write(char *p, size_t size, size_t n, void *arg)
{
	struct transport *t = arg;
	size_t len = size * n;

	if (len == 0)
		return 0;
	if (t->rx_head > 0 && t->rx_len + len > TRANSPORT_HTTP_RX_BUF_BYTES) {
		memmove(t->rxb, t->rxb + t->rx_head, t->rx_len - t->rx_head);
		t->rx_len -= t->rx_head;
		t->rx_head = 0;
	}
	if (t->rx_len + len > TRANSPORT_HTTP_RX_BUF_BYTES) {
		t->rx_paused = true;
		return CURL_WRITEFUNC_PAUSE;
	}
	memcpy(t->rxb + t->rx_len, p, len);
	t->rx_len += len;
	t->rx_off += len;
	return len;
}

static int
http_req(struct transport *t, struct req *q, const char *path, bool post)
{
	char url[420];

	req_drop(t, q);
	if (easy_new(t, q) == NULL)
		return ERR_NOMEM;
	q->resp_len = 0;
	q->resp[0] = '\0';
	snprintf(url, sizeof(url), "http://%s:%u%s", t->host, t->port, path);
	curl_easy_setopt(q->e, CURLOPT_URL, url);
	/* A 4xx/5xx answer must never reach the stream as if it were bytes. */
	curl_easy_setopt(q->e, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(q->e, CURLOPT_HTTPHEADER, post ? t->post_hdrs : t->get_hdrs);
	if (post) {
		curl_easy_setopt(q->e, CURLOPT_POST, 1L);
		curl_easy_setopt(q->e, CURLOPT_TIMEOUT_MS, (long)t->timeout_ms);
	}
	if (q == &t->rx) {
		curl_easy_setopt(q->e, CURLOPT_WRITEFUNCTION, rx_write);
		curl_easy_setopt(q->e, CURLOPT_WRITEDATA, t);
		curl_easy_setopt(q->e, CURLOPT_TIMEOUT_MS, (long)TRANSPORT_HTTP_RX_TIMEOUT_MS);
	} else {
		curl_easy_setopt(q->e, CURLOPT_WRITEFUNCTION, short_answer);
		curl_easy_setopt(q->e, CURLOPT_WRITEDATA, q);
	}
	return 0;
}

static int
req_go(struct transport *t, struct req *q)
{
	if (curl_multi_add_handle(t->multi, q->e) != CURLM_OK)
		return ERR_NOMEM;
	q->busy = true;
	q->retry_at = 0;
	return 0;
}

static int
rx_issue(struct transport *t)
{
	char path[128];
	int r;

	snprintf(path, sizeof(path), "/v1/rx?t=%s&off=%llu", t->id,
	    (unsigned long long)t->rx_off);
	t->rx_issued_off = t->rx_off;
	if ((r = http_req(t, &t->rx, path, false)) != 0)
		return r;
	t->rx_paused = false;
	return req_go(t, &t->rx);
}

/* At most one POST /v1/tx at a time, always from the first unacknowledged
 * byte: a retry of a request that did arrive is harmless. */
static int
tx_issue(struct transport *t)
{
	char path[128];
	size_t n = t->txq_len < RELAY_HTTP_TX_MAX_BYTES ? t->txq_len : RELAY_HTTP_TX_MAX_BYTES;
	int r;

	if (t->tx.busy || t->tx.retry_at != 0 || n == 0 || t->state != T_READY)
		return 0;
	snprintf(path, sizeof(path), "/v1/tx?t=%s&off=%llu", t->id,
	    (unsigned long long)t->tx_base);
	if ((r = http_req(t, &t->tx, path, true)) != 0)
		return r;
	curl_easy_setopt(t->tx.e, CURLOPT_POSTFIELDSIZE, (long)n);
	curl_easy_setopt(t->tx.e, CURLOPT_COPYPOSTFIELDS, (const char *)t->txq);
	t->tx.sent = n;
	return req_go(t, &t->tx);
}

static int
http_start(struct transport *t)
{
	int r;

	t->rxb = malloc(TRANSPORT_HTTP_RX_BUF_BYTES);
	t->txq = malloc(TRANSPORT_HTTP_TXQ_MAX_BYTES);
	t->post_hdrs = curl_slist_append(NULL, "Content-Type: application/octet-stream");
	t->post_hdrs = curl_slist_append(t->post_hdrs, "Cache-Control: no-store");
	t->post_hdrs = curl_slist_append(t->post_hdrs, "Expect:");     /* no 100-continue wait */
	t->get_hdrs = curl_slist_append(NULL, "Cache-Control: no-store");
	if (t->rxb == NULL || t->txq == NULL || t->post_hdrs == NULL || t->get_hdrs == NULL)
		return ERR_NOMEM;
	if ((r = http_req(t, &t->open, "/v1/open", true)) != 0)
		return r;
	curl_easy_setopt(t->open.e, CURLOPT_POSTFIELDSIZE, 0L);
	curl_easy_setopt(t->open.e, CURLOPT_POSTFIELDS, "");
	return req_go(t, &t->open);
}

/* A failed rx or tx is asked again later; too many in a row end it. */
static int
retry_later(struct transport *t, struct req *q, CURLcode res, const char *what)
{
	long code = 0;
	int r;

	curl_easy_getinfo(q->e, CURLINFO_RESPONSE_CODE, &code);
	r = describe(t, q, res, what);
	if (code == 404) {
		/* The relay forgot the tunnel: it closed the connection. */
		t->peer_closed = true;
		set_why(t, "the relay closed the HTTP tunnel");
		return 0;
	}
	if (code == 409 || code == 407 || ++q->fails > TRANSPORT_HTTP_RETRIES_MAX)
		return fail(t, r);
	q->retry_at = mono_ms() + (uint64_t)TRANSPORT_HTTP_RETRY_MS * (1u << (q->fails - 1));
	return 0;
}

static int
open_done(struct transport *t, CURLcode res)
{
	const char *p = t->open.resp;
	size_t i;

	if (res != CURLE_OK)
		return fail(t, describe(t, &t->open, res, "http"));
	if (strncmp(p, "t=", 2) != 0)
		goto bad;
	for (i = 0; i < 32; i++)
		if (!strchr("0123456789abcdefABCDEF", p[2 + i]) || p[2 + i] == '\0')
			goto bad;
	if (p[34] != '\n' && p[34] != '\0')
		goto bad;
	memcpy(t->id, p + 2, 32);
	t->id[32] = '\0';
	t->state = T_READY;
	req_drop(t, &t->open);
	return rx_issue(t);
bad:
	set_why(t, "http: the answer to /v1/open is not a tunnel id (is this a relay?)");
	return fail(t, ERR_PROTOCOL);
}

static int
tx_done(struct transport *t, CURLcode res)
{
	unsigned long long ack;
	uint64_t drop;
	int r;

	if (res != CURLE_OK) {
		/* The same bytes from the same offset again: harmless if they
		 * did arrive. */
		r = retry_later(t, &t->tx, res, "http tx");
		req_drop(t, &t->tx);
		return r;
	}
	if (sscanf(t->tx.resp, "ack=%llu", &ack) != 1 || ack < t->tx_base ||
	    ack - t->tx_base > t->txq_len) {
		set_why(t, "http tx: the relay's acknowledgement makes no sense");
		return fail(t, ERR_PROTOCOL);
	}
	t->tx.fails = 0;
	drop = ack - t->tx_base;
	memmove(t->txq, t->txq + drop, t->txq_len - (size_t)drop);
	t->txq_len -= (size_t)drop;
	t->tx_base = ack;
	req_drop(t, &t->tx);
	return tx_issue(t);
}

static int
rx_done(struct transport *t, CURLcode res)
{
	int r;

	if (res != CURLE_OK) {
		/* Cut off or failed: ask again from what actually arrived. An
		 * answer that brought bytes before it broke was progress, not a
		 * failure in a row: ask again at once. */
		if (t->rx_off > t->rx_issued_off) {
			req_drop(t, &t->rx);
			t->rx.fails = 0;
			log_debug("http rx cut after %llu bytes: asking again",
			    (unsigned long long)(t->rx_off - t->rx_issued_off));
			return rx_issue(t);
		}
		r = retry_later(t, &t->rx, res, "http rx");
		req_drop(t, &t->rx);
		return r;
	}
	t->rx.fails = 0;
	return rx_issue(t);
}

/* ---- the interface ---- */

struct transport *
transport_start(int kind, const char *host, uint16_t port, const struct transport_opts *o,
    int timeout_ms, char *why, size_t why_len)
{
	struct transport *t;
	int r;

	if (kind == TRANSPORT_PROXY && !have_proxy(o)) {
		snprintf(why, why_len, "proxy: no proxy configured (give --proxy URL or set "
		    "https_proxy)");
		return NULL;
	}
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(why, why_len, "%s: libcurl failed to initialise",
			    transport_kind_name(kind));
			return NULL;
		}
		curl_ready = true;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	t->kind = kind;
	t->o = *o;
	t->fd = -1;
	t->port = port;
	t->timeout_ms = timeout_ms;
	snprintf(t->host, sizeof(t->host), strchr(host, ':') ? "[%s]" : "%s", host);
	if ((t->multi = curl_multi_init()) == NULL)
		r = ERR_NOMEM;
	else
		r = kind == TRANSPORT_HTTP ? http_start(t) : stream_start(t);
	if (r != 0) {
		snprintf(why, why_len, "%s: cannot start (%s)", transport_kind_name(kind),
		    err_str(r));
		transport_close(t);
		return NULL;
	}
	/* Get the connection going now; poll() follows. */
	if (transport_after_poll(t) != 0 && t->state != T_FAILED)
		t->state = T_FAILED;
	return t;
}

static void
tunnel_close(struct transport *t)
{
	char url[420];
	struct req q = { 0 };

	/* Best effort, so that the relay frees the tunnel at once instead of
	 * after its idle timeout. */
	if (t->id[0] == '\0' || t->peer_closed || http_req(t, &q, "", true) != 0)
		return;
	snprintf(url, sizeof(url), "http://%s:%u/v1/close?t=%s", t->host, t->port, t->id);
	curl_easy_setopt(q.e, CURLOPT_URL, url);
	curl_easy_setopt(q.e, CURLOPT_POSTFIELDSIZE, 0L);
	curl_easy_setopt(q.e, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(q.e, CURLOPT_TIMEOUT_MS, (long)TRANSPORT_HTTP_CLOSE_TIMEOUT_MS);
	(void)curl_easy_perform(q.e);
	curl_easy_cleanup(q.e);
}

void
transport_close(struct transport *t)
{
	if (t == NULL)
		return;
	if (t->kind == TRANSPORT_HTTP && t->multi != NULL)
		tunnel_close(t);
	if (t->multi != NULL) {
		req_drop(t, &t->conn);
		req_drop(t, &t->open);
		req_drop(t, &t->rx);
		req_drop(t, &t->tx);
		curl_multi_cleanup(t->multi);
	}
	curl_slist_free_all(t->post_hdrs);
	curl_slist_free_all(t->get_hdrs);
	free(t->rxb);
	free(t->txq);
	free(t);
}

int
transport_kind(const struct transport *t)
{
	return t->kind;
}

bool
transport_ready(const struct transport *t)
{
	return t->state == T_READY;
}

const char *
transport_why(const struct transport *t)
{
	return t->why;
}

int
transport_fd(const struct transport *t)
{
	return t->kind != TRANSPORT_HTTP && t->state == T_READY ? t->fd : -1;
}

size_t
transport_unsent(const struct transport *t)
{
	return t->kind == TRANSPORT_HTTP ? t->txq_len : 0;
}

static void
lower(int *timeout_ms, long ms)
{
	if (ms < 0)
		return;
	if (*timeout_ms < 0 || ms < *timeout_ms)
		*timeout_ms = (int)ms;
}

int
transport_pollfds(struct transport *t, struct pollfd *p, int max, bool want_write,
    int *timeout_ms)
{
	fd_set rd, wr, ex;
	int maxfd = -1, n = 0;
	long ms = -1;
	uint64_t now;

	if (t->state == T_FAILED || max <= 0) {
		lower(timeout_ms, 0);
		return 0;
	}
	if (t->pending || (t->kind == TRANSPORT_HTTP && (t->rx_len > t->rx_head ||
	    t->peer_closed)))
		lower(timeout_ms, 0);
	if (t->kind != TRANSPORT_HTTP && t->state == T_READY) {
		p[0].fd = t->fd;
		p[0].events = POLLIN | (want_write ? POLLOUT : 0);
		p[0].revents = 0;
		return 1;
	}
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	curl_multi_fdset(t->multi, &rd, &wr, &ex, &maxfd);
	for (int fd = 0; fd <= maxfd && fd < FD_SETSIZE; fd++) {
		short ev = (FD_ISSET(fd, &rd) ? POLLIN : 0) | (FD_ISSET(fd, &wr) ? POLLOUT : 0);

		if (ev == 0)
			continue;
		if (n == max) {
			lower(timeout_ms, 10);  /* more than we may list: look again soon */
			break;
		}
		p[n].fd = fd;
		p[n].events = ev;
		p[n].revents = 0;
		n++;
	}
	curl_multi_timeout(t->multi, &ms);
	/* curl says -1 while it waits on sockets it did not name (a resolver
	 * thread): look again soon rather than never. */
	lower(timeout_ms, maxfd == -1 && ms < 0 ? 50 : ms);
	now = mono_ms();
	if (t->rx.retry_at != 0)
		lower(timeout_ms, t->rx.retry_at > now ? (long)(t->rx.retry_at - now) : 0);
	if (t->tx.retry_at != 0)
		lower(timeout_ms, t->tx.retry_at > now ? (long)(t->tx.retry_at - now) : 0);
	return n;
}

int
transport_after_poll(struct transport *t)
{
	struct CURLMsg *m;
	struct req *q;
	char *priv;
	int running, left, r = 0;
	uint64_t now;

	if (t->state == T_FAILED)
		return t->err;
	if (t->kind != TRANSPORT_HTTP && t->state == T_READY)
		return 0;
	curl_multi_perform(t->multi, &running);
	while (r == 0 && (m = curl_multi_info_read(t->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		q = (struct req *)priv;
		if (q == &t->conn)
			r = stream_done(t, m->data.result);
		else if (q == &t->open)
			r = open_done(t, m->data.result);
		else if (q == &t->rx)
			r = rx_done(t, m->data.result);
		else if (q == &t->tx)
			r = tx_done(t, m->data.result);
	}
	if (r != 0 || t->kind != TRANSPORT_HTTP || t->state != T_READY)
		return r != 0 ? r : (t->state == T_FAILED ? t->err : 0);
	now = mono_ms();
	if (t->tx.retry_at != 0 && now >= t->tx.retry_at) {
		t->tx.retry_at = 0;
		r = tx_issue(t);
	}
	if (r == 0 && t->rx.retry_at != 0 && now >= t->rx.retry_at)
		r = rx_issue(t);
	if (r != 0)
		return fail(t, r);
	/* New requests start moving now rather than after the next poll. */
	curl_multi_perform(t->multi, &running);
	return 0;
}

int
transport_send(struct transport *t, const void *p, size_t n, size_t *sent)
{
	CURLcode res;
	int r;

	*sent = 0;
	if (t->state == T_FAILED)
		return t->err;
	if (t->state != T_READY)
		return ERR_AGAIN;
	if (t->kind == TRANSPORT_HTTP) {
		if (t->peer_closed)
			return ERR_CLOSED;
		if (n > TRANSPORT_HTTP_TXQ_MAX_BYTES - t->txq_len)
			n = TRANSPORT_HTTP_TXQ_MAX_BYTES - t->txq_len;
		if (n == 0)
			return ERR_AGAIN;
		memcpy(t->txq + t->txq_len, p, n);
		t->txq_len += n;
		*sent = n;
		if ((r = tx_issue(t)) != 0)
			return fail(t, r);
		return 0;
	}
	res = curl_easy_send(t->conn.e, p, n, sent);
	if (res == CURLE_AGAIN)
		return ERR_AGAIN;
	if (res != CURLE_OK) {
		set_why(t, "%s: sending failed (%s)", transport_kind_name(t->kind),
		    curl_easy_strerror(res));
		return fail(t, ERR_SYSTEM);
	}
	return *sent > 0 ? 0 : ERR_AGAIN;
}

int
transport_recv(struct transport *t, void *p, size_t n, size_t *got)
{
	CURLcode res;
	size_t have;

	*got = 0;
	t->pending = false;
	if (t->state == T_FAILED)
		return t->err;
	if (t->state != T_READY)
		return ERR_AGAIN;
	if (t->kind == TRANSPORT_HTTP) {
		have = t->rx_len - t->rx_head;
		if (have == 0) {
			if (t->peer_closed)
				return ERR_CLOSED;
			return ERR_AGAIN;
		}
		if (n > have)
			n = have;
		memcpy(p, t->rxb + t->rx_head, n);
		t->rx_head += n;
		if (t->rx_head == t->rx_len)
			t->rx_head = t->rx_len = 0;
		*got = n;
		t->pending = t->rx_len > t->rx_head;
		if (t->rx_paused && t->rx.e != NULL) {
			t->rx_paused = false;
			curl_easy_pause(t->rx.e, CURLPAUSE_CONT);
		}
		return 0;
	}
	res = curl_easy_recv(t->conn.e, p, n, got);
	if (res == CURLE_AGAIN)
		return ERR_AGAIN;
	if (res != CURLE_OK) {
		set_why(t, "%s: receiving failed (%s)", transport_kind_name(t->kind),
		    curl_easy_strerror(res));
		return fail(t, ERR_SYSTEM);
	}
	if (*got == 0)
		return ERR_CLOSED;
	/* A full buffer: TLS may hold more that poll() cannot see. */
	t->pending = *got == n;
	return 0;
}
