/* SPDX-License-Identifier: Apache-2.0 */
/*
 * metrics.c - the relay's counters and their Prometheus text (metrics.h).
 * Names are fernsicht_relay_*, counters end in _total, every family has
 * its HELP and TYPE lines (promtool check metrics is part of the tests).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drop.h"
#include "err.h"
#include "metrics.h"
#include "msg.h"
#include "wire.h"

#ifndef FERNSICHT_VERSION
#define FERNSICHT_VERSION "unknown"
#endif

struct relay_metrics relay_metrics;

/* The label of an ERROR code: its WIRE_E_ name in lower case. */
static const char *const code_names[] = {
	[WIRE_E_NONE] = "none", [WIRE_E_PROTOCOL] = "protocol", [WIRE_E_VERSION] = "version",
	[WIRE_E_NO_SESSION] = "no_session", [WIRE_E_FULL] = "full", [WIRE_E_RATE] = "rate",
	[WIRE_E_TOO_LARGE] = "too_large", [WIRE_E_TIMEOUT] = "timeout", [WIRE_E_SLOW] = "slow",
	[WIRE_E_KICKED] = "kicked", [WIRE_E_ENDED] = "ended",
	[WIRE_E_MASTER_GONE] = "master_gone", [WIRE_E_SHUTDOWN] = "shutdown",
	[WIRE_E_BUSY] = "busy", [WIRE_E_CLOSED] = "closed", [WIRE_E_DIRECTORY] = "directory",
	[WIRE_E_AWAY] = "away", [WIRE_E_RESUME] = "resume", [WIRE_E_TOKEN] = "token",
};

static const char *const abort_names[] = {
	[MSG_ABORT_CONFIRM] = "confirm", [MSG_ABORT_VERSION] = "version",
	[MSG_ABORT_DENIED] = "denied", [MSG_ABORT_LOCKED] = "locked",
	[MSG_ABORT_LEAVING] = "leaving", [MSG_ABORT_PROTOCOL] = "protocol",
	[MSG_ABORT_KICKED] = "kicked", [MSG_ABORT_ENDED] = "ended",
};

static const char *const tier_names[METRICS_TIERS] = {
	[METRICS_TCP] = "tcp", [METRICS_TLS] = "tls", [METRICS_HTTP] = "http",
	[METRICS_HTTPS] = "https",
};

static const char *const dir_names[METRICS_DIRS] = {
	[METRICS_TO_MASTER] = "to_master", [METRICS_TO_VIEWER] = "to_viewer",
};

const char *
metrics_tier_str(enum metrics_tier t)
{
	return t < METRICS_TIERS ? tier_names[t] : "?";
}

void
metrics_refusal(uint16_t code)
{
	relay_metrics.refusals[code < METRICS_CODES ? code : METRICS_CODES]++;
}

/* The text goes out in pieces; the first failure sticks. */
struct out {
	struct buf *b;
	int err;
};

static void __attribute__((format(printf, 2, 3)))
put(struct out *o, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	if (o->err != 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line)) {
		o->err = ERR_INTERNAL;
		return;
	}
	o->err = buf_put_bytes(o->b, line, (size_t)n);
}

static void
family(struct out *o, const char *name, const char *type, const char *help)
{
	put(o, "# HELP fernsicht_relay_%s %s\n# TYPE fernsicht_relay_%s %s\n", name, help, name,
	    type);
}

static void
one(struct out *o, const char *name, const char *type, const char *help, uint64_t v)
{
	family(o, name, type, help);
	put(o, "fernsicht_relay_%s %llu\n", name, (unsigned long long)v);
}

/* Resident memory in bytes: statm's second field is in pages. */
static uint64_t
rss_bytes(void)
{
	unsigned long size, resident;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f = fopen("/proc/self/statm", "r");
	int n;

	if (f == NULL)
		return 0;
	n = fscanf(f, "%lu %lu", &size, &resident);
	fclose(f);
	return n == 2 && page > 0 ? (uint64_t)resident * (uint64_t)page : 0;
}

/* Open file descriptors: the entries of /proc/self/fd, less the one reading it. */
static uint64_t
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	uint64_t n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n - 1 : 0;
}

static void
by_code(struct out *o)
{
	const struct relay_metrics *m = &relay_metrics;
	size_t k;

	family(o, "refusals_total", "counter",
	    "Connections closed with a wire error (an ERROR frame where the transport "
	    "carries one) or refused at accept, by the error's name.");
	for (k = 1; k < METRICS_CODES; k++) {
		if (k < sizeof(code_names) / sizeof(code_names[0]) && code_names[k] != NULL)
			put(o, "fernsicht_relay_refusals_total{reason=\"%s\"} %llu\n",
			    code_names[k], (unsigned long long)m->refusals[k]);
		else if (m->refusals[k] != 0)
			put(o, "fernsicht_relay_refusals_total{reason=\"code_%zu\"} %llu\n", k,
			    (unsigned long long)m->refusals[k]);
	}
	if (m->refusals[METRICS_CODES] != 0)
		put(o, "fernsicht_relay_refusals_total{reason=\"other\"} %llu\n",
		    (unsigned long long)m->refusals[METRICS_CODES]);
	family(o, "hs_aborts_total", "counter",
	    "Clear HS_ABORT records the relay forwarded, by reason (a wrong code: confirm).");
	for (k = 1; k < sizeof(abort_names) / sizeof(abort_names[0]); k++)
		put(o, "fernsicht_relay_hs_aborts_total{reason=\"%s\"} %llu\n", abort_names[k],
		    (unsigned long long)m->hs_aborts[k]);
	put(o, "fernsicht_relay_hs_aborts_total{reason=\"other\"} %llu\n",
	    (unsigned long long)m->hs_aborts[METRICS_ABORTS] + m->hs_aborts[0]);
}

/* The file drop's, when this relay keeps one (drop-dir). */
static void
drop_metrics(struct out *o, const struct drop_stats *s)
{
	unsigned r;

	one(o, "drop_files", "gauge", "File drop: complete blobs stored.", s->files);
	one(o, "drop_bytes", "gauge", "File drop: bytes of the blobs stored.", s->bytes);
	one(o, "drop_uploading", "gauge", "File drop: uploads under way.", s->uploading);
	one(o, "drop_reserved_bytes", "gauge", "File drop: sizes announced by those uploads.",
	    s->reserved_bytes);
	one(o, "drop_uploads_total", "counter", "File drop: uploads completed.", s->uploads);
	one(o, "drop_downloads_total", "counter", "File drop: downloads granted (links claimed).",
	    s->downloads);
	family(o, "drop_transfer_bytes_total", "counter",
	    "File drop: bytes of put (in) and get (out) bodies.");
	put(o, "fernsicht_relay_drop_transfer_bytes_total{direction=\"in\"} %llu\n",
	    (unsigned long long)s->bytes_in);
	put(o, "fernsicht_relay_drop_transfer_bytes_total{direction=\"out\"} %llu\n",
	    (unsigned long long)s->bytes_out);
	one(o, "drop_expired_total", "counter", "File drop: drops the sweep removed.",
	    s->expired);
	family(o, "drop_refusals_total", "counter", "File drop: requests refused, by reason.");
	for (r = 0; r < DROP_REFUSALS; r++)
		put(o, "fernsicht_relay_drop_refusals_total{reason=\"%s\"} %llu\n",
		    drop_refusal_str((enum drop_refusal)r), (unsigned long long)s->refused[r]);
}

int
metrics_render(struct buf *b, const struct metrics_gauges *g)
{
	const struct relay_metrics *m = &relay_metrics;
	struct out o = { .b = b };
	unsigned d, t;

	family(&o, "build_info", "gauge", "The relay's version; always 1.");
	put(&o, "fernsicht_relay_build_info{version=\"%s\"} 1\n", FERNSICHT_VERSION);
	family(&o, "uptime_seconds", "gauge", "Seconds since the relay started.");
	put(&o, "fernsicht_relay_uptime_seconds %.3f\n", g->uptime_s);
	one(&o, "draining", "gauge", "1 while the relay drains (no new sessions).",
	    g->draining ? 1 : 0);
	one(&o, "sessions", "gauge", "Sessions live on this relay.", g->sessions);
	one(&o, "viewers", "gauge", "Viewers in those sessions.", g->viewers);
	one(&o, "numbers_held", "gauge", "Session numbers this relay holds (live or away).",
	    g->numbers_held);
	one(&o, "sessions_started_total", "counter", "New sessions (a new number handed out).",
	    m->sessions_started);
	one(&o, "sessions_resumed_total", "counter", "Sessions resumed with their ticket.",
	    m->sessions_resumed);
	one(&o, "joins_total", "counter", "Viewers let into a session.", m->joins);
	family(&o, "data_bytes_total", "counter",
	    "DATA frame bodies forwarded, by direction and the receiver's tier.");
	for (d = 0; d < METRICS_DIRS; d++)
		for (t = 0; t < METRICS_TIERS; t++)
			put(&o, "fernsicht_relay_data_bytes_total{direction=\"%s\",tier=\"%s\"} "
			    "%llu\n", dir_names[d], tier_names[t],
			    (unsigned long long)m->bytes[d][t]);
	family(&o, "data_frames_total", "counter",
	    "DATA frames forwarded, by direction and the receiver's tier.");
	for (d = 0; d < METRICS_DIRS; d++)
		for (t = 0; t < METRICS_TIERS; t++)
			put(&o, "fernsicht_relay_data_frames_total{direction=\"%s\",tier=\"%s\"} "
			    "%llu\n", dir_names[d], tier_names[t],
			    (unsigned long long)m->frames[d][t]);
	by_code(&o);
	one(&o, "rate_limited_total", "counter",
	    "Connections, joins and lookups over an address's limits.", m->rate_limited);
	one(&o, "frames_dropped_total", "counter", "DATA frames to a slot just emptied.",
	    m->frames_dropped);
	one(&o, "evictions_total", "counter",
	    "Readers closed for a full queue or a stalled write.", m->evictions);
	family(&o, "connections_total", "counter", "Client connections, by tier.");
	for (t = 0; t < METRICS_TIERS; t++)
		put(&o, "fernsicht_relay_connections_total{tier=\"%s\"} %llu\n", tier_names[t],
		    (unsigned long long)m->connections[t]);
	family(&o, "connections_open", "gauge",
	    "Client connections open now, by tier (none: not sniffed yet or closing).");
	for (t = 0; t < METRICS_TIERS; t++)
		put(&o, "fernsicht_relay_connections_open{tier=\"%s\"} %llu\n", tier_names[t],
		    (unsigned long long)g->open[t]);
	put(&o, "fernsicht_relay_connections_open{tier=\"none\"} %llu\n",
	    (unsigned long long)g->open_other);
	one(&o, "admin_requests_total", "counter", "Admin requests answered.", m->admin_requests);
	one(&o, "admin_refused_total", "counter",
	    "Admin requests refused: unsigned, bad signature, stale, replayed, wrong scope.",
	    m->admin_refused);
	if (g->drop != NULL)
		drop_metrics(&o, g->drop);
	one(&o, "open_fds", "gauge", "Open file descriptors.", open_fds());
	one(&o, "resident_memory_bytes", "gauge", "Resident memory (from /proc/self/statm).",
	    rss_bytes());
	return o.err;
}
