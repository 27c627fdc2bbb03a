/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h - one relay: its listeners, its event loop, and the layers it
 * wires together on that loop.
 *
 *     server.c    listeners, accepting, the clocks (tick), SIGTERM/SIGINT
 *       route.c   relay frames: sessions, slots, flow control (HELLO: hello.c)
 *       tunnel.c  HTTP long-poll tunnels (http.c parses)
 *         conn.c  connections: read, sniff, write, close (tls.c, sniff.c)
 *           loop.c  file events and timers
 *
 * Each file includes only the ones below it; conn.c reaches route.c and
 * tunnel.c only through the hooks the server registers (struct conn_ops).
 * Session numbers come from a directory (directory.h), per-address caps
 * from limit.h.
 */
#ifndef RELAY_SERVER_H
#define RELAY_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "drop.h"
#include "err.h"
#include "limits.h"

struct server;
struct tls_server;

struct server_config {
	const char *listen[RELAY_LISTENERS_MAX];
	unsigned n_listen;
	const char *state_dir;          /* NULL: numbers are not persisted */
	uint32_t body_max;
	uint32_t max_viewers;
	uint32_t hello_timeout_ms;
	uint32_t idle_timeout_ms;
	uint32_t conns_per_ip;
	uint32_t joins_per_min;
	struct tls_server *tls;         /* from --tls-cert/--tls-key, or NULL */
	/* --cluster redis://...: the redis directory; NULL: local */
	const char *cluster;
	const char *cluster_password;   /* --cluster-password-file's first line, or NULL */
	const char *advertise;          /* --advertise NAME[:PORT], or NULL */
	uint32_t drain_deadline_ms;     /* --drain-deadline: SIGUSR1 ends in this at the latest */
	struct drop_config drop;        /* file drop: drop.dir NULL is off */
	/* session-creation tokens (issue 14): the keys and lists (token-key-file;
	 * NULL: none), and whether a new session needs a token (session-policy) */
	struct tokens *tokens;
	bool tokens_required;
};

/*
 * Load the directory, listen (printing "listening=ADDR:PORT" on stdout for
 * each listener) and take SIGTERM and SIGINT from now on. Borrows cfg's
 * strings and TLS context (cluster and cluster_password only until this
 * returns: the caller wipes its copies of the secret then). NULL when
 * something failed (logged, except running out of memory).
 */
struct server *server_new(const struct server_config *cfg);
/*
 * Relay until SIGTERM or SIGINT: then every client gets RESTARTING, held
 * numbers stay held (away, resumable for RELAY_RESUME_GRACE_MS) and are
 * saved, and this returns once every connection is gone (at most
 * RELAY_CLOSE_LINGER_MS later). SIGUSR1 drains first: no new sessions,
 * masters get RESTARTING and go elsewhere, and the same end follows once
 * nothing is held here or after drain_deadline_ms. 0, or ERR_SYSTEM when
 * the event loop failed.
 */
int server_run(struct server *s) WUR;
void server_free(struct server *s);     /* NULL is fine */

#endif
