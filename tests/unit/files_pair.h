/* SPDX-License-Identifier: Apache-2.0 */
/*
 * files_pair.h - two file engines back to back in memory, for the tests
 * of the file engine (endpoint/files.h): each one's io.send queues the
 * encoded message for the other, which decodes it (msg_decode) and takes
 * it (files_take); run() pumps both until idle. Real folders under a
 * scratch folder in /tmp, and helpers to write, read and list them.
 *
 * A header of static functions and state: test_files.c (engines that
 * play fair) and test_files_hostile.c (a hostile sender, a lying
 * receiver, a planted inbox) each include it once. It also defines
 * event(): the event lines are caught here (the library's is then not
 * linked); FILES_EVENTS=1 prints them as TAP comments. Functions one of
 * the two does not use are marked unused.
 */
#ifndef TEST_FILES_PAIR_H
#define TEST_FILES_PAIR_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

static size_t __attribute__((unused))
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
static uint64_t __attribute__((unused))
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

static off_t __attribute__((unused))
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

/* ---- what the cases send ---- */

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

/* The scratch folder goes at the end, also after a bail-out (KEEP=1 keeps it). */
static void
remove_scratch(void)
{
	if (getenv("KEEP") == NULL)
		nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	else
		printf("# kept %s\n", scratch);
}

/* Before the first case: libsodium, FILES_EVENTS, the scratch folder and
 * its src/, where the cases write the files they send. */
static void
files_pair_start(void)
{
	if (sodium_init() < 0)
		TEST_BAIL("sodium_init failed");
	show_events = getenv("FILES_EVENTS") != NULL;
	snprintf(scratch, sizeof(scratch), "/tmp/fernsicht-files-XXXXXX");
	if (mkdtemp(scratch) == NULL)
		TEST_BAIL("mkdtemp: %s", strerror(errno));
	atexit(remove_scratch);
	folder(src, sizeof(src), "src");
}

/* After the last case: the event lines freed, and the TAP plan. */
static int
files_pair_done(void)
{
	events_clear();
	free(lines);
	free(line_ms);
	return test_done();
}

#endif
