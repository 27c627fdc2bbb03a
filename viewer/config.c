/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the viewer's settings files (config.h): its key table and
 * where each value goes. Reading, lines, messages and all-or-nothing are
 * net/settings.c's; the checks of the values are settings_value.c's,
 * shared with the master.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "settings.h"

enum key {
	KEY_RELAY,
	KEY_TRANSPORT,
	KEY_PROXY,
	KEY_PROXY_USER,
	KEY_CA_FILE,
	KEY_NAME,
	KEYS,
};

static const struct keyvalue_key keys[KEYS] = {
	[KEY_RELAY] = { "relay", 0 },
	[KEY_TRANSPORT] = { "transport", 0 },
	[KEY_PROXY] = { "proxy", 0 },
	[KEY_PROXY_USER] = { "proxy-user", KEYVALUE_SECRET },
	[KEY_CA_FILE] = { "ca-file", 0 },
	[KEY_NAME] = { "name", 0 },
};

void
vconfig_init(struct vconfig *c)
{
	memset(c, 0, sizeof(*c));
	c->transport = -1;
}

static int
set(void *conf, unsigned k, const char *v, const char *from, char *want, size_t want_len)
{
	struct vconfig *c = conf;
	int r = 0;

	switch ((enum key)k) {
	case KEY_RELAY:
		if ((r = settings_value_relays(v, want, want_len)) == 0) {
			snprintf(c->relay, sizeof(c->relay), "%s", v);
			snprintf(c->relay_from, sizeof(c->relay_from), "%s", from);
		}
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
	case KEYS:
		break;
	}
	return r;
}

static const struct settings_spec spec = {
	.keys = keys, .n_keys = KEYS, .set = set, .conf_size = sizeof(struct vconfig),
};

int
vconfig_parse(struct vconfig *c, const char *name, const char *text, size_t len, char *why,
    size_t why_len)
{
	return settings_parse(&spec, c, name, text, len, &c->warnings, why, why_len);
}

int
vconfig_load(struct vconfig *c, const char *path, bool *found, char *why, size_t why_len)
{
	return settings_load(&spec, c, path, found, &c->warnings, why, why_len);
}
