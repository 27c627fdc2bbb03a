/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link.h - a client's connection to the relay, or to a master that plays
 * the relay's part (--lan, PROTOCOL.md section 6): connect, HELLO/WELCOME,
 * then buffered non-blocking frame I/O for one poll() loop.
 *
 * The bodies handed out by link_next() borrow the input buffer until the
 * next link_fill() or link_next().
 *
 * The bytes go through a transport (transport.h): with opts NULL (tools)
 * the tcp tier; otherwise the tier opts names (TRANSPORT_DIRECT for a
 * master's address), or with TRANSPORT_AUTO a race of the relay tiers.
 * The relay may be a list of relays (relay_list.h), which race too.
 * Whatever the tier, a main loop waits with
 *   n = link_pollfds(l, p, LINK_POLLFDS_MAX, &timeout_ms);  poll(...);
 *   link_service(l);   (always: curl has timers, TLS may hold bytes)
 * then link_next() and link_flush() as before.
 */
#ifndef NET_LINK_H
#define NET_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "transport.h"
#include "wire.h"

enum { LINK_POLLFDS_MAX = TRANSPORT_POLLFDS_MAX };

struct link {
	int fd;                         /* the stream's socket (tcp, tls, proxy, direct),
	                                 * else -1; only tcp and direct may be read or
	                                 * written directly */
	struct transport *t;            /* NULL while closed */
	const struct transport_opts *opts; /* set by the caller; NULL: the tcp tier */
	struct buf in, out;
	size_t body_max;                /* what the relay accepts from us, and we from it */
	struct wire_welcome welcome;
	uint16_t error_code;            /* the relay's ERROR code, if it sent one */
	/* A master resuming: set before link_open, which then asks for
	 * session with this ticket (from an earlier WELCOME's). */
	bool resume;
	uint8_t ticket[WIRE_TICKET_LEN];
	/* Set before link_open, or "": the relay to try before the others
	 * ("HOST[:PORT]", in the list or not), such as where an earlier
	 * connection ended up (relay_used). */
	char relay_first[CLIENT_RELAY_TEXT_MAX + 1];
	/* After link_open reached a relay: which, "HOST[:PORT]" (the list's
	 * entry, or the relay a REDIRECT named): to reconnect there. */
	char relay_used[CLIENT_RELAY_TEXT_MAX + 1];
	uint64_t bytes_in;              /* received since link_open */
	uint64_t ping_sent_ms;          /* 0: no PING waiting for its PONG */
	uint64_t heard_ms;              /* when the last bytes came (or link_open ended) */
	/* For link_silent: the count of fd's bytes acknowledged once the
	 * PING has reached the peer (0: unknown), and the last count seen. */
	uint64_t ping_acked_due, acked_seen;
	unsigned rtt_ms;                /* the last PING's round trip to the relay */
	int ended;                      /* how the transport ended, held back while
	                                 * whole frames read before it wait */
	char why[256];                  /* why the last call failed, for people */
	/* file drop: the upload grant of the last WELCOME (opaque bytes, sent
	 * as hex in X-Fernsicht-Grant to l->relay_used's /v1/drop/new), or
	 * drop_grant_len 0 when that relay keeps no drop */
	uint8_t drop_grant[WIRE_DROP_GRANT_MAX];
	size_t drop_grant_len;
	/* session-creation tokens: set before link_open, or "": a
	 * master opening a session sends it in HELLO (a resume needs none) */
	char token[WIRE_TOKEN_MAX + 1];
};

void link_init(struct link *l);
/*
 * Connect to relay "host[:port]", send HELLO and wait for WELCOME, all
 * within timeout_ms. Without a port, the tier's own (transport_kind_port:
 * RELAY_PORT_DEFAULT for tcp and direct, TRANSPORT_TLS_PORT for the
 * others). With TRANSPORT_AUTO, tcp starts first (or the tier that won
 * last time on this network), the next one after TRANSPORT_RACE_MS or as
 * soon as one running failed; the first WELCOME (or relay ERROR) wins,
 * each failed attempt is logged once, and the winner is remembered.
 *
 * relay may be a list "a,b,c" (relay_list.h); a name with several
 * addresses counts as several relays. They race on their first tier (the
 * one remembered for each, else tcp), CLIENT_RELAY_RACE_MS apart or at
 * once when one failed: l->relay_first first, then the relay that won
 * last time on this network for this list (remembered like the tiers),
 * then the list's order. Only then, with auto, the other tiers race, each
 * for every relay of the list by name, TRANSPORT_RACE_MS after the tier
 * before. At most CLIENT_RELAY_ADDRS_MAX + (CLIENT_RELAYS_MAX + 1) *
 * (TRANSPORT_TIERS - 1) attempts, each ended once it failed.
 *
 * A relay may answer REDIRECT instead (the session is on another relay
 * of its cluster): then the same HELLO goes once to the relay it names,
 * on the same tier with the same options, within the same timeout. A
 * second REDIRECT is an error. l->relay_used says where the link ended
 * up. The relay tier in use is logged when opts chose it (direct is not).
 * On failure l->why says why; a relay's ERROR sets l->error_code and
 * returns ERR_PROTOCOL.
 */
int link_open(struct link *l, const char *relay, uint8_t role, uint32_t session,
    const char *name, int timeout_ms) WUR;
void link_close(struct link *l);
/* Queue one frame. ERR_NO_SPACE when the output queue is full. */
int link_send(struct link *l, uint8_t type, uint8_t flags, uint16_t slot,
    const void *body, size_t n) WUR;
/* Write what the socket takes now. ERR_CLOSED / ERR_SYSTEM when it broke. */
int link_flush(struct link *l) WUR;
bool link_want_write(const struct link *l);
size_t link_queued(const struct link *l);
/* Read what the socket has now. ERR_CLOSED on end of stream, but only
 * once no whole frame read before it waits: what the relay said before
 * closing (an ERROR saying why) is taken first. */
int link_fill(struct link *l) WUR;
/* What to poll for (at most LINK_POLLFDS_MAX entries); may lower *timeout_ms. */
int link_pollfds(struct link *l, struct pollfd *p, int max, int *timeout_ms);
/* After every poll(), whatever fired: move the transport on, then link_fill(). */
int link_service(struct link *l) WUR;
/* The transport in use ("tcp", "tls", "proxy", "http", "direct"), or "none". */
const char *link_transport(const struct link *l);
/* The next whole frame, or ERR_INCOMPLETE; ERR_TOO_LARGE for an oversize one. */
int link_next(struct link *l, struct wire_hdr *h, struct buf *body) WUR;
/* A whole frame already waits in the buffer (read along with an earlier
 * one): do not sleep in poll before taking it. */
bool link_has_frame(const struct link *l);
/* Block (poll) until the output queue is written and acknowledged (by the
 * tunnel, or by the peer's TCP) or timeout_ms passes. */
int link_drain(struct link *l, int timeout_ms) WUR;
/* How often to PING so that the relay's idle timeout (from WELCOME) never
 * fires on a quiet but live connection. */
uint64_t link_ping_ms(const struct link *l);
/*
 * The path went silent: a PING unanswered and nothing at all heard for
 * two PING intervals. TCP reports a path that died in silence (a cable
 * pulled, a Wi-Fi gone, a NAT that forgot us) only when its retries run
 * out, about a quarter of an hour later; a screen that stays still for
 * that long looks like a host doing nothing. Bytes still coming (a busy
 * but slow line, where the PONG waits behind them) keep the link alive,
 * and so do our own bytes still being acknowledged (a slow uplink, where
 * the PING itself waits behind a screen's worth of data).
 */
bool link_silent(struct link *l, uint64_t now_ms);

#endif
