/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop.c - the file drop's store (the contract and the files are in
 * drop.h): the directory, the drop key, the meta files, quotas, the
 * sweep.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sodium.h>

#include "drop.h"
#include "log.h"
#include "server.h"

#define DROP_KEY_FILE "drop-key"

struct drop {
	struct drop_config cfg;
	char *dir;                      /* our copy: cfg.dir is borrowed */
	int dirfd;
	uint8_t key[DROP_KEY_BYTES];
	struct drop_item *items;
	size_t count;
	uint64_t next_sweep_ms;
	struct drop_stats st;
	struct log_rl rl_disk;
	bool (*live)(void *arg, const struct drop_grant_of *g);
	void *live_arg;
};

void
drop_set_live(struct drop *d, bool (*live)(void *arg, const struct drop_grant_of *g), void *arg)
{
	d->live = live;
	d->live_arg = arg;
}

bool
drop_grant_live(const struct drop *d, const struct drop_grant_of *g)
{
	return d->live == NULL || d->live(d->live_arg, g);
}

const char *
drop_refusal_str(enum drop_refusal r)
{
	static const char *const names[DROP_REFUSALS] = {
		[DROP_R_REQUEST] = "request",
		[DROP_R_GRANT] = "grant",
		[DROP_R_SECRET] = "secret",
		[DROP_R_LINK] = "link",
		[DROP_R_EXPIRED] = "expired",
		[DROP_R_REVOKED] = "revoked",
		[DROP_R_USED_UP] = "used_up",
		[DROP_R_NOT_FOUND] = "not_found",
		[DROP_R_TOO_LARGE] = "too_large",
		[DROP_R_OFFSET] = "offset",
		[DROP_R_QUOTA_SESSION] = "quota_session",
		[DROP_R_QUOTA_ADDRESS] = "quota_address",
		[DROP_R_QUOTA_TOTAL] = "quota_total",
		[DROP_R_DISK_FULL] = "disk_full",
		[DROP_R_SYSTEM] = "system",
	};

	return (unsigned)r < DROP_REFUSALS ? names[r] : "?";
}

const uint8_t *
drop_key(const struct drop *d)
{
	return d->key;
}

const struct drop_config *
drop_config(const struct drop *d)
{
	return &d->cfg;
}

struct drop_stats *
drop_stats(struct drop *d)
{
	return &d->st;
}

static bool
disk_full(int e)
{
	return e == ENOSPC || e == EDQUOT;
}

/* "ID.ext" of it into name. */
static void
file_name(const struct drop_item *it, const char *ext, char name[64])
{
	char hex[2 * DROP_ID_BYTES + 1];

	sodium_bin2hex(hex, sizeof(hex), it->id, DROP_ID_BYTES);
	snprintf(name, 64, "%s.%s", hex, ext);
}

/* A file in the drop dir written whole, synced, then renamed over name. */
static int
write_atomic(struct drop *d, const char *name, const char *text, size_t n)
{
	char tmp[80];
	ssize_t w;
	size_t at = 0;
	int fd, e;

	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	if ((fd = openat(d->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		return disk_full(errno) ? ERR_NO_SPACE : ERR_SYSTEM;
	while (at < n) {
		if ((w = write(fd, text + at, n - at)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		at += (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(d->dirfd, tmp, d->dirfd, name) != 0)
		goto fail;
	(void)fsync(d->dirfd);
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	(void)unlinkat(d->dirfd, tmp, 0);
	errno = e;
	return disk_full(e) ? ERR_NO_SPACE : ERR_SYSTEM;
}

static int
save_meta(struct drop *d, const struct drop_item *it)
{
	char text[DROP_META_MAX_BYTES], name[64], addr[2 * sizeof(it->addr.a) + 1];
	size_t n;
	int r;

	sodium_bin2hex(addr, sizeof(addr), it->addr.a, sizeof(it->addr.a));
	n = (size_t)snprintf(text, sizeof(text),
	    "version=1\nnumber=%" PRIu32 "\naddress=%s\nsize=%" PRIu64 "\ncreated=%" PRId64
	    "\nexpires=%" PRId64 "\ndone=%d\nlinks=%u\nleft=", it->number, addr, it->size,
	    it->created_s, it->expires_s, it->done ? 1 : 0, it->links);
	for (unsigned i = 0; i < it->links && n < sizeof(text); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%u", i > 0 ? "," : "",
		    it->left[i]);
	if (n + 2 > sizeof(text))
		return ERR_INTERNAL;
	text[n++] = '\n';
	file_name(it, "meta", name);
	if ((r = write_atomic(d, name, text, n)) != 0)
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: cannot write %s: %s", d->dir, name,
		    strerror(errno));
	return r;
}

/* Forget it (the list's entry) and, with files, remove its files. */
static void
remove_item(struct drop *d, struct drop_item *it, bool files)
{
	struct drop_item **p;
	char name[64];

	for (p = &d->items; *p != NULL; p = &(*p)->next) {
		if (*p == it) {
			*p = it->next;
			break;
		}
	}
	d->count--;
	if (it->done) {
		d->st.files--;
		d->st.bytes -= it->size;
	} else {
		d->st.uploading--;
		d->st.reserved_bytes -= it->size;
	}
	if (files) {
		file_name(it, it->done ? "data" : "part", name);
		(void)unlinkat(d->dirfd, name, 0);
		file_name(it, "meta", name);
		(void)unlinkat(d->dirfd, name, 0);
		(void)fsync(d->dirfd);
	}
	free(it);
}

static void
add_item(struct drop *d, struct drop_item *it)
{
	it->next = d->items;
	d->items = it;
	d->count++;
	if (it->done) {
		d->st.files++;
		d->st.bytes += it->size;
	} else {
		d->st.uploading++;
		d->st.reserved_bytes += it->size;
	}
}

struct drop_item *
drop_find(struct drop *d, const uint8_t id[DROP_ID_BYTES])
{
	struct drop_item *it;

	for (it = d->items; it != NULL; it = it->next)
		if (memcmp(it->id, id, DROP_ID_BYTES) == 0)
			return it;
	return NULL;
}

/* Free bytes on the drop dir's file system, or UINT64_MAX when unknown. */
static uint64_t
disk_free(const struct drop *d)
{
	struct statvfs vfs;

	if (fstatvfs(d->dirfd, &vfs) != 0)
		return UINT64_MAX;
	return (uint64_t)vfs.f_bavail * vfs.f_frsize;
}

enum drop_refusal
drop_create(struct drop *d, uint32_t number, const struct limit_key *addr, uint64_t size,
    unsigned links, unsigned downloads, uint32_t ttl_s, int64_t now_s, struct drop_item **out)
{
	uint64_t by_number = 0, by_addr = 0, total = 0, owed = 0, free_b;
	unsigned n_number = 0, n_addr = 0;
	struct drop_item *it;
	char name[64];
	int fd, r;

	*out = NULL;
	for (it = d->items; it != NULL; it = it->next) {
		total += it->size;
		if (it->number == number)
			by_number += it->size, n_number++;
		if (memcmp(&it->addr, addr, sizeof(*addr)) == 0)
			by_addr += it->size, n_addr++;
		if (!it->done)
			owed += it->size - it->have;
	}
	/* sizes are at most DROP_SIZE_MAX_BYTES each, and few: no sum wraps */
	if (by_number + size > d->cfg.quota_session || n_number >= DROP_FILES_SESSION_MAX)
		return DROP_R_QUOTA_SESSION;
	if (by_addr + size > d->cfg.quota_address || n_addr >= DROP_FILES_ADDRESS_MAX)
		return DROP_R_QUOTA_ADDRESS;
	if (total + size > d->cfg.quota_total || d->count >= DROP_FILES_MAX)
		return DROP_R_QUOTA_TOTAL;
	free_b = disk_free(d);
	if (free_b != UINT64_MAX && free_b < owed + size + DROP_DISK_MARGIN_BYTES) {
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: an upload of %" PRIu64 " bytes "
		    "refused: %" PRIu64 " bytes free, %" PRIu64 " owed to uploads, margin %"
		    PRIu64, d->dir, size, free_b, owed, DROP_DISK_MARGIN_BYTES);
		return DROP_R_DISK_FULL;
	}
	if ((it = calloc(1, sizeof(*it))) == NULL)
		return DROP_R_SYSTEM;
	randombytes_buf(it->id, sizeof(it->id));
	it->number = number;
	it->addr = *addr;
	it->size = size;
	it->created_s = it->progress_s = now_s;
	it->expires_s = now_s + (int64_t)ttl_s;
	it->links = (uint8_t)links;
	for (unsigned i = 0; i < links; i++)
		it->left[i] = (uint8_t)downloads;
	file_name(it, "part", name);
	if ((fd = openat(d->dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1) {
		r = disk_full(errno) ? DROP_R_DISK_FULL : DROP_R_SYSTEM;
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: cannot create %s: %s", d->dir, name,
		    strerror(errno));
		free(it);
		return (enum drop_refusal)r;
	}
	close(fd);
	if ((r = save_meta(d, it)) != 0) {
		(void)unlinkat(d->dirfd, name, 0);
		free(it);
		return r == ERR_NO_SPACE ? DROP_R_DISK_FULL : DROP_R_SYSTEM;
	}
	add_item(d, it);
	*out = it;
	return 0;
}

int
drop_append(struct drop *d, struct drop_item *it, uint64_t off, const uint8_t *p, size_t n,
    int64_t now_s)
{
	char name[64], hex[2 * DROP_ID_BYTES + 1];
	size_t at = 0;
	ssize_t w;
	int fd, e;

	if (it->done || off != it->have)
		return ERR_PROTOCOL;
	if (n > it->size - it->have)
		return ERR_TOO_LARGE;
	file_name(it, "part", name);
	if ((fd = openat(d->dirfd, name, O_WRONLY | O_CLOEXEC)) == -1)
		goto fail;
	/* after a cut put the file may hold more than counted: write at have */
	while (at < n) {
		if ((w = pwrite(fd, p + at, n - at, (off_t)(it->have + at))) < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			errno = e;
			goto fail;
		}
		at += (size_t)w;
	}
	close(fd);
	it->have += n;
	it->progress_s = now_s;
	d->st.bytes_in += n;
	return 0;
fail:
	e = errno;
	sodium_bin2hex(hex, sizeof(hex), it->id, DROP_ID_BYTES);
	if (disk_full(e)) {
		log_warn("drop-dir %s: disk full (%s): upload %s deleted after %" PRIu64 " of %"
		    PRIu64 " bytes; stored files are untouched", d->dir, strerror(e), hex,
		    it->have, it->size);
		remove_item(d, it, true);
		return ERR_NO_SPACE;
	}
	log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: cannot write upload %s: %s", d->dir, hex,
	    strerror(e));
	return ERR_SYSTEM;
}

int
drop_finish(struct drop *d, struct drop_item *it)
{
	char part[64], data[64];
	int fd, r, e;

	if (it->done)
		return 0;
	if (it->have != it->size)
		return ERR_INCOMPLETE;
	file_name(it, "part", part);
	file_name(it, "data", data);
	if ((fd = openat(d->dirfd, part, O_WRONLY | O_CLOEXEC)) == -1 ||
	    ftruncate(fd, (off_t)it->size) != 0 || fsync(fd) != 0) {
		e = errno;
		if (fd >= 0)
			close(fd);
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: cannot sync %s: %s", d->dir, part,
		    strerror(e));
		return disk_full(e) ? ERR_NO_SPACE : ERR_SYSTEM;
	}
	close(fd);
	/* meta first: a crash before the rename finds done with a whole part */
	it->done = true;
	if ((r = save_meta(d, it)) != 0) {
		it->done = false;
		return r == ERR_NO_SPACE ? ERR_NO_SPACE : ERR_SYSTEM;
	}
	if (renameat(d->dirfd, part, d->dirfd, data) != 0) {
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: cannot rename %s: %s", d->dir, part,
		    strerror(errno));
		it->done = false;
		(void)save_meta(d, it);
		return ERR_SYSTEM;
	}
	(void)fsync(d->dirfd);
	d->st.uploading--;
	d->st.reserved_bytes -= it->size;
	d->st.files++;
	d->st.bytes += it->size;
	d->st.uploads++;
	return 0;
}

int
drop_take(struct drop *d, struct drop_item *it, unsigned index)
{
	int r;

	if (index >= it->links)
		return ERR_FORMAT;
	if (it->left[index] == 0)
		return ERR_LIMIT;
	/* saved before it is granted: a restart never gives a download back */
	it->left[index]--;
	if ((r = save_meta(d, it)) != 0) {
		it->left[index]++;
		return r;
	}
	d->st.downloads++;
	return 0;
}

int
drop_read(struct drop *d, const struct drop_item *it, uint64_t off, uint8_t *out, size_t max,
    size_t *got)
{
	char name[64];
	ssize_t n;
	int fd;

	*got = 0;
	if (!it->done || off > it->size)
		return ERR_PROTOCOL;
	if (max > it->size - off)
		max = (size_t)(it->size - off);
	if (max == 0)
		return 0;
	file_name(it, "data", name);
	if ((fd = openat(d->dirfd, name, O_RDONLY | O_CLOEXEC)) == -1) {
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: cannot open %s: %s", d->dir, name,
		    strerror(errno));
		return ERR_SYSTEM;
	}
	while (*got < max) {
		n = pread(fd, out + *got, max - *got, (off_t)(off + *got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*got += (size_t)n;
	}
	close(fd);
	if (*got != max) {
		log_rl(&d->rl_disk, LOG_WARN, "drop-dir %s: %s is shorter than its %" PRIu64
		    " bytes", d->dir, name, it->size);
		*got = 0;
		return ERR_SYSTEM;
	}
	d->st.bytes_out += max;
	return 0;
}

void
drop_sweep(struct drop *d, int64_t now_s, uint64_t mono_ms, bool force)
{
	struct drop_item *it, *next;
	char hex[2 * DROP_ID_BYTES + 1];

	if (!force && mono_ms < d->next_sweep_ms)
		return;
	d->next_sweep_ms = mono_ms + DROP_SWEEP_MS;
	for (it = d->items; it != NULL; it = next) {
		next = it->next;
		if (now_s >= it->expires_s ||
		    (!it->done && now_s - it->progress_s >= DROP_UPLOAD_STALE_S)) {
			sodium_bin2hex(hex, sizeof(hex), it->id, DROP_ID_BYTES);
			log_info("drop %s: %s, removed (%" PRIu64 " bytes)", hex,
			    now_s >= it->expires_s ? "expired" : "upload stalled", it->size);
			d->st.expired++;
			remove_item(d, it, true);
		}
	}
}

/* One meta file's text into it; false when it is not one we wrote. */
static bool
parse_meta(char *text, struct drop_item *it)
{
	unsigned seen = 0, links = 0;
	char *line, *save = NULL, *v, *end;
	unsigned long long n;

	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		if ((v = strchr(line, '=')) == NULL)
			return false;
		*v++ = '\0';
		if (strcmp(line, "address") == 0) {
			if (drop_hex(v, it->addr.a, sizeof(it->addr.a)) != 0)
				return false;
			seen |= 1;
			continue;
		}
		if (strcmp(line, "left") == 0) {
			for (links = 0; *v != '\0' && links < DROP_LINKS_MAX; links++) {
				errno = 0;
				n = strtoull(v, &end, 10);
				if (end == v || errno != 0 || n > DROP_DOWNLOADS_MAX ||
				    (*end != ',' && *end != '\0'))
					return false;
				it->left[links] = (uint8_t)n;
				v = *end == ',' ? end + 1 : end;
			}
			if (*v != '\0')
				return false;
			seen |= 2;
			continue;
		}
		errno = 0;
		n = strtoull(v, &end, 10);
		if (end == v || *end != '\0' || errno != 0)
			return false;
		if (strcmp(line, "version") == 0 && n == 1)
			seen |= 4;
		else if (strcmp(line, "number") == 0 && n <= UINT32_MAX)
			it->number = (uint32_t)n, seen |= 8;
		else if (strcmp(line, "size") == 0 && n >= 1 && n <= DROP_SIZE_MAX_BYTES)
			it->size = n, seen |= 16;
		else if (strcmp(line, "created") == 0 && n <= INT64_MAX)
			it->created_s = (int64_t)n, seen |= 32;
		else if (strcmp(line, "expires") == 0 && n <= INT64_MAX)
			it->expires_s = (int64_t)n, seen |= 64;
		else if (strcmp(line, "done") == 0 && n <= 1)
			it->done = n == 1, seen |= 128;
		else if (strcmp(line, "links") == 0 && n >= 1 && n <= DROP_LINKS_MAX)
			it->links = (uint8_t)n, seen |= 256;
		else
			return false;
	}
	return seen == 511 && links == it->links;
}

/* Size of name in the drop dir, or -1 when it is not a regular file. */
static int64_t
file_size(const struct drop *d, const char *name)
{
	struct stat st;

	if (fstatat(d->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return -1;
	return (int64_t)st.st_size;
}

/* Take the drop whose meta file is name (ID.meta), if it holds together. */
static void
load_one(struct drop *d, const char *name, int64_t now_s)
{
	char text[DROP_META_MAX_BYTES + 1], part[64], data[64];
	struct drop_item *it;
	ssize_t n;
	int64_t sz, psz;
	int fd;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return;
	if (strlen(name) != 2 * DROP_ID_BYTES + 5)
		goto bad;
	memcpy(text, name, 2 * DROP_ID_BYTES);
	text[2 * DROP_ID_BYTES] = '\0';
	if (drop_hex(text, it->id, DROP_ID_BYTES) != 0)
		goto bad;
	if ((fd = openat(d->dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		goto bad;
	n = read(fd, text, DROP_META_MAX_BYTES + 1);
	close(fd);
	if (n <= 0 || n > DROP_META_MAX_BYTES)
		goto bad;
	text[n] = '\0';
	if (!parse_meta(text, it))
		goto bad;
	file_name(it, "part", part);
	file_name(it, "data", data);
	sz = file_size(d, data);
	psz = file_size(d, part);
	if (it->done && sz < 0 && psz == (int64_t)it->size &&
	    renameat(d->dirfd, part, d->dirfd, data) == 0)
		sz = psz;       /* done was saved, the rename had not happened */
	if (it->done ? sz != (int64_t)it->size : psz < 0 || psz > (int64_t)it->size)
		goto bad;
	if (!it->done) {
		it->have = (uint64_t)psz;
		it->progress_s = now_s;         /* a restart is no stall of the uploader's */
	} else {
		it->have = it->size;
	}
	if (d->count >= DROP_FILES_MAX) {
		log_warn("drop-dir %s: more than %d drops: %s left alone", d->dir, DROP_FILES_MAX,
		    name);
		free(it);
		return;
	}
	add_item(d, it);
	return;
bad:
	log_warn("drop-dir %s: %s is not a drop's meta file, or its blob is missing: left alone",
	    d->dir, name);
	free(it);
}

/* Every ID.meta of the dir; leftovers of unfinished writes (*.tmp) go. */
static int
load_all(struct drop *d, int64_t now_s)
{
	struct dirent *e;
	DIR *dir;
	size_t n;
	int fd;

	if ((fd = dup(d->dirfd)) == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		log_error("drop-dir %s: %s", d->dir, strerror(errno));
		return ERR_SYSTEM;
	}
	while ((e = readdir(dir)) != NULL) {
		n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0)
			(void)unlinkat(d->dirfd, e->d_name, 0);
		else if (n > 5 && strcmp(e->d_name + n - 5, ".meta") == 0)
			load_one(d, e->d_name, now_s);
	}
	closedir(dir);
	return 0;
}

/* The key from state_dir/drop-key, made there when missing; else a new one. */
static int
load_key(struct drop *d, const char *state_dir)
{
	char path[4096];
	ssize_t n;
	int fd;

	if (state_dir == NULL) {
		randombytes_buf(d->key, sizeof(d->key));
		log_warn("file drop: no state-dir, so the drop key lives in memory: a restart "
		    "ends every grant and link");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", state_dir, DROP_KEY_FILE);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) >= 0) {
		n = read(fd, d->key, sizeof(d->key));
		close(fd);
		if (n != (ssize_t)sizeof(d->key)) {
			log_error("%s: not a drop key (%d bytes expected)", path, DROP_KEY_BYTES);
			return ERR_FORMAT;
		}
		return 0;
	}
	if (errno != ENOENT) {
		log_error("%s: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	randombytes_buf(d->key, sizeof(d->key));
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) == -1 ||
	    write(fd, d->key, sizeof(d->key)) != (ssize_t)sizeof(d->key) || fsync(fd) != 0) {
		log_error("%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			(void)unlink(path);
		}
		return ERR_SYSTEM;
	}
	close(fd);
	log_info("file drop: made a new drop key in %s", path);
	return 0;
}

struct drop *
drop_new(const struct drop_config *cfg, const char *state_dir, int64_t now_s)
{
	struct drop *d;
	struct stat st;

	if ((d = calloc(1, sizeof(*d))) == NULL || (d->dir = strdup(cfg->dir)) == NULL) {
		free(d);
		log_error("file drop: out of memory");
		return NULL;
	}
	d->cfg = *cfg;
	d->cfg.dir = d->dir;
	d->dirfd = -1;
	if (mkdir(d->dir, 0700) != 0 && errno != EEXIST) {
		log_error("drop-dir %s: cannot make it: %s", d->dir, strerror(errno));
		goto fail;
	}
	if ((d->dirfd = open(d->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    fstat(d->dirfd, &st) != 0) {
		log_error("drop-dir %s: %s", d->dir, strerror(errno));
		goto fail;
	}
	if ((st.st_mode & 077) != 0)
		log_warn("drop-dir %s: others may list it (mode %o); chmod 700 %s", d->dir,
		    (unsigned)(st.st_mode & 0777), d->dir);
	if (load_key(d, state_dir) != 0 || load_all(d, now_s) != 0)
		goto fail;
	drop_sweep(d, now_s, 0, true);
	log_info("file drop: %s, %" PRIu64 " blobs (%" PRIu64 " bytes), %" PRIu64
	    " unfinished uploads", d->dir, d->st.files, d->st.bytes, d->st.uploading);
	return d;
fail:
	drop_free(d);
	return NULL;
}

void
drop_free(struct drop *d)
{
	struct drop_item *it, *next;

	if (d == NULL)
		return;
	for (it = d->items; it != NULL; it = next) {
		next = it->next;
		free(it);
	}
	if (d->dirfd >= 0)
		close(d->dirfd);
	sodium_memzero(d->key, sizeof(d->key));
	free(d->dir);
	free(d);
}

int
drop_reload_check(void *arg, const struct server_config *cfg, char *why, size_t why_len)
{
	const struct drop_config *c = &cfg->drop;

	(void)arg;
	if (c->dir != NULL && (c->max_file == 0 || c->quota_session == 0 ||
	    c->quota_address == 0 || c->quota_total == 0 || c->max_ttl_s == 0)) {
		snprintf(why, why_len, "file drop: a limit of 0");
		return ERR_FORMAT;
	}
	return 0;
}

void
drop_reload_apply(void *arg, const struct server_config *cfg)
{
	struct drop *d = arg;
	const struct drop_config *c = &cfg->drop;

	if (c->dir == NULL || strcmp(c->dir, d->dir) != 0) {
		log_warn("drop-dir: a change needs a restart; still %s", d->dir);
		if (c->dir == NULL)
			return;
	}
	d->cfg.max_file = c->max_file;
	d->cfg.quota_session = c->quota_session;
	d->cfg.quota_address = c->quota_address;
	d->cfg.quota_total = c->quota_total;
	d->cfg.max_ttl_s = c->max_ttl_s;
}
