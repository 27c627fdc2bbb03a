/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.h - what carries a client's frames to a relay (PROTOCOL.md
 * section 5) or to a master's --lan listener (section 6). One kind per
 * tier, each a file of its own behind one ops table (transport_ops.h):
 *
 *   tcp     T0  raw frames on TCP                          transport_tcp.c
 *   tls     T1  TLS to the relay, certificate verified     transport_tls.c
 *               (system store or --ca-file)
 *   proxy   T2  T1 inside an HTTP proxy's CONNECT tunnel   transport_proxy.c
 *               (Basic, Digest, NTLM, Negotiate: whatever the proxy asks for)
 *   http    T3  the HTTP long-poll tunnel of section 5.1   transport_http.c
 *               (plain HTTP, so that a proxy which only passes GET and POST
 *               can carry it; the frames inside are protected end to end
 *               like on every other tier)
 *   direct      raw frames on TCP to a master on the LAN   transport_direct.c
 *               (--direct, and the move of section 6); never a proxy
 *
 * The first four reach a relay: --transport names one of them, and auto
 * races them in this order (link.h). direct is chosen by the viewer for a
 * master's own address only.
 *
 * All are libcurl: tcp, tls, proxy and direct are CONNECT_ONLY transfers
 * on a multi handle (so that connecting never blocks and tiers can race),
 * then curl_easy_send/recv (transport_stream.c); http is a multi handle
 * with a GET /v1/rx always outstanding and at most one POST /v1/tx at a
 * time.
 *
 * Proxies: --proxy URL (credentials in the URL or --proxy-user), or else
 * what libcurl reads from the environment itself: for proxy (an https URL
 * underneath) https_proxy / HTTPS_PROXY, for http http_proxy (lowercase
 * only); all_proxy / ALL_PROXY for both, and no_proxy / NO_PROXY. tcp, tls
 * and direct never use a proxy. This code reads no environment: main()
 * tells it whether curl will find an https proxy (env_transport, env.h).
 *
 * One poll() loop drives a transport: transport_pollfds() says what to
 * wait for, transport_after_poll() moves curl's state on (call it after
 * every poll, whatever fired: curl also has timers), then send and recv
 * never block.
 */
#ifndef NET_TRANSPORT_H
#define NET_TRANSPORT_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "limits.h"

/* Indexes of the tier table in transport.c, in auto's order. */
enum transport_kind {
	TRANSPORT_AUTO = -1,
	TRANSPORT_TCP = 0,
	TRANSPORT_TLS,
	TRANSPORT_PROXY,
	TRANSPORT_HTTP,
	TRANSPORT_TIERS,                        /* the tiers to a relay, before this */
	TRANSPORT_DIRECT = TRANSPORT_TIERS,     /* to a master's --lan listener */
	TRANSPORT_KINDS,
};

struct transport_opts {
	int kind;                       /* TRANSPORT_AUTO or one kind */
	const char *proxy;              /* --proxy URL; NULL: the environment */
	const char *proxy_user;         /* --proxy-user USER:PASS; NULL: none or in the URL */
	const char *ca_file;            /* --ca-file; NULL: the system store */
	const char *state_file;         /* the remembered tiers; NULL or "": none */
	bool env_proxy;                 /* curl finds a proxy for https in the
	                                 * environment (env_transport) */
	/* Connect to this numeric address instead of resolving the host
	 * (the host's name still goes into TLS); tiers that may use a proxy
	 * ignore it, the proxy resolves. NULL: resolve. */
	const char *address;
};

struct transport;

/* "auto", "tcp", "tls", "proxy", "http" -> kind (the --transport
 * values: "direct" is not one); ERR_FORMAT otherwise. */
int transport_kind_parse(const char *s) WUR;
/* "auto", a tier's name, or "?" for anything else. */
const char *transport_kind_name(int kind);
/* The port a kind uses when the address names none (kind not AUTO). */
uint16_t transport_kind_port(int kind);

/*
 * Start connecting to host:port with one kind (not AUTO); never blocks.
 * NULL (out of memory, or no proxy for the proxy tier) with why[] set.
 * The transport keeps a copy of *o (the strings in it are borrowed).
 */
struct transport *transport_start(int kind, const char *host, uint16_t port,
    const struct transport_opts *o, int timeout_ms, char *why, size_t why_len);
void transport_close(struct transport *t);     /* NULL is fine */
int transport_kind(const struct transport *t);
/* Connected: send and recv may be used. */
bool transport_ready(const struct transport *t);
/* Why the last call failed, for people. */
const char *transport_why(const struct transport *t);
/*
 * Fill p[0..max) with what to wait for (want_write: the caller has bytes
 * queued) and lower *timeout_ms when curl or a retry needs to run sooner,
 * or when bytes may be buffered inside (TLS records, the tunnel). Returns
 * how many entries it used.
 */
int transport_pollfds(struct transport *t, struct pollfd *p, int max, bool want_write,
    int *timeout_ms);
/* After poll(): connect, retry, move tunnel data. 0, or the error that ended it. */
int transport_after_poll(struct transport *t) WUR;
/* 0 with *sent > 0, ERR_AGAIN, or an error (why says which). */
int transport_send(struct transport *t, const void *p, size_t n, size_t *sent) WUR;
/* 0 with *got > 0, ERR_AGAIN, ERR_CLOSED on end of stream, or an error. */
int transport_recv(struct transport *t, void *p, size_t n, size_t *got) WUR;
/* Bytes accepted by send that the relay has not acknowledged yet (tunnel). */
size_t transport_unsent(const struct transport *t);
/* The stream's socket (tcp, tls, proxy, direct once ready), else -1. */
int transport_fd(const struct transport *t);
/* It failed because the proxy refused to go to the host (CONNECT answered
 * with an error other than for the credentials, or the tunnel's first
 * request refused through a proxy): the host may be fine. */
bool transport_proxy_refused(const struct transport *t);
/* Whether the tier may go through a proxy (proxy, http). */
bool transport_kind_proxied(int kind);


/* The transport options' lines of a client's --help (master and viewer),
 * in the reader's language. */
const char *transport_usage(void);

/*
 * The tier that won last time on this network for this relay host (the
 * port is left out), remembered in o->state_file (main() sets it with
 * env_transport: $XDG_CACHE_HOME/fernsicht/transport, else
 * ~/.cache/fernsicht/transport).
 * The network is the default route's interface and gateway in hex as
 * /proc/net/route shows it, or "none" without a default route. One line
 * per network and relay, the newest 64 kept; tcp is only written over
 * another tier (it is tried first anyway):
 *   net=IFACE/GATEWAY relay=HOST tier=NAME
 */
int transport_remembered(const struct transport_opts *o, const char *relay);
void transport_remember(const struct transport_opts *o, const char *relay, int kind);
/*
 * Which relay of a list (link.h) won last time on this network, the same
 * way: list is the relays as relay_list_key() writes them, relay the
 * winner's text ("HOST[:PORT]", or "HOST[:PORT]@ADDRESS" for one of a
 * name's addresses). One line per network and list:
 *   net=IFACE/GATEWAY relays=LIST first=RELAY
 * out is "" when none is remembered.
 */
void transport_remembered_relay(const struct transport_opts *o, const char *list, char *out,
    size_t out_len);
void transport_remember_relay(const struct transport_opts *o, const char *list,
    const char *relay);
/* The network key used above (exposed for tests). */
void transport_network_key(char *out, size_t out_len);

#endif
