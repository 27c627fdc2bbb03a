/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* RFC 9110 tchar: what a method or header name may hold */
static bool
tchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A head holds visible ASCII, spaces, tabs and CRLFs; no obs-text, no NUL. */
static bool
head_byte(uint8_t c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r' || c == '\n';
}

static bool
token_is(const uint8_t *p, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp((const char *)p, w, n) == 0;
}

int
http_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	size_t i;

	*v = 0;
	if (s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return ERR_FORMAT;
	for (i = 0; s[i] != '\0'; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || x > (UINT64_MAX - d) / 10)
			return ERR_FORMAT;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/*
 * "METHOD SP target SP HTTP/1.1", or HTTP/1.0: proxies such as tinyproxy
 * forward requests as 1.0, and such answers cannot be chunked.
 */
static int
request_line(const uint8_t *p, size_t n, struct http_req *req)
{
	static const char version[] = " HTTP/1.1", version10[] = " HTTP/1.0";
	const uint8_t *sp, *q;
	size_t tn, vn = sizeof(version) - 1;

	if (n > 4 && memcmp(p, "GET ", 4) == 0) {
		req->method = HTTP_GET;
		p += 4, n -= 4;
	} else if (n > 5 && memcmp(p, "POST ", 5) == 0) {
		req->method = HTTP_POST;
		p += 5, n -= 5;
	} else {
		return ERR_FORMAT;
	}
	if (n <= vn)
		return ERR_FORMAT;
	if (memcmp(p + n - vn, version10, vn) == 0)
		req->http10 = true;
	else if (memcmp(p + n - vn, version, vn) != 0)
		return ERR_FORMAT;
	tn = n - vn;
	if (tn == 0 || p[0] != '/' || tn > HTTP_TARGET_MAX)
		return ERR_FORMAT;
	for (sp = p; sp < p + tn; sp++)
		if (*sp <= 0x20 || *sp >= 0x7f)
			return ERR_FORMAT;
	if ((q = memchr(p, '?', tn)) == NULL)
		q = p + tn;
	memcpy(req->path, p, (size_t)(q - p));
	req->path[q - p] = '\0';
	if (q < p + tn) {
		memcpy(req->query, q + 1, (size_t)(p + tn - q - 1));
		req->query[p + tn - q - 1] = '\0';
	}
	return 0;
}

/* "Connection: a, b": only close and keep-alive mean anything to us */
static void
connection(const uint8_t *v, size_t n, struct http_req *req)
{
	size_t i = 0, s;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',' && v[i] != ' ' && v[i] != '\t')
			i++;
		if (token_is(v + s, i - s, "close"))
			req->keep_alive = false;
		else if (token_is(v + s, i - s, "keep-alive"))
			req->keep_alive = true;
	}
}

static int
header(const uint8_t *p, size_t n, struct http_req *req, bool *host, bool *length)
{
	const uint8_t *v;
	size_t k = 0, vn;
	char num[24];

	while (k < n && tchar(p[k]))
		k++;
	if (k == 0 || k == n || p[k] != ':')
		return ERR_FORMAT;      /* also a folded line, which starts with a space */
	v = p + k + 1;
	vn = n - k - 1;
	while (vn > 0 && (v[0] == ' ' || v[0] == '\t'))
		v++, vn--;
	while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (token_is(p, k, "host")) {
		if (*host)
			return ERR_FORMAT;
		*host = true;
	} else if (token_is(p, k, "content-length")) {
		if (*length || vn == 0 || vn >= sizeof(num))
			return ERR_FORMAT;
		memcpy(num, v, vn);
		num[vn] = '\0';
		if (http_u64(num, &req->content_length) != 0)
			return ERR_FORMAT;
		*length = true;
	} else if (token_is(p, k, "transfer-encoding")) {
		return ERR_FORMAT;      /* no chunked (or any other coded) requests */
	} else if (token_is(p, k, "connection")) {
		connection(v, vn, req);
	} else if (token_is(p, k, "expect")) {
		if (!token_is(v, vn, "100-continue"))
			return ERR_FORMAT;
		req->expect_continue = true;
	}
	return 0;
}

int
http_parse(const uint8_t *p, size_t n, struct http_req *req)
{
	size_t lim = n < RELAY_HTTP_HEAD_MAX_BYTES ? n : RELAY_HTTP_HEAD_MAX_BYTES;
	size_t i, end = 0, line, eol;
	bool host = false, length = false;
	int rc;

	memset(req, 0, sizeof(*req));
	/* the bytes first: garbage is refused before the head is complete */
	for (i = 0; i < lim; i++) {
		if (!head_byte(p[i]))
			return ERR_FORMAT;
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			return ERR_FORMAT;      /* a bare LF */
		if (i > 0 && p[i - 1] == '\r' && p[i] != '\n')
			return ERR_FORMAT;      /* a bare CR */
		if (i >= 3 && memcmp(p + i - 3, "\r\n\r\n", 4) == 0) {
			end = i + 1;
			break;
		}
	}
	if (end == 0)
		return n >= RELAY_HTTP_HEAD_MAX_BYTES ? ERR_TOO_LARGE : ERR_INCOMPLETE;
	req->head_len = end;
	req->http10 = false;
	eol = (size_t)((const uint8_t *)memmem(p, end, "\r\n", 2) - p);
	if ((rc = request_line(p, eol, req)) != 0)
		return rc;
	req->keep_alive = !req->http10;        /* until a Connection header says */
	for (line = eol + 2; line < end - 2; line = eol + 2) {
		eol = line + (size_t)((const uint8_t *)memmem(p + line, end - line, "\r\n", 2) -
		    (p + line));
		if ((rc = header(p + line, eol - line, req, &host, &length)) != 0)
			return rc;
	}
	if (!host && !req->http10)
		return ERR_FORMAT;      /* 1.1 requires Host; 1.0 predates it */
	return 0;
}

int
http_query(const char *query, const char *key, char *out, size_t out_len)
{
	size_t kn = strlen(key), vn;
	const char *s = query, *e;

	out[0] = '\0';
	while (*s != '\0') {
		if ((e = strchr(s, '&')) == NULL)
			e = s + strlen(s);
		if ((size_t)(e - s) > kn && strncmp(s, key, kn) == 0 && s[kn] == '=') {
			vn = (size_t)(e - s) - kn - 1;
			if (vn == 0 || vn >= out_len)
				return ERR_FORMAT;
			memcpy(out, s + kn + 1, vn);
			out[vn] = '\0';
			return 0;
		}
		s = *e == '&' ? e + 1 : e;
	}
	return ERR_FORMAT;
}

static const char *
reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	/* file drop */
	case 201: return "Created";
	case 401: return "Unauthorized";
	case 410: return "Gone";
	case 416: return "Range Not Satisfiable";
	case 500: return "Internal Server Error";
	case 507: return "Insufficient Storage";
	default: return "Error";
	}
}

static int
put_str(struct buf *out, const char *s)
{
	return buf_put_bytes(out, s, strlen(s));
}

int
http_answer(struct buf *out, int status, bool keep_alive, const char *body, size_t n)
{
	char head[256];
	int r;

	snprintf(head, sizeof(head),
	    "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\n"
	    "Cache-Control: no-store\r\n"
	    "Content-Length: %zu\r\n"
	    "%s"
	    "\r\n",
	    status, reason(status), status == 200 ? "application/octet-stream" : "text/plain",
	    n, keep_alive ? "" : "Connection: close\r\n");
	if ((r = put_str(out, head)) != 0)
		return r;
	return buf_put_bytes(out, body, n);
}

int
http_stream_head(struct buf *out, bool keep_alive, bool http10)
{
	if (http10)     /* no chunks in 1.0: the body ends when we close */
		return put_str(out,
		    "HTTP/1.1 200 OK\r\n"
		    "Content-Type: application/octet-stream\r\n"
		    "Cache-Control: no-store\r\n"
		    "Connection: close\r\n"
		    "\r\n");
	return put_str(out, keep_alive ?
	    "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "Cache-Control: no-store\r\n"
	    "Transfer-Encoding: chunked\r\n"
	    "\r\n" :
	    "HTTP/1.1 200 OK\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "Cache-Control: no-store\r\n"
	    "Transfer-Encoding: chunked\r\n"
	    "Connection: close\r\n"
	    "\r\n");
}

int
http_chunk(struct buf *out, const void *p, size_t n)
{
	char size[24];
	int r;

	if (n == 0)
		return put_str(out, "0\r\n\r\n");
	snprintf(size, sizeof(size), "%zx\r\n", n);
	if ((r = put_str(out, size)) != 0 || (r = buf_put_bytes(out, p, n)) != 0)
		return r;
	return put_str(out, "\r\n");
}

/* file drop: one header's value (http.h) */
int
http_header(const uint8_t *p, size_t head_len, const char *name, char *out, size_t out_len)
{
	size_t kn = strlen(name), line, eol, vs, ve;
	const uint8_t *e;
	bool found = false;

	out[0] = '\0';
	if ((e = memmem(p, head_len, "\r\n", 2)) == NULL)
		return ERR_FORMAT;
	for (line = (size_t)(e - p) + 2; line + 2 < head_len; line = eol + 2) {
		e = memmem(p + line, head_len - line, "\r\n", 2);
		if (e == NULL)
			return ERR_FORMAT;
		eol = (size_t)(e - p);
		if (eol - line <= kn || p[line + kn] != ':' ||
		    strncasecmp((const char *)p + line, name, kn) != 0)
			continue;
		vs = line + kn + 1;
		ve = eol;
		while (vs < ve && (p[vs] == ' ' || p[vs] == '\t'))
			vs++;
		while (ve > vs && (p[ve - 1] == ' ' || p[ve - 1] == '\t'))
			ve--;
		if (found || ve == vs || ve - vs >= out_len) {
			out[0] = '\0';
			return ERR_FORMAT;
		}
		memcpy(out, p + vs, ve - vs);
		out[ve - vs] = '\0';
		found = true;
	}
	return found ? 0 : ERR_FORMAT;
}
