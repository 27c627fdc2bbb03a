/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.h - bounded byte buffers with checked big-endian readers and writers.
 *
 * One type, two kinds:
 *   owned  buf_new(max) allocates. It grows on demand, never past max
 *          unread bytes, and is wiped when freed.
 *   view   buf_view(&b, p, n) wraps n bytes the caller owns. No allocation;
 *          read-only. Decoders only ever see views.
 *
 * Every function keeps these promises:
 *   - It returns 0, or a negative ERR_* from err.h.
 *   - A failing call changes nothing: no bytes are consumed or appended,
 *     and its output arguments are zeroed (numbers) or emptied (views).
 *   - A limit is checked before completeness: a length over its limit is
 *     ERR_TOO_LARGE at once, not ERR_INCOMPLETE until the bytes arrive.
 *   - buf_ptr() never returns NULL, and what it and buf_get_view() return
 *     borrows the buffer's storage until the next call that modifies it.
 *   - Integers on the wire are big-endian.
 */
#ifndef PROTO_BUF_H
#define PROTO_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct buf {                /* the fields are private: use the functions */
	uint8_t *d;         /* owned storage; NULL for a view */
	const uint8_t *cd;  /* where reads come from: d, or the viewed bytes */
	size_t off;         /* the next unread byte is cd[off] */
	size_t len;         /* one past the last valid byte */
	size_t cap;         /* bytes allocated at d */
	size_t used;        /* bytes of d ever written (at most cap): what a release wipes */
	size_t used_mark;   /* used before the last reserve (buf_keep's) */
	size_t max;         /* len - off never exceeds max */
	bool ro;            /* a view: every writer fails with ERR_INTERNAL */
};

struct buf *buf_new(size_t max);
void buf_free(struct buf *b);           /* NULL is fine; wipes the storage */
void buf_init(struct buf *b, size_t max); /* an owned buf in caller storage */
void buf_release(struct buf *b);        /* frees what buf_init's buf owns */
void buf_view(struct buf *b, const void *p, size_t n);
void buf_reset(struct buf *b);          /* drop every byte, keep the storage */
size_t buf_len(const struct buf *b);    /* unread bytes */
size_t buf_avail(const struct buf *b);  /* bytes that may still be appended */
size_t buf_max(const struct buf *b);
/* An owned buf may hold up to max unread bytes from now on; a smaller max
 * than it has changes nothing (storage still grows on demand). */
void buf_raise_max(struct buf *b, size_t max);
const uint8_t *buf_ptr(const struct buf *b);

int buf_get_u8(struct buf *b, uint8_t *v) WUR;
int buf_get_u16(struct buf *b, uint16_t *v) WUR;
int buf_get_u32(struct buf *b, uint32_t *v) WUR;
int buf_get_u64(struct buf *b, uint64_t *v) WUR;
/* 7 bits per byte, least significant first, the high bit says "more";
 * only the shortest form is accepted. */
int buf_get_var32(struct buf *b, uint32_t *v) WUR;
int buf_get_bytes(struct buf *b, void *dst, size_t n) WUR;
int buf_get_view(struct buf *b, struct buf *sub, size_t n) WUR;
int buf_get_lv16(struct buf *b, struct buf *sub, size_t max) WUR; /* u16 n, n bytes */
int buf_get_lv32(struct buf *b, struct buf *sub, size_t max) WUR; /* u32 n, n bytes */
int buf_peek_u8(const struct buf *b, size_t at, uint8_t *v) WUR;
int buf_peek_u32(const struct buf *b, size_t at, uint32_t *v) WUR;
int buf_skip(struct buf *b, size_t n) WUR;
int buf_expect_end(const struct buf *b) WUR; /* ERR_TRAILING if bytes remain */

int buf_put_u8(struct buf *b, uint8_t v) WUR;
int buf_put_u16(struct buf *b, uint16_t v) WUR;
int buf_put_u32(struct buf *b, uint32_t v) WUR;
int buf_put_u64(struct buf *b, uint64_t v) WUR;
int buf_put_var32(struct buf *b, uint32_t v) WUR;
/* The same into p (for an encoder that builds bytes outside a buf);
 * returns how many, at most BUF_VAR32_MAX_LEN. */
#define BUF_VAR32_MAX_LEN 5
size_t buf_var32_pack(uint8_t p[BUF_VAR32_MAX_LEN], uint32_t v);
int buf_put_bytes(struct buf *b, const void *p, size_t n) WUR;
int buf_put_lv16(struct buf *b, const void *p, size_t n) WUR;
int buf_put_lv32(struct buf *b, const void *p, size_t n) WUR;
/* Append n uninitialised bytes and point *p at them (valid until the next change). */
int buf_reserve(struct buf *b, size_t n, uint8_t **p) WUR;
/* Drop the last n appended bytes (undo a reserve that was not used). */
void buf_unput(struct buf *b, size_t n);
/* Right after buf_reserve(b, n, ...) and a writer that filled the first k
 * of those n bytes (a read): keep the k, give back the rest as never
 * written, so that a release does not wipe (and touch) room no one used. */
void buf_keep(struct buf *b, size_t n, size_t k);

/*
 * Read at most want bytes from a non-blocking fd. ERR_AGAIN when nothing
 * was there, ERR_CLOSED on end of file, ERR_NO_SPACE when b is full.
 */
int buf_read_fd(struct buf *b, int fd, size_t want, size_t *got) WUR;
/* Write at most budget bytes to a non-blocking fd and consume them. */
int buf_write_fd(struct buf *b, int fd, size_t budget, size_t *sent) WUR;

/* Accepts exactly the bytes of well-formed UTF-8 (no overlongs, no surrogates). */
bool buf_utf8_valid(const uint8_t *p, size_t n);

#endif
