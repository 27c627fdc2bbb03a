/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_i18n.c - the language's decimal separator (i18n_decimal), plural
 * forms and contexts from the built German catalogue (net/i18n.c,
 * build/locale/de). The catalogue is looked for in $FERNSICHT_LOCALEDIR,
 * else in ../locale from this program (build/tests/ -> build/locale).
 */
#include <linux/limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "test.h"

/* glibc's count of loaded catalogues: raised, it makes gettext look at
 * LANGUAGE again (changed here between checks). */
extern int _nl_msg_cat_cntr;

static void
language(const char *lang)
{
	setenv("LANGUAGE", lang, 1);
	i18n_init();
	++_nl_msg_cat_cntr;
}

static void
find_catalogue(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX - 16], mo[PATH_MAX + 64];
	ssize_t n;
	char *slash;
	struct stat st;

	if (getenv("FERNSICHT_LOCALEDIR") == NULL) {
		if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
			TEST_BAIL("cannot find this program");
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL)
			*slash = '\0';
		snprintf(dir, sizeof(dir), "%s/../locale", exe);
		setenv("FERNSICHT_LOCALEDIR", dir, 1);
	}
	snprintf(mo, sizeof(mo), "%s/de/LC_MESSAGES/fernsicht.mo", getenv("FERNSICHT_LOCALEDIR"));
	if (stat(mo, &st) != 0)
		TEST_BAIL("no German catalogue at %s (make all builds it)", mo);
}

static void
english(void)
{
	char out[32];

	language("en");
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 1.5, 1), "1.5") == 0);
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 1234.5678, 2), "1234.57") == 0);
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 3, 0), "3") == 0);
	CHECK(strcmp(NG_("Done: %s in %u file", "Done: %s in %u files", 1),
	    "Done: %s in %u file") == 0);
	CHECK(strcmp(NG_("Done: %s in %u file", "Done: %s in %u files", 2),
	    "Done: %s in %u files") == 0);
	CHECK(strcmp(P_("status line", "control"), "control") == 0);
	CHECK(strcmp(_("Send"), "Send") == 0);
}

static void
german(void)
{
	char out[32];

	language("de");
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 1.5, 1), "1,5") == 0);
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 1234.5678, 2), "1234,57") == 0);
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 3, 0), "3") == 0);
	/* A short buffer is cut, never overrun. */
	CHECK(strcmp(i18n_decimal(out, 4, 12.25, 2), "12,") == 0);
	/* German has two forms: one, and everything else (0 too). */
	CHECK(strcmp(NG_("Done: %s in %u file", "Done: %s in %u files", 1),
	    "Fertig: %s in %u Datei") == 0);
	CHECK(strcmp(NG_("Done: %s in %u file", "Done: %s in %u files", 2),
	    "Fertig: %s in %u Dateien") == 0);
	CHECK(strcmp(NG_("Done: %s in %u file", "Done: %s in %u files", 0),
	    "Fertig: %s in %u Dateien") == 0);
	CHECK(strcmp(NG_("%u folder is still being opened", "%u folders are still being opened",
	    1), "%u Ordner wird noch geöffnet") == 0);
	CHECK(strcmp(NG_("%u folder is still being opened", "%u folders are still being opened",
	    8), "%u Ordner werden noch geöffnet") == 0);
	CHECK(strcmp(P_("status line", "control"), "Steuerung") == 0);
	CHECK(strcmp(P_("status line", "view only"), "Nur ansehen") == 0);
	CHECK(strcmp(_("Send"), "Senden") == 0);
	/* A context the catalogue lacks: the English word. */
	CHECK(strcmp(P_("no such context", "Send"), "Send") == 0);
	/* A language without a catalogue: English. */
	language("fr");
	CHECK(strcmp(_("Send"), "Send") == 0);
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 1.5, 1), "1.5") == 0);
}

/* LANG names a locale the machine may lack: German all the same. */
static void
lang_only(void)
{
	char out[32];

	unsetenv("LANGUAGE");
	unsetenv("LC_ALL");
	setenv("LANG", "de_DE.UTF-8", 1);
	i18n_init();
	++_nl_msg_cat_cntr;
	CHECK(strcmp(_("Send"), "Senden") == 0);
	CHECK(strcmp(i18n_decimal(out, sizeof(out), 0.5, 1), "0,5") == 0);
}

int
main(void)
{
	find_catalogue();
	/* LANGUAGE counts only under a locale other than C. */
	setenv("LC_ALL", "C.UTF-8", 1);
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	english();
	german();
	lang_only();
	return test_done();
}
