/* SPDX-License-Identifier: Apache-2.0 */
/*
 * blob.h - the file drop's blob: one file, encrypted by the client that
 * drops it, kept by the relay as opaque bytes, and opened by whoever holds
 * a link's secret or a recipient's identity key (docs/PROTOCOL.md, "File
 * drop: the blob"):
 *
 *   "FSDROP1"          7 bytes
 *   u8   n             envelopes, 1..DROP_BLOB_ENVELOPES_MAX
 *   n x  u8 kind, tag[32], body
 *          kind 1 (link):     tag = BLAKE2b(key L, "fernsicht drop tag"),
 *                             body = nonce[24] + secretbox(file key) under
 *                             BLAKE2b(key L, "fernsicht drop box")  (72 bytes)
 *          kind 2 (identity): tag = BLAKE2b(pk),
 *                             body = crypto_box_seal(file key, pk)  (80 bytes)
 *   header[24]         the secretstream's (xchacha20poly1305, file key)
 *   u16  m             bytes of the metadata chunk
 *   meta[m]            the stream's first chunk: u64 size, lv16 name; its
 *                      additional data is every byte before it, so a change
 *                      anywhere in the header fails there
 *   chunks             size in pieces of DROP_BLOB_CHUNK_BYTES, each + 17
 *                      bytes; the last one (an empty one for an empty file)
 *                      carries TAG_FINAL, every other TAG_MESSAGE
 *
 * Pure: bytes in, bytes out. A reader takes any bytes: every length is
 * bounded before it is used, and whatever fails says why in *why (English,
 * for a log or an error line).
 */
#ifndef PROTO_BLOB_H
#define PROTO_BLOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "buf.h"
#include "limits.h"

enum {
	BLOB_SECRET_LEN = 32,           /* a link's secret L */
	BLOB_KEY_LEN = 32,              /* a file key; an identity's keys */
	BLOB_TAG_LEN = 32,
	BLOB_KIND_LINK = 1,
	BLOB_KIND_IDENTITY = 2,
	BLOB_LINK_BODY_LEN = 24 + BLOB_KEY_LEN + 16,
	BLOB_IDENTITY_BODY_LEN = BLOB_KEY_LEN + 48,
	BLOB_BODY_MAX = BLOB_IDENTITY_BODY_LEN,
	BLOB_ABYTES = 17,               /* crypto_secretstream_xchacha20poly1305_ABYTES */
	BLOB_HEADER_MAX_BYTES = 7 + 1 +
	    DROP_BLOB_ENVELOPES_MAX * (1 + BLOB_TAG_LEN + BLOB_BODY_MAX) +
	    24 + 2 + DROP_BLOB_META_MAX_BYTES + BLOB_ABYTES,
};

struct blob_envelope {
	uint8_t kind;
	uint8_t tag[BLOB_TAG_LEN];
	uint8_t body[BLOB_BODY_MAX];
};

/* A parsed header: the envelopes, and the bytes the metadata is bound to. */
struct blob_header {
	unsigned n;
	struct blob_envelope env[DROP_BLOB_ENVELOPES_MAX];
	uint8_t stream[24];
	size_t ad_len;                  /* raw[0..ad_len): magic to m, the metadata's AD */
	size_t len;                     /* raw[0..len): the whole header, metadata included */
	uint8_t raw[BLOB_HEADER_MAX_BYTES];
};

/* Who may open a blob: a link's secret (or NULL), and identities' public keys. */
struct blob_recipients {
	const uint8_t *link_secret;     /* BLOB_SECRET_LEN bytes, or NULL */
	const uint8_t (*identity)[BLOB_KEY_LEN];
	size_t n_identity;
};

struct blob_writer {
	crypto_secretstream_xchacha20poly1305_state st;
	uint64_t left;                  /* plaintext still to come */
	bool open;
};

struct blob_reader {
	crypto_secretstream_xchacha20poly1305_state st;
	uint64_t size;                  /* the file's, from the metadata */
	uint64_t left;                  /* plaintext still to come */
	bool open;                      /* false before start, after the end and any failure */
	char name[FILES_COMPONENT_MAX + 1];
};

/* The bytes after the header for a file of size bytes: data and one tag per chunk. */
uint64_t blob_body_bytes(uint64_t size);

/*
 * Start a blob for a file called name (one path component, relpath's rules)
 * of size bytes, for the recipients in *to (at least one): append its
 * header to out. A fresh random file key is made and forgotten here; the
 * writer keeps only the stream's state.
 */
int blob_writer_start(struct blob_writer *w, const struct blob_recipients *to,
    const char *name, uint64_t size, struct buf *out, const char **why) WUR;
/* The next piece: exactly min(DROP_BLOB_CHUNK_BYTES, what is left) bytes. */
int blob_writer_next(struct blob_writer *w, const uint8_t *p, size_t n, struct buf *out,
    const char **why) WUR;
void blob_writer_clear(struct blob_writer *w);

/*
 * Take a whole header from the front of in. ERR_INCOMPLETE (consuming
 * nothing) until it is all there; ERR_FORMAT or ERR_UNSUPPORTED, with *why,
 * for anything that is not a header. Nothing here is authenticated yet:
 * blob_reader_start does that.
 */
int blob_header_parse(struct buf *in, struct blob_header *h, const char **why) WUR;
/* The file key from the envelope for a link's secret, or for an identity.
 * ERR_AUTH when there is none for it, or it does not open. */
int blob_open_link(const struct blob_header *h, const uint8_t secret[BLOB_SECRET_LEN],
    uint8_t key[BLOB_KEY_LEN], const char **why) WUR;
int blob_open_identity(const struct blob_header *h, const uint8_t pk[BLOB_KEY_LEN],
    const uint8_t sk[BLOB_KEY_LEN], uint8_t key[BLOB_KEY_LEN], const char **why) WUR;
/* Open the stream and the metadata with the file key: r->size, r->name. */
int blob_reader_start(struct blob_reader *r, const struct blob_header *h,
    const uint8_t key[BLOB_KEY_LEN], const char **why) WUR;
/*
 * The next chunk's plaintext into out (DROP_BLOB_CHUNK_BYTES of room):
 * ERR_INCOMPLETE (consuming nothing) until its bytes are in in. *done once
 * the final chunk came; the caller then checks that no byte follows.
 * ERR_AUTH for any chunk that does not authenticate, or ends too early.
 */
int blob_reader_next(struct blob_reader *r, struct buf *in, uint8_t *out, size_t *out_len,
    bool *done, const char **why) WUR;
void blob_reader_clear(struct blob_reader *r);

/* An identity's public key tag (what a kind 2 envelope is found by). */
void blob_identity_tag(const uint8_t pk[BLOB_KEY_LEN], uint8_t tag[BLOB_TAG_LEN]);

#endif
