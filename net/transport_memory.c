/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_memory.c - which tier won on which network (transport.h):
 * one line per network and relay in a small state file, so the next start
 * tries the winner first instead of racing all tiers again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "transport.h"

void
transport_network_key(char *out, size_t out_len)
{
	char line[256], iface[64];
	unsigned long dest, gw, mask;
	unsigned flags;
	FILE *f = fopen("/proc/net/route", "r");

	snprintf(out, out_len, "none");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		/* Iface Destination Gateway Flags RefCnt Use Metric Mask ... */
		if (sscanf(line, "%63s %lx %lx %x %*d %*d %*d %lx", iface, &dest, &gw, &flags,
		    &mask) == 5 && dest == 0 && mask == 0 && (flags & 1)) {
			snprintf(out, out_len, "%s/%08lx", iface, gw);
			break;
		}
	}
	fclose(f);
}

static bool
state_path(const struct transport_opts *o, char *out, size_t out_len)
{
	if (o->state_file == NULL || o->state_file[0] == '\0')
		return false;
	return snprintf(out, out_len, "%s", o->state_file) < (int)out_len;
}

static void
state_prefix(const char *relay, char *out, size_t out_len)
{
	char net[96];

	transport_network_key(net, sizeof(net));
	snprintf(out, out_len, "net=%s relay=%s tier=", net, relay);
}

int
transport_remembered(const struct transport_opts *o, const char *relay)
{
	char path[512], prefix[400], line[512];
	int kind = TRANSPORT_AUTO;
	FILE *f;

	if (!state_path(o, path, sizeof(path)) || (f = fopen(path, "r")) == NULL)
		return TRANSPORT_AUTO;
	state_prefix(relay, prefix, sizeof(prefix));
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, prefix, strlen(prefix)) == 0) {
			kind = transport_kind_parse(line + strlen(prefix));
			if (kind < 0)
				kind = TRANSPORT_AUTO;
		}
	}
	fclose(f);
	return kind;
}

/* mkdir -p for the state file's directory. */
static void
make_dirs(char *path)
{
	for (char *s = strchr(path + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		(void)mkdir(path, 0700);
		*s = '/';
	}
}

void
transport_remember(const struct transport_opts *o, const char *relay, int kind)
{
	enum { KEEP_LINES = 64 };       /* the newest networks; older ones are forgotten */
	char path[512], tmp[530], prefix[400], line[512];
	char *keep[KEEP_LINES];
	int n = 0, was = transport_remembered(o, relay);
	FILE *f;

	/* tcp is tried first anyway: nothing to write until another tier won. */
	if (!state_path(o, path, sizeof(path)) || was == kind ||
	    (was == TRANSPORT_AUTO && kind == TRANSPORT_TCP))
		return;
	state_prefix(relay, prefix, sizeof(prefix));
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, prefix, strlen(prefix)) == 0 || strchr(line, '\n') == NULL)
				continue;
			if (n == KEEP_LINES - 1) {
				free(keep[0]);
				memmove(keep, keep + 1, sizeof(keep[0]) * (size_t)(n - 1));
				n--;
			}
			if ((keep[n] = strdup(line)) != NULL)
				n++;
		}
		fclose(f);
	}
	/* A new file renamed over the old: a reader never sees half of it. */
	make_dirs(path);
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	if ((f = fopen(tmp, "w")) != NULL) {
		for (int i = 0; i < n; i++)
			fputs(keep[i], f);
		fprintf(f, "%s%s\n", prefix, transport_kind_name(kind));
		if (fclose(f) != 0 || rename(tmp, path) != 0)
			unlink(tmp);
	}
	for (int i = 0; i < n; i++)
		free(keep[i]);
}
