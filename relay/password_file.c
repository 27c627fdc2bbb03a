/* SPDX-License-Identifier: Apache-2.0 */
/*
 * password_file.c - the first line of a file that not everyone may read
 * (password_file.h). Checked on the open file (fstat), so that what is
 * checked is what is read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "i18n.h"
#include "limits.h"
#include "password_file.h"

/* What the file's start is read into: the longest line, its CR and newline. */
enum { READ_MAX = RELAY_CLUSTER_PASSWORD_MAX + 2 };

/* Up to READ_MAX bytes of fd into buf; their number, or -1 (errno). */
static ssize_t
read_start(int fd, char *buf)
{
	size_t len = 0;
	ssize_t n;

	while (len < READ_MAX && (n = read(fd, buf + len, READ_MAX - len)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		len += (size_t)n;
	}
	return (ssize_t)len;
}

/* The first line of buf[0..len), without its CR: its length, or -1 when
 * it does not end within buf (too long). */
static ssize_t
first_line(const char *buf, size_t len)
{
	const char *nl = memchr(buf, '\n', len);
	size_t n;

	if (nl == NULL && len >= READ_MAX)
		return -1;
	n = nl != NULL ? (size_t)(nl - buf) : len;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	return n > RELAY_CLUSTER_PASSWORD_MAX ? -1 : (ssize_t)n;
}

int
password_file_read(const char *path, char *out, size_t out_len, char *why, size_t why_len)
{
	char buf[READ_MAX];
	struct stat st;
	ssize_t len = 0, n;
	int fd, r = ERR_FORMAT;

	why[0] = '\0';
	if (out_len > 0)
		out[0] = '\0';
	/* Non-blocking: a FIFO at the path must not hang the relay. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, why_len, _("%s: not a regular file"), path);
		goto out;
	}
	if (st.st_mode & S_IROTH) {
		snprintf(why, why_len, _("%s: everyone may read it; it holds a password "
		    "(chmod o-r %s: 0600, or 0640 with the relay's group)"), path, path);
		goto out;
	}
	if ((len = read_start(fd, buf)) < 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		len = 0;
		r = ERR_SYSTEM;
		goto out;
	}
	n = first_line(buf, (size_t)len);
	if (n < 0)
		snprintf(why, why_len, _("%s: the first line is longer than %d bytes"), path,
		    RELAY_CLUSTER_PASSWORD_MAX);
	else if (n == 0)
		snprintf(why, why_len, _("%s: the first line (the password) is empty"), path);
	else if (memchr(buf, '\0', (size_t)n) != NULL)
		snprintf(why, why_len, _("%s: the first line holds a NUL byte"), path);
	else if ((size_t)n >= out_len)
		snprintf(why, why_len, _("%s: the first line is longer than %d bytes"), path,
		    (int)out_len - 1);
	else {
		memcpy(out, buf, (size_t)n);
		out[n] = '\0';
		r = 0;
	}
out:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return r;
}
