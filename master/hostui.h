/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostui.h - the host's small window (SDL2 + SDL2_ttf): the session number
 * and code in large type, a consent prompt per waiting viewer, the list of
 * viewers with their rights, and buttons to take control back, remove a
 * viewer or end the session; under the viewers the chat with them and
 * the list of file transfers (gui/chat.h, gui/transfers.h). The window
 * only shows state and reports the host's clicks and keys; master/session.c
 * decides.
 */
#ifndef MASTER_HOSTUI_H
#define MASTER_HOSTUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "msg.h"

enum hostui_viewer_state {
	HOSTUI_WAITING = 1,     /* proved the code, waits for the host's answer */
	HOSTUI_VIEWING = 2,
	HOSTUI_CONTROLLING = 3,
	HOSTUI_AWAY = 4,        /* allowed, lost its connection, may come back (resume.h) */
};

struct hostui_viewer {
	unsigned slot;
	enum hostui_viewer_state state;
	char name[MSG_NAME_MAX + 1];
	char addr[WIRE_ADDR_TEXT_MAX + 1];      /* as the relay saw it */
	unsigned check;                         /* six digits both sides show */
	bool files;                             /* it has the files right */
	unsigned away;                          /* HOSTUI_AWAY: which one (its Remove says) */
};

struct hostui_state {
	uint32_t session;
	char code[SESSION_CODE_DIGITS + 1];
	char status[128];                       /* "connected to relay ...", errors */
	unsigned failures;                      /* wrong codes since the host's last new code */
	bool paused;                            /* too many: no code until the host asks */
	unsigned n;
	struct hostui_viewer v[MASTER_SLOTS_MAX];
	/* file drop: a Fetch button once a viewer dropped a file for the host;
	 * a button that says where dragged files go once the relay keeps drops */
	bool drop_offered, drop_fetching;
	bool drop_can, drop_to_relay;
};

enum hostui_action_kind {
	HOSTUI_NONE = 0,
	HOSTUI_ALLOW_CONTROL,   /* slot: let it watch and control */
	HOSTUI_ALLOW_VIEW,      /* slot: let it watch only */
	HOSTUI_DENY,            /* slot */
	HOSTUI_KICK,            /* slot */
	HOSTUI_KICK_AWAY,       /* slot: hostui_viewer.away, the away viewer not to come back */
	HOSTUI_TAKE_CONTROL,    /* every viewer loses control at once */
	HOSTUI_END,             /* end the session (also closing the window) */
	HOSTUI_NEW_CODE,        /* a new code (also ends a pause after wrong codes) */
	HOSTUI_CHAT_SEND,       /* text: a line for every allowed viewer */
	HOSTUI_CANCEL_TRANSFER, /* slot, id, incoming: the host cancels a transfer */
	HOSTUI_DROP_FILE,       /* text: a file or folder dropped on the window */
	HOSTUI_FILES_ON,        /* slot: give it the files right */
	HOSTUI_FILES_OFF,       /* slot: take the files right back */
	HOSTUI_FETCH_DROP,      /* fetch the file a viewer dropped for the host last */
	HOSTUI_DROP_MODE,       /* switch where dragged files go: to viewers or the relay */
};

struct hostui_action {
	enum hostui_action_kind kind;
	unsigned slot;
	uint32_t id;            /* CANCEL_TRANSFER */
	bool incoming;          /* CANCEL_TRANSFER: one the host receives */
	const char *text;       /* CHAT_SEND: UTF-8 without control characters, */
	size_t text_len;        /* at most MSG_TEXT_MAX bytes; DROP_FILE: the path;
	                         * valid until the next poll */
};

struct hostui;
struct gui_transfer;            /* gui/transfers.h */

/* NULL with why[] when there is no display or no font. */
struct hostui *hostui_open(char *why, size_t why_len);
void hostui_close(struct hostui *ui);
/* Show this state (copied); redraws only when it changed. A new consent
 * prompt also brings the window to the front and flashes it. */
void hostui_show(struct hostui *ui, const struct hostui_state *st);
/* The next action of the host, or HOSTUI_NONE. Call often (it also
 * handles window events and redraws). */
struct hostui_action hostui_poll(struct hostui *ui);
/* Save the window's current picture as BMP (for tests and docs). */
int hostui_screenshot(struct hostui *ui, const char *path) WUR;
/* Make the window w x h, or its minimum size where that is larger (for
 * tests and docs: the layout at the smallest size the host can choose). */
void hostui_set_size(struct hostui *ui, int w, int h);
/* A chat line for the chat area: from a viewer (who: its name), or the
 * host's own (mine) once it was sent. */
void hostui_chat_add(struct hostui *ui, const char *who, const char *text, size_t len, bool mine);
/* A line of the window's own in the chat area (e.g. why a line was not sent). */
void hostui_chat_note(struct hostui *ui, const char *text);
/* The transfers to list (copied); redraws only when they changed. */
void hostui_set_transfers(struct hostui *ui, const struct gui_transfer *rows, size_t n);

#endif
