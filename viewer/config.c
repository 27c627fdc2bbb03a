/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - the viewer's settings files (config.h). A file is read whole
 * (it is small and bounded), then parsed line by line into a copy of the
 * settings, which replaces them only when every line was good: a file
 * with one bad value is refused as a whole rather than half used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "err.h"
#include "i18n.h"
#include "log.h"
#include "net.h"
#include "transport.h"

enum key {
	KEY_RELAY,
	KEY_TRANSPORT,
	KEY_PROXY,
	KEY_PROXY_USER,
	KEY_CA_FILE,
	KEY_NAME,
	KEYS,
};

static const char *const key_names[KEYS] = {
	[KEY_RELAY] = "relay",
	[KEY_TRANSPORT] = "transport",
	[KEY_PROXY] = "proxy",
	[KEY_PROXY_USER] = "proxy-user",
	[KEY_CA_FILE] = "ca-file",
	[KEY_NAME] = "name",
};

/* What one file is being read as, for messages. */
struct reader {
	const char *name;
	unsigned line;
	char *why;
	size_t why_len;
	bool seen[KEYS];
};

void
vconfig_init(struct vconfig *c)
{
	memset(c, 0, sizeof(*c));
	c->transport = -1;
}

/* A bad value: the file is refused, and why[] shows the value escaped. */
static int
refuse(struct reader *rd, const char *key, const char *value, const char *want)
{
	char esc[4 * LOG_ESCAPE_MAX + 4];

	log_escape(esc, sizeof(esc), value, strlen(value));
	snprintf(rd->why, rd->why_len, _("%s:%u: bad %s '%s' (want %s)"), rd->name, rd->line, key,
	    esc, want);
	return ERR_FORMAT;
}

/* Printable ASCII without blanks: host names, URLs. */
static bool
plain(const char *v)
{
	for (; *v != '\0'; v++)
		if (*v <= ' ' || *v > '~')
			return false;
	return true;
}

/* host[:port] as link_open() takes it, with a port (if any) of 1..65535. */
static bool
relay_ok(const char *v)
{
	char host[256];
	uint16_t p0, p1;

	if (!plain(v) || net_split_hostport(v, 0, host, sizeof(host), &p0) != 0 ||
	    net_split_hostport(v, 1, host, sizeof(host), &p1) != 0)
		return false;
	/* The same port with either default: the address names one. */
	if (p0 == p1 && p0 == 0)
		return false;
	for (const char *h = host; *h != '\0'; h++)
		if (!((*h >= 'a' && *h <= 'z') || (*h >= 'A' && *h <= 'Z') ||
		    (*h >= '0' && *h <= '9') || strchr(".-_:%", *h) != NULL))
			return false;
	return true;
}

static int
set(struct vconfig *c, struct reader *rd, enum key k, const char *v)
{
	const char *key = key_names[k];
	size_t n = strlen(v);

	switch (k) {
	case KEY_RELAY:
		if (!relay_ok(v))
			return refuse(rd, key, v, _("host or host:port, port 1..65535"));
		snprintf(c->relay, sizeof(c->relay), "%s", v);
		snprintf(c->relay_from, sizeof(c->relay_from), "%s", rd->name);
		break;
	case KEY_TRANSPORT:
		if ((c->transport = transport_kind_parse(v)) == ERR_FORMAT)
			return refuse(rd, key, v, _("auto, tcp, tls, proxy or http"));
		break;
	case KEY_PROXY:
		if (!plain(v))
			return refuse(rd, key, v, _("a URL such as http://proxy:3128"));
		snprintf(c->proxy, sizeof(c->proxy), "%s", v);
		break;
	case KEY_PROXY_USER:
		if (strchr(v, ':') == NULL || !buf_utf8_valid((const uint8_t *)v, n))
			return refuse(rd, key, "...", "USER:PASS");
		snprintf(c->proxy_user, sizeof(c->proxy_user), "%s", v);
		break;
	case KEY_CA_FILE:
		if (v[0] != '/' || !buf_utf8_valid((const uint8_t *)v, n))
			return refuse(rd, key, v, _("an absolute path"));
		snprintf(c->ca_file, sizeof(c->ca_file), "%s", v);
		break;
	case KEY_NAME:
		if (n > MSG_NAME_MAX || !buf_utf8_valid((const uint8_t *)v, n))
			return refuse(rd, key, v, _("up to 64 bytes of UTF-8"));
		snprintf(c->name, sizeof(c->name), "%s", v);
		break;
	case KEYS:
		break;
	}
	return 0;
}

static char *
trim(char *s, char *end)
{
	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	return s;
}

/* One line, without its newline, NUL-terminated in place. */
static int
parse_line(struct vconfig *c, struct reader *rd, char *line, size_t len)
{
	char esc[4 * LOG_ESCAPE_MAX + 4], *eq, *key, *value;
	unsigned k;

	if (len > 0 && line[len - 1] == '\r')
		line[--len] = '\0';
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)line[i];

		if ((ch < ' ' && ch != '\t') || ch == 0x7f) {
			snprintf(rd->why, rd->why_len, _("%s:%u: control character 0x%02x"),
			    rd->name, rd->line, ch);
			return ERR_FORMAT;
		}
	}
	key = trim(line, line + len);
	if (key[0] == '\0' || key[0] == '#')
		return 0;
	if ((eq = strchr(key, '=')) == NULL) {
		snprintf(rd->why, rd->why_len, _("%s:%u: no '=' (want key = value)"), rd->name,
		    rd->line);
		return ERR_FORMAT;
	}
	value = trim(eq + 1, key + strlen(key));
	key = trim(key, eq);
	if (key[0] == '\0') {
		snprintf(rd->why, rd->why_len, _("%s:%u: no key before '='"), rd->name, rd->line);
		return ERR_FORMAT;
	}
	for (k = 0; k < KEYS && strcmp(key, key_names[k]) != 0; k++)
		;
	if (k == KEYS) {
		log_warn("%s:%u: unknown key '%s' (ignored)", rd->name, rd->line,
		    log_escape(esc, sizeof(esc), key, strlen(key)));
		c->warnings++;
		return 0;
	}
	if (value[0] == '\0') {
		snprintf(rd->why, rd->why_len, _("%s:%u: empty value for %s"), rd->name, rd->line,
		    key_names[k]);
		return ERR_FORMAT;
	}
	if (rd->seen[k]) {
		log_warn("%s:%u: %s given again; this one counts", rd->name, rd->line,
		    key_names[k]);
		c->warnings++;
	}
	rd->seen[k] = true;
	return set(c, rd, (enum key)k, value);
}

int
vconfig_parse(struct vconfig *c, const char *name, const char *text, size_t len, char *why,
    size_t why_len)
{
	struct reader rd = { .name = name, .why = why, .why_len = why_len };
	struct vconfig *tmp;
	char line[CONFIG_LINE_MAX_BYTES + 2];
	size_t at = 0;
	int r = 0;

	why[0] = '\0';
	if (len > CONFIG_FILE_MAX_BYTES) {
		snprintf(why, why_len, _("%s: larger than %d bytes"), name, CONFIG_FILE_MAX_BYTES);
		return ERR_FORMAT;
	}
	/* The settings are a few KiB: keep the copy off the stack. */
	if ((tmp = malloc(sizeof(*tmp))) == NULL) {
		snprintf(why, why_len, _("%s: out of memory"), name);
		return ERR_NOMEM;
	}
	*tmp = *c;
	while (r == 0 && at < len) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = (nl != NULL ? (size_t)(nl - text) : len) - at;

		rd.line++;
		if (n > CONFIG_LINE_MAX_BYTES) {
			snprintf(why, why_len, _("%s:%u: line longer than %d bytes"), name, rd.line,
			    CONFIG_LINE_MAX_BYTES);
			r = ERR_FORMAT;
			break;
		}
		memcpy(line, text + at, n);
		line[n] = '\0';
		/* A NUL inside the line would end it early: refuse it instead. */
		if (memchr(text + at, '\0', n) != NULL) {
			snprintf(why, why_len, _("%s:%u: control character 0x00"), name, rd.line);
			r = ERR_FORMAT;
			break;
		}
		r = parse_line(tmp, &rd, line, n);
		at += n + (nl != NULL);
	}
	if (r == 0)
		*c = *tmp;
	else
		c->warnings = tmp->warnings;    /* what was logged stays counted */
	explicit_bzero(line, sizeof(line));     /* it may have held a proxy password */
	explicit_bzero(tmp, sizeof(*tmp));
	free(tmp);
	return r;
}

int
vconfig_load(struct vconfig *c, const char *path, bool *found, char *why, size_t why_len)
{
	struct stat st;
	char *text = NULL, *had = NULL;
	size_t len = 0;
	ssize_t n;
	int fd, r;

	*found = false;
	why[0] = '\0';
	/* Non-blocking: a FIFO planted at the path must not hang the viewer. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd == -1) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	*found = true;
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
	had = strcmp(c->proxy_user, "") != 0 ? strdup(c->proxy_user) : NULL;
	if ((r = vconfig_parse(c, path, text, len, why, why_len)) == 0 &&
	    c->proxy_user[0] != '\0' && (had == NULL || strcmp(had, c->proxy_user) != 0) &&
	    (st.st_mode & 077) != 0)
		log_warn("%s holds a proxy password but others may read it (chmod 600 %s)", path,
		    path);
out:
	if (had != NULL) {
		explicit_bzero(had, strlen(had));
		free(had);
	}
	if (text != NULL) {
		explicit_bzero(text, len);
		free(text);
	}
	close(fd);
	return r;
}
