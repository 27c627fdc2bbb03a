/* SPDX-License-Identifier: Apache-2.0 */
/*
 * i18n.c - choosing the language and finding its catalogue (i18n.h).
 */
#include <linux/limits.h>
#include <stdbool.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static bool
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* "locale" beside /proc/self/exe, when that is a folder: a build tree. */
static bool
beside_program(char *out, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return false;
	*slash = '\0';
	if ((size_t)snprintf(out, len, "%s/locale", exe) >= len)
		return false;
	return is_dir(out);
}

static bool
names_c(const char *v)
{
	return strcmp(v, "C") == 0 || strcmp(v, "POSIX") == 0;
}

/* The locale the environment asks for messages in, or NULL for none. */
static const char *
wanted_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && v[0] != '\0')
			return v;
	}
	return NULL;
}

void
i18n_init(void)
{
	const char *dir = getenv("FERNSICHT_LOCALEDIR");
	const char *want = wanted_locale();
	char here[PATH_MAX];

	/*
	 * A machine may lack the locale people name (de_DE.UTF-8 without
	 * the "locales" package: setlocale fails and gettext would stay
	 * English). Messages need no locale data of their own, so then
	 * C.UTF-8 carries them, and the language comes from the name: LANG
	 * de_DE.UTF-8 still means German. C and POSIX keep English, as
	 * gettext has it (LANGUAGE is ignored there).
	 */
	if (setlocale(LC_MESSAGES, "") == NULL && want != NULL && !names_c(want) &&
	    setlocale(LC_MESSAGES, "C.UTF-8") != NULL) {
		const char *lang = getenv("LANGUAGE");

		if (lang == NULL || lang[0] == '\0') {
			char tag[64];
			size_t n = strcspn(want, ".@");

			if (n > 0 && n < sizeof(tag)) {
				memcpy(tag, want, n);
				tag[n] = '\0';
				setenv("LANGUAGE", tag, 1);
			}
		}
	}
	if (dir == NULL || dir[0] == '\0')
		dir = beside_program(here, sizeof(here)) ? here : LOCALEDIR;
	bindtextdomain(I18N_DOMAIN, dir);
	/* The windows' fonts and the terminal both take UTF-8, whatever
	 * LC_CTYPE says. */
	bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
	/* The C library's own words (strerror) end up in our messages too;
	 * with LC_CTYPE left at C they would lose their umlauts. */
	bind_textdomain_codeset("libc", "UTF-8");
	/* TRANSLATORS: the tag of a program's last message before it stops:
	 * "fernsicht-viewer: error: ..." */
	log_set_fatal_word(P_("before exit", "error"));
}

const char *
i18n_pgettext(const char *key, const char *text)
{
	const char *t = dgettext(I18N_DOMAIN, key);

	return t == key ? text : t;
}

char *
i18n_decimal(char *out, size_t len, double v, int digits)
{
	/* TRANSLATORS: the decimal separator in sizes and speeds (1.5 MB). */
	const char *sep = P_("decimal separator", ".");
	char *dot;

	snprintf(out, len, "%.*f", digits, v);
	if ((dot = strchr(out, '.')) != NULL && strcmp(sep, ".") != 0 && strlen(sep) == 1)
		*dot = sep[0];
	return out;
}
