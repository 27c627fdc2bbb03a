/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outcome.c - how a viewer's session ends: its exit code and the reason,
 * said once (the last event line, "closed reason=...", and the log for a
 * failure). Below every feature, so any of them can end the session.
 */
#include <stdarg.h>
#include <stdio.h>

#include "clock.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"
#include "wire.h"

static void
finish_v(struct vsession *s, int code, const char *fmt, va_list ap)
{
	char why[256];
	va_list again;

	s->over = true;
	s->exit_code = code;
	va_copy(again, ap);
	vsnprintf(why, sizeof(why), fmt, ap);
	/* The event line and the log keep English; the window says it in
	 * the supporter's language (fmt is marked with N_() where it has words). */
	vsnprintf(s->why, sizeof(s->why), _(fmt), again);
	va_end(again);
	if (s->lost) {
		event("lost reason=\"%s\"", why);
		log_warn("%s: coming back", why);
		return;
	}
	if (s->trying) {
		log_info("coming back did not work this time: %s", why);
		return;
	}
	event("closed reason=\"%s\"", why);
	if (code != VIEWER_EXIT_OK)
		log_error("%s", why);
}

void
vsession_finish(struct vsession *s, int code, const char *fmt, ...)
{
	va_list ap;

	if (s->over)
		return;
	va_start(ap, fmt);
	finish_v(s, code, fmt, ap);
	va_end(ap);
}

void
vsession_lost(struct vsession *s, const char *fmt, ...)
{
	va_list ap;

	if (s->over)
		return;
	/* Only an allowed viewer has a place to come back to. */
	s->lost = s->state == VS_ACTIVE && s->resume_ms > 0;
	s->lost_ms = mono_ms();
	va_start(ap, fmt);
	finish_v(s, VIEWER_EXIT_NETWORK, fmt, ap);
	va_end(ap);
}

const char *
vsession_outcome(const struct vsession *s, const char **headline)
{
	if (s->timed_out) {
		*headline = s->asked ? _("Timed out: the host did not answer") :
		    _("Timed out: the code was not proven in time");
		return "timed out";
	}
	switch (s->exit_code) {
	case VIEWER_EXIT_CODE:
		*headline = _("Wrong code: check the six digits with the host");
		return "wrong code";
	case VIEWER_EXIT_NO_SESSION:
		/* The relay's refusal at the join says which; the host's
		 * "busy" comes later, with no relay code. */
		switch (s->link.error_code) {
		case WIRE_E_FULL:
			*headline = _("The session is full");
			return "session full";
		case WIRE_E_RATE:
			*headline = _("Too many attempts: wait a minute, then try again");
			return "rate-limited";
		case WIRE_E_NO_SESSION:
			*headline = _("No such session: check the number with the host");
			return "no such session";
		default:
			*headline = _("The host is busy with another supporter: try again");
			return "busy";
		}
	case VIEWER_EXIT_REFUSED:
		*headline = _("The host refused");
		return "refused";
	case VIEWER_EXIT_SECURITY:
		*headline = _("Security failure: the connection was not trustworthy");
		return "security";
	case VIEWER_EXIT_NETWORK:
		*headline = s->started_ms == 0 ? _("The relay cannot be reached") :
		    _("The connection to the relay was lost");
		return "network";
	default:
		*headline = _("The host ended the session");
		return "ended";
	}
}
