/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_client.c - the file drop's requests over libcurl (drop_client.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "drop_answer.h"
#include "drop_client.h"
#include "i18n.h"
#include "log.h"
#include "relay_list.h"

/* Where an answer's body goes: a bounded buffer; more is an error. */
struct sink {
	struct buf *b;
	bool over;
};

static size_t
take_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct sink *s = arg;
	size_t n = size * nmemb;

	if (buf_put_bytes(s->b, p, n) != 0) {
		s->over = true;
		return 0;               /* curl ends the transfer: CURLE_WRITE_ERROR */
	}
	return n;
}

int
drop_client_init(struct drop_client *c, const char *relay, bool https,
    const struct transport_opts *o)
{
	struct relay_entry e;
	CURL *h;

	memset(c, 0, sizeof(*c));
	c->opts = o;
	if (relay_entry_parse(relay, strlen(relay), &e) != 0) {
		snprintf(c->why, sizeof(c->why), _("the relay \"%s\" is not HOST[:PORT]"), relay);
		return ERR_FORMAT;
	}
	snprintf(c->relay, sizeof(c->relay), "%s%s%s:%u", strchr(e.host, ':') != NULL ? "[" : "",
	    e.host, strchr(e.host, ':') != NULL ? "]" : "",
	    e.port != 0 ? e.port : https ? TRANSPORT_TLS_PORT : RELAY_PORT_DEFAULT);
	snprintf(c->base, sizeof(c->base), "%s://%s", https ? "https" : "http", c->relay);
	if ((h = curl_easy_init()) == NULL) {
		snprintf(c->why, sizeof(c->why), "%s", _("out of memory"));
		return ERR_NOMEM;
	}
	c->curl = h;
	return 0;
}

void
drop_client_close(struct drop_client *c)
{
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	c->curl = NULL;
}

/* The first line of an error answer, made printable, for c->why. */
static void
reason(struct drop_client *c, const char *what, const struct buf *body)
{
	char line[160];
	size_t n = 0;

	for (size_t i = 0; i < buf_len(body) && n + 1 < sizeof(line); i++) {
		char ch = (char)buf_ptr(body)[i];

		if (ch == '\n')
			break;
		line[n++] = ch >= ' ' && ch <= '~' ? ch : '?';
	}
	line[n] = '\0';
	snprintf(c->why, sizeof(c->why), _("the relay refused %s: %ld %s"), what, c->status,
	    n > 0 ? line : "");
}

/*
 * One request: method POST or GET to path (already escaped: hex and
 * base64url only), with one secret header and a body; the answer's body
 * into out (at most its max). Returns 0 for a 2xx; ERR_AGAIN for what may
 * work when tried again (no answer, or 5xx but 507); ERR_PROTOCOL with
 * c->status and c->why for a refusal.
 */
static int
request(struct drop_client *c, const char *what, bool post, const char *path,
    const char *header, const uint8_t *body, size_t body_len, struct buf *out)
{
	CURL *h = c->curl;
	struct curl_slist *hdrs = NULL;
	struct sink s = { out, false };
	char url[sizeof(c->base) + 600], errbuf[CURL_ERROR_SIZE] = "";
	CURLcode cr;
	int r;

	c->status = 0;
	buf_reset(out);
	if ((size_t)snprintf(url, sizeof(url), "%s%s", c->base, path) >= sizeof(url))
		return ERR_INTERNAL;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)DROP_CLIENT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)DROP_CLIENT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	if (c->opts != NULL && c->opts->ca_file != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->opts->ca_file);
	/* The proxy as the transports take it: --proxy, else curl's variables. */
	if (c->opts != NULL && c->opts->proxy != NULL)
		curl_easy_setopt(h, CURLOPT_PROXY, c->opts->proxy);
	if (c->opts != NULL && c->opts->proxy_user != NULL) {
		curl_easy_setopt(h, CURLOPT_PROXYAUTH, (long)CURLAUTH_ANY);
		curl_easy_setopt(h, CURLOPT_PROXYUSERPWD, c->opts->proxy_user);
	}
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, take_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &s);
	/* No "Expect: 100-continue" round trip for a part. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (header != NULL)
		hdrs = curl_slist_append(hdrs, header);
	if (hdrs == NULL)
		return ERR_NOMEM;
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	if (post) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body != NULL ? (const char *)body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	cr = curl_easy_perform(h);
	curl_slist_free_all(hdrs);
	/* Also after a failure: a 200 whose body broke off says so. */
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->status);
	if (cr != CURLE_OK) {
		if (s.over) {
			snprintf(c->why, sizeof(c->why), _("the relay's answer to %s is too long"),
			    what);
			return ERR_TOO_LARGE;
		}
		snprintf(c->why, sizeof(c->why), _("%s at %s failed: %s"), what, c->base,
		    errbuf[0] != '\0' ? errbuf : curl_easy_strerror(cr));
		return ERR_AGAIN;
	}
	if (c->status >= 200 && c->status < 300)
		return 0;
	reason(c, what, out);
	r = c->status >= 500 && c->status != 507 ? ERR_AGAIN : ERR_PROTOCOL;
	return r;
}

/* The index-th "key=" line of an answer's body (drop_answer.h). */
static int
field(const struct buf *body, const char *key, unsigned index, char *v, size_t max)
{
	return drop_answer_field(buf_ptr(body), buf_len(body), key, index, v, max);
}

/* A secret is hex of an exact length. */
static bool
hex_of(const char *s, size_t len)
{
	if (strlen(s) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		    (s[i] >= 'A' && s[i] <= 'F')))
			return false;
	return true;
}

static int
bad_answer(struct drop_client *c, const char *what)
{
	snprintf(c->why, sizeof(c->why), _("the relay's answer to %s is malformed"), what);
	return ERR_FORMAT;
}

/* request() again while it says ERR_AGAIN, up to DROP_CLIENT_RETRIES times. */
static int
request_retried(struct drop_client *c, const char *what, bool post, const char *path,
    const char *header, const uint8_t *body, size_t body_len, struct buf *out)
{
	int r = ERR_AGAIN;

	for (int i = 0; i <= DROP_CLIENT_RETRIES && r == ERR_AGAIN; i++) {
		if (i > 0)
			log_info("%s: %s; trying again", what, c->why);
		r = request(c, what, post, path, header, body, body_len, out);
	}
	return r;
}

int
drop_client_new(struct drop_client *c, const uint8_t *grant, size_t grant_len,
    uint64_t size, const struct drop_ask *ask, char id[DROP_CLIENT_ID_HEX + 1],
    char put[DROP_CLIENT_PUT_HEX + 1])
{
	char path[200], hdr[32 + 2 * WIRE_DROP_GRANT_MAX + 1];
	struct buf out;
	int r;

	id[0] = put[0] = '\0';
	if (grant_len == 0 || grant_len > WIRE_DROP_GRANT_MAX) {
		snprintf(c->why, sizeof(c->why), "%s",
		    _("this relay keeps no file drop (its welcome carried no grant)"));
		return ERR_UNSUPPORTED;
	}
	snprintf(hdr, sizeof(hdr), "X-Fernsicht-Grant: ");
	sodium_bin2hex(hdr + strlen(hdr), sizeof(hdr) - strlen(hdr), grant, grant_len);
	snprintf(path, sizeof(path), "/v1/drop/new?size=%" PRIu64 "&links=%u&downloads=%u&ttl=%"
	    PRIu64, size, ask->links, ask->downloads, ask->ttl_s);
	buf_init(&out, DROP_CLIENT_ANSWER_MAX_BYTES);
	r = request_retried(c, "new", true, path, hdr, NULL, 0, &out);
	if (r == 0 && (field(&out, "id", 0, id, DROP_CLIENT_ID_HEX) != 0 ||
	    field(&out, "put", 0, put, DROP_CLIENT_PUT_HEX) != 0 ||
	    !hex_of(id, DROP_CLIENT_ID_HEX) || !hex_of(put, DROP_CLIENT_PUT_HEX)))
		r = bad_answer(c, "new");
	buf_release(&out);
	sodium_memzero(hdr, sizeof(hdr));
	return r;
}

int
drop_client_put(struct drop_client *c, const char *id, const char *put, uint64_t off,
    const uint8_t *p, size_t n)
{
	char path[120], hdr[32 + DROP_CLIENT_PUT_HEX], have_text[24];
	uint64_t at = off, have;
	struct buf out;
	int r = ERR_AGAIN;

	if (n == 0 || n > DROP_PART_MAX_BYTES)
		return ERR_INTERNAL;
	snprintf(hdr, sizeof(hdr), "X-Fernsicht-Put: %s", put);
	buf_init(&out, DROP_CLIENT_ANSWER_MAX_BYTES);
	/* Tries without progress: a relay that takes part of each try goes on. */
	for (int fails = 0; fails <= DROP_CLIENT_RETRIES; fails++) {
		snprintf(path, sizeof(path), "/v1/drop/put?id=%s&off=%" PRIu64, id, at);
		r = request(c, "put", true, path, hdr, p + (at - off), n - (size_t)(at - off),
		    &out);
		if (r == 0)
			break;
		if (r == ERR_AGAIN) {
			/* The same again: if some of it came, the relay says 409. */
			log_info("put: %s; trying again", c->why);
			continue;
		}
		if (c->status != 409 || field(&out, "have", 0, have_text, 20) != 0 ||
		    drop_answer_number(have_text, &have) != 0)
			break;
		if (have == off + n) {          /* it all came; the answer was lost */
			r = 0;
			break;
		}
		if (have < off || have > off + n) {
			snprintf(c->why, sizeof(c->why),
			    _("the relay lost part of the upload (it has %" PRIu64
			    " bytes, this part starts at %" PRIu64 ")"), have, off);
			break;
		}
		if (have > at)
			fails = -1;
		at = have;
	}
	buf_release(&out);
	sodium_memzero(hdr, sizeof(hdr));
	return r;
}

int
drop_client_done(struct drop_client *c, const char *id, const char *put,
    char tokens[][DROP_LINK_TOKEN_MAX_BYTES + 1], unsigned max, unsigned *n_links)
{
	char path[80], hdr[32 + DROP_CLIENT_PUT_HEX];
	struct buf out;
	int r;

	*n_links = 0;
	snprintf(hdr, sizeof(hdr), "X-Fernsicht-Put: %s", put);
	snprintf(path, sizeof(path), "/v1/drop/done?id=%s", id);
	buf_init(&out, DROP_CLIENT_ANSWER_MAX_BYTES);
	r = request_retried(c, "done", true, path, hdr, NULL, 0, &out);
	if (r == 0) {
		while (*n_links < max && field(&out, "link", *n_links, tokens[*n_links],
		    DROP_LINK_TOKEN_MAX_BYTES) == 0)
			(*n_links)++;
		if (*n_links == 0)
			r = bad_answer(c, "done");
	}
	buf_release(&out);
	sodium_memzero(hdr, sizeof(hdr));
	return r;
}

int
drop_client_claim(struct drop_client *c, const char *token,
    char id[DROP_CLIENT_ID_HEX + 1], uint64_t *size, char get[DROP_CLIENT_GET_HEX + 1])
{
	char path[40 + DROP_LINK_TOKEN_MAX_BYTES], size_text[24];
	struct buf out;
	int r;

	id[0] = get[0] = '\0';
	*size = 0;
	/* The token alone: a link's #KEY never leaves this program. */
	if (strlen(token) > DROP_LINK_TOKEN_MAX_BYTES || strchr(token, '#') != NULL)
		return ERR_INTERNAL;
	snprintf(path, sizeof(path), "/v1/drop/claim?t=%s", token);
	buf_init(&out, DROP_CLIENT_ANSWER_MAX_BYTES);
	/* Not tried again: a claim that reached the relay spent a download. */
	r = request(c, "claim", true, path, NULL, NULL, 0, &out);
	if (r == 0 && (field(&out, "id", 0, id, DROP_CLIENT_ID_HEX) != 0 ||
	    field(&out, "get", 0, get, DROP_CLIENT_GET_HEX) != 0 ||
	    field(&out, "size", 0, size_text, 20) != 0 || drop_answer_number(size_text, size) != 0 ||
	    !hex_of(id, DROP_CLIENT_ID_HEX) || !hex_of(get, DROP_CLIENT_GET_HEX)))
		r = bad_answer(c, "claim");
	if (r == ERR_PROTOCOL && c->status == 410)
		snprintf(c->why, sizeof(c->why), "%s",
		    _("this drop link is used up or expired (the relay answered 410)"));
	buf_release(&out);
	return r;
}

int
drop_client_get(struct drop_client *c, const char *id, const char *get, uint64_t off,
    struct buf *out)
{
	char path[120], hdr[32 + DROP_CLIENT_GET_HEX];
	struct buf part;
	int r = ERR_AGAIN;

	snprintf(hdr, sizeof(hdr), "X-Fernsicht-Get: %s", get);
	snprintf(path, sizeof(path), "/v1/drop/get?id=%s&off=%" PRIu64, id, off);
	buf_init(&part, DROP_PART_MAX_BYTES);
	for (int i = 0; i <= DROP_CLIENT_RETRIES && r == ERR_AGAIN; i++) {
		if (i > 0)
			log_info("get: %s; trying again", c->why);
		r = request(c, "get", false, path, hdr, NULL, 0, &part);
		/* A part that broke off: what came is good (the blob's own
		 * tags check it), and the caller asks on from its end. */
		if (r == ERR_AGAIN && c->status == 200 && buf_len(&part) > 0) {
			log_info("get: %s; going on from what came", c->why);
			r = 0;
		}
	}
	if (r == 0 && (r = buf_put_bytes(out, buf_ptr(&part), buf_len(&part))) != 0)
		snprintf(c->why, sizeof(c->why), "%s", _("no room for the downloaded part"));
	buf_release(&part);
	sodium_memzero(hdr, sizeof(hdr));
	return r;
}
