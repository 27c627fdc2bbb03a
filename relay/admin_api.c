/* SPDX-License-Identifier: Apache-2.0 */
/*
 * admin_api.c - the answer to one admin request (the list is in admin.h):
 * the signature checks first (admin_auth.h), then the endpoint. Errors
 * are JSON {"error": "..."} under /v1/admin/, plain text elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <time.h>

#include "admin_auth.h"
#include "admin_private.h"
#include "json.h"
#include "keyvalue.h"
#include "loop.h"
#include "metrics.h"
#include "tokens.h"

enum { HEADER_MAX = 160 };              /* one X-Fernsicht-* value, bytes */

static const char JSON[] = "application/json";
static const char PROMETHEUS[] = "text/plain; version=0.0.4; charset=utf-8";

static void
text(struct admin_answer *ans, int status, const char *s)
{
	buf_reset(&ans->body);
	ans->status = status;
	ans->type = "text/plain";
	if (buf_put_bytes(&ans->body, s, strlen(s)) != 0)
		ans->status = 500;
}

static void
error(struct admin_answer *ans, int status, const char *why)
{
	struct json j = { .out = &ans->body };

	buf_reset(&ans->body);
	ans->status = status;
	ans->type = JSON;
	json_put(&j, "{\"error\":");
	json_str(&j, why);
	json_put(&j, "}\n");
	if (j.err != 0)
		text(ans, 500, "internal error\n");
}

static void
ok_json(struct admin_answer *ans, const char *body)
{
	buf_reset(&ans->body);
	ans->status = 200;
	ans->type = JSON;
	if (buf_put_bytes(&ans->body, body, strlen(body)) != 0)
		text(ans, 500, "internal error\n");
}

/* "/v1/admin/" WHAT "/" N "/" VERB with N a session number: N, or 0. */
static uint32_t
number_in(const char *path, const char *what, const char *verb)
{
	char want[64];
	size_t wn;
	unsigned long n = 0;
	const char *p;

	wn = (size_t)snprintf(want, sizeof(want), "/v1/admin/%s/", what);
	if (strncmp(path, want, wn) != 0)
		return 0;
	for (p = path + wn; *p >= '0' && *p <= '9' && n <= SESSION_NUMBER_MAX; p++)
		n = n * 10 + (unsigned long)(*p - '0');
	if (p == path + wn || path[wn] == '0' || *p != '/' || strcmp(p + 1, verb) != 0 ||
	    n < SESSION_NUMBER_MIN || n > SESSION_NUMBER_MAX)
		return 0;
	return (uint32_t)n;
}

static void
metrics(struct admin *a, struct admin_answer *ans)
{
	struct metrics_gauges g;

	memset(&g, 0, sizeof(g));
	a->ops->gauges(a->ops_arg, &g);
	g.uptime_s = (double)(loop_now_ms(a->loop) - a->started_ms) / 1000.0;
	buf_reset(&ans->body);
	if (metrics_render(&ans->body, &g) != 0) {
		text(ans, 500, "metrics too large\n");
		return;
	}
	ans->status = 200;
	ans->type = PROMETHEUS;
}

static void
healthz(struct admin *a, struct admin_answer *ans)
{
	struct metrics_gauges g;

	memset(&g, 0, sizeof(g));
	a->ops->gauges(a->ops_arg, &g);
	/* a draining relay takes no new sessions: a balancer should look elsewhere */
	if (g.draining)
		text(ans, 503, "draining\n");
	else
		text(ans, 200, "ok\n");
}

/* POST /v1/admin/tokens: the body's name and ttl (keyvalue.h lines, so a
 * name may hold any printable text); 0 or ERR_FORMAT with why. */
static int
token_request(const uint8_t *body, size_t len, char name[TOKEN_NAME_MAX + 1], uint64_t *ttl,
    const char **why)
{
	static const struct keyvalue_key keys[] = { { "name", 0 }, { "ttl", 0 } };
	struct keyvalue_reader kv;
	struct keyvalue_item it;
	char *end;

	name[0] = '\0';
	*ttl = 0;
	*why = "the body is lines \"name = NAME\" and \"ttl = SECONDS\"";
	keyvalue_init(&kv, keys, 2, (const char *)body, len);
	for (keyvalue_next(&kv, &it); it.kind == KEYVALUE_PAIR; keyvalue_next(&kv, &it)) {
		if (it.key == 0 && strlen(it.value) <= TOKEN_NAME_MAX) {
			snprintf(name, TOKEN_NAME_MAX + 1, "%s", it.value);
		} else if (it.key == 1 && it.value[0] >= '1' && it.value[0] <= '9') {
			*ttl = strtoull(it.value, &end, 10);
			if (*end != '\0' || *ttl > TOKEN_TTL_MAX_S)
				*ttl = 0;
		} else {
			return ERR_FORMAT;
		}
	}
	keyvalue_wipe(&kv);
	if (it.kind != KEYVALUE_END || name[0] == '\0' || *ttl == 0)
		return ERR_FORMAT;
	return 0;
}

/* The token endpoints; false when the path is none of theirs. */
static bool
tokens_api(struct admin *a, const char *peer, const struct http_req *req, const uint8_t *body,
    struct admin_answer *ans)
{
	static const char prefix[] = "/v1/admin/tokens/", suffix[] = "/revoke";
	char name[TOKEN_NAME_MAX + 1], token[WIRE_TOKEN_MAX + 1], id[TOKEN_ID_HEX_LEN + 1];
	struct tokens *t = a->ops->tokens(a->ops_arg);
	size_t n = strlen(req->path);
	struct json j = { .out = &ans->body };
	const char *why;
	uint64_t ttl;
	int r;

	if (strcmp(req->path, "/v1/admin/tokens") != 0 && (strncmp(req->path, prefix,
	    sizeof(prefix) - 1) != 0 || n != sizeof(prefix) - 1 + TOKEN_ID_HEX_LEN +
	    sizeof(suffix) - 1 || strcmp(req->path + n - (sizeof(suffix) - 1), suffix) != 0))
		return false;
	if (t == NULL) {
		error(ans, 404, "this relay has no token-key-file");
		return true;
	}
	if (req->method == HTTP_GET && strcmp(req->path, "/v1/admin/tokens") == 0) {
		buf_reset(&ans->body);
		ans->status = 200;
		ans->type = JSON;
		if (tokens_list_json(t, &ans->body, (uint64_t)time(NULL)) != 0)
			error(ans, 500, "the token list is too large");
		return true;
	}
	if (req->method != HTTP_POST) {
		error(ans, 405, "POST only");
		return true;
	}
	if (strcmp(req->path, "/v1/admin/tokens") == 0) {
		if (token_request(body, (size_t)req->content_length, name, &ttl, &why) != 0) {
			error(ans, 400, why);
			return true;
		}
		r = tokens_issue(t, name, (uint64_t)time(NULL), ttl, token, sizeof(token), id);
		if (r != 0) {
			error(ans, r == ERR_FORMAT ? 400 : r == ERR_LIMIT ? 409 : 500,
			    r == ERR_FORMAT ? "a name is 1 to 64 bytes of UTF-8 without control "
			    "characters" : r == ERR_LIMIT ? "too many tokens listed" :
			    "the token could not be recorded");
			return true;
		}
		log_info("admin peer=%s: token %s issued for %d s", peer, id, (int)ttl);
		buf_reset(&ans->body);
		ans->status = 200;
		ans->type = JSON;
		json_put(&j, "{\"id\":\"%s\",\"token\":\"%s\",\"expires\":%llu}\n", id, token,
		    (unsigned long long)((uint64_t)time(NULL) + ttl));
		sodium_memzero(token, sizeof(token));
		if (j.err != 0)
			error(ans, 500, "internal error");
		return true;
	}
	memcpy(id, req->path + sizeof(prefix) - 1, TOKEN_ID_HEX_LEN);
	id[TOKEN_ID_HEX_LEN] = '\0';
	r = tokens_revoke(t, id);
	if (r != 0) {
		error(ans, r == ERR_NOT_FOUND ? 404 : r == ERR_FORMAT ? 400 : 500,
		    r == ERR_NOT_FOUND ? "no token with that id was issued here" :
		    r == ERR_FORMAT ? "a token id is 32 lower-case hex digits" :
		    "the revocation could not be recorded");
		return true;
	}
	log_info("admin peer=%s: token %s revoked", peer, id);
	snprintf(name, sizeof(name), "{\"revoked\":\"%.32s\"}\n", id);
	ok_json(ans, name);
	return true;
}

/* The API proper, once the request's signature and scope were good. */
static void
api(struct admin *a, const char *peer, const struct http_req *req, const uint8_t *req_body,
    struct admin_answer *ans)
{
	char body[128];
	const char *was;
	uint32_t n;

	if (strcmp(req->path, "/v1/admin/sessions") == 0) {
		if (req->method != HTTP_GET) {
			error(ans, 405, "GET only");
			return;
		}
		buf_reset(&ans->body);
		if (a->ops->sessions_json(a->ops_arg, &ans->body) != 0) {
			error(ans, 500, "the session list is too large");
			return;
		}
		ans->status = 200;
		ans->type = JSON;
		return;
	}
	if (tokens_api(a, peer, req, req_body, ans))
		return;
	if (number_in(req->path, "sessions", "end") == 0 &&
	    number_in(req->path, "numbers", "retire") == 0 &&
	    strcmp(req->path, "/v1/admin/drain") != 0) {
		error(ans, 404, "no such endpoint");
		return;
	}
	if (req->method != HTTP_POST) {
		error(ans, 405, "POST only");
		return;
	}
	if ((n = number_in(req->path, "sessions", "end")) != 0) {
		if (!a->ops->end(a->ops_arg, n)) {
			error(ans, 404, "no live session with that number here");
			return;
		}
		log_info("admin peer=%s: session %u ended", peer, n);
		snprintf(body, sizeof(body), "{\"ended\":%u}\n", n);
		ok_json(ans, body);
	} else if ((n = number_in(req->path, "numbers", "retire")) != 0) {
		if ((was = a->ops->retire(a->ops_arg, n)) == NULL) {
			error(ans, 409, "another relay holds that number, or the directory "
			    "cannot tell now");
			return;
		}
		log_info("admin peer=%s: number %u retired (it was %s)", peer, n, was);
		snprintf(body, sizeof(body), "{\"retired\":%u,\"was\":\"%s\"}\n", n, was);
		ok_json(ans, body);
	} else if (strcmp(req->path, "/v1/admin/drain") == 0) {
		was = a->ops->drain(a->ops_arg) ? "false" : "true";
		log_info("admin peer=%s: drain", peer);
		snprintf(body, sizeof(body), "{\"draining\":true,\"already\":%s}\n", was);
		ok_json(ans, body);
	}
}

/* A header's value, or NULL when missing or malformed (too long, twice). */
static const char *
header(const struct http_req *req, const uint8_t *in, const char *name, char *out)
{
	return http_header(in, req->head_len, name, out, HEADER_MAX) == 0 ? out : NULL;
}

void
admin_api_serve(struct admin *a, const char *peer, const struct http_req *req,
    const uint8_t *in, struct admin_answer *ans)
{
	char key[HEADER_MAX], tm[HEADER_MAX], nonce[HEADER_MAX], sig[HEADER_MAX];
	char target[2 * HTTP_TARGET_MAX + 2], why[160];
	bool open_ok = strcmp(req->path, "/metrics") == 0 || strcmp(req->path, "/healthz") == 0;
	struct admin_auth_req r;
	enum admin_verdict v;

	relay_metrics.admin_requests++;
	if (!(open_ok && a->cfg.metrics_open)) {
		snprintf(target, sizeof(target), "%s%s%s", req->path, req->query[0] != '\0' ?
		    "?" : "", req->query);
		memset(&r, 0, sizeof(r));
		r.method = req->method == HTTP_GET ? "GET" : "POST";
		r.target = target;
		r.key_id = header(req, in, "X-Fernsicht-Key", key);
		r.time = header(req, in, "X-Fernsicht-Time", tm);
		r.nonce = header(req, in, "X-Fernsicht-Nonce", nonce);
		r.signature = header(req, in, "X-Fernsicht-Signature", sig);
		r.body = in + req->head_len;
		r.body_len = (size_t)req->content_length;
		v = admin_auth_check(&a->keys, a->nonces, &r,
		    req->method == HTTP_GET ? ADMIN_SCOPE_READ : ADMIN_SCOPE_ACT,
		    (int64_t)time(NULL), why, sizeof(why));
		if (v != ADMIN_OK) {
			relay_metrics.admin_refused++;
			log_rl(&a->rl_refuse, LOG_WARN, "admin peer=%s: %s %s refused: %s", peer,
			    r.method, req->path, why);
			error(ans, v == ADMIN_FORBIDDEN ? 403 : v == ADMIN_BUSY ? 503 : 401, why);
			return;
		}
	}
	if (strcmp(req->path, "/metrics") == 0) {
		if (req->method == HTTP_GET)
			metrics(a, ans);
		else
			text(ans, 405, "GET only\n");
	} else if (strcmp(req->path, "/healthz") == 0) {
		if (req->method == HTTP_GET)
			healthz(a, ans);
		else
			text(ans, 405, "GET only\n");
	} else {
		api(a, peer, req, in + req->head_len, ans);
	}
}
