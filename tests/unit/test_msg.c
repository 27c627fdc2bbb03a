/* SPDX-License-Identifier: Apache-2.0 */
/* test_msg.c - session messages: every type round-trips, every limit holds. */
#include <string.h>

#include <zstd.h>

#include "msg.h"
#include "test.h"

static struct buf *out;

static int
decode(struct msg *m)
{
	return msg_decode(out, m);
}

static void
round_trips(void)
{
	struct msg m;
	struct msg_hs_offer o = { .version = MSG_VERSION, .suites = 3 };
	struct msg_hs_init in = { .version = MSG_VERSION, .suites = 2 };
	struct msg_hs_reply rep = { .suite = 1 };
	struct msg_key k = { .epoch = 7, .suite = 2 };
	struct msg_accept a = { .rights = 3, .width = 1920, .height = 1080 };
	struct msg_video v = { .frame = 5, .base = 4, .part = 2, .width = 64, .height = 64,
		.flags = MSG_VIDEO_LAST, .raw_len = 100 };
	struct msg_input ev = { .kind = MSG_INPUT_KEY, .arg = 1, .x = 38, .code = 0xFE03 };
	uint8_t tag[MSG_TAG_LEN];

	memset(o.nonce, 1, sizeof(o.nonce));
	memset(o.commit, 9, sizeof(o.commit));
	strcpy(o.name, "Hörstation");
	buf_reset(out);
	CHECK(msg_hs_offer_encode(out, &o) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_HS_OFFER && m.u.offer.suites == 3 &&
	    strcmp(m.u.offer.name, "Hörstation") == 0 && m.u.offer.nonce[15] == 1 &&
	    m.u.offer.commit[0] == 9 && m.u.offer.commit[31] == 9);
	/* Another version is refused before the rest is read. */
	o.version = MSG_VERSION + 1;
	CHECK(msg_hs_offer_encode(out, &o) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_UNSUPPORTED);
	buf_reset(out);
	o.version = MSG_VERSION;
	in.version = 1;
	CHECK(msg_hs_init_encode(out, &in) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_UNSUPPORTED);
	buf_reset(out);
	in.version = MSG_VERSION;
	CHECK(msg_empty_encode(out, MSG_ASKED) == 0 && decode(&m) == 0 && m.type == MSG_ASKED);

	memset(in.pk, 2, sizeof(in.pk));
	memset(in.ya, 3, sizeof(in.ya));
	strcpy(in.name, "desk");
	CHECK(msg_hs_init_encode(out, &in) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_HS_INIT && m.u.init.pk[31] == 2 && m.u.init.ya[0] == 3);

	memset(rep.tag, 4, sizeof(rep.tag));
	CHECK(msg_hs_reply_encode(out, &rep) == 0 && decode(&m) == 0);
	CHECK(m.u.reply.suite == 1 && m.u.reply.tag[0] == 4);
	memset(tag, 5, sizeof(tag));
	CHECK(msg_hs_confirm_encode(out, tag) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_HS_CONFIRM && m.u.confirm_tag[31] == 5);
	CHECK(msg_hs_abort_encode(out, MSG_ABORT_CONFIRM) == 0 && decode(&m) == 0);
	CHECK(m.u.abort_reason == MSG_ABORT_CONFIRM);

	memset(k.sealed, 6, sizeof(k.sealed));
	CHECK(msg_key_encode(out, &k) == 0 && decode(&m) == 0);
	CHECK(m.u.key.epoch == 7 && m.u.key.suite == 2 && m.u.key.sealed[79] == 6);
	CHECK(msg_accept_encode(out, &a) == 0 && decode(&m) == 0);
	CHECK(m.u.accept.rights == 3 && m.u.accept.width == 1920);
	CHECK(msg_bye_encode(out, MSG_ABORT_LEAVING, "bis später") == 0 && decode(&m) == 0);
	CHECK(m.u.bye.reason == MSG_ABORT_LEAVING && buf_len(&m.u.bye.text) == 11);

	CHECK(msg_video_encode_head(out, &v) == 0);
	CHECK(buf_len(out) == 9);       /* type, flags, frame, delta, part, raw_len */
	CHECK(buf_put_bytes(out, "zstd", 4) == 0);
	CHECK(decode(&m) == 0 && m.u.video.frame == 5 && m.u.video.base == 4 && m.u.video.part == 2 &&
	    m.u.video.raw_len == 100 && m.u.video.width == 0 && buf_len(&m.u.video.z) == 4);
	/* A key frame says the size; large numbers take more bytes. */
	v.flags = MSG_VIDEO_KEY;
	v.base = 0;
	v.frame = 0x12345678;
	v.part = 300;
	v.raw_len = MSG_VIDEO_RAW_MAX_BYTES;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK(decode(&m) == 0 && m.u.video.frame == 0x12345678 && m.u.video.base == 0 &&
	    m.u.video.part == 300 && m.u.video.width == 64 && m.u.video.height == 64 &&
	    m.u.video.raw_len == MSG_VIDEO_RAW_MAX_BYTES);
	CHECK(msg_input_encode(out, &ev) == 0 && decode(&m) == 0);
	CHECK(m.u.input.kind == MSG_INPUT_KEY && m.u.input.code == 0xFE03 && m.u.input.x == 38);
	CHECK(msg_update_req_encode(out, 1) == 0 && decode(&m) == 0 && m.u.update_full == 1);
	CHECK(msg_clipboard_encode(out, "Zwischenablage", 14) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_CLIPBOARD && buf_len(&m.u.text) == 14);
	CHECK(msg_chat_encode(out, "hallo", 5) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_CHAT && memcmp(buf_ptr(&m.u.text), "hallo", 5) == 0);
}

/* Decode bytes given as a string literal (with its length). */
static int
dec_bytes(const char *p, size_t n)
{
	struct buf v;
	struct msg m;

	buf_view(&v, p, n);
	return msg_decode(&v, &m);
}
#define DEC(lit) dec_bytes(lit, sizeof(lit) - 1)

static void
refusals(void)
{
	static uint8_t big[MSG_CLIPBOARD_MAX + 16];
	struct msg_video v = { .frame = 1, .base = 0, .width = 8, .height = 8,
		.flags = MSG_VIDEO_LAST, .raw_len = 10 };
	struct msg m;

	CHECK_ERR(DEC(""), ERR_INCOMPLETE);
	CHECK_ERR(DEC("\x7F"), ERR_UNSUPPORTED);
	CHECK_ERR(DEC("\x04" "short"), ERR_INCOMPLETE);
	CHECK_ERR(DEC("\x05\x01\x00"), ERR_TRAILING);
	CHECK_ERR(DEC("\x31\x02"), ERR_FORMAT);                 /* full must be 0/1 */
	CHECK_ERR(DEC("\x33\x00\x02\xC3\x28"), ERR_FORMAT);     /* bad UTF-8 chat */
	CHECK_ERR(DEC("\x11\x02\x00\x10\x00\x10"), ERR_FORMAT); /* control without view */
	CHECK_ERR(DEC("\x11\x01\x30\x00\x00\x10"), ERR_TOO_LARGE);
	CHECK_ERR(DEC("\x30\x05\x00\x00\x00\x00\x00\x00\x00\x00\x00"), ERR_FORMAT);
	CHECK_ERR(DEC("\x30\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01"), ERR_FORMAT); /* button 0 */
	CHECK_ERR(DEC("\x30\x04\x01\x00\x00\x00\x00\x20\x00\x00\x00"), ERR_FORMAT); /* keysym */
	/* A name with a newline could forge a log line. */
	CHECK_ERR(DEC("\x01\x03\x03" "0123456789abcdef" "0123456789abcdef0123456789abcdef"
	    "\x00\x02" "a\n"), ERR_FORMAT);
	CHECK_ERR(DEC("\x01\x03\x00" "0123456789abcdef" "0123456789abcdef0123456789abcdef"
	    "\x00\x01" "a"), ERR_FORMAT);
	CHECK_ERR(DEC("\x01\x01\x03" "0123456789abcdef" "\x00\x01" "a"), ERR_UNSUPPORTED);
	/* A delta on itself or on no frame, unknown flags, too large. */
	buf_reset(out);
	v.frame = v.base = 3;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_FORMAT);
	buf_reset(out);
	v.frame = 1;
	v.base = 0;
	v.flags = MSG_VIDEO_LAST;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_FORMAT);
	buf_reset(out);
	v.flags = 0x80 | MSG_VIDEO_KEY;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_FORMAT);
	buf_reset(out);
	v.flags = 0x10 | MSG_VIDEO_KEY;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_FORMAT);
	/* RESTART parses on a diff (the viewer checks it is on part 0). */
	buf_reset(out);
	v.frame = 5;
	v.base = 4;
	v.flags = MSG_VIDEO_RESTART | MSG_VIDEO_LAST;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK(msg_decode(out, &m) == 0 && m.u.video.flags == (MSG_VIDEO_RESTART | MSG_VIDEO_LAST) &&
	    m.u.video.base == 4);
	v.frame = 1;
	v.base = 0;
	buf_reset(out);
	v.flags = MSG_VIDEO_KEY;
	v.raw_len = MSG_VIDEO_RAW_MAX_BYTES + 1;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_TOO_LARGE);
	buf_reset(out);
	v.raw_len = 10;
	v.width = MSG_DIM_MAX + 1;
	CHECK(msg_video_encode_head(out, &v) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_TOO_LARGE);
	/* Numbers in their shortest form only, in range. */
	CHECK_ERR(DEC("\x20\x00\x00\x00\x00\x05\x81\x00\x00\x0a" "z"), ERR_FORMAT);
	CHECK_ERR(DEC("\x20\x00\x00\x00\x00\x05\x01\x80\x80\x04\x0a" "z"), ERR_FORMAT);
	CHECK_ERR(DEC("\x20\x00\x00\x00\x00\x05\x01\x00\xff\xff\xff\xff\x1f" "z"),
	    ERR_FORMAT);
	CHECK_ERR(DEC("\x20\x00\x00\x00\x00\x05\x01\x00\x8a"), ERR_INCOMPLETE);
	CHECK_ERR(DEC("\x20\x00\x00\x00\x00\x05\x01\x00\x0a" "z"), 0);
	/* Clipboard over its limit: refused by the encoder and the decoder. */
	buf_reset(out);
	CHECK_ERR(msg_clipboard_encode(out, big, MSG_CLIPBOARD_MAX + 1), ERR_TOO_LARGE);
	CHECK(buf_put_u8(out, MSG_CLIPBOARD) == 0 && buf_put_u32(out, MSG_CLIPBOARD_MAX + 1) == 0);
	CHECK_ERR(msg_decode(out, &m), ERR_TOO_LARGE);
	CHECK_ERR(msg_chat_encode(out, big, MSG_TEXT_MAX + 1), ERR_TOO_LARGE);
	CHECK(strcmp(msg_type_str(0xEE), "unknown") == 0);
}

/* Encode one FILE_* message into out (the shared buffer). */
static int
file_enc(uint8_t type, const struct msg_file *f, const void *p, size_t n)
{
	buf_reset(out);
	return msg_file_encode(out, type, f, p, n);
}

static void
file_round_trips(void)
{
	static uint8_t chunk[FILES_CHUNK_BYTES];
	struct msg_file f = { .id = 7, .count = 3, .bytes = UINT64_C(5) << 32 };
	struct msg m;

	CHECK(file_enc(MSG_FILE_OFFER, &f, "logs", 4) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_FILE_OFFER && m.u.file.id == 7 && m.u.file.count == 3 &&
	    m.u.file.bytes == UINT64_C(5) << 32 && buf_len(&m.u.file.text) == 4 &&
	    memcmp(buf_ptr(&m.u.file.text), "logs", 4) == 0);
	/* A name with a newline is UTF-8 and travels as it is (relpath.h judges it). */
	CHECK(file_enc(MSG_FILE_OFFER, &f, "a\nb", 3) == 0 && decode(&m) == 0 &&
	    buf_len(&m.u.file.text) == 3);
	f = (struct msg_file){ .id = 7, .index = 2, .kind = MSG_FILE_REGULAR, .bytes = 99 };
	CHECK(file_enc(MSG_FILE_ENTRY, &f, "logs/ä.txt", 11) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_FILE_ENTRY && m.u.file.index == 2 &&
	    m.u.file.kind == MSG_FILE_REGULAR && m.u.file.bytes == 99 &&
	    buf_len(&m.u.file.text) == 11);
	f = (struct msg_file){ .id = 7, .index = 1, .kind = MSG_FILE_FOLDER };
	CHECK(file_enc(MSG_FILE_ENTRY, &f, "logs/sub", 8) == 0 && decode(&m) == 0 &&
	    m.u.file.kind == MSG_FILE_FOLDER && m.u.file.bytes == 0);
	f = (struct msg_file){ .id = 0xFFFFFFFF, .index = 4, .bytes = 1 << 20 };
	memset(f.hash, 0xAB, sizeof(f.hash));
	CHECK(file_enc(MSG_FILE_RESUME, &f, NULL, 0) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_FILE_RESUME && m.u.file.id == 0xFFFFFFFF && m.u.file.index == 4 &&
	    m.u.file.bytes == 1 << 20 && m.u.file.hash[0] == 0xAB && m.u.file.hash[31] == 0xAB);
	f = (struct msg_file){ .id = 1, .index = 0, .bytes = 65536 };
	memset(chunk, 0x5A, sizeof(chunk));
	CHECK(file_enc(MSG_FILE_DATA, &f, chunk, sizeof(chunk)) == 0);
	CHECK(buf_len(out) == MSG_FILE_DATA_HEAD_LEN + sizeof(chunk));
	CHECK(decode(&m) == 0 && m.type == MSG_FILE_DATA && m.u.file.bytes == 65536 &&
	    buf_len(&m.u.file.text) == sizeof(chunk) && buf_ptr(&m.u.file.text)[100] == 0x5A);
	CHECK(file_enc(MSG_FILE_DATA, &f, "x", 1) == 0 && decode(&m) == 0 &&
	    buf_len(&m.u.file.text) == 1);
	f = (struct msg_file){ .id = 2, .index = 9 };
	memset(f.hash, 0x11, sizeof(f.hash));
	CHECK(file_enc(MSG_FILE_END, &f, NULL, 0) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_FILE_END && m.u.file.index == 9 && m.u.file.hash[31] == 0x11);
	f = (struct msg_file){ .id = 2, .bytes = 123456789, .done = 1 };
	CHECK(file_enc(MSG_FILE_ACK, &f, NULL, 0) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_FILE_ACK && m.u.file.bytes == 123456789 && m.u.file.done == 1);
	f = (struct msg_file){ .id = 3, .whose = MSG_FILE_YOURS, .reason = MSG_FILE_DISK_FULL };
	CHECK(file_enc(MSG_FILE_CANCEL, &f, "voll", 4) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_FILE_CANCEL && m.u.file.whose == MSG_FILE_YOURS &&
	    m.u.file.reason == MSG_FILE_DISK_FULL && buf_len(&m.u.file.text) == 4);
	f.reason = MSG_FILE_LEFT;
	f.whose = MSG_FILE_MINE;
	CHECK(file_enc(MSG_FILE_CANCEL, &f, "", 0) == 0 && decode(&m) == 0 &&
	    m.u.file.reason == MSG_FILE_LEFT && m.u.file.whose == MSG_FILE_MINE);
	CHECK(strcmp(msg_type_str(MSG_FILE_DATA), "FILE_DATA") == 0);
	CHECK(strcmp(msg_file_fail_str(MSG_FILE_CORRUPT), "the file's hash did not match") == 0);
	CHECK(strcmp(msg_file_fail_str(0), "unknown reason") == 0);
}

static void
file_refusals(void)
{
	static uint8_t big[FILES_CHUNK_BYTES + 1];
	static char path[FILES_PATH_MAX + 1];
	struct msg_file f = { .id = 1, .count = 1, .bytes = 10 };
	struct msg m;

	/* Zero id, in every type. */
	CHECK_ERR(DEC("\x40\0\0\0\0" "\0\0\0\1" "\0\0\0\0\0\0\0\1" "\0\1a"), ERR_FORMAT);
	CHECK_ERR(DEC("\x45\0\0\0\0" "\0\0\0\0\0\0\0\1" "\1"), ERR_FORMAT);
	CHECK_ERR(DEC("\x46\0\0\0\0" "\0\1" "\0\0"), ERR_FORMAT);
	/* Count 0, and one over FILES_ENTRIES_MAX (100000 = 0x0186A0). */
	CHECK_ERR(DEC("\x40\0\0\0\1" "\0\0\0\0" "\0\0\0\0\0\0\0\1" "\0\1a"), ERR_FORMAT);
	CHECK_ERR(DEC("\x40\0\0\0\1" "\0\x01\x86\xA1" "\0\0\0\0\0\0\0\1" "\0\1a"), ERR_FORMAT);
	CHECK_ERR(DEC("\x40\0\0\0\1" "\0\x01\x86\xA0" "\0\0\0\0\0\0\0\1" "\0\1a"), 0);
	/* A name that is not UTF-8, or longer than FILES_PATH_MAX. */
	CHECK_ERR(DEC("\x40\0\0\0\1" "\0\0\0\1" "\0\0\0\0\0\0\0\1" "\0\1\xFF"), ERR_FORMAT);
	memset(path, 'a', sizeof(path));
	CHECK_ERR(file_enc(MSG_FILE_OFFER, &f, path, FILES_PATH_MAX + 1), ERR_TOO_LARGE);
	CHECK(file_enc(MSG_FILE_OFFER, &f, path, FILES_PATH_MAX) == 0 && decode(&m) == 0);
	buf_reset(out);
	CHECK(buf_put_bytes(out, "\x40\0\0\0\1\0\0\0\1\0\0\0\0\0\0\0\1", 17) == 0 &&
	    buf_put_lv16(out, path, FILES_PATH_MAX + 1) == 0);
	CHECK_ERR(decode(&m), ERR_TOO_LARGE);
	/* A folder with a size; a kind that is neither. */
	CHECK_ERR(DEC("\x41\0\0\0\1" "\0\0\0\0" "\2" "\0\0\0\0\0\0\0\1" "\0\1a"), ERR_FORMAT);
	CHECK_ERR(DEC("\x41\0\0\0\1" "\0\0\0\0" "\2" "\0\0\0\0\0\0\0\0" "\0\1a"), 0);
	CHECK_ERR(DEC("\x41\0\0\0\1" "\0\0\0\0" "\3" "\0\0\0\0\0\0\0\0" "\0\1a"), ERR_FORMAT);
	CHECK_ERR(DEC("\x41\0\0\0\1" "\0\0\0\0" "\0" "\0\0\0\0\0\0\0\0" "\0\1a"), ERR_FORMAT);
	/* DATA: empty, one byte over the chunk, an offset that would wrap. */
	CHECK_ERR(DEC("\x43\0\0\0\1" "\0\0\0\0" "\0\0\0\0\0\0\0\0"), ERR_FORMAT);
	f = (struct msg_file){ .id = 1 };
	CHECK_ERR(file_enc(MSG_FILE_DATA, &f, big, sizeof(big)), ERR_TOO_LARGE);
	CHECK_ERR(file_enc(MSG_FILE_DATA, &f, big, 0), ERR_TOO_LARGE);
	buf_reset(out);
	CHECK(buf_put_bytes(out, "\x43\0\0\0\1\0\0\0\0\0\0\0\0\0\0\0\0", 17) == 0 &&
	    buf_put_bytes(out, big, sizeof(big)) == 0);
	CHECK_ERR(decode(&m), ERR_TOO_LARGE);
	CHECK_ERR(DEC("\x43\0\0\0\1" "\0\0\0\0" "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF" "ab"),
	    ERR_FORMAT);
	CHECK_ERR(DEC("\x43\0\0\0\1" "\0\0\0\0" "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFE" "a"), 0);
	/* CANCEL: whose other than 0/1, reason outside the enum. */
	CHECK_ERR(DEC("\x46\0\0\0\1" "\2\1" "\0\0"), ERR_FORMAT);
	CHECK_ERR(DEC("\x46\0\0\0\1" "\0\0" "\0\0"), ERR_FORMAT);
	CHECK_ERR(DEC("\x46\0\0\0\1" "\0\x0B" "\0\0"), ERR_FORMAT);
	CHECK_ERR(DEC("\x46\0\0\0\1" "\1\x0A" "\0\0"), 0);
	/* ACK done other than 0/1. */
	CHECK_ERR(DEC("\x45\0\0\0\1" "\0\0\0\0\0\0\0\1" "\2"), ERR_FORMAT);
	/* Trailing bytes after every fixed box; short boxes. */
	CHECK_ERR(DEC("\x40\0\0\0\1" "\0\0\0\1" "\0\0\0\0\0\0\0\1" "\0\1a" "x"), ERR_TRAILING);
	CHECK_ERR(DEC("\x41\0\0\0\1" "\0\0\0\0" "\1" "\0\0\0\0\0\0\0\0" "\0\1a" "x"), ERR_TRAILING);
	CHECK_ERR(DEC("\x45\0\0\0\1" "\0\0\0\0\0\0\0\1" "\1" "x"), ERR_TRAILING);
	CHECK_ERR(DEC("\x46\0\0\0\1" "\1\1" "\0\0" "x"), ERR_TRAILING);
	f = (struct msg_file){ .id = 1 };
	CHECK(file_enc(MSG_FILE_END, &f, NULL, 0) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(decode(&m), ERR_TRAILING);
	CHECK(file_enc(MSG_FILE_RESUME, &f, NULL, 0) == 0 && buf_put_u8(out, 0) == 0);
	CHECK_ERR(decode(&m), ERR_TRAILING);
	CHECK_ERR(DEC("\x44\0\0\0\1" "\0\0\0\0" "short hash"), ERR_INCOMPLETE);
	CHECK_ERR(DEC("\x42\0\0\0\1"), ERR_INCOMPLETE);
	CHECK_ERR(DEC("\x47\0\0\0\1"), ERR_UNSUPPORTED);
}

static void
cursor(void)
{
	static uint32_t argb[MSG_CURSOR_DIM_MAX * MSG_CURSOR_DIM_MAX];
	static uint32_t got[MSG_CURSOR_DIM_MAX * MSG_CURSOR_DIM_MAX];
	struct msg_cursor c = { .x = -5, .y = 700, .flags = MSG_CURSOR_SHAPE, .w = 2, .h = 3,
		.hot_x = 1, .hot_y = 2 };
	struct msg m;

	argb[0] = 0xFF102030;
	argb[5] = 0x80FFFFFF;
	buf_reset(out);
	CHECK(msg_cursor_encode(out, &c, argb) == 0 && msg_decode(out, &m) == 0);
	CHECK(m.type == MSG_CURSOR && m.u.cursor.x == -5 && m.u.cursor.y == 700 &&
	    m.u.cursor.w == 2 && m.u.cursor.hot_y == 2);
	CHECK(msg_cursor_pixels(&m.u.cursor, got) == 0 && got[0] == 0xFF102030 &&
	    got[5] == 0x80FFFFFF && got[1] == 0);
	/* A mostly transparent 32x32 shape travels in a fraction of 4 KiB. */
	c.w = c.h = 32;
	for (unsigned i = 0; i < 32; i++)
		argb[i * 32 + i] = 0xFF000000;
	CHECK(msg_cursor_encode(out, &c, argb) == 0);
	CHECK(buf_len(out) < 32 * 32 * 4 / 8);
	CHECK(msg_decode(out, &m) == 0 && msg_cursor_pixels(&m.u.cursor, got) == 0 &&
	    memcmp(got, argb, 32 * 32 * 4) == 0);
	c.w = 2;
	c.h = 3;
	c.flags = 0;
	CHECK(msg_cursor_encode(out, &c, NULL) == 0 && msg_decode(out, &m) == 0 &&
	    m.u.cursor.flags == 0);
	/* Hot spot outside, too large, short pixels, unknown flags. */
	c.flags = MSG_CURSOR_SHAPE;
	c.hot_x = 2;
	CHECK_ERR(msg_cursor_encode(out, &c, argb), ERR_FORMAT);
	CHECK_ERR(DEC("\x21\0\0\0\0\x01\0\x02\0\x02\0\x02\0\0"), ERR_FORMAT);
	CHECK_ERR(DEC("\x21\0\0\0\0\x01\x01\0\0\x02\0\0\0\0"), ERR_TOO_LARGE);
	CHECK_ERR(DEC("\x21\0\0\0\0\x01\0\x01\0\x01\0\0\0\0\1\2\3"), ERR_FORMAT);
	CHECK_ERR(DEC("\x21\0\0\0\0\x01\0\x01\0\x01\0\0\0\0"), ERR_FORMAT);
	{
		/* A frame of the wrong size, or with a byte behind it. */
		uint8_t px[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, z[64];
		size_t zn = ZSTD_compress(z, sizeof(z), px, sizeof(px), 1);
		struct msg_cursor one = { .flags = MSG_CURSOR_SHAPE, .w = 1, .h = 1 };

		buf_reset(out);
		CHECK(msg_cursor_encode(out, &one, argb) == 0);
		buf_reset(out);
		CHECK(buf_put_bytes(out, "\x21\0\0\0\0\x01\0\x01\0\x01\0\0\0\0", 14) == 0 &&
		    buf_put_bytes(out, z, zn) == 0);
		CHECK_ERR(msg_decode(out, &m), ERR_FORMAT);     /* 8 bytes, not 4 */
		zn = ZSTD_compress(z, sizeof(z), px, 4, 1);
		buf_reset(out);
		CHECK(buf_put_bytes(out, "\x21\0\0\0\0\x01\0\x01\0\x01\0\0\0\0", 14) == 0 &&
		    buf_put_bytes(out, z, zn) == 0);
		CHECK(msg_decode(out, &m) == 0 && msg_cursor_pixels(&m.u.cursor, got) == 0 &&
		    got[0] == 0x01020304);
		buf_reset(out);
		CHECK(buf_put_bytes(out, "\x21\0\0\0\0\x01\0\x01\0\x01\0\0\0\0", 14) == 0 &&
		    buf_put_bytes(out, z, zn) == 0 && buf_put_u8(out, 0) == 0);
		CHECK_ERR(msg_decode(out, &m), ERR_FORMAT);
	}
	CHECK_ERR(DEC("\x21\0\0\0\0\x04"), ERR_FORMAT);
}

/* The file drop's two messages: a public key, a link of printable ASCII. */
/* DROP_GRANT: relay, tier and grant, each bounded and never empty. */
static void
drop_grant_message(void)
{
	static char relay[CLIENT_RELAY_TEXT_MAX + 2];
	uint8_t g[WIRE_DROP_GRANT_MAX + 1];
	struct msg m;

	memset(g, 0xA5, sizeof(g));
	buf_reset(out);
	CHECK(msg_drop_grant_encode(out, "relay.example:443", "tls", g, 44) == 0 &&
	    decode(&m) == 0);
	CHECK(m.type == MSG_DROP_GRANT && buf_len(&m.u.drop_grant.relay) == 17 &&
	    memcmp(buf_ptr(&m.u.drop_grant.relay), "relay.example:443", 17) == 0 &&
	    buf_len(&m.u.drop_grant.tier) == 3 && buf_len(&m.u.drop_grant.grant) == 44 &&
	    memcmp(buf_ptr(&m.u.drop_grant.grant), g, 44) == 0);
	memset(relay, 'a', CLIENT_RELAY_TEXT_MAX + 1);
	CHECK_ERR(msg_drop_grant_encode(out, relay, "tcp", g, 44), ERR_TOO_LARGE);
	CHECK_ERR(msg_drop_grant_encode(out, "h:1", "", g, 44), ERR_TOO_LARGE);
	CHECK_ERR(msg_drop_grant_encode(out, "h:1", "tcp", g, 0), ERR_TOO_LARGE);
	CHECK_ERR(msg_drop_grant_encode(out, "h:1", "tcp", g, WIRE_DROP_GRANT_MAX + 1),
	    ERR_TOO_LARGE);
	buf_reset(out);
	CHECK(DEC("\x52\x00\x03h:1\x00\x03tcp\x00\x01\x07") == 0);
	CHECK_ERR(DEC("\x52\x00\x00\x00\x03tcp\x00\x01\x07"), ERR_FORMAT);   /* no relay */
	CHECK_ERR(DEC("\x52\x00\x03h 1\x00\x03tcp\x00\x01\x07"), ERR_FORMAT); /* a blank */
	CHECK_ERR(DEC("\x52\x00\x03h:1\x00\x00\x00\x01\x07"), ERR_FORMAT);    /* no tier */
	CHECK_ERR(DEC("\x52\x00\x03h:1\x00\x11tcptcptcptcptcptc\x00\x01\x07"),
	    ERR_TOO_LARGE);                                                 /* a long tier */
	CHECK_ERR(DEC("\x52\x00\x03h:1\x00\x03tcp\x00\x00"), ERR_FORMAT);     /* no grant */
	CHECK_ERR(DEC("\x52\x00\x03h:1\x00\x03tcp\x00\x41"), ERR_TOO_LARGE);  /* 65 bytes */
	CHECK_ERR(DEC("\x52\x00\x03h:1\x00\x03tcp\x00\x01\x07\x00"), ERR_TRAILING);
	CHECK_ERR(DEC("\x52\x00\x03h:1\x00\x03tcp\x00\x02\x07"), ERR_INCOMPLETE);
}

static void
drop_messages(void)
{
	uint8_t pk[MSG_PK_LEN];
	static char big[DROP_LINK_MAX_BYTES + 2];
	struct msg m;

	for (size_t i = 0; i < sizeof(pk); i++)
		pk[i] = (uint8_t)(i + 1);
	buf_reset(out);
	CHECK(msg_drop_identity_encode(out, pk) == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_DROP_IDENTITY && memcmp(m.u.drop_pk, pk, sizeof(pk)) == 0);
	CHECK(msg_drop_link_encode(out, "fernsicht://h:1/drop/abc") == 0 && decode(&m) == 0);
	CHECK(m.type == MSG_DROP_LINK && buf_len(&m.u.text) == 24);
	memset(big, 'a', DROP_LINK_MAX_BYTES + 1);
	CHECK_ERR(msg_drop_link_encode(out, big), ERR_TOO_LARGE);
	CHECK_ERR(msg_drop_link_encode(out, ""), ERR_TOO_LARGE);
	buf_reset(out);
	CHECK_ERR(DEC("\x50\x01\x02"), ERR_INCOMPLETE);          /* a short key */
	CHECK_ERR(DEC("\x51\x00\x00"), ERR_FORMAT);              /* an empty link */
	CHECK_ERR(DEC("\x51\x00\x02\x61\x20"), ERR_FORMAT);      /* a blank */
	CHECK_ERR(DEC("\x51\x00\x02\xC3\xA4"), ERR_FORMAT);      /* not ASCII */
	CHECK_ERR(DEC("\x51\x04\x01\x61"), ERR_TOO_LARGE);       /* over the limit */
	CHECK_ERR(DEC("\x51\x00\x01\x61\x61"), ERR_TRAILING);
	drop_grant_message();
}

int
main(void)
{
	out = buf_new(1 << 20);
	drop_messages();
	round_trips();
	refusals();
	cursor();
	file_round_trips();
	file_refusals();
	buf_free(out);
	return test_done();
}
