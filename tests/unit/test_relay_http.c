/* SPDX-License-Identifier: Apache-2.0 */
/* test_relay_http - the relay's strict HTTP/1.1 request parser, its
 * answers, and the first-bytes sniffing that sends a connection there. */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "limits.h"
#include "sniff.h"
#include "test.h"

static int
parse(const char *s, struct http_req *req)
{
	return http_parse((const uint8_t *)s, strlen(s), req);
}

static void
test_good(void)
{
	struct http_req q;
	const char *tx = "POST /v1/tx?t=00112233445566778899aabbccddeeff&off=42 HTTP/1.1\r\n"
	    "Host: relay\r\nContent-Length: 5\r\ncontent-type: application/octet-stream\r\n"
	    "\r\nhello";
	char v[40];
	uint64_t off;

	CHECK_ERR(parse(tx, &q), 0);
	CHECK(q.method == HTTP_POST);
	CHECK(strcmp(q.path, "/v1/tx") == 0);
	CHECK(q.content_length == 5);
	CHECK(q.keep_alive);
	CHECK(q.head_len == strlen(tx) - 5);
	CHECK_ERR(http_query(q.query, "t", v, sizeof(v)), 0);
	CHECK(strcmp(v, "00112233445566778899aabbccddeeff") == 0);
	CHECK_ERR(http_query(q.query, "off", v, sizeof(v)), 0);
	CHECK_ERR(http_u64(v, &off), 0);
	CHECK(off == 42);
	CHECK_ERR(http_query(q.query, "o", v, sizeof(v)), ERR_FORMAT);
	CHECK_ERR(http_query(q.query, "t", v, 32), ERR_FORMAT);     /* does not fit */

	CHECK_ERR(parse("GET /v1/rx?t=a&off=0 HTTP/1.1\r\nHost: x\r\n"
	    "Connection: Keep-Alive, close\r\n\r\n", &q), 0);
	CHECK(q.method == HTTP_GET && !q.keep_alive && q.content_length == 0);
	CHECK_ERR(parse("POST /v1/open HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
	    "Content-Length: 0\r\n\r\n", &q), 0);
	CHECK(q.expect_continue && q.query[0] == '\0');
}

static void
test_incomplete_and_limits(void)
{
	char big[RELAY_HTTP_HEAD_MAX_BYTES + 64];
	struct http_req q;
	size_t n;

	CHECK_ERR(parse("GET /v1/rx HTTP/1.1\r\nHost: x\r\n", &q), ERR_INCOMPLETE);
	CHECK_ERR(parse("GET /v1/rx HTTP/1.1\r\nHost: x\r\n\r", &q), ERR_INCOMPLETE);
	CHECK_ERR(parse("POS", &q), ERR_INCOMPLETE);
	/* a head of exactly the limit is fine; one byte more is not */
	n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: x\r\nX: ");
	memset(big + n, 'a', RELAY_HTTP_HEAD_MAX_BYTES - n - 4);
	memcpy(big + RELAY_HTTP_HEAD_MAX_BYTES - 4, "\r\n\r\n", 4);
	CHECK_ERR(http_parse((uint8_t *)big, RELAY_HTTP_HEAD_MAX_BYTES, &q), 0);
	CHECK(q.head_len == RELAY_HTTP_HEAD_MAX_BYTES);
	memset(big + n, 'a', RELAY_HTTP_HEAD_MAX_BYTES - n - 3);
	memcpy(big + RELAY_HTTP_HEAD_MAX_BYTES - 3, "\r\n\r\n", 4);
	CHECK_ERR(http_parse((uint8_t *)big, RELAY_HTTP_HEAD_MAX_BYTES + 1, &q), ERR_TOO_LARGE);
	/* without the end, the limit decides as soon as it is reached */
	CHECK_ERR(http_parse((uint8_t *)big, RELAY_HTTP_HEAD_MAX_BYTES - 1, &q), ERR_INCOMPLETE);
	CHECK_ERR(http_parse((uint8_t *)big, RELAY_HTTP_HEAD_MAX_BYTES, &q), ERR_TOO_LARGE);
}

static void
test_strict(void)
{
	static const char *bad[] = {
		"GET /v1/rx HTTP/2.0\r\nHost: x\r\n\r\n",
		"PUT /v1/rx HTTP/1.1\r\nHost: x\r\n\r\n",
		"get /v1/rx HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET  /v1/rx HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET v1/rx HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET /v1/rx HTTP/1.1\r\n\r\n",                          /* no Host */
		"GET /v1/rx HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n",
		"GET /v1/rx HTTP/1.1\nHost: x\n\n",                     /* bare LF */
		"GET /v1/rx HTTP/1.1\r\nHost: x\rY: z\r\n\r\n",         /* bare CR */
		"GET /v1/rx HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
		"GET /v1/rx HTTP/1.1\r\nHost x\r\n\r\n",
		"GET /v1/rx HTTP/1.1\r\nHo st: x\r\n\r\n",
		"GET /v1/rx HTTP/1.1\r\nHost: \x01\r\n\r\n",
		"GET /v1/r\xc3\xa4 HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nContent-Length: 01\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		"POST /v1/tx HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n",
	};
	struct http_req q;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK(parse(bad[i], &q) == ERR_FORMAT))
			printf("#   case %zu\n", i);
	/* HTTP/1.0, as proxies forward it: no Host needed, not kept alive */
	CHECK(parse("GET /v1/rx?t=1 HTTP/1.0\r\n\r\n", &q) == 0 && q.http10 && !q.keep_alive);
	CHECK(parse("GET /v1/rx HTTP/1.1\r\nHost: x\r\n\r\n", &q) == 0 && !q.http10 &&
	    q.keep_alive);
	/* garbage is refused before a whole head could arrive */
	CHECK_ERR(http_parse((const uint8_t *)"GET \x00\x01", 6, &q), ERR_FORMAT);
}

static void
test_numbers(void)
{
	uint64_t v;

	CHECK_ERR(http_u64("0", &v), 0);
	CHECK(v == 0);
	CHECK_ERR(http_u64("18446744073709551615", &v), 0);
	CHECK(v == UINT64_MAX);
	CHECK_ERR(http_u64("18446744073709551616", &v), ERR_FORMAT);
	CHECK_ERR(http_u64("", &v), ERR_FORMAT);
	CHECK_ERR(http_u64("+1", &v), ERR_FORMAT);
	CHECK_ERR(http_u64("007", &v), ERR_FORMAT);
}

static void
test_answers(void)
{
	const char *chunked = "5\r\nhello\r\n0\r\n\r\n";
	struct buf b;

	buf_init(&b, 4096);
	CHECK_ERR(http_answer(&b, 404, false, "no\n", 3), 0);
	CHECK(buf_len(&b) > 0 && memcmp(buf_ptr(&b), "HTTP/1.1 404 Not Found\r\n", 24) == 0);
	CHECK(memmem(buf_ptr(&b), buf_len(&b), "Connection: close\r\n", 19) != NULL);
	CHECK(memmem(buf_ptr(&b), buf_len(&b), "Cache-Control: no-store\r\n", 25) != NULL);
	CHECK(memcmp(buf_ptr(&b) + buf_len(&b) - 7, "\r\n\r\nno\n", 7) == 0);
	buf_reset(&b);
	CHECK_ERR(http_stream_head(&b, true, false), 0);
	CHECK(memmem(buf_ptr(&b), buf_len(&b), "Transfer-Encoding: chunked\r\n", 28) != NULL);
	CHECK(memmem(buf_ptr(&b), buf_len(&b), "Connection: close", 17) == NULL);
	buf_reset(&b);
	CHECK_ERR(http_chunk(&b, "hello", 5), 0);
	CHECK_ERR(http_chunk(&b, NULL, 0), 0);
	CHECK(buf_len(&b) == strlen(chunked) && memcmp(buf_ptr(&b), chunked, buf_len(&b)) == 0);
	buf_release(&b);
}

static void
test_sniff(void)
{
	static const uint8_t hello[] = { 0, 0, 0, 20, 1 };
	static const uint8_t tls[] = { 0x16, 0x03, 0x01 };
	static const uint8_t not_tls[] = { 0x16, 0x02 };

	CHECK(sniff(hello, sizeof(hello)) == SNIFF_RAW);
	CHECK(sniff(hello, 1) == SNIFF_RAW);
	CHECK(sniff(tls, 1) == SNIFF_MORE);
	CHECK(sniff(tls, 2) == SNIFF_TLS);
	CHECK(sniff(not_tls, 2) == SNIFF_RAW);
	CHECK(sniff((const uint8_t *)"GET ", 4) == SNIFF_HTTP);
	CHECK(sniff((const uint8_t *)"GE", 2) == SNIFF_MORE);
	CHECK(sniff((const uint8_t *)"GEX", 3) == SNIFF_RAW);
	CHECK(sniff((const uint8_t *)"POST ", 5) == SNIFF_HTTP);
	CHECK(sniff((const uint8_t *)"POST", 4) == SNIFF_MORE);
	CHECK(sniff((const uint8_t *)"PUT ", 4) == SNIFF_RAW);
	CHECK(sniff((const uint8_t *)"", 0) == SNIFF_MORE);
}

int
main(void)
{
	test_good();
	test_incomplete_and_limits();
	test_strict();
	test_numbers();
	test_answers();
	test_sniff();
	return test_done();
}
