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
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "clock.h"
#include "handshake.h"
#include "msg.h"
#include "net.h"
#include "sec.h"
#include "wire.h"

enum {
	CONNECT_MS = 5000,
	STEP_MS = 20000,        /* a handshake, or the host's answer */
	CONTINUE_MS = 30000,
	ANSWER_MS = 5000,
};

/* One connection: the relayed one, a filler, or the direct one. */
struct peer {
	int fd;
	struct buf in;
	struct wire_welcome w;
	struct sec_tx tx;
	struct sec_rx rx;
	bool closed;
};

static struct sec_policy pol;
static uint8_t pt[WIRE_BODY_MAX_BYTES];

static void
die(const char *what)
{
	fprintf(stderr, "upgrade_peer: %s\n", what);
	exit(1);
}

static void
say(const char *what)
{
	printf("%s\n", what);
	fflush(stdout);
}

static void
send_frame(struct peer *p, uint8_t type, uint8_t flags, const struct buf *body)
{
	struct wire_hdr h = { .type = type, .flags = flags, .slot = WIRE_SLOT_MASTER };
	struct buf out;

	buf_init(&out, WIRE_HEADER_LEN + 4096);
	if (wire_put(&out, &h, body != NULL ? buf_ptr(body) : NULL,
	    body != NULL ? buf_len(body) : 0) != 0)
		die("cannot encode a frame");
	if (send(p->fd, buf_ptr(&out), buf_len(&out), MSG_NOSIGNAL) != (ssize_t)buf_len(&out))
		p->closed = true;
	buf_release(&out);
}

/* The next frame within wait_ms: 1, 0 on timeout, -1 when the stream ended. */
static int
next_frame(struct peer *p, struct wire_hdr *h, struct buf *body, int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		uint64_t now;
		size_t got;
		int r = wire_next(&p->in, WIRE_BODY_MAX_BYTES, h, body);

		if (r == 0) {
			if (h->type == WIRE_PING)
				send_frame(p, WIRE_PONG, 0, NULL);
			return 1;
		}
		if (r != ERR_INCOMPLETE)
			die("bad frame");
		now = mono_ms();
		if (now >= until || poll(&pf, 1, (int)(until - now)) <= 0)
			return 0;
		if (buf_read_fd(&p->in, p->fd, 64 << 10, &got) != 0 || got == 0) {
			p->closed = true;
			return wire_next(&p->in, WIRE_BODY_MAX_BYTES, h, body) == 0 ? 1 : -1;
		}
	}
}

static void
join(struct peer *p, const char *addr, uint32_t session, const char *name)
{
	struct wire_hello hello = { .version = WIRE_VERSION, .role = WIRE_ROLE_VIEWER,
		.session = session };
	struct wire_hdr h;
	struct buf body, out;
	char host[256], why[128];
	uint16_t port;

	memset(p, 0, sizeof(*p));
	buf_init(&p->in, 2 * (WIRE_HEADER_LEN + WIRE_BODY_MAX_BYTES));
	if (net_split_hostport(addr, RELAY_PORT_DEFAULT, host, sizeof(host), &port) != 0)
		die("an address wants HOST:PORT");
	if ((p->fd = net_connect(host, port, CONNECT_MS, why, sizeof(why))) < 0)
		die(why);
	snprintf(hello.name, sizeof(hello.name), "%s", name);
	buf_init(&out, 256);
	if (wire_hello_encode(&out, &hello) != 0)
		die("cannot encode HELLO");
	send_frame(p, WIRE_HELLO, 0, &out);
	buf_release(&out);
	if (next_frame(p, &h, &body, CONNECT_MS) != 1 || h.type != WIRE_WELCOME ||
	    wire_welcome_decode(&body, &p->w) != 0)
		die("no WELCOME");
}

static void
leave(struct peer *p)
{
	close(p->fd);
	buf_release(&p->in);
	p->fd = -1;
}

/*
 * Run the viewer's half of the handshake over prs. With hold, the
 * confirmation is left in *held instead of sent. The result in *res.
 */
static void
handshake(struct peer *p, const char *prs, const char *name, struct buf *held,
    struct hs_result *res)
{
	struct hs hs;
	uint64_t until = mono_ms() + STEP_MS;

	for (;;) {
		struct wire_hdr h;
		struct buf body, raw, out;
		struct msg m;
		uint64_t now = mono_ms();

		if (now >= until || next_frame(p, &h, &body, (int)(until - now)) != 1)
			die("the handshake did not finish");
		if (h.type != WIRE_DATA || h.flags != WIRE_F_HANDSHAKE)
			continue;
		raw = body;
		if (msg_decode(&body, &m) != 0)
			die("undecodable handshake message");
		buf_init(&out, 1024);
		if (m.type == MSG_HS_OFFER) {
			struct hs_bind b = { p->w.session, p->w.session_uid, p->w.slot };

			hs_viewer_start(&hs, &b, prs, MSG_SUITES_ALL, name);
			if (hs_viewer_on_offer(&hs, &raw, &m.u.offer, &out) != 0)
				die("cannot answer the OFFER");
			send_frame(p, WIRE_DATA, WIRE_F_HANDSHAKE, &out);
		} else if (m.type == MSG_HS_REPLY) {
			if (hs_viewer_on_reply(&hs, &m.u.reply, &out) != 0)
				die("the host's reply does not verify");
			if (held != NULL) {
				if (buf_put_bytes(held, buf_ptr(&out), buf_len(&out)) != 0)
					die("cannot hold the confirmation");
			} else {
				send_frame(p, WIRE_DATA, WIRE_F_HANDSHAKE, &out);
			}
			sec_tx_init(&p->tx, hs.res.suite, hs.res.key_vm, &pol, mono_ms());
			sec_rx_init(&p->rx, hs.res.suite, hs.res.key_mv, true, &pol, mono_ms());
			*res = hs.res;
			buf_release(&out);
			hs_clear(&hs);
			return;
		} else if (m.type == MSG_HS_ABORT) {
			die("the host aborted the handshake");
		}
		buf_release(&out);
	}
}

/* The next pairwise message within wait_ms: 1, 0 on timeout, -1 at the end. */
static int
next_msg(struct peer *p, struct msg *m, int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		struct wire_hdr h;
		struct buf body, b;
		uint64_t now = mono_ms();
		size_t n;
		int r = next_frame(p, &h, &body, now >= until ? 0 : (int)(until - now));

		if (r <= 0)
			return r;
		if (h.type == WIRE_DATA && h.flags == WIRE_F_HANDSHAKE) {
			buf_view(&b, buf_ptr(&body), buf_len(&body));
			if (msg_decode(&b, m) == 0 && m->type == MSG_HS_ABORT)
				return 1;
			continue;
		}
		if (h.type != WIRE_DATA || (h.flags & WIRE_F_KEY_MASK) != WIRE_F_PAIR)
			continue;
		if (sec_open(&p->rx, &h, &body, pt, sizeof(pt), &n, mono_ms()) != 0)
			die("a record from the host does not open");
		buf_view(&b, pt, n);
		if (msg_decode(&b, m) != 0)
			die("undecodable message from the host");
		return 1;
	}
}

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
	char line[128], token[HS_PRS_MAX + 1], hint[MSG_NAME_MAX + 1];
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
	sec_policy_default(&pol);

	/* An honest viewer first: the code, the host's answer. */
	join(&rel, relay, session, name);
	handshake(&rel, code, name, NULL, &res);
	until = mono_ms() + STEP_MS;
	do {
		if (mono_ms() >= until || next_msg(&rel, &m, STEP_MS) != 1)
			die("no ACCEPT from the host");
	} while (m.type != MSG_ACCEPT);
	snprintf(line, sizeof(line), "allowed rights=0x%02x slot=%u", m.u.accept.rights,
	    rel.w.slot);
	say(line);

	/* The upgrade over our own token, all but the confirmation. */
	snprintf(hint, sizeof(hint), "upgrade:%u", rel.w.slot);
	join(&dir, lan, session, hint);
	hs_direct_prs(&res, token);
	buf_init(&held, 256);
	handshake(&dir, token, name, &held, &dres);
	say("upgrade-ready");

	/* Our relayed slot goes; the relay's rotation comes round to it. */
	leave(&rel);
	say("left the relay");
	for (unsigned i = 0; i < k; i++) {
		join(&fill, relay, session, "filler");
		leave(&fill);
	}
	snprintf(line, sizeof(line), "filled %u", k);
	say(line);

	until = mono_ms() + CONTINUE_MS;
	while (stat(when, &st) != 0) {
		if (mono_ms() >= until)
			die("--continue-when never appeared");
		usleep(20000);
	}
	send_frame(&dir, WIRE_DATA, WIRE_F_HANDSHAKE, &held);
	for (;;) {
		r = next_msg(&dir, &m, ANSWER_MS);
		if (r == 0) {
			say("direct timeout");
			break;
		}
		if (r < 0) {
			say("direct closed");
			break;
		}
		if (m.type == MSG_ACCEPT) {
			snprintf(line, sizeof(line), "direct allowed rights=0x%02x",
			    m.u.accept.rights);
			say(line);
			break;
		}
		if (m.type == MSG_BYE || m.type == MSG_HS_ABORT) {
			snprintf(line, sizeof(line), "direct %s reason=%u",
			    m.type == MSG_BYE ? "bye" : "aborted",
			    m.type == MSG_BYE ? m.u.bye.reason : m.u.abort_reason);
			say(line);
			break;
		}
	}
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&res, sizeof(res));
	sodium_memzero(&dres, sizeof(dres));
	buf_release(&held);
	return 0;
}
