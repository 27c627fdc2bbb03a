/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_memory.c - which tier won on which network (transport.h):
 * one line per network and relay in a small state file, so the next start
 * tries the winner first instead of racing all tiers again; and the same
 * for which relay of a list won.
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

/* "net=NET KEY=VALUE WHAT=": the start of the line for KEY=VALUE on this network. */
static void
state_prefix(const char *key, const char *value, const char *what, char *out, size_t out_len)
{
	char net[96];

	transport_network_key(net, sizeof(net));
	snprintf(out, out_len, "net=%s %s=%s %s=", net, key, value, what);
}

/* What the newest line beginning with prefix says after it, into out ("" for none). */
static void
recall(const struct transport_opts *o, const char *prefix, char *out, size_t out_len)
{
	char path[512], line[TRANSPORT_STATE_LINE_MAX];
	size_t n = strlen(prefix);
	FILE *f;

	out[0] = '\0';
	if (!state_path(o, path, sizeof(path)) || (f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strchr(line, '\n') == NULL)
			continue;       /* cut: not ours */
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, prefix, n) == 0)
			snprintf(out, out_len, "%s", line + n);
	}
	fclose(f);
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

/* The line prefix + value instead of any earlier one with that prefix. */
static void
write_line(const struct transport_opts *o, const char *prefix, const char *value)
{
	enum { KEEP_LINES = 64 };       /* the newest networks; older ones are forgotten */
	char path[512], tmp[530], line[TRANSPORT_STATE_LINE_MAX];
	char *keep[KEEP_LINES];
	int n = 0;
	FILE *f;

	if (!state_path(o, path, sizeof(path)))
		return;
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, prefix, strlen(prefix)) == 0 ||
			    strchr(line, '\n') == NULL)
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
		fprintf(f, "%s%s\n", prefix, value);
		if (fclose(f) != 0 || rename(tmp, path) != 0)
			unlink(tmp);
	}
	for (int i = 0; i < n; i++)
		free(keep[i]);
}

int
transport_remembered(const struct transport_opts *o, const char *relay)
{
	char prefix[400], tier[32];
	int kind;

	state_prefix("relay", relay, "tier", prefix, sizeof(prefix));
	recall(o, prefix, tier, sizeof(tier));
	kind = tier[0] != '\0' ? transport_kind_parse(tier) : TRANSPORT_AUTO;
	return kind >= 0 ? kind : TRANSPORT_AUTO;
}

void
transport_remember(const struct transport_opts *o, const char *relay, int kind)
{
	char prefix[400];
	int was = transport_remembered(o, relay);

	/* tcp is tried first anyway: nothing to write until another tier won. */
	if (was == kind || (was == TRANSPORT_AUTO && kind == TRANSPORT_TCP))
		return;
	state_prefix("relay", relay, "tier", prefix, sizeof(prefix));
	write_line(o, prefix, transport_kind_name(kind));
}

void
transport_remembered_relay(const struct transport_opts *o, const char *list, char *out,
    size_t out_len)
{
	char prefix[TRANSPORT_STATE_LINE_MAX];

	out[0] = '\0';
	if (list[0] == '\0')
		return;
	state_prefix("relays", list, "first", prefix, sizeof(prefix));
	recall(o, prefix, out, out_len);
}

void
transport_remember_relay(const struct transport_opts *o, const char *list, const char *relay)
{
	char prefix[TRANSPORT_STATE_LINE_MAX], was[400];

	transport_remembered_relay(o, list, was, sizeof(was));
	if (list[0] == '\0' || strcmp(was, relay) == 0)
		return;
	state_prefix("relays", list, "first", prefix, sizeof(prefix));
	write_line(o, prefix, relay);
}
