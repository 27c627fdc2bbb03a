/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relay_reload - server_reload: every hook's check before anything
 * is applied, so that one refusal changes nothing anywhere; then the
 * server's own part and the hooks' applies in order; the keys that need
 * a restart keep their running values; the hook table's cap.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "server.h"
#include "test.h"

struct probe {
	const char *name;
	bool refuse;
	unsigned checked, applied;
	uint32_t saw_max_viewers;
};

static char order[64];

static int
check(void *arg, const struct server_config *cfg, char *why, size_t why_len)
{
	struct probe *p = arg;

	(void)cfg;
	p->checked++;
	if (p->refuse) {
		snprintf(why, why_len, "%s: refused", p->name);
		return ERR_FORMAT;
	}
	return 0;
}

static void
apply(void *arg, const struct server_config *cfg)
{
	struct probe *p = arg;

	p->applied++;
	p->saw_max_viewers = cfg->max_viewers;
	strncat(order, p->name, sizeof(order) - strlen(order) - 1);
}

static void
base_config(struct server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->listen[0] = "127.0.0.1:0";
	cfg->n_listen = 1;
	cfg->body_max = WIRE_BODY_DEFAULT_BYTES;
	cfg->max_viewers = 4;
	cfg->hello_timeout_ms = RELAY_HELLO_TIMEOUT_MS;
	cfg->idle_timeout_ms = RELAY_IDLE_TIMEOUT_MS;
	cfg->conns_per_ip = RELAY_CONNS_PER_IP_MAX;
	cfg->joins_per_min = RELAY_JOIN_PER_MIN;
	cfg->drain_deadline_ms = RELAY_DRAIN_DEADLINE_MS;
	cfg->log_level = LOG_ERROR;
}

int
main(void)
{
	struct probe a = { .name = "a" }, b = { .name = "b" };
	struct reload_hook ha = { check, apply, &a }, hb = { check, apply, &b };
	struct reload_hook none = { NULL, NULL, NULL };
	struct server_config cfg;
	struct server *s;
	unsigned i;

	log_init("test_relay_reload", LOG_ERROR);
	base_config(&cfg);
	if (!CHECK((s = server_new(&cfg)) != NULL))
		return test_done();
	CHECK(server_add_reload_hook(s, &ha) == 0);
	CHECK(server_add_reload_hook(s, &hb) == 0);

	/* b refuses: both were asked, nobody applied, the server runs as before */
	b.refuse = true;
	cfg.max_viewers = 2;
	cfg.conns_per_ip = 5;
	CHECK_ERR(server_reload(s, &cfg), ERR_FORMAT);
	CHECK(a.checked == 1 && b.checked == 1 && a.applied == 0 && b.applied == 0);
	CHECK(server_running(s)->max_viewers == 4 && server_running(s)->conns_per_ip ==
	    RELAY_CONNS_PER_IP_MAX);

	/* a limit out of range is refused before any hook is asked */
	cfg.max_viewers = SESSION_VIEWERS_MAX + 1;
	CHECK_ERR(server_reload(s, &cfg), ERR_FORMAT);
	CHECK(a.checked == 1 && server_running(s)->max_viewers == 4);

	/* all agree: applied in order; listen needs a restart and stays */
	b.refuse = false;
	cfg.max_viewers = 2;
	cfg.listen[0] = "127.0.0.1:1";
	cfg.log_level = LOG_WARN;
	CHECK(server_reload(s, &cfg) == 0);
	CHECK(a.applied == 1 && b.applied == 1 && strcmp(order, "ab") == 0);
	CHECK(a.saw_max_viewers == 2);
	CHECK(server_running(s)->max_viewers == 2 && server_running(s)->conns_per_ip == 5);
	CHECK(strcmp(server_running(s)->listen[0], "127.0.0.1:0") == 0);
	CHECK(log_enabled(LOG_WARN) && !log_enabled(LOG_INFO));

	/* the table is bounded */
	for (i = 2; i < RELAY_RELOAD_HOOKS_MAX; i++)
		CHECK(server_add_reload_hook(s, &none) == 0);
	CHECK_ERR(server_add_reload_hook(s, &none), ERR_LIMIT);
	/* hooks without check or apply are fine */
	CHECK(server_reload(s, &cfg) == 0 && a.applied == 2);
	server_free(s);
	return test_done();
}
