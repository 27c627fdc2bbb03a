/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "limits.h"
#include "log.h"
#include "numbers.h"

#define NUMBERS_COUNT (SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1)
#define NUMBERS_FILE "numbers"

/* Random picks before the scan: with a nearly full space they mostly miss.
 * A line is "NUMBER TIME HASH": 5 + 1 + 20 + 1 + 64 and a newline at most. */
enum { NUMBERS_TRIES = 64, NUMBERS_LINE_MAX = 128 };

enum { NUM_FREE, NUM_LIVE, NUM_AWAY, NUM_RETIRED };

#define GRACE_S ((int64_t)RELAY_RESUME_GRACE_MS / 1000)

struct numbers {
	char *path;                     /* NULL: no state dir */
	char *tmp;
	uint8_t state[NUMBERS_COUNT];
	int64_t at[NUMBERS_COUNT];      /* retired: since when; away: resumable until */
	uint8_t (*hash)[TICKET_HASH_LEN];       /* live and away: their ticket's */
	size_t live, away;
	bool dirty;
};

static bool
cooling(const struct numbers *ns, size_t i, int64_t now_s)
{
	return ns->state[i] == NUM_RETIRED &&
	    now_s - ns->at[i] < RELAY_RETIRE_COOLDOWN_S;
}

/* Exactly "digits space digits [space hash]": anything else is garbage
 * and skipped. *has_hash says whether the hash was there. */
static int
parse_line(const char *s, uint32_t *n, int64_t *t, bool *has_hash, uint8_t hash[TICKET_HASH_LEN])
{
	char *end;
	unsigned long v;
	long long w;
	size_t k;

	if (*s < '0' || *s > '9')
		return ERR_FORMAT;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != ' ' || v < SESSION_NUMBER_MIN || v > SESSION_NUMBER_MAX)
		return ERR_FORMAT;
	s = end + 1;
	if (*s < '0' || *s > '9')
		return ERR_FORMAT;
	w = strtoll(s, &end, 10);
	if (errno != 0)
		return ERR_FORMAT;
	*has_hash = *end == ' ';
	if (*has_hash) {
		s = end + 1;
		k = strcspn(s, "\n");
		if (s[k] != '\n' && s[k] != '\0')
			return ERR_FORMAT;
		if (ticket_hash_parse(s, k, hash) != 0)
			return ERR_FORMAT;
	} else if (*end != '\n' && *end != '\0') {
		return ERR_FORMAT;
	}
	*n = (uint32_t)v;
	*t = (int64_t)w;
	return 0;
}

static void
load(struct numbers *ns, int64_t now_s)
{
	uint8_t hash[TICKET_HASH_LEN];
	char line[NUMBERS_LINE_MAX];
	size_t count = 0, bad = 0, i;
	bool whole = true, has_hash;
	uint32_t n;
	int64_t t;
	FILE *f;

	if ((f = fopen(ns->path, "re")) == NULL) {
		if (errno != ENOENT)
			log_warn("cannot read %s: %s", ns->path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL && count < RELAY_RETIRED_MAX) {
		bool was_whole = whole;

		/* a line longer than the buffer is garbage, all of its pieces */
		whole = strchr(line, '\n') != NULL || feof(f);
		if (!was_whole || !whole || parse_line(line, &n, &t, &has_hash, hash) != 0) {
			if (was_whole)
				bad++;
			continue;
		}
		i = n - SESSION_NUMBER_MIN;
		if (has_hash) {
			/* held when written: its master may come back for the grace */
			if (ns->state[i] != NUM_AWAY) {
				ns->state[i] = NUM_AWAY;
				ns->away++;
				count++;
			}
			ns->at[i] = now_s + GRACE_S;
			memcpy(ns->hash[i], hash, TICKET_HASH_LEN);
			continue;
		}
		if (t > now_s)          /* the clock went back, or garbage: cool from now */
			t = now_s;
		if (now_s - t >= RELAY_RETIRE_COOLDOWN_S)
			continue;
		if (ns->state[i] == NUM_AWAY ||
		    (ns->state[i] == NUM_RETIRED && ns->at[i] >= t))
			continue;
		if (ns->state[i] == NUM_FREE)
			count++;
		ns->state[i] = NUM_RETIRED;
		ns->at[i] = t;
	}
	fclose(f);
	sodium_memzero(hash, sizeof(hash));
	if (bad > 0)
		log_warn("%s: skipped %zu malformed lines", ns->path, bad);
	log_info("loaded %zu numbers from %s: %zu held away (resumable for %lld s), the "
	    "others cooling", count, ns->path, ns->away, (long long)GRACE_S);
}

struct numbers *
numbers_new(const char *state_dir, int64_t now_s)
{
	struct numbers *ns;

	if ((ns = calloc(1, sizeof(*ns))) == NULL)
		return NULL;
	/* untouched pages until numbers are held: calloc's memory stays unmapped */
	if ((ns->hash = calloc(NUMBERS_COUNT, sizeof(*ns->hash))) == NULL) {
		free(ns);
		return NULL;
	}
	if (state_dir != NULL) {
		if (asprintf(&ns->path, "%s/%s", state_dir, NUMBERS_FILE) < 0 ||
		    asprintf(&ns->tmp, "%s/%s.tmp", state_dir, NUMBERS_FILE) < 0) {
			ns->tmp = NULL;
			numbers_free(ns);
			return NULL;
		}
		load(ns, now_s);
	}
	return ns;
}

void
numbers_free(struct numbers *ns)
{
	if (ns == NULL)
		return;
	free(ns->path);
	free(ns->tmp);
	free(ns->hash);
	free(ns);
}

static bool
usable(const struct numbers *ns, size_t i, int64_t now_s)
{
	return ns->state[i] == NUM_FREE || (ns->state[i] == NUM_RETIRED && !cooling(ns, i, now_s));
}

int
numbers_alloc(struct numbers *ns, int64_t now_s, const uint8_t hash[TICKET_HASH_LEN],
    uint32_t *out)
{
	size_t i, k, start;
	int tries;

	*out = 0;
	for (tries = 0; tries < NUMBERS_TRIES; tries++) {
		i = randombytes_uniform(NUMBERS_COUNT);
		if (usable(ns, i, now_s))
			goto found;
	}
	/* a crowded space: walk it once from a random place */
	start = randombytes_uniform(NUMBERS_COUNT);
	for (k = 0; k < NUMBERS_COUNT; k++) {
		i = (start + k) % NUMBERS_COUNT;
		if (usable(ns, i, now_s))
			goto found;
	}
	return ERR_LIMIT;
found:
	ns->state[i] = NUM_LIVE;
	ns->at[i] = 0;
	memcpy(ns->hash[i], hash, TICKET_HASH_LEN);
	ns->live++;
	ns->dirty = true;
	*out = (uint32_t)(i + SESSION_NUMBER_MIN);
	return 0;
}

void
numbers_retire(struct numbers *ns, uint32_t n, int64_t now_s)
{
	size_t i;

	BUG_ON(n < SESSION_NUMBER_MIN || n > SESSION_NUMBER_MAX);
	i = n - SESSION_NUMBER_MIN;
	if (ns->state[i] == NUM_LIVE)
		ns->live--;
	else if (ns->state[i] == NUM_AWAY)
		ns->away--;
	ns->state[i] = NUM_RETIRED;
	ns->at[i] = now_s;
	sodium_memzero(ns->hash[i], TICKET_HASH_LEN);
	ns->dirty = true;
}

void
numbers_away(struct numbers *ns, uint32_t n, int64_t now_s)
{
	size_t i;

	BUG_ON(n < SESSION_NUMBER_MIN || n > SESSION_NUMBER_MAX);
	i = n - SESSION_NUMBER_MIN;
	if (ns->state[i] != NUM_LIVE)
		return;
	ns->state[i] = NUM_AWAY;
	ns->at[i] = now_s + GRACE_S;
	ns->live--;
	ns->away++;
	ns->dirty = true;
}

int
numbers_resume(struct numbers *ns, uint32_t n, const uint8_t hash[TICKET_HASH_LEN],
    int64_t now_s)
{
	size_t i;

	if (n < SESSION_NUMBER_MIN || n > SESSION_NUMBER_MAX)
		return ERR_AUTH;
	i = n - SESSION_NUMBER_MIN;
	if (ns->state[i] != NUM_LIVE && (ns->state[i] != NUM_AWAY || now_s >= ns->at[i]))
		return ERR_AUTH;
	if (!ticket_hash_equal(ns->hash[i], hash))
		return ERR_AUTH;
	if (ns->state[i] == NUM_AWAY) {
		ns->state[i] = NUM_LIVE;
		ns->at[i] = 0;
		ns->away--;
		ns->live++;
		ns->dirty = true;
	}
	return 0;
}

size_t
numbers_expire(struct numbers *ns, int64_t now_s)
{
	size_t i, n = 0;

	for (i = 0; i < NUMBERS_COUNT && ns->away > 0; i++) {
		if (ns->state[i] != NUM_AWAY || now_s < ns->at[i])
			continue;
		/* its last chance of use was the end of the grace: cool from there */
		numbers_retire(ns, (uint32_t)(i + SESSION_NUMBER_MIN), ns->at[i]);
		n++;
	}
	return n;
}

bool
numbers_live(const struct numbers *ns, uint32_t n)
{
	return n >= SESSION_NUMBER_MIN && n <= SESSION_NUMBER_MAX &&
	    ns->state[n - SESSION_NUMBER_MIN] == NUM_LIVE;
}

bool
numbers_is_away(const struct numbers *ns, uint32_t n)
{
	return n >= SESSION_NUMBER_MIN && n <= SESSION_NUMBER_MAX &&
	    ns->state[n - SESSION_NUMBER_MIN] == NUM_AWAY;
}

bool
numbers_cooling(const struct numbers *ns, uint32_t n, int64_t now_s)
{
	return n >= SESSION_NUMBER_MIN && n <= SESSION_NUMBER_MAX &&
	    cooling(ns, n - SESSION_NUMBER_MIN, now_s);
}

size_t
numbers_live_count(const struct numbers *ns)
{
	return ns->live;
}

size_t
numbers_held_count(const struct numbers *ns)
{
	return ns->live + ns->away;
}

int
numbers_save(struct numbers *ns, int64_t now_s)
{
	char hex[TICKET_HEX_LEN + 1];
	size_t i;
	FILE *f;
	int fd;

	if (!ns->dirty || ns->path == NULL)
		return 0;
	/* write a new file and rename it over the old one: never half a file */
	if ((fd = open(ns->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1)
		goto fail;
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		goto fail;
	}
	for (i = 0; i < NUMBERS_COUNT; i++) {
		if (ns->state[i] == NUM_LIVE || ns->state[i] == NUM_AWAY) {
			ticket_hash_hex(ns->hash[i], hex);
			fprintf(f, "%zu %lld %s\n", i + SESSION_NUMBER_MIN, (long long)now_s,
			    hex);
		} else if (cooling(ns, i, now_s)) {
			fprintf(f, "%zu %lld\n", i + SESSION_NUMBER_MIN, (long long)ns->at[i]);
		}
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(ns->tmp, ns->path) != 0)
		goto fail;
	ns->dirty = false;
	return 0;
fail:
	ns->dirty = false;      /* tried: the next change tries again, no log flood */
	log_warn("cannot save %s: %s", ns->path, strerror(errno));
	(void)unlink(ns->tmp);
	return ERR_SYSTEM;
}
