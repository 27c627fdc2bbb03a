/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_relpath.c - the rules for a path a peer asks us to write: what is
 * taken (byte-identical names with spaces, UTF-8, tabs and newlines), and
 * every rule that refuses, each with the reason it gives.
 */
#include <string.h>

#include "limits.h"
#include "relpath.h"
#include "test.h"

static int
check_n(const char *p, size_t n, const char **why)
{
	return relpath_check(p, n, why);
}

/* Taken, and no reason given. */
static void
ok_path(const char *p, size_t n, int line)
{
	const char *why = "unset";
	int r = check_n(p, n, &why);

	if (!test_check(r == 0 && why == NULL, "path is taken", __FILE__, line))
		printf("#   refused (%s)\n", why != NULL ? why : "no reason");
}

/* Refused, with a reason that names the rule (contains want). */
static void
bad_path(const char *p, size_t n, const char *want, int line)
{
	const char *why = NULL;
	int r = check_n(p, n, &why);

	if (!test_check(r == ERR_FORMAT && why != NULL && strstr(why, want) != NULL,
	    "path is refused for the right rule", __FILE__, line))
		printf("#   got %d, reason \"%s\", wanted \"%s\"\n", r, why != NULL ? why : "",
		    want);
}

#define OK(lit) ok_path(lit, sizeof(lit) - 1, __LINE__)
#define BAD(lit, want) bad_path(lit, sizeof(lit) - 1, want, __LINE__)

static void
taken(void)
{
	char long_name[FILES_COMPONENT_MAX + 1];
	char deep[FILES_PATH_MAX + 1];
	size_t n = 0;

	OK("a");
	OK("a.txt");
	OK("logs/a.txt");
	OK("logs/sub/deeper/file");
	OK("name with spaces.txt");
	OK(" leading space");
	OK(".hidden");
	OK("..dots in front");
	OK("a..b");
	OK("Grüße/Übersicht.pdf");
	OK("日本語/ファイル");
	OK("emoji \xF0\x9F\x98\x80");
	OK("line\nbreak");
	OK("tab\there");
	OK("CONSOLE");          /* only the bare device names are reserved */
	OK("CON1");
	OK("COM10");
	OK("LPT0");
	OK("COM");
	OK("nul-not-a-device");
	OK("xCON");
	OK("a/CONx/b");
	OK("U+00A0\xC2\xA0nbsp");   /* the first code point past C1 */
	OK("\xC3\x80");             /* U+00C0: 0xC3 0x80, not a C1 control */
	/* The limits themselves. */
	memset(long_name, 'x', sizeof(long_name));
	ok_path(long_name, FILES_COMPONENT_MAX, __LINE__);
	for (int i = 0; i < FILES_DEPTH_MAX; i++) {
		if (i > 0)
			deep[n++] = '/';
		deep[n++] = 'd';
	}
	ok_path(deep, n, __LINE__);
	memset(deep, 'p', sizeof(deep));
	for (size_t i = 200; i < FILES_PATH_MAX; i += 200)
		deep[i] = '/';
	ok_path(deep, FILES_PATH_MAX, __LINE__);
}

static void
refused(void)
{
	char buf[FILES_PATH_MAX + 2];
	size_t n = 0;

	BAD("", "empty path");
	BAD("/etc/passwd", "absolute");
	BAD("/", "absolute");
	BAD("..", "'..'");
	BAD(".", "'.'");
	BAD("../x", "'..'");
	BAD("a/../../x", "'..'");
	BAD("a/./b", "'.'");
	BAD("a/..", "'..'");
	BAD("a//b", "empty name");
	BAD("a/", "empty name");
	BAD("a/b/", "empty name");
	BAD("//a", "absolute");
	BAD("a\\b", "backslash");
	BAD("..\\x", "backslash");
	BAD("a\0b", "NUL");
	BAD("\0", "NUL");
	BAD("bell\a", "control");
	BAD("esc\x1b[31m", "control");
	BAD("cr\r", "control");
	BAD("\x01", "control");
	BAD("\x1f", "control");
	BAD("del\x7f", "control");
	BAD("c1 \xC2\x80", "control");
	BAD("c1 \xC2\x9B" "31m", "control");    /* CSI */
	BAD("c1 \xC2\x9F", "control");
	/* Characters that show a name in another order than its bytes:
	 * "invoice<RLO>fdp.exe" looks like "invoiceexe.pdf". */
	BAD("invoice\xE2\x80\xAE" "fdp.exe", "order");       /* U+202E RLO */
	BAD("a\xE2\x80\xAA" "b", "order");                   /* U+202A LRE */
	BAD("a\xE2\x81\xA6" "b", "order");                   /* U+2066 LRI */
	BAD("a\xE2\x81\xA9" "b", "order");                   /* U+2069 PDI */
	BAD("a\xE2\x80\x8F" "b", "order");                   /* U+200F RLM */
	BAD("a\xD8\x9C" "b", "order");                        /* U+061C ALM */
	OK("a\xE2\x80\x90" "b");                             /* U+2010 hyphen */
	OK("a\xE2\x80\xAF" "b");                             /* U+202F narrow nbsp */
	OK("a\xE2\x81\xA5" "b");                             /* U+2065, unassigned */
	OK("\xD8\xA7\xD9\x84\xD9\x85\xD9\x84\xD9\x81");  /* Arabic letters */
	BAD("bad \xC3", "UTF-8");
	BAD("bad \xC3\x28", "UTF-8");
	BAD("overlong \xC0\xAF", "UTF-8");
	BAD("overlong \xE0\x80\xAF", "UTF-8");
	BAD("surrogate \xED\xA0\x80", "UTF-8");
	BAD("too big \xF4\x90\x80\x80", "UTF-8");
	BAD("\xFF", "UTF-8");
	BAD("CON", "reserve");
	BAD("con", "reserve");
	BAD("Con.txt", "reserve");
	BAD("PRN", "reserve");
	BAD("aux.tar.gz", "reserve");
	BAD("NUL", "reserve");
	BAD("nul.", "ending in '.'");
	BAD("COM1", "reserve");
	BAD("com9.log", "reserve");
	BAD("LPT1", "reserve");
	BAD("lpt5.txt", "reserve");
	BAD("CON .txt", "reserve");
	BAD("dir/NUL/file", "reserve");
	BAD("dir/sub/lpt3", "reserve");
	BAD("trailing.", "ending in '.'");
	BAD("trailing ", "ending in '.'");
	BAD("dir./x", "ending in '.'");
	BAD("dir /x", "ending in '.'");
	BAD("...", "ending in '.'");
	/* One over each limit. */
	memset(buf, 'x', FILES_COMPONENT_MAX + 1);
	bad_path(buf, FILES_COMPONENT_MAX + 1, "longer than 255", __LINE__);
	buf[0] = 'a';
	buf[1] = '/';
	bad_path(buf, FILES_COMPONENT_MAX + 3,
	    "longer than 255", __LINE__);
	for (int i = 0; i <= FILES_DEPTH_MAX; i++) {
		if (i > 0)
			buf[n++] = '/';
		buf[n++] = 'd';
	}
	bad_path(buf, n, "64 names deep", __LINE__);
	memset(buf, 'p', sizeof(buf));
	for (size_t i = 200; i < sizeof(buf); i += 200)
		buf[i] = '/';
	bad_path(buf, FILES_PATH_MAX + 1, "longer than 1024", __LINE__);
	/* Only the first n bytes count: a NUL or a slash beyond them does not. */
	CHECK(check_n("ab\0", 2, &(const char *){ NULL }) == 0);
	CHECK(check_n("ab/", 2, &(const char *){ NULL }) == 0);
}

int
main(void)
{
	taken();
	refused();
	return test_done();
}
