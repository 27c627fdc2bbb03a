/* SPDX-License-Identifier: Apache-2.0 */
/*
 * peer_conn.h - one viewer connection written by hand from docs/PROTOCOL.md,
 * shared by the test tools file_peer, upgrade_peer and screen_peer: connect to a relay
 * (or a host's direct address), send HELLO, run the viewer's half of the
 * handshake (proto/handshake.h), wait for the host's ACCEPT, and send and
 * receive frames and sealed pairwise messages. The tools are hostile or
 * unusual viewers; this is the honest part they have in common.
 *
 * A header of static functions: each tool includes it once, after it
 * defines PEER_TOOL (its name, for its error lines). The tools print their
 * output lines with event() (endpoint/event.h), as master and viewer do.
 */
#ifndef TESTS_TOOLS_PEER_CONN_H
#define TESTS_TOOLS_PEER_CONN_H

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "clock.h"
#include "event.h"
#include "handshake.h"
#include "msg.h"
#include "net.h"
#include "sec.h"
#include "wire.h"

#ifndef PEER_TOOL
#error "define PEER_TOOL (the tool's name) before including peer_conn.h"
#endif

enum {
	PEER_CONNECT_MS = 5000,         /* the TCP connect, and the WELCOME after HELLO */
	PEER_HANDSHAKE_MS = 20000,      /* the host may be busy with others */
	/* Unread bytes a connection may hold: a whole frame of the largest
	 * size behind one not yet complete, with room to spare. */
	PEER_IN_MAX_BYTES = 4 << 20,
};

/* One connection: its socket, what came and is not yet a frame, the relay's
 * WELCOME, the pairwise keys once the handshake is done. */
struct peer {
	int fd;
	struct buf in;
	struct wire_welcome w;
	struct sec_tx tx;
	struct sec_rx rx;
	uint8_t *pt;            /* an opened record: the messages of peer_next_msg borrow it */
	bool closed;            /* the stream ended, or a send failed */
	/* The X25519 secret the host seals the session key to (screen_peer
	 * unwraps it; the others ignore it). */
	uint8_t box_sk[SEC_BOX_SK_LEN];
	/* A screen record from the host (peer_next_msg); NULL: skipped. */
	void (*on_screen)(const struct wire_hdr *h, const struct buf *body);
	/* What the tool makes of a relay's ERROR (eb NULL when it does not
	 * decode) and of the stream's end in peer_next_msg; NULL: nothing.
	 * peer_join clears them: set them after it. */
	void (*on_error)(const struct wire_error_body *eb);
	void (*on_end)(void);
};

static void
die(const char *what)
{
	fprintf(stderr, PEER_TOOL ": %s\n", what);
	exit(1);
}

static void
peer_send_raw(struct peer *p, const struct buf *b)
{
	size_t off = 0;

	while (off < buf_len(b)) {
		ssize_t n = send(p->fd, buf_ptr(b) + off, buf_len(b) - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* The host may have ended the stream already: that is an
			 * answer, not a failure of the tool. */
			p->closed = true;
			return;
		}
		off += (size_t)n;
	}
}

static void
peer_send_frame(struct peer *p, uint8_t type, uint8_t flags, const struct buf *body)
{
	struct wire_hdr h = { .type = type, .flags = flags, .slot = WIRE_SLOT_MASTER };
	struct buf out;

	buf_init(&out, WIRE_HEADER_LEN + WIRE_BODY_MAX_BYTES);
	if (wire_put(&out, &h, body != NULL ? buf_ptr(body) : NULL,
	    body != NULL ? buf_len(body) : 0) != 0)
		die("cannot encode a frame");
	peer_send_raw(p, &out);
	buf_release(&out);
}

/* One message sealed on the pairwise stream, as viewer/peer.c sends.
 * (upgrade_peer sends none.) */
static void __attribute__((unused))
peer_send_pair(struct peer *p, const struct buf *msg)
{
	struct buf out;

	if (p->closed)
		return;
	buf_init(&out, WIRE_HEADER_LEN + WIRE_BODY_MAX_BYTES);
	if (sec_seal(&p->tx, WIRE_F_PAIR, WIRE_SLOT_MASTER, buf_ptr(msg), buf_len(msg), &out,
	    mono_ms()) != 0)
		die("cannot seal a record");
	peer_send_raw(p, &out);
	buf_release(&out);
}

/* The next frame within wait_ms: 1, 0 on timeout, -1 when the stream ended.
 * A PING is answered here: the relay drops a viewer that does not. */
static int
peer_next_frame(struct peer *p, struct wire_hdr *h, struct buf *body, int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		uint64_t now;
		size_t got;
		int r = wire_next(&p->in, WIRE_BODY_MAX_BYTES, h, body);

		if (r == 0) {
			if (h->type == WIRE_PING)
				peer_send_frame(p, WIRE_PONG, 0, NULL);
			return 1;
		}
		if (r != ERR_INCOMPLETE)
			die("a frame does not parse");
		now = mono_ms();
		if (now >= until || poll(&pf, 1, (int)(until - now)) <= 0)
			return 0;
		if (buf_read_fd(&p->in, p->fd, 64 << 10, &got) != 0 || got == 0) {
			p->closed = true;
			/* Whole frames read before the end still count. */
			if (wire_next(&p->in, WIRE_BODY_MAX_BYTES, h, body) == 0)
				return 1;
			return -1;
		}
	}
}

/* Connect to addr (HOST:PORT), say HELLO as a viewer named name, and take
 * the WELCOME into p->w. Any failure ends the tool. */
static void
peer_join(struct peer *p, const char *addr, uint32_t session, const char *name)
{
	struct wire_hello hello = { .version = WIRE_VERSION, .role = WIRE_ROLE_VIEWER,
		.session = session };
	struct wire_hdr h;
	struct buf body, out;
	char host[256], why[128];
	uint16_t port;

	memset(p, 0, sizeof(*p));
	buf_init(&p->in, PEER_IN_MAX_BYTES);
	if ((p->pt = malloc(WIRE_BODY_MAX_BYTES)) == NULL)
		die("out of memory");
	if (net_split_hostport(addr, RELAY_PORT_DEFAULT, host, sizeof(host), &port) != 0)
		die("an address wants HOST:PORT");
	if ((p->fd = net_connect(host, port, PEER_CONNECT_MS, why, sizeof(why))) < 0)
		die(why);
	snprintf(hello.name, sizeof(hello.name), "%s", name);
	buf_init(&out, 256);
	if (wire_hello_encode(&out, &hello) != 0)
		die("cannot encode HELLO");
	peer_send_frame(p, WIRE_HELLO, 0, &out);
	buf_release(&out);
	if (peer_next_frame(p, &h, &body, PEER_CONNECT_MS) != 1 || h.type != WIRE_WELCOME ||
	    wire_welcome_decode(&body, &p->w) != 0)
		die("no WELCOME");
}

/* Close the connection and wipe its keys. */
static void
peer_leave(struct peer *p)
{
	sodium_memzero(p->box_sk, sizeof(p->box_sk));
	sec_tx_clear(&p->tx);
	sec_rx_clear(&p->rx);
	close(p->fd);
	p->fd = -1;
	buf_release(&p->in);
	free(p->pt);
	p->pt = NULL;
}

/*
 * Run the viewer's half of the handshake over prs (the session code, or a
 * direct connection's token). With held, the confirmation is left there
 * instead of sent (upgrade_peer sends it later). The result in *res, the
 * pairwise keys in p. Any failure ends the tool.
 */
static void
peer_handshake(struct peer *p, const char *prs, const char *name, struct buf *held,
    struct hs_result *res)
{
	struct hs hs;
	struct sec_policy pol;
	uint64_t until = mono_ms() + PEER_HANDSHAKE_MS;

	for (;;) {
		struct wire_hdr h;
		struct buf body, raw, out;
		struct msg m;
		uint64_t now = mono_ms();

		if (now >= until || peer_next_frame(p, &h, &body, (int)(until - now)) != 1)
			die("the handshake did not finish");
		if (h.type == WIRE_ERROR) {
			struct wire_error_body eb;

			if (wire_error_decode(&body, &eb) == 0)
				fprintf(stderr, PEER_TOOL ": relay error %u: %s\n", eb.code,
				    eb.text);
			die("the relay refused");
		}
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
			peer_send_frame(p, WIRE_DATA, WIRE_F_HANDSHAKE, &out);
		} else if (m.type == MSG_HS_REPLY) {
			if (hs_viewer_on_reply(&hs, &m.u.reply, &out) != 0)
				die("the host's reply does not verify (wrong code?)");
			if (held != NULL) {
				if (buf_put_bytes(held, buf_ptr(&out), buf_len(&out)) != 0)
					die("cannot hold the confirmation");
			} else {
				peer_send_frame(p, WIRE_DATA, WIRE_F_HANDSHAKE, &out);
			}
			sec_policy_default(&pol);
			sec_tx_init(&p->tx, hs.res.suite, hs.res.key_vm, &pol, mono_ms());
			sec_rx_init(&p->rx, hs.res.suite, hs.res.key_mv, &pol, mono_ms());
			*res = hs.res;
			memcpy(p->box_sk, hs.box_sk, sizeof(p->box_sk));
			buf_release(&out);
			hs_clear(&hs);
			return;
		} else if (m.type == MSG_HS_ABORT) {
			fprintf(stderr, PEER_TOOL ": %s\n", msg_abort_str(m.u.abort_reason));
			die("the host aborted the handshake");
		}
		buf_release(&out);
	}
}

/*
 * The next message from the host within wait_ms: 1 with it in *m (borrowing
 * p->pt), 0 on timeout, -1 when the stream ended. A message is a pairwise
 * one, or the host's ABORT on the handshake channel (how it refuses a
 * confirmation). Screen records go to p->on_screen, unopened.
 */
static int
peer_next_msg(struct peer *p, struct msg *m, int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;

	for (;;) {
		struct wire_hdr h;
		struct buf body, b;
		uint64_t now = mono_ms();
		size_t n;
		int r = peer_next_frame(p, &h, &body, now >= until ? 0 : (int)(until - now));

		if (r == 0)
			return 0;
		if (r < 0) {
			if (p->on_end != NULL)
				p->on_end();
			return -1;
		}
		if (h.type == WIRE_ERROR) {
			struct wire_error_body eb;

			if (p->on_error != NULL)
				p->on_error(wire_error_decode(&body, &eb) == 0 ? &eb : NULL);
			continue;       /* the relay closes after it */
		}
		if (h.type == WIRE_DATA && h.flags == WIRE_F_HANDSHAKE) {
			buf_view(&b, buf_ptr(&body), buf_len(&body));
			if (msg_decode(&b, m) == 0 && m->type == MSG_HS_ABORT)
				return 1;
			continue;
		}
		if (h.type == WIRE_DATA && (h.flags & WIRE_F_KEY_MASK) == WIRE_F_SESSION &&
		    p->on_screen != NULL)
			p->on_screen(&h, &body);
		if (h.type != WIRE_DATA || (h.flags & WIRE_F_KEY_MASK) != WIRE_F_PAIR)
			continue;
		if (sec_open(&p->rx, &h, &body, p->pt, WIRE_BODY_MAX_BYTES, &n, mono_ms()) != 0)
			die("a record from the host does not open");
		buf_view(&b, p->pt, n);
		if (msg_decode(&b, m) != 0)
			die("undecodable message from the host");
		return 1;
	}
}

/* Wait up to wait_ms for the host's ACCEPT; its rights. A BYE first, the
 * stream's end or no answer in time ends the tool. */
static uint8_t
peer_wait_accept(struct peer *p, int wait_ms)
{
	uint64_t until = mono_ms() + (uint64_t)wait_ms;
	struct msg m;

	for (;;) {
		uint64_t now = mono_ms();

		if (now >= until || peer_next_msg(p, &m, (int)(until - now)) != 1)
			die("no ACCEPT from the host");
		if (m.type == MSG_ACCEPT)
			return m.u.accept.rights;
		if (m.type == MSG_BYE) {
			fprintf(stderr, PEER_TOOL ": %s\n", msg_abort_str(m.u.bye.reason));
			die("the host said BYE before ACCEPT");
		}
	}
}

#endif
