/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sodium.h>

#include "inbox.h"

static const char part_suffix[] = ".part";

int
inbox_open(const char *path)
{
	char *p = strdup(path);
	int fd;

	if (p == NULL)
		return -ENOMEM;
	/* mkdir -p: each prefix in turn (the inbox path is our own setting). */
	for (char *s = p + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == -1 && errno != EEXIST) {
			int e = errno;

			free(p);
			return -e;
		}
		*s = '/';
	}
	free(p);
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int
inbox_folder(int dir_fd, const char *rel, size_t n)
{
	char name[FILES_COMPONENT_MAX + 1];
	size_t start = 0;
	int fd = dir_fd;

	while (start < n) {
		const char *slash = memchr(rel + start, '/', n - start);
		size_t end = slash != NULL ? (size_t)(slash - rel) : n;
		int next;

		/* relpath_check refused these already; a second wall here, where
		 * a ".." would leave the inbox, costs nothing. */
		if (end - start > FILES_COMPONENT_MAX || end == start ||
		    (end - start <= 2 && memcmp(rel + start, "..", end - start) == 0)) {
			next = -EINVAL;
		} else {
			memcpy(name, rel + start, end - start);
			name[end - start] = '\0';
			if (mkdirat(fd, name, 0777) == -1 && errno != EEXIST)
				next = -errno;
			else if ((next = openat(fd, name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1)
				next = -errno;
		}
		if (fd != dir_fd)
			close(fd);
		if (next < 0)
			return next;
		fd = next;
		start = end + 1;
	}
	return fd != dir_fd ? fd : -EINVAL;
}

/* Shorten p[0..n) to at most max bytes without cutting a character. */
static size_t
utf8_cut(const char *p, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--;
	return n;
}

void
inbox_part_name(const char *leaf, char part[FILES_COMPONENT_MAX + 1])
{
	enum { TAG_BYTES = 16, SUFFIX = sizeof(part_suffix) - 1 };
	size_t n = strlen(leaf), keep;
	uint8_t tag[TAG_BYTES];
	char hex[2 * TAG_BYTES + 1];

	if (n + SUFFIX <= FILES_COMPONENT_MAX) {
		snprintf(part, FILES_COMPONENT_MAX + 1, "%s%s", leaf, part_suffix);
		return;
	}
	/* The same long name gives the same .part, so a resume finds it. */
	crypto_generichash(tag, sizeof(tag), (const uint8_t *)leaf, n, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), tag, sizeof(tag));
	keep = utf8_cut(leaf, n, FILES_COMPONENT_MAX - SUFFIX - 1 - 2 * TAG_BYTES);
	snprintf(part, FILES_COMPONENT_MAX + 1, "%.*s~%s%s", (int)keep, leaf, hex, part_suffix);
}

int
inbox_lock(int fd)
{
	if (flock(fd, LOCK_EX | LOCK_NB) == -1)
		return errno == EWOULDBLOCK ? -EWOULDBLOCK : -errno;
	return 0;
}

int
inbox_part(int dir_fd, const char *part)
{
	struct stat st;
	int fd, r;

	/* O_NONBLOCK: a fifo placed under this name must not hang the open. */
	fd = openat(dir_fd, part, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
	if (fd == -1)
		return errno == ELOOP ? -ELOOP : errno == EISDIR ? -EEXIST : -errno;
	if (fstat(fd, &st) == -1) {
		r = -errno;
	} else if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		r = -EEXIST;    /* a write would land in someone else's file */
	} else if ((r = inbox_lock(fd)) == 0) {
		return fd;
	}
	close(fd);
	return r;
}

/* Whether leaf ends in ".part": the inbox's name for unfinished copies. */
static bool
part_named(const char *leaf)
{
	size_t n = strlen(leaf), sn = sizeof(part_suffix) - 1;

	return n >= sn && strcmp(leaf + n - sn, part_suffix) == 0;
}

/* Candidate k for leaf: k == 0 is leaf itself, else "stem (k).ext", the
 * stem shortened to keep within a name's limit. A leaf ending in ".part"
 * keeps that ending only as "leaf (k)": a finished file or folder with the
 * name of an unfinished copy would be taken for one (truncated, resumed
 * into, renamed away) by a later transfer of NAME. */
static void
candidate(const char *leaf, unsigned k, bool folder, char out[FILES_COMPONENT_MAX + 1])
{
	size_t n = strlen(leaf), stem = n, room;
	const char *dot = folder || part_named(leaf) ? NULL : strrchr(leaf, '.');
	char suffix[16];
	int sl;

	if (k == 0) {
		memcpy(out, leaf, n + 1);
		return;
	}
	sl = snprintf(suffix, sizeof(suffix), " (%u)", k);
	/* ".bashrc" has no extension; one too long to keep is part of the stem. */
	if (dot != NULL && dot != leaf &&
	    (size_t)(leaf + n - dot) + (size_t)sl < FILES_COMPONENT_MAX)
		stem = (size_t)(dot - leaf);
	room = FILES_COMPONENT_MAX - (size_t)sl - (n - stem);
	snprintf(out, FILES_COMPONENT_MAX + 1, "%.*s%s%s", (int)utf8_cut(leaf, stem, room), leaf,
	    suffix, leaf + stem);
}

int
inbox_place(int dir_fd, const char *from, const char *leaf, bool folder,
    char final[FILES_COMPONENT_MAX + 1])
{
	for (unsigned k = part_named(leaf) ? 1 : 0; k < FILES_NAME_TRIES; k++) {
		candidate(leaf, k, folder, final);
		if (renameat2(dir_fd, from, dir_fd, final, RENAME_NOREPLACE) == 0)
			return 0;
		if (errno == EEXIST)
			continue;
		if (errno != EINVAL || folder)
			return -errno;
		/* A file system without RENAME_NOREPLACE: a hard link fails
		 * on any name that exists, and the .part goes after it. */
		if (linkat(dir_fd, from, dir_fd, final, 0) == 0)
			return unlinkat(dir_fd, from, 0) == 0 ? 0 : -errno;
		if (errno != EEXIST)
			return -errno;
	}
	final[0] = '\0';
	return -EEXIST;
}

bool
inbox_room(int fd, uint64_t bytes)
{
	struct statvfs sv;

	if (fstatvfs(fd, &sv) == -1 || sv.f_frsize == 0)
		return true;    /* unknown: a write error will say so */
	if (sv.f_bavail > UINT64_MAX / sv.f_frsize)
		return true;
	return (uint64_t)sv.f_bavail * sv.f_frsize >= bytes;
}
