/* SPDX-License-Identifier: Apache-2.0 */
/* test_gui_utf8.c - cutting and cleaning the text the windows show and send (gui/utf8.c). */
#include <string.h>

#include "err.h"
#include "limits.h"
#include "test.h"
#include "utf8.h"

static void
cut_keeps_characters_whole(void)
{
	const char *s = "ab\xC3\xA9" "c";        /* "abéc": é is 2 bytes at 2..3 */

	CHECK(gui_utf8_cut(s, 5, 10) == 5);
	CHECK(gui_utf8_cut(s, 5, 5) == 5);
	CHECK(gui_utf8_cut(s, 5, 4) == 4);      /* after é */
	CHECK(gui_utf8_cut(s, 5, 3) == 2);      /* not inside é */
	CHECK(gui_utf8_cut(s, 5, 2) == 2);
	CHECK(gui_utf8_cut(s, 5, 0) == 0);
	/* A 4-byte character at the limit. */
	CHECK(gui_utf8_cut("\xF0\x9F\x98\x80", 4, 3) == 0);
}

static void
cut_at_the_chat_limit(void)
{
	static char s[MSG_TEXT_MAX + 2];

	memset(s, 'a', MSG_TEXT_MAX - 1);
	memcpy(s + MSG_TEXT_MAX - 1, "\xC3\xA9", 2);   /* é across the limit */
	CHECK(gui_utf8_cut(s, MSG_TEXT_MAX + 1, MSG_TEXT_MAX) == MSG_TEXT_MAX - 1);
	s[MSG_TEXT_MAX - 1] = 'a';
	s[MSG_TEXT_MAX] = 'b';
	CHECK(gui_utf8_cut(s, MSG_TEXT_MAX + 1, MSG_TEXT_MAX) == MSG_TEXT_MAX);
}

static void
prev_steps_one_character(void)
{
	const char *s = "a\xC3\xA9\xE2\x82\xAC";   /* "aé€" */

	CHECK(gui_utf8_prev(s, 6) == 3);        /* before € */
	CHECK(gui_utf8_prev(s, 3) == 1);        /* before é */
	CHECK(gui_utf8_prev(s, 1) == 0);
	CHECK(gui_utf8_prev(s, 0) == 0);
}

static void
clean_drops_controls_and_overrides(void)
{
	char out[64];
	/* ESC [ 2 J, a tab, NUL, DEL, a C1 control (U+009B), RLO (U+202E),
	 * LRI (U+2066) and a newline among ordinary text. */
	static const char in[] = "a\x1b[2Jb\tc\0d\x7f" "e\xC2\x9B" "f\xE2\x80\xAEg\xE2\x81\xA6h\ni";

	CHECK(gui_utf8_clean(out, sizeof(out), in, sizeof(in) - 1) == strlen("a[2Jb cdefgh i"));
	CHECK(strcmp(out, "a[2Jb cdefgh i") == 0);
}

static void
clean_replaces_bad_bytes(void)
{
	char out[64];

	/* A lone continuation byte, an overlong '/', a surrogate, a cut-off
	 * 3-byte sequence at the end. */
	gui_utf8_clean(out, sizeof(out), "x\x80y\xC0\xAFz\xED\xA0\x80w\xE2\x82", 13);
	CHECK(strcmp(out, "x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD"
	    "\xEF\xBF\xBDw\xEF\xBF\xBD\xEF\xBF\xBD") == 0);
	/* Valid text of every length stays as it is. */
	gui_utf8_clean(out, sizeof(out), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 9);
	CHECK(strcmp(out, "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == 0);
}

static void
clean_stops_before_a_character_that_does_not_fit(void)
{
	char out[4];

	/* Room for 3 bytes: "ab" fits, é would need 2 more. */
	CHECK(gui_utf8_clean(out, sizeof(out), "ab\xC3\xA9", 4) == 2);
	CHECK(strcmp(out, "ab") == 0);
	CHECK(gui_utf8_clean(out, 1, "abc", 3) == 0);
	CHECK(out[0] == '\0');
}

int
main(void)
{
	cut_keeps_characters_whole();
	cut_at_the_chat_limit();
	prev_steps_one_character();
	clean_drops_controls_and_overrides();
	clean_replaces_bad_bytes();
	clean_stops_before_a_character_that_does_not_fit();
	return test_done();
}
