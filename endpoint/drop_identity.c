/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_identity.c - the file drop identity's file (drop_identity.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "drop_identity.h"
#include "env.h"
#include "i18n.h"

static const char FIRST[] = "fernsicht-drop-identity 1\n";

enum { FILE_MAX = 256 };

static int
make(const char *path, struct drop_identity *id, char *why, size_t why_len)
{
	char text[FILE_MAX], pk[2 * BLOB_KEY_LEN + 1], sk[2 * BLOB_KEY_LEN + 1];
	int fd, n, r = 0;

	if ((r = env_make_parents(path)) != 0) {
		snprintf(why, why_len, _("cannot make the folder of %s: %s"), path, strerror(-r));
		return ERR_SYSTEM;
	}
	crypto_box_keypair(id->pk, id->sk);
	sodium_bin2hex(pk, sizeof(pk), id->pk, sizeof(id->pk));
	sodium_bin2hex(sk, sizeof(sk), id->sk, sizeof(id->sk));
	n = snprintf(text, sizeof(text), "%spublic %s\nsecret %s\n", FIRST, pk, sk);
	/* O_EXCL: two programs starting at once do not overwrite each other. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd == -1 || write(fd, text, (size_t)n) != n || fsync(fd) != 0) {
		snprintf(why, why_len, _("cannot write %s: %s"), path, strerror(errno));
		if (fd != -1)
			unlink(path);
		r = ERR_SYSTEM;
	}
	if (fd != -1)
		close(fd);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(sk, sizeof(sk));
	return r;
}

static int
parse(const char *text, const char *path, struct drop_identity *id, char *why, size_t why_len)
{
	char pk[2 * BLOB_KEY_LEN + 1], sk[2 * BLOB_KEY_LEN + 1];
	uint8_t check[BLOB_KEY_LEN];
	size_t got1 = 0, got2 = 0;
	int r = 0;

	if (strncmp(text, FIRST, strlen(FIRST)) != 0 ||
	    sscanf(text + strlen(FIRST), "public %64[0-9a-f]\nsecret %64[0-9a-f]\n", pk, sk) != 2 ||
	    sodium_hex2bin(id->pk, sizeof(id->pk), pk, strlen(pk), NULL, &got1, NULL) != 0 ||
	    sodium_hex2bin(id->sk, sizeof(id->sk), sk, strlen(sk), NULL, &got2, NULL) != 0 ||
	    got1 != BLOB_KEY_LEN || got2 != BLOB_KEY_LEN) {
		r = ERR_FORMAT;
	} else {
		crypto_scalarmult_base(check, id->sk);
		if (sodium_memcmp(check, id->pk, sizeof(check)) != 0)
			r = ERR_FORMAT;
	}
	if (r != 0) {
		snprintf(why, why_len, _("%s is not a file drop identity (move it away to make "
		    "a new one)"), path);
		drop_identity_clear(id);
	}
	sodium_memzero(sk, sizeof(sk));
	return r;
}

int
drop_identity_load(const char *path, struct drop_identity *id, char *why, size_t why_len)
{
	char text[FILE_MAX];
	struct stat st;
	ssize_t n;
	int fd, r;

	memset(id, 0, sizeof(*id));
	if (sodium_init() < 0) {
		snprintf(why, why_len, "%s", _("libsodium cannot be initialised"));
		return ERR_INTERNAL;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT)
		return make(path, id, why, why_len);
	if (fd == -1) {
		snprintf(why, why_len, _("cannot read %s: %s"), path, strerror(errno));
		return ERR_SYSTEM;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
		snprintf(why, why_len, _("%s must be a file only its owner can read (chmod 600)"),
		    path);
		close(fd);
		return ERR_AUTH;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0) {
		snprintf(why, why_len, _("cannot read %s: %s"), path, strerror(errno));
		return ERR_SYSTEM;
	}
	text[n] = '\0';
	r = parse(text, path, id, why, why_len);
	sodium_memzero(text, sizeof(text));
	return r;
}

void
drop_identity_clear(struct drop_identity *id)
{
	sodium_memzero(id, sizeof(*id));
}
