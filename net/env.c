/* SPDX-License-Identifier: Apache-2.0 */
/*
 * env.c - the clients' environment variables (env.h), read once at
 * start-up. Before this file they were read deep inside sec.c,
 * transport.c and transport_memory.c, and main() passed --force-xchacha
 * down with setenv().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "env.h"
#include "log.h"

/* An environment override of one policy value; a bad value is refused
 * loudly rather than silently ignored, since it is a test or admin knob. */
static void
env_u64(const char *name, uint64_t *v)
{
	const char *s = getenv(name);
	char *end;
	unsigned long long x;

	if (s == NULL || *s == '\0')
		return;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || s[0] == '-' || x == 0) {
		log_warn("%s=%s is not a positive integer; ignored", name, s);
		return;
	}
	*v = x;
}

void
env_sec_policy(struct sec_policy *p)
{
	sec_policy_default(p);
	env_u64("FERNSICHT_REKEY_MESSAGES", &p->rekey_after_messages);
	env_u64("FERNSICHT_REKEY_BYTES", &p->rekey_after_bytes);
	env_u64("FERNSICHT_REKEY_MS", &p->rekey_after_ms);
	env_u64("FERNSICHT_KEY_MAX_AGE_MS", &p->key_max_age_ms);
	/* A receiver must give a sender at least one rekey interval. */
	if (p->key_max_age_ms != 0 && p->key_max_age_ms < p->rekey_after_ms)
		p->key_max_age_ms = p->rekey_after_ms + p->rekey_after_ms / 2;
}

bool
env_force_xchacha(void)
{
	const char *s = getenv("FERNSICHT_FORCE_XCHACHA");

	return s != NULL && *s != '\0' && strcmp(s, "0") != 0;
}

/* A proxy curl finds for an https URL (the proxy tier's CONNECT). */
static bool
https_proxy_set(void)
{
	static const char *const vars[] = { "https_proxy", "HTTPS_PROXY", "all_proxy",
	    "ALL_PROXY" };
	const char *v;

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) != NULL && v[0] != '\0')
			return true;
	return false;
}

void
env_transport(struct transport_opts *o, char *path, size_t path_len)
{
	const char *base;
	int n = -1;

	o->env_proxy = https_proxy_set();
	if (o->state_file != NULL)
		return;
	if ((base = getenv("XDG_CACHE_HOME")) != NULL && base[0] == '/')
		n = snprintf(path, path_len, "%s/fernsicht/transport", base);
	else if ((base = getenv("HOME")) != NULL && base[0] == '/')
		n = snprintf(path, path_len, "%s/.cache/fernsicht/transport", base);
	if (n > 0 && (size_t)n < path_len)
		o->state_file = path;
}

/* The XDG_DOWNLOAD_DIR="..." line of user-dirs.dirs: "$HOME/x" or "/abs". */
static bool
user_dirs_download(const char *file, const char *home, char *path, size_t len)
{
	char line[1024];
	bool found = false;
	FILE *f;

	if ((f = fopen(file, "re")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *v, *end;
		int n = -1;

		if (strncmp(line, "XDG_DOWNLOAD_DIR=\"", 18) != 0)
			continue;
		v = line + 18;
		if ((end = strchr(v, '"')) == NULL)
			continue;
		*end = '\0';
		if (strncmp(v, "$HOME/", 6) == 0)
			n = snprintf(path, len, "%s/%s/Fernsicht", home, v + 6);
		else if (v[0] == '/')
			n = snprintf(path, len, "%s/Fernsicht", v);
		found = n > 0 && (size_t)n < len;
	}
	fclose(f);
	return found;
}

int
env_download_dir(char *path, size_t len)
{
	const char *home = getenv("HOME"), *config = getenv("XDG_CONFIG_HOME");
	char file[1024];
	int n;

	if (home == NULL || home[0] != '/')
		return ERR_FORMAT;
	if (config != NULL && config[0] == '/')
		n = snprintf(file, sizeof(file), "%s/user-dirs.dirs", config);
	else
		n = snprintf(file, sizeof(file), "%s/.config/user-dirs.dirs", home);
	if (n > 0 && (size_t)n < sizeof(file) && user_dirs_download(file, home, path, len))
		return 0;
	n = snprintf(path, len, "%s/Downloads/Fernsicht", home);
	return n > 0 && (size_t)n < len ? 0 : ERR_TOO_LARGE;
}

bool
env_config_path(const char *file, char *path, size_t path_len)
{
	const char *base;
	int n = -1;

	if ((base = getenv("XDG_CONFIG_HOME")) != NULL && base[0] == '/')
		n = snprintf(path, path_len, "%s/fernsicht/%s", base, file);
	else if ((base = getenv("HOME")) != NULL && base[0] == '/')
		n = snprintf(path, path_len, "%s/.config/fernsicht/%s", base, file);
	if (n > 0 && (size_t)n < path_len)
		return true;
	path[0] = '\0';
	return false;
}

int
env_make_parents(const char *path)
{
	char dir[1024];

	if (strlen(path) >= sizeof(dir))
		return -ENAMETOOLONG;
	strcpy(dir, path);
	for (char *p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return 0;
}
