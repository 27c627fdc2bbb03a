/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.c - the file drop during a session, the viewer's side (drop.h).
 */
#include <stdio.h>
#include <string.h>

#include "channels.h"
#include "display.h"
#include "drop.h"
#include "droplink.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "session.h"

void
drop_tell_identity(struct vsession *s)
{
	struct buf m;

	if (s->state != VS_ACTIVE || !s->has_drop_pk || s->drop_pk_sent)
		return;
	s->drop_pk_sent = true;
	buf_init(&m, 64);
	if (msg_drop_identity_encode(&m, s->drop_pk) != 0 || vsession_send(s, &m) != 0)
		log_warn("cannot tell the host our drop identity");
	buf_release(&m);
}

int
drop_take_link(void *side, void *peer, const struct msg *msg)
{
	struct vsession *s = side;
	char text[DROP_LINK_MAX_BYTES + 1], line[DROP_LINK_MAX_BYTES + 128];
	const char *why = NULL;
	struct droplink l;
	size_t n = buf_len(&msg->u.text);
	int len;

	(void)peer;
	memcpy(text, buf_ptr(&msg->u.text), n);         /* n <= DROP_LINK_MAX_BYTES */
	text[n] = '\0';
	/* Only a link we can use goes on: a host cannot make us print anything else. */
	if (droplink_parse(text, &l, &why) != 0) {
		log_warn("the host sent a drop link that is not one: %s", why);
		return 0;
	}
	memset(&l, 0, sizeof(l));
	event("drop-offer link=\"%s\"", log_escape_text(s->text_out, sizeof(s->text_out), text,
	    n));
	if (s->disp != NULL) {
		/* TRANSLATORS: a chat line; %s is a fernsicht://.../drop/... link. */
		len = snprintf(line, sizeof(line), _("dropped a file for you: %s"), text);
		if (len > 0)
			display_chat_add(s->disp, _("File drop"), line,
			    (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1, false);
	}
	return 0;
}
