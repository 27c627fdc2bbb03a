/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_files_hostile.c - the file engine (files_pair.h) against what
 * breaks the rules: a hostile sender whose messages are encoded by hand
 * (bad names, sizes, orders and ids), a receiver that lies in its
 * RESUMEs and ACKs, and an inbox with symlinks and hard links planted in
 * it. Nothing may be written outside the inbox, nor under a final name
 * it was refused. Engines that play fair: test_files.c.
 */
#include "files_pair.h"

/* ---- a hostile sender: messages encoded by hand ---- */

static struct side *victim;

static int
feed(uint8_t type, uint32_t id, uint32_t count_or_index, uint64_t bytes, uint8_t kind,
    const void *p, size_t n)
{
	struct msg_file mf = { .id = id, .count = count_or_index, .index = count_or_index,
		.bytes = bytes, .kind = kind };
	struct buf *out = buf_new(1 << 20);
	struct msg m;
	int r;

	if (type == MSG_FILE_CANCEL)
		mf.reason = MSG_FILE_CANCELLED;         /* whose: MINE, the sender's id */
	if (type == MSG_FILE_END && p != NULL)
		memcpy(mf.hash, p, MSG_FILE_HASH_LEN);
	if (type == MSG_FILE_END)
		n = 0;
	if (msg_file_encode(out, type, &mf, p, n) != 0 || msg_decode(out, &m) != 0)
		TEST_BAIL("hostile message %02x does not encode", type);
	r = files_take(victim->f, &m, now_ms);
	buf_free(out);
	return r;
}

#define OFFER(id, count, bytes, name) \
	feed(MSG_FILE_OFFER, id, count, bytes, 0, name, sizeof(name) - 1)
#define ENTRY(id, index, kind, size, path) \
	feed(MSG_FILE_ENTRY, id, index, size, kind, path, sizeof(path) - 1)
#define DATA(id, index, offset, lit) \
	feed(MSG_FILE_DATA, id, index, offset, 0, lit, sizeof(lit) - 1)
#define END(id, index, hash) feed(MSG_FILE_END, id, index, 0, 0, hash, 0)

/* The CANCEL the victim sent for id has reason and a text with `has`. */
static bool
cancelled(uint32_t id, uint8_t reason, const char *has)
{
	bool found = false;

	for (size_t i = victim->head; i < victim->head + victim->n; i++) {
		struct msg m;
		struct buf v;
		char text[MSG_TEXT_MAX + 1];

		buf_view(&v, victim->q[i], victim->qn[i]);
		if (msg_decode(&v, &m) != 0 || m.type != MSG_FILE_CANCEL || m.u.file.id != id)
			continue;
		memcpy(text, buf_ptr(&m.u.file.text), buf_len(&m.u.file.text));
		text[buf_len(&m.u.file.text)] = '\0';
		found = m.u.file.reason == reason && m.u.file.whose == MSG_FILE_YOURS &&
		    strstr(text, has) != NULL;
		if (!found)
			printf("#   id %u: reason %u, text \"%s\"\n", id, m.u.file.reason, text);
	}
	side_drop(victim);
	return found;
}

/* Every name in dir is a .part, or `but`. */
static bool
only_parts(const char *dir, const char *but)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	bool ok = d != NULL;

	while (d != NULL && (de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, but) == 0 ||
		    (n > 5 && strcmp(de->d_name + n - 5, ".part") == 0))
			continue;
		printf("#   not a .part: %s\n", de->d_name);
		ok = false;
	}
	if (d != NULL)
		closedir(d);
	return ok;
}

static void
hostile(void)
{
	char inbox[128], long_name[300], scratch_inbox[160];
	uint8_t zero[MSG_FILE_HASH_LEN] = { 0 }, h[MSG_FILE_HASH_LEN];
	char *before, *after, *in_list;
	struct side b;

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-hostile");
	snprintf(scratch_inbox, sizeof(scratch_inbox), "%s", inbox);
	before = listing(scratch, scratch_inbox, false);
	side_open(&b, inbox, "slot=4");
	victim = &b;

	CHECK(OFFER(1, 1, 5, "/etc/passwd") == 0 && cancelled(1, MSG_FILE_BAD_NAME, "absolute"));
	CHECK(OFFER(2, 1, 5, "..") == 0 && cancelled(2, MSG_FILE_BAD_NAME, "'..'"));
	CHECK(OFFER(3, 1, 5, "") == 0 && cancelled(3, MSG_FILE_BAD_NAME, "empty path"));
	CHECK(OFFER(4, 1, 5, "evil\x1b]0;title\x07") == 0 &&
	    cancelled(4, MSG_FILE_BAD_NAME, "control character"));
	memset(long_name, 'n', sizeof(long_name));
	CHECK(feed(MSG_FILE_OFFER, 5, 1, 5, 0, long_name, 256) == 0 &&
	    cancelled(5, MSG_FILE_BAD_NAME, "longer than 255 bytes"));
	CHECK(OFFER(6, 1, 5, "nul.txt") == 0 && cancelled(6, MSG_FILE_BAD_NAME, "reserve"));
	CHECK(OFFER(7, 1, 5, "a/b") == 0 && cancelled(7, MSG_FILE_BAD_NAME, "without '/'"));
	CHECK(OFFER(8, 1, 5, "trail.") == 0 && cancelled(8, MSG_FILE_BAD_NAME, "ending in"));
	/* Paths inside a transfer. */
	CHECK(OFFER(9, 3, 5, "x") == 0 && ENTRY(9, 0, MSG_FILE_FOLDER, 0, "x") == 0);
	CHECK(ENTRY(9, 1, MSG_FILE_REGULAR, 5, "x/../../outside") == 0 &&
	    cancelled(9, MSG_FILE_BAD_NAME, "'..'"));
	CHECK(OFFER(10, 2, 5, "y") == 0 && ENTRY(10, 0, MSG_FILE_FOLDER, 0, "y") == 0);
	CHECK(ENTRY(10, 1, MSG_FILE_REGULAR, 5, "/tmp/evil") == 0 &&
	    cancelled(10, MSG_FILE_BAD_NAME, "absolute"));
	CHECK(OFFER(11, 3, 0, "top") == 0 && ENTRY(11, 0, MSG_FILE_FOLDER, 0, "top") == 0);
	CHECK(ENTRY(11, 1, MSG_FILE_FOLDER, 0, "other") == 0 &&
	    cancelled(11, MSG_FILE_BAD_NAME, "is not inside the transfer's \"top\""));
	CHECK(OFFER(12, 1, 5, "first") == 0 &&
	    ENTRY(12, 0, MSG_FILE_REGULAR, 5, "first/second") == 0 &&
	    cancelled(12, MSG_FILE_BAD_NAME, "not the top"));
	/* Counts and sizes. */
	CHECK(OFFER(13, 1, 10, "mb.bin") == 0 &&
	    ENTRY(13, 0, MSG_FILE_REGULAR, 20, "mb.bin") == 0 &&
	    cancelled(13, MSG_FILE_BAD_SIZE, "more bytes than the 10 announced"));
	CHECK(OFFER(14, 1, 5, "past.bin") == 0 &&
	    ENTRY(14, 0, MSG_FILE_REGULAR, 5, "past.bin") == 0);
	CHECK(DATA(14, 0, 0, "0123456789") == 0 &&
	    cancelled(14, MSG_FILE_BAD_SIZE, "data past the end of past.bin"));
	CHECK(OFFER(15, 1, 5, "bad.bin") == 0 && ENTRY(15, 0, MSG_FILE_REGULAR, 5, "bad.bin") == 0);
	CHECK(DATA(15, 0, 0, "01234") == 0 && END(15, 0, zero) == 0 &&
	    cancelled(15, MSG_FILE_CORRUPT, "the hash did not match"));
	CHECK(!exists(at(inbox, "bad.bin")) && !exists(at(inbox, "bad.bin.part")));
	CHECK(OFFER(16, 3, 5, "ord") == 0 && ENTRY(16, 1, MSG_FILE_FOLDER, 0, "ord/a") == 0 &&
	    cancelled(16, MSG_FILE_BAD_SIZE, "entry 1 came where entry 0 was due"));
	CHECK(OFFER(17, 1, 10, "off.bin") == 0 &&
	    ENTRY(17, 0, MSG_FILE_REGULAR, 10, "off.bin") == 0);
	CHECK(DATA(17, 0, 3, "abc") == 0 &&
	    cancelled(17, MSG_FILE_BAD_SIZE, "at byte 3 where byte 0 was due"));
	CHECK(OFFER(18, 1, 10, "short.bin") == 0 &&
	    ENTRY(18, 0, MSG_FILE_REGULAR, 10, "short.bin") == 0);
	CHECK(DATA(18, 0, 0, "01234") == 0 && END(18, 0, zero) == 0 &&
	    cancelled(18, MSG_FILE_BAD_SIZE, "after 5 of its 10 bytes"));
	CHECK(OFFER(19, 2, 5, "single") == 0 && ENTRY(19, 0, MSG_FILE_REGULAR, 5, "single") == 0 &&
	    cancelled(19, MSG_FILE_BAD_SIZE, "single file announced as 2 entries"));
	/* A folder path through a file the same transfer wrote. */
	CHECK(OFFER(20, 3, 5, "t2") == 0 && ENTRY(20, 0, MSG_FILE_FOLDER, 0, "t2") == 0);
	crypto_generichash(h, sizeof(h), (const uint8_t *)"01234", 5, NULL, 0);
	CHECK(ENTRY(20, 1, MSG_FILE_REGULAR, 5, "t2/f") == 0 && DATA(20, 1, 0, "01234") == 0 &&
	    END(20, 1, h) == 0);
	CHECK(ENTRY(20, 2, MSG_FILE_FOLDER, 0, "t2/f/g") == 0 &&
	    cancelled(20, MSG_FILE_BAD_NAME, "goes through a file or link"));
	/* More than the disk holds (statvfs), and DATA before our RESUME. */
	CHECK(OFFER(22, 1, UINT64_C(1) << 60, "huge") == 0 &&
	    cancelled(22, MSG_FILE_DISK_FULL, "do not fit on the receiving disk"));
	write_file(at(inbox, "early.bin.part"), MIB + 1, 87);
	CHECK(OFFER(23, 1, 2 * MIB, "early.bin") == 0 &&
	    ENTRY(23, 0, MSG_FILE_REGULAR, 2 * MIB, "early.bin") == 0);
	CHECK(DATA(23, 0, MIB + 1, "x") == 0 &&
	    cancelled(23, MSG_FILE_BAD_SIZE, "data for entry 0 came out of place"));
	/* Messages that crossed a CANCEL are ignored. */
	CHECK(DATA(14, 0, 0, "01234") == 0 && ENTRY(9, 2, MSG_FILE_FOLDER, 0, "x/z") == 0 &&
	    END(15, 0, zero) == 0 && b.proto_err == 0);
	/* More entries than announced: after the last one, the stream ends. */
	CHECK(OFFER(24, 1, 0, "m") == 0 && ENTRY(24, 0, MSG_FILE_FOLDER, 0, "m") == 0);
	CHECK(ev("file-done slot=4 id=24 dir=in", "name=\"m\"", NULL, NULL) != NULL);
	CHECK(ENTRY(24, 1, MSG_FILE_REGULAR, 0, "m/extra") == ERR_PROTOCOL);
	CHECK(feed(MSG_FILE_CANCEL, 24, 0, 0, 0, "", 0) == 0);  /* a CANCEL may cross the end */
	CHECK(!exists(at(inbox, "m/extra")) && !exists(at(inbox, "m/extra.part")));
	/* Ids never offered, or offered twice. */
	CHECK(ENTRY(999, 0, MSG_FILE_REGULAR, 5, "x") == ERR_PROTOCOL);
	CHECK(DATA(998, 0, 0, "x") == ERR_PROTOCOL);
	CHECK(feed(MSG_FILE_CANCEL, 997, 0, 0, 0, "", 0) == ERR_PROTOCOL);
	CHECK(OFFER(24, 1, 5, "again") == ERR_PROTOCOL && OFFER(3, 1, 5, "again") == ERR_PROTOCOL);
	/* An ACK or RESUME for a transfer this side never sent. */
	CHECK(feed(MSG_FILE_ACK, 1, 0, 0, 0, NULL, 0) == ERR_PROTOCOL);
	CHECK(feed(MSG_FILE_RESUME, 1, 0, 0, 0, NULL, 0) == ERR_PROTOCOL);
	CHECK(files_running(b.f) == 0);
	CHECK(ev("file-failed slot=4 id=15 dir=in", "the hash did not match", NULL, NULL) != NULL);
	/* Nothing was written outside the inbox, and nothing refused under a
	 * final name: what is there is .part folders of refused transfers,
	 * the completed "m" and the completed t2/f inside t2.part. */
	after = listing(scratch, scratch_inbox, false);
	CHECK(strcmp(before, after) == 0);
	in_list = listing(inbox, NULL, false);
	CHECK(only_parts(inbox, "m"));
	CHECK(!exists(at(inbox, "past.bin")) && !exists(at(inbox, "off.bin")) &&
	    !exists(at(inbox, "short.bin")) && !exists(at(inbox, "top")) &&
	    !exists(at(inbox, "x")) && !exists(at(inbox, "t2")) && !exists(at(inbox, "ord")) &&
	    !exists(at(inbox, "single")) && exists(at(inbox, "t2.part/f")));
	free(before);
	free(after);
	free(in_list);
	side_close(&b, NULL);
}

/* A receiver that lies: a RESUME past the end, an ACK of more than was
 * sent, a done before the end. The sender cancels each with its reason. */
static void
hostile_receiver(void)
{
	struct side a;

	events_clear();
	write_file(at(src, "lied.bin"), 2 * MIB, 90);
	side_open(&a, NULL, "");
	victim = &a;
	for (uint32_t id = 1; id <= 3; id++) {
		CHECK(send_path(&a, at(src, "lied.bin")) == 0 && files_pump(a.f, now_ms) == 0);
		CHECK(a.n == 2 && a.q[a.head][0] == MSG_FILE_OFFER &&
		    a.q[a.head + 1][0] == MSG_FILE_ENTRY);      /* it waits for RESUME */
		side_drop(&a);
	}
	CHECK(feed(MSG_FILE_RESUME, 1, 0, 2 * MIB + 1, 0, NULL, 0) == 0);
	CHECK(ev("file-failed id=1 dir=out", "a RESUME past the end of lied.bin", NULL, NULL));
	CHECK(feed(MSG_FILE_ACK, 2, 0, 10, 0, NULL, 0) == 0);
	CHECK(ev("file-failed id=2 dir=out", "an ACK of 10 bytes after 0 were sent", NULL, NULL));
	CHECK(feed(MSG_FILE_RESUME, 3, 0, 0, 0, NULL, 0) == 0 && files_pump(a.f, now_ms) == 0);
	{
		struct msg_file done = { .id = 3, .bytes = 0, .done = 1 };
		struct buf *out = buf_new(64);
		struct msg m;

		CHECK(msg_file_encode(out, MSG_FILE_ACK, &done, NULL, 0) == 0 &&
		    msg_decode(out, &m) == 0 && files_take(a.f, &m, now_ms) == 0);
		buf_free(out);
	}
	CHECK(ev("file-failed id=3 dir=out", "said done before entry 0 of 1 was sent", NULL, NULL));
	CHECK(files_running(a.f) == 0);
	/* An ACK for a transfer never offered ends the stream. */
	CHECK(feed(MSG_FILE_ACK, 9, 0, 0, 0, NULL, 0) == ERR_PROTOCOL);
	side_close(&a, NULL);
}

/* ---- an inbox with symlinks and links planted in it ---- */

static void
planted(void)
{
	char inbox[128], outside[128], tree[256], p[512];
	char *before, *after;
	struct side a, b;

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-planted");
	folder(outside, sizeof(outside), "outside");
	write_file(at(outside, "victim"), 100, 80);
	before = listing(outside, NULL, false);
	/* Sources. */
	snprintf(tree, sizeof(tree), "%s/logs", src);
	mkdir(tree, 0755);
	write_file(at(tree, "a.txt"), 100, 81);
	snprintf(tree, sizeof(tree), "%s/logs2", src);
	mkdir(tree, 0755);
	write_file(at(tree, "b.txt"), 100, 82);
	snprintf(tree, sizeof(tree), "%s/deep", src);
	mkdir(tree, 0755);
	mkdir(at(tree, "sub"), 0755);
	write_file(at(tree, "sub/x.txt"), 100, 83);
	write_file(at(src, "one.txt"), 100, 84);
	write_file(at(src, "two.txt"), 100, 85);
	write_file(at(src, "three.bin"), MIB + MIB / 2, 86);
	/* What a local attacker placed in the inbox. */
	CHECK(symlink(outside, at(inbox, "logs.part")) == 0);          /* the folder's .part */
	snprintf(p, sizeof(p), "%s/target", outside);
	CHECK(symlink(p, at(inbox, "one.txt.part")) == 0);             /* a file's .part */
	CHECK(symlink(outside, at(inbox, "two.txt")) == 0);            /* a final name */
	CHECK(symlink(outside, at(inbox, "logs2")) == 0);              /* a folder's final name */
	CHECK(link(at(outside, "victim"), at(inbox, "three.bin.part")) == 0); /* a hard link */
	CHECK(mkdir(at(inbox, "deep.part"), 0755) == 0 &&
	    symlink(outside, at(inbox, "deep.part/sub")) == 0);        /* inside a .part */

	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "logs")) == 0 && send_path(&a, at(src, "one.txt")) == 0 &&
	    send_path(&a, at(src, "two.txt")) == 0 && send_path(&a, at(src, "logs2")) == 0 &&
	    send_path(&a, at(src, "three.bin")) == 0 && send_path(&a, at(src, "deep")) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(ev("file-failed id=1 dir=in",
	    "logs: its .part in the inbox is a link or not a folder", NULL, NULL) != NULL);
	CHECK(ev("file-failed id=2 dir=in", "one.txt: its .part in the inbox is a link", NULL,
	    NULL) != NULL);
	CHECK(same_file(at(src, "two.txt"), at(inbox, "two (1).txt")));
	CHECK(same_file(at(src, "logs2/b.txt"), at(inbox, "logs2 (1)/b.txt")));
	CHECK(ev("file-failed id=5 dir=in", "three.bin: its .part in the inbox is a link or not a "
	    "plain file", NULL, NULL) != NULL);
	CHECK(ev("file-failed id=6 dir=in", "deep/sub goes through a file or link", NULL,
	    NULL) != NULL);
	after = listing(outside, NULL, false);
	CHECK(strcmp(before, after) == 0 && !exists(p));
	free(before);
	free(after);
	side_close(&a, NULL);
	side_close(&b, NULL);
}

int
main(void)
{
	files_pair_start();
	hostile();
	hostile_receiver();
	planted();
	return files_pair_done();
}
