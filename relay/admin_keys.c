/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_keys.c - admin-keys-file (admin_keys.h). Checked on the open file
 * (fstat), so that what is checked is what is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "admin_keys.h"
#include "i18n.h"

/* The file at most: every key on a line of its longest, and some comments. */
enum { FILE_MAX = 64 << 10 };

static bool
id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '_' || c == '-';
}

/* The next word of line[*i..n): start and length; 0 when none is left. */
static size_t
word(const char *line, size_t n, size_t *i, const char **start)
{
	size_t s;

	while (*i < n && (line[*i] == ' ' || line[*i] == '\t'))
		(*i)++;
	s = *i;
	while (*i < n && line[*i] != ' ' && line[*i] != '\t')
		(*i)++;
	*start = line + s;
	return *i - s;
}

/* One line that is not empty or a comment. 0, or ERR_FORMAT with want[]. */
static int
key_line(struct admin_keys *keys, const char *line, size_t n, char *want, size_t want_len)
{
	struct admin_key *k;
	const char *id, *scope, *secret, *rest;
	size_t i = 0, idn, sn, hn, bin;
	unsigned j;

	idn = word(line, n, &i, &id);
	sn = word(line, n, &i, &scope);
	hn = word(line, n, &i, &secret);
	if (word(line, n, &i, &rest) != 0 || hn == 0) {
		snprintf(want, want_len, "%s", _("KEYID SCOPE SECRET (three words)"));
		return ERR_FORMAT;
	}
	if (idn > ADMIN_KEY_ID_MAX) {
		snprintf(want, want_len, _("a key id of at most %d characters"), ADMIN_KEY_ID_MAX);
		return ERR_FORMAT;
	}
	for (j = 0; j < idn; j++)
		if (!id_char(id[j])) {
			snprintf(want, want_len, "%s",
			    _("a key id of letters, digits, '.', '_' and '-'"));
			return ERR_FORMAT;
		}
	if (admin_keys_find(keys, id, idn) != NULL) {
		snprintf(want, want_len, "%s", _("a key id not used on an earlier line"));
		return ERR_FORMAT;
	}
	if (keys->n >= ADMIN_KEYS_MAX) {
		snprintf(want, want_len, _("at most %d keys"), ADMIN_KEYS_MAX);
		return ERR_FORMAT;
	}
	k = &keys->key[keys->n];
	if (sn == 4 && memcmp(scope, "read", 4) == 0) {
		k->scope = ADMIN_SCOPE_READ;
	} else if (sn == 3 && memcmp(scope, "act", 3) == 0) {
		k->scope = ADMIN_SCOPE_ACT;
	} else {
		snprintf(want, want_len, "%s", _("the scope read or act"));
		return ERR_FORMAT;
	}
	if (hn % 2 != 0 || hn / 2 < ADMIN_SECRET_MIN_BYTES || hn / 2 > ADMIN_SECRET_MAX_BYTES ||
	    sodium_hex2bin(k->secret, sizeof(k->secret), secret, hn, NULL, &bin, NULL) != 0 ||
	    bin != hn / 2) {
		sodium_memzero(k, sizeof(*k));
		snprintf(want, want_len, _("a secret of %d to %d bytes in hex"),
		    ADMIN_SECRET_MIN_BYTES, ADMIN_SECRET_MAX_BYTES);
		return ERR_FORMAT;
	}
	k->secret_len = bin;
	memcpy(k->id, id, idn);
	k->id[idn] = '\0';
	keys->n++;
	return 0;
}

/* Only spaces and tabs in line[0..n) (the text is not NUL-terminated). */
static bool
blank(const char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (line[i] != ' ' && line[i] != '\t')
			return false;
	return true;
}

int
admin_keys_parse(struct admin_keys *keys, const char *name, const char *text, size_t len,
    char *why, size_t why_len)
{
	char want[160];
	size_t at = 0, n, lineno = 0;
	const char *nl;
	int r;

	admin_keys_wipe(keys);
	while (at < len) {
		lineno++;
		nl = memchr(text + at, '\n', len - at);
		n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
		if (n > 0 && text[at + n - 1] == '\r')
			n--;
		if (memchr(text + at, '\0', n) != NULL) {
			snprintf(why, why_len, _("%s:%zu: a NUL byte"), name, lineno);
			admin_keys_wipe(keys);
			return ERR_FORMAT;
		}
		if (n > 0 && text[at] != '#' && !blank(text + at, n) &&
		    (r = key_line(keys, text + at, n, want, sizeof(want))) != 0) {
			/* never the line itself: it holds a secret */
			snprintf(why, why_len, _("%s:%zu: want %s"), name, lineno, want);
			admin_keys_wipe(keys);
			return r;
		}
		at += (nl != NULL ? (size_t)(nl - (text + at)) + 1 : len - at);
	}
	if (keys->n == 0) {
		snprintf(why, why_len, _("%s: no key in it"), name);
		return ERR_FORMAT;
	}
	return 0;
}

int
admin_keys_load(struct admin_keys *keys, const char *path, char *why, size_t why_len)
{
	static char text[FILE_MAX + 1];
	struct stat st;
	size_t len = 0;
	ssize_t got;
	int fd, r;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, why_len, _("%s: not a regular file"), path);
		close(fd);
		return ERR_FORMAT;
	}
	if ((st.st_mode & (S_IROTH | S_IWOTH)) != 0) {
		snprintf(why, why_len, _("%s holds secrets but others may read or write it "
		    "(chmod o-rw %s)"), path, path);
		close(fd);
		return ERR_FORMAT;
	}
	while (len <= FILE_MAX && (got = read(fd, text + len, FILE_MAX + 1 - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, why_len, "%s: %s", path, strerror(errno));
			close(fd);
			sodium_memzero(text, len);
			return ERR_SYSTEM;
		}
		len += (size_t)got;
	}
	close(fd);
	if (len > FILE_MAX) {
		snprintf(why, why_len, _("%s: larger than %d bytes"), path, FILE_MAX);
		r = ERR_FORMAT;
	} else {
		r = admin_keys_parse(keys, path, text, len, why, why_len);
	}
	sodium_memzero(text, sizeof(text));
	return r;
}

const struct admin_key *
admin_keys_find(const struct admin_keys *keys, const char *id, size_t n)
{
	unsigned i;

	for (i = 0; i < keys->n; i++)
		if (strlen(keys->key[i].id) == n && memcmp(keys->key[i].id, id, n) == 0)
			return &keys->key[i];
	return NULL;
}

void
admin_keys_wipe(struct admin_keys *keys)
{
	sodium_memzero(keys, sizeof(*keys));
}
