/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outcome.c - how a viewer's session ends: its exit code and the reason,
 * said once (the last event line, "closed reason=...", and the log for a
 * failure). Below every feature, so any of them can end the session.
 */
#include <stdarg.h>
#include <stdio.h>

#include "event.h"
#include "log.h"
#include "session.h"
#include "wire.h"

void
vsession_finish(struct vsession *s, int code, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (s->over)
		return;
	s->over = true;
	s->exit_code = code;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(s->why, sizeof(s->why), "%s", why);
	event("closed reason=\"%s\"", why);
	if (code != VIEWER_EXIT_OK)
		log_error("%s", why);
}

const char *
vsession_outcome(const struct vsession *s, const char **headline)
{
	if (s->timed_out) {
		*headline = s->asked ? "Timed out: the host did not answer" :
		    "Timed out: the code was not proven in time";
		return "timed out";
	}
	switch (s->exit_code) {
	case VIEWER_EXIT_CODE:
		*headline = "Wrong code: check the six digits with the host";
		return "wrong code";
	case VIEWER_EXIT_NO_SESSION:
		/* The relay's refusal at the join says which; the host's
		 * "busy" comes later, with no relay code. */
		switch (s->link.error_code) {
		case WIRE_E_FULL:
			*headline = "The session is full";
			return "session full";
		case WIRE_E_RATE:
			*headline = "Too many attempts: wait a minute, then try again";
			return "rate-limited";
		case WIRE_E_NO_SESSION:
			*headline = "No such session: check the number with the host";
			return "no such session";
		default:
			*headline = "The host is busy with another supporter: try again";
			return "busy";
		}
	case VIEWER_EXIT_REFUSED:
		*headline = "The host refused";
		return "refused";
	case VIEWER_EXIT_SECURITY:
		*headline = "Security failure: the connection was not trustworthy";
		return "security";
	case VIEWER_EXIT_NETWORK:
		*headline = s->started_ms == 0 ? "The relay cannot be reached" :
		    "The connection to the relay was lost";
		return "network";
	default:
		*headline = "The host ended the session";
		return "ended";
	}
}
