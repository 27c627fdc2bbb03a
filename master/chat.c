/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chat.c - the CHAT channel on the master: a viewer's line becomes an
 * event line (and a line in the host's window, through m->chat_heard);
 * --chat TEXT greets each viewer once it is allowed, and what the host
 * types in the window goes to every allowed viewer.
 */
#include <string.h>

#include "channels.h"
#include "event.h"
#include "log.h"
#include "session.h"

int
chat_take(void *master, void *viewer, const struct msg *msg)
{
	struct master *m = master;
	struct viewer *v = viewer;

	event("chat slot=%u text=\"%s\"", v->slot, log_escape_text(m->text_out,
	    sizeof(m->text_out), buf_ptr(&msg->u.text), buf_len(&msg->u.text)));
	if (m->chat_heard != NULL)
		m->chat_heard(m->chat_heard_ctx, v, (const char *)buf_ptr(&msg->u.text),
		    buf_len(&msg->u.text));
	return 0;
}

void
chat_greet(struct master *m, struct viewer *v)
{
	if (m->o.chat == NULL)
		return;
	buf_reset(&m->scratch);
	if (msg_chat_encode(&m->scratch, m->o.chat, strlen(m->o.chat)) != 0 ||
	    master_send_pair(m, v, &m->scratch) != 0)
		log_warn("cannot send the chat line to viewer %u", v->slot);
}

unsigned
chat_send(struct master *m, const char *text, size_t len)
{
	unsigned i, n = 0;

	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state != VIEWER_ACTIVE)
			continue;
		buf_reset(&m->scratch);
		if (msg_chat_encode(&m->scratch, text, len) != 0 ||
		    master_send_pair(m, v, &m->scratch) != 0) {
			log_warn("cannot send the chat line to viewer %u", v->slot);
			continue;
		}
		n++;
	}
	return n;
}
