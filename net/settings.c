/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings.c - the programs' settings files (settings.h). A file is read
 * whole (it is small and bounded), then its lines (proto/keyvalue.c) are
 * applied to a copy of the program's settings, which replaces them only
 * when every line was good: a file with one bad value is refused as a
 * whole rather than half used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "err.h"
#include "i18n.h"
#include "log.h"
#include "settings.h"

/* A problem of the lines, in words. */
static void
word_problem(const struct settings_spec *s, const char *name, const struct keyvalue_item *it,
    char *why, size_t why_len)
{
	switch (it->problem) {
	case KEYVALUE_FILE_TOO_BIG:
		snprintf(why, why_len, _("%s: larger than %d bytes"), name, CONFIG_FILE_MAX_BYTES);
		break;
	case KEYVALUE_LINE_TOO_LONG:
		snprintf(why, why_len, _("%s:%u: line longer than %d bytes"), name, it->line,
		    CONFIG_LINE_MAX_BYTES);
		break;
	case KEYVALUE_CONTROL:
		snprintf(why, why_len, _("%s:%u: control character 0x%02x"), name, it->line,
		    it->byte);
		break;
	case KEYVALUE_NO_EQUALS:
		snprintf(why, why_len, _("%s:%u: no '=' (want key = value)"), name, it->line);
		break;
	case KEYVALUE_NO_KEY:
		snprintf(why, why_len, _("%s:%u: no key before '='"), name, it->line);
		break;
	case KEYVALUE_EMPTY_VALUE:
		snprintf(why, why_len, _("%s:%u: empty value for %s"), name, it->line,
		    s->keys[it->key].name);
		break;
	}
}

/* The lines over conf (see settings_parse); *secret: a secret key was set. */
static int
parse(const struct settings_spec *s, void *conf, const char *name, const char *text, size_t len,
    unsigned *warnings, bool *secret, char *why, size_t why_len)
{
	char esc[4 * LOG_ESCAPE_MAX + 4], want[256];
	struct keyvalue_reader *rd;
	struct keyvalue_item it;
	unsigned warned = 0;
	void *tmp;
	int r = 0;

	why[0] = '\0';
	*secret = false;
	/* The reader holds a line and the copy a whole program's settings:
	 * a few KiB each, kept off the stack. */
	rd = malloc(sizeof(*rd));
	tmp = malloc(s->conf_size);
	if (rd == NULL || tmp == NULL) {
		snprintf(why, why_len, _("%s: out of memory"), name);
		free(rd);
		free(tmp);
		return ERR_NOMEM;
	}
	memcpy(tmp, conf, s->conf_size);
	keyvalue_init(rd, s->keys, s->n_keys, text, len);
	for (keyvalue_next(rd, &it); r == 0 && it.kind != KEYVALUE_END; keyvalue_next(rd, &it)) {
		const struct keyvalue_key *k = &s->keys[it.key];

		switch (it.kind) {
		case KEYVALUE_UNKNOWN:
			log_warn("%s:%u: unknown key '%s' (ignored)", name, it.line,
			    log_escape(esc, sizeof(esc), it.name, strlen(it.name)));
			warned++;
			break;
		case KEYVALUE_BAD:
			word_problem(s, name, &it, why, why_len);
			r = ERR_FORMAT;
			break;
		case KEYVALUE_PAIR:
			if (it.again) {
				log_warn("%s:%u: %s given again; this one counts", name, it.line,
				    k->name);
				warned++;
			}
			want[0] = '\0';
			if (s->set(tmp, it.key, it.value, name, want, sizeof(want)) != 0) {
				if (k->flags & (KEYVALUE_SECRET | KEYVALUE_HIDDEN))
					snprintf(esc, sizeof(esc), "...");
				else
					log_escape(esc, sizeof(esc), it.value, strlen(it.value));
				snprintf(why, why_len, _("%s:%u: bad %s '%s' (want %s)"), name,
				    it.line, k->name, esc, want);
				r = ERR_FORMAT;
				break;
			}
			*secret |= (k->flags & KEYVALUE_SECRET) != 0;
			break;
		case KEYVALUE_END:
			break;
		}
	}
	if (r == 0)
		memcpy(conf, tmp, s->conf_size);
	*warnings += warned;    /* what was logged stays counted */
	keyvalue_wipe(rd);      /* they may have held a proxy password */
	explicit_bzero(tmp, s->conf_size);
	free(rd);
	free(tmp);
	return r;
}

int
settings_parse(const struct settings_spec *s, void *conf, const char *name, const char *text,
    size_t len, unsigned *warnings, char *why, size_t why_len)
{
	bool secret;

	return parse(s, conf, name, text, len, warnings, &secret, why, why_len);
}

int
settings_load(const struct settings_spec *s, void *conf, const char *path, bool *found,
    unsigned *warnings, char *why, size_t why_len)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	bool secret;
	ssize_t n;
	int fd, r;

	*found = false;
	why[0] = '\0';
	/* Non-blocking: a FIFO planted at the path must not hang the program. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	*found = true;
	/* fstat on what was opened: a symlink to /dev/zero is a device here. */
	if (fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)) {
		r = 0;  /* /dev/null: "no settings file", as in ssh -F /dev/null */
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, why_len, _("%s: not a regular file"), path);
		r = ERR_FORMAT;
		goto out;
	}
	if (st.st_size > CONFIG_FILE_MAX_BYTES) {
		snprintf(why, why_len, _("%s: larger than %d bytes"), path, CONFIG_FILE_MAX_BYTES);
		r = ERR_FORMAT;
		goto out;
	}
	/* One byte more than allowed: a file that grew since fstat is caught too. */
	if ((text = malloc(CONFIG_FILE_MAX_BYTES + 1)) == NULL) {
		snprintf(why, why_len, _("%s: out of memory"), path);
		r = ERR_NOMEM;
		goto out;
	}
	while (len <= CONFIG_FILE_MAX_BYTES &&
	    (n = read(fd, text + len, CONFIG_FILE_MAX_BYTES + 1 - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(why, why_len, "%s: %s", path, strerror(errno));
			r = ERR_SYSTEM;
			goto out;
		}
		len += (size_t)n;
	}
	r = parse(s, conf, path, text, len, warnings, &secret, why, why_len);
	if (r == 0 && secret && (st.st_mode & 077) != 0)
		log_warn("%s holds a password but others may read it (chmod 600 %s)", path, path);
out:
	if (text != NULL) {
		explicit_bzero(text, len);
		free(text);
	}
	close(fd);
	return r;
}
