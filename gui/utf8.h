/* SPDX-License-Identifier: Apache-2.0 */
/*
 * utf8.h - the text a window shows and takes, as UTF-8: cut on a
 * character boundary, one character back, and cleaned of what must not
 * reach the screen or the wire (control characters, invalid bytes).
 *
 * Pure functions, no SDL: the unit test links this file alone.
 */
#ifndef GUI_UTF8_H
#define GUI_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length of the longest prefix of s[0..n) that holds at most max
 * bytes and ends on a character boundary. */
size_t gui_utf8_cut(const char *s, size_t n, size_t max);
/* Where the character before s[at] begins (0 when at is 0). */
size_t gui_utf8_prev(const char *s, size_t at);
/*
 * Copy s[0..n) into out[0..out_size) (out_size >= 1, NUL-terminated) as
 * one line a person can read and nobody can disguise: tab, CR and LF
 * become a space; the other C0 and C1 control characters, DEL and the
 * bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069)
 * are dropped; a byte that is not valid UTF-8 becomes U+FFFD. Stops
 * before a character that would not fit whole. Returns the bytes written.
 */
size_t gui_utf8_clean(char *out, size_t out_size, const char *s, size_t n);

#endif
