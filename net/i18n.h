/* SPDX-License-Identifier: Apache-2.0 */
/*
 * i18n.h - words people read, in their language (the C library's gettext,
 * text domain "fernsicht", catalogues built from po/ by the Makefile).
 *
 * Mark every string a person reads in a window, a prompt, --help or an
 * error on stderr:
 *   _("Allow control")                    translated here
 *   N_("Allow control")                   only marked (a table's entry);
 *                                         translate with _() where shown
 *   P_("button", "Open")                  with a context, for a word that
 *                                         reads differently in two places
 *   NG_("%u file", "%u files", n)         plural forms (German has two,
 *                                         other languages more)
 * What stays English: the headless stdout event lines, the log lines
 * (timestamped, for operators and bug reports), the wire. A new marked
 * string without its German translation stops the build (Makefile, "po").
 */
#ifndef NET_I18N_H
#define NET_I18N_H

#include <libintl.h>
#include <stddef.h>

#define I18N_DOMAIN "fernsicht"

#define _(s) dgettext(I18N_DOMAIN, s)
#define N_(s) s
#define P_(ctx, s) i18n_pgettext(ctx "\004" s, s)
#define NG_(one, many, n) dngettext(I18N_DOMAIN, one, many, (unsigned long)(n))

/*
 * Choose the language, from main() before anything is printed: as
 * usual, LANGUAGE (a list, "de:en") over LC_ALL, LC_MESSAGES, LANG; C or
 * POSIX means English. The catalogues are looked for in
 * $FERNSICHT_LOCALEDIR, else in "locale" beside the program (a build
 * tree), else in LOCALEDIR (the installed ones). Only LC_MESSAGES is
 * taken from the environment: numbers in event lines, logs and settings
 * files keep their C form, and the windows format theirs with
 * i18n_decimal().
 */
void i18n_init(void);

/* P_()'s lookup: the translation of "context\004text", or text. */
const char *i18n_pgettext(const char *key, const char *text);

/* v with digits after the point, written with the language's decimal
 * separator ("1.5" / "1,5") into out[0..len). Returns out. */
char *i18n_decimal(char *out, size_t len, double v, int digits);

#endif
