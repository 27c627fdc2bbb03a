/* SPDX-License-Identifier: Apache-2.0 */
/* chat.c - the CHAT channel on the viewer: the host's line becomes an event line. */
#include "channels.h"
#include "event.h"
#include "log.h"
#include "session.h"

int
chat_take(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;

	(void)peer;
	event("chat text=\"%s\"", log_escape_text(s->text_out, sizeof(s->text_out),
	    buf_ptr(&m->u.text), buf_len(&m->u.text)));
	return 0;
}
