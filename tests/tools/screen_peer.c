/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen_peer - a viewer the host allowed that keeps what it is given
 * for later misuse. It unwraps each session key as every allowed viewer
 * does, derives its own screen key from it, and hands both to whoever runs
 * the relay (t_screen_forge's tamper proxy, mode forge-screen) through a
 * file: what an allowed viewer working with a hostile relay holds. It
 * prints each file-drop grant the host passes it (t_drop_revoke: the
 * grant a viewer keeps after the host removed it).
 *
 *   screen_peer --relay HOST:PORT --session N --code C [--key-file PATH]
 *               [--name NAME] [--hold S]
 *
 * The file, replaced whole at every KEY: "SUITE EPOCH SESSION-KEY
 * SCREEN-KEY\n" (numbers in decimal, keys in hex). Output, one line each:
 * "allowed rights=0xRR slot=S", "key epoch=E" for every KEY, and "own
 * screen opened epoch=E" once its own screen records of epoch E open
 * under the screen key it derived (the proof that the keys it hands on
 * are the real ones), "drop-grant HEX" for every DROP_GRANT. It stays
 * connected --hold S seconds (default 30), or until the host or the
 * relay ends the connection ("ended": exit 0 all the same).
 * Exit 0 when it ran, 1 when it could not.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define PEER_TOOL "screen_peer"
#include "peer_conn.h"

enum {
	STEP_MS = 20000,        /* the host's answer */
	HOLD_S_DEFAULT = 30,
};

static struct peer rel;
static struct hs_result res;
static struct sec_policy pol;
static struct sec_rx screen_rx;         /* our own screen stream */
static uint32_t epoch, opened_epoch;
static uint8_t *screen_pt;

static void
on_screen(const struct wire_hdr *h, const struct buf *body)
{
	size_t n;

	if (!screen_rx.ready || opened_epoch == epoch)
		return;
	if (sec_open(&screen_rx, h, body, screen_pt, WIRE_BODY_MAX_BYTES, &n, mono_ms()) != 0)
		die("our own screen record does not open under the key we derived");
	opened_epoch = epoch;
	event("own screen opened epoch=%u", epoch);
}

/* Unwrap the session key, derive ours, and hand both on (whole: a reader
 * never sees half a file). */
static void
take_key(const struct msg_key *k, const char *path)
{
	uint8_t skey[SEC_KEY_LEN], screen_key[SEC_KEY_LEN];
	char hex_s[2 * SEC_KEY_LEN + 1], hex_k[2 * SEC_KEY_LEN + 1], tmp[4096];
	FILE *f;

	if (sec_unwrap_key(skey, k->sealed, res.viewer_pk, rel.box_sk) != 0)
		die("the session key does not unwrap");
	sec_screen_key(screen_key, skey, res.key_screen);
	sec_rx_init(&screen_rx, k->suite, screen_key, &pol, mono_ms());
	epoch = k->epoch;
	event("key epoch=%u", k->epoch);
	if (path == NULL) {
		sodium_memzero(skey, sizeof(skey));
		sodium_memzero(screen_key, sizeof(screen_key));
		return;
	}
	sodium_bin2hex(hex_s, sizeof(hex_s), skey, sizeof(skey));
	sodium_bin2hex(hex_k, sizeof(hex_k), screen_key, sizeof(screen_key));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		die("cannot write the key file");
	fprintf(f, "%u %u %s %s\n", k->suite, k->epoch, hex_s, hex_k);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		die("cannot write the key file");
	sodium_memzero(skey, sizeof(skey));
	sodium_memzero(screen_key, sizeof(screen_key));
}

static void
take_grant(const struct msg_drop_grant *g)
{
	char hex[2 * WIRE_DROP_GRANT_MAX + 1];

	if (buf_len(&g->grant) > WIRE_DROP_GRANT_MAX)
		die("a drop grant over its limit");
	sodium_bin2hex(hex, sizeof(hex), buf_ptr(&g->grant), buf_len(&g->grant));
	event("drop-grant %s", hex);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "session", required_argument, NULL, 's' },
		{ "code", required_argument, NULL, 'c' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "hold", required_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *relay = NULL, *code = NULL, *key_file = NULL, *name = "speaker";
	unsigned hold_s = HOLD_S_DEFAULT;
	uint32_t session = 0;
	uint64_t until;
	struct msg m;
	int o, r;

	while ((o = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (o) {
		case 'r': relay = optarg; break;
		case 's': session = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'c': code = optarg; break;
		case 'k': key_file = optarg; break;
		case 'n': name = optarg; break;
		case 'h': hold_s = (unsigned)strtoul(optarg, NULL, 10); break;
		default: die("usage: see the comment at the top of screen_peer.c");
		}
	}
	if (relay == NULL || code == NULL || sodium_init() < 0 ||
	    (screen_pt = malloc(WIRE_BODY_MAX_BYTES)) == NULL)
		die("usage: see the comment at the top of screen_peer.c");
	sec_policy_default(&pol);

	peer_join(&rel, relay, session, name);
	peer_handshake(&rel, code, name, NULL, &res);
	rel.on_screen = on_screen;
	event("allowed rights=0x%02x slot=%u", peer_wait_accept(&rel, STEP_MS), rel.w.slot);
	until = mono_ms() + (uint64_t)hold_s * 1000;
	for (;;) {
		uint64_t now = mono_ms();

		if (now >= until)
			break;
		if ((r = peer_next_msg(&rel, &m, (int)(until - now))) < 0)
			break;
		if (r == 1 && m.type == MSG_KEY)
			take_key(&m.u.key, key_file);
		if (r == 1 && m.type == MSG_DROP_GRANT)
			take_grant(&m.u.drop_grant);
		if (r == 1 && m.type == MSG_BYE)
			break;
	}
	event("%s", mono_ms() >= until ? "held" : "ended");
	sec_rx_clear(&screen_rx);
	sodium_memzero(&res, sizeof(res));
	peer_leave(&rel);
	free(screen_pt);
	return 0;
}
