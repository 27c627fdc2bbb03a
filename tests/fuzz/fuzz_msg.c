/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_msg.c - session messages, as both clients decode them after AEAD. */
#include <stdint.h>
#include <string.h>

#include "msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);

/* The limits the file engine relies on without checking them again, and
 * one form only: what decodes encodes back to the same bytes. */
static void
check_file(uint8_t type, const struct msg_file *f, const uint8_t *d, size_t n)
{
	const uint8_t *t = buf_ptr(&f->text);
	size_t tn = buf_len(&f->text);
	struct buf re;

	if (f->id == 0)
		__builtin_trap();
	switch (type) {
	case MSG_FILE_OFFER:
		if (f->count == 0 || f->count > FILES_ENTRIES_MAX || tn > FILES_PATH_MAX ||
		    !buf_utf8_valid(t, tn))
			__builtin_trap();
		break;
	case MSG_FILE_ENTRY:
		if ((f->kind != MSG_FILE_REGULAR && f->kind != MSG_FILE_FOLDER) ||
		    (f->kind == MSG_FILE_FOLDER && f->bytes != 0) || tn > FILES_PATH_MAX ||
		    !buf_utf8_valid(t, tn))
			__builtin_trap();
		break;
	case MSG_FILE_DATA:
		if (tn == 0 || tn > FILES_CHUNK_BYTES || f->bytes > UINT64_MAX - tn)
			__builtin_trap();
		break;
	case MSG_FILE_ACK:
		if (f->done > 1)
			__builtin_trap();
		break;
	case MSG_FILE_CANCEL:
		if ((f->whose != MSG_FILE_MINE && f->whose != MSG_FILE_YOURS) ||
		    f->reason < MSG_FILE_CANCELLED || f->reason > MSG_FILE_LEFT ||
		    tn > MSG_TEXT_MAX || !buf_utf8_valid(t, tn))
			__builtin_trap();
		break;
	}
	buf_init(&re, n);
	if (msg_file_encode(&re, type, f, t, tn) != 0 || buf_len(&re) != n ||
	    memcmp(buf_ptr(&re), d, n) != 0)
		__builtin_trap();
	buf_release(&re);
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct buf in, re;
	struct msg m;
	uint8_t tmp[64];

	buf_view(&in, d, n);
	if (msg_decode(&in, &m) != 0)
		return 0;
	/* Whatever decodes must hold the limits the callers rely on. */
	switch (m.type) {
	case MSG_HS_OFFER:
		if (strlen(m.u.offer.name) > MSG_NAME_MAX)
			__builtin_trap();
		break;
	case MSG_CHAT:
		if (buf_len(&m.u.text) > MSG_TEXT_MAX)
			__builtin_trap();
		break;
	case MSG_VIDEO:
		if (m.u.video.raw_len > MSG_VIDEO_RAW_MAX_BYTES ||
		    ((m.u.video.flags & MSG_VIDEO_KEY) ? m.u.video.width == 0 || m.u.video.base != 0
		    : m.u.video.base == 0 || m.u.video.base >= m.u.video.frame))
			__builtin_trap();
		/* One form only: what decodes encodes back to the same bytes. */
		buf_init(&re, n);
		if (msg_video_encode_head(&re, &m.u.video) != 0 ||
		    buf_put_bytes(&re, buf_ptr(&m.u.video.z), buf_len(&m.u.video.z)) != 0 ||
		    buf_len(&re) != n || memcmp(buf_ptr(&re), d, n) != 0)
			__builtin_trap();
		buf_release(&re);
		break;
	case MSG_CURSOR:
		/* The shape inflates into exactly w * h pixels, or is refused. */
		if (m.u.cursor.flags & MSG_CURSOR_SHAPE) {
			static uint32_t px[MSG_CURSOR_DIM_MAX * MSG_CURSOR_DIM_MAX];

			if (m.u.cursor.w > MSG_CURSOR_DIM_MAX || m.u.cursor.h > MSG_CURSOR_DIM_MAX)
				__builtin_trap();
			(void)msg_cursor_pixels(&m.u.cursor, px);
		}
		break;
	case MSG_FILE_OFFER:
	case MSG_FILE_ENTRY:
	case MSG_FILE_RESUME:
	case MSG_FILE_DATA:
	case MSG_FILE_END:
	case MSG_FILE_ACK:
	case MSG_FILE_CANCEL:
		check_file(m.type, &m.u.file, d, n);
		break;
	case MSG_INPUT:
		buf_init(&re, sizeof(tmp));
		if (msg_input_encode(&re, &m.u.input) != 0 || buf_len(&re) != n ||
		    memcmp(buf_ptr(&re), d, n) != 0)
			__builtin_trap();
		buf_release(&re);
		break;
	case MSG_DROP_IDENTITY:
	case MSG_DROP_LINK: {
		/* file drop: a link is 1..DROP_LINK_MAX_BYTES of printable ASCII
		 * (the viewer copies it into a buffer of that size); one form. */
		static char link[DROP_LINK_MAX_BYTES + 1];
		size_t ln = buf_len(&m.u.text);
		int r;

		buf_init(&re, n);
		if (m.type == MSG_DROP_LINK) {
			if (ln == 0 || ln > DROP_LINK_MAX_BYTES)
				__builtin_trap();
			memcpy(link, buf_ptr(&m.u.text), ln);
			link[ln] = '\0';
			for (size_t i = 0; i < ln; i++)
				if (link[i] <= ' ' || link[i] > '~')
					__builtin_trap();
			r = msg_drop_link_encode(&re, link);
		} else {
			r = msg_drop_identity_encode(&re, m.u.drop_pk);
		}
		if (r != 0 || buf_len(&re) != n || memcmp(buf_ptr(&re), d, n) != 0)
			__builtin_trap();
		buf_release(&re);
		break;
	}
	case MSG_DROP_GRANT: {
		/* printable ASCII relay and tier within their bounds (the viewer
		 * copies them into buffers of those sizes), a grant of 1..64 bytes;
		 * one form */
		static char relay[CLIENT_RELAY_TEXT_MAX + 1], tier[MSG_DROP_TIER_MAX + 1];
		const struct msg_drop_grant *g = &m.u.drop_grant;
		size_t nr = buf_len(&g->relay), nt = buf_len(&g->tier);

		if (nr == 0 || nr > CLIENT_RELAY_TEXT_MAX || nt == 0 || nt > MSG_DROP_TIER_MAX ||
		    buf_len(&g->grant) == 0 || buf_len(&g->grant) > WIRE_DROP_GRANT_MAX)
			__builtin_trap();
		memcpy(relay, buf_ptr(&g->relay), nr);
		relay[nr] = '\0';
		memcpy(tier, buf_ptr(&g->tier), nt);
		tier[nt] = '\0';
		for (size_t i = 0; i < nr; i++)
			if (relay[i] <= ' ' || relay[i] > '~')
				__builtin_trap();
		for (size_t i = 0; i < nt; i++)
			if (tier[i] <= ' ' || tier[i] > '~')
				__builtin_trap();
		buf_init(&re, n);
		if (msg_drop_grant_encode(&re, relay, tier, buf_ptr(&g->grant),
		    buf_len(&g->grant)) != 0 || buf_len(&re) != n ||
		    memcmp(buf_ptr(&re), d, n) != 0)
			__builtin_trap();
		buf_release(&re);
		break;
	}
	}
	return 0;
}
