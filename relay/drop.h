/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.h - the file drop's store (docs/relay.md "File drop"): encrypted
 * blobs the relay cannot read, in drop-dir, with their quotas, expiry and
 * downloads left. The HTTP requests that use it are drop_http.c's; the
 * credentials (grants, secrets, links) drop_token.h's, made with the key
 * this store keeps.
 *
 * On disk, per drop ID (32 hex digits), in a directory made 0700:
 *   ID.part   the blob while it is uploaded (appended to)
 *   ID.data   the whole blob, synced before it got this name
 *   ID.meta   "key=value" lines: number, address, size, created,
 *             expires, links, left (downloads left per link), done;
 *             every change is a new file (ID.meta.tmp), synced and
 *             renamed over the old
 * Files of other names are left alone; *.tmp is a write that did not
 * finish, removed at start. The store reads the directory at start and
 * keeps every drop in memory from then on (at most DROP_FILES_MAX).
 *
 * A full disk (ENOSPC, EDQUOT) while an upload is written deletes that
 * upload only: what is stored already is never touched.
 *
 * Everything runs on the relay's loop; disk I/O is synchronous (a put is
 * at most DROP_PART_MAX_BYTES, and done syncs one file).
 */
#ifndef RELAY_DROP_H
#define RELAY_DROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drop_token.h"
#include "err.h"
#include "limit.h"
#include "limits.h"

struct server_config;

/* What an operator sets (relay.conf keys drop-*); dir NULL: no drop. */
struct drop_config {
	const char *dir;
	uint64_t max_file;              /* one blob's size */
	uint64_t quota_session;         /* stored and reserved per session number */
	uint64_t quota_address;         /* per client address (limit_key: IPv6 /64) */
	uint64_t quota_total;           /* in all */
	uint32_t max_ttl_s;
};

/* Why a request was refused: /metrics' label (drop_refusal_str). */
enum drop_refusal {
	DROP_R_REQUEST,                 /* malformed, or a parameter out of range */
	DROP_R_GRANT,                   /* a grant that does not verify */
	DROP_R_SECRET,                  /* a put or get secret that does not verify */
	DROP_R_LINK,                    /* a link that does not verify */
	DROP_R_EXPIRED,                 /* grant, link or get secret expired */
	DROP_R_REVOKED,                 /* a grant its host renewed, or of a session not here */
	DROP_R_USED_UP,                 /* a link with no download left */
	DROP_R_NOT_FOUND,
	DROP_R_TOO_LARGE,               /* over drop-max-file, or past the size */
	DROP_R_OFFSET,                  /* a put or get at the wrong offset */
	DROP_R_QUOTA_SESSION,           /* bytes, or DROP_FILES_SESSION_MAX */
	DROP_R_QUOTA_ADDRESS,           /* bytes, or DROP_FILES_ADDRESS_MAX */
	DROP_R_QUOTA_TOTAL,             /* or DROP_FILES_MAX */
	DROP_R_DISK_FULL,               /* free space, ENOSPC or EDQUOT */
	DROP_R_SYSTEM,                  /* any other failing system call */
	DROP_REFUSALS
};

/* For /metrics. */
struct drop_stats {
	uint64_t files;                 /* complete blobs stored now */
	uint64_t bytes;                 /* their bytes */
	uint64_t uploading;             /* uploads not done */
	uint64_t reserved_bytes;        /* their announced sizes */
	uint64_t uploads;               /* completed since start */
	uint64_t downloads;             /* claims granted since start */
	uint64_t bytes_in, bytes_out;   /* put and get bodies */
	uint64_t expired;               /* drops the sweep removed */
	uint64_t refused[DROP_REFUSALS];
};

struct drop_item {
	uint8_t id[DROP_ID_BYTES];
	uint32_t number;                /* the grant's session number */
	struct limit_key addr;          /* the uploader's */
	uint64_t size;                  /* announced; reserved against the quotas */
	uint64_t have;                  /* bytes stored */
	int64_t created_s, expires_s;
	int64_t progress_s;             /* last put (uploads), for the stale sweep */
	bool done;
	uint8_t links;
	uint8_t left[DROP_LINKS_MAX];   /* downloads left per link */
	struct drop_item *next;
};

struct drop;

/*
 * Open (make, 0700) cfg->dir, take the drop key from state_dir/drop-key
 * (made 0600 when missing; state_dir NULL: a new key in memory, so every
 * grant and link dies with the process), read the drops there and sweep.
 * NULL when something failed: logged.
 */
struct drop *drop_new(const struct drop_config *cfg, const char *state_dir, int64_t now_s);
void drop_free(struct drop *d);         /* NULL is fine */
/* Who says whether a grant that verifies is for a session live here, in
 * its current generation (route_grant_live); unset, every one is. */
void drop_set_live(struct drop *d, bool (*live)(void *arg, const struct drop_grant_of *g),
    void *arg);
bool drop_grant_live(const struct drop *d, const struct drop_grant_of *g);
const uint8_t *drop_key(const struct drop *d);
const struct drop_config *drop_config(const struct drop *d);
struct drop_stats *drop_stats(struct drop *d);
const char *drop_refusal_str(enum drop_refusal r);

/* Remove what expired, and uploads without progress for DROP_UPLOAD_STALE_S;
 * at most once per DROP_SWEEP_MS of mono_ms unless force. */
void drop_sweep(struct drop *d, int64_t now_s, uint64_t mono_ms, bool force);

struct drop_item *drop_find(struct drop *d, const uint8_t id[DROP_ID_BYTES]);
/*
 * A new upload of size bytes from addr under session number: checks the
 * quotas and free space, writes its meta and an empty part. 0 (*out set),
 * or the refusal (DROP_R_QUOTA_*, DROP_R_DISK_FULL, DROP_R_SYSTEM).
 */
enum drop_refusal drop_create(struct drop *d, uint32_t number, const struct limit_key *addr,
    uint64_t size, unsigned links, unsigned downloads, uint32_t ttl_s, int64_t now_s,
    struct drop_item **out) WUR;
/*
 * Append n bytes at off to an upload. 0; ERR_PROTOCOL: off is not
 * it->have (or it is done); ERR_TOO_LARGE: past its size; ERR_NO_SPACE:
 * the disk is full, and the upload is gone (it is freed); ERR_SYSTEM.
 */
int drop_append(struct drop *d, struct drop_item *it, uint64_t off, const uint8_t *p, size_t n,
    int64_t now_s) WUR;
/* All bytes there: sync, mark done, name it ID.data. 0; ERR_INCOMPLETE;
 * ERR_NO_SPACE or ERR_SYSTEM (the upload stays, done may be asked again). */
int drop_finish(struct drop *d, struct drop_item *it) WUR;
/* One download of link index: 0; ERR_LIMIT: used up; ERR_FORMAT: no such
 * link; ERR_NO_SPACE / ERR_SYSTEM: the count could not be saved (not taken). */
int drop_take(struct drop *d, struct drop_item *it, unsigned index) WUR;
/* Up to max bytes of a done blob from off. 0 (*got, 0 at the end). */
int drop_read(struct drop *d, const struct drop_item *it, uint64_t off, uint8_t *out,
    size_t max, size_t *got) WUR;

/* The reload hooks (struct reload_hook): the limits change live; the
 * directory only with a restart (logged). */
int drop_reload_check(void *d, const struct server_config *cfg, char *why, size_t why_len);
void drop_reload_apply(void *d, const struct server_config *cfg);

#endif
