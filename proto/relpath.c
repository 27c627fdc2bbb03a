/* SPDX-License-Identifier: Apache-2.0 */
/*
 * relpath.c - may a peer's path be written under an inbox? Every rule is
 * about bytes only; the receiver still reaches the path through directory
 * fds that do not follow symlinks (endpoint/inbox.c), so these rules keep
 * names portable and readable, and that keeps the writes inside the inbox.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "err.h"
#include "limits.h"
#include "relpath.h"

/* The reasons below name these numbers for people. */
_Static_assert(FILES_COMPONENT_MAX == 255 && FILES_PATH_MAX == 1024 && FILES_DEPTH_MAX == 64,
    "relpath.c's reason texts name the limits");

/* Bytes no name may hold: C0 controls other than tab and newline, and DEL.
 * Tab and newline are legal Linux names and arrive byte-identical (event
 * lines escape them). */
static bool
control_byte(uint8_t c)
{
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F;
}

/* Whether the UTF-8 at u[0..left) starts with a bidirectional formatting
 * character: U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069. They
 * show a name's characters in another order than they are: a name that
 * reads "invoiceexe.pdf" is "invoice<U+202E>fdp.exe". */
static bool
bidi_control(const uint8_t *u, size_t left)
{
	if (left >= 2 && u[0] == 0xD8 && u[1] == 0x9C)
		return true;
	if (left < 3 || u[0] != 0xE2)
		return false;
	if (u[1] == 0x80)
		return u[2] == 0x8E || u[2] == 0x8F || (u[2] >= 0xAA && u[2] <= 0xAE);
	return u[1] == 0x81 && u[2] >= 0xA6 && u[2] <= 0xA9;
}

static bool
same_ascii_nocase(const char *p, size_t n, const char *upper)
{
	if (strlen(upper) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != upper[i])
			return false;
	}
	return true;
}

/* CON, PRN, AUX, NUL, COM1..9, LPT1..9, in any case, alone or before an
 * extension ("nul.txt", "Com1.tar.gz"): Windows opens the device instead. */
static bool
reserved_device(const char *p, size_t n)
{
	static const char *const plain[] = { "CON", "PRN", "AUX", "NUL" };
	const char *dot = memchr(p, '.', n);
	size_t stem = dot != NULL ? (size_t)(dot - p) : n;

	while (stem > 0 && p[stem - 1] == ' ')  /* "CON .txt" is CON too */
		stem--;
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (same_ascii_nocase(p, stem, plain[i]))
			return true;
	if (stem == 4 && p[3] >= '1' && p[3] <= '9' &&
	    (same_ascii_nocase(p, 3, "COM") || same_ascii_nocase(p, 3, "LPT")))
		return true;
	return false;
}

/* One name between slashes: NULL when fine, else the rule it breaks. */
static const char *
component_rule(const char *p, size_t n)
{
	if (n == 0)
		return "an empty name (a leading, trailing or doubled '/')";
	if (n > FILES_COMPONENT_MAX)
		return "a name longer than 255 bytes";
	if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
		return "a '.' or '..' name";
	if (p[n - 1] == '.' || p[n - 1] == ' ')
		return "a name ending in '.' or ' ' (other systems drop them)";
	if (reserved_device(p, n))
		return "a name other systems reserve for a device (CON, PRN, AUX, NUL, COM1-9, "
		    "LPT1-9)";
	return NULL;
}

int
relpath_check(const char *p, size_t n, const char **why)
{
	const uint8_t *u = (const uint8_t *)p;
	size_t start, depth = 0;
	const char *rule;

	*why = NULL;
	if (n == 0)
		rule = "an empty path";
	else if (n > FILES_PATH_MAX)
		rule = "a path longer than 1024 bytes";
	else if (memchr(p, '\0', n) != NULL)
		rule = "a NUL byte";
	else if (!buf_utf8_valid(u, n))
		rule = "not valid UTF-8";
	else if (p[0] == '/')
		rule = "an absolute path";
	else if (memchr(p, '\\', n) != NULL)
		rule = "a backslash";
	else
		rule = NULL;
	for (size_t i = 0; rule == NULL && i < n; i++) {
		/* C1 controls (U+0080..U+009F) are 0xC2 0x80..0x9F in UTF-8,
		 * which was validated above, so 0xC2 is never the last byte. */
		if (control_byte(u[i]) || (u[i] == 0xC2 && u[i + 1] >= 0x80 && u[i + 1] <= 0x9F))
			rule = "a control character";
		else if (bidi_control(u + i, n - i))
			rule = "a character that shows the name in another order (bidirectional "
			    "control)";
	}
	for (start = 0; rule == NULL && start <= n; ) {
		const char *slash = memchr(p + start, '/', n - start);
		size_t end = slash != NULL ? (size_t)(slash - p) : n;

		if (++depth > FILES_DEPTH_MAX)
			rule = "more than 64 names deep";
		else
			rule = component_rule(p + start, end - start);
		start = end + 1;
	}
	if (rule != NULL) {
		*why = rule;
		return ERR_FORMAT;
	}
	return 0;
}
