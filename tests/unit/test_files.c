/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_files.c - the file engine between two engines that play fair, back
 * to back in memory (files_pair.h), into real folders under /tmp: single
 * files, a folder of every kind of name both ways, resume after a lost
 * connection, a shrinking source and cancels from either end, the queue
 * of transfers, the limits of the receiving side, the send window and
 * the memory a large file takes. Hostile peers and a planted inbox:
 * test_files_hostile.c.
 */
#include <malloc.h>

#include "files_pair.h"

/* Progress lines for one transfer come at most every FILES_PROGRESS_MS. */
static bool
progress_paced(const char *id_dir)
{
	uint64_t last = 0;
	size_t n = 0;

	for (size_t i = 0; i < n_lines; i++) {
		if (strncmp(lines[i], "file-progress", 13) != 0 || strstr(lines[i], id_dir) == NULL)
			continue;
		/* the line at the end may come sooner: it says "done" */
		if (n > 0 && line_ms[i] - last < FILES_PROGRESS_MS &&
		    field(lines[i], "bytes") != field(lines[i], "of"))
			return false;
		last = line_ms[i];
		n++;
	}
	return n >= 2;
}

static void
single_files(void)
{
	char inbox[128], hex[2 * MSG_FILE_HASH_LEN + 1], want[1200];
	uint8_t h[MSG_FILE_HASH_LEN];
	struct files_row rows[8];
	unsigned done, failed;
	struct side a, b;
	const char *l;
	uint8_t *p;
	size_t n;

	events_clear();
	snprintf(inbox, sizeof(inbox), "%s/made/on/demand", scratch);
	write_file(at(src, "big.bin"), 3 * MIB + 123, 1);
	write_file(at(src, "small.txt"), 1000, 2);
	write_file(at(src, "empty"), 0, 3);
	side_open(&a, NULL, "slot=1");
	side_open(&b, inbox, "");
	step_ms = 150;
	CHECK(send_path(&a, at(src, "big.bin")) == 0);
	CHECK(send_path(&a, at(src, "small.txt")) == 0);
	CHECK(send_path(&a, at(src, "empty")) == 0);
	CHECK(files_running(a.f) == 3);
	CHECK(run(&a, &b, 10000, 0, false));
	step_ms = 7;
	CHECK(a.proto_err == 0 && b.proto_err == 0);
	CHECK(same_file(at(src, "big.bin"), at(inbox, "big.bin")));
	CHECK(same_file(at(src, "small.txt"), at(inbox, "small.txt")));
	CHECK(same_file(at(src, "empty"), at(inbox, "empty")) && size_of(at(inbox, "empty")) == 0);
	CHECK(!exists(at(inbox, "big.bin.part")));
	l = ev("file-done id=1 dir=in", "name=\"big.bin\"", NULL, NULL);
	CHECK(l != NULL && field(l, "sent") == 3 * MIB + 123 &&
	    field(l, "bytes") == 3 * MIB + 123 && field(l, "files") == 1);
	snprintf(want, sizeof(want), "path=\"%s/big.bin\"", inbox);
	CHECK(l != NULL && strstr(l, want) != NULL);
	p = read_file(at(src, "big.bin"), &n);
	crypto_generichash(h, sizeof(h), p, n, NULL, 0);
	free(p);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	CHECK(l != NULL && strstr(l, hex) != NULL);
	CHECK(ev("file-done slot=1 id=1 dir=out", "name=\"big.bin\"", hex, NULL) != NULL);
	CHECK(ev("file-item slot=1 id=1 dir=out", "path=\"big.bin\"", "from=0", hex) != NULL);
	CHECK(ev("file-offer slot=1 id=3 dir=out", "name=\"empty\"", "files=1 bytes=0", NULL));
	CHECK(ev("file-done id=3 dir=in", "name=\"empty\"", "sent=0", NULL) != NULL);
	CHECK(progress_paced("id=1 dir=in") && progress_paced("id=1 dir=out"));
	files_sent_outcome(a.f, &done, &failed);
	CHECK(done == 3 && failed == 0 && files_running(a.f) == 0 && files_running(b.f) == 0);
	n = files_list(b.f, rows, 8);
	/* newest first: the big file ended last */
	CHECK(n == 3 && rows[0].id == 1 && rows[0].incoming && rows[0].state == FILES_DONE &&
	    rows[0].done_bytes == 3 * MIB + 123 && strstr(rows[0].where, "big.bin") != NULL &&
	    rows[2].id != 1 && rows[2].state == FILES_DONE);
	/* The same names again: never an overwrite. */
	for (int i = 0; i < 2; i++)         /* one after the other: at once is BUSY */
		CHECK(send_path(&a, at(src, "small.txt")) == 0 && run(&a, &b, 1000, 0, false));
	CHECK(send_path(&a, at(src, "empty")) == 0);
	CHECK(run(&a, &b, 1000, 0, false) && b.proto_err == 0);
	CHECK(same_file(at(src, "small.txt"), at(inbox, "small (1).txt")));
	CHECK(same_file(at(src, "small.txt"), at(inbox, "small (2).txt")));
	CHECK(exists(at(inbox, "empty (1)")));
	CHECK(ev("file-done id=5 dir=in", "path=", "small (2).txt", NULL) != NULL);
	/* What cannot be sent says why at once. */
	{
		char why[256];

		CHECK(files_send(a.f, at(src, "missing"), why, sizeof(why)) != 0 &&
		    strstr(why, "No such file") != NULL);
		CHECK(files_send(a.f, ".", why, sizeof(why)) != 0 && strstr(why, "'.'") != NULL);
		CHECK(symlink("big.bin", at(src, "link")) == 0);
		CHECK(files_send(a.f, at(src, "link"), why, sizeof(why)) != 0 &&
		    strstr(why, "symbolic link") != NULL);
		unlink(at(src, "link"));
	}
	side_close(&a, NULL);
	side_close(&b, NULL);
}

/* A folder of every kind of name, and what a sender must skip. */
static void
make_tree(const char *root)
{
	char p[1024];

	mkdir(root, 0755);
	write_file(at(root, "a file with spaces.txt"), 5000, 10);
	write_file(at(root, "Grüße – Übersicht ✓.txt"), 10, 11);
	write_file(at(root, "line\nbreak.txt"), 20, 12);
	write_file(at(root, "tab\tname"), 30, 13);
	write_file(at(root, "empty"), 0, 14);
	write_file(at(root, "CON"), 5, 15);                    /* skipped: reserved */
	mkdir(at(root, "sub"), 0755);
	mkdir(at(root, "sub/deeper"), 0755);
	write_file(at(root, "sub/deeper/x.bin"), 200000, 16);
	mkdir(at(root, "void"), 0755);
	mkdir(at(root, "many"), 0755);
	for (int i = 0; i < 300; i++) {
		snprintf(p, sizeof(p), "%s/many/f%03d.txt", root, i);
		write_file(p, (size_t)(i * 37) % 3000, 100 + (uint32_t)i);
	}
	if (symlink("empty", at(root, "link")) != 0 || mkfifo(at(root, "pipe"), 0644) != 0)
		TEST_BAIL("symlink/mkfifo");
}

static void
folder_both_ways(void)
{
	char inbox_a[128], inbox_b[128], tree[256];
	char *want, *got;
	struct side a, b;
	const char *l, *offer;

	events_clear();
	folder(inbox_a, sizeof(inbox_a), "inbox-a");
	folder(inbox_b, sizeof(inbox_b), "inbox-b");
	snprintf(tree, sizeof(tree), "%s/tree", src);
	make_tree(tree);
	write_file(at(src, "other way.bin"), 2 * MIB + 5, 20);
	side_open(&a, inbox_a, "slot=2");
	side_open(&b, inbox_b, "");
	CHECK(send_path(&a, tree) == 0);
	CHECK(send_path(&b, at(src, "other way.bin")) == 0);
	CHECK(run(&a, &b, 20000, 0, false));
	CHECK(a.proto_err == 0 && b.proto_err == 0);
	want = listing(tree, NULL, true);
	got = listing(at(inbox_b, "tree"), NULL, false);
	if (strcmp(want, got) != 0)
		printf("# sent:\n%s# got:\n%s", want, got);
	CHECK(strcmp(want, got) == 0 && strstr(got, "f many/f299.txt") != NULL &&
	    strstr(got, "line\nbreak.txt") != NULL && strstr(got, "d void") != NULL);
	free(want);
	free(got);
	CHECK(same_file(at(src, "other way.bin"), at(inbox_a, "other way.bin")));
	CHECK(ev("file-skipped slot=2 id=1", "path=\"tree/link\"", "symbolic link", NULL) != NULL);
	CHECK(ev("file-skipped slot=2 id=1", "path=\"tree/pipe\"", "fifo", NULL) != NULL);
	CHECK(ev("file-skipped slot=2 id=1", "path=\"tree/CON\"", "reserve", NULL) != NULL);
	CHECK(ev_count("file-skipped", NULL) == 3);
	/* A newline in a name is escaped in the line, not a line of its own. */
	CHECK(ev("file-item id=1 dir=in", "path=\"tree/line\\x0abreak.txt\"", NULL, NULL) != NULL);
	offer = ev("file-offer slot=2 id=1 dir=out", "name=\"tree\"", NULL, NULL);
	l = ev("file-done id=1 dir=in", "name=\"tree\"", NULL, NULL);
	/* tree, sub, sub/deeper, void, many: 5 folders; 6 + 300 files */
	CHECK(offer != NULL && field(offer, "files") == 5 + 306 && l != NULL &&
	    field(l, "files") == 5 + 306 && field(l, "bytes") == field(offer, "bytes") &&
	    strstr(l, "blake2b=") == NULL);
	CHECK(ev_count("file-item slot=2 id=1 dir=out", NULL) == 306);
	CHECK(ev("file-done slot=2 id=1 dir=in", "name=\"other way.bin\"", NULL, NULL) != NULL);
	/* The same folder again lands beside it. */
	CHECK(send_path(&a, tree) == 0 && run(&a, &b, 20000, 0, false) && b.proto_err == 0);
	CHECK(exists(at(inbox_b, "tree (1)/many/f123.txt")) && !exists(at(inbox_b, "tree.part")));
	side_close(&a, NULL);
	side_close(&b, NULL);
}

/* Send name from src into inbox until the receiver took stop bytes, then
 * both ends go away. */
static void
interrupted(const char *name, const char *inbox, uint64_t stop)
{
	struct side a, b;

	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, name)) == 0);
	CHECK(run(&a, &b, 10000, stop, false) && b.data_got >= stop);
	side_close(&b, NULL);
	side_close(&a, NULL);
}

static void
resume(void)
{
	char inbox[128], part[1100];
	const char *l, *item;
	struct side a, b;
	off_t kept;
	int fd;

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-resume");
	write_file(at(src, "resume.bin"), 5 * MIB + 77, 30);
	interrupted("resume.bin", inbox, 2 * MIB);
	snprintf(part, sizeof(part), "%s/resume.bin.part", inbox);
	kept = size_of(part);
	CHECK(kept >= 2 * MIB && kept < 5 * MIB + 77 && !exists(at(inbox, "resume.bin")));
	CHECK(ev("file-failed id=1 dir=in", "connection lost; resume.bin.part kept for resume",
	    NULL, NULL) != NULL);
	CHECK(ev("file-failed id=1 dir=out", "reason=\"connection lost\"", NULL, NULL) != NULL);
	/* A new connection sends it again: only the rest travels. */
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "resume.bin")) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(same_file(at(src, "resume.bin"), at(inbox, "resume.bin")) && !exists(part));
	l = ev("file-done id=1 dir=in", "resume.bin", NULL, NULL);
	item = ev("file-item id=1 dir=in", "resume.bin", NULL, NULL);
	CHECK(l != NULL && field(l, "sent") == (uint64_t)(5 * MIB + 77 - kept));
	CHECK(item != NULL && field(item, "from") == (uint64_t)kept);
	CHECK(b.data_got == (uint64_t)(5 * MIB + 77 - kept));
	side_close(&a, NULL);
	side_close(&b, NULL);

	/* A source that changed (same size, other first bytes) starts over. */
	events_clear();
	write_file(at(src, "changed.bin"), 3 * MIB, 31);
	interrupted("changed.bin", inbox, MIB + MIB / 2);
	CHECK(size_of(at(inbox, "changed.bin.part")) >= MIB + MIB / 2);
	if ((fd = open(at(src, "changed.bin"), O_WRONLY)) == -1 || pwrite(fd, "other", 5, 0) != 5 ||
	    close(fd) != 0)
		TEST_BAIL("rewrite");
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "changed.bin")) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(same_file(at(src, "changed.bin"), at(inbox, "changed.bin")));
	l = ev("file-done id=1 dir=in", "changed.bin", NULL, NULL);
	CHECK(l != NULL && field(l, "sent") == 3 * MIB);
	CHECK(ev("file-item id=1 dir=in", "changed.bin", "from=0", NULL) != NULL);
	side_close(&a, NULL);
	side_close(&b, NULL);

	/* A .part that holds the whole file: nothing but the END travels. */
	events_clear();
	write_file(at(src, "whole.bin"), MIB + MIB / 2, 34);
	write_file(at(inbox, "whole.bin.part"), MIB + MIB / 2, 34);
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "whole.bin")) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && b.proto_err == 0);
	CHECK(same_file(at(src, "whole.bin"), at(inbox, "whole.bin")));
	CHECK(ev("file-done id=1 dir=in", "whole.bin", "sent=0", NULL) != NULL);
	CHECK(ev("file-item id=1 dir=out", "whole.bin", "from=1572864", NULL) != NULL);
	side_close(&a, NULL);
	side_close(&b, NULL);

	/* A .part longer than the file is no prefix of it: from 0 again. */
	events_clear();
	write_file(at(inbox, "long.bin.part"), 2 * MIB, 32);
	write_file(at(src, "long.bin"), MIB + 10, 33);
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "long.bin")) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && b.proto_err == 0);
	CHECK(same_file(at(src, "long.bin"), at(inbox, "long.bin")));
	CHECK(ev("file-done id=1 dir=in", "long.bin", "sent=1048586", NULL) != NULL);
	side_close(&a, NULL);
	side_close(&b, NULL);
}

static void
shrink_and_cancel(void)
{
	char inbox[128];
	struct side a, b;
	unsigned done, failed;

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-cancel");
	/* A file that gets shorter than announced while it is sent. */
	write_file(at(src, "shrink.bin"), 3 * MIB, 40);
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "shrink.bin")) == 0);
	CHECK(run(&a, &b, 10000, MIB, false));
	CHECK(truncate(at(src, "shrink.bin"), MIB + MIB / 2) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(ev("file-failed id=1 dir=out", "shrink.bin got shorter while it was sent", NULL,
	    NULL) != NULL);
	CHECK(ev("file-failed id=1 dir=in", "shrink.bin got shorter while it was sent", NULL,
	    NULL) != NULL);
	CHECK(!exists(at(inbox, "shrink.bin")) && exists(at(inbox, "shrink.bin.part")));

	/* The sender cancels: the receiver hears why; what crossed is ignored. */
	write_file(at(src, "c1.bin"), 3 * MIB, 41);
	CHECK(send_path(&a, at(src, "c1.bin")) == 0);
	CHECK(run(&a, &b, 10000, b.data_got + MIB / 2, false));
	files_cancel(a.f, 2, false);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(ev("file-failed id=2 dir=in", "reason=\"cancelled by the sender\"", NULL, NULL));
	CHECK(ev("file-failed id=2 dir=out", "reason=\"cancelled by the sender\"", NULL, NULL));
	/* The receiver cancels while DATA is on its way to it. */
	CHECK(send_path(&a, at(src, "c1.bin")) == 0);
	CHECK(run(&a, &b, 10000, b.data_got + MIB / 2, false));
	files_cancel(b.f, 3, true);
	CHECK(files_pump(a.f, now_ms) == 0 && a.n > 0);        /* DATA that will cross it */
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(ev("file-failed id=3 dir=out", "reason=\"cancelled by the receiver\"", NULL, NULL));
	CHECK(ev("file-failed id=3 dir=in", "reason=\"cancelled by the receiver\"", NULL, NULL));
	/* Cancelled while still waiting for a place: the peer never hears of it. */
	for (int i = 0; i < FILES_TRANSFERS_MAX + 1; i++) {
		char name[32];

		snprintf(name, sizeof(name), "w%d.bin", i);
		write_file(at(src, name), MIB + 1, 42 + (uint32_t)i);
		CHECK(send_path(&a, at(src, name)) == 0);
	}
	CHECK(files_pump(a.f, now_ms) == 0);   /* 8 OFFERs and ENTRYs wait for RESUME */
	files_cancel(a.f, 4 + FILES_TRANSFERS_MAX, false);
	CHECK(ev("file-failed id=12 dir=out", "cancelled by the sender", NULL, NULL) != NULL);
	files_cancel_all(a.f, MSG_FILE_REFUSED, "the files right was taken back");
	CHECK(files_running(a.f) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(files_running(b.f) == 0);
	CHECK(ev("file-failed id=11 dir=in", "the files right was taken back", NULL, NULL));
	files_sent_outcome(a.f, &done, &failed);
	CHECK(done == 0 && failed == 3 + FILES_TRANSFERS_MAX + 1);
	side_close(&a, NULL);
	side_close(&b, NULL);
}

static void
queue_and_busy(void)
{
	char inbox[128];
	struct side a, b;
	unsigned done, failed, offers = 0;
	struct files_row rows[16];

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-queue");
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	for (int i = 0; i < FILES_TRANSFERS_MAX + 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "q%d.txt", i);
		write_file(at(src, name), 1000, 50 + (uint32_t)i);
		CHECK(send_path(&a, at(src, name)) == 0);
	}
	CHECK(files_list(a.f, rows, 16) == FILES_TRANSFERS_MAX + 2 &&
	    rows[FILES_TRANSFERS_MAX].id == FILES_TRANSFERS_MAX + 1 &&
	    rows[FILES_TRANSFERS_MAX].done_bytes == 0);
	CHECK(files_pump(a.f, now_ms) == 0);
	for (size_t i = a.head; i < a.head + a.n; i++)
		offers += a.q[i][0] == MSG_FILE_OFFER;
	CHECK(offers == FILES_TRANSFERS_MAX);
	CHECK(run(&a, &b, 1000, 0, false) && b.proto_err == 0);
	files_sent_outcome(a.f, &done, &failed);
	CHECK(done == FILES_TRANSFERS_MAX + 2 && failed == 0);
	CHECK(same_file(at(src, "q9.txt"), at(inbox, "q9.txt")));
	/* The same big file twice at once: the second finds its .part locked. */
	events_clear();
	write_file(at(src, "twice.bin"), 2 * MIB, 51);
	CHECK(send_path(&a, at(src, "twice.bin")) == 0 && send_path(&a, at(src, "twice.bin")) == 0);
	CHECK(run(&a, &b, 10000, 0, false) && b.proto_err == 0);
	CHECK(ev("file-failed id=12 dir=out", "twice.bin is being received already", NULL, NULL));
	CHECK(same_file(at(src, "twice.bin"), at(inbox, "twice.bin")));
	/* OFFERs go out in id order, even when a later id got a lower place:
	 * ids 13..20 run in places 0..7, 21 takes 18's place 5, 22 takes 15's
	 * place 2. */
	for (int i = 0; i < FILES_TRANSFERS_MAX + 2; i++) {
		char name[32];

		snprintf(name, sizeof(name), "o%d.bin", i);
		write_file(at(src, name), MIB + 1, 52 + (uint32_t)i);
		CHECK(send_path(&a, at(src, name)) == 0);
	}
	CHECK(files_pump(a.f, now_ms) == 0);
	files_cancel(a.f, 18, false);
	files_cancel(a.f, 15, false);
	CHECK(run(&a, &b, 10000, 0, false) && a.proto_err == 0 && b.proto_err == 0);
	CHECK(ev("file-done id=22 dir=in", "o9.bin", NULL, NULL) != NULL);
	files_sent_outcome(a.f, &done, &failed);
	CHECK(done == 2 * FILES_TRANSFERS_MAX + 3 && failed == 3);
	side_close(&a, NULL);
	side_close(&b, NULL);
}

static void
limits(void)
{
	struct files_conf conf = { .transfer_max_bytes = 1000, .total_max_bytes = 2500 };
	char inbox[128];
	struct side a, b;

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-limits");
	conf.inbox = inbox;
	write_file(at(src, "l1000"), 1000, 60);
	write_file(at(src, "l1001"), 1001, 61);
	write_file(at(src, "m1000"), 1000, 62);
	write_file(at(src, "n1000"), 1000, 63);
	side_open(&a, NULL, "");
	side_open_conf(&b, &conf, "", 0);
	CHECK(send_path(&a, at(src, "l1001")) == 0);
	CHECK(send_path(&a, at(src, "l1000")) == 0 && send_path(&a, at(src, "m1000")) == 0);
	CHECK(send_path(&a, at(src, "n1000")) == 0);
	CHECK(run(&a, &b, 1000, 0, false) && b.proto_err == 0 && a.proto_err == 0);
	CHECK(ev("file-failed id=1 dir=out", "1001 bytes is over the limit of 1000 bytes per "
	    "transfer", NULL, NULL) != NULL);
	CHECK(ev("file-done id=2 dir=in", NULL, NULL, NULL) && ev("file-done id=3 dir=in", NULL,
	    NULL, NULL));
	CHECK(ev("file-failed id=4 dir=in", "over the limit of 2500 bytes in all (2000 taken", NULL,
	    NULL) != NULL);
	CHECK(!exists(at(inbox, "l1001")) && exists(at(inbox, "m1000")) &&
	    !exists(at(inbox, "n1000")));
	side_close(&b, NULL);
	/* A side without an inbox takes nothing. */
	side_open_conf(&b, NULL, "", 0);
	CHECK(send_path(&a, at(src, "l1000")) == 0 && run(&a, &b, 1000, 0, false));
	CHECK(ev("file-failed id=5 dir=out", "this side does not take files", NULL, NULL));
	side_close(&b, NULL);
	/* A stream that carries small messages gets small chunks. */
	side_open_conf(&b, &(struct files_conf){ .inbox = inbox }, "", 0);
	side_close(&a, NULL);
	side_open_conf(&a, NULL, "", 2048);
	write_file(at(src, "small chunks"), 100000, 62);
	CHECK(send_path(&a, at(src, "small chunks")) == 0 && run(&a, &b, 10000, 0, false));
	CHECK(same_file(at(src, "small chunks"), at(inbox, "small chunks")) && a.biggest <= 2048);
	side_close(&a, NULL);
	side_close(&b, NULL);
}

#ifndef __SANITIZE_ADDRESS__
/* Bytes malloc handed out, from its arenas and as mappings of their own. */
static size_t
heap_used(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}
#endif

static void
window_and_memory(void)
{
	char inbox[128];
	struct side a, b;
	size_t base = 0, peak = 0;

	events_clear();
	folder(inbox, sizeof(inbox), "inbox-window");
	/* The queue says 0 and the receiver's ACKs come late: only the
	 * window holds the sender back. */
	write_file(at(src, "window.bin"), 12 * MIB, 70);
	side_open_conf(&a, NULL, "", 3000);     /* chunks that do not divide the window */
	side_open(&b, inbox, "");
	a.no_queue = true;
	CHECK(send_path(&a, at(src, "window.bin")) == 0);
	CHECK(run(&a, &b, 10000, 0, true) && b.proto_err == 0);
	CHECK(same_file(at(src, "window.bin"), at(inbox, "window.bin")));
	printf("# most unacknowledged: %llu\n", (unsigned long long)a.max_unacked);
	/* The window follows the path (pace.h, test_pace): here it stays
	 * within its bounds and did hold the sender back. */
	CHECK(a.max_unacked <= FILES_WINDOW_MAX_BYTES);
	CHECK(a.max_unacked >= FILES_WINDOW_MIN_BYTES - 3000);
	side_close(&a, NULL);
	side_close(&b, NULL);

	/* Memory: a 64 MiB file goes through an engine pair while the heap
	 * grows by less than a MiB (malloc's count; ASan keeps its own). */
	write_file(at(src, "memory.bin"), 64 * MIB, 71);
	side_open(&a, NULL, "");
	side_open(&b, inbox, "");
	CHECK(send_path(&a, at(src, "memory.bin")) == 0);
#ifndef __SANITIZE_ADDRESS__
	base = heap_used();
#endif
	for (int i = 0; i < 20000; i++) {
		if (run(&a, &b, 1, 0, false))
			break;
#ifndef __SANITIZE_ADDRESS__
		if (heap_used() > peak)
			peak = heap_used();
#endif
	}
	CHECK(b.proto_err == 0 && ev("file-done id=1 dir=in", "memory.bin", NULL, NULL) != NULL);
	printf("# heap growth while 64 MiB went through: %zu bytes\n",
	    peak > base ? peak - base : 0);
	CHECK(peak < base + MIB);
	CHECK(same_file(at(src, "memory.bin"), at(inbox, "memory.bin")));
	unlink(at(src, "memory.bin"));
	unlink(at(inbox, "memory.bin"));
	side_close(&a, NULL);
	side_close(&b, NULL);
}

int
main(void)
{
	files_pair_start();
	single_files();
	folder_both_ways();
	resume();
	shrink_and_cancel();
	queue_and_busy();
	limits();
	window_and_memory();
	return files_pair_done();
}
