/* SPDX-License-Identifier: Apache-2.0 */
/* test_wire.c - relay frames: header, limits before buffering, bodies. */
#include <string.h>

#include "wire.h"
#include "test.h"

static void
frames(void)
{
	struct buf *b = buf_new(1 << 16), body, part;
	struct wire_hdr h = { .type = WIRE_DATA, .flags = WIRE_F_PAIR, .slot = 7, .seq = 42 }, g;
	uint8_t hdr[WIRE_HEADER_LEN];

	CHECK(wire_put(b, &h, "abc", 3) == 0);
	CHECK(buf_len(b) == WIRE_HEADER_LEN + 3);
	CHECK(memcmp(buf_ptr(b), "\0\0\0\3\4\2\0\7\0\0\0\0\0\0\0\x2A" "abc", 19) == 0);
	/* A partial frame consumes nothing. */
	buf_view(&part, buf_ptr(b), 18);
	CHECK_ERR(wire_next(&part, 100, &g, &body), ERR_INCOMPLETE);
	CHECK(buf_len(&part) == 18);
	CHECK(wire_next(b, 100, &g, &body) == 0);
	CHECK(g.len == 3 && g.type == WIRE_DATA && g.flags == WIRE_F_PAIR && g.slot == 7 &&
	    g.seq == 42 && buf_len(&body) == 3);
	/* The limit is checked from the header alone. */
	h.len = 1000;
	wire_hdr_pack(&h, hdr);
	buf_view(&part, hdr, sizeof(hdr));
	CHECK_ERR(wire_next(&part, 999, &g, &body), ERR_TOO_LARGE);
	h.len = 0xFFFFFFFF;
	wire_hdr_pack(&h, hdr);
	buf_view(&part, hdr, sizeof(hdr));
	CHECK_ERR(wire_next(&part, WIRE_BODY_MAX_BYTES, &g, &body), ERR_TOO_LARGE);
	buf_free(b);
}

static void
hello(void)
{
	struct buf *b = buf_new(256);
	struct wire_hello m = { .version = WIRE_VERSION, .role = WIRE_ROLE_VIEWER, .session = 12345 },
	    g;
	struct buf v;

	strcpy(m.name, "Support Desk");
	CHECK(wire_hello_encode(b, &m) == 0);
	CHECK(wire_hello_decode(b, &g) == 0);
	CHECK(g.role == WIRE_ROLE_VIEWER && g.session == 12345 && strcmp(g.name, "Support Desk") == 0);
	buf_view(&v, "FSHX\1\2\0\0\0\0\0\0", 12);
	CHECK(wire_hello_decode(&v, &g) != 0);
	buf_view(&v, "FSHT\1\3\0\0\0\0\0\0", 12);       /* no such role */
	CHECK(wire_hello_decode(&v, &g) != 0);
	buf_view(&v, "FSHT\1\1\0\0\0\0\0\0\0", 13);     /* trailing byte */
	CHECK(wire_hello_decode(&v, &g) != 0);
	buf_view(&v, "FSHT\1\1\0\0\0\0\0\1\x07", 13);   /* control char in name */
	CHECK(wire_hello_decode(&v, &g) != 0);
	buf_free(b);
}

/* A master resumes a number only with a ticket, and only a master has one. */
static void
hello_ticket(void)
{
	struct buf *b = buf_new(256);
	struct wire_hello m = { .version = WIRE_VERSION, .role = WIRE_ROLE_MASTER, .session = 12345,
		.has_ticket = true }, g;
	struct wire_welcome w = { .session = 54321, .slot = 0, .session_uid = 7,
		.body_max = 1 << 18, .idle_timeout_ms = 90000, .max_viewers = 16,
		.has_ticket = true }, wg;

	memset(m.ticket, 0xA5, sizeof(m.ticket));
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) == 0);
	CHECK(g.has_ticket && g.session == 12345 && memcmp(g.ticket, m.ticket, WIRE_TICKET_LEN) == 0);
	m.session = 0;                                  /* a ticket for no number */
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	m.session = 12345;
	m.has_ticket = false;                           /* a number without a ticket */
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	m.role = WIRE_ROLE_VIEWER;                      /* a viewer with a ticket */
	m.has_ticket = true;
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	/* a short ticket */
	CHECK(buf_put_bytes(b, "FSHT\1\1\0\0\x30\x39\0\0\0\3abc", 15) == 0);
	CHECK(wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	memset(w.ticket, 0x5A, sizeof(w.ticket));
	CHECK(wire_welcome_encode(b, &w) == 0 && wire_welcome_decode(b, &wg) == 0);
	CHECK(wg.has_ticket && memcmp(wg.ticket, w.ticket, WIRE_TICKET_LEN) == 0);
	w.has_ticket = false;
	CHECK(wire_welcome_encode(b, &w) == 0 && wire_welcome_decode(b, &wg) == 0 && !wg.has_ticket);
	buf_free(b);
}

/* A master's token: after an empty ticket when it opens a session, after
 * its ticket when it resumes; a viewer never has one; older bodies stay
 * valid. */
static void
hello_token(void)
{
	struct buf *b = buf_new(WIRE_PREAUTH_MAX_BYTES);
	struct wire_hello m = { .version = WIRE_VERSION, .role = WIRE_ROLE_MASTER }, g;
	char big[WIRE_TOKEN_MAX + 2];
	static const uint8_t body[] = "FSHT\1\1\0\0\0\0\0\1x\0\0\0\3a.b";

	strcpy(m.token, "fst1.abc_-DEF");
	CHECK(wire_hello_encode(b, &m) == 0);
	/* ... lv16 "", lv16 token */
	CHECK(buf_len(b) == 12 + 2 + 2 + 13 && buf_ptr(b)[12] == 0 && buf_ptr(b)[13] == 0);
	CHECK(wire_hello_decode(b, &g) == 0);
	CHECK(!g.has_ticket && g.session == 0 && strcmp(g.token, "fst1.abc_-DEF") == 0);
	buf_reset(b);
	m.session = 12345;                              /* resuming with both */
	m.has_ticket = true;
	memset(m.ticket, 0x11, sizeof(m.ticket));
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) == 0);
	CHECK(g.has_ticket && strcmp(g.token, m.token) == 0);
	buf_reset(b);
	m.session = 0;
	m.has_ticket = false;
	m.token[0] = '\0';                              /* no token: the old body */
	CHECK(wire_hello_encode(b, &m) == 0 && buf_len(b) == 12);
	CHECK(wire_hello_decode(b, &g) == 0 && g.token[0] == '\0');
	buf_reset(b);
	/* by hand: name "x", empty ticket, token "a.b" */
	CHECK(buf_put_bytes(b, body, sizeof(body) - 1) == 0);
	CHECK(wire_hello_decode(b, &g) == 0 && strcmp(g.token, "a.b") == 0 && !g.has_ticket);
	buf_reset(b);
	/* a viewer with a token */
	m.role = WIRE_ROLE_VIEWER;
	strcpy(m.token, "fst1.x");
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	/* a space, a control character, too long */
	m.role = WIRE_ROLE_MASTER;
	strcpy(m.token, "fst1 x");
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	strcpy(m.token, "fst1\x7f");
	CHECK(wire_hello_encode(b, &m) == 0 && wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	memset(big, 'a', sizeof(big));
	CHECK(buf_put_bytes(b, "FSHT\1\1\0\0\0\0\0\0\0\0\1\1", 16) == 0 &&
	    buf_put_bytes(b, big, WIRE_TOKEN_MAX + 1) == 0);
	CHECK(wire_hello_decode(b, &g) != 0);
	buf_reset(b);
	/* the largest fits before HELLO's limit */
	memset(m.token, 'a', WIRE_TOKEN_MAX);
	m.token[WIRE_TOKEN_MAX] = '\0';
	memset(m.name, 'n', MSG_NAME_MAX);
	m.name[MSG_NAME_MAX] = '\0';
	m.session = 12345;
	m.has_ticket = true;
	CHECK(wire_hello_encode(b, &m) == 0 && buf_len(b) + WIRE_HEADER_LEN <= WIRE_PREAUTH_MAX_BYTES);
	CHECK(wire_hello_decode(b, &g) == 0 && strlen(g.token) == WIRE_TOKEN_MAX);
	CHECK(strcmp(wire_error_str(WIRE_E_TOKEN), "this relay needs a session token") == 0);
	buf_free(b);
}

static void
join_redirect(void)
{
	struct buf *b = buf_new(512), v;
	char addr[WIRE_ADDR_TEXT_MAX + 1], hint[MSG_NAME_MAX + 1], to[WIRE_REDIRECT_TEXT_MAX + 1];

	CHECK(wire_join_encode(b, "10.0.0.1:5", "resume:00ff") == 0);
	CHECK(wire_join_decode(b, addr, hint) == 0 && strcmp(addr, "10.0.0.1:5") == 0 &&
	    strcmp(hint, "resume:00ff") == 0);
	CHECK(wire_join_encode(b, "10.0.0.1:5", "") == 0);     /* the older form */
	CHECK(wire_join_decode(b, addr, hint) == 0 && hint[0] == '\0');
	buf_view(&v, "\0\1a\0\1\n", 6);                   /* a control in the hint */
	CHECK(wire_join_decode(&v, addr, hint) != 0);
	/* The relay's words for an address, printed in the host's consent
	 * line: nothing that could add a field (a forged check code) there. */
	CHECK(wire_join_encode(b, "[2001:db8::1]:5", "") == 0);
	CHECK(wire_join_decode(b, addr, hint) == 0);
	CHECK(wire_join_encode(b, "10.0.0.1:5 check=000000", "") == 0);
	CHECK(wire_join_decode(b, addr, hint) != 0 && addr[0] == '\0');
	CHECK(wire_join_encode(b, "10.0.0.1:5\"", "") == 0 && wire_join_decode(b, addr, hint) != 0);
	CHECK(wire_join_encode(b, "10.0.0.1\xc3\xa4", "") == 0);
	CHECK(wire_join_decode(b, addr, hint) != 0);
	CHECK(wire_redirect_encode(b, "relay2.example.net:4663") == 0);
	CHECK(wire_redirect_decode(b, to) == 0 && strcmp(to, "relay2.example.net:4663") == 0);
	CHECK(wire_redirect_encode(b, "[::1]:4663") == 0 && wire_redirect_decode(b, to) == 0);
	CHECK(wire_redirect_encode(b, "a b:1") != 0 && wire_redirect_encode(b, "nohost") != 0);
	CHECK(wire_redirect_encode(b, "user@host:1") != 0);
	buf_view(&v, "\0\6h/x:12", 8);                       /* a path is no address */
	CHECK(wire_redirect_decode(&v, to) != 0);
	buf_view(&v, "\0\3h:1x", 6);                         /* trailing byte */
	CHECK(wire_redirect_decode(&v, to) != 0);
	buf_free(b);
}

/* GRANT from the relay: the file drop's next grant, 1..64 bytes, nothing after. */
static void
grant(void)
{
	struct buf *b = buf_new(256), v;
	uint8_t g[WIRE_DROP_GRANT_MAX + 1], got[WIRE_DROP_GRANT_MAX];
	size_t n = 9;

	memset(g, 0x5A, sizeof(g));
	CHECK(wire_grant_encode(b, g, DROP_GRANT_LEN) == 0);
	CHECK(wire_grant_decode(b, got, &n) == 0 && n == DROP_GRANT_LEN &&
	    memcmp(got, g, n) == 0);
	CHECK(wire_grant_encode(b, g, 0) != 0 && wire_grant_encode(b, g, sizeof(g)) != 0);
	buf_view(&v, "\0\0", 2);                             /* empty */
	CHECK(wire_grant_decode(&v, got, &n) != 0 && n == 0);
	buf_view(&v, "\0\1ab", 4);                           /* trailing byte */
	CHECK(wire_grant_decode(&v, got, &n) != 0);
	buf_reset(b);
	CHECK(buf_put_u16(b, WIRE_DROP_GRANT_MAX + 1) == 0 &&
	    buf_put_bytes(b, g, sizeof(g)) == 0);             /* over the limit */
	CHECK(wire_grant_decode(b, got, &n) != 0);
	CHECK(strcmp(wire_type_str(WIRE_GRANT), "GRANT") == 0);
	buf_free(b);
}

static void
control(void)
{
	struct buf *b = buf_new(1024), v;
	struct wire_welcome w = { .session = 54321, .slot = 3, .session_uid = 99,
		.body_max = 1 << 18, .idle_timeout_ms = 90000, .max_viewers = 16 }, wg;
	struct wire_error_body e;
	char addr[WIRE_ADDR_TEXT_MAX + 1];
	uint16_t code;
	uint8_t on;

	CHECK(wire_welcome_encode(b, &w) == 0 && wire_welcome_decode(b, &wg) == 0);
	CHECK(wg.session == 54321 && wg.slot == 3 && wg.session_uid == 99 &&
	    wg.body_max == 1 << 18 && wg.max_viewers == 16);
	CHECK(wire_error_encode(b, WIRE_E_FULL, "session is full") == 0);
	CHECK(wire_error_decode(b, &e) == 0 && e.code == WIRE_E_FULL &&
	    strcmp(e.text, "session is full") == 0);
	CHECK(wire_addr_encode(b, "127.0.0.1:4663") == 0);
	CHECK(wire_addr_decode(b, addr) == 0 && strcmp(addr, "127.0.0.1:4663") == 0);
	buf_view(&v, "\0\5a\nb:1", 7);
	CHECK(wire_addr_decode(&v, addr) != 0);
	buf_view(&v, "\0\x09", 2);
	CHECK(wire_code_decode(&v, &code) == 0 && code == WIRE_E_KICKED);
	buf_view(&v, "\1", 1);
	CHECK(wire_flow_decode(&v, &on) == 0 && on == 1);
	buf_view(&v, "\2", 1);
	CHECK(wire_flow_decode(&v, &on) != 0);
	CHECK(strcmp(wire_type_str(WIRE_KICK), "KICK") == 0);
	CHECK(wire_error_str(200) != NULL);
	buf_free(b);
}

/* File drop: WELCOME's grant after the ticket, or after an empty one; older bodies stay valid. */
static void
welcome_drop_grant(void)
{
	struct buf *b = buf_new(512);
	struct wire_welcome w = { .session = 54321, .slot = 2, .session_uid = 7,
		.body_max = 1 << 18, .idle_timeout_ms = 90000, .max_viewers = 16 }, wg;
	uint8_t raw[64];
	size_t n;

	w.drop_grant_len = DROP_GRANT_LEN;
	memset(w.drop_grant, 0x3C, DROP_GRANT_LEN);
	CHECK(wire_welcome_encode(b, &w) == 0);
	n = buf_len(b);
	CHECK(n == 24 + 2 + 2 + DROP_GRANT_LEN);        /* an empty ticket before the grant */
	CHECK(wire_welcome_decode(b, &wg) == 0 && !wg.has_ticket &&
	    wg.drop_grant_len == DROP_GRANT_LEN && memcmp(wg.drop_grant, w.drop_grant,
	    DROP_GRANT_LEN) == 0);
	w.slot = 0;
	w.has_ticket = true;                            /* a master: ticket, then grant */
	memset(w.ticket, 0x5A, sizeof(w.ticket));
	CHECK(wire_welcome_encode(b, &w) == 0 && wire_welcome_decode(b, &wg) == 0);
	CHECK(wg.has_ticket && wg.drop_grant_len == DROP_GRANT_LEN &&
	    memcmp(wg.ticket, w.ticket, WIRE_TICKET_LEN) == 0);
	/* an empty ticket and nothing after it: no ticket, no grant */
	w.has_ticket = false;
	w.drop_grant_len = 0;
	CHECK(wire_welcome_encode(b, &w) == 0 && buf_put_u16(b, 0) == 0);
	CHECK(wire_welcome_decode(b, &wg) == 0 && !wg.has_ticket && wg.drop_grant_len == 0);
	/* an empty grant, a grant over the limit, a byte after the grant */
	CHECK(wire_welcome_encode(b, &w) == 0 && buf_put_u16(b, 0) == 0 && buf_put_u16(b, 0) == 0);
	CHECK(wire_welcome_decode(b, &wg) != 0);
	buf_reset(b);
	memset(raw, 1, sizeof(raw));
	CHECK(wire_welcome_encode(b, &w) == 0 && buf_put_u16(b, 0) == 0 &&
	    buf_put_lv16(b, raw, WIRE_DROP_GRANT_MAX) == 0);
	CHECK(wire_welcome_decode(b, &wg) == 0 && wg.drop_grant_len == WIRE_DROP_GRANT_MAX);
	CHECK(wire_welcome_encode(b, &w) == 0 && buf_put_u16(b, 0) == 0 &&
	    buf_put_u16(b, WIRE_DROP_GRANT_MAX + 1) == 0 &&
	    buf_put_bytes(b, raw, sizeof(raw)) == 0 && buf_put_u8(b, 1) == 0);
	CHECK(wire_welcome_decode(b, &wg) == ERR_TOO_LARGE);
	buf_reset(b);
	w.drop_grant_len = 4;
	CHECK(wire_welcome_encode(b, &w) == 0 && buf_put_u8(b, 9) == 0);
	CHECK(wire_welcome_decode(b, &wg) == ERR_TRAILING);
	buf_reset(b);
	buf_free(b);
}

int
main(void)
{
	frames();
	hello();
	hello_ticket();
	welcome_drop_grant();
	hello_token();
	join_redirect();
	grant();
	control();
	return test_done();
}
