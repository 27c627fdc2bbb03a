/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin.h - the admin listener (docs/relay.md "Admin API and metrics"):
 * its own address (admin-listen), HTTP/1.1 or HTTPS (admin-tls-cert, and
 * with admin-client-ca only for clients with a certificate that CA signed),
 * one request per connection, on the relay's loop.
 *
 *     GET  /metrics                       Prometheus text (metrics.h)
 *     GET  /healthz                       200 "ok", 503 "draining"
 *     GET  /v1/admin/sessions             JSON
 *     POST /v1/admin/sessions/N/end
 *     POST /v1/admin/numbers/N/retire
 *     POST /v1/admin/drain
 *     GET  /v1/admin/tokens               the session tokens issued (tokens.h)
 *     POST /v1/admin/tokens               issue one: body "name = NAME\nttl = SECONDS\n"
 *     POST /v1/admin/tokens/ID/revoke
 *
 * Every request is signed (admin_sig.h; X-Fernsicht-Key, -Time, -Nonce,
 * -Signature), GET with a key of scope read or act, POST with act; only
 * with admin-metrics-open = yes are /metrics and /healthz served without.
 * 401 or 403 answers carry {"error": "..."} and are logged (rate-limited).
 */
#ifndef RELAY_ADMIN_H
#define RELAY_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "metrics.h"

struct admin;
struct loop;
struct tokens;
struct tls_server;

struct admin_config {
	const char *listen;             /* ADDR:PORT */
	const char *keys_file;          /* NULL: no key, only the open endpoints */
	struct tls_server *tls;         /* NULL: plain HTTP */
	bool metrics_open;
};

/* What the relay does for the API (the server's). */
struct admin_ops {
	void (*gauges)(void *arg, struct metrics_gauges *g);
	int (*sessions_json)(void *arg, struct buf *out);
	bool (*end)(void *arg, uint32_t number);        /* false: no such live session */
	const char *(*retire)(void *arg, uint32_t number);      /* NULL: not now (route.h) */
	bool (*drain)(void *arg);       /* false: it drains already */
	struct tokens *(*tokens)(void *arg);    /* NULL: no token-key-file */
};

/*
 * Load the keys, listen (printing "admin-listening=ADDR:PORT" on stdout)
 * and serve on loop. NULL when something failed (logged).
 */
struct admin *admin_new(struct loop *loop, const struct admin_config *cfg,
    const struct admin_ops *ops, void *ops_arg);
void admin_free(struct admin *a);       /* NULL is fine */
/* The end of a loop turn: close and free the connections that ended. */
void admin_end_turn(struct admin *a);
/* Stop listening (the relay shuts down); open requests are still answered. */
void admin_stop(struct admin *a);
/*
 * Reload (SIGHUP's check-then-apply hooks): read keys_file (NULL: no keys)
 * into a pending set, ERR_* with why[] (file and line) when it is refused;
 * then apply replaces every key with the pending set at once (removed keys
 * sign nothing from then on; nonces already seen stay). Apply without a
 * good check before it changes nothing. The listener's address, TLS and
 * admin-metrics-open need a restart.
 */
int admin_reload_check(struct admin *a, const char *keys_file, char *why, size_t why_len) WUR;
void admin_reload_apply(struct admin *a);

#endif
