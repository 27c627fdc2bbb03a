/* SPDX-License-Identifier: Apache-2.0 */
/* prune.c - a folder transfer's TOP.part holds what it sent only (prune.h). */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "err.h"
#include "limits.h"
#include "prune.h"

static void
path_hash(const struct prune *p, const char *rel, size_t n, uint8_t out[PRUNE_HASH_LEN])
{
	crypto_shorthash(out, (const uint8_t *)rel, n, p->key);
}

int
prune_add(struct prune *p, const char *rel, size_t n)
{
	if (p->cap == 0)
		crypto_shorthash_keygen(p->key);
	if (p->n == p->cap) {
		size_t cap = p->cap > 0 ? 2 * p->cap : 64;
		void *s = realloc(p->sent, cap * sizeof(*p->sent));

		if (s == NULL)
			return ERR_NOMEM;
		p->sent = s;
		p->cap = cap;
	}
	path_hash(p, rel, n, p->sent[p->n++]);
	return 0;
}

static int
by_hash(const void *a, const void *b)
{
	return memcmp(a, b, PRUNE_HASH_LEN);
}

static bool
was_sent(const struct prune *p, const char *rel, size_t n)
{
	uint8_t h[PRUNE_HASH_LEN];

	path_hash(p, rel, n, h);
	return p->n > 0 && bsearch(h, p->sent, p->n, PRUNE_HASH_LEN, by_hash) != NULL;
}

/* Remove name in dir_fd, a folder with what it holds; depth bounds the
 * descent (a tree deeper than any transfer makes is left). */
static int
remove_tree(int dir_fd, const char *name, unsigned depth)
{
	struct dirent *e;
	DIR *d;
	int fd, r = 0;

	if (unlinkat(dir_fd, name, 0) == 0)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return errno == ENOENT ? 0 : -errno;
	if (depth > FILES_DEPTH_MAX)
		return -ELOOP;
	fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		r = -errno;
		if (fd != -1)
			close(fd);
		return r;
	}
	while (r == 0 && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			r = remove_tree(dirfd(d), e->d_name, depth + 1);
	closedir(d);
	if (r == 0 && unlinkat(dir_fd, name, AT_REMOVEDIR) == -1)
		r = -errno;
	return r;
}

/* The folder dir_fd is rel[0..n) inside TOP ("" for TOP itself), depth
 * names deep. A file not sent goes; a folder goes when it was not sent
 * and holds nothing that was (a file's folders need not all have been
 * entries of their own). */
static int
prune_dir(const struct prune *p, int dir_fd, char *rel, size_t n, unsigned depth)
{
	struct dirent *e;
	struct stat st;
	DIR *d;
	int fd, sub, r = 0;

	if ((fd = dup(dir_fd)) == -1 || (d = fdopendir(fd)) == NULL) {
		r = -errno;
		if (fd != -1)
			close(fd);
		return r;
	}
	rewinddir(d);
	while (r == 0 && (e = readdir(d)) != NULL) {
		size_t k = strlen(e->d_name), at = n > 0 ? n + 1 : 0;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			r = errno == ENOENT ? 0 : -errno;
			continue;
		}
		/* Longer or deeper than any path sent: not sent, nor what it holds. */
		if (at + k > FILES_PATH_MAX || depth + 1 >= FILES_DEPTH_MAX) {
			r = remove_tree(dir_fd, e->d_name, depth + 1);
			continue;
		}
		if (n > 0)
			rel[n] = '/';
		memcpy(rel + at, e->d_name, k);
		if (!S_ISDIR(st.st_mode)) {
			if (!was_sent(p, rel, at + k) && unlinkat(dir_fd, e->d_name, 0) == -1 &&
			    errno != ENOENT)
				r = -errno;
			continue;
		}
		if ((sub = openat(dir_fd, e->d_name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
			r = -errno;
			break;
		}
		r = prune_dir(p, sub, rel, at + k, depth + 1);
		close(sub);
		if (r == 0 && !was_sent(p, rel, at + k) &&
		    unlinkat(dir_fd, e->d_name, AT_REMOVEDIR) == -1 && errno != ENOTEMPTY)
			r = -errno;
	}
	closedir(d);
	return r;
}

int
prune_rest(struct prune *p, int top_fd)
{
	char rel[FILES_PATH_MAX];

	if (p->n > 1)   /* (p->sent is NULL with nothing sent, which qsort may not get) */
		qsort(p->sent, p->n, PRUNE_HASH_LEN, by_hash);
	return prune_dir(p, top_fd, rel, 0, 0);
}

void
prune_free(struct prune *p)
{
	free(p->sent);
	sodium_memzero(p, sizeof(*p));
}
