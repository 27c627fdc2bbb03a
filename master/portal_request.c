/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portal_request.c - the desktop portal's requests and their answers
 * (portal_request.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "portal_request.h"

#define PORTAL_REQUEST "org.freedesktop.portal.Request"

enum {
	PORTAL_RESPONSE_OK = 0,
	PORTAL_RESPONSE_CANCELLED = 1,
};

void
portal_explain(const sd_bus_error *e, int r, const char *what, char *why, size_t why_len)
{
	const char *name = e != NULL && e->name != NULL ? e->name : "";
	const char *msg = e != NULL && e->message != NULL ? e->message : strerror(-r);

	if (strcmp(name, SD_BUS_ERROR_SERVICE_UNKNOWN) == 0 ||
	    strcmp(name, SD_BUS_ERROR_NAME_HAS_NO_OWNER) == 0)
		snprintf(why, why_len, "%s", _("no desktop portal answers on this session bus "
		    "(install xdg-desktop-portal and the portal of this desktop: "
		    "xdg-desktop-portal-gnome, -kde or -wlr)"));
	else if (strcmp(name, SD_BUS_ERROR_UNKNOWN_INTERFACE) == 0 ||
	    strcmp(name, SD_BUS_ERROR_UNKNOWN_PROPERTY) == 0 ||
	    strcmp(name, SD_BUS_ERROR_UNKNOWN_METHOD) == 0)
		snprintf(why, why_len, _("the desktop portal cannot share the screen here (%s): "
		    "install the portal of this desktop (xdg-desktop-portal-gnome, -kde or "
		    "-wlr)"), what);
	else if (strcmp(name, SD_BUS_ERROR_NO_REPLY) == 0 || r == -ETIMEDOUT)
		snprintf(why, why_len, _("the desktop portal did not answer (%s)"), what);
	else
		snprintf(why, why_len, _("the desktop portal refused to share the screen (%s: %s)"),
		    what, msg);
}

static int
on_response(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct portal_request *rq = arg;
	uint32_t response;

	(void)ret_error;
	if (rq->answered)
		return 0;
	if (sd_bus_message_read(m, "u", &response) < 0) {
		log_warn("portal: a Response without a code");
		response = UINT32_MAX;
	}
	rq->response = response;
	rq->results = sd_bus_message_ref(m);
	rq->answered = true;
	return 0;
}

int
portal_request_run(struct session_bus *sb, struct portal_request *rq, const bool *closed,
    sd_bus_message *call, const char *token, const char *what, uint64_t timeout_ms,
    char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	sd_bus_slot *slot = NULL, *slot2 = NULL;
	const char *unique = NULL, *handle = NULL;
	char path[PORTAL_PATH_LEN], sender[PORTAL_PATH_LEN];
	size_t i;
	int r;

	rq->answered = false;
	rq->results = sd_bus_message_unref(rq->results);
	/* The Request's path: our unique name without ':' and with '_' for
	 * '.', then the token (the portal's documented rule). */
	if (sd_bus_get_unique_name(sb->bus, &unique) < 0 || unique == NULL ||
	    strlen(unique) >= sizeof(sender)) {
		snprintf(why, why_len, "%s", _("no name on the D-Bus session bus"));
		return ERR_SYSTEM;
	}
	for (i = 0; unique[i + 1] != '\0'; i++)
		sender[i] = unique[i + 1] == '.' ? '_' : unique[i + 1];
	sender[i] = '\0';
	if (snprintf(path, sizeof(path), PORTAL_PATH "/request/%s/%s", sender, token) >=
	    (int)sizeof(path) ||
	    sd_bus_match_signal(sb->bus, &slot, PORTAL_NAME, path, PORTAL_REQUEST, "Response",
	    on_response, rq) < 0) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return ERR_SYSTEM;
	}
	r = sd_bus_call(sb->bus, call, (uint64_t)CAPTURE_DBUS_TIMEOUT_MS * 1000, &e, &reply);
	if (r < 0) {
		portal_explain(&e, r, what, why, why_len);
		sd_bus_error_free(&e);
		sd_bus_slot_unref(slot);
		return ERR_SYSTEM;
	}
	/* A portal that names another path (older ones did): listen there
	 * too; an answer that came before is a risk only such portals have. */
	if (sd_bus_message_read(reply, "o", &handle) < 0 || handle == NULL) {
		snprintf(why, why_len, _("the desktop portal gave an unexpected answer to %s"),
		    what);
		sd_bus_message_unref(reply);
		sd_bus_slot_unref(slot);
		return ERR_SYSTEM;
	}
	if (strcmp(handle, path) != 0 &&
	    sd_bus_match_signal(sb->bus, &slot2, PORTAL_NAME, handle, PORTAL_REQUEST,
	    "Response", on_response, rq) < 0)
		log_warn("portal: cannot listen on the request %s", handle);
	sd_bus_message_unref(reply);
	r = session_bus_wait(sb, &rq->answered, closed, mono_ms() + timeout_ms, why, why_len);
	sd_bus_slot_unref(slot);
	sd_bus_slot_unref(slot2);
	if (r == ERR_TIMEOUT)
		snprintf(why, why_len, _("the desktop portal did not answer %s within %u s"), what,
		    (unsigned)(timeout_ms / 1000));
	else if (r == ERR_CLOSED)
		snprintf(why, why_len, _("the desktop portal went away (%s)"), what);
	if (r != 0)
		return r;
	if (rq->response == PORTAL_RESPONSE_CANCELLED) {
		snprintf(why, why_len, "%s", _("the host declined the sharing in the desktop's "
		    "dialog"));
		return ERR_AUTH;
	}
	if (rq->response != PORTAL_RESPONSE_OK) {
		snprintf(why, why_len, _("the desktop portal ended %s without sharing (response "
		    "%u; its log may say why)"), what, rq->response);
		return ERR_SYSTEM;
	}
	return 0;
}

const char *
portal_request_token(struct portal_request *rq, char *buf, size_t len)
{
	snprintf(buf, len, "fernsicht_%u_%u", (unsigned)getpid(), ++rq->made);
	return buf;
}

void
portal_request_free(struct portal_request *rq)
{
	rq->results = sd_bus_message_unref(rq->results);
}

int
portal_request_call(struct session_bus *sb, sd_bus_message **call, const char *iface,
    const char *member)
{
	return sd_bus_message_new_method_call(sb->bus, call, PORTAL_NAME, PORTAL_PATH, iface,
	    member);
}

int
portal_results_each(sd_bus_message *m, int (*fn)(void *arg, sd_bus_message *m,
    const char *key), void *arg)
{
	const char *key;
	int r;

	if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0)
		return r;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		if ((r = sd_bus_message_read(m, "s", &key)) < 0 || (r = fn(arg, m, key)) < 0 ||
		    (r = sd_bus_message_exit_container(m)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	return sd_bus_message_exit_container(m);
}

int
portal_request_options(sd_bus_message *call, const char *token)
{
	int r = sd_bus_message_open_container(call, 'a', "{sv}");

	return r < 0 ? r : sd_bus_message_append(call, "{sv}", "handle_token", "s", token);
}
