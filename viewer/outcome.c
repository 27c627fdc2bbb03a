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
	event("closed reason=\"%s\"", why);
	if (code != VIEWER_EXIT_OK)
		log_error("%s", why);
}
