/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inbox.h - the receiver's file system. Below the inbox everything is
 * reached from directory fds, one name at a time, opened with O_NOFOLLOW
 * (and O_DIRECTORY for folders), never through a path string: a symlink
 * or a file placed in the inbox cannot redirect a write elsewhere. Final
 * names are taken with renameat2(RENAME_NOREPLACE), never overwriting.
 *
 * Functions that open return a file descriptor or -errno.
 */
#ifndef ENDPOINT_INBOX_H
#define ENDPOINT_INBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

/* The inbox itself (made with its parents when missing: it is ours). */
int inbox_open(const char *path);
/* Folder rel (n bytes, '/'-separated, checked by relpath_check) below
 * dir_fd, each name made when missing; -ELOOP or -ENOTDIR when a name in
 * the way is a symlink or not a folder. */
int inbox_folder(int dir_fd, const char *rel, size_t n);
/* The name a file or folder has while it arrives: "NAME.part" (shortened
 * with a hash of NAME when that would be longer than a name may be). */
void inbox_part_name(const char *leaf, char part[FILES_COMPONENT_MAX + 1]);
/* Open or make the .part file `part` in dir_fd for writing and lock it:
 * -ELOOP for a symlink, -EEXIST when it is not a plain file of its own
 * (another type, or hard-linked elsewhere), -EWOULDBLOCK when another
 * transfer holds it. */
int inbox_part(int dir_fd, const char *part);
/* Lock a folder .part (dir_fd) for one transfer: 0 or -EWOULDBLOCK. */
int inbox_lock(int fd);
/* Rename `from` in dir_fd to leaf, or when that name is taken to
 * "leaf (1).ext", "leaf (2).ext"... (folders: "leaf (1)"), never over
 * anything; the name taken goes into final. 0 or -errno. A leaf ending in
 * ".part" becomes "leaf (1)" at least: such names are unfinished copies. */
int inbox_place(int dir_fd, const char *from, const char *leaf, bool folder,
    char final[FILES_COMPONENT_MAX + 1]);
/* Whether bytes more fit on the file system that holds fd. */
bool inbox_room(int fd, uint64_t bytes);

#endif
