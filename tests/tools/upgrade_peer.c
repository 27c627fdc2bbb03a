/* SPDX-License-Identifier: Apache-2.0 */
/*
 * upgrade_peer - a viewer the host allowed (view only, say) that wants
 * more: it starts a direct-connection upgrade over its own token, holds
 * the last message, leaves the relay, and lets the relay hand its old
 * slot to the next viewer before it confirms. The host must not give it
 * the newcomer's rights nor send the newcomer away as "moved".
 *
 *   upgrade_peer --relay HOST:PORT --session N --code C --lan HOST:PORT
 *                --continue-when PATH [--fill K] [--name NAME]
 *
 * --fill K joins the relay K times more and leaves at once (no INIT, so
 * no guess), which walks the relay's slot rotation round to the slot this
 * viewer had. Output, one line each: "allowed rights=0xRR slot=S",
 * "upgrade-ready", "left the relay", "filled K", then after PATH exists
 * and the confirmation went out, one of "direct allowed rights=0xRR",
 * "direct bye reason=N", "direct aborted reason=N", "direct closed",
 * "direct timeout". Exit 0 when the exchange ran, 1 when the tool could not.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#define PEER_TOOL "upgrade_peer"
#include "peer_conn.h"

enum {
	STEP_MS = 20000,        /* the host's answer */
	CONTINUE_MS = 30000,
	ANSWER_MS = 5000,
};

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "session", required_argument, NULL, 's' },
		{ "code", required_argument, NULL, 'c' },
		{ "lan", required_argument, NULL, 'l' },
		{ "continue-when", required_argument, NULL, 'w' },
		{ "fill", required_argument, NULL, 'f' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *relay = NULL, *code = NULL, *lan = NULL, *when = NULL, *name = "upgrader";
	char token[HS_PRS_MAX + 1], hint[MSG_NAME_MAX + 1];
	struct peer rel, dir, fill;
	struct hs_result res, dres;
	struct buf held;
	struct msg m;
	struct stat st;
	uint32_t session = 0;
	unsigned k = 0;
	uint64_t until;
	int o, r;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'r': relay = optarg; break;
		case 's': session = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'c': code = optarg; break;
		case 'l': lan = optarg; break;
		case 'w': when = optarg; break;
		case 'f': k = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': name = optarg; break;
		default: die("usage: see the comment at the top of upgrade_peer.c");
		}
	}
	if (relay == NULL || code == NULL || lan == NULL || when == NULL || sodium_init() < 0)
		die("usage: see the comment at the top of upgrade_peer.c");

	/* An honest viewer first: the code, the host's answer. */
	peer_join(&rel, relay, session, name);
	peer_handshake(&rel, code, name, NULL, &res);
	event("allowed rights=0x%02x slot=%u", peer_wait_accept(&rel, STEP_MS), rel.w.slot);

	/* The upgrade over our own token, all but the confirmation. */
	snprintf(hint, sizeof(hint), "upgrade:%u", rel.w.slot);
	peer_join(&dir, lan, session, hint);
	hs_direct_prs(&res, token);
	buf_init(&held, 256);
	peer_handshake(&dir, token, name, &held, &dres);
	event("upgrade-ready");

	/* Our relayed slot goes; the relay's rotation comes round to it. */
	peer_leave(&rel);
	event("left the relay");
	for (unsigned i = 0; i < k; i++) {
		peer_join(&fill, relay, session, "filler");
		peer_leave(&fill);
	}
	event("filled %u", k);

	until = mono_ms() + CONTINUE_MS;
	while (stat(when, &st) != 0) {
		if (mono_ms() >= until)
			die("--continue-when never appeared");
		usleep(20000);
	}
	peer_send_frame(&dir, WIRE_DATA, WIRE_F_HANDSHAKE, &held);
	for (;;) {
		r = peer_next_msg(&dir, &m, ANSWER_MS);
		if (r == 0) {
			event("direct timeout");
			break;
		}
		if (r < 0) {
			event("direct closed");
			break;
		}
		if (m.type == MSG_ACCEPT) {
			event("direct allowed rights=0x%02x", m.u.accept.rights);
			break;
		}
		if (m.type == MSG_BYE || m.type == MSG_HS_ABORT) {
			event("direct %s reason=%u", m.type == MSG_BYE ? "bye" : "aborted",
			    m.type == MSG_BYE ? m.u.bye.reason : m.u.abort_reason);
			break;
		}
	}
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&res, sizeof(res));
	sodium_memzero(&dres, sizeof(dres));
	buf_release(&held);
	peer_leave(&dir);
	return 0;
}
