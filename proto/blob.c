/* SPDX-License-Identifier: Apache-2.0 */
/*
 * blob.c - the file drop's blob: envelopes, metadata and the secretstream
 * chunks (blob.h has the layout).
 */
#include <string.h>

#include "blob.h"
#include "log.h"
#include "relpath.h"

#define SS(x) crypto_secretstream_xchacha20poly1305_##x

_Static_assert(BLOB_ABYTES == SS(ABYTES), "the chunk tag's size");
_Static_assert(sizeof(((struct blob_header *)0)->stream) == SS(HEADERBYTES), "stream header");
_Static_assert(BLOB_KEY_LEN == SS(KEYBYTES), "file key");
_Static_assert(BLOB_LINK_BODY_LEN == crypto_secretbox_NONCEBYTES + BLOB_KEY_LEN +
    crypto_secretbox_MACBYTES, "link envelope");
_Static_assert(BLOB_IDENTITY_BODY_LEN == BLOB_KEY_LEN + crypto_box_SEALBYTES,
    "identity envelope");
_Static_assert(BLOB_KEY_LEN == crypto_box_PUBLICKEYBYTES &&
    BLOB_KEY_LEN == crypto_box_SECRETKEYBYTES, "identity keys");

static const uint8_t MAGIC[7] = { 'F', 'S', 'D', 'R', 'O', 'P', '1' };
static const char TAG_INFO[] = "fernsicht drop tag";
static const char BOX_INFO[] = "fernsicht drop box";

static void
sodium_ready(void)
{
	if (sodium_init() < 0)
		log_fatal(1, "libsodium cannot be initialised");
}

static void
set_why(const char **why, const char *text)
{
	if (why != NULL)
		*why = text;
}

/* Both the tag and the box key of a link come from its secret alone. */
static void
link_derive(const uint8_t secret[BLOB_SECRET_LEN], const char *info, uint8_t out[32])
{
	crypto_generichash(out, 32, (const unsigned char *)info, strlen(info), secret,
	    BLOB_SECRET_LEN);
}

void
blob_identity_tag(const uint8_t pk[BLOB_KEY_LEN], uint8_t tag[BLOB_TAG_LEN])
{
	crypto_generichash(tag, BLOB_TAG_LEN, pk, BLOB_KEY_LEN, NULL, 0);
}

static size_t
body_len(uint8_t kind)
{
	return kind == BLOB_KIND_LINK ? BLOB_LINK_BODY_LEN :
	    kind == BLOB_KIND_IDENTITY ? BLOB_IDENTITY_BODY_LEN : 0;
}

uint64_t
blob_body_bytes(uint64_t size)
{
	uint64_t chunks = size == 0 ? 1 :
	    (size + DROP_BLOB_CHUNK_BYTES - 1) / DROP_BLOB_CHUNK_BYTES;

	return size + chunks * BLOB_ABYTES;
}

/* A name the receiver may write as it is: one component by relpath's rules. */
static int
name_check(const char *name, size_t n, const char **why)
{
	const char *rule = NULL;

	if (n == 0 || n > FILES_COMPONENT_MAX || memchr(name, '/', n) != NULL) {
		set_why(why, "the file name is not a single name of 1..255 bytes");
		return ERR_FORMAT;
	}
	if (relpath_check(name, n, &rule) != 0) {
		set_why(why, rule);
		return ERR_FORMAT;
	}
	return 0;
}

static int
put_envelopes(const struct blob_recipients *to, const uint8_t key[BLOB_KEY_LEN],
    struct buf *out)
{
	uint8_t tag[BLOB_TAG_LEN], box[32], body[BLOB_BODY_MAX];
	int r = 0;

	if (to->link_secret != NULL) {
		link_derive(to->link_secret, TAG_INFO, tag);
		link_derive(to->link_secret, BOX_INFO, box);
		randombytes_buf(body, crypto_secretbox_NONCEBYTES);
		crypto_secretbox_easy(body + crypto_secretbox_NONCEBYTES, key, BLOB_KEY_LEN,
		    body, box);
		if ((r = buf_put_u8(out, BLOB_KIND_LINK)) != 0 ||
		    (r = buf_put_bytes(out, tag, sizeof(tag))) != 0 ||
		    (r = buf_put_bytes(out, body, BLOB_LINK_BODY_LEN)) != 0)
			goto out;
	}
	for (size_t i = 0; i < to->n_identity; i++) {
		blob_identity_tag(to->identity[i], tag);
		if (crypto_box_seal(body, key, BLOB_KEY_LEN, to->identity[i]) != 0) {
			r = ERR_FORMAT;         /* a public key that is no point */
			goto out;
		}
		if ((r = buf_put_u8(out, BLOB_KIND_IDENTITY)) != 0 ||
		    (r = buf_put_bytes(out, tag, sizeof(tag))) != 0 ||
		    (r = buf_put_bytes(out, body, BLOB_IDENTITY_BODY_LEN)) != 0)
			goto out;
	}
out:
	sodium_memzero(box, sizeof(box));
	return r;
}

int
blob_writer_start(struct blob_writer *w, const struct blob_recipients *to,
    const char *name, uint64_t size, struct buf *out, const char **why)
{
	uint8_t key[BLOB_KEY_LEN], hdr[SS(HEADERBYTES)], meta[DROP_BLOB_META_MAX_BYTES];
	uint8_t cmeta[DROP_BLOB_META_MAX_BYTES + BLOB_ABYTES];
	size_t nenv = (to->link_secret != NULL ? 1 : 0) + to->n_identity;
	size_t start = buf_len(out), name_len = strlen(name), mlen;
	struct buf m;
	int r;

	sodium_ready();
	memset(w, 0, sizeof(*w));
	set_why(why, NULL);
	if (nenv == 0 || nenv > DROP_BLOB_ENVELOPES_MAX) {
		set_why(why, "a blob needs at least one recipient, and has room for 34");
		return ERR_TOO_LARGE;
	}
	if (size > DROP_BLOB_SIZE_MAX) {
		set_why(why, "the file is too large");
		return ERR_TOO_LARGE;
	}
	if ((r = name_check(name, name_len, why)) != 0)
		return r;
	buf_init(&m, sizeof(meta));
	if ((r = buf_put_u64(&m, size)) != 0 || (r = buf_put_lv16(&m, name, name_len)) != 0) {
		buf_release(&m);
		return r;
	}
	mlen = buf_len(&m);
	memcpy(meta, buf_ptr(&m), mlen);
	buf_release(&m);

	crypto_secretstream_xchacha20poly1305_keygen(key);
	SS(init_push)(&w->st, hdr, key);
	if ((r = buf_put_bytes(out, MAGIC, sizeof(MAGIC))) != 0 ||
	    (r = buf_put_u8(out, (uint8_t)nenv)) != 0 ||
	    (r = put_envelopes(to, key, out)) != 0 ||
	    (r = buf_put_bytes(out, hdr, sizeof(hdr))) != 0 ||
	    (r = buf_put_u16(out, (uint16_t)(mlen + BLOB_ABYTES))) != 0)
		goto fail;
	/* The metadata is bound to every header byte written so far. */
	SS(push)(&w->st, cmeta, NULL, meta, mlen, buf_ptr(out) + start, buf_len(out) - start,
	    SS(TAG_MESSAGE));
	if ((r = buf_put_bytes(out, cmeta, mlen + BLOB_ABYTES)) != 0)
		goto fail;
	sodium_memzero(key, sizeof(key));
	sodium_memzero(meta, sizeof(meta));
	w->left = size;
	w->open = true;
	return 0;
fail:
	if (buf_len(out) > start)
		buf_unput(out, buf_len(out) - start);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(meta, sizeof(meta));
	blob_writer_clear(w);
	if (r == ERR_FORMAT)
		set_why(why, "a recipient's public key is not valid");
	else if (why != NULL && *why == NULL)
		set_why(why, "no room for the blob's header");
	return r;
}

int
blob_writer_next(struct blob_writer *w, const uint8_t *p, size_t n, struct buf *out,
    const char **why)
{
	uint64_t want = w->left < DROP_BLOB_CHUNK_BYTES ? w->left : DROP_BLOB_CHUNK_BYTES;
	bool last = w->left == want;
	uint8_t *c;
	int r;

	set_why(why, NULL);
	if (!w->open || n != want) {
		set_why(why, "a chunk of the wrong size, or after the last one");
		return ERR_INTERNAL;
	}
	if ((r = buf_reserve(out, n + BLOB_ABYTES, &c)) != 0) {
		set_why(why, "no room for the chunk");
		return r;
	}
	SS(push)(&w->st, c, NULL, p, n, NULL, 0, last ? SS(TAG_FINAL) : SS(TAG_MESSAGE));
	w->left -= n;
	if (last)
		blob_writer_clear(w);
	return 0;
}

void
blob_writer_clear(struct blob_writer *w)
{
	sodium_memzero(w, sizeof(*w));
}

int
blob_header_parse(struct buf *in, struct blob_header *h, const char **why)
{
	struct buf b, body;
	uint8_t magic[sizeof(MAGIC)], n;
	uint16_t m;
	int r;

	set_why(why, NULL);
	memset(h, 0, sizeof(*h));
	buf_view(&b, buf_ptr(in), buf_len(in)); /* in moves only on success */
	if ((r = buf_get_bytes(&b, magic, sizeof(magic))) != 0)
		goto out;
	if (memcmp(magic, MAGIC, 6) != 0) {
		set_why(why, "not a file drop blob");
		r = ERR_FORMAT;
		goto out;
	}
	if (magic[6] != MAGIC[6]) {
		set_why(why, "a file drop blob of a version this program does not read");
		r = ERR_UNSUPPORTED;
		goto out;
	}
	if ((r = buf_get_u8(&b, &n)) != 0)
		goto out;
	if (n == 0 || n > DROP_BLOB_ENVELOPES_MAX) {
		set_why(why, "the blob's number of envelopes is out of range");
		r = ERR_FORMAT;
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		struct blob_envelope *e = &h->env[i];

		if ((r = buf_get_u8(&b, &e->kind)) != 0)
			goto out;
		if (body_len(e->kind) == 0) {
			set_why(why, "an envelope of an unknown kind");
			r = ERR_FORMAT;
			goto out;
		}
		if ((r = buf_get_bytes(&b, e->tag, BLOB_TAG_LEN)) != 0 ||
		    (r = buf_get_bytes(&b, e->body, body_len(e->kind))) != 0)
			goto out;
	}
	if ((r = buf_get_bytes(&b, h->stream, sizeof(h->stream))) != 0 ||
	    (r = buf_get_u16(&b, &m)) != 0)
		goto out;
	if (m < BLOB_ABYTES + 8 + 2 || m > DROP_BLOB_META_MAX_BYTES + BLOB_ABYTES) {
		set_why(why, "the blob's metadata has an impossible size");
		r = ERR_FORMAT;
		goto out;
	}
	h->ad_len = buf_len(in) - buf_len(&b);
	if ((r = buf_get_view(&b, &body, m)) != 0)
		goto out;
	h->len = h->ad_len + m;
	BUG_ON(h->len > sizeof(h->raw));
	memcpy(h->raw, buf_ptr(in), h->len);
	h->n = n;
	if ((r = buf_skip(in, h->len)) != 0)
		goto out;
	return 0;
out:
	memset(h, 0, sizeof(*h));
	if (r == ERR_INCOMPLETE)
		set_why(why, "the blob ends inside its header");
	return r;
}

/* The envelope of this kind with this tag, or NULL. */
static const struct blob_envelope *
find(const struct blob_header *h, uint8_t kind, const uint8_t tag[BLOB_TAG_LEN])
{
	for (unsigned i = 0; i < h->n; i++)
		if (h->env[i].kind == kind && sodium_memcmp(h->env[i].tag, tag, BLOB_TAG_LEN) == 0)
			return &h->env[i];
	return NULL;
}

int
blob_open_link(const struct blob_header *h, const uint8_t secret[BLOB_SECRET_LEN],
    uint8_t key[BLOB_KEY_LEN], const char **why)
{
	const struct blob_envelope *e;
	uint8_t tag[BLOB_TAG_LEN], box[32];
	int r = 0;

	sodium_ready();
	set_why(why, NULL);
	link_derive(secret, TAG_INFO, tag);
	if ((e = find(h, BLOB_KIND_LINK, tag)) == NULL) {
		set_why(why, "the link's key opens nothing in this blob (a wrong or cut #KEY?)");
		return ERR_AUTH;
	}
	link_derive(secret, BOX_INFO, box);
	if (crypto_secretbox_open_easy(key, e->body + crypto_secretbox_NONCEBYTES,
	    BLOB_KEY_LEN + crypto_secretbox_MACBYTES, e->body, box) != 0) {
		set_why(why, "the blob's link envelope was changed");
		sodium_memzero(key, BLOB_KEY_LEN);
		r = ERR_AUTH;
	}
	sodium_memzero(box, sizeof(box));
	return r;
}

int
blob_open_identity(const struct blob_header *h, const uint8_t pk[BLOB_KEY_LEN],
    const uint8_t sk[BLOB_KEY_LEN], uint8_t key[BLOB_KEY_LEN], const char **why)
{
	const struct blob_envelope *e;
	uint8_t tag[BLOB_TAG_LEN];

	sodium_ready();
	set_why(why, NULL);
	blob_identity_tag(pk, tag);
	if ((e = find(h, BLOB_KIND_IDENTITY, tag)) == NULL) {
		set_why(why, "this blob was not dropped for this identity");
		return ERR_AUTH;
	}
	if (crypto_box_seal_open(key, e->body, BLOB_IDENTITY_BODY_LEN, pk, sk) != 0) {
		set_why(why, "the blob's envelope for this identity was changed");
		sodium_memzero(key, BLOB_KEY_LEN);
		return ERR_AUTH;
	}
	return 0;
}

int
blob_reader_start(struct blob_reader *r, const struct blob_header *h,
    const uint8_t key[BLOB_KEY_LEN], const char **why)
{
	uint8_t meta[DROP_BLOB_META_MAX_BYTES];
	unsigned long long mlen = 0;
	unsigned char tag = 0;
	struct buf m, name;
	uint64_t size;
	int rc;

	sodium_ready();
	memset(r, 0, sizeof(*r));
	set_why(why, NULL);
	if (h->len <= h->ad_len || h->len - h->ad_len > sizeof(meta) + BLOB_ABYTES) {
		set_why(why, "no parsed header");
		return ERR_INTERNAL;
	}
	if (SS(init_pull)(&r->st, h->stream, key) != 0 ||
	    SS(pull)(&r->st, meta, &mlen, &tag, h->raw + h->ad_len, h->len - h->ad_len,
	    h->raw, h->ad_len) != 0 || tag != SS(TAG_MESSAGE)) {
		set_why(why, "the blob's header or metadata was changed");
		rc = ERR_AUTH;
		goto fail;
	}
	buf_view(&m, meta, (size_t)mlen);
	if ((rc = buf_get_u64(&m, &size)) != 0 ||
	    (rc = buf_get_lv16(&m, &name, FILES_COMPONENT_MAX)) != 0 ||
	    (rc = buf_expect_end(&m)) != 0) {
		set_why(why, "the blob's metadata is malformed");
		rc = ERR_FORMAT;
		goto fail;
	}
	if (size > DROP_BLOB_SIZE_MAX) {
		set_why(why, "the blob announces a file too large");
		rc = ERR_FORMAT;
		goto fail;
	}
	if ((rc = name_check((const char *)buf_ptr(&name), buf_len(&name), why)) != 0)
		goto fail;
	memcpy(r->name, buf_ptr(&name), buf_len(&name));
	r->size = r->left = size;
	r->open = true;
	sodium_memzero(meta, sizeof(meta));
	return 0;
fail:
	sodium_memzero(meta, sizeof(meta));
	blob_reader_clear(r);
	return rc;
}

int
blob_reader_next(struct blob_reader *r, struct buf *in, uint8_t *out, size_t *out_len,
    bool *done, const char **why)
{
	uint64_t want = r->left < DROP_BLOB_CHUNK_BYTES ? r->left : DROP_BLOB_CHUNK_BYTES;
	bool last = r->left == want;
	unsigned long long n = 0;
	unsigned char tag = 0;

	*out_len = 0;
	*done = false;
	set_why(why, NULL);
	if (!r->open) {
		set_why(why, "the blob's stream is not open");
		return ERR_AUTH;
	}
	if (buf_len(in) < want + BLOB_ABYTES)
		return ERR_INCOMPLETE;
	if (SS(pull)(&r->st, out, &n, &tag, buf_ptr(in), (size_t)want + BLOB_ABYTES, NULL, 0)
	    != 0 || n != want || tag != (last ? SS(TAG_FINAL) : SS(TAG_MESSAGE))) {
		set_why(why, "the blob's data was changed");
		sodium_memzero(out, (size_t)want);
		blob_reader_clear(r);
		return ERR_AUTH;
	}
	BUG_ON(buf_skip(in, (size_t)want + BLOB_ABYTES) != 0);
	r->left -= want;
	*out_len = (size_t)want;
	if (last) {
		*done = true;
		r->open = false;
		sodium_memzero(&r->st, sizeof(r->st));
	}
	return 0;
}

void
blob_reader_clear(struct blob_reader *r)
{
	sodium_memzero(r, sizeof(*r));
}
