/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the master's settings files (config.h): its key table, where
 * each value goes, and how the files sit under the command line.
 * Reading, lines, messages and all-or-nothing are net/settings.c's; the
 * checks shared with the viewer are settings_value.c's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bytes.h"
#include "config.h"
#include "err.h"
#include "i18n.h"
#include "log.h"
#include "session.h"
#include "transport.h"

enum key {
	KEY_RELAY,
	KEY_TRANSPORT,
	KEY_PROXY,
	KEY_PROXY_USER,
	KEY_CA_FILE,
	KEY_NAME,
	KEY_INBOX,
	KEY_FILE_LIMIT,
	KEY_FILES_TOTAL_LIMIT,
	KEY_MAX_KBPS,
	/* session-creation tokens */
	KEY_TOKEN,
	KEY_TOKEN_FILE,
	KEYS,
};

static const struct keyvalue_key keys[KEYS] = {
	[KEY_RELAY] = { "relay", 0 },
	[KEY_TRANSPORT] = { "transport", 0 },
	[KEY_PROXY] = { "proxy", 0 },
	[KEY_PROXY_USER] = { "proxy-user", KEYVALUE_SECRET },
	[KEY_CA_FILE] = { "ca-file", 0 },
	[KEY_NAME] = { "name", 0 },
	[KEY_INBOX] = { "inbox", 0 },
	[KEY_FILE_LIMIT] = { "file-limit", 0 },
	[KEY_FILES_TOTAL_LIMIT] = { "files-total-limit", 0 },
	[KEY_MAX_KBPS] = { "max-kbps", 0 },
	/* session-creation tokens */
	[KEY_TOKEN] = { "token", KEYVALUE_SECRET },
	[KEY_TOKEN_FILE] = { "token-file", 0 },
};

void
mconfig_init(struct mconfig *c)
{
	memset(c, 0, sizeof(*c));
	c->transport = -1;
}

/* A size such as 4G; 0 would read as "no limit", which is no limit's
 * business in a file: leave the key out instead. */
static int
size(const char *v, uint64_t *out, char *want, size_t want_len)
{
	uint64_t n;

	if (bytes_parse(v, &n) != 0 || n == 0) {
		snprintf(want, want_len, "%s", _("a size such as 500M or 4G"));
		return ERR_FORMAT;
	}
	*out = n;
	return 0;
}

static int
set(void *conf, unsigned k, const char *v, const char *from, char *want, size_t want_len)
{
	struct mconfig *c = conf;
	unsigned long n;
	int r = 0;

	(void)from;
	switch ((enum key)k) {
	case KEY_RELAY:
		if ((r = settings_value_relays(v, want, want_len)) == 0)
			snprintf(c->relay, sizeof(c->relay), "%s", v);
		break;
	case KEY_TRANSPORT:
		r = settings_value_transport(v, &c->transport, want, want_len);
		break;
	case KEY_PROXY:
		if ((r = settings_value_url(v, want, want_len)) == 0)
			snprintf(c->proxy, sizeof(c->proxy), "%s", v);
		break;
	case KEY_PROXY_USER:
		if ((r = settings_value_user_pass(v, want, want_len)) == 0)
			snprintf(c->proxy_user, sizeof(c->proxy_user), "%s", v);
		break;
	case KEY_CA_FILE:
		if ((r = settings_value_path(v, want, want_len)) == 0)
			snprintf(c->ca_file, sizeof(c->ca_file), "%s", v);
		break;
	case KEY_NAME:
		if ((r = settings_value_name(v, want, want_len)) == 0)
			snprintf(c->name, sizeof(c->name), "%s", v);
		break;
	case KEY_INBOX:
		if ((r = settings_value_path(v, want, want_len)) == 0)
			snprintf(c->inbox, sizeof(c->inbox), "%s", v);
		break;
	case KEY_FILE_LIMIT:
		r = size(v, &c->file_max_bytes, want, want_len);
		break;
	case KEY_FILES_TOTAL_LIMIT:
		r = size(v, &c->files_total_max_bytes, want, want_len);
		break;
	case KEY_MAX_KBPS:
		/* --max-kbps's range */
		if ((r = settings_value_number(v, 16, 10000000, &n, want, want_len)) == 0)
			c->max_kbps = (unsigned)n;
		break;
	/* session-creation tokens */
	case KEY_TOKEN:
		if ((r = settings_value_token(v, want, want_len)) == 0)
			snprintf(c->token, sizeof(c->token), "%s", v);
		break;
	case KEY_TOKEN_FILE:
		if ((r = settings_value_path(v, want, want_len)) == 0)
			snprintf(c->token_file, sizeof(c->token_file), "%s", v);
		break;
	case KEYS:
		break;
	}
	return r;
}

static const struct settings_spec spec = {
	.keys = keys, .n_keys = KEYS, .set = set, .conf_size = sizeof(struct mconfig),
};

int
mconfig_parse(struct mconfig *c, const char *name, const char *text, size_t len, char *why,
    size_t why_len)
{
	return settings_parse(&spec, c, name, text, len, &c->warnings, why, why_len);
}

int
mconfig_load(struct mconfig *c, const char *path, bool *found, char *why, size_t why_len)
{
	return settings_load(&spec, c, path, found, &c->warnings, why, why_len);
}

/* session-creation tokens: token-file's first line into
 * c->token. 0, or ERR_FORMAT with why[] "FILE: ...". */
static int
read_token_file(struct mconfig *c, char *why, size_t why_len)
{
	char line[WIRE_TOKEN_MAX + 3], want[160];
	struct stat st;
	size_t n;
	FILE *f;
	int r = ERR_FORMAT;

	if ((f = fopen(c->token_file, "re")) == NULL) {
		snprintf(why, why_len, "%.400s: %s", c->token_file, strerror(errno));
		return ERR_FORMAT;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, why_len, _("%s: not a regular file"), c->token_file);
	} else if (fgets(line, sizeof(line), f) == NULL) {
		snprintf(why, why_len, _("%s: empty; it should hold the session token"),
		    c->token_file);
	} else {
		n = strcspn(line, "\r\n");
		if (line[n] == '\0' && !feof(f))       /* no end of line within the limit */
			n = sizeof(line);
		line[n < sizeof(line) ? n : sizeof(line) - 1] = '\0';
		if (n >= sizeof(line) || settings_value_token(line, want, sizeof(want)) != 0) {
			snprintf(why, why_len, _("%s: the first line is not a session token (%s)"),
			    c->token_file, want);
		} else {
			memcpy(c->token, line, strlen(line) + 1);       /* checked: it fits */
			if (st.st_mode & S_IROTH)
				log_warn(_("%s holds a session token but everyone may read it "
				    "(chmod 0600 %s)"), c->token_file, c->token_file);
			r = 0;
		}
	}
	sodium_memzero(line, sizeof(line));
	fclose(f);
	return r;
}

int
mconfig_use(struct mconfig *c, const char *user, struct master_opts *o,
    struct transport_opts *t, bool transport_given)
{
	bool found;

	mconfig_init(c);
	if (mconfig_load(c, MCONFIG_SYSTEM, &found, c->why, sizeof(c->why)) != 0 ||
	    (user[0] != '\0' && mconfig_load(c, user, &found, c->why, sizeof(c->why)) != 0)) {
		/* A file the company meant to apply is not silently skipped. */
		log_error("%s", c->why);
		return 1;
	}
	if (c->token[0] == '\0' && c->token_file[0] != '\0' &&
	    read_token_file(c, c->why, sizeof(c->why)) != 0) {
		log_error("%s", c->why);
		return 1;
	}
	if (c->token[0] != '\0')
		o->token = c->token;
	if (o->relay == NULL && c->relay[0] != '\0')
		o->relay = c->relay;
	if (!transport_given && c->transport >= 0)
		t->kind = c->transport;
	if (t->proxy == NULL && c->proxy[0] != '\0')
		t->proxy = c->proxy;
	if (t->proxy_user == NULL && c->proxy_user[0] != '\0')
		t->proxy_user = c->proxy_user;
	if (t->ca_file == NULL && c->ca_file[0] != '\0')
		t->ca_file = c->ca_file;
	if (o->name == NULL && c->name[0] != '\0')
		o->name = c->name;
	if (o->inbox == NULL && c->inbox[0] != '\0')
		o->inbox = c->inbox;
	if (o->file_max_bytes == 0)
		o->file_max_bytes = c->file_max_bytes;
	if (o->files_total_max_bytes == 0)
		o->files_total_max_bytes = c->files_total_max_bytes;
	if (o->max_kbps == 0)
		o->max_kbps = c->max_kbps;
	return -1;
}
