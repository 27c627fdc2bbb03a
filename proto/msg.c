/* SPDX-License-Identifier: Apache-2.0 */
/*
 * msg.c - session message codec. The boxes are in msg.h; every field is
 * checked here so that callers only ever see messages within their limits.
 */
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "msg.h"

/* A name: UTF-8 without control characters, copied NUL-terminated. */
static int
get_name(struct buf *in, char name[MSG_NAME_MAX + 1])
{
	struct buf v;
	const uint8_t *p;
	size_t n;
	int r;

	if ((r = buf_get_lv16(in, &v, MSG_NAME_MAX)) != 0)
		return r;
	p = buf_ptr(&v);
	n = buf_len(&v);
	if (!buf_utf8_valid(p, n))
		return ERR_FORMAT;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7F)
			return ERR_FORMAT;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

static int
put_name(struct buf *out, const char *name)
{
	size_t n = strnlen(name, MSG_NAME_MAX + 1);

	if (n > MSG_NAME_MAX)
		return ERR_TOO_LARGE;
	return buf_put_lv16(out, name, n);
}

static int
get_text16(struct buf *in, struct buf *text, size_t max)
{
	int r;

	if ((r = buf_get_lv16(in, text, max)) != 0)
		return r;
	return buf_utf8_valid(buf_ptr(text), buf_len(text)) ? 0 : ERR_FORMAT;
}

/* 1..max bytes of printable ASCII without blanks (a link, a relay's address). */
static int
get_ascii16(struct buf *in, struct buf *text, size_t max)
{
	int r;

	if ((r = buf_get_lv16(in, text, max)) != 0)
		return r;
	if (buf_len(text) == 0)
		return ERR_FORMAT;
	for (size_t i = 0; i < buf_len(text); i++)
		if (buf_ptr(text)[i] <= ' ' || buf_ptr(text)[i] > '~')
			return ERR_FORMAT;
	return 0;
}

static bool
one_suite(uint8_t s)
{
	return s == MSG_SUITE_AES256GCM || s == MSG_SUITE_XCHACHA20;
}

static int
dec_offer(struct buf *in, struct msg_hs_offer *m)
{
	int r;

	if ((r = buf_get_u8(in, &m->version)) != 0)
		return r;
	if (m->version != MSG_VERSION)
		return ERR_UNSUPPORTED; /* the rest may have another shape */
	if ((r = buf_get_u8(in, &m->suites)) != 0 ||
	    (r = buf_get_bytes(in, m->nonce, MSG_NONCE_LEN)) != 0 ||
	    (r = buf_get_bytes(in, m->commit, MSG_COMMIT_LEN)) != 0 ||
	    (r = get_name(in, m->name)) != 0)
		return r;
	return m->suites == 0 ? ERR_FORMAT : 0;
}

static int
dec_init(struct buf *in, struct msg_hs_init *m)
{
	int r;

	if ((r = buf_get_u8(in, &m->version)) != 0)
		return r;
	if (m->version != MSG_VERSION)
		return ERR_UNSUPPORTED;
	if ((r = buf_get_u8(in, &m->suites)) != 0 ||
	    (r = buf_get_bytes(in, m->nonce, MSG_NONCE_LEN)) != 0 ||
	    (r = buf_get_bytes(in, m->pk, MSG_PK_LEN)) != 0 ||
	    (r = buf_get_bytes(in, m->ya, MSG_POINT_LEN)) != 0 ||
	    (r = get_name(in, m->name)) != 0)
		return r;
	return m->suites == 0 ? ERR_FORMAT : 0;
}

static int
dec_reply(struct buf *in, struct msg_hs_reply *m)
{
	int r;

	if ((r = buf_get_u8(in, &m->suite)) != 0 ||
	    (r = buf_get_bytes(in, m->yb, MSG_POINT_LEN)) != 0 ||
	    (r = buf_get_bytes(in, m->tag, MSG_TAG_LEN)) != 0)
		return r;
	return one_suite(m->suite) ? 0 : ERR_FORMAT;
}

static int
dec_key(struct buf *in, struct msg_key *m)
{
	int r;

	if ((r = buf_get_u32(in, &m->epoch)) != 0 ||
	    (r = buf_get_u8(in, &m->suite)) != 0 ||
	    (r = buf_get_bytes(in, m->sealed, MSG_SEALED_KEY_LEN)) != 0)
		return r;
	return one_suite(m->suite) ? 0 : ERR_FORMAT;
}

static int
dec_accept(struct buf *in, struct msg_accept *m)
{
	int r;

	if ((r = buf_get_u8(in, &m->rights)) != 0 ||
	    (r = buf_get_u16(in, &m->width)) != 0 ||
	    (r = buf_get_u16(in, &m->height)) != 0)
		return r;
	if ((m->rights & ~MSG_RIGHTS_ALL) != 0 ||
	    !(m->rights & MSG_RIGHT_VIEW))
		return ERR_FORMAT;
	if (m->width > MSG_DIM_MAX || m->height > MSG_DIM_MAX)
		return ERR_TOO_LARGE;
	return 0;
}

static int
dec_video(struct buf *in, struct msg_video *m)
{
	uint32_t delta = 0, part;
	int r;

	if ((r = buf_get_u8(in, &m->flags)) != 0 ||
	    (r = buf_get_u32(in, &m->frame)) != 0)
		return r;
	if ((m->flags & ~(MSG_VIDEO_LAST | MSG_VIDEO_KEY | MSG_VIDEO_LOSSY |
	    MSG_VIDEO_RESTART)) != 0 ||
	    m->frame == 0)
		return ERR_FORMAT;
	/* A key frame stands alone and says the size; any other frame names
	 * the one it patches, at that size. */
	if (m->flags & MSG_VIDEO_KEY) {
		if ((r = buf_get_var32(in, &part)) != 0 ||
		    (r = buf_get_u16(in, &m->width)) != 0 ||
		    (r = buf_get_u16(in, &m->height)) != 0)
			return r;
		if (m->width == 0 || m->height == 0)
			return ERR_FORMAT;
		if (m->width > MSG_DIM_MAX || m->height > MSG_DIM_MAX)
			return ERR_TOO_LARGE;
	} else {
		if ((r = buf_get_var32(in, &delta)) != 0 ||
		    (r = buf_get_var32(in, &part)) != 0)
			return r;
		if (delta == 0 || delta >= m->frame)
			return ERR_FORMAT;
		m->base = m->frame - delta;
	}
	if (part > UINT16_MAX)
		return ERR_FORMAT;
	m->part = (uint16_t)part;
	if ((r = buf_get_var32(in, &m->raw_len)) != 0)
		return r;
	if (m->raw_len > MSG_VIDEO_RAW_MAX_BYTES)
		return ERR_TOO_LARGE;
	if (m->raw_len == 0 || buf_len(in) == 0)
		return ERR_FORMAT;
	return buf_get_view(in, &m->z, buf_len(in));
}

/* An address: printable ASCII without spaces, like the relay's PEER_JOIN. */
static int
dec_lan_offer(struct buf *in, struct msg_lan_offer *m)
{
	int r;

	if ((r = buf_get_u8(in, &m->n)) != 0)
		return r;
	if (m->n == 0 || m->n > MSG_LAN_ADDRS_MAX)
		return ERR_FORMAT;
	for (unsigned i = 0; i < m->n; i++) {
		struct buf a;

		if ((r = buf_get_lv16(in, &a, WIRE_ADDR_TEXT_MAX)) != 0)
			return r;
		if (buf_len(&a) == 0)
			return ERR_FORMAT;
		for (size_t k = 0; k < buf_len(&a); k++)
			if (buf_ptr(&a)[k] <= 0x20 || buf_ptr(&a)[k] >= 0x7F)
				return ERR_FORMAT;
		memcpy(m->addr[i], buf_ptr(&a), buf_len(&a));
		m->addr[i][buf_len(&a)] = '\0';
	}
	return 0;
}

static int
dec_cursor(struct buf *in, struct msg_cursor *m)
{
	uint16_t x, y;
	int r;

	if ((r = buf_get_u16(in, &x)) != 0 ||
	    (r = buf_get_u16(in, &y)) != 0 ||
	    (r = buf_get_u8(in, &m->flags)) != 0)
		return r;
	m->x = (int16_t)x;
	m->y = (int16_t)y;
	if ((m->flags & ~(MSG_CURSOR_SHAPE | MSG_CURSOR_HIDDEN)) != 0)
		return ERR_FORMAT;
	if (!(m->flags & MSG_CURSOR_SHAPE))
		return 0;
	if ((r = buf_get_u16(in, &m->w)) != 0 ||
	    (r = buf_get_u16(in, &m->h)) != 0 ||
	    (r = buf_get_u16(in, &m->hot_x)) != 0 ||
	    (r = buf_get_u16(in, &m->hot_y)) != 0)
		return r;
	if (m->w == 0 || m->h == 0 || m->w > MSG_CURSOR_DIM_MAX || m->h > MSG_CURSOR_DIM_MAX)
		return ERR_TOO_LARGE;
	if (m->hot_x >= m->w || m->hot_y >= m->h)
		return ERR_FORMAT;
	/* One zstd frame that says it holds exactly the w x h pixels: what
	 * msg_cursor_pixels() inflates is bounded before it starts. */
	if ((r = buf_get_view(in, &m->argb, buf_len(in))) != 0)
		return r;
	if (ZSTD_getFrameContentSize(buf_ptr(&m->argb), buf_len(&m->argb)) !=
	    (unsigned long long)m->w * m->h * 4 ||
	    ZSTD_findFrameCompressedSize(buf_ptr(&m->argb), buf_len(&m->argb)) !=
	    buf_len(&m->argb))
		return ERR_FORMAT;
	return 0;
}

int
msg_cursor_pixels(const struct msg_cursor *m, uint32_t *argb)
{
	size_t n = (size_t)m->w * m->h * 4;
	uint8_t *p = (uint8_t *)argb;

	/* Inflate into argb itself (dec_cursor checked the frame holds n
	 * bytes), then turn each big-endian u32 into a number in place. */
	if (ZSTD_decompress(p, n, buf_ptr(&m->argb), buf_len(&m->argb)) != n)
		return ERR_FORMAT;
	for (size_t i = 0; i < n / 4; i++)
		argb[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	return 0;
}

static int
dec_input(struct buf *in, struct msg_input *m)
{
	int r;

	if ((r = buf_get_u8(in, &m->kind)) != 0 ||
	    (r = buf_get_u8(in, &m->arg)) != 0 ||
	    (r = buf_get_u16(in, &m->x)) != 0 ||
	    (r = buf_get_u16(in, &m->y)) != 0 ||
	    (r = buf_get_u32(in, &m->code)) != 0)
		return r;
	switch (m->kind) {
	case MSG_INPUT_POINTER:
		return m->code == 0 ? 0 : ERR_FORMAT;
	case MSG_INPUT_BUTTON:
		return m->arg >= 1 && m->arg <= 9 && m->code <= 1 ? 0 : ERR_FORMAT;
	case MSG_INPUT_WHEEL:
		return m->arg == 0 && m->code == 0 ? 0 : ERR_FORMAT;
	case MSG_INPUT_KEY:
		return m->arg <= 1 && m->code <= MSG_KEYCODE_MAX ? 0 : ERR_FORMAT;
	}
	return ERR_FORMAT;
}

/* FILE_*: fixed fields checked here; a path's rules are the receiver's
 * (relpath.h), so that a bad name ends that transfer, not the session. */
static int
dec_file(struct buf *in, uint8_t type, struct msg_file *m)
{
	int r;

	if ((r = buf_get_u32(in, &m->id)) != 0)
		return r;
	if (m->id == 0)
		return ERR_FORMAT;
	switch (type) {
	case MSG_FILE_OFFER:
		if ((r = buf_get_u32(in, &m->count)) != 0 ||
		    (r = buf_get_u64(in, &m->bytes)) != 0 ||
		    (r = get_text16(in, &m->text, FILES_PATH_MAX)) != 0)
			return r;
		return m->count == 0 || m->count > FILES_ENTRIES_MAX ? ERR_FORMAT : 0;
	case MSG_FILE_ENTRY:
		if ((r = buf_get_u32(in, &m->index)) != 0 ||
		    (r = buf_get_u8(in, &m->kind)) != 0 ||
		    (r = buf_get_u64(in, &m->bytes)) != 0 ||
		    (r = get_text16(in, &m->text, FILES_PATH_MAX)) != 0)
			return r;
		if (m->kind != MSG_FILE_REGULAR && m->kind != MSG_FILE_FOLDER)
			return ERR_FORMAT;
		return m->kind == MSG_FILE_FOLDER && m->bytes != 0 ? ERR_FORMAT : 0;
	case MSG_FILE_RESUME:
		if ((r = buf_get_u32(in, &m->index)) != 0 ||
		    (r = buf_get_u64(in, &m->bytes)) != 0)
			return r;
		return buf_get_bytes(in, m->hash, MSG_FILE_HASH_LEN);
	case MSG_FILE_DATA:
		if ((r = buf_get_u32(in, &m->index)) != 0 ||
		    (r = buf_get_u64(in, &m->bytes)) != 0)
			return r;
		if (buf_len(in) == 0)
			return ERR_FORMAT;
		if (buf_len(in) > FILES_CHUNK_BYTES)
			return ERR_TOO_LARGE;
		if (m->bytes > UINT64_MAX - buf_len(in))
			return ERR_FORMAT;
		return buf_get_view(in, &m->text, buf_len(in));
	case MSG_FILE_END:
		if ((r = buf_get_u32(in, &m->index)) != 0)
			return r;
		return buf_get_bytes(in, m->hash, MSG_FILE_HASH_LEN);
	case MSG_FILE_ACK:
		if ((r = buf_get_u64(in, &m->bytes)) != 0 ||
		    (r = buf_get_u8(in, &m->done)) != 0)
			return r;
		return m->done > 1 ? ERR_FORMAT : 0;
	case MSG_FILE_CANCEL:
		if ((r = buf_get_u8(in, &m->whose)) != 0 ||
		    (r = buf_get_u8(in, &m->reason)) != 0 ||
		    (r = get_text16(in, &m->text, MSG_TEXT_MAX)) != 0)
			return r;
		if (m->whose != MSG_FILE_MINE && m->whose != MSG_FILE_YOURS)
			return ERR_FORMAT;
		return m->reason < MSG_FILE_CANCELLED || m->reason > MSG_FILE_LEFT ? ERR_FORMAT : 0;
	}
	return ERR_UNSUPPORTED;
}

int
msg_decode(struct buf *in, struct msg *m)
{
	uint32_t len;
	int r;

	memset(m, 0, sizeof(*m));
	if ((r = buf_get_u8(in, &m->type)) != 0)
		return r;
	switch (m->type) {
	case MSG_HS_OFFER:
		r = dec_offer(in, &m->u.offer);
		break;
	case MSG_HS_INIT:
		r = dec_init(in, &m->u.init);
		break;
	case MSG_HS_REPLY:
		r = dec_reply(in, &m->u.reply);
		break;
	case MSG_HS_CONFIRM:
		r = buf_get_bytes(in, m->u.confirm_tag, MSG_TAG_LEN);
		break;
	case MSG_HS_ABORT:
		r = buf_get_u8(in, &m->u.abort_reason);
		break;
	case MSG_KEY:
		r = dec_key(in, &m->u.key);
		break;
	case MSG_ACCEPT:
		r = dec_accept(in, &m->u.accept);
		break;
	case MSG_BYE:
		if ((r = buf_get_u8(in, &m->u.bye.reason)) == 0)
			r = get_text16(in, &m->u.bye.text, MSG_TEXT_MAX);
		break;
	case MSG_VIDEO:
		r = dec_video(in, &m->u.video);
		break;
	case MSG_CURSOR:
		r = dec_cursor(in, &m->u.cursor);
		break;
	case MSG_LAN_OFFER:
		r = dec_lan_offer(in, &m->u.lan_offer);
		break;
	case MSG_ASKED:
		break;
	case MSG_INPUT:
		r = dec_input(in, &m->u.input);
		break;
	case MSG_UPDATE_REQ:
		if ((r = buf_get_u8(in, &m->u.update_full)) == 0 && m->u.update_full > 1)
			r = ERR_FORMAT;
		break;
	case MSG_CLIPBOARD:
		/* Peek the length first so that the limit error is specific. */
		if ((r = buf_peek_u32(in, 0, &len)) == 0 && len > MSG_CLIPBOARD_MAX)
			return ERR_TOO_LARGE;
		if (r == 0 && (r = buf_get_lv32(in, &m->u.text, MSG_CLIPBOARD_MAX)) == 0 &&
		    !buf_utf8_valid(buf_ptr(&m->u.text), buf_len(&m->u.text)))
			r = ERR_FORMAT;
		break;
	case MSG_CHAT:
		r = get_text16(in, &m->u.text, MSG_TEXT_MAX);
		break;
	case MSG_DROP_IDENTITY:
		r = buf_get_bytes(in, m->u.drop_pk, MSG_PK_LEN);
		break;
	case MSG_DROP_LINK:
		r = get_ascii16(in, &m->u.text, DROP_LINK_MAX_BYTES);
		break;
	case MSG_DROP_GRANT:
		if ((r = get_ascii16(in, &m->u.drop_grant.relay, CLIENT_RELAY_TEXT_MAX)) == 0 &&
		    (r = get_ascii16(in, &m->u.drop_grant.tier, MSG_DROP_TIER_MAX)) == 0 &&
		    (r = buf_get_lv16(in, &m->u.drop_grant.grant, WIRE_DROP_GRANT_MAX)) == 0 &&
		    buf_len(&m->u.drop_grant.grant) == 0)
			r = ERR_FORMAT;
		break;
	case MSG_FILE_OFFER:
	case MSG_FILE_ENTRY:
	case MSG_FILE_RESUME:
	case MSG_FILE_DATA:
	case MSG_FILE_END:
	case MSG_FILE_ACK:
	case MSG_FILE_CANCEL:
		r = dec_file(in, m->type, &m->u.file);
		break;
	default:
		return ERR_UNSUPPORTED;
	}
	if (r != 0)
		return r;
	return buf_expect_end(in);
}

int
msg_hs_offer_encode(struct buf *out, const struct msg_hs_offer *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_HS_OFFER)) != 0 ||
	    (r = buf_put_u8(out, m->version)) != 0 ||
	    (r = buf_put_u8(out, m->suites)) != 0 ||
	    (r = buf_put_bytes(out, m->nonce, MSG_NONCE_LEN)) != 0 ||
	    (r = buf_put_bytes(out, m->commit, MSG_COMMIT_LEN)) != 0)
		return r;
	return put_name(out, m->name);
}

int
msg_hs_init_encode(struct buf *out, const struct msg_hs_init *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_HS_INIT)) != 0 ||
	    (r = buf_put_u8(out, m->version)) != 0 ||
	    (r = buf_put_u8(out, m->suites)) != 0 ||
	    (r = buf_put_bytes(out, m->nonce, MSG_NONCE_LEN)) != 0 ||
	    (r = buf_put_bytes(out, m->pk, MSG_PK_LEN)) != 0 ||
	    (r = buf_put_bytes(out, m->ya, MSG_POINT_LEN)) != 0)
		return r;
	return put_name(out, m->name);
}

int
msg_hs_reply_encode(struct buf *out, const struct msg_hs_reply *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_HS_REPLY)) != 0 ||
	    (r = buf_put_u8(out, m->suite)) != 0 ||
	    (r = buf_put_bytes(out, m->yb, MSG_POINT_LEN)) != 0)
		return r;
	return buf_put_bytes(out, m->tag, MSG_TAG_LEN);
}

int
msg_hs_confirm_encode(struct buf *out, const uint8_t tag[MSG_TAG_LEN])
{
	int r;

	if ((r = buf_put_u8(out, MSG_HS_CONFIRM)) != 0)
		return r;
	return buf_put_bytes(out, tag, MSG_TAG_LEN);
}

int
msg_hs_abort_encode(struct buf *out, uint8_t reason)
{
	int r;

	if ((r = buf_put_u8(out, MSG_HS_ABORT)) != 0)
		return r;
	return buf_put_u8(out, reason);
}

int
msg_empty_encode(struct buf *out, uint8_t type)
{
	return buf_put_u8(out, type);
}

int
msg_key_encode(struct buf *out, const struct msg_key *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_KEY)) != 0 ||
	    (r = buf_put_u32(out, m->epoch)) != 0 ||
	    (r = buf_put_u8(out, m->suite)) != 0)
		return r;
	return buf_put_bytes(out, m->sealed, MSG_SEALED_KEY_LEN);
}

int
msg_accept_encode(struct buf *out, const struct msg_accept *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_ACCEPT)) != 0 ||
	    (r = buf_put_u8(out, m->rights)) != 0 ||
	    (r = buf_put_u16(out, m->width)) != 0)
		return r;
	return buf_put_u16(out, m->height);
}

int
msg_bye_encode(struct buf *out, uint8_t reason, const char *text)
{
	size_t n = text != NULL ? strlen(text) : 0;
	int r;

	if (n > MSG_TEXT_MAX)
		return ERR_TOO_LARGE;
	if ((r = buf_put_u8(out, MSG_BYE)) != 0 ||
	    (r = buf_put_u8(out, reason)) != 0)
		return r;
	return buf_put_lv16(out, text != NULL ? text : "", n);
}

int
msg_lan_offer_encode(struct buf *out, const struct msg_lan_offer *m)
{
	int r;

	if (m->n == 0 || m->n > MSG_LAN_ADDRS_MAX)
		return ERR_FORMAT;
	if ((r = buf_put_u8(out, MSG_LAN_OFFER)) != 0 || (r = buf_put_u8(out, m->n)) != 0)
		return r;
	for (unsigned i = 0; i < m->n; i++) {
		size_t n = strnlen(m->addr[i], WIRE_ADDR_TEXT_MAX + 1);

		if (n == 0 || n > WIRE_ADDR_TEXT_MAX)
			return ERR_FORMAT;
		if ((r = buf_put_lv16(out, m->addr[i], n)) != 0)
			return r;
	}
	return 0;
}

int
msg_video_encode_head(struct buf *out, const struct msg_video *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_VIDEO)) != 0 ||
	    (r = buf_put_u8(out, m->flags)) != 0 ||
	    (r = buf_put_u32(out, m->frame)) != 0)
		return r;
	if (m->flags & MSG_VIDEO_KEY) {
		if ((r = buf_put_var32(out, m->part)) != 0 ||
		    (r = buf_put_u16(out, m->width)) != 0 ||
		    (r = buf_put_u16(out, m->height)) != 0)
			return r;
	} else if ((r = buf_put_var32(out, m->frame - m->base)) != 0 ||
	    (r = buf_put_var32(out, m->part)) != 0) {
		return r;
	}
	return buf_put_var32(out, m->raw_len);
}

/*
 * A cursor shape's n pixels as one zstd frame of big-endian u32s. Mostly
 * transparent: zstd takes a 32x32 shape from 4 KiB to a few hundred
 * bytes, and shapes change with every widget the pointer crosses.
 */
static int
put_shape(struct buf *out, const uint32_t *argb, size_t n)
{
	size_t bound = ZSTD_compressBound(n * 4), z;
	uint8_t *p = malloc(n * 4), *dst;
	int r;

	if (p == NULL)
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		p[4 * i] = (uint8_t)(argb[i] >> 24);
		p[4 * i + 1] = (uint8_t)(argb[i] >> 16);
		p[4 * i + 2] = (uint8_t)(argb[i] >> 8);
		p[4 * i + 3] = (uint8_t)argb[i];
	}
	if ((r = buf_reserve(out, bound, &dst)) != 0) {
		free(p);
		return r;
	}
	z = ZSTD_compress(dst, bound, p, n * 4, MSG_CURSOR_ZSTD_LEVEL);
	free(p);
	if (ZSTD_isError(z)) {
		buf_unput(out, bound);
		return ERR_INTERNAL;
	}
	buf_unput(out, bound - z);
	return 0;
}

int
msg_cursor_encode(struct buf *out, const struct msg_cursor *m, const uint32_t *argb)
{
	int r;

	if ((r = buf_put_u8(out, MSG_CURSOR)) != 0 ||
	    (r = buf_put_u16(out, (uint16_t)m->x)) != 0 ||
	    (r = buf_put_u16(out, (uint16_t)m->y)) != 0 ||
	    (r = buf_put_u8(out, m->flags)) != 0)
		return r;
	if (!(m->flags & MSG_CURSOR_SHAPE))
		return 0;
	if (m->w == 0 || m->h == 0 || m->w > MSG_CURSOR_DIM_MAX || m->h > MSG_CURSOR_DIM_MAX ||
	    m->hot_x >= m->w || m->hot_y >= m->h || argb == NULL)
		return ERR_FORMAT;
	if ((r = buf_put_u16(out, m->w)) != 0 ||
	    (r = buf_put_u16(out, m->h)) != 0 ||
	    (r = buf_put_u16(out, m->hot_x)) != 0 ||
	    (r = buf_put_u16(out, m->hot_y)) != 0)
		return r;
	return put_shape(out, argb, (size_t)m->w * m->h);
}

int
msg_input_encode(struct buf *out, const struct msg_input *m)
{
	int r;

	if ((r = buf_put_u8(out, MSG_INPUT)) != 0 ||
	    (r = buf_put_u8(out, m->kind)) != 0 ||
	    (r = buf_put_u8(out, m->arg)) != 0 ||
	    (r = buf_put_u16(out, m->x)) != 0 ||
	    (r = buf_put_u16(out, m->y)) != 0)
		return r;
	return buf_put_u32(out, m->code);
}

int
msg_update_req_encode(struct buf *out, uint8_t full)
{
	int r;

	if ((r = buf_put_u8(out, MSG_UPDATE_REQ)) != 0)
		return r;
	return buf_put_u8(out, full ? 1 : 0);
}

int
msg_clipboard_encode(struct buf *out, const void *text, size_t n)
{
	int r;

	if (n > MSG_CLIPBOARD_MAX)
		return ERR_TOO_LARGE;
	if ((r = buf_put_u8(out, MSG_CLIPBOARD)) != 0)
		return r;
	return buf_put_lv32(out, text, n);
}

int
msg_chat_encode(struct buf *out, const void *text, size_t n)
{
	int r;

	if (n > MSG_TEXT_MAX)
		return ERR_TOO_LARGE;
	if ((r = buf_put_u8(out, MSG_CHAT)) != 0)
		return r;
	return buf_put_lv16(out, text, n);
}

int
msg_drop_identity_encode(struct buf *out, const uint8_t pk[MSG_PK_LEN])
{
	int r;

	if ((r = buf_put_u8(out, MSG_DROP_IDENTITY)) != 0)
		return r;
	return buf_put_bytes(out, pk, MSG_PK_LEN);
}

int
msg_drop_link_encode(struct buf *out, const char *link)
{
	size_t n = strlen(link);
	int r;

	if (n == 0 || n > DROP_LINK_MAX_BYTES)
		return ERR_TOO_LARGE;
	if ((r = buf_put_u8(out, MSG_DROP_LINK)) != 0)
		return r;
	return buf_put_lv16(out, link, n);
}

int
msg_drop_grant_encode(struct buf *out, const char *relay, const char *tier,
    const uint8_t *grant, size_t grant_len)
{
	size_t nr = strlen(relay), nt = strlen(tier);
	int r;

	if (nr == 0 || nr > CLIENT_RELAY_TEXT_MAX || nt == 0 || nt > MSG_DROP_TIER_MAX ||
	    grant_len == 0 || grant_len > WIRE_DROP_GRANT_MAX)
		return ERR_TOO_LARGE;
	if ((r = buf_put_u8(out, MSG_DROP_GRANT)) != 0 ||
	    (r = buf_put_lv16(out, relay, nr)) != 0 ||
	    (r = buf_put_lv16(out, tier, nt)) != 0)
		return r;
	return buf_put_lv16(out, grant, grant_len);
}

int
msg_file_encode(struct buf *out, uint8_t type, const struct msg_file *m, const void *p,
    size_t n)
{
	int r;

	if ((r = buf_put_u8(out, type)) != 0 || (r = buf_put_u32(out, m->id)) != 0)
		return r;
	switch (type) {
	case MSG_FILE_OFFER:
		if ((r = buf_put_u32(out, m->count)) != 0 || (r = buf_put_u64(out, m->bytes)) != 0)
			return r;
		return n > FILES_PATH_MAX ? ERR_TOO_LARGE : buf_put_lv16(out, p, n);
	case MSG_FILE_ENTRY:
		if ((r = buf_put_u32(out, m->index)) != 0 || (r = buf_put_u8(out, m->kind)) != 0 ||
		    (r = buf_put_u64(out, m->bytes)) != 0)
			return r;
		return n > FILES_PATH_MAX ? ERR_TOO_LARGE : buf_put_lv16(out, p, n);
	case MSG_FILE_RESUME:
		if ((r = buf_put_u32(out, m->index)) != 0 || (r = buf_put_u64(out, m->bytes)) != 0)
			return r;
		return buf_put_bytes(out, m->hash, MSG_FILE_HASH_LEN);
	case MSG_FILE_DATA:
		if (n == 0 || n > FILES_CHUNK_BYTES)
			return ERR_TOO_LARGE;
		if ((r = buf_put_u32(out, m->index)) != 0 || (r = buf_put_u64(out, m->bytes)) != 0)
			return r;
		return buf_put_bytes(out, p, n);
	case MSG_FILE_END:
		if ((r = buf_put_u32(out, m->index)) != 0)
			return r;
		return buf_put_bytes(out, m->hash, MSG_FILE_HASH_LEN);
	case MSG_FILE_ACK:
		if ((r = buf_put_u64(out, m->bytes)) != 0)
			return r;
		return buf_put_u8(out, m->done);
	case MSG_FILE_CANCEL:
		if ((r = buf_put_u8(out, m->whose)) != 0 || (r = buf_put_u8(out, m->reason)) != 0)
			return r;
		return n > MSG_TEXT_MAX ? ERR_TOO_LARGE : buf_put_lv16(out, p, n);
	}
	return ERR_UNSUPPORTED;
}

const char *
msg_type_str(uint8_t type)
{
	switch (type) {
	case MSG_HS_OFFER: return "HS_OFFER";
	case MSG_HS_INIT: return "HS_INIT";
	case MSG_HS_REPLY: return "HS_REPLY";
	case MSG_HS_CONFIRM: return "HS_CONFIRM";
	case MSG_HS_ABORT: return "HS_ABORT";
	case MSG_KEY: return "KEY";
	case MSG_ACCEPT: return "ACCEPT";
	case MSG_BYE: return "BYE";
	case MSG_LAN_OFFER: return "LAN_OFFER";
	case MSG_ASKED: return "ASKED";
	case MSG_VIDEO: return "VIDEO";
	case MSG_CURSOR: return "CURSOR";
	case MSG_INPUT: return "INPUT";
	case MSG_UPDATE_REQ: return "UPDATE_REQ";
	case MSG_CLIPBOARD: return "CLIPBOARD";
	case MSG_CHAT: return "CHAT";
	case MSG_FILE_OFFER: return "FILE_OFFER";
	case MSG_FILE_ENTRY: return "FILE_ENTRY";
	case MSG_FILE_RESUME: return "FILE_RESUME";
	case MSG_FILE_DATA: return "FILE_DATA";
	case MSG_FILE_END: return "FILE_END";
	case MSG_FILE_ACK: return "FILE_ACK";
	case MSG_FILE_CANCEL: return "FILE_CANCEL";
	case MSG_DROP_IDENTITY: return "DROP_IDENTITY";
	case MSG_DROP_LINK: return "DROP_LINK";
	case MSG_DROP_GRANT: return "DROP_GRANT";
	}
	return "unknown";
}

const char *
msg_abort_str(uint8_t reason)
{
	switch (reason) {
	case MSG_ABORT_CONFIRM: return "key confirmation failed (wrong code, or tampering)";
	case MSG_ABORT_VERSION: return "no common protocol version or cipher suite";
	case MSG_ABORT_DENIED: return "the host refused";
	case MSG_ABORT_LOCKED: return "the code was retired after too many failures";
	case MSG_ABORT_LEAVING: return "left";
	case MSG_ABORT_PROTOCOL: return "protocol violation";
	case MSG_ABORT_KICKED: return "removed by the host";
	case MSG_ABORT_ENDED: return "the host ended the session";
	case MSG_ABORT_MOVED: return "moved to a direct connection";
	case MSG_ABORT_BUSY: return "the host is checking another viewer's code; try again in a moment";
	case MSG_ABORT_TIMEOUT: return "timed out";
	case MSG_ABORT_PAUSED:
		return "the host paused new connections after repeated wrong codes";
	case MSG_ABORT_RESUME:
		return "the host no longer keeps a place for this viewer";
	}
	return "unknown reason";
}

const char *
msg_file_fail_str(uint8_t reason)
{
	switch (reason) {
	case MSG_FILE_CANCELLED: return "cancelled";
	case MSG_FILE_REFUSED: return "refused";
	case MSG_FILE_DISK_FULL: return "no space left on the receiving disk";
	case MSG_FILE_BAD_NAME: return "a name the receiver will not write";
	case MSG_FILE_BAD_SIZE: return "more files or bytes than announced";
	case MSG_FILE_CORRUPT: return "the file's hash did not match";
	case MSG_FILE_IO: return "reading or writing failed";
	case MSG_FILE_CHANGED: return "the file changed while it was sent";
	case MSG_FILE_BUSY: return "the same name is being received already";
	case MSG_FILE_LEFT: return "the connection was lost";
	}
	return "unknown reason";
}
