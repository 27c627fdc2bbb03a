/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chat.c - the CHAT channel on the viewer: the host's line becomes an
 * event line and a line in the window's chat; the supporter's line from
 * the window goes to the host.
 */
#include "channels.h"
#include "err.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

/* The host as the chat names it: its verified name. */
static const char *
host_name(const struct vsession *s)
{
	return s->hs.res.peer_name[0] != '\0' ? s->hs.res.peer_name : _("Host");
}

int
chat_take(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;

	(void)peer;
	event("chat text=\"%s\"", log_escape_text(s->text_out, sizeof(s->text_out),
	    buf_ptr(&m->u.text), buf_len(&m->u.text)));
	if (s->disp != NULL)
		display_chat_add(s->disp, host_name(s), (const char *)buf_ptr(&m->u.text),
		    buf_len(&m->u.text), false);
	return 0;
}

void
chat_send_line(struct vsession *s, const char *text, size_t len)
{
	struct buf m;
	int r;

	if (s->state != VS_ACTIVE) {
		log_info("chat line not sent: the host has not let us in yet");
		if (s->disp != NULL)
			display_chat_note(s->disp, _("Not sent: the host has not let you in yet."));
		return;
	}
	if (s->lost) {
		log_info("chat line not sent: the connection is being restored");
		if (s->disp != NULL)
			display_chat_note(s->disp, _("Not sent: the connection is being restored."));
		return;
	}
	buf_init(&m, MSG_TEXT_MAX + 8);
	if ((r = msg_chat_encode(&m, text, len)) != 0 || (r = vsession_send(s, &m)) != 0)
		log_warn("cannot send the chat line: %s", err_str(r));
	if (s->disp != NULL) {
		if (r != 0)
			display_chat_note(s->disp, _("The line could not be sent."));
		else
			/* TRANSLATORS: the supporter's own lines in the chat. */
			display_chat_add(s->disp, _("You"), text, len, true);
	}
	buf_release(&m);
}
