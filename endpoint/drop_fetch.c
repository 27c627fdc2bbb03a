/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_fetch.c - a drop link into a file, here or in a thread of its own
 * (drop_fetch.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "blob.h"
#include "drop_client.h"
#include "drop_fetch.h"
#include "droplink.h"
#include "i18n.h"
#include "inbox.h"
#include "log.h"

/* The state of one fetch, so that one place cleans up. */
struct fetch {
	struct drop_client c;
	struct blob_header *h;
	struct blob_reader rd;
	struct buf in;
	uint8_t *plain;
	int dir_fd, fd;
	char part[FILES_COMPONENT_MAX + 1];
	bool started;                   /* the header is read and opened */
};

static int
write_full(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t put = write(fd, p, n);

		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			return ERR_SYSTEM;
		p += put;
		n -= (size_t)put;
	}
	return 0;
}

/* The header is in: find our envelope, open the stream, make the .part file. */
static int
start(struct fetch *s, const struct drop_fetch *f, const struct droplink *l, uint64_t blob_size,
    char *why, size_t why_len)
{
	uint8_t key[BLOB_KEY_LEN];
	char leaf[FILES_COMPONENT_MAX + 8];
	const char *bwhy = NULL;
	int r = ERR_AUTH;

	if (l->has_key)
		r = blob_open_link(s->h, l->key, key, &bwhy);
	if (r != 0 && f->identity != NULL)
		r = blob_open_identity(s->h, f->identity->pk, f->identity->sk, key, &bwhy);
	if (r == 0)
		r = blob_reader_start(&s->rd, s->h, key, &bwhy);
	sodium_memzero(key, sizeof(key));
	if (r != 0) {
		snprintf(why, why_len, _("cannot open the dropped file: %s"), bwhy != NULL ? bwhy :
		    err_str(r));
		return r;
	}
	if (s->h->len + blob_body_bytes(s->rd.size) != blob_size) {
		snprintf(why, why_len, "%s", _("the dropped blob's size does not match what it "
		    "announces (changed on the relay?)"));
		return ERR_AUTH;
	}
	if ((s->dir_fd = inbox_open(f->dir)) < 0) {
		snprintf(why, why_len, _("cannot open the folder %s: %s"), f->dir,
		    strerror(-s->dir_fd));
		return ERR_SYSTEM;
	}
	if (!inbox_room(s->dir_fd, s->rd.size)) {
		snprintf(why, why_len, _("no room for %llu bytes in %s"),
		    (unsigned long long)s->rd.size, f->dir);
		return ERR_NO_SPACE;
	}
	/* "NAME.drop.part": never the .part a session's transfer of the same
	 * name keeps for its resume, which this would truncate. */
	snprintf(leaf, sizeof(leaf), "%s.drop", s->rd.name);
	inbox_part_name(leaf, s->part);
	if ((s->fd = inbox_part(s->dir_fd, s->part)) < 0) {
		snprintf(why, why_len, _("cannot write %s in %s: %s"), s->part, f->dir,
		    strerror(-s->fd));
		s->part[0] = '\0';      /* not ours to remove */
		return ERR_SYSTEM;
	}
	if (ftruncate(s->fd, 0) != 0) {
		snprintf(why, why_len, _("cannot write %s in %s: %s"), s->part, f->dir,
		    strerror(errno));
		return ERR_SYSTEM;
	}
	s->started = true;
	return 0;
}

/* Decrypt and write every whole chunk in s->in; *done after the last. */
static int
drain(struct fetch *s, const struct drop_fetch *f, bool *done, char *why, size_t why_len)
{
	const char *bwhy = NULL;
	size_t n;
	int r;

	while (!*done) {
		r = blob_reader_next(&s->rd, &s->in, s->plain, &n, done, &bwhy);
		if (r == ERR_INCOMPLETE)
			return 0;
		if (r != 0) {
			snprintf(why, why_len, _("the dropped file does not verify: %s"),
			    bwhy != NULL ? bwhy : err_str(r));
			return r;
		}
		if (write_full(s->fd, s->plain, n) != 0) {
			snprintf(why, why_len, _("cannot write %s in %s: %s"), s->part, f->dir,
			    strerror(errno));
			return ERR_SYSTEM;
		}
	}
	return 0;
}

int
drop_fetch_link(const struct drop_fetch *f, const char *link, struct drop_fetched *out,
    char *why, size_t why_len)
{
	struct fetch s = { .dir_fd = -1, .fd = -1 };
	char id[DROP_CLIENT_ID_HEX + 1], get[DROP_CLIENT_GET_HEX + 1];
	const char *lwhy = NULL, *hwhy = NULL;
	uint64_t blob_size = 0, off = 0;
	struct droplink l;
	bool done = false, https;
	int r;

	memset(out, 0, sizeof(*out));
	buf_init(&s.in, DROP_PART_MAX_BYTES + BLOB_HEADER_MAX_BYTES + DROP_BLOB_CHUNK_BYTES);
	if ((r = droplink_parse(link, &l, &lwhy)) != 0) {
		snprintf(why, why_len, _("cannot use the drop link: %s"), lwhy);
		goto out;
	}
	if (!l.has_key && f->identity == NULL) {
		snprintf(why, why_len, "%s", _("the drop link has no #KEY, and there is no drop "
		    "identity to open it with"));
		r = ERR_AUTH;
		goto out;
	}
	https = f->https > 0 || (f->https < 0 && (strchr(l.relay, ':') == NULL ||
	    strcmp(strrchr(l.relay, ':'), ":443") == 0 || l.relay[strlen(l.relay) - 1] == ']'));
	if ((s.h = malloc(sizeof(*s.h))) == NULL ||
	    (s.plain = malloc(DROP_BLOB_CHUNK_BYTES)) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		r = ERR_NOMEM;
		goto out;
	}
	if ((r = drop_client_init(&s.c, l.relay, https, f->topts)) != 0 ||
	    (r = drop_client_claim(&s.c, l.token, id, &blob_size, get)) != 0) {
		snprintf(why, why_len, "%s", s.c.why);
		goto out;
	}
	while (off < blob_size) {
		size_t before = buf_len(&s.in);

		if ((r = drop_client_get(&s.c, id, get, off, &s.in)) != 0) {
			snprintf(why, why_len, "%s", s.c.why);
			goto out;
		}
		if (buf_len(&s.in) == before) {
			snprintf(why, why_len, "%s",
			    _("the relay sent no bytes of the dropped file"));
			r = ERR_PROTOCOL;
			goto out;
		}
		off += buf_len(&s.in) - before;
		if (!s.started) {
			r = blob_header_parse(&s.in, s.h, &hwhy);
			if (r == ERR_INCOMPLETE && off < blob_size)
				continue;
			if (r != 0) {
				snprintf(why, why_len, _("the dropped file does not verify: %s"),
				    hwhy != NULL ? hwhy : err_str(r));
				goto out;
			}
			if ((r = start(&s, f, &l, blob_size, why, why_len)) != 0)
				goto out;
		}
		if ((r = drain(&s, f, &done, why, why_len)) != 0)
			goto out;
	}
	if (!done || buf_len(&s.in) != 0 || off != blob_size) {
		snprintf(why, why_len, "%s", _("the dropped file does not verify: it ends early "
		    "or has bytes after its end"));
		r = ERR_AUTH;
		goto out;
	}
	if (fsync(s.fd) != 0 || (r = inbox_place(s.dir_fd, s.part, s.rd.name, false,
	    out->name)) != 0) {
		snprintf(why, why_len, _("cannot write %s in %s: %s"), s.rd.name, f->dir,
		    strerror(r != 0 ? -r : errno));
		r = ERR_SYSTEM;
		goto out;
	}
	s.part[0] = '\0';               /* placed: no longer a .part to remove */
	out->bytes = s.rd.size;
	r = 0;
out:
	/* Whatever failed after the .part file was made: it goes, so nothing
	 * half-written or unverified is left looking like the file. */
	if (r != 0 && s.dir_fd >= 0 && s.part[0] != '\0' && s.fd >= 0)
		unlinkat(s.dir_fd, s.part, 0);
	if (s.fd >= 0)
		close(s.fd);
	if (s.dir_fd >= 0)
		close(s.dir_fd);
	blob_reader_clear(&s.rd);
	if (s.plain != NULL)
		sodium_memzero(s.plain, DROP_BLOB_CHUNK_BYTES);
	free(s.plain);
	free(s.h);
	buf_release(&s.in);
	drop_client_close(&s.c);
	sodium_memzero(&l, sizeof(l));
	sodium_memzero(get, sizeof(get));
	return r;
}

/* A fetch in a thread: what the thread needs, copied, and what it found. */
struct drop_fetch_async {
	pthread_t thread;
	atomic_bool done;
	struct drop_fetch f;
	struct drop_identity id;
	char link[DROP_LINK_MAX_BYTES + 1];
	char dir[1024];
	struct drop_fetched got;
	int r;
	char why[512];
};

static void *
fetch_run(void *arg)
{
	struct drop_fetch_async *a = arg;

	a->r = drop_fetch_link(&a->f, a->link, &a->got, a->why, sizeof(a->why));
	atomic_store(&a->done, true);
	return NULL;
}

int
drop_fetch_async_start(const struct drop_fetch *f, const char *link,
    struct drop_fetch_async **out)
{
	struct drop_fetch_async *a;

	*out = NULL;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return ERR_NOMEM;
	snprintf(a->link, sizeof(a->link), "%s", link);
	snprintf(a->dir, sizeof(a->dir), "%s", f->dir);
	a->f = (struct drop_fetch){ .topts = f->topts, .https = f->https, .dir = a->dir };
	if (f->identity != NULL) {
		a->id = *f->identity;
		a->f.identity = &a->id;
	}
	atomic_init(&a->done, false);
	if (pthread_create(&a->thread, NULL, fetch_run, a) != 0) {
		drop_identity_clear(&a->id);
		sodium_memzero(a, sizeof(*a));
		free(a);
		return ERR_SYSTEM;
	}
	*out = a;
	return 0;
}

bool
drop_fetch_async_done(struct drop_fetch_async *a)
{
	return atomic_load(&a->done);
}

const char *
drop_fetch_async_dir(const struct drop_fetch_async *a)
{
	return a->dir;
}

int
drop_fetch_async_finish(struct drop_fetch_async *a, struct drop_fetched *got, char *why,
    size_t why_len)
{
	int r;

	pthread_join(a->thread, NULL);
	r = a->r;
	*got = a->got;
	snprintf(why, why_len, "%s", a->why);
	drop_identity_clear(&a->id);
	sodium_memzero(a, sizeof(*a));
	free(a);
	return r;
}
