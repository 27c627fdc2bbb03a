/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clipboard.c - the CLIPBOARD channel on the master: text a viewer with
 * the clipboard right copied becomes the host's clipboard (clip.h), and
 * what the host copies goes to every such viewer.
 */
#include "channels.h"
#include "event.h"
#include "log.h"
#include "session.h"

int
clipboard_take(void *master, void *viewer, const struct msg *msg)
{
	static struct log_rl refused;   /* a viewer sends as often as it likes */
	struct master *m = master;
	struct viewer *v = viewer;

	event("clipboard slot=%u bytes=%zu", v->slot, buf_len(&msg->u.text));
	if (m->clip != NULL && clip_set(m->clip, (const char *)buf_ptr(&msg->u.text),
	    buf_len(&msg->u.text)) != 0)
		log_rl(&refused, LOG_WARN, "cannot take the host's clipboard");
	return 0;
}

int
clipboard_send(struct master *m, const char *text, size_t len)
{
	unsigned i, n = 0;
	int r;

	if (len > MSG_CLIPBOARD_MAX) {
		log_info("the host copied %zu bytes: over the clipboard limit, not sent", len);
		return 0;
	}
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state != VIEWER_ACTIVE || !(v->rights & MSG_RIGHT_CLIPBOARD))
			continue;
		buf_reset(&m->scratch);
		if ((r = msg_clipboard_encode(&m->scratch, text, len)) != 0 ||
		    (r = master_send_pair(m, v, &m->scratch)) != 0)
			return r;
		n++;
	}
	if (n > 0)
		log_info("clipboard: %zu bytes to %u viewer(s)", len, n);
	return 0;
}
