/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.h - the relay's settings: its command line and its settings file
 * (/etc/fernsicht/relay.conf, or --config FILE), checked by the same code.
 * The file's keys are the long options: listen (one line per address,
 * repeatable), state-dir, max-body, max-viewers, hello-timeout-ms,
 * idle-timeout-ms, conns-per-ip, joins-per-min, tls-cert, tls-key,
 * log-level, cluster, cluster-password-file, advertise, drain-deadline,
 * session-policy, token-key-file, user, log-format,
 * admin-listen, admin-keys-file, admin-tls-cert, admin-tls-key,
 * admin-client-ca, admin-metrics-open; the file drop's drop-dir, drop-max-file,
 * drop-quota-session, drop-quota-address, drop-quota-total (bytes, with
 * K, M, G or T for binary multiples) and drop-max-ttl (seconds).
 * What the command line
 * gives wins; listen as a whole (any --listen replaces every listen
 * line). Paths in the file must be absolute. The format and what refuses
 * a file: proto/keyvalue.h; reading and messages: net/settings.h.
 */
#ifndef RELAY_CONFIG_H
#define RELAY_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "settings.h"

#define RELAY_CONFIG_DEFAULT SETTINGS_SYSTEM_DIR "/relay.conf"

enum rconfig_key {
	RKEY_LISTEN,
	RKEY_STATE_DIR,
	RKEY_MAX_BODY,
	RKEY_MAX_VIEWERS,
	RKEY_HELLO_TIMEOUT_MS,
	RKEY_IDLE_TIMEOUT_MS,
	RKEY_CONNS_PER_IP,
	RKEY_JOINS_PER_MIN,
	RKEY_TLS_CERT,
	RKEY_TLS_KEY,
	RKEY_LOG_LEVEL,
	RKEY_CLUSTER,
	RKEY_CLUSTER_PASSWORD_FILE,
	RKEY_ADVERTISE,
	RKEY_DRAIN_DEADLINE,
	/* file drop */
	RKEY_DROP_DIR,
	RKEY_DROP_MAX_FILE,
	RKEY_DROP_QUOTA_SESSION,
	RKEY_DROP_QUOTA_ADDRESS,
	RKEY_DROP_QUOTA_TOTAL,
	RKEY_DROP_MAX_TTL,
	/* session-creation tokens */
	RKEY_SESSION_POLICY,
	RKEY_TOKEN_KEY_FILE,
	/* reload, privilege drop, JSON logs */
	RKEY_USER,
	RKEY_LOG_FORMAT,
	/* admin listener (admin.h) */
	RKEY_ADMIN_LISTEN,
	RKEY_ADMIN_KEYS_FILE,
	RKEY_ADMIN_TLS_CERT,
	RKEY_ADMIN_TLS_KEY,
	RKEY_ADMIN_CLIENT_CA,
	RKEY_ADMIN_METRICS_OPEN,
	/* new sessions per address */
	RKEY_SESSIONS_PER_MIN,
	RKEYS,
};

struct server_config;

struct rconfig {
	char listen[RELAY_LISTENERS_MAX][SETTINGS_VALUE_MAX];
	unsigned n_listen;
	char state_dir[SETTINGS_VALUE_MAX];     /* "": numbers are not kept */
	uint32_t body_max;
	uint32_t max_viewers;
	uint32_t hello_timeout_ms;
	uint32_t idle_timeout_ms;
	uint32_t conns_per_ip;
	uint32_t joins_per_min;
	uint32_t sessions_per_min;
	char tls_cert[SETTINGS_VALUE_MAX];      /* "": no TLS */
	char tls_key[SETTINGS_VALUE_MAX];
	enum log_level level;
	char cluster[SETTINGS_VALUE_MAX];       /* "": the local directory; may hold a password */
	char cluster_password_file[SETTINGS_VALUE_MAX];        /* "": none */
	char advertise[SETTINGS_VALUE_MAX];     /* "": the host name */
	uint32_t drain_deadline_s;
	/* file drop: drop_dir "" is off */
	char drop_dir[SETTINGS_VALUE_MAX];
	uint64_t drop_max_file, drop_quota_session, drop_quota_address, drop_quota_total;
	uint32_t drop_max_ttl_s;
	/* session-creation tokens */
	bool token_policy;              /* session-policy = token */
	char token_key_file[SETTINGS_VALUE_MAX];        /* "": none */
	/* reload, privilege drop, JSON logs */
	char user[SETTINGS_VALUE_MAX];          /* "": stay who we were started as */
	enum log_format format;
	/* admin listener (admin.h): "" when not given */
	char admin_listen[SETTINGS_VALUE_MAX];
	char admin_keys_file[SETTINGS_VALUE_MAX];
	char admin_tls_cert[SETTINGS_VALUE_MAX];
	char admin_tls_key[SETTINGS_VALUE_MAX];
	char admin_client_ca[SETTINGS_VALUE_MAX];
	bool admin_metrics_open;
	bool given[RKEYS];              /* set here, not a default */
	unsigned warnings;              /* a file's unknown or repeated keys, each logged */
};

/* The defaults, nothing given. */
void rconfig_init(struct rconfig *c);

/* The option's long name, which is also the file's key. */
const char *rconfig_key_name(enum rconfig_key k);

/*
 * Check value for key k and store it (listen: add it). in_file: paths
 * must be absolute. 0, or ERR_FORMAT with want[] saying what a good
 * value looks like, in the reader's language.
 */
int rconfig_set(struct rconfig *c, enum rconfig_key k, const char *value, bool in_file,
    char *want, size_t want_len);

/* The lines of one file over c (settings_parse). */
int rconfig_parse(struct rconfig *c, const char *name, const char *text, size_t len,
    char *why, size_t why_len);

/*
 * The file at path over c (settings_load). A missing file is no error
 * unless must_exist (a --config FILE): then ERR_FORMAT, "path: ...". A
 * file whose cluster holds a password and that everyone may read is
 * logged as a warning (and counted in warnings).
 */
int rconfig_load(struct rconfig *c, const char *path, bool must_exist, char *why,
    size_t why_len);

/* Whether c's cluster names a user, a password (both false without one). */
void rconfig_cluster_auth(const struct rconfig *c, bool *user, bool *password);

/* What c was not given comes from file (as file has it, default or not). */
void rconfig_under(struct rconfig *c, const struct rconfig *file);

/*
 * A reload (SIGHUP): the keys a running relay cannot change (listen,
 * state-dir, cluster, cluster-password-file, advertise, user) keep
 * running's values in next, and each that next would change is logged as
 * a warning ("needs a restart") naming from (the settings file). Returns
 * how many were.
 */
unsigned rconfig_keep_restart_keys(struct rconfig *next, const struct rconfig *running,
    const char *from);

/* c as the server takes it; cfg borrows c's strings (default_listen,
 * of at least 32 bytes, when c has no listen). */
void rconfig_server(const struct rconfig *c, struct server_config *cfg, char *default_listen,
    size_t default_listen_len);

#endif
