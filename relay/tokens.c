/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tokens.c - the relay's session-creation tokens (tokens.h): its keys,
 * and the lists of tokens issued and revoked in the state dir. Every
 * file is read whole into new lists first, so that a bad line changes
 * nothing (tokens_reload's all or nothing).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "i18n.h"
#include "log.h"
#include "token.h"
#include "tokens.h"

#define ISSUED_FILE "tokens-issued"
#define REVOKED_FILE "tokens-revoked"
#define LOCK_FILE "tokens.lock"

struct tokens_key {
	char id[TOKEN_KEY_ID_MAX + 1];
	uint8_t secret[TOKEN_SECRET_MAX];
	size_t len;
};

struct tokens_record {
	uint8_t id[TOKEN_ID_LEN];
	uint64_t expiry_s;
	uint8_t scope;
	char name[TOKEN_NAME_MAX + 1];
};

struct tokens_revoked {
	uint8_t id[TOKEN_ID_LEN];
	uint64_t expiry_s;              /* UINT64_MAX: unknown, kept for ever */
};

/* What one reading of the files gives; swapped in whole. */
struct tokens_lists {
	struct tokens_key keys[TOKEN_KEYS_MAX];
	unsigned n_keys;
	struct tokens_record *issued;
	size_t n_issued;
	struct tokens_revoked *revoked;
	size_t n_revoked;
};

struct tokens {
	struct tokens_lists l;
	struct tokens_lists pending;    /* tokens_prepare's, until committed */
	bool has_pending;
	char *dir;                      /* NULL: nothing recorded */
};

static void
lists_free(struct tokens_lists *l)
{
	sodium_memzero(l->keys, sizeof(l->keys));
	free(l->issued);
	free(l->revoked);
	memset(l, 0, sizeof(*l));
}

/* path's whole content, NUL-terminated, into *data (freed by the caller);
 * a missing file is empty when may_miss. private: nobody else may read it. */
static int
read_whole(const char *path, size_t max, bool may_miss, bool private, char **data,
    size_t *len, char *why, size_t why_len)
{
	struct stat st;
	size_t got = 0;
	ssize_t n;
	int fd, r = ERR_FORMAT;

	*data = NULL;
	*len = 0;
	/* non-blocking: a FIFO at the path must not hang the relay */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) == -1) {
		if (errno == ENOENT && may_miss)
			return (*data = calloc(1, 1)) != NULL ? 0 : ERR_NOMEM;
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return ERR_SYSTEM;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, why_len, _("%s: not a regular file"), path);
		goto out;
	}
	if (private && (st.st_mode & (S_IROTH | S_IWOTH)) != 0) {
		snprintf(why, why_len, _("%s: everyone may read it; it holds secret keys "
		    "(chmod 0600 %s, or 0640 with the relay's group)"), path, path);
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(why, why_len, _("%s: larger than %zu bytes"), path, max);
		goto out;
	}
	if ((*data = malloc((size_t)st.st_size + 1)) == NULL) {
		r = ERR_NOMEM;
		goto out;
	}
	while (got < (size_t)st.st_size &&
	    (n = read(fd, *data + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(why, why_len, "%s: %s", path, strerror(errno));
			r = ERR_SYSTEM;
			goto out;
		}
		got += (size_t)n;
	}
	(*data)[got] = '\0';
	*len = got;
	r = 0;
out:
	if (r != 0 && *data != NULL) {
		sodium_memzero(*data, (size_t)st.st_size);
		free(*data);
		*data = NULL;
	}
	close(fd);
	return r;
}

/* The next line of *p (without its newline or CR), or NULL at the end. */
static char *
next_line(char **p, char *end)
{
	char *s = *p, *nl;

	if (s >= end)
		return NULL;
	if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
		nl = end;
	*nl = '\0';
	*p = nl + (nl < end);
	if (nl > s && nl[-1] == '\r')
		nl[-1] = '\0';
	return s;
}

static bool
lower_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* A token id as TOKEN_ID_HEX_LEN lower-case hex digits and nothing else. */
static int
id_parse(const char *s, size_t n, uint8_t id[TOKEN_ID_LEN])
{
	size_t got = 0;

	memset(id, 0, TOKEN_ID_LEN);
	if (n != TOKEN_ID_HEX_LEN || !lower_hex(s, n) ||
	    sodium_hex2bin(id, TOKEN_ID_LEN, s, n, NULL, &got, NULL) != 0 || got != TOKEN_ID_LEN)
		return ERR_FORMAT;
	return 0;
}

/* Expired so long ago that its record goes (and the list shows it no more). */
static bool
long_expired(uint64_t expiry_s, uint64_t now_s)
{
	return now_s > TOKENS_EXPIRED_KEPT_S && expiry_s < now_s - TOKENS_EXPIRED_KEPT_S;
}

/* A decimal u64 ending at a space or the string's end; its end in *end. */
static int
u64_parse(const char *s, uint64_t *v, const char **end)
{
	uint64_t n = 0;

	if (*s < '0' || *s > '9')
		return ERR_FORMAT;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (n > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return ERR_FORMAT;
		n = n * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0' && *s != ' ')
		return ERR_FORMAT;
	*v = n;
	*end = s;
	return 0;
}

static int
keys_parse(struct tokens_lists *l, const char *path, char *text, size_t len, char *why,
    size_t why_len)
{
	char *p = text, *line, *sp, *hex;
	unsigned n = 0;
	size_t got;

	while ((line = next_line(&p, text + len)) != NULL) {
		n++;
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0' || *line == '#')
			continue;
		if ((sp = strpbrk(line, " \t")) == NULL) {
			snprintf(why, why_len, _("%s:%u: wants \"KEYID SECRET-HEX\""), path, n);
			return ERR_FORMAT;
		}
		*sp = '\0';
		for (hex = sp + 1; *hex == ' ' || *hex == '\t'; hex++)
			;
		for (sp = hex + strlen(hex); sp > hex && (sp[-1] == ' ' || sp[-1] == '\t'); sp--)
			sp[-1] = '\0';
		if (token_key_id_check(line) != 0) {
			snprintf(why, why_len, _("%s:%u: a key id is 1 to %d of A-Z a-z 0-9 . _ -"),
			    path, n, TOKEN_KEY_ID_MAX);
			return ERR_FORMAT;
		}
		for (unsigned i = 0; i < l->n_keys; i++)
			if (strcmp(l->keys[i].id, line) == 0) {
				snprintf(why, why_len, _("%s:%u: key id %s a second time"), path, n,
				    line);
				return ERR_FORMAT;
			}
		if (l->n_keys >= TOKEN_KEYS_MAX) {
			snprintf(why, why_len, _("%s:%u: more than %d keys"), path, n,
			    TOKEN_KEYS_MAX);
			return ERR_FORMAT;
		}
		got = 0;
		if (strlen(hex) % 2 != 0 || strlen(hex) / 2 < TOKEN_SECRET_MIN ||
		    strlen(hex) / 2 > TOKEN_SECRET_MAX ||
		    sodium_hex2bin(l->keys[l->n_keys].secret, TOKEN_SECRET_MAX, hex, strlen(hex),
		    NULL, &got, NULL) != 0 || got != strlen(hex) / 2) {
			snprintf(why, why_len, _("%s:%u: the secret is %d to %d bytes as hex "
			    "(such as the output of: openssl rand -hex 32)"), path, n,
			    TOKEN_SECRET_MIN, TOKEN_SECRET_MAX);
			return ERR_FORMAT;
		}
		snprintf(l->keys[l->n_keys].id, sizeof(l->keys[l->n_keys].id), "%s", line);
		l->keys[l->n_keys++].len = got;
	}
	if (l->n_keys == 0) {
		snprintf(why, why_len, _("%s: no key in it (lines \"KEYID SECRET-HEX\")"), path);
		return ERR_FORMAT;
	}
	return 0;
}

/* "ID EXPIRY SCOPE NAME" */
static int
issued_line(char *line, struct tokens_record *rec)
{
	const char *s = line + TOKEN_ID_HEX_LEN, *end;

	memset(rec, 0, sizeof(*rec));
	if (strlen(line) < TOKEN_ID_HEX_LEN + 1 || *s != ' ' ||
	    id_parse(line, TOKEN_ID_HEX_LEN, rec->id) != 0 ||
	    u64_parse(s + 1, &rec->expiry_s, &end) != 0 || *end != ' ' ||
	    end[1] < '0' || end[1] > '9' || (end[2] != ' ' && end[2] != '\0'))
		return ERR_FORMAT;
	rec->scope = (uint8_t)(end[1] - '0');
	s = end[2] == ' ' ? end + 3 : "";
	if (token_name_check(s) != 0)
		return ERR_FORMAT;
	snprintf(rec->name, sizeof(rec->name), "%s", s);
	return 0;
}

/* "ID EXPIRY", or "ID" alone (written by hand: kept for ever) */
static int
revoked_line(char *line, struct tokens_revoked *rv)
{
	const char *end;

	memset(rv, 0, sizeof(*rv));
	rv->expiry_s = UINT64_MAX;
	if (strlen(line) < TOKEN_ID_HEX_LEN || id_parse(line, TOKEN_ID_HEX_LEN, rv->id) != 0)
		return ERR_FORMAT;
	if (line[TOKEN_ID_HEX_LEN] == '\0')
		return 0;
	if (line[TOKEN_ID_HEX_LEN] != ' ' ||
	    u64_parse(line + TOKEN_ID_HEX_LEN + 1, &rv->expiry_s, &end) != 0 || *end != '\0')
		return ERR_FORMAT;
	return 0;
}

static int
records_parse(struct tokens_lists *l, bool issued, const char *path, char *text, size_t len,
    char *why, size_t why_len)
{
	size_t cap = 0, *count = issued ? &l->n_issued : &l->n_revoked;
	size_t max = issued ? TOKENS_ISSUED_MAX : TOKENS_REVOKED_MAX;
	size_t size = issued ? sizeof(struct tokens_record) : sizeof(struct tokens_revoked);
	void **arr = issued ? (void **)&l->issued : (void **)&l->revoked;
	char *p = text, *line;
	unsigned n = 0;
	void *grown;

	while ((line = next_line(&p, text + len)) != NULL) {
		n++;
		if (*line == '\0' || *line == '#')
			continue;
		if (*count >= max) {
			snprintf(why, why_len, _("%s:%u: more than %zu lines"), path, n, max);
			return ERR_LIMIT;
		}
		if (*count == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			if ((grown = realloc(*arr, cap * size)) == NULL)
				return ERR_NOMEM;
			*arr = grown;
		}
		if ((issued ? issued_line(line, &l->issued[*count]) :
		    revoked_line(line, &l->revoked[*count])) != 0) {
			snprintf(why, why_len, issued ? _("%s:%u: wants \"ID EXPIRY SCOPE NAME\"") :
			    _("%s:%u: wants \"ID EXPIRY\""), path, n);
			return ERR_FORMAT;
		}
		(*count)++;
	}
	return 0;
}

static char *
state_path(const struct tokens *t, const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", t->dir, name) < 0 ? NULL : p;
}

/* One of the state dir's lists into l (nothing without a state dir). */
static int
records_read(const struct tokens *t, struct tokens_lists *l, bool issued, char *why,
    size_t why_len)
{
	char *path, *text;
	size_t len;
	int r;

	if (t->dir == NULL)
		return 0;
	if ((path = state_path(t, issued ? ISSUED_FILE : REVOKED_FILE)) == NULL)
		return ERR_NOMEM;
	if ((r = read_whole(path, TOKENS_FILE_MAX_BYTES, true, false, &text, &len, why,
	    why_len)) == 0) {
		r = records_parse(l, issued, path, text, len, why, why_len);
		free(text);
	}
	free(path);
	return r;
}

/* Every file into l: all of them, or an error and nothing. */
static int
lists_read(const struct tokens *t, const char *key_file, struct tokens_lists *l, char *why,
    size_t why_len)
{
	char *text;
	size_t len;
	int r;

	memset(l, 0, sizeof(*l));
	if ((r = read_whole(key_file, TOKEN_KEY_FILE_MAX_BYTES, false, true, &text, &len, why,
	    why_len)) != 0)
		return r;
	r = keys_parse(l, key_file, text, len, why, why_len);
	sodium_memzero(text, len);
	free(text);
	if (r == 0)
		r = records_read(t, l, true, why, why_len);
	if (r == 0)
		r = records_read(t, l, false, why, why_len);
	if (r == ERR_NOMEM)
		snprintf(why, why_len, "%s", _("out of memory"));
	if (r != 0)
		lists_free(l);
	return r;
}

struct tokens *
tokens_new(const char *key_file, const char *state_dir, char *why, size_t why_len)
{
	struct tokens *t;

	why[0] = '\0';
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (state_dir != NULL && (t->dir = strdup(state_dir)) == NULL)) {
		snprintf(why, why_len, "%s", _("out of memory"));
		free(t);
		return NULL;
	}
	if (lists_read(t, key_file, &t->l, why, why_len) != 0) {
		tokens_free(t);
		return NULL;
	}
	return t;
}

int
tokens_prepare(struct tokens *t, const char *key_file, char *why, size_t why_len)
{
	struct tokens_lists l;
	int r;

	why[0] = '\0';
	tokens_abandon(t);
	if ((r = lists_read(t, key_file, &l, why, why_len)) != 0)
		return r;
	t->pending = l;
	t->has_pending = true;
	return 0;
}

void
tokens_commit(struct tokens *t)
{
	if (!t->has_pending)
		return;
	lists_free(&t->l);
	t->l = t->pending;
	memset(&t->pending, 0, sizeof(t->pending));
	t->has_pending = false;
}

void
tokens_abandon(struct tokens *t)
{
	if (t->has_pending)
		lists_free(&t->pending);
	t->has_pending = false;
}

int
tokens_reload(struct tokens *t, const char *key_file, char *why, size_t why_len)
{
	int r;

	if ((r = tokens_prepare(t, key_file, why, why_len)) == 0)
		tokens_commit(t);
	return r;
}

void
tokens_free(struct tokens *t)
{
	if (t == NULL)
		return;
	tokens_abandon(t);
	lists_free(&t->l);
	free(t->dir);
	free(t);
}

/* Write lines into path through path.tmp, renamed over it once on disk. */
static int
rewrite(const struct tokens *t, bool issued)
{
	char *path = state_path(t, issued ? ISSUED_FILE : REVOKED_FILE), *tmp = NULL;
	char hex[TOKEN_ID_HEX_LEN + 1];
	FILE *f = NULL;
	int fd, r = ERR_SYSTEM;

	if (path == NULL || asprintf(&tmp, "%s.tmp", path) < 0) {
		free(path);
		return ERR_NOMEM;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1 ||
	    (f = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		goto out;
	}
	if (issued) {
		for (size_t i = 0; i < t->l.n_issued; i++) {
			const struct tokens_record *rec = &t->l.issued[i];

			sodium_bin2hex(hex, sizeof(hex), rec->id, TOKEN_ID_LEN);
			fprintf(f, "%s %llu %u %s\n", hex, (unsigned long long)rec->expiry_s,
			    rec->scope, rec->name);
		}
	} else {
		for (size_t i = 0; i < t->l.n_revoked; i++) {
			const struct tokens_revoked *rv = &t->l.revoked[i];

			sodium_bin2hex(hex, sizeof(hex), rv->id, TOKEN_ID_LEN);
			if (rv->expiry_s == UINT64_MAX)
				fprintf(f, "%s\n", hex);
			else
				fprintf(f, "%s %llu\n", hex, (unsigned long long)rv->expiry_s);
		}
	}
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		goto out;
	r = 0;
out:
	if (r != 0) {
		log_warn("cannot write %s: %s", path, strerror(errno));
		(void)unlink(tmp);
	}
	free(tmp);
	free(path);
	return r;
}

/* The state dir's lock, held across a read, change and rewrite of its
 * lists (another relay process may be issuing too): its fd, or -1. */
static int
lock_state(const struct tokens *t)
{
	char *path = state_path(t, LOCK_FILE);
	int fd;

	if (path == NULL)
		return -1;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		log_warn("cannot open %s: %s", path, strerror(errno));
	else if (flock(fd, LOCK_EX) != 0) {
		log_warn("cannot lock %s: %s", path, strerror(errno));
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

/* The state dir's list into t, replacing the one in memory (what others
 * wrote since). */
static int
refresh(struct tokens *t, bool issued)
{
	struct tokens_lists l;
	char why[512];
	int r;

	memset(&l, 0, sizeof(l));
	if ((r = records_read(t, &l, issued, why, sizeof(why))) != 0) {
		log_warn("%s", why);
		lists_free(&l);
		return r;
	}
	if (issued) {
		free(t->l.issued);
		t->l.issued = l.issued;
		t->l.n_issued = l.n_issued;
	} else {
		free(t->l.revoked);
		t->l.revoked = l.revoked;
		t->l.n_revoked = l.n_revoked;
	}
	return 0;
}

int
tokens_issue(struct tokens *t, const char *name, uint64_t now_s, uint64_t ttl_s,
    char *token_out, size_t token_len, char id_hex_out[TOKEN_ID_HEX_LEN + 1])
{
	struct tokens_record *rec, *grown;
	struct token tk;
	size_t i, kept;
	int lock = -1, r;

	token_out[0] = '\0';
	id_hex_out[0] = '\0';
	if (token_name_check(name) != 0 || ttl_s == 0 || ttl_s > TOKEN_TTL_MAX_S ||
	    now_s > UINT64_MAX - ttl_s)
		return ERR_FORMAT;
	BUG_ON(t->l.n_keys == 0);
	if (t->dir != NULL) {
		if ((lock = lock_state(t)) < 0)
			return ERR_SYSTEM;
		if ((r = refresh(t, true)) != 0)
			goto out;
	}
	/* records long expired make room */
	for (i = kept = 0; i < t->l.n_issued; i++)
		if (!long_expired(t->l.issued[i].expiry_s, now_s))
			t->l.issued[kept++] = t->l.issued[i];
	t->l.n_issued = kept;
	r = ERR_LIMIT;
	if (t->l.n_issued >= TOKENS_ISSUED_MAX)
		goto out;
	r = ERR_NOMEM;
	if ((grown = realloc(t->l.issued, (t->l.n_issued + 1) * sizeof(*grown))) == NULL)
		goto out;
	t->l.issued = grown;
	memset(&tk, 0, sizeof(tk));
	snprintf(tk.key_id, sizeof(tk.key_id), "%s", t->l.keys[0].id);
	randombytes_buf(tk.id, sizeof(tk.id));
	tk.expiry_s = now_s + ttl_s;
	tk.scope = TOKEN_SCOPE_CREATE;
	snprintf(tk.name, sizeof(tk.name), "%s", name);
	rec = &t->l.issued[t->l.n_issued];
	memcpy(rec->id, tk.id, TOKEN_ID_LEN);
	rec->expiry_s = tk.expiry_s;
	rec->scope = tk.scope;
	snprintf(rec->name, sizeof(rec->name), "%s", name);
	if ((r = token_encode(&tk, t->l.keys[0].secret, t->l.keys[0].len, token_out,
	    token_len)) != 0)
		goto out;
	t->l.n_issued++;
	/* recorded first: a token nobody could list or revoke is not handed out */
	if (t->dir != NULL && (r = rewrite(t, true)) != 0) {
		t->l.n_issued--;
		sodium_memzero(token_out, token_len);
		token_out[0] = '\0';
		goto out;
	}
	sodium_bin2hex(id_hex_out, TOKEN_ID_HEX_LEN + 1, tk.id, TOKEN_ID_LEN);
	r = 0;
out:
	if (lock >= 0)
		close(lock);
	return r;
}

static const struct tokens_record *
issued_find(const struct tokens *t, const uint8_t id[TOKEN_ID_LEN])
{
	for (size_t i = 0; i < t->l.n_issued; i++)
		if (memcmp(t->l.issued[i].id, id, TOKEN_ID_LEN) == 0)
			return &t->l.issued[i];
	return NULL;
}

static bool
revoked(const struct tokens *t, const uint8_t id[TOKEN_ID_LEN])
{
	for (size_t i = 0; i < t->l.n_revoked; i++)
		if (memcmp(t->l.revoked[i].id, id, TOKEN_ID_LEN) == 0)
			return true;
	return false;
}

int
tokens_revoke(struct tokens *t, const char *id_hex)
{
	const struct tokens_record *rec;
	struct tokens_revoked *grown;
	uint8_t id[TOKEN_ID_LEN];
	uint64_t now = (uint64_t)time(NULL);
	size_t i, kept;
	int lock = -1, r;

	if (id_parse(id_hex, strlen(id_hex), id) != 0)
		return ERR_FORMAT;
	if (t->dir != NULL) {
		if ((lock = lock_state(t)) < 0)
			return ERR_SYSTEM;
		if ((r = refresh(t, true)) != 0 || (r = refresh(t, false)) != 0)
			goto out;
	}
	r = ERR_NOT_FOUND;
	if ((rec = issued_find(t, id)) == NULL)
		goto out;
	r = 0;
	if (revoked(t, id))
		goto out;
	/* an expired token is refused anyway: its line may go */
	for (i = kept = 0; i < t->l.n_revoked; i++)
		if (t->l.revoked[i].expiry_s >= now)
			t->l.revoked[kept++] = t->l.revoked[i];
	t->l.n_revoked = kept;
	r = ERR_LIMIT;
	if (t->l.n_revoked >= TOKENS_REVOKED_MAX)
		goto out;
	r = ERR_NOMEM;
	if ((grown = realloc(t->l.revoked, (t->l.n_revoked + 1) * sizeof(*grown))) == NULL)
		goto out;
	t->l.revoked = grown;
	memcpy(grown[t->l.n_revoked].id, id, TOKEN_ID_LEN);
	grown[t->l.n_revoked].expiry_s = rec->expiry_s;
	t->l.n_revoked++;
	r = t->dir != NULL ? rewrite(t, false) : 0;
out:
	if (lock >= 0)
		close(lock);
	return r;
}

static int
key_of(void *arg, const char *key_id, const uint8_t **secret, size_t *len)
{
	const struct tokens *t = arg;

	for (unsigned i = 0; i < t->l.n_keys; i++)
		if (strcmp(t->l.keys[i].id, key_id) == 0) {
			*secret = t->l.keys[i].secret;
			*len = t->l.keys[i].len;
			return 0;
		}
	return ERR_NOT_FOUND;
}

int
tokens_check(const struct tokens *t, const char *token, uint64_t now_s, char *why,
    size_t why_len)
{
	struct token tk;
	int r;

	if (token == NULL || token[0] == '\0') {
		snprintf(why, why_len, "missing");
		return ERR_AUTH;
	}
	r = token_decode(token, strlen(token), key_of, (void *)t, &tk);
	if (r == ERR_NOT_FOUND)
		snprintf(why, why_len, "invalid: signed by a key this relay does not have");
	else if (r == ERR_AUTH)
		snprintf(why, why_len, "invalid: its signature does not match");
	else if (r != 0)
		snprintf(why, why_len, "invalid: not a token");
	else if (tk.scope != TOKEN_SCOPE_CREATE)
		snprintf(why, why_len, "invalid: not for opening sessions");
	else if (tk.expiry_s <= now_s)
		snprintf(why, why_len, "expired");
	else if (revoked(t, tk.id))
		snprintf(why, why_len, "revoked");
	else
		why[0] = '\0';
	sodium_memzero(&tk, sizeof(tk));
	return why[0] != '\0' ? ERR_AUTH : 0;
}

/* s as a JSON string's contents. */
static int
json_text(struct buf *out, const char *s)
{
	char u[8];
	int r = 0;

	for (; *s != '\0' && r == 0; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\') {
			u[0] = '\\';
			u[1] = (char)ch;
			r = buf_put_bytes(out, u, 2);
		} else if (ch < 0x20 || ch == 0x7F) {
			snprintf(u, sizeof(u), "\\u%04x", ch);
			r = buf_put_bytes(out, u, 6);
		} else {
			r = buf_put_u8(out, ch);
		}
	}
	return r;
}

int
tokens_list_json(const struct tokens *t, struct buf *out, uint64_t now_s)
{
	char hex[TOKEN_ID_HEX_LEN + 1], line[160];
	bool first = true;
	int r;

	if ((r = buf_put_bytes(out, "{\"tokens\":[", 11)) != 0)
		return r;
	for (size_t i = 0; i < t->l.n_issued; i++) {
		const struct tokens_record *rec = &t->l.issued[i];
		int n;

		if (long_expired(rec->expiry_s, now_s))
			continue;
		sodium_bin2hex(hex, sizeof(hex), rec->id, TOKEN_ID_LEN);
		n = snprintf(line, sizeof(line), "%s{\"id\":\"%s\",\"name\":\"", first ? "" : ",",
		    hex);
		first = false;
		if ((r = buf_put_bytes(out, line, (size_t)n)) != 0 ||
		    (r = json_text(out, rec->name)) != 0)
			return r;
		n = snprintf(line, sizeof(line), "\",\"scope\":\"%s\",\"expires\":%llu,"
		    "\"expired\":%s,\"revoked\":%s}",
		    rec->scope == TOKEN_SCOPE_CREATE ? "create" : "unknown",
		    (unsigned long long)rec->expiry_s, rec->expiry_s <= now_s ? "true" : "false",
		    revoked(t, rec->id) ? "true" : "false");
		if ((r = buf_put_bytes(out, line, (size_t)n)) != 0)
			return r;
	}
	return buf_put_bytes(out, "]}", 2);
}
