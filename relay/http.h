/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http.h - the little HTTP/1.1 the long-poll tunnel needs (docs/PROTOCOL.md
 * 5.1): a strict request parser and the heads of our answers.
 *
 * Strict means: "METHOD SP target SP HTTP/1.1" with GET or POST, header
 * lines "name: value" of visible ASCII, a Host header, Content-Length at
 * most once and only digits, no Transfer-Encoding (no chunked requests),
 * no folded lines, the head within RELAY_HTTP_HEAD_MAX_BYTES. Anything
 * else is ERR_FORMAT, answered 400 and closed.
 */
#ifndef RELAY_HTTP_H
#define RELAY_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "limits.h"

enum http_method { HTTP_GET, HTTP_POST };

enum { HTTP_TARGET_MAX = 256 };         /* our targets are about 80 bytes */

struct http_req {
	enum http_method method;
	char path[HTTP_TARGET_MAX + 1];     /* up to '?' */
	char query[HTTP_TARGET_MAX + 1];    /* after '?', or "" */
	size_t head_len;                    /* request line and headers, with the empty line */
	uint64_t content_length;
	bool keep_alive;                    /* HTTP/1.1 unless "Connection: close" */
	bool expect_continue;               /* "Expect: 100-continue" */
	bool http10;                        /* an HTTP/1.0 request */
};

/*
 * Parse one request head at the start of p[0..n). ERR_INCOMPLETE: not all
 * there yet (and n is within the limit); ERR_TOO_LARGE: the head is over
 * RELAY_HTTP_HEAD_MAX_BYTES; ERR_FORMAT: not strict HTTP/1.1.
 */
int http_parse(const uint8_t *p, size_t n, struct http_req *req) WUR;
/*
 * The value of key in a query "a=1&b=2" into out (NUL-terminated).
 * ERR_FORMAT when missing, empty or longer than out_len - 1.
 */
int http_query(const char *query, const char *key, char *out, size_t out_len) WUR;
/* A decimal u64 without sign, spaces or leading zeros. */
int http_u64(const char *s, uint64_t *v) WUR;
/* Append a whole answer: status line, our headers, body of n bytes. */
int http_answer(struct buf *out, int status, bool keep_alive, const char *body, size_t n) WUR;
/* Append the head of a streamed application/octet-stream answer: chunked,
 * or for HTTP/1.0 unframed (ended by closing). */
int http_stream_head(struct buf *out, bool keep_alive, bool http10) WUR;
/* Append one chunk of n > 0 bytes, or the last chunk when n is 0. */
int http_chunk(struct buf *out, const void *p, size_t n) WUR;
/*
 * file drop: the value of header name (case-insensitive) in the head
 * p[0..head_len) that http_parse accepted, without surrounding blanks,
 * into out. ERR_FORMAT when missing, given twice, empty, or longer than
 * out_len - 1.
 */
int http_header(const uint8_t *p, size_t head_len, const char *name, char *out,
    size_t out_len) WUR;

#endif
