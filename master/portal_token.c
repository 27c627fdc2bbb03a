/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portal_token.c - the desktop portal's restore token between runs
 * (portal_token.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "env.h"
#include "log.h"
#include "portal_token.h"

#define PORTAL_TOKEN_FILE "portal-restore-token"
#define PORTAL_TOKEN_WINDOW_FILE "portal-restore-token-window"

void
portal_token_load(bool window, char *token, size_t len)
{
	char path[1024], buf[PORTAL_TOKEN_LEN + 2];
	ssize_t n;
	int fd;

	token[0] = '\0';
	if (!env_config_path(window ? PORTAL_TOKEN_WINDOW_FILE : PORTAL_TOKEN_FILE, path,
	    sizeof(path)) || (fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	for (const char *p = buf; *p != '\0'; p++)
		if (*p <= ' ' || *p > '~')
			return;         /* not a token the portal made: ignored */
	if (strlen(buf) >= len || strlen(buf) >= PORTAL_TOKEN_LEN)
		return;
	memcpy(token, buf, strlen(buf) + 1);
}

void
portal_token_save(bool window, const char *token)
{
	char path[1024], tmp[1100];
	int fd, r;

	if (!env_config_path(window ? PORTAL_TOKEN_WINDOW_FILE : PORTAL_TOKEN_FILE, path,
	    sizeof(path)))
		return;
	if (token[0] == '\0') {
		(void)unlink(path);
		return;
	}
	if ((r = env_make_parents(path)) != 0) {
		log_warn("portal: cannot keep the restore token: %s", strerror(-r));
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1 || dprintf(fd, "%s\n", token) < 0 || fsync(fd) != 0 ||
	    close(fd) != 0 || rename(tmp, path) != 0) {
		log_warn("portal: cannot keep the restore token in %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			(void)unlink(tmp);
		return;
	}
	log_debug("portal: restore token kept in %s", path);
}
