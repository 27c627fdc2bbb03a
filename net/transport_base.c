/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_base.c - what every tier is built from (transport_ops.h): its
 * state changes and why-texts, and the libcurl pieces: one way to make a
 * handle, to run the multi, to say what failed in words, and to tell
 * poll() what curl waits on. It calls no tier and not transport.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>

#include "transport_ops.h"

void
transport_set_why(struct transport *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
}

int
transport_fail(struct transport *t, int err)
{
	t->state = TRANSPORT_FAILED;
	t->err = err;
	return err;
}

void
transport_lower_timeout(int *timeout_ms, long ms)
{
	if (ms < 0)
		return;
	if (*timeout_ms < 0 || ms < *timeout_ms)
		*timeout_ms = (int)ms;
}

const char *
transport_label(const struct transport *t)
{
	return t->ops->label != NULL ? t->ops->label : t->ops->name;
}

CURL *
transport_curl_easy(struct transport *t, struct transport_req *q)
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
	if (t->resolve != NULL)
		curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
	if (!t->ops->proxy) {
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

int
transport_curl_go(struct transport *t, struct transport_req *q)
{
	if (curl_multi_add_handle(t->multi, q->e) != CURLM_OK)
		return ERR_NOMEM;
	q->busy = true;
	q->retry_at = 0;
	return 0;
}

void
transport_curl_drop(struct transport *t, struct transport_req *q)
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
int
transport_curl_describe(struct transport *t, struct transport_req *q, CURLcode res,
    const char *what)
{
	long proxy_code = 0, code = 0;

	curl_easy_getinfo(q->e, CURLINFO_HTTP_CONNECTCODE, &proxy_code);
	curl_easy_getinfo(q->e, CURLINFO_RESPONSE_CODE, &code);
	/* 407 is the standard answer; tinyproxy says 401 to a CONNECT. */
	if (proxy_code == 407 || proxy_code == 401 || code == 407) {
		transport_set_why(t, "%s: the proxy refused the credentials (HTTP %ld)%s", what,
		    proxy_code != 0 ? proxy_code : code, t->o.proxy_user == NULL &&
		    (t->o.proxy == NULL || strchr(t->o.proxy, '@') == NULL) ?
		    "; give --proxy-user USER:PASS" : "");
		return ERR_AUTH;
	}
	if (proxy_code != 0 && proxy_code != 200) {
		/* 4xx: not allowed there; 5xx: the proxy could not get there. */
		t->proxy_refused = proxy_code >= 400 && proxy_code < 500;
		transport_set_why(t, "%s: the proxy refused CONNECT %s:%u (HTTP %ld)", what,
		    t->host, t->port, proxy_code);
		return ERR_PROTOCOL;
	}
	switch (res) {
	case CURLE_PEER_FAILED_VERIFICATION:
		transport_set_why(t, "%s: the relay's TLS certificate is not trusted (%s)%s", what,
		    q->err[0] ? q->err : curl_easy_strerror(res),
		    t->o.ca_file == NULL ? "; --ca-file names a CA to trust" : "");
		return ERR_AUTH;
	case CURLE_SSL_CONNECT_ERROR:
		transport_set_why(t, "%s: TLS handshake with the relay failed (%s)", what,
		    q->err[0] ? q->err : curl_easy_strerror(res));
		return ERR_PROTOCOL;
	case CURLE_OPERATION_TIMEDOUT:
		transport_set_why(t, "%s: timed out (%s)", what, q->err[0] ? q->err : "no answer");
		return ERR_TIMEOUT;
	case CURLE_HTTP_RETURNED_ERROR:
		/* A relay never answers 403: a proxy that does keeps us out. */
		t->proxy_refused = code == 403 && t->ops->proxy;
		transport_set_why(t, "%s: the relay (or a proxy) answered HTTP %ld", what, code);
		return code == 404 ? ERR_CLOSED : ERR_PROTOCOL;
	default:
		transport_set_why(t, "%s: %s", what, q->err[0] ? q->err : curl_easy_strerror(res));
		return ERR_SYSTEM;
	}
}

int
transport_curl_pollfds(struct transport *t, struct pollfd *p, int max, int *timeout_ms)
{
	fd_set rd, wr, ex;
	int maxfd = -1, n = 0;
	long ms = -1;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_ZERO(&ex);
	curl_multi_fdset(t->multi, &rd, &wr, &ex, &maxfd);
	for (int fd = 0; fd <= maxfd && fd < FD_SETSIZE; fd++) {
		short ev = (FD_ISSET(fd, &rd) ? POLLIN : 0) | (FD_ISSET(fd, &wr) ? POLLOUT : 0);

		if (ev == 0)
			continue;
		if (n == max) {
			/* more than we may list: look again soon */
			transport_lower_timeout(timeout_ms, 10);
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
	transport_lower_timeout(timeout_ms, maxfd == -1 && ms < 0 ? 50 : ms);
	return n;
}

int
transport_curl_run(struct transport *t, transport_done_fn *done)
{
	struct CURLMsg *m;
	char *priv;
	int running, left, r = 0;

	curl_multi_perform(t->multi, &running);
	while (r == 0 && (m = curl_multi_info_read(t->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		r = done(t, (struct transport_req *)priv, m->data.result);
	}
	return r;
}
