/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the relay's settings (config.h): one key table and one check
 * per value, used for the command line and the file alike, so that
 * --max-viewers 99 and "max-viewers = 99" are refused in the same words.
 * Reading the file, its lines, messages and all-or-nothing are
 * net/settings.c's.
 */
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <sodium.h>

#include "config.h"
#include "err.h"
#include "i18n.h"
#include "net.h"
#include "redis_url.h"
#include "server.h"

static const struct keyvalue_key keys[RKEYS] = {
	[RKEY_LISTEN] = { "listen", KEYVALUE_REPEATABLE },
	[RKEY_STATE_DIR] = { "state-dir", 0 },
	[RKEY_MAX_BODY] = { "max-body", 0 },
	[RKEY_MAX_VIEWERS] = { "max-viewers", 0 },
	[RKEY_HELLO_TIMEOUT_MS] = { "hello-timeout-ms", 0 },
	[RKEY_IDLE_TIMEOUT_MS] = { "idle-timeout-ms", 0 },
	[RKEY_CONNS_PER_IP] = { "conns-per-ip", 0 },
	[RKEY_JOINS_PER_MIN] = { "joins-per-min", 0 },
	[RKEY_SESSIONS_PER_MIN] = { "sessions-per-min", 0 },
	[RKEY_TLS_CERT] = { "tls-cert", 0 },
	[RKEY_TLS_KEY] = { "tls-key", 0 },
	[RKEY_LOG_LEVEL] = { "log-level", 0 },
	/* its value may hold a password: never shown in a message */
	[RKEY_CLUSTER] = { "cluster", KEYVALUE_HIDDEN },
	[RKEY_CLUSTER_PASSWORD_FILE] = { "cluster-password-file", 0 },
	[RKEY_ADVERTISE] = { "advertise", 0 },
	[RKEY_DRAIN_DEADLINE] = { "drain-deadline", 0 },
	/* file drop */
	[RKEY_DROP_DIR] = { "drop-dir", 0 },
	[RKEY_DROP_MAX_FILE] = { "drop-max-file", 0 },
	[RKEY_DROP_QUOTA_SESSION] = { "drop-quota-session", 0 },
	[RKEY_DROP_QUOTA_ADDRESS] = { "drop-quota-address", 0 },
	[RKEY_DROP_QUOTA_TOTAL] = { "drop-quota-total", 0 },
	[RKEY_DROP_MAX_TTL] = { "drop-max-ttl", 0 },
	/* session-creation tokens */
	[RKEY_SESSION_POLICY] = { "session-policy", 0 },
	[RKEY_TOKEN_KEY_FILE] = { "token-key-file", 0 },
	/* reload, privilege drop, JSON logs */
	[RKEY_USER] = { "user", 0 },
	[RKEY_LOG_FORMAT] = { "log-format", 0 },
	/* admin listener */
	[RKEY_ADMIN_LISTEN] = { "admin-listen", 0 },
	[RKEY_ADMIN_KEYS_FILE] = { "admin-keys-file", 0 },
	[RKEY_ADMIN_TLS_CERT] = { "admin-tls-cert", 0 },
	[RKEY_ADMIN_TLS_KEY] = { "admin-tls-key", 0 },
	[RKEY_ADMIN_CLIENT_CA] = { "admin-client-ca", 0 },
	[RKEY_ADMIN_METRICS_OPEN] = { "admin-metrics-open", 0 },
};

/* admin listener: the text keys and their fields in struct rconfig */
static const struct {
	enum rconfig_key key;
	size_t field;
	bool path;
} admin_texts[] = {
	{ RKEY_ADMIN_KEYS_FILE, offsetof(struct rconfig, admin_keys_file), true },
	{ RKEY_ADMIN_TLS_CERT, offsetof(struct rconfig, admin_tls_cert), true },
	{ RKEY_ADMIN_TLS_KEY, offsetof(struct rconfig, admin_tls_key), true },
	{ RKEY_ADMIN_CLIENT_CA, offsetof(struct rconfig, admin_client_ca), true },
	{ RKEY_ADMIN_LISTEN, offsetof(struct rconfig, admin_listen), false },
};

/* The numbers' ranges; a key's field in struct rconfig. */
static const struct {
	unsigned long min, max;
	size_t field;
} numbers[RKEYS] = {
	[RKEY_MAX_BODY] = { WIRE_BODY_MIN_BYTES, WIRE_BODY_MAX_BYTES,
		offsetof(struct rconfig, body_max) },
	[RKEY_MAX_VIEWERS] = { 1, SESSION_VIEWERS_MAX, offsetof(struct rconfig, max_viewers) },
	[RKEY_HELLO_TIMEOUT_MS] = { 1, INT32_MAX, offsetof(struct rconfig, hello_timeout_ms) },
	[RKEY_IDLE_TIMEOUT_MS] = { 1, INT32_MAX, offsetof(struct rconfig, idle_timeout_ms) },
	[RKEY_CONNS_PER_IP] = { 1, RELAY_CONNS_MAX, offsetof(struct rconfig, conns_per_ip) },
	[RKEY_JOINS_PER_MIN] = { 1, 100000, offsetof(struct rconfig, joins_per_min) },
	[RKEY_SESSIONS_PER_MIN] = { 1, 100000, offsetof(struct rconfig, sessions_per_min) },
	[RKEY_DRAIN_DEADLINE] = { 1, RELAY_DRAIN_DEADLINE_MAX_S,
		offsetof(struct rconfig, drain_deadline_s) },
	[RKEY_DROP_MAX_TTL] = { 1, DROP_TTL_MAX_S, offsetof(struct rconfig, drop_max_ttl_s) },
};

/* file drop: the size keys (bytes, K/M/G/T binary multiples) and their fields */
static const struct {
	enum rconfig_key k;
	size_t field;
} sizes[] = {
	{ RKEY_DROP_MAX_FILE, offsetof(struct rconfig, drop_max_file) },
	{ RKEY_DROP_QUOTA_SESSION, offsetof(struct rconfig, drop_quota_session) },
	{ RKEY_DROP_QUOTA_ADDRESS, offsetof(struct rconfig, drop_quota_address) },
	{ RKEY_DROP_QUOTA_TOTAL, offsetof(struct rconfig, drop_quota_total) },
};

static uint64_t *
size_field(struct rconfig *c, enum rconfig_key k)
{
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (sizes[i].k == k)
			return (uint64_t *)((char *)c + sizes[i].field);
	return NULL;
}

/* "1048576", "512M", "2G": 1..DROP_SIZE_MAX_BYTES bytes. */
static int
size_value(const char *v, uint64_t *out, char *want, size_t want_len)
{
	uint64_t n = 0, mult = 1;
	size_t i;

	for (i = 0; v[i] >= '0' && v[i] <= '9'; i++) {
		if (n > DROP_SIZE_MAX_BYTES)
			break;
		n = n * 10 + (uint64_t)(v[i] - '0');
	}
	switch (v[i]) {
	case 'K': mult = UINT64_C(1) << 10; i++; break;
	case 'M': mult = UINT64_C(1) << 20; i++; break;
	case 'G': mult = UINT64_C(1) << 30; i++; break;
	case 'T': mult = UINT64_C(1) << 40; i++; break;
	default: break;
	}
	if (i == 0 || v[i] != '\0' || n == 0 || n > DROP_SIZE_MAX_BYTES / mult) {
		snprintf(want, want_len, _("bytes from 1 to %llu, or a number with K, M, G or T"),
		    (unsigned long long)DROP_SIZE_MAX_BYTES);
		return ERR_FORMAT;
	}
	*out = n * mult;
	return 0;
}

void
rconfig_init(struct rconfig *c)
{
	memset(c, 0, sizeof(*c));
	c->body_max = WIRE_BODY_DEFAULT_BYTES;
	c->max_viewers = SESSION_VIEWERS_MAX;
	c->hello_timeout_ms = RELAY_HELLO_TIMEOUT_MS;
	c->idle_timeout_ms = RELAY_IDLE_TIMEOUT_MS;
	c->conns_per_ip = RELAY_CONNS_PER_IP_MAX;
	c->joins_per_min = RELAY_JOIN_PER_MIN;
	c->sessions_per_min = RELAY_SESSION_PER_MIN;
	c->drain_deadline_s = RELAY_DRAIN_DEADLINE_MS / 1000;
	c->level = LOG_INFO;
	c->drop_max_file = DROP_MAX_FILE_DEFAULT_BYTES;
	c->drop_quota_session = DROP_QUOTA_SESSION_DEFAULT_BYTES;
	c->drop_quota_address = DROP_QUOTA_ADDRESS_DEFAULT_BYTES;
	c->drop_quota_total = DROP_QUOTA_TOTAL_DEFAULT_BYTES;
	c->drop_max_ttl_s = DROP_TTL_MAX_DEFAULT_S;
}

const char *
rconfig_key_name(enum rconfig_key k)
{
	return k < RKEYS ? keys[k].name : "?";
}

/* ADDR[:PORT] with a numeric address, as net_listen() binds it. */
static bool
listen_ok(const char *v)
{
	struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICHOST,
		.ai_socktype = SOCK_STREAM };
	struct addrinfo *res = NULL;
	char host[256];
	uint16_t port;

	if (net_split_hostport(v, 0, host, sizeof(host), &port) != 0 ||
	    getaddrinfo(host, NULL, &hints, &res) != 0)
		return false;
	freeaddrinfo(res);
	return true;
}

/* A system user's name as useradd makes them: no path, no option, no blank. */
static bool
user_ok(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > RELAY_USER_NAME_MAX || v[0] == '-')
		return false;
	return strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* A string value into field (its size SETTINGS_VALUE_MAX). */
static int
store_text(char *field, const char *v, bool path, char *want, size_t want_len)
{
	if (strlen(v) >= SETTINGS_VALUE_MAX) {
		snprintf(want, want_len, _("at most %d bytes"), SETTINGS_VALUE_MAX - 1);
		return ERR_FORMAT;
	}
	if (path && settings_value_path(v, want, want_len) != 0)
		return ERR_FORMAT;
	snprintf(field, SETTINGS_VALUE_MAX, "%s", v);
	return 0;
}

int
rconfig_set(struct rconfig *c, enum rconfig_key k, const char *v, bool in_file, char *want,
    size_t want_len)
{
	char name[RELAY_CLUSTER_NAME_MAX + 1];
	struct redis_url url;
	unsigned long n;
	bool ok;
	int r = 0;

	switch (k) {
	case RKEY_LISTEN:
		if (c->n_listen >= RELAY_LISTENERS_MAX) {
			snprintf(want, want_len, _("at most %d listen addresses"),
			    RELAY_LISTENERS_MAX);
			return ERR_FORMAT;
		}
		if (strlen(v) >= SETTINGS_VALUE_MAX || !listen_ok(v)) {
			snprintf(want, want_len, "%s", _("ADDR:PORT with a numeric address, "
			    "such as 0.0.0.0:4663 or [::]:4663"));
			return ERR_FORMAT;
		}
		snprintf(c->listen[c->n_listen++], SETTINGS_VALUE_MAX, "%s", v);
		break;
	case RKEY_STATE_DIR:
		r = store_text(c->state_dir, v, in_file, want, want_len);
		break;
	case RKEY_TLS_CERT:
		r = store_text(c->tls_cert, v, in_file, want, want_len);
		break;
	case RKEY_TLS_KEY:
		r = store_text(c->tls_key, v, in_file, want, want_len);
		break;
	case RKEY_CLUSTER_PASSWORD_FILE:
		r = store_text(c->cluster_password_file, v, in_file, want, want_len);
		break;
	case RKEY_MAX_BODY:
	case RKEY_MAX_VIEWERS:
	case RKEY_HELLO_TIMEOUT_MS:
	case RKEY_IDLE_TIMEOUT_MS:
	case RKEY_CONNS_PER_IP:
	case RKEY_JOINS_PER_MIN:
	case RKEY_SESSIONS_PER_MIN:
	case RKEY_DRAIN_DEADLINE:
		if ((r = settings_value_number(v, numbers[k].min, numbers[k].max, &n, want,
		    want_len)) == 0)
			*(uint32_t *)((char *)c + numbers[k].field) = (uint32_t)n;
		break;
	case RKEY_CLUSTER:
		if (strlen(v) >= SETTINGS_VALUE_MAX || redis_url_parse(v, &url) != 0) {
			snprintf(want, want_len, "%s",
			    _("redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] (USER and PASSWORD "
			    "percent-encoded), such as redis://127.0.0.1:6379/0"));
			return ERR_FORMAT;
		}
		redis_url_wipe(&url);
		/* the old value may have held another password */
		sodium_memzero(c->cluster, sizeof(c->cluster));
		snprintf(c->cluster, sizeof(c->cluster), "%s", v);
		break;
	case RKEY_ADVERTISE:
		if (strlen(v) >= SETTINGS_VALUE_MAX ||
		    redis_advertise_parse(v, RELAY_PORT_DEFAULT, name, sizeof(name)) != 0) {
			snprintf(want, want_len, "%s", _("NAME[:PORT] with no spaces, such as "
			    "relay1.example.org:4663"));
			return ERR_FORMAT;
		}
		snprintf(c->advertise, sizeof(c->advertise), "%s", v);
		break;
	case RKEY_LOG_LEVEL:
		c->level = log_level_parse(v, &ok);
		if (!ok) {
			snprintf(want, want_len, "%s", _("debug, info, warn or error"));
			r = ERR_FORMAT;
		}
		break;
	case RKEY_DROP_DIR:
		r = store_text(c->drop_dir, v, in_file, want, want_len);
		break;
	case RKEY_DROP_MAX_FILE:
	case RKEY_DROP_QUOTA_SESSION:
	case RKEY_DROP_QUOTA_ADDRESS:
	case RKEY_DROP_QUOTA_TOTAL:
		r = size_value(v, size_field(c, k), want, want_len);
		break;
	case RKEY_DROP_MAX_TTL:
		if ((r = settings_value_number(v, numbers[k].min, numbers[k].max, &n, want,
		    want_len)) == 0)
			c->drop_max_ttl_s = (uint32_t)n;
		break;
	/* session-creation tokens */
	case RKEY_SESSION_POLICY:
		if (strcmp(v, "open") == 0 || strcmp(v, "token") == 0) {
			c->token_policy = strcmp(v, "token") == 0;
		} else {
			snprintf(want, want_len, "%s", _("open or token"));
			r = ERR_FORMAT;
		}
		break;
	case RKEY_TOKEN_KEY_FILE:
		r = store_text(c->token_key_file, v, in_file, want, want_len);
		break;
	case RKEY_USER:
		if (!user_ok(v)) {
			snprintf(want, want_len, _("a system user's name (letters, digits, '.', "
			    "'_', '-'; at most %d bytes), such as fernsicht"), RELAY_USER_NAME_MAX);
			return ERR_FORMAT;
		}
		snprintf(c->user, sizeof(c->user), "%s", v);
		break;
	case RKEY_LOG_FORMAT:
		c->format = log_format_parse(v, &ok);
		if (!ok) {
			snprintf(want, want_len, "%s", _("text or json"));
			r = ERR_FORMAT;
		}
		break;
	case RKEY_ADMIN_LISTEN:
		if (strlen(v) >= SETTINGS_VALUE_MAX || !listen_ok(v)) {
			snprintf(want, want_len, "%s", _("ADDR:PORT with a numeric address, "
			    "such as 127.0.0.1:4664"));
			return ERR_FORMAT;
		}
		snprintf(c->admin_listen, sizeof(c->admin_listen), "%s", v);
		break;
	case RKEY_ADMIN_KEYS_FILE:
	case RKEY_ADMIN_TLS_CERT:
	case RKEY_ADMIN_TLS_KEY:
	case RKEY_ADMIN_CLIENT_CA:
		for (size_t i = 0; i < sizeof(admin_texts) / sizeof(admin_texts[0]); i++)
			if (admin_texts[i].key == k)
				r = store_text((char *)c + admin_texts[i].field, v, in_file, want,
				    want_len);
		break;
	case RKEY_ADMIN_METRICS_OPEN:
		if (strcmp(v, "yes") == 0) {
			c->admin_metrics_open = true;
		} else if (strcmp(v, "no") == 0) {
			c->admin_metrics_open = false;
		} else {
			snprintf(want, want_len, "%s", _("yes or no"));
			r = ERR_FORMAT;
		}
		break;
	case RKEYS:
		r = ERR_INTERNAL;
		break;
	}
	if (r == 0)
		c->given[k] = true;
	return r;
}

static int
set(void *conf, unsigned k, const char *v, const char *from, char *want, size_t want_len)
{
	(void)from;
	return rconfig_set(conf, (enum rconfig_key)k, v, true, want, want_len);
}

static const struct settings_spec spec = {
	.keys = keys, .n_keys = RKEYS, .set = set, .conf_size = sizeof(struct rconfig),
};

int
rconfig_parse(struct rconfig *c, const char *name, const char *text, size_t len, char *why,
    size_t why_len)
{
	return settings_parse(&spec, c, name, text, len, &c->warnings, why, why_len);
}

void
rconfig_cluster_auth(const struct rconfig *c, bool *user, bool *password)
{
	struct redis_url u;

	*user = *password = false;
	if (c->cluster[0] == '\0' || redis_url_parse(c->cluster, &u) != 0)
		return;
	*user = u.user[0] != '\0';
	*password = u.password[0] != '\0';
	redis_url_wipe(&u);
}

static bool
rconfig_cluster_has_password(const struct rconfig *c)
{
	bool user, password;

	rconfig_cluster_auth(c, &user, &password);
	return password;
}

int
rconfig_load(struct rconfig *c, const char *path, bool must_exist, char *why, size_t why_len)
{
	struct stat st;
	bool found;
	int r;

	if ((r = settings_load(&spec, c, path, &found, &c->warnings, why, why_len)) != 0)
		return r;
	if (!found && must_exist) {
		snprintf(why, why_len, _("%s: no such file"), path);
		return ERR_FORMAT;
	}
	if (found && rconfig_cluster_has_password(c) && stat(path, &st) == 0 &&
	    (st.st_mode & S_IROTH) != 0) {
		log_warn("%s holds the Redis password but everyone may read it (chmod o-r %s, "
		    "or move the password to cluster-password-file)", path, path);
		c->warnings++;
	}
	return 0;
}

void
rconfig_under(struct rconfig *c, const struct rconfig *file)
{
	for (unsigned k = 0; k < RKEYS; k++) {
		if (c->given[k] || !file->given[k])
			continue;
		switch ((enum rconfig_key)k) {
		case RKEY_LISTEN:
			memcpy(c->listen, file->listen, sizeof(c->listen));
			c->n_listen = file->n_listen;
			break;
		case RKEY_STATE_DIR:
			memcpy(c->state_dir, file->state_dir, sizeof(c->state_dir));
			break;
		case RKEY_TLS_CERT:
			memcpy(c->tls_cert, file->tls_cert, sizeof(c->tls_cert));
			break;
		case RKEY_TLS_KEY:
			memcpy(c->tls_key, file->tls_key, sizeof(c->tls_key));
			break;
		case RKEY_MAX_BODY:
		case RKEY_MAX_VIEWERS:
		case RKEY_HELLO_TIMEOUT_MS:
		case RKEY_IDLE_TIMEOUT_MS:
		case RKEY_CONNS_PER_IP:
		case RKEY_JOINS_PER_MIN:
		case RKEY_SESSIONS_PER_MIN:
		case RKEY_DRAIN_DEADLINE:
			memcpy((char *)c + numbers[k].field, (const char *)file + numbers[k].field,
			    sizeof(uint32_t));
			break;
		case RKEY_LOG_LEVEL:
			c->level = file->level;
			break;
		case RKEY_CLUSTER:
			memcpy(c->cluster, file->cluster, sizeof(c->cluster));
			break;
		case RKEY_CLUSTER_PASSWORD_FILE:
			memcpy(c->cluster_password_file, file->cluster_password_file,
			    sizeof(c->cluster_password_file));
			break;
		case RKEY_ADVERTISE:
			memcpy(c->advertise, file->advertise, sizeof(c->advertise));
			break;
		case RKEY_DROP_DIR:
			memcpy(c->drop_dir, file->drop_dir, sizeof(c->drop_dir));
			break;
		case RKEY_DROP_MAX_FILE:
		case RKEY_DROP_QUOTA_SESSION:
		case RKEY_DROP_QUOTA_ADDRESS:
		case RKEY_DROP_QUOTA_TOTAL:
			*size_field(c, (enum rconfig_key)k) =
			    *size_field((struct rconfig *)file, (enum rconfig_key)k);
			break;
		case RKEY_DROP_MAX_TTL:
			c->drop_max_ttl_s = file->drop_max_ttl_s;
			break;
		/* session-creation tokens */
		case RKEY_SESSION_POLICY:
			c->token_policy = file->token_policy;
			break;
		case RKEY_TOKEN_KEY_FILE:
			memcpy(c->token_key_file, file->token_key_file, sizeof(c->token_key_file));
			break;
		case RKEY_USER:
			memcpy(c->user, file->user, sizeof(c->user));
			break;
		case RKEY_LOG_FORMAT:
			c->format = file->format;
			break;
		case RKEY_ADMIN_LISTEN:
		case RKEY_ADMIN_KEYS_FILE:
		case RKEY_ADMIN_TLS_CERT:
		case RKEY_ADMIN_TLS_KEY:
		case RKEY_ADMIN_CLIENT_CA:
			for (size_t i = 0; i < sizeof(admin_texts) / sizeof(admin_texts[0]); i++)
				if (admin_texts[i].key == k)
					memcpy((char *)c + admin_texts[i].field,
					    (const char *)file + admin_texts[i].field,
					    SETTINGS_VALUE_MAX);
			break;
		case RKEY_ADMIN_METRICS_OPEN:
			c->admin_metrics_open = file->admin_metrics_open;
			break;
		case RKEYS:
			break;
		}
		c->given[k] = true;
	}
}

/* One key a running relay cannot change: running's value back into next. */
static unsigned
keep(enum rconfig_key k, char *next, const char *running, size_t len, const char *from)
{
	bool changed = strcmp(next, running) != 0;

	if (changed)
		log_warn("%s: %s changed: needs a restart; the running value stays", from,
		    rconfig_key_name(k));
	/* the same bytes either way: a cluster URL's hidden password stays hidden */
	memcpy(next, running, len);
	return changed;
}

unsigned
rconfig_keep_restart_keys(struct rconfig *next, const struct rconfig *running, const char *from)
{
	unsigned n = 0, i;
	bool listen_changed = next->n_listen != running->n_listen;

	for (i = 0; i < next->n_listen && !listen_changed; i++)
		listen_changed = strcmp(next->listen[i], running->listen[i]) != 0;
	if (listen_changed) {
		log_warn("%s: listen changed: needs a restart; the running value stays", from);
		n++;
	}
	memcpy(next->listen, running->listen, sizeof(next->listen));
	next->n_listen = running->n_listen;
	/* the running URL had its password hidden once the directory had it */
	redis_url_hide_userinfo(next->cluster);
	n += keep(RKEY_STATE_DIR, next->state_dir, running->state_dir, sizeof(next->state_dir),
	    from);
	n += keep(RKEY_CLUSTER, next->cluster, running->cluster, sizeof(next->cluster), from);
	n += keep(RKEY_CLUSTER_PASSWORD_FILE, next->cluster_password_file,
	    running->cluster_password_file, sizeof(next->cluster_password_file), from);
	n += keep(RKEY_ADVERTISE, next->advertise, running->advertise, sizeof(next->advertise),
	    from);
	n += keep(RKEY_USER, next->user, running->user, sizeof(next->user), from);
	return n;
}

void
rconfig_server(const struct rconfig *c, struct server_config *cfg, char *default_listen,
    size_t default_listen_len)
{
	memset(cfg, 0, sizeof(*cfg));
	for (unsigned i = 0; i < c->n_listen; i++)
		cfg->listen[cfg->n_listen++] = c->listen[i];
	if (cfg->n_listen == 0) {
		snprintf(default_listen, default_listen_len, "0.0.0.0:%d", RELAY_PORT_DEFAULT);
		cfg->listen[cfg->n_listen++] = default_listen;
	}
	cfg->state_dir = c->state_dir[0] != '\0' ? c->state_dir : NULL;
	cfg->body_max = c->body_max;
	cfg->max_viewers = c->max_viewers;
	cfg->hello_timeout_ms = c->hello_timeout_ms;
	cfg->idle_timeout_ms = c->idle_timeout_ms;
	cfg->conns_per_ip = c->conns_per_ip;
	cfg->joins_per_min = c->joins_per_min;
	cfg->sessions_per_min = c->sessions_per_min;
	cfg->cluster = c->cluster[0] != '\0' ? c->cluster : NULL;
	cfg->advertise = c->advertise[0] != '\0' ? c->advertise : NULL;
	cfg->drain_deadline_ms = c->drain_deadline_s * 1000;
	cfg->drop.dir = c->drop_dir[0] != '\0' ? c->drop_dir : NULL;
	cfg->drop.max_file = c->drop_max_file;
	cfg->drop.quota_session = c->drop_quota_session;
	cfg->drop.quota_address = c->drop_quota_address;
	cfg->drop.quota_total = c->drop_quota_total;
	cfg->drop.max_ttl_s = c->drop_max_ttl_s;
	/* session-creation tokens: the keys are read by the caller */
	cfg->tokens_required = c->token_policy;
	cfg->token_key_file = c->token_key_file[0] != '\0' ? c->token_key_file : NULL;
	cfg->log_level = c->level;
	cfg->log_format = c->format;
	/* admin listener */
	cfg->admin_listen = c->admin_listen[0] != '\0' ? c->admin_listen : NULL;
	cfg->admin_keys_file = c->admin_keys_file[0] != '\0' ? c->admin_keys_file : NULL;
	cfg->admin_metrics_open = c->admin_metrics_open;
}
