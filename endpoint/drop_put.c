/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_put.c - a file into the file drop (drop_put.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "droplink.h"
#include "drop_put.h"
#include "i18n.h"
#include "link.h"
#include "log.h"
#include "relay_list.h"

bool
drop_put_where(struct drop_put *p, const struct link *l, int want_https,
    char relay[CLIENT_RELAY_TEXT_MAX + 1], uint8_t grant[WIRE_DROP_GRANT_MAX])
{
	const char *tier = link_transport(l);
	int kind = transport_kind_parse(tier);
	struct relay_entry e;

	p->https = want_https > 0 || (want_https < 0 && (kind == TRANSPORT_TLS ||
	    kind == TRANSPORT_PROXY));
	snprintf(relay, CLIENT_RELAY_TEXT_MAX + 1, "%s", l->relay_used);
	if (relay_entry_parse(l->relay_used, strlen(l->relay_used), &e) == 0 && e.port == 0 &&
	    kind >= 0)
		snprintf(relay, CLIENT_RELAY_TEXT_MAX + 1, "%s%s%s:%u",
		    strchr(e.host, ':') != NULL ? "[" : "", e.host,
		    strchr(e.host, ':') != NULL ? "]" : "", transport_kind_port(kind));
	p->relay = relay;
	memcpy(grant, l->drop_grant, l->drop_grant_len);
	p->grant = grant;
	p->grant_len = l->drop_grant_len;
	return l->drop_grant_len > 0;
}

/* Read exactly n bytes (a file that shrinks under us is an error). */
static int
read_full(int fd, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t got = read(fd, p, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return got == 0 ? ERR_INCOMPLETE : ERR_SYSTEM;
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

/* Send the whole parts in pending (all of it when last) from *off on. */
static int
send_parts(struct drop_client *c, const char *id, const char *put, struct buf *pending,
    uint64_t *off, bool last)
{
	int r;

	while (buf_len(pending) >= DROP_PART_MAX_BYTES || (last && buf_len(pending) > 0)) {
		size_t n = buf_len(pending) < DROP_PART_MAX_BYTES ? buf_len(pending) :
		    DROP_PART_MAX_BYTES;

		if ((r = drop_client_put(c, id, put, *off, buf_ptr(pending), n)) != 0)
			return r;
		*off += n;
		if ((r = buf_skip(pending, n)) != 0)
			return r;
	}
	return 0;
}

int
drop_put_file(const struct drop_put *p, const char *path,
    char links[][DROP_LINK_MAX_BYTES + 1], unsigned max, unsigned *n_links,
    char *why, size_t why_len)
{
	static char tokens[DROP_LINKS_MAX][DROP_LINK_TOKEN_MAX_BYTES + 1];
	uint8_t secret[BLOB_SECRET_LEN], *chunk = NULL;
	struct blob_recipients to = { NULL, p->identity, p->n_identity };
	char id[DROP_CLIENT_ID_HEX + 1], put[DROP_CLIENT_PUT_HEX + 1];
	const char *name, *bwhy = NULL;
	struct drop_client c = { 0 };
	struct blob_writer w = { 0 };
	struct buf pending;
	uint64_t size, total, off = 0, left;
	unsigned n = 0;
	struct stat st;
	int fd, r;

	*n_links = 0;
	buf_init(&pending, DROP_PART_MAX_BYTES + BLOB_HEADER_MAX_BYTES + DROP_BLOB_CHUNK_BYTES +
	    BLOB_ABYTES);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fstat(fd, &st) != 0) {
		snprintf(why, why_len, _("cannot read %s: %s"), path, strerror(errno));
		r = ERR_SYSTEM;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, why_len, _("%s is not a plain file (drop one file at a time)"), path);
		r = ERR_FORMAT;
		goto out;
	}
	size = (uint64_t)st.st_size;
	name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	if (p->for_link) {
		randombytes_buf(secret, sizeof(secret));
		to.link_secret = secret;
	}
	if ((r = blob_writer_start(&w, &to, name, size, &pending, &bwhy)) != 0) {
		snprintf(why, why_len, _("cannot drop %s: %s"), path, bwhy != NULL ? bwhy : "");
		goto out;
	}
	total = buf_len(&pending) + blob_body_bytes(size);
	if ((r = drop_client_init(&c, p->relay, p->https, p->topts)) != 0 ||
	    (r = drop_client_new(&c, p->grant, p->grant_len, total, &p->ask, id, put)) != 0) {
		snprintf(why, why_len, "%s", c.why);
		if (r == ERR_PROTOCOL && c.status == 410)
			r = ERR_AUTH;   /* the grant is over: a newer one may do */
		goto out;
	}
	log_info("file drop: uploading %s (%llu bytes as %llu)", name, (unsigned long long)size,
	    (unsigned long long)total);
	if ((chunk = malloc(DROP_BLOB_CHUNK_BYTES)) == NULL) {
		r = ERR_NOMEM;
		snprintf(why, why_len, "%s", _("out of memory"));
		goto out;
	}
	left = size;
	do {
		size_t k = left < DROP_BLOB_CHUNK_BYTES ? (size_t)left : DROP_BLOB_CHUNK_BYTES;

		if ((r = read_full(fd, chunk, k)) != 0) {
			snprintf(why, why_len, _("cannot read %s: %s"), path, r == ERR_INCOMPLETE ?
			    _("it became shorter while it was read") : strerror(errno));
			goto out;
		}
		if ((r = blob_writer_next(&w, chunk, k, &pending, &bwhy)) != 0) {
			snprintf(why, why_len, "%s", bwhy != NULL ? bwhy : err_str(r));
			goto out;
		}
		left -= k;
		if ((r = send_parts(&c, id, put, &pending, &off, left == 0)) != 0) {
			snprintf(why, why_len, "%s", c.why);
			goto out;
		}
	} while (left > 0);
	if (off != total) {
		snprintf(why, why_len, "%s", _("the blob came out at another size than announced"));
		r = ERR_INTERNAL;
		goto out;
	}
	if ((r = drop_client_done(&c, id, put, tokens, DROP_LINKS_MAX, &n)) != 0) {
		snprintf(why, why_len, "%s", c.why);
		goto out;
	}
	for (unsigned i = 0; i < n && i < max; i++) {
		/* With the port always written: a fetch takes 443 for https. */
		if ((r = droplink_format(links[i], DROP_LINK_MAX_BYTES + 1, c.relay, tokens[i],
		    p->for_link ? secret : NULL)) != 0) {
			snprintf(why, why_len, "%s", _("a link the relay gave does not fit"));
			goto out;
		}
		(*n_links)++;
	}
	r = 0;
out:
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(put, sizeof(put));
	blob_writer_clear(&w);
	buf_release(&pending);
	drop_client_close(&c);
	free(chunk);
	if (fd != -1)
		close(fd);
	return r;
}
