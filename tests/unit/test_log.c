/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_log - the JSON-lines log format: the escaping of every kind of
 * byte a message can hold, cuts between whole characters, and the line's
 * fields as a log shipper reads them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "test.h"

#define ESC(out, lit) log_json_escape(out, sizeof(out), lit, sizeof(lit) - 1)

static void
escapes_what_json_needs(void)
{
	char out[256];

	ESC(out, "a \"b\" c\\d");
	CHECK(strcmp(out, "a \\\"b\\\" c\\\\d") == 0);
	ESC(out, "l1\nl2\r\t\001\037\177");
	CHECK(strcmp(out, "l1\\nl2\\r\\t\\u0001\\u001f\\u007f") == 0);
	/* a NUL inside the bytes is a byte like any */
	ESC(out, "x\0y");
	CHECK(strcmp(out, "x\\u0000y") == 0);
}

static void
keeps_utf8_replaces_the_rest(void)
{
	char out[256];

	ESC(out, "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80");
	CHECK(strcmp(out, "Gr\xc3\xbc\xc3\x9f \xe2\x82\xac \xf0\x9f\x98\x80") == 0);
	/* a lone continuation byte, a cut sequence, an overlong '/', a surrogate */
	ESC(out, "\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80");
	CHECK(strcmp(out, "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd") == 0);
}

static void
cuts_between_characters(void)
{
	char out[8];
	size_t w;

	/* room for 7 bytes: "ab", then "\u0001" (6) does not fit whole */
	w = log_json_escape(out, sizeof(out), "ab\001c", 4);
	CHECK(w == 2 && strcmp(out, "ab") == 0);
	w = log_json_escape(out, 5, "\xe2\x82\xac\xe2\x82\xac", 6);   /* one euro of two */
	CHECK(w == 3 && strcmp(out, "\xe2\x82\xac") == 0);
	w = log_json_escape(out, 1, "abc", 3);
	CHECK(w == 0 && out[0] == '\0');
}

/* What log_msg writes to stderr, caught in a file. */
static size_t
caught(void (*say)(void), char *out, size_t out_len)
{
	FILE *f = tmpfile();
	int saved = dup(2);
	size_t n;

	fflush(stderr);
	dup2(fileno(f), 2);
	say();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	n = fread(out, 1, out_len - 1, f);
	out[n] = '\0';
	fclose(f);
	return n;
}

static void
say_warn(void)
{
	log_warn("peer \"%s\" sent \x01 and \xff", "x\\y");
}

static void
say_debug(void)
{
	log_debug("not shown at info");
}

static void
json_line_has_the_fields(void)
{
	char out[1024];
	const char *want = ",\"level\":\"warn\",\"prog\":\"test_log\","
	    "\"msg\":\"peer \\\"x\\\\y\\\" sent \\u0001 and \xef\xbf\xbd\"}\n";
	size_t n;

	log_init("test_log", LOG_INFO);
	log_set_format(LOG_FORMAT_JSON);
	n = caught(say_warn, out, sizeof(out));
	/* {"time":"2026-12-06T19:28:49.123Z", is 36 bytes */
	CHECK(n > 36 && strncmp(out, "{\"time\":\"", 9) == 0);
	CHECK(out[13] == '-' && out[16] == '-' && out[19] == 'T' && out[22] == ':' &&
	    out[25] == ':' && out[28] == '.' && out[32] == 'Z' && out[33] == '"');
	CHECK(strcmp(out + 34, want) == 0);
	CHECK(caught(say_debug, out, sizeof(out)) == 0);
	log_set_format(LOG_FORMAT_TEXT);
	caught(say_warn, out, sizeof(out));
	CHECK(strncmp(out, "test_log: warn: peer \"x\\y\"", 26) == 0);
}

/* A peer's chat or file name on an event line: a C1 control (U+0080..U+009F,
 * in UTF-8 0xC2 0x80..0x9F) is a terminal's CSI, OSC... as much as ESC. */
static void
text_escapes_c1_controls(void)
{
	char out[80];

	log_escape_text(out, sizeof(out), "a\x1b[2Jb", 6);
	CHECK(strcmp(out, "a\\x1b[2Jb") == 0);
	log_escape_text(out, sizeof(out), "a\xc2\x9b" "2Jb", 6);
	CHECK(strcmp(out, "a\\xc2\\x9b2Jb") == 0);
	log_escape_text(out, sizeof(out), "\xc2\x9d" "0;x\xc2\x9c", 7);
	CHECK(strcmp(out, "\\xc2\\x9d0;x\\xc2\\x9c") == 0);
	/* bidirectional controls: U+202E, U+2066, U+200F, U+061C */
	log_escape_text(out, sizeof(out), "a\xe2\x80\xae" "b\xe2\x81\xa6\xe2\x80\x8f\xd8\x9c", 13);
	CHECK(strcmp(out, "a\\xe2\\x80\\xaeb\\xe2\\x81\\xa6\\xe2\\x80\\x8f\\xd8\\x9c") == 0);
	/* their neighbours stay: U+202F (a space), U+2065, U+061B */
	log_escape_text(out, sizeof(out), "\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b", 8);
	CHECK(strcmp(out, "\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b") == 0);
	/* the rest of UTF-8 stays as it is, U+00A0 and U+00E9 too */
	log_escape_text(out, sizeof(out), "\xc2\xa0\xc3\xa9\xe2\x82\xac", 7);
	CHECK(strcmp(out, "\xc2\xa0\xc3\xa9\xe2\x82\xac") == 0);
}

/* 4 * n + 1 bytes of room show all of n bytes, each of them escaped too
 * (the last one was dropped), and no more than fits is written. */
static void
escape_room(void)
{
	char out[4 * 3 + 1], small[4 * 3];

	log_escape_text(out, sizeof(out), "\x01\x02\x03", 3);
	CHECK(strcmp(out, "\\x01\\x02\\x03") == 0);
	log_escape(out, sizeof(out), "\x01\x02\x03", 3);
	CHECK(strcmp(out, "\\x01\\x02\\x03") == 0);
	log_escape_text(out, sizeof(out), "\x01\xc2\x9b", 3);
	CHECK(strcmp(out, "\\x01\\xc2\\x9b") == 0);
	log_escape_text(small, sizeof(small), "\x01\x02\x03", 3);
	CHECK(strcmp(small, "\\x01\\x02") == 0);
	log_escape_text(small, sizeof(small), "\x01\xc2\x9b", 3);
	CHECK(strcmp(small, "\\x01") == 0);
}

static void
format_names(void)
{
	bool ok;

	CHECK(log_format_parse("json", &ok) == LOG_FORMAT_JSON && ok);
	CHECK(log_format_parse("text", &ok) == LOG_FORMAT_TEXT && ok);
	CHECK(log_format_parse("JSON", &ok) == LOG_FORMAT_TEXT && !ok);
	CHECK(log_format_parse("", &ok) == LOG_FORMAT_TEXT && !ok);
}

int
main(void)
{
	escapes_what_json_needs();
	keeps_utf8_replaces_the_rest();
	cuts_between_characters();
	json_line_has_the_fields();
	format_names();
	text_escapes_c1_controls();
	escape_room();
	return test_done();
}
