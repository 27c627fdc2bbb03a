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
#include "log.h"

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
	uint32_t sessions_per_min;       /* new sessions per address; 0: the default */
	uint32_t conns_max;             /* connections at once; 0: RELAY_CONNS_MAX */
	/* from --tls-cert/--tls-key, or NULL; the server's from server_new
	 * (or server_reload) on, also when that fails: it frees it */
	struct tls_server *tls;
	/* --cluster redis://...: the redis directory; NULL: local */
	const char *cluster;
	const char *cluster_password;   /* --cluster-password-file's first line, or NULL */
	const char *advertise;          /* --advertise NAME[:PORT], or NULL */
	uint32_t drain_deadline_ms;     /* --drain-deadline: SIGUSR1 ends in this at the latest */
	struct drop_config drop;        /* file drop: drop.dir NULL is off */
	/* session-creation tokens: the keys and lists (token-key-file;
	 * NULL: none), and whether a new session needs a token (session-policy) */
	struct tokens *tokens;          /* the server's from server_new on (it frees it) */
	bool tokens_required;
	const char *token_key_file;     /* NULL: none; a reload reads it again */
	/* reload, privilege drop, JSON logs */
	enum log_level log_level;
	enum log_format log_format;
	/* admin listener (admin.h): NULL admin_listen: none */
	const char *admin_listen;
	const char *admin_keys_file;    /* NULL: only open /metrics and /healthz, if any */
	struct tls_server *admin_tls;   /* admin-tls-cert/-key (and -client-ca), or NULL */
	bool admin_metrics_open;        /* GET /metrics and /healthz need no signature */
};

/*
 * A part of the relay with settings of its own that a reload changes
 * (admin keys, token keys, drop limits): check says whether cfg would do
 * (0, else non-zero with why[] for the log: file and line where it can)
 * and changes nothing; apply takes it and cannot fail. Either may be NULL.
 */
struct reload_hook {
	int (*check)(void *arg, const struct server_config *cfg, char *why, size_t why_len);
	void (*apply)(void *arg, const struct server_config *cfg);
	void *arg;
};

/* SIGHUP's work: read the settings again and call server_reload. */
typedef void server_reread_fn(void *arg, struct server *s);

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

/* The settings running now (after the last reload that was taken). */
const struct server_config *server_running(const struct server *s);
/* What SIGHUP does from now on (before: it is logged and ignored). */
void server_on_sighup(struct server *s, server_reread_fn *fn, void *arg);
/* h runs at every reload from now on, after the ones added before it.
 * ERR_LIMIT when RELAY_RELOAD_HOOKS_MAX are there. */
int server_add_reload_hook(struct server *s, const struct reload_hook *h) WUR;
/*
 * Take cfg without dropping a session. Every hook's check first, then
 * the server's own part and every hook's apply: an error anywhere changes
 * nothing (logged with why; ERR_FORMAT). What cfg changes:
 *   max_viewers       every session, from its next join (no viewer leaves)
 *   body_max, idle_timeout_ms  sessions that start from now on (WELCOME
 *                     carries them); the live ones keep what they were told
 *   hello_timeout_ms, conns_per_ip, joins_per_min, sessions_per_min,
 *   drain_deadline_ms,
 *   log_level, log_format  at once
 *   tls               new handshakes (connections in TLS keep theirs)
 * listen, state_dir, cluster and advertise need a restart: a change is
 * logged and the running value stays. cfg's strings are not kept.
 */
int server_reload(struct server *s, const struct server_config *cfg) WUR;

#endif
