/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_http.c - the file drop's requests (drop_http.h): parameters and
 * credentials are checked here, in that order, before the store
 * (drop.h) is asked; every refusal is counted by reason and logged
 * (rate-limited: peers choose how many).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "drop_http.h"
#include "log.h"

static struct log_rl rl_refused;

static void
answer(struct conn *h, int status, const char *body, size_t n)
{
	if (http_answer(&h->out, status, !h->http_close, body, n) != 0) {
		conn_close(h, WIRE_E_SLOW, "no room for an HTTP answer");
		return;
	}
	if (status < 300)
		conn_authed(h);
	conn_touch(h);
}

static void
refuse(struct drop *d, struct conn *h, const char *what, int status, enum drop_refusal r,
    const char *text)
{
	char line[160];

	if (d != NULL)
		drop_stats(d)->refused[r]++;
	log_rl(&rl_refused, LOG_INFO, "conn=%llu peer=%s: drop %s: HTTP %d: %s",
	    (unsigned long long)h->id, h->peer, what, status, text);
	snprintf(line, sizeof(line), "%s\n", text);
	answer(h, status, line, strlen(line));
}

/* A decimal query value in min..max: 0, or ERR_FORMAT. */
static int
query_u64(const struct http_req *req, const char *key, uint64_t min, uint64_t max,
    uint64_t *v)
{
	char num[24];

	*v = 0;
	if (http_query(req->query, key, num, sizeof(num)) != 0 || http_u64(num, v) != 0)
		return ERR_FORMAT;
	return *v >= min && *v <= max ? 0 : ERR_TOO_LARGE;
}

static int
query_id(const struct http_req *req, uint8_t id[DROP_ID_BYTES])
{
	char hex[2 * DROP_ID_BYTES + 1];

	if (http_query(req->query, "id", hex, sizeof(hex)) != 0)
		return ERR_FORMAT;
	return drop_hex(hex, id, DROP_ID_BYTES);
}

static int64_t
now_s(void)
{
	return (int64_t)time(NULL);
}

static void
on_new(struct drop *d, struct conn *h, const struct http_req *req, const uint8_t *head)
{
	const struct drop_config *c = drop_config(d);
	char grant[2 * WIRE_DROP_GRANT_MAX + 1], text[160], hex[2 * DROP_ID_BYTES + 1];
	char put[2 * DROP_PUT_BYTES + 1];
	uint64_t size, links, downloads, ttl;
	struct drop_item *it;
	struct drop_grant_of g;
	enum drop_refusal r;
	int rc;

	if (http_header(head, req->head_len, "X-Fernsicht-Grant", grant, sizeof(grant)) != 0) {
		refuse(d, h, "new", 401, DROP_R_GRANT, "no grant (X-Fernsicht-Grant)");
		return;
	}
	if ((rc = drop_grant_check(drop_key(d), grant, (uint64_t)now_s(), &g)) != 0) {
		if (rc == ERR_TIMEOUT)
			refuse(d, h, "new", 410, DROP_R_EXPIRED, "grant expired");
		else
			refuse(d, h, "new", 401, DROP_R_GRANT, "invalid grant");
		return;
	}
	/* A viewer the host removed keeps the grant it was given: the host
	 * asked for a new one then, and this one is over. */
	if (!drop_grant_live(d, &g)) {
		refuse(d, h, "new", 410, DROP_R_REVOKED,
		    "grant revoked: its host renewed it, or its session is not live here");
		return;
	}
	if ((rc = query_u64(req, "size", 1, DROP_SIZE_MAX_BYTES, &size)) != 0) {
		refuse(d, h, "new", 400, DROP_R_REQUEST, "size: bytes, 1 or more");
		return;
	}
	if (size > c->max_file) {
		snprintf(text, sizeof(text), "file too large: at most %" PRIu64 " bytes",
		    c->max_file);
		refuse(d, h, "new", 413, DROP_R_TOO_LARGE, text);
		return;
	}
	if (query_u64(req, "links", 1, DROP_LINKS_MAX, &links) != 0 ||
	    query_u64(req, "downloads", 1, DROP_DOWNLOADS_MAX, &downloads) != 0) {
		snprintf(text, sizeof(text), "links: 1..%d, downloads: 1..%d", DROP_LINKS_MAX,
		    DROP_DOWNLOADS_MAX);
		refuse(d, h, "new", 400, DROP_R_REQUEST, text);
		return;
	}
	if (query_u64(req, "ttl", 1, c->max_ttl_s, &ttl) != 0) {
		snprintf(text, sizeof(text), "ttl: 1..%" PRIu32 " seconds", c->max_ttl_s);
		refuse(d, h, "new", 400, DROP_R_REQUEST, text);
		return;
	}
	r = drop_create(d, g.number, &h->ip, size, (unsigned)links, (unsigned)downloads,
	    (uint32_t)ttl, now_s(), &it);
	switch (r) {
	case 0:
		break;
	case DROP_R_QUOTA_SESSION:
		refuse(d, h, "new", 429, r, "this session's drop quota is used up");
		return;
	case DROP_R_QUOTA_ADDRESS:
		refuse(d, h, "new", 429, r, "this address's drop quota is used up");
		return;
	case DROP_R_QUOTA_TOTAL:
		refuse(d, h, "new", 507, r, "the relay's drop storage is full");
		return;
	case DROP_R_DISK_FULL:
		refuse(d, h, "new", 507, r, "the relay's disk is full");
		return;
	default:
		refuse(d, h, "new", 500, DROP_R_SYSTEM, "the relay cannot store files now");
		return;
	}
	sodium_bin2hex(hex, sizeof(hex), it->id, DROP_ID_BYTES);
	drop_put_make(drop_key(d), it->id, put);
	log_info("drop %s: new upload of %" PRIu64 " bytes, number=%" PRIu32 " peer=%s "
	    "links=%" PRIu64 " downloads=%" PRIu64 " ttl=%" PRIu64 "s", hex, size, g.number,
	    h->peer, links, downloads, ttl);
	snprintf(text, sizeof(text), "id=%s\nput=%s\n", hex, put);
	sodium_memzero(put, sizeof(put));
	answer(h, 201, text, strlen(text));
}

/* What differs between the requests that name a drop by id= and a secret. */
struct access {
	const char *secret_header;
	size_t secret_len;              /* its longest value, with the NUL */
	bool get;                       /* off= beside id=; the drop stored whole */
	const char *bad_request, *bad_secret, *not_found;
};

/* A put or done: the put secret that new gave. */
static const struct access upload_access = {
	"X-Fernsicht-Put", 2 * DROP_PUT_BYTES + 1, false,
	"id: 32 hex digits", "invalid put secret", "no such upload (expired or deleted)",
};

/* A get: the get secret that a claim gave, with its expiry. */
static const struct access download_access = {
	"X-Fernsicht-Get", 2 * DROP_GET_BYTES + 1, true,
	"id: 32 hex digits, off: a byte offset", "invalid get secret",
	"no such drop (expired or deleted)",
};

/*
 * The id= of a put, done or get (and a get's off=) and its secret: the
 * drop, or NULL after answering. The secret's MAC is checked before its
 * expiry, and both before the id is looked up: nobody learns which ids
 * exist.
 */
static struct drop_item *
drop_of(struct drop *d, struct conn *h, const char *what, const struct http_req *req,
    const uint8_t *head, const struct access *a, uint64_t *off)
{
	char secret[2 * DROP_GET_BYTES + 1];    /* the longer of the two */
	uint8_t id[DROP_ID_BYTES];
	struct drop_item *it;
	int rc;

	if (query_id(req, id) != 0 || (a->get && query_u64(req, "off", 0, UINT64_MAX, off) != 0)) {
		refuse(d, h, what, 400, DROP_R_REQUEST, a->bad_request);
		return NULL;
	}
	rc = http_header(head, req->head_len, a->secret_header, secret, a->secret_len);
	if (rc == 0)
		rc = a->get ? drop_get_check(drop_key(d), id, secret, (uint64_t)now_s()) :
		    drop_put_check(drop_key(d), id, secret);
	if (rc == ERR_TIMEOUT && a->get) {      /* a put secret has no expiry */
		refuse(d, h, what, 410, DROP_R_EXPIRED, "download expired: claim again");
		return NULL;
	}
	if (rc != 0) {
		refuse(d, h, what, 401, DROP_R_SECRET, a->bad_secret);
		return NULL;
	}
	if ((it = drop_find(d, id)) == NULL || (a->get && !it->done)) {
		refuse(d, h, what, 404, DROP_R_NOT_FOUND, a->not_found);
		return NULL;
	}
	return it;
}

static void
have(struct drop *d, struct conn *h, const char *what, int status, const struct drop_item *it)
{
	char text[40];

	snprintf(text, sizeof(text), "have=%" PRIu64 "\n", it->have);
	if (status != 200) {
		drop_stats(d)->refused[DROP_R_OFFSET]++;
		log_rl(&rl_refused, LOG_DEBUG, "conn=%llu peer=%s: drop %s: HTTP %d: %s",
		    (unsigned long long)h->id, h->peer, what, status, "offset is not have");
	}
	answer(h, status, text, strlen(text));
}

static void
on_put(struct drop *d, struct conn *h, const struct http_req *req, const uint8_t *head,
    const struct buf *body)
{
	struct drop_item *it;
	uint64_t off;

	if ((it = drop_of(d, h, "put", req, head, &upload_access, NULL)) == NULL)
		return;
	/* any offset that is not have is answered with have: a client asks so */
	if (query_u64(req, "off", 0, UINT64_MAX, &off) != 0) {
		refuse(d, h, "put", 400, DROP_R_REQUEST, "off: a byte offset");
		return;
	}
	if (it->done || off != it->have) {
		have(d, h, "put", 409, it);
		return;
	}
	if (buf_len(body) == 0) {
		refuse(d, h, "put", 400, DROP_R_REQUEST, "an empty body");
		return;
	}
	switch (drop_append(d, it, off, buf_ptr(body), buf_len(body), now_s())) {
	case 0:
		have(d, h, "put", 200, it);
		break;
	case ERR_TOO_LARGE:
		refuse(d, h, "put", 413, DROP_R_TOO_LARGE, "past the size given to new");
		break;
	case ERR_NO_SPACE:      /* it is gone */
		refuse(d, h, "put", 507, DROP_R_DISK_FULL,
		    "the relay's disk is full: this upload was deleted");
		break;
	default:
		refuse(d, h, "put", 500, DROP_R_SYSTEM, "the relay cannot store files now");
		break;
	}
}

static void
on_done(struct drop *d, struct conn *h, const struct http_req *req, const uint8_t *head)
{
	char text[DROP_LINKS_MAX * (DROP_LINK_TEXT_MAX + 8) + 1], hex[2 * DROP_ID_BYTES + 1];
	bool was_done;
	struct drop_item *it;
	size_t n = 0;

	if ((it = drop_of(d, h, "done", req, head, &upload_access, NULL)) == NULL)
		return;
	was_done = it->done;
	switch (drop_finish(d, it)) {
	case 0:
		break;
	case ERR_INCOMPLETE:
		have(d, h, "done", 409, it);
		return;
	case ERR_NO_SPACE:
		refuse(d, h, "done", 507, DROP_R_DISK_FULL, "the relay's disk is full");
		return;
	default:
		refuse(d, h, "done", 500, DROP_R_SYSTEM, "the relay cannot store files now");
		return;
	}
	for (unsigned i = 0; i < it->links; i++) {
		memcpy(text + n, "link=", 5);
		n += 5;
		drop_link_make(drop_key(d), it->id, (uint8_t)i, (uint64_t)it->expires_s, text + n);
		n += strlen(text + n);
		text[n++] = '\n';
	}
	text[n] = '\0';
	if (!was_done) {
		sodium_bin2hex(hex, sizeof(hex), it->id, DROP_ID_BYTES);
		log_info("drop %s: stored, %" PRIu64 " bytes, until %" PRId64, hex, it->size,
		    it->expires_s);
	}
	answer(h, 200, text, n);
}

static void
on_claim(struct drop *d, struct conn *h, const struct http_req *req)
{
	char t[DROP_LINK_TEXT_MAX + 1], get[2 * DROP_GET_BYTES + 1], hex[2 * DROP_ID_BYTES + 1];
	char text[256];
	uint8_t id[DROP_ID_BYTES], index;
	struct drop_item *it;
	int64_t now = now_s();
	int rc;

	if (http_query(req->query, "t", t, sizeof(t)) != 0) {
		refuse(d, h, "claim", 401, DROP_R_LINK, "invalid link");
		return;
	}
	if ((rc = drop_link_check(drop_key(d), t, (uint64_t)now, id, &index)) != 0) {
		if (rc == ERR_TIMEOUT)
			refuse(d, h, "claim", 410, DROP_R_EXPIRED, "link expired");
		else
			refuse(d, h, "claim", 401, DROP_R_LINK, "invalid link");
		return;
	}
	if ((it = drop_find(d, id)) == NULL || !it->done) {
		refuse(d, h, "claim", 404, DROP_R_NOT_FOUND, "no such drop (expired or deleted)");
		return;
	}
	switch (drop_take(d, it, index)) {
	case 0:
		break;
	case ERR_LIMIT:
		refuse(d, h, "claim", 410, DROP_R_USED_UP, "used up");
		return;
	case ERR_FORMAT:
		refuse(d, h, "claim", 401, DROP_R_LINK, "invalid link");
		return;
	case ERR_NO_SPACE:
		refuse(d, h, "claim", 507, DROP_R_DISK_FULL, "the relay's disk is full");
		return;
	default:
		refuse(d, h, "claim", 500, DROP_R_SYSTEM, "the relay cannot serve files now");
		return;
	}
	sodium_bin2hex(hex, sizeof(hex), it->id, DROP_ID_BYTES);
	drop_get_make(drop_key(d), it->id, (uint64_t)(now + DROP_CLAIM_TTL_S), get);
	log_info("drop %s: link %u claimed by peer=%s, %u downloads left on it", hex, index,
	    h->peer, it->left[index]);
	snprintf(text, sizeof(text), "id=%s\nsize=%" PRIu64 "\nget=%s\n", hex, it->size, get);
	answer(h, 200, text, strlen(text));
}

static void
on_get(struct drop *d, struct conn *h, const struct http_req *req, const uint8_t *head)
{
	static uint8_t part[DROP_PART_MAX_BYTES];
	struct drop_item *it;
	char text[40];
	uint64_t off;
	size_t got;

	if ((it = drop_of(d, h, "get", req, head, &download_access, &off)) == NULL)
		return;
	if (off > it->size) {
		snprintf(text, sizeof(text), "size=%" PRIu64, it->size);
		refuse(d, h, "get", 416, DROP_R_OFFSET, text);
		return;
	}
	if (drop_read(d, it, off, part, sizeof(part), &got) != 0) {
		refuse(d, h, "get", 500, DROP_R_SYSTEM, "the relay cannot serve files now");
		return;
	}
	answer(h, 200, (const char *)part, got);
}

void
drop_http_serve(struct drop *d, struct conn *h, const struct http_req *req,
    const uint8_t *head, const struct buf *body)
{
	static const struct {
		const char *path;
		bool post;
	} paths[] = {
		{ "/v1/drop/new", true }, { "/v1/drop/put", true }, { "/v1/drop/done", true },
		{ "/v1/drop/claim", true }, { "/v1/drop/get", false },
	};
	size_t i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strcmp(req->path, paths[i].path) == 0)
			break;
	if (i == sizeof(paths) / sizeof(paths[0])) {
		answer(h, 404, "not found\n", 10);
		return;
	}
	if (d == NULL) {
		refuse(d, h, req->path + 9, 404, DROP_R_NOT_FOUND, "no file drop on this relay");
		return;
	}
	if ((req->method == HTTP_POST) != paths[i].post) {
		refuse(d, h, req->path + 9, 405, DROP_R_REQUEST, "method not allowed");
		return;
	}
	switch (i) {
	case 0: on_new(d, h, req, head); break;
	case 1: on_put(d, h, req, head, body); break;
	case 2: on_done(d, h, req, head); break;
	case 3: on_claim(d, h, req); break;
	default: on_get(d, h, req, head); break;
	}
}
