/* SPDX-License-Identifier: Apache-2.0 */
/*
 * chat.c - the CHAT channel on the master: a viewer's line becomes an
 * event line; --chat TEXT greets each viewer once it is allowed.
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
