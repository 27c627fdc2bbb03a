/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_ops.h - inside net/ only: what one tier implements, and what
 * the tiers share (transport_base.c, transport_stream.c).
 *
 * A tier is one file, net/transport_NAME.c, that defines
 *   const struct transport_ops transport_NAME = { ... };
 * declared below and registered in tiers[] in net/transport.c at its
 * enum transport_kind index (transport.h). Its state is a struct that
 * begins with struct transport; transport.c allocates ops->size bytes of
 * it, zeroed, and does everything that is the same for every tier: the
 * failed and not-yet-ready states, the curl multi handle, freeing.
 *
 * States: CONNECTING -> READY -> FAILED, or CONNECTING -> FAILED. A tier
 * moves to READY itself; transport_fail() moves to FAILED and keeps the
 * error, which every later call returns.
 */
#ifndef NET_TRANSPORT_OPS_H
#define NET_TRANSPORT_OPS_H

#include <curl/curl.h>

#include "transport.h"

enum transport_state {
	TRANSPORT_CONNECTING = 0,
	TRANSPORT_READY,
	TRANSPORT_FAILED,
};

struct transport {
	const struct transport_ops *ops;
	int kind;
	enum transport_state state;
	int err;                        /* the ERR_* that failed it */
	struct transport_opts o;
	char host[260];                 /* as in a URL: v6 in brackets */
	uint16_t port;
	int timeout_ms;                 /* for connecting, and each POST */
	CURLM *multi;                   /* every transfer of this transport */
	bool pending;                   /* recv filled the caller's buffer: maybe more inside */
	bool proxy_refused;             /* the proxy would not go to host:port */
	struct curl_slist *resolve;     /* host:port -> address for curl; NULL: none */
	char why[256];
};

struct transport_ops {
	const char *name;               /* --transport NAME, logs, the state file */
	/* What its failure texts begin with ("NAME: ..."); NULL: name. */
	const char *label;
	uint16_t port;                  /* when the address names none */
	bool proxy;                     /* its transfers may go through a proxy */
	size_t size;                    /* of its state, which begins with struct transport */
	/*
	 * Begin connecting (t->multi exists); never block. 0, or an ERR_*
	 * with t->why set (else transport_start says "cannot start").
	 */
	int (*start)(struct transport *t);
	/* Release what start made; t->multi and t are freed after. Also
	 * called when start failed half-way. */
	void (*close)(struct transport *t);
	/* The calls of transport.h, called only while not FAILED (pollfds
	 * with max > 0; send, recv and fd only while READY). */
	int (*pollfds)(struct transport *t, struct pollfd *p, int max, bool want_write,
	    int *timeout_ms);
	int (*after_poll)(struct transport *t);
	int (*send)(struct transport *t, const void *p, size_t n, size_t *sent);
	int (*recv)(struct transport *t, void *p, size_t n, size_t *got);
	int (*fd)(const struct transport *t);
	size_t (*unsent)(const struct transport *t);   /* NULL: never holds any */
};

extern const struct transport_ops transport_tcp;
extern const struct transport_ops transport_tls;
extern const struct transport_ops transport_proxy;
extern const struct transport_ops transport_http;
extern const struct transport_ops transport_direct;

/* ---- the state every tier shares (transport_base.c) ---- */

/* Set t->why. */
void transport_set_why(struct transport *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Move to FAILED with err; returns err. */
int transport_fail(struct transport *t, int err);
/* Lower *timeout_ms to ms (ms < 0: no change; *timeout_ms < 0: forever). */
void transport_lower_timeout(int *timeout_ms, long ms);
/* What the tier's failure texts begin with. */
const char *transport_label(const struct transport *t);

/* ---- libcurl, shared by every tier (transport_base.c) ---- */

/* One curl transfer: a stream's CONNECT_ONLY, or one tunnel request. */
struct transport_req {
	CURL *e;                        /* NULL: none */
	bool busy;                      /* added to t->multi */
	uint64_t retry_at;              /* 0: no retry waiting */
	int fails;                      /* consecutive */
	size_t sent;                    /* tx: bytes in this POST */
	char resp[64];                  /* open, tx: the short answer */
	size_t resp_len;
	char err[CURL_ERROR_SIZE];
};

/*
 * A new easy handle in q->e with what every transfer of t shares:
 * timeouts, TLS checks never weaker than the defaults, --ca-file, and the
 * proxy settings (ops->proxy: --proxy, --proxy-user, any authentication;
 * otherwise no proxy, whatever the environment names). NULL: no memory.
 */
CURL *transport_curl_easy(struct transport *t, struct transport_req *q);
/* Add q to t->multi. ERR_NOMEM, or 0. */
int transport_curl_go(struct transport *t, struct transport_req *q);
/* Remove q from the multi and free its handle (none is fine). */
void transport_curl_drop(struct transport *t, struct transport_req *q);
/* Words for a failed transfer in t->why, "WHAT: ..."; returns the ERR_*. */
int transport_curl_describe(struct transport *t, struct transport_req *q, CURLcode res,
    const char *what);
/* The sockets and timer curl waits on, into p[0..max) and *timeout_ms. */
int transport_curl_pollfds(struct transport *t, struct pollfd *p, int max, int *timeout_ms);
/*
 * curl_multi_perform, then done() for each finished transfer until one
 * returns non-zero. Returns that, or 0.
 */
typedef int transport_done_fn(struct transport *t, struct transport_req *q, CURLcode res);
int transport_curl_run(struct transport *t, transport_done_fn *done);

/* ---- one CONNECT_ONLY stream: tcp, tls, proxy, direct (transport_stream.c) ---- */

struct transport_stream {
	struct transport t;
	struct transport_req conn;      /* kept in the multi: curl_easy_send/recv
	                                 * find the connection through it */
	int fd;
};

/*
 * Start a stream tier: scheme "http" gives curl a plain connection,
 * "https" a TLS one; proxy_tunnel asks the proxy for CONNECT first.
 */
int transport_stream_start(struct transport *t, const char *scheme, bool proxy_tunnel);
void transport_stream_close(struct transport *t);
int transport_stream_pollfds(struct transport *t, struct pollfd *p, int max, bool want_write,
    int *timeout_ms);
int transport_stream_after_poll(struct transport *t);
int transport_stream_send(struct transport *t, const void *p, size_t n, size_t *sent);
int transport_stream_recv(struct transport *t, void *p, size_t n, size_t *got);
int transport_stream_fd(const struct transport *t);

#endif
