/* SPDX-License-Identifier: Apache-2.0 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"
#include "msg.h"
#include "relpath.h"
#include "walk.h"

/* Room for a relative path being built: one name past the limit, so that
 * relpath_check sees and names the path that is too long. */
enum { WALK_PATH_ROOM = FILES_PATH_MAX + FILES_COMPONENT_MAX + 2 };

static int
add_entry(struct walk *w, const char *path, uint64_t size, uint8_t kind)
{
	struct walk_entry *e;

	if (w->n == w->cap) {
		uint32_t cap = w->cap > 0 ? w->cap * 2 : 16;

		if ((e = realloc(w->e, cap * sizeof(*e))) == NULL)
			return ERR_NOMEM;
		w->e = e;
		w->cap = cap;
	}
	e = &w->e[w->n];
	if ((e->path = strdup(path)) == NULL)
		return ERR_NOMEM;
	e->size = size;
	e->kind = kind;
	w->n++;
	w->bytes += size;
	if (kind == MSG_FILE_REGULAR)
		w->files++;
	return 0;
}

static int
add_skip(struct walk *w, const char *path, const char *why)
{
	struct walk_skip *s;

	if (w->n_skip == w->cap_skip) {
		uint32_t cap = w->cap_skip > 0 ? w->cap_skip * 2 : 8;

		if ((s = realloc(w->skip, cap * sizeof(*s))) == NULL)
			return ERR_NOMEM;
		w->skip = s;
		w->cap_skip = cap;
	}
	s = &w->skip[w->n_skip];
	if ((s->path = strdup(path)) == NULL)
		return ERR_NOMEM;
	s->why = why;
	w->n_skip++;
	return 0;
}

static int
by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory d (without "." and ".."), sorted; NULL and *r set
 * when there are too many or memory ran out. */
static char **
sorted_names(DIR *d, size_t *n, int *r)
{
	char **names = NULL, **more;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	*r = 0;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*n >= FILES_ENTRIES_MAX) {
			*r = ERR_TOO_LARGE;
			break;
		}
		if (*n == cap) {
			cap = cap > 0 ? cap * 2 : 32;
			if ((more = realloc(names, cap * sizeof(*names))) == NULL) {
				*r = ERR_NOMEM;
				break;
			}
			names = more;
		}
		if ((names[*n] = strdup(de->d_name)) == NULL) {
			*r = ERR_NOMEM;
			break;
		}
		(*n)++;
	}
	if (*r == 0 && errno != 0)
		*r = ERR_SYSTEM;
	if (*r != 0) {
		while (*n > 0)
			free(names[--*n]);
		free(names);
		return NULL;
	}
	if (*n > 0)
		qsort(names, *n, sizeof(*names), by_bytes);
	return names;
}

static const char *
skip_reason(const struct stat *st)
{
	if (S_ISLNK(st->st_mode))
		return "a symbolic link";
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return "a device";
	if (S_ISFIFO(st->st_mode))
		return "a fifo";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode))
		return "not a file or folder";
	return NULL;
}

/*
 * Add what folder dfd (at relative path[0..len), depth names deep) holds.
 * dfd is the caller's. Errors that concern one item skip it; the limits
 * end the walk with *why.
 */
static int
walk_folder(struct walk *w, int dfd, char *path, size_t len, unsigned depth, char *why,
    size_t why_len)
{
	char **names;
	size_t n, i;
	DIR *d;
	int fd, r = 0;

	if ((fd = dup(dfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return add_skip(w, path, "cannot be read");
	}
	names = sorted_names(d, &n, &r);
	closedir(d);
	if (r == ERR_TOO_LARGE)
		snprintf(why, why_len, "more than %d files and folders", FILES_ENTRIES_MAX);
	else if (r != 0)
		return add_skip(w, path, "cannot be read");
	for (i = 0; r == 0 && i < n; i++) {
		size_t nl = strlen(names[i]);
		const char *rule = NULL;
		struct stat st;
		int sub;

		if (len + 1 + nl >= WALK_PATH_ROOM)
			nl = WALK_PATH_ROOM - len - 2;  /* too long anyway: relpath says so */
		path[len] = '/';
		memcpy(path + len + 1, names[i], nl);
		path[len + 1 + nl] = '\0';
		if (w->n + w->n_skip >= FILES_ENTRIES_MAX) {
			snprintf(why, why_len, "more than %d files and folders", FILES_ENTRIES_MAX);
			r = ERR_TOO_LARGE;
		} else if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == -1) {
			r = add_skip(w, path, "vanished while it was listed");
		} else if ((rule = skip_reason(&st)) != NULL) {
			r = add_skip(w, path, rule);
		} else if (depth + 1 > FILES_DEPTH_MAX) {
			snprintf(why, why_len, "folders nested more than %d deep", FILES_DEPTH_MAX);
			r = ERR_TOO_LARGE;
		} else if (relpath_check(path, len + 1 + nl, &rule) != 0) {
			r = add_skip(w, path, rule);
		} else if (S_ISREG(st.st_mode)) {
			if (faccessat(dfd, names[i], R_OK, AT_EACCESS) != 0)
				r = add_skip(w, path, "not readable");
			else
				r = add_entry(w, path, (uint64_t)st.st_size, MSG_FILE_REGULAR);
		} else if ((sub = openat(dfd, names[i],
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
			r = add_skip(w, path, "cannot be opened");
		} else {
			if ((r = add_entry(w, path, 0, MSG_FILE_FOLDER)) == 0)
				r = walk_folder(w, sub, path, len + 1 + nl, depth + 1, why,
				    why_len);
			close(sub);
		}
		path[len] = '\0';
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/* The top item's name (after the last '/', trailing slashes ignored) and
 * the folder that holds it, into w->base. */
static int
split_top(const char *path, struct walk *w, char *name, size_t name_len)
{
	size_t n = strlen(path), start;

	while (n > 1 && path[n - 1] == '/')
		n--;
	start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (n - start >= name_len)
		return ERR_TOO_LARGE;
	memcpy(name, path + start, n - start);
	name[n - start] = '\0';
	if (start == 0)
		w->base = strdup(".");
	else if (start == 1)
		w->base = strdup("/");
	else
		w->base = strndup(path, start - 1);
	return w->base != NULL ? 0 : ERR_NOMEM;
}

int
walk_path(const char *path, struct walk *w, char *why, size_t why_len)
{
	char *rel = NULL;
	const char *rule;
	struct stat st;
	int fd, r;

	memset(w, 0, sizeof(*w));
	why[0] = '\0';
	if ((rel = malloc(WALK_PATH_ROOM)) == NULL) {
		snprintf(why, why_len, "out of memory");
		return ERR_NOMEM;
	}
	if (lstat(path, &st) == -1) {
		snprintf(why, why_len, "%s", strerror(errno));
		r = ERR_SYSTEM;
	} else if (S_ISLNK(st.st_mode)) {
		snprintf(why, why_len, "a symbolic link (send what it points to)");
		r = ERR_FORMAT;
	} else if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		snprintf(why, why_len, "not a file or folder");
		r = ERR_FORMAT;
	} else if ((r = split_top(path, w, rel, FILES_COMPONENT_MAX + 1)) != 0) {
		snprintf(why, why_len, r == ERR_NOMEM ? "out of memory" :
		    "a name longer than %d bytes", FILES_COMPONENT_MAX);
	} else if (relpath_check(rel, strlen(rel), &rule) != 0) {
		snprintf(why, why_len, "its name has %s", rule);
		r = ERR_FORMAT;
	} else if (S_ISREG(st.st_mode)) {
		if (access(path, R_OK) != 0) {
			snprintf(why, why_len, "%s", strerror(errno));
			r = ERR_SYSTEM;
		} else {
			r = add_entry(w, rel, (uint64_t)st.st_size, MSG_FILE_REGULAR);
		}
	} else if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		snprintf(why, why_len, "%s", strerror(errno));
		r = ERR_SYSTEM;
	} else {
		if ((r = add_entry(w, rel, 0, MSG_FILE_FOLDER)) == 0)
			r = walk_folder(w, fd, rel, strlen(rel), 1, why, why_len);
		close(fd);
	}
	if (r == ERR_NOMEM && why[0] == '\0')
		snprintf(why, why_len, "out of memory");
	free(rel);
	if (r != 0)
		walk_free(w);
	return r;
}

int
walk_open(const struct walk *w, uint32_t i)
{
	size_t bl = strlen(w->base), pl = strlen(w->e[i].path);
	char *full = malloc(bl + 1 + pl + 1);
	int fd;

	if (full == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(full, w->base, bl);
	full[bl] = '/';
	memcpy(full + bl + 1, w->e[i].path, pl + 1);
	fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	free(full);
	return fd;
}

void
walk_free(struct walk *w)
{
	for (uint32_t i = 0; i < w->n; i++)
		free(w->e[i].path);
	for (uint32_t i = 0; i < w->n_skip; i++)
		free(w->skip[i].path);
	free(w->e);
	free(w->skip);
	free(w->base);
	memset(w, 0, sizeof(*w));
}
