/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_stream.c - one byte stream through libcurl: a CONNECT_ONLY
 * transfer on the transport's multi handle (so connecting never blocks),
 * then curl_easy_send/recv on the connection it made. The tcp, tls,
 * proxy and direct tiers are this, set up differently (transport_ops.h).
 */
#include <stdio.h>

#include "transport_ops.h"

static struct transport_stream *
stream(struct transport *t)
{
	return (struct transport_stream *)t;
}

int
transport_stream_start(struct transport *t, const char *scheme, bool proxy_tunnel)
{
	struct transport_stream *s = stream(t);
	char url[320];
	CURL *e;

	s->fd = -1;
	if ((e = transport_curl_easy(t, &s->conn)) == NULL)
		return ERR_NOMEM;
	/* CONNECT_ONLY sends no request: the scheme only picks curl's plain
	 * ("http") or TLS ("https") connection. */
	snprintf(url, sizeof(url), "%s://%s:%u/", scheme, t->host, t->port);
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_CONNECT_ONLY, 1L);
	if (proxy_tunnel)
		curl_easy_setopt(e, CURLOPT_HTTPPROXYTUNNEL, 1L);
	return transport_curl_go(t, &s->conn);
}

void
transport_stream_close(struct transport *t)
{
	transport_curl_drop(t, &stream(t)->conn);
}

static int
connected(struct transport *t, struct transport_req *q, CURLcode res)
{
	struct transport_stream *s = stream(t);
	curl_socket_t fd = CURL_SOCKET_BAD;
	const char *what = transport_label(t);

	if (q != &s->conn)
		return 0;
	if (res != CURLE_OK)
		return transport_fail(t, transport_curl_describe(t, q, res, what));
	if (curl_easy_getinfo(q->e, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD) {
		transport_set_why(t, "%s: connected, but curl has no socket", what);
		return transport_fail(t, ERR_INTERNAL);
	}
	s->fd = (int)fd;
	t->state = TRANSPORT_READY;
	return 0;
}

int
transport_stream_pollfds(struct transport *t, struct pollfd *p, int max, bool want_write,
    int *timeout_ms)
{
	if (t->state != TRANSPORT_READY)
		return transport_curl_pollfds(t, p, max, timeout_ms);
	p[0].fd = stream(t)->fd;
	p[0].events = POLLIN | (want_write ? POLLOUT : 0);
	p[0].revents = 0;
	return 1;
}

int
transport_stream_after_poll(struct transport *t)
{
	int r;

	/* Connected: curl has nothing more to do between send and recv. */
	if (t->state == TRANSPORT_READY)
		return 0;
	if ((r = transport_curl_run(t, connected)) != 0)
		return r;
	return t->state == TRANSPORT_FAILED ? t->err : 0;
}

int
transport_stream_send(struct transport *t, const void *p, size_t n, size_t *sent)
{
	CURLcode res = curl_easy_send(stream(t)->conn.e, p, n, sent);

	if (res == CURLE_AGAIN)
		return ERR_AGAIN;
	if (res != CURLE_OK) {
		transport_set_why(t, "%s: sending failed (%s)", transport_label(t),
		    curl_easy_strerror(res));
		return transport_fail(t, ERR_SYSTEM);
	}
	return *sent > 0 ? 0 : ERR_AGAIN;
}

int
transport_stream_recv(struct transport *t, void *p, size_t n, size_t *got)
{
	CURLcode res = curl_easy_recv(stream(t)->conn.e, p, n, got);

	if (res == CURLE_AGAIN)
		return ERR_AGAIN;
	if (res != CURLE_OK) {
		transport_set_why(t, "%s: receiving failed (%s)", transport_label(t),
		    curl_easy_strerror(res));
		return transport_fail(t, ERR_SYSTEM);
	}
	if (*got == 0)
		return ERR_CLOSED;
	/* A full buffer: TLS may hold more that poll() cannot see. */
	t->pending = *got == n;
	return 0;
}

int
transport_stream_fd(const struct transport *t)
{
	return ((const struct transport_stream *)t)->fd;
}
