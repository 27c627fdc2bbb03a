/* SPDX-License-Identifier: Apache-2.0 */
#include <string.h>

#include "wire.h"

int
wire_next(struct buf *in, size_t body_max, struct wire_hdr *h, struct buf *body)
{
	const uint8_t *p = buf_ptr(in);
	struct buf hb;
	uint32_t len;
	int r;

	memset(h, 0, sizeof(*h));
	buf_view(body, NULL, 0);
	if ((r = buf_peek_u32(in, 0, &len)) != 0)
		return r;
	if (len > body_max || len > WIRE_BODY_MAX_BYTES)  /* before the body arrives */
		return ERR_TOO_LARGE;
	if (buf_len(in) < WIRE_HEADER_LEN || len > buf_len(in) - WIRE_HEADER_LEN)
		return ERR_INCOMPLETE;
	buf_view(&hb, p, WIRE_HEADER_LEN);
	if ((r = buf_get_u32(&hb, &h->len)) != 0 ||
	    (r = buf_get_u8(&hb, &h->type)) != 0 ||
	    (r = buf_get_u8(&hb, &h->flags)) != 0 ||
	    (r = buf_get_u16(&hb, &h->slot)) != 0 ||
	    (r = buf_get_u64(&hb, &h->seq)) != 0)
		return r;
	buf_view(body, p + WIRE_HEADER_LEN, len);
	return buf_skip(in, WIRE_HEADER_LEN + (size_t)len);
}

void
wire_hdr_pack(const struct wire_hdr *h, uint8_t out[WIRE_HEADER_LEN])
{
	int i;

	out[0] = (uint8_t)(h->len >> 24);
	out[1] = (uint8_t)(h->len >> 16);
	out[2] = (uint8_t)(h->len >> 8);
	out[3] = (uint8_t)h->len;
	out[4] = h->type;
	out[5] = h->flags;
	out[6] = (uint8_t)(h->slot >> 8);
	out[7] = (uint8_t)h->slot;
	for (i = 0; i < 8; i++)
		out[8 + i] = (uint8_t)(h->seq >> (56 - 8 * i));
}

int
wire_put(struct buf *out, const struct wire_hdr *h, const void *body, size_t body_len)
{
	struct wire_hdr hh = *h;
	uint8_t hdr[WIRE_HEADER_LEN];
	uint8_t *p;
	int r;

	if (body_len > WIRE_BODY_MAX_BYTES)
		return ERR_TOO_LARGE;
	hh.len = (uint32_t)body_len;
	wire_hdr_pack(&hh, hdr);
	if ((r = buf_reserve(out, WIRE_HEADER_LEN + body_len, &p)) != 0)
		return r;
	memcpy(p, hdr, WIRE_HEADER_LEN);
	if (body_len > 0)
		memcpy(p + WIRE_HEADER_LEN, body, body_len);
	return 0;
}

/* Copy a length-checked text field; only printable ASCII or UTF-8 without controls. */
static int
copy_text(const struct buf *t, char *dst, size_t dst_size)
{
	const uint8_t *p = buf_ptr(t);
	size_t i, n = buf_len(t);

	BUG_ON(n >= dst_size);
	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7F)
			return ERR_FORMAT;
	if (!buf_utf8_valid(p, n))
		return ERR_FORMAT;
	memcpy(dst, p, n);
	dst[n] = '\0';
	return 0;
}

/* An optional trailing lv16 ticket (wire.h): absent, or exactly WIRE_TICKET_LEN bytes. */
static int
get_ticket(struct buf *in, bool *has, uint8_t ticket[WIRE_TICKET_LEN])
{
	struct buf t;
	int r;

	*has = false;
	if (buf_len(in) == 0)
		return 0;
	if ((r = buf_get_lv16(in, &t, WIRE_TICKET_LEN)) != 0)
		return r;
	if (buf_len(&t) == 0)
		return 0;               /* none, with a field after it */
	if (buf_len(&t) != WIRE_TICKET_LEN)
		return ERR_FORMAT;
	memcpy(ticket, buf_ptr(&t), WIRE_TICKET_LEN);
	*has = true;
	return 0;
}

/* HELLO's optional token (wire.h): absent or empty, or printable ASCII
 * without spaces, <= WIRE_TOKEN_MAX. */
static int
get_token(struct buf *in, char token[WIRE_TOKEN_MAX + 1])
{
	const uint8_t *p;
	struct buf t;
	size_t i;
	int r;

	token[0] = '\0';
	if (buf_len(in) == 0)
		return 0;
	if ((r = buf_get_lv16(in, &t, WIRE_TOKEN_MAX)) != 0)
		return r;
	p = buf_ptr(&t);
	for (i = 0; i < buf_len(&t); i++)
		if (p[i] <= ' ' || p[i] > '~')
			return ERR_FORMAT;
	memcpy(token, p, buf_len(&t));
	token[buf_len(&t)] = '\0';
	return 0;
}

int
wire_hello_encode(struct buf *out, const struct wire_hello *m)
{
	size_t n = strlen(m->name), tn = strnlen(m->token, sizeof(m->token));
	int r;

	if (n > MSG_NAME_MAX || tn > WIRE_TOKEN_MAX)
		return ERR_TOO_LARGE;
	if ((r = buf_put_bytes(out, WIRE_MAGIC, 4)) != 0 ||
	    (r = buf_put_u8(out, m->version)) != 0 ||
	    (r = buf_put_u8(out, m->role)) != 0 ||
	    (r = buf_put_u32(out, m->session)) != 0 ||
	    (r = buf_put_lv16(out, m->name, n)) != 0)
		return r;
	if (m->has_ticket)
		r = buf_put_lv16(out, m->ticket, WIRE_TICKET_LEN);
	else if (tn > 0)
		r = buf_put_lv16(out, "", 0);           /* no ticket, then the token */
	if (r == 0 && tn > 0)
		r = buf_put_lv16(out, m->token, tn);
	return r;
}

int
wire_hello_decode(struct buf *in, struct wire_hello *m)
{
	uint8_t magic[4];
	struct buf name;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = buf_get_bytes(in, magic, 4)) != 0 ||
	    (r = buf_get_u8(in, &m->version)) != 0 ||
	    (r = buf_get_u8(in, &m->role)) != 0 ||
	    (r = buf_get_u32(in, &m->session)) != 0 ||
	    (r = buf_get_lv16(in, &name, MSG_NAME_MAX)) != 0 ||
	    (r = get_ticket(in, &m->has_ticket, m->ticket)) != 0 ||
	    (r = get_token(in, m->token)) != 0 ||
	    (r = buf_expect_end(in)) != 0)
		goto out;
	if (memcmp(magic, WIRE_MAGIC, 4) != 0) {
		r = ERR_FORMAT;
		goto out;
	}
	if (m->version != WIRE_VERSION) {
		r = ERR_UNSUPPORTED;
		goto out;
	}
	/* A master names a number only to resume it, with its ticket. */
	if ((m->role != WIRE_ROLE_MASTER && m->role != WIRE_ROLE_VIEWER) ||
	    (m->role == WIRE_ROLE_MASTER && (m->session != 0) != m->has_ticket) ||
	    (m->role == WIRE_ROLE_MASTER && m->session != 0 &&
	    (m->session < SESSION_NUMBER_MIN || m->session > SESSION_NUMBER_MAX)) ||
	    (m->role == WIRE_ROLE_VIEWER && (m->has_ticket || m->token[0] != '\0')) ||
	    (m->role == WIRE_ROLE_VIEWER && m->session != 0 &&
	    (m->session < SESSION_NUMBER_MIN || m->session > SESSION_NUMBER_MAX))) {
		r = ERR_FORMAT;
		goto out;
	}
	r = copy_text(&name, m->name, sizeof(m->name));
out:
	if (r != 0)
		memset(m, 0, sizeof(*m));
	return r;
}

int
wire_welcome_encode(struct buf *out, const struct wire_welcome *m)
{
	int r;

	if ((r = buf_put_u32(out, m->session)) != 0 ||
	    (r = buf_put_u16(out, m->slot)) != 0 ||
	    (r = buf_put_u64(out, m->session_uid)) != 0 ||
	    (r = buf_put_u32(out, m->body_max)) != 0 ||
	    (r = buf_put_u32(out, m->idle_timeout_ms)) != 0 ||
	    (r = buf_put_u16(out, m->max_viewers)) != 0)
		return r;
	if (m->drop_grant_len > WIRE_DROP_GRANT_MAX)
		return ERR_INTERNAL;
	if (m->has_ticket)
		r = buf_put_lv16(out, m->ticket, WIRE_TICKET_LEN);
	else if (m->drop_grant_len > 0)
		r = buf_put_lv16(out, NULL, 0);         /* no ticket, but a grant follows */
	if (r == 0 && m->drop_grant_len > 0)
		r = buf_put_lv16(out, m->drop_grant, m->drop_grant_len);
	return r;
}

/*
 * WELCOME's optional end: [lv16 ticket (empty or WIRE_TICKET_LEN)]
 * [lv16 drop grant (1..WIRE_DROP_GRANT_MAX)].
 */
static int
get_welcome_tail(struct buf *in, struct wire_welcome *m)
{
	struct buf t;
	int r;

	if (buf_len(in) == 0)
		return 0;
	if ((r = buf_get_lv16(in, &t, WIRE_TICKET_LEN)) != 0)
		return r;
	if (buf_len(&t) != 0 && buf_len(&t) != WIRE_TICKET_LEN)
		return ERR_FORMAT;
	if (buf_len(&t) == WIRE_TICKET_LEN) {
		memcpy(m->ticket, buf_ptr(&t), WIRE_TICKET_LEN);
		m->has_ticket = true;
	}
	if (buf_len(in) == 0)
		return 0;
	if ((r = buf_get_lv16(in, &t, WIRE_DROP_GRANT_MAX)) != 0)
		return r;
	if (buf_len(&t) == 0)
		return ERR_FORMAT;
	memcpy(m->drop_grant, buf_ptr(&t), buf_len(&t));
	m->drop_grant_len = (uint16_t)buf_len(&t);
	return 0;
}

int
wire_welcome_decode(struct buf *in, struct wire_welcome *m)
{
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = buf_get_u32(in, &m->session)) != 0 ||
	    (r = buf_get_u16(in, &m->slot)) != 0 ||
	    (r = buf_get_u64(in, &m->session_uid)) != 0 ||
	    (r = buf_get_u32(in, &m->body_max)) != 0 ||
	    (r = buf_get_u32(in, &m->idle_timeout_ms)) != 0 ||
	    (r = buf_get_u16(in, &m->max_viewers)) != 0 ||
	    (r = get_welcome_tail(in, m)) != 0 ||
	    (r = buf_expect_end(in)) != 0)
		goto out;
	if (m->session < SESSION_NUMBER_MIN || m->session > SESSION_NUMBER_MAX ||
	    m->slot > SESSION_VIEWERS_MAX || m->body_max < WIRE_BODY_MIN_BYTES ||
	    m->body_max > WIRE_BODY_MAX_BYTES || m->max_viewers > SESSION_VIEWERS_MAX)
		r = ERR_FORMAT;
out:
	if (r != 0)
		memset(m, 0, sizeof(*m));
	return r;
}

int
wire_error_encode(struct buf *out, uint16_t code, const char *text)
{
	size_t n = strlen(text);
	int r;

	if (n > WIRE_ERROR_TEXT_MAX)
		n = WIRE_ERROR_TEXT_MAX;
	if ((r = buf_put_u16(out, code)) != 0 ||
	    (r = buf_put_lv16(out, text, n)) != 0)
		return r;
	return 0;
}

int
wire_error_decode(struct buf *in, struct wire_error_body *m)
{
	struct buf t;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = buf_get_u16(in, &m->code)) != 0 ||
	    (r = buf_get_lv16(in, &t, WIRE_ERROR_TEXT_MAX)) != 0 ||
	    (r = buf_expect_end(in)) != 0 ||
	    (r = copy_text(&t, m->text, sizeof(m->text))) != 0)
		memset(m, 0, sizeof(*m));
	return r;
}

int
wire_addr_encode(struct buf *out, const char *addr)
{
	size_t n = strlen(addr);

	if (n > WIRE_ADDR_TEXT_MAX)
		return ERR_TOO_LARGE;
	return buf_put_lv16(out, addr, n);
}

/*
 * An address as a relay writes it ("192.0.2.1:5", "[2001:db8::1]:5"): the
 * host's consent line prints it unquoted, so no blank, quote or byte
 * outside printable ASCII that could add a field (a forged check code).
 */
static int
addr_text_ok(const char *addr)
{
	for (const char *p = addr; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\')
			return ERR_FORMAT;
	return 0;
}

int
wire_addr_decode(struct buf *in, char addr[WIRE_ADDR_TEXT_MAX + 1])
{
	struct buf t;
	int r;

	addr[0] = '\0';
	if ((r = buf_get_lv16(in, &t, WIRE_ADDR_TEXT_MAX)) != 0 ||
	    (r = buf_expect_end(in)) != 0 ||
	    (r = copy_text(&t, addr, WIRE_ADDR_TEXT_MAX + 1)) != 0 ||
	    (r = addr_text_ok(addr)) != 0)
		addr[0] = '\0';
	return r;
}

int
wire_join_encode(struct buf *out, const char *addr, const char *hint)
{
	size_t n = strlen(addr), k = strlen(hint);
	int r;

	if (n > WIRE_ADDR_TEXT_MAX || k > MSG_NAME_MAX)
		return ERR_TOO_LARGE;
	if ((r = buf_put_lv16(out, addr, n)) != 0)
		return r;
	return k > 0 ? buf_put_lv16(out, hint, k) : 0;
}

int
wire_join_decode(struct buf *in, char addr[WIRE_ADDR_TEXT_MAX + 1], char hint[MSG_NAME_MAX + 1])
{
	static const uint8_t none;
	struct buf t, h;
	int r;

	addr[0] = hint[0] = '\0';
	buf_view(&h, &none, 0);
	if ((r = buf_get_lv16(in, &t, WIRE_ADDR_TEXT_MAX)) != 0 ||
	    (buf_len(in) > 0 && (r = buf_get_lv16(in, &h, MSG_NAME_MAX)) != 0) ||
	    (r = buf_expect_end(in)) != 0 ||
	    (r = copy_text(&t, addr, WIRE_ADDR_TEXT_MAX + 1)) != 0 ||
	    (r = copy_text(&h, hint, MSG_NAME_MAX + 1)) != 0 ||
	    (r = addr_text_ok(addr)) != 0)
		addr[0] = hint[0] = '\0';
	return r;
}

/* A redirect target: a host name or address and a port, nothing that could
 * be read as anything else (no spaces, no controls, no path). */
static bool
redirect_text_ok(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7F || p[i] == '/' ||
		    p[i] == '@')
			return false;
	return n > 0 && memchr(p, ':', n) != NULL;
}

int
wire_redirect_encode(struct buf *out, const char *to)
{
	size_t n = strlen(to);

	if (n > WIRE_REDIRECT_TEXT_MAX)
		return ERR_TOO_LARGE;
	if (!redirect_text_ok(to, n))
		return ERR_FORMAT;
	return buf_put_lv16(out, to, n);
}

int
wire_redirect_decode(struct buf *in, char to[WIRE_REDIRECT_TEXT_MAX + 1])
{
	struct buf t;
	int r;

	to[0] = '\0';
	if ((r = buf_get_lv16(in, &t, WIRE_REDIRECT_TEXT_MAX)) != 0 ||
	    (r = buf_expect_end(in)) != 0)
		return r;
	if (!redirect_text_ok((const char *)buf_ptr(&t), buf_len(&t)))
		return ERR_FORMAT;
	memcpy(to, buf_ptr(&t), buf_len(&t));
	to[buf_len(&t)] = '\0';
	return 0;
}

int
wire_grant_encode(struct buf *out, const uint8_t *grant, size_t n)
{
	if (n == 0 || n > WIRE_DROP_GRANT_MAX)
		return ERR_FORMAT;
	return buf_put_lv16(out, grant, n);
}

int
wire_grant_decode(struct buf *in, uint8_t grant[WIRE_DROP_GRANT_MAX], size_t *n)
{
	struct buf t;
	int r;

	*n = 0;
	if ((r = buf_get_lv16(in, &t, WIRE_DROP_GRANT_MAX)) != 0 ||
	    (r = buf_expect_end(in)) != 0)
		return r;
	if (buf_len(&t) == 0)
		return ERR_FORMAT;
	memcpy(grant, buf_ptr(&t), buf_len(&t));
	*n = buf_len(&t);
	return 0;
}

int
wire_code_decode(struct buf *in, uint16_t *code)
{
	int r;

	if ((r = buf_get_u16(in, code)) != 0 || (r = buf_expect_end(in)) != 0)
		*code = 0;
	return r;
}

int
wire_flow_decode(struct buf *in, uint8_t *on)
{
	int r;

	if ((r = buf_get_u8(in, on)) != 0 || (r = buf_expect_end(in)) != 0) {
		*on = 0;
		return r;
	}
	if (*on > WIRE_FLOW_XON) {
		*on = 0;
		return ERR_FORMAT;
	}
	return 0;
}

const char *
wire_type_str(uint8_t type)
{
	static const char *const names[] = {
		"?", "HELLO", "WELCOME", "ERROR", "DATA", "PEER_JOIN", "PEER_LEAVE",
		"FLOW", "KICK", "END", "PING", "PONG", "RESTARTING", "REDIRECT", "GRANT",
	};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

const char *
wire_error_str(uint16_t code)
{
	switch (code) {
	case WIRE_E_NONE: return "left";
	case WIRE_E_PROTOCOL: return "protocol error";
	case WIRE_E_VERSION: return "unsupported protocol version";
	case WIRE_E_NO_SESSION: return "no such session";
	case WIRE_E_FULL: return "session is full";
	case WIRE_E_RATE: return "too many attempts from this address";
	case WIRE_E_TOO_LARGE: return "frame too large";
	case WIRE_E_TIMEOUT: return "timed out";
	case WIRE_E_SLOW: return "too slow to read, evicted";
	case WIRE_E_KICKED: return "removed by the host";
	case WIRE_E_ENDED: return "session ended by the host";
	case WIRE_E_MASTER_GONE: return "the host's connection was lost";
	case WIRE_E_SHUTDOWN: return "relay shutting down";
	case WIRE_E_BUSY: return "relay busy";
	case WIRE_E_CLOSED: return "connection lost";
	case WIRE_E_DIRECTORY: return "session directory unavailable, try again";
	case WIRE_E_AWAY: return "the host is reconnecting, try again shortly";
	case WIRE_E_RESUME: return "no session to resume with that number and ticket";
	case WIRE_E_TOKEN: return "this relay needs a session token";
	}
	return "unknown error";
}
