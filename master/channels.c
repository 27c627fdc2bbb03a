/* SPDX-License-Identifier: Apache-2.0 */
#include "channels.h"
#include "wire.h"

/* Input and the clipboard need their right (so the host's "allow"); chat,
 * the screen's pacing and a goodbye also come while the host is asked. */
const struct channel master_channels[] = {
	{ MSG_INPUT, WIRE_F_PAIR, MSG_RIGHT_CONTROL, false, input_take },
	{ MSG_CLIPBOARD, WIRE_F_PAIR, MSG_RIGHT_CLIPBOARD, false, clipboard_take },
	{ MSG_CHAT, WIRE_F_PAIR, 0, true, chat_take },
	{ MSG_UPDATE_REQ, WIRE_F_PAIR, 0, true, video_take_update_req },
	{ MSG_BYE, WIRE_F_PAIR, 0, true, session_take_bye },
};

const size_t master_channels_count = sizeof(master_channels) / sizeof(master_channels[0]);
