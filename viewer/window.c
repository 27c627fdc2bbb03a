/* SPDX-License-Identifier: Apache-2.0 */
/*
 * window.c - what the supporter does in the session's window (window.h):
 * input and the clipboard to the host, chat, dropped files, Cancel, and
 * closing it.
 */
#include "drop.h"
#include "drop_send.h"
#include "event.h"
#include "log.h"
#include "msg.h"
#include "session.h"
#include "transfers.h"   /* gui/: struct gui_transfer */
#include "window.h"

/* A path dropped on the window: said on stdout, then offered to the host. */
static void
window_drop(struct vsession *s, const char *path, size_t len)
{
	event("drop path=\"%s\"", log_escape_text(s->text_out, sizeof(s->text_out), path,
	    len < MSG_TEXT_MAX ? len : MSG_TEXT_MAX));
	(void)viewer_send_path(s, path);        /* a failure is shown in the window */
}

/* The transfer list's rows, for the window. */
static void
window_transfers(struct vsession *s)
{
	struct gui_transfer rows[GUI_TRANSFERS_MAX];

	display_set_transfers(s->disp, rows, viewer_transfer_rows(s, rows, GUI_TRANSFERS_MAX));
}

/* The window's events: input to the host (when allowed), the local
 * clipboard, chat, files, closing. Non-zero: the supporter closed the
 * window. */
int
window_events(struct vsession *s)
{
	struct display_event ev;
	struct buf m;
	int r = 0;

	buf_init(&m, MSG_CLIPBOARD_MAX + 8);
	while (r == 0 && (ev = display_poll(s->disp, 0)).kind != DISPLAY_NONE) {
		buf_reset(&m);
		switch (ev.kind) {
		case DISPLAY_INPUT:
			/* Away (s->lost): input is not kept for later, a click
			 * replayed a minute on could hit something else. */
			if (s->state != VS_ACTIVE || !(s->rights & MSG_RIGHT_CONTROL) || s->over)
				break;
			if (msg_input_encode(&m, &ev.input) != 0 || vsession_send(s, &m) != 0)
				log_warn("cannot send input");
			break;
		case DISPLAY_CLIPBOARD:
			if (s->state != VS_ACTIVE || !(s->rights & MSG_RIGHT_CLIPBOARD) || s->over)
				break;
			if (ev.text_len > MSG_CLIPBOARD_MAX || !buf_utf8_valid(
			    (const uint8_t *)ev.text, ev.text_len)) {
				log_info("local clipboard not sent: over %d bytes or not UTF-8",
				    MSG_CLIPBOARD_MAX);
				break;
			}
			if (msg_clipboard_encode(&m, ev.text, ev.text_len) != 0 ||
			    vsession_send(s, &m) != 0)
				log_warn("cannot send the clipboard");
			break;
		case DISPLAY_CHAT_SEND:
			chat_send_line(s, ev.text, ev.text_len);
			break;
		case DISPLAY_DROP_FILE:
			if (s->drop_to_relay)
				drop_send_file(s, ev.text);
			else
				window_drop(s, ev.text, ev.text_len);
			break;
		case DISPLAY_DROP_MODE:
			s->drop_to_relay = !s->drop_to_relay;
			event("drop-mode relay=%d", s->drop_to_relay);
			break;
		case DISPLAY_CANCEL_TRANSFER:
			viewer_cancel_transfer(s, ev.id, ev.incoming);
			break;
		case DISPLAY_FETCH_DROP:
			drop_fetch_start(s, ev.text);
			break;
		case DISPLAY_QUIT:
			if (msg_bye_encode(&m, MSG_ABORT_LEAVING, "closed the window") != 0 ||
			    vsession_send(s, &m) != 0 || link_drain(&s->link, 1000) != 0)
				log_debug("the goodbye may not have reached the host");
			event("closed reason=\"the window was closed\"");
			s->exit_code = VIEWER_EXIT_OK;
			r = 1;
			break;
		case DISPLAY_NONE:
			break;
		}
	}
	buf_release(&m);
	/* Dragged files may go to the relay while the host lets us drop. */
	if (!s->has_drop_grant || !(s->rights & MSG_RIGHT_FILES))
		s->drop_to_relay = false;
	display_drop_mode(s->disp, s->has_drop_grant && (s->rights & MSG_RIGHT_FILES),
	    s->drop_to_relay);
	drop_fetch_poll(s);
	if (r == 0)
		window_transfers(s);
	return r;
}

