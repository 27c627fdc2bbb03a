/* SPDX-License-Identifier: Apache-2.0 */
#include "channels.h"
#include "wire.h"

/* The screen and the pointer come only under the session key, everything
 * else only under the pairwise one. The host needs no rights. */
const struct channel viewer_channels[] = {
	{ MSG_ASKED, WIRE_F_PAIR, 0, true, session_take_asked },
	{ MSG_ACCEPT, WIRE_F_PAIR, 0, true, session_take_accept },
	{ MSG_KEY, WIRE_F_PAIR, 0, true, session_take_key },
	{ MSG_LAN_OFFER, WIRE_F_PAIR, 0, true, session_take_lan_offer },
	{ MSG_BYE, WIRE_F_PAIR, 0, true, session_take_bye },
	{ MSG_CHAT, WIRE_F_PAIR, 0, true, chat_take },
	{ MSG_CLIPBOARD, WIRE_F_PAIR, 0, true, clipboard_take },
	{ MSG_VIDEO, WIRE_F_SESSION, 0, true, screen_take_video },
	{ MSG_CURSOR, WIRE_F_SESSION, 0, true, screen_take_cursor },
};

const size_t viewer_channels_count = sizeof(viewer_channels) / sizeof(viewer_channels[0]);
