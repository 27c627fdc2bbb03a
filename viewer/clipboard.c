/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clipboard.c - the CLIPBOARD channel on the viewer: what the host copied
 * goes into the local clipboard (the window's) and, escaped and cut
 * short, into an event line.
 */
#include "channels.h"
#include "event.h"
#include "log.h"
#include "session.h"

int
clipboard_take(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;
	size_t n = buf_len(&m->u.text);

	(void)peer;
	event("clipboard bytes=%zu text=\"%s\"", n, log_escape_text(s->text_out,
	    sizeof(s->text_out), buf_ptr(&m->u.text), n < MSG_TEXT_MAX ? n : MSG_TEXT_MAX));
	if (s->disp != NULL)
		display_set_clipboard(s->disp, (const char *)buf_ptr(&m->u.text), n);
	return 0;
}
