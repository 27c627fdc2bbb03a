/* SPDX-License-Identifier: Apache-2.0 */
/* request.c - a signed admin request through libcurl (request.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "admin_sig.h"
#include "i18n.h"
#include "request.h"

enum { TIMEOUT_MS = 15000, KEY_FILE_MAX = 1024 };

static size_t
take(char *p, size_t size, size_t n, void *arg)
{
	struct relayctl_answer *ans = arg;
	size_t len = size * n;

	if (len > sizeof(ans->body) - 1 - ans->len)
		return 0;       /* larger than any answer should be: libcurl stops */
	memcpy(ans->body + ans->len, p, len);
	ans->len += len;
	ans->body[ans->len] = '\0';
	return len;
}

/* The four X-Fernsicht-* headers onto *h. -1 when out of memory. */
static int
sign(const struct relayctl_key *key, const char *method, const char *path, const char *body,
    struct curl_slist **h)
{
	uint8_t nonce[ADMIN_NONCE_MIN_BYTES], mac[ADMIN_SIG_LEN];
	char tm[24], nonce_hex[2 * sizeof(nonce) + 1], mac_hex[ADMIN_SIG_HEX_LEN + 1];
	char line[ADMIN_KEY_ID_MAX + 2 * ADMIN_SIG_HEX_LEN + 64];
	struct curl_slist *n;
	const char *vals[4], *names[4] = { "X-Fernsicht-Key", "X-Fernsicht-Time",
		"X-Fernsicht-Nonce", "X-Fernsicht-Signature" };
	int i;

	snprintf(tm, sizeof(tm), "%lld", (long long)time(NULL));
	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2hex(nonce_hex, sizeof(nonce_hex), nonce, sizeof(nonce));
	if (admin_sig_mac(key->secret, key->secret_len, method, path, tm, nonce_hex,
	    body != NULL ? body : "", body != NULL ? strlen(body) : 0, mac) != 0)
		return -1;
	sodium_bin2hex(mac_hex, sizeof(mac_hex), mac, sizeof(mac));
	vals[0] = key->id;
	vals[1] = tm;
	vals[2] = nonce_hex;
	vals[3] = mac_hex;
	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "%s: %s", names[i], vals[i]);
		if ((n = curl_slist_append(*h, line)) == NULL)
			return -1;
		*h = n;
	}
	return 0;
}

int
relayctl_request(const struct relayctl_target *t, const char *method, const char *path,
    const char *body, struct relayctl_answer *ans, char *why, size_t why_len)
{
	char url[1024], err[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = NULL, *n;
	CURL *e;
	CURLcode rc;
	int r = -1;

	ans->status = 0;
	ans->len = 0;
	ans->body[0] = '\0';
	if ((size_t)snprintf(url, sizeof(url), "%s%s", t->url, path) >= sizeof(url)) {
		snprintf(why, why_len, "%s", _("URL too long"));
		return -1;
	}
	if ((e = curl_easy_init()) == NULL) {
		snprintf(why, why_len, "%s", _("libcurl failed to start"));
		return -1;
	}
	/* no "Expect: 100-continue": the relay reads the whole (small) request */
	if ((n = curl_slist_append(h, "Expect:")) == NULL)
		goto out;
	h = n;
	if (body != NULL) {
		if ((n = curl_slist_append(h, "Content-Type: application/json")) == NULL)
			goto out;
		h = n;
	}
	if (t->key != NULL && sign(t->key, method, path, body, &h) != 0) {
		snprintf(why, why_len, "%s", _("cannot sign the request"));
		goto out;
	}
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, take);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, ans);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* a proxy from the environment would see the requests: the admin
	 * listener is reached directly */
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body != NULL ? body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)(body != NULL ? strlen(body) : 0));
	}
	if (t->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, t->cacert);
	if (t->cert != NULL)
		curl_easy_setopt(e, CURLOPT_SSLCERT, t->cert);
	if (t->cert_key != NULL)
		curl_easy_setopt(e, CURLOPT_SSLKEY, t->cert_key);
	if ((rc = curl_easy_perform(e)) != CURLE_OK) {
		snprintf(why, why_len, "%s: %s", url,
		    err[0] != '\0' ? err : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &ans->status);
	r = 0;
out:
	curl_slist_free_all(h);         /* the signature only: no secret in it */
	curl_easy_cleanup(e);
	return r;
}

int
relayctl_key_load(const char *path, struct relayctl_key *key, char *why, size_t why_len)
{
	char text[KEY_FILE_MAX + 1], *id, *secret, *end, *save = NULL;
	struct stat st;
	size_t bin;
	ssize_t n;
	int fd;

	memset(key, 0, sizeof(*key));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		snprintf(why, why_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
		snprintf(why, why_len,
		    _("%s: must be a file only its owner may read (chmod 600 %s)"), path, path);
		close(fd);
		return -1;
	}
	n = read(fd, text, KEY_FILE_MAX);
	close(fd);
	if (n < 0 || n >= KEY_FILE_MAX) {
		snprintf(why, why_len, _("%s: unreadable or too long"), path);
		sodium_memzero(text, sizeof(text));
		return -1;
	}
	text[n] = '\0';
	if ((end = strpbrk(text, "\r\n")) != NULL)
		*end = '\0';
	id = strtok_r(text, " \t", &save);
	secret = id != NULL ? strtok_r(NULL, " \t", &save) : NULL;
	if (id == NULL || secret == NULL || strtok_r(NULL, " \t", &save) != NULL ||
	    strlen(id) > ADMIN_KEY_ID_MAX || strlen(secret) % 2 != 0 ||
	    strlen(secret) / 2 < ADMIN_SECRET_MIN_BYTES ||
	    strlen(secret) / 2 > ADMIN_SECRET_MAX_BYTES ||
	    sodium_hex2bin(key->secret, sizeof(key->secret), secret, strlen(secret), NULL, &bin,
	    NULL) != 0 || bin != strlen(secret) / 2) {
		snprintf(why, why_len, _("%s: want one line \"KEYID SECRET\" (SECRET: %d to %d "
		    "bytes in hex)"), path, ADMIN_SECRET_MIN_BYTES, ADMIN_SECRET_MAX_BYTES);
		sodium_memzero(text, sizeof(text));
		memset(key, 0, sizeof(*key));
		return -1;
	}
	key->secret_len = bin;
	snprintf(key->id, sizeof(key->id), "%s", id);
	sodium_memzero(text, sizeof(text));
	return 0;
}
