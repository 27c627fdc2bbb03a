/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_files.c - the file engine, two engines back to back in memory: each
 * one's io.send queues the encoded message for the other, which decodes
 * it (msg_decode) and takes it (files_take); both are pumped until idle.
 * Real folders under /tmp. Also a hostile sender that encodes messages by
 * hand, and a receiver whose inbox holds planted symlinks.
 *
 * The event lines are caught by this file's own event() (the library's is
 * then not linked); FILES_EVENTS=1 prints them as TAP comments.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "files.h"
#include "msg.h"
#include "test.h"

static uint64_t now_ms = 100000;
static char scratch[64];        /* the test's folder; inboxes are below it */

/* ---- event lines ---- */

static char **lines;
static uint64_t *line_ms;       /* when each line came (the test's clock) */
static size_t n_lines, cap_lines;
static bool show_events;
static uint64_t step_ms = 7;    /* the clock's step per round */

void
event(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		TEST_BAIL("vasprintf");
	va_end(ap);
	if (show_events)
		printf("# %s\n", s);
	if (n_lines == cap_lines) {
		cap_lines = cap_lines ? cap_lines * 2 : 256;
		if ((lines = realloc(lines, cap_lines * sizeof(*lines))) == NULL ||
		    (line_ms = realloc(line_ms, cap_lines * sizeof(*line_ms))) == NULL)
			TEST_BAIL("realloc");
	}
	line_ms[n_lines] = now_ms;
	lines[n_lines++] = s;
}

static void
events_clear(void)
{
	while (n_lines > 0)
		free(lines[--n_lines]);
}

/* The last line that begins with `head` and holds each of the words (up to
 * three, NULL ends them early), or NULL. */
static const char *
ev(const char *head, const char *w1, const char *w2, const char *w3)
{
	for (size_t i = n_lines; i-- > 0; ) {
		if (strncmp(lines[i], head, strlen(head)) != 0)
			continue;
		if ((w1 == NULL || strstr(lines[i], w1) != NULL) &&
		    (w2 == NULL || strstr(lines[i], w2) != NULL) &&
		    (w3 == NULL || strstr(lines[i], w3) != NULL))
			return lines[i];
	}
	return NULL;
}

static size_t
ev_count(const char *head, const char *w1)
{
	size_t n = 0;

	for (size_t i = 0; i < n_lines; i++)
		if (strncmp(lines[i], head, strlen(head)) == 0 &&
		    (w1 == NULL || strstr(lines[i], w1) != NULL))
			n++;
	return n;
}

/* The number after " key=" in line (UINT64_MAX when missing). */
static uint64_t
field(const char *line, const char *key)
{
	char k[32];
	const char *p;

	snprintf(k, sizeof(k), " %s=", key);
	if (line == NULL || (p = strstr(line, k)) == NULL)
		return UINT64_MAX;
	return strtoull(p + strlen(k), NULL, 10);
}

/* ---- one engine and the messages it sent, not yet delivered ---- */

struct side {
	struct files *f;
	uint8_t **q;            /* encoded messages, oldest first */
	size_t *qn, head, n, cap, bytes;
	size_t msg_max;
	bool no_queue;          /* io.queued says 0: only the window holds data back */
	int proto_err;          /* what files_take returned for a message it got */
	uint64_t data_sent;     /* FILE_DATA bytes it sent */
	uint64_t data_got;      /* FILE_DATA bytes it was given */
	uint64_t acked;         /* the last FILE_ACK it was given */
	uint64_t max_unacked;   /* the most data_sent - acked seen */
	size_t biggest;         /* its largest message */
	unsigned running_max;   /* the most outgoing transfers running at once */
};

static int
side_send(void *ctx, const struct buf *m)
{
	struct side *s = ctx;
	size_t n = buf_len(m);

	if (s->n + s->head == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		if ((s->q = realloc(s->q, s->cap * sizeof(*s->q))) == NULL ||
		    (s->qn = realloc(s->qn, s->cap * sizeof(*s->qn))) == NULL)
			TEST_BAIL("realloc");
	}
	if ((s->q[s->head + s->n] = malloc(n)) == NULL)
		TEST_BAIL("malloc");
	memcpy(s->q[s->head + s->n], buf_ptr(m), n);
	s->qn[s->head + s->n] = n;
	s->n++;
	s->bytes += n;
	if (n > s->biggest)
		s->biggest = n;
	if (buf_ptr(m)[0] == MSG_FILE_DATA)
		s->data_sent += n - MSG_FILE_DATA_HEAD_LEN;
	return 0;
}

static size_t
side_queued(void *ctx)
{
	struct side *s = ctx;

	return s->no_queue ? 0 : s->bytes;
}

static void
side_open_conf(struct side *s, const struct files_conf *conf, const char *label, size_t msg_max)
{
	struct files_io io = { .ctx = s, .send = side_send, .queued = side_queued };

	memset(s, 0, sizeof(*s));
	s->msg_max = io.msg_max = msg_max ? msg_max : 1 << 20;
	if ((s->f = files_new(conf, io, label)) == NULL)
		TEST_BAIL("files_new");
}

static void
side_open(struct side *s, const char *inbox, const char *label)
{
	struct files_conf conf = { .inbox = inbox };

	side_open_conf(s, &conf, label, 0);
}

static void
side_drop(struct side *s)
{
	for (size_t i = s->head; i < s->head + s->n; i++)
		free(s->q[i]);
	s->head = s->n = s->bytes = 0;
}

static void
side_close(struct side *s, const char *why)
{
	files_free(s->f, why);
	s->f = NULL;
	side_drop(s);
	free(s->q);
	free(s->qn);
	s->q = NULL;
	s->qn = NULL;
	s->cap = 0;
}

/* Give `to` the oldest message `from` sent; false when there is none. */
static bool
deliver_one(struct side *from, struct side *to)
{
	struct msg m;
	struct buf v;
	uint8_t *p;
	size_t n;
	int r;

	if (from->n == 0)
		return false;
	p = from->q[from->head];
	n = from->qn[from->head];
	from->head++;
	from->n--;
	from->bytes -= n;
	if (from->n == 0)
		from->head = 0;
	buf_view(&v, p, n);
	if (msg_decode(&v, &m) != 0)
		TEST_BAIL("a message the engine sent does not decode");
	if (m.type == MSG_FILE_DATA)
		to->data_got += buf_len(&m.u.file.text);
	if (m.type == MSG_FILE_ACK)
		to->acked = m.u.file.bytes;
	if (to->f != NULL && (r = files_take(to->f, &m, now_ms)) != 0 && to->proto_err == 0)
		to->proto_err = r;
	free(p);
	return true;
}

static void
note(struct side *s)
{
	unsigned running = 0;
	struct files_row rows[32];
	size_t n;

	if (s->data_sent - s->acked > s->max_unacked)
		s->max_unacked = s->data_sent - s->acked;
	n = files_list(s->f, rows, 32);
	for (size_t i = 0; i < n; i++)
		if (!rows[i].incoming && rows[i].state == FILES_RUNNING && rows[i].done_bytes > 0)
			running++;
	if (running > s->running_max)
		s->running_max = running;
}

/*
 * Pump a and b and carry their messages until both are idle, max_rounds
 * pass, or b was given stop_data bytes of DATA (0: no such stop). With
 * lazy, b's messages reach a only when a has nothing left to send (so a
 * runs into its window). Returns false when a round limit ended it.
 */
static bool
run(struct side *a, struct side *b, int max_rounds, uint64_t stop_data, bool lazy)
{
	for (int i = 0; i < max_rounds; i++) {
		bool moved = false;

		now_ms += step_ms;
		if (files_pump(a->f, now_ms) != 0 || files_pump(b->f, now_ms) != 0)
			TEST_BAIL("files_pump failed");
		note(a);
		note(b);
		while (deliver_one(a, b)) {
			moved = true;
			if (stop_data != 0 && b->data_got >= stop_data)
				return true;
		}
		if (!lazy || !files_want_pump(a->f))
			while (deliver_one(b, a))
				moved = true;
		if (a->proto_err != 0 || b->proto_err != 0)
			return true;
		if (!moved && !files_want_pump(a->f) && !files_want_pump(b->f))
			return true;
	}
	return false;
}

/* ---- files on disk ---- */

static void
write_file(const char *path, size_t n, uint32_t seed)
{
	uint8_t key[randombytes_SEEDBYTES] = { 0 };
	uint8_t *p = malloc(n > 0 ? n : 1);
	int fd;

	memcpy(key, &seed, sizeof(seed));
	randombytes_buf_deterministic(p, n, key);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) == -1 ||
	    write(fd, p, n) != (ssize_t)n || close(fd) != 0)
		TEST_BAIL("write %s: %s", path, strerror(errno));
	free(p);
}

/* The whole file, *n bytes; NULL when it cannot be read. */
static uint8_t *
read_file(const char *path, size_t *n)
{
	struct stat st;
	uint8_t *p;
	int fd = open(path, O_RDONLY | O_NOFOLLOW);

	*n = 0;
	if (fd == -1 || fstat(fd, &st) != 0) {
		if (fd != -1)
			close(fd);
		return NULL;
	}
	p = malloc((size_t)st.st_size + 1);
	if (p == NULL || read(fd, p, (size_t)st.st_size) != st.st_size) {
		free(p);
		close(fd);
		return NULL;
	}
	close(fd);
	*n = (size_t)st.st_size;
	return p;
}

static bool
same_file(const char *a, const char *b)
{
	size_t na, nb;
	uint8_t *pa = read_file(a, &na), *pb = read_file(b, &nb);
	bool same = pa != NULL && pb != NULL && na == nb && memcmp(pa, pb, na) == 0;

	free(pa);
	free(pb);
	return same;
}

static bool
exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static off_t
size_of(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 ? st.st_size : -1;
}

/* A listing of the tree at dir: one line per item (kind, path, size, a
 * hash of a file's bytes), sorted, leaving out `except` and what is below
 * it and, with portable, what the sender skips (links, fifos, CON). */
static void
list_tree(const char *dir, const char *rel, const char *except, bool portable, char **out,
    size_t *len)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char path[4096], r[4096], line[4200], hex[17] = "-";
		const char *name = names[i]->d_name;
		struct stat st;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			goto next;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		snprintf(r, sizeof(r), "%s%s%s", rel, rel[0] ? "/" : "", name);
		if ((except != NULL && strcmp(path, except) == 0) || lstat(path, &st) != 0)
			goto next;
		if (portable && (S_ISLNK(st.st_mode) || S_ISFIFO(st.st_mode) ||
		    strcmp(name, "CON") == 0))
			goto next;
		if (S_ISREG(st.st_mode)) {
			size_t fn;
			uint8_t *p = read_file(path, &fn), h[8];

			crypto_generichash(h, sizeof(h), p, fn, NULL, 0);
			sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
			free(p);
		}
		snprintf(line, sizeof(line), "%c %s %lld %s\n", S_ISDIR(st.st_mode) ? 'd' :
		    S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : 'o', r,
		    S_ISREG(st.st_mode) ? (long long)st.st_size : 0LL, hex);
		if ((*out = realloc(*out, *len + strlen(line) + 1)) == NULL)
			TEST_BAIL("realloc");
		memcpy(*out + *len, line, strlen(line) + 1);
		*len += strlen(line);
		if (S_ISDIR(st.st_mode))
			list_tree(path, r, except, portable, out, len);
next:
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static char *
listing(const char *dir, const char *except, bool portable)
{
	char *out = calloc(1, 1);
	size_t len = 0;

	list_tree(dir, "", except, portable, &out, &len);
	return out;
}

/* A fresh folder below the scratch folder. */
static void
folder(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", scratch, name);
	if (mkdir(out, 0755) != 0 && errno != EEXIST)
		TEST_BAIL("mkdir %s: %s", out, strerror(errno));
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}


/* ---- cases ---- */

#define MIB (1u << 20)

static char src[128];

/* src/name as a path. */
static const char *
at(const char *dir, const char *name)
{
	static char p[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

static int
send_path(struct side *s, const char *path)
{
	char why[256] = "";
	int r = files_send(s->f, path, why, sizeof(why));

	if (r != 0)
		printf("# files_send %s: %s\n", path, why);
	return r;
}

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

/* The scratch folder goes at the end, also after a bail-out (KEEP=1 keeps it). */
static void
remove_scratch(void)
{
	if (getenv("KEEP") == NULL)
		nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	else
		printf("# kept %s\n", scratch);
}

int
main(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init failed");
	show_events = getenv("FILES_EVENTS") != NULL;
	snprintf(scratch, sizeof(scratch), "/tmp/fernsicht-files-XXXXXX");
	if (mkdtemp(scratch) == NULL)
		TEST_BAIL("mkdtemp: %s", strerror(errno));
	atexit(remove_scratch);
	folder(src, sizeof(src), "src");
	single_files();
	folder_both_ways();
	resume();
	shrink_and_cancel();
	queue_and_busy();
	limits();
	window_and_memory();
	hostile();
	hostile_receiver();
	planted();
	events_clear();
	free(lines);
	free(line_ms);
	return test_done();
}
