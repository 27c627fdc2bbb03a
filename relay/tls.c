/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* -Iproto makes <limits.h> our proto/limits.h: OpenSSL's headers want INT_MAX */
#ifndef INT_MAX
#define INT_MAX __INT_MAX__
#endif
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "log.h"
#include "tls.h"

struct tls_server {
	SSL_CTX *ctx;
};

static char last_why[160];

const char *
tls_why(void)
{
	return last_why[0] != '\0' ? last_why : "unknown";
}

/* OpenSSL's first queued error as text; the queue is emptied. */
static void
take_error(const char *what)
{
	unsigned long e = ERR_get_error();
	char s[120];

	if (e != 0)
		ERR_error_string_n(e, s, sizeof(s));
	else
		snprintf(s, sizeof(s), "%s", errno != 0 ? strerror(errno) : "no detail");
	snprintf(last_why, sizeof(last_why), "%s: %s", what, s);
	ERR_clear_error();
}

int
tls_server_new(const char *cert_file, const char *key_file, struct tls_server **out,
    char *why, size_t why_len)
{
	struct tls_server *s;
	X509 *leaf;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ERR_NOMEM;
	ERR_clear_error();
	if ((s->ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		take_error("SSL_CTX_new");
		goto bad;
	}
	/* 1.2 and 1.3 only; OpenSSL's default ciphers; no renegotiation, so a
	 * write never has to wait for the peer's handshake */
	if (SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION) != 1) {
		take_error("TLS versions");
		goto bad;
	}
	SSL_CTX_set_options(s->ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
	/* a peer that just closes is a closed peer: frames carry their own lengths */
	SSL_CTX_set_options(s->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
	/* our output buffer may move between a WANT_WRITE and the retry */
	SSL_CTX_set_mode(s->ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
	    SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
	SSL_CTX_set_session_cache_mode(s->ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(s->ctx, 0);
	if (SSL_CTX_use_certificate_chain_file(s->ctx, cert_file) != 1) {
		take_error(cert_file);
		goto bad;
	}
	if (SSL_CTX_use_PrivateKey_file(s->ctx, key_file, SSL_FILETYPE_PEM) != 1) {
		take_error(key_file);
		goto bad;
	}
	if (SSL_CTX_check_private_key(s->ctx) != 1) {
		take_error("the key does not match the certificate");
		goto bad;
	}
	/* an expired certificate still loads: clients will say why they refuse */
	if ((leaf = SSL_CTX_get0_certificate(s->ctx)) != NULL &&
	    X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0)
		log_warn("TLS certificate %s has expired: clients will refuse it", cert_file);
	*out = s;
	return 0;
bad:
	snprintf(why, why_len, "%s", last_why);
	tls_server_free(s);
	return ERR_FORMAT;
}

void
tls_server_free(struct tls_server *s)
{
	if (s == NULL)
		return;
	SSL_CTX_free(s->ctx);
	free(s);
}

struct tls *
tls_new(struct tls_server *s, int fd)
{
	struct tls *t;
	SSL *ssl;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((ssl = SSL_new(s->ctx)) == NULL || SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		free(t);
		ERR_clear_error();
		return NULL;
	}
	SSL_set_accept_state(ssl);
	t->ssl = ssl;
	return t;
}

void
tls_free(struct tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	free(t);
}

/* An SSL_read/SSL_write result that is not a success, as ERR_*. */
static int
failed(struct tls *t, int ret, const char *what)
{
	int e = SSL_get_error(t->ssl, ret);

	switch (e) {
	case SSL_ERROR_WANT_READ:
	case SSL_ERROR_WANT_WRITE:
		ERR_clear_error();
		return ERR_AGAIN;
	case SSL_ERROR_ZERO_RETURN:
		ERR_clear_error();
		return ERR_CLOSED;
	case SSL_ERROR_SYSCALL:
		/* an end of stream without close_notify, or a reset */
		if (ERR_peek_error() == 0 && (errno == 0 || errno == ECONNRESET || errno == EPIPE)) {
			ERR_clear_error();
			return ERR_CLOSED;
		}
		take_error(what);
		return ERR_SYSTEM;
	default:
		take_error(what);
		return ERR_AUTH;
	}
}

int
tls_read(struct tls *t, void *p, size_t n, size_t *got)
{
	const char *what = SSL_is_init_finished(t->ssl) ? "TLS read" : "TLS handshake";
	int ret;

	*got = 0;
	t->read_wants_write = false;
	if (n == 0)
		return ERR_NO_SPACE;
	ERR_clear_error();
	errno = 0;
	ret = SSL_read(t->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
	if (ret > 0) {
		*got = (size_t)ret;
		return 0;
	}
	if (SSL_get_error(t->ssl, ret) == SSL_ERROR_WANT_WRITE)
		t->read_wants_write = true;
	return failed(t, ret, what);
}

int
tls_write(struct tls *t, const void *p, size_t n, size_t *sent)
{
	int ret;

	*sent = 0;
	t->write_wants_read = false;
	if (n == 0)
		return 0;
	ERR_clear_error();
	errno = 0;
	ret = SSL_write(t->ssl, p, n > INT32_MAX ? INT32_MAX : (int)n);
	if (ret > 0) {
		*sent = (size_t)ret;
		return 0;
	}
	if (SSL_get_error(t->ssl, ret) == SSL_ERROR_WANT_READ)
		t->write_wants_read = true;
	return failed(t, ret, "TLS write");
}

bool
tls_pending(const struct tls *t)
{
	return SSL_pending(t->ssl) > 0;
}

bool
tls_ready(const struct tls *t)
{
	return SSL_is_init_finished(t->ssl);
}

void
tls_shutdown(struct tls *t)
{
	if (!SSL_is_init_finished(t->ssl))
		return;
	ERR_clear_error();
	(void)SSL_shutdown(t->ssl);
	ERR_clear_error();
}

int
tls_server_require_client(struct tls_server *s, const char *ca_file, char *why, size_t why_len)
{
	STACK_OF(X509_NAME) *names;

	ERR_clear_error();
	if (SSL_CTX_load_verify_locations(s->ctx, ca_file, NULL) != 1 ||
	    (names = SSL_load_client_CA_file(ca_file)) == NULL) {
		take_error(ca_file);
		snprintf(why, why_len, "%s", last_why);
		return ERR_FORMAT;
	}
	SSL_CTX_set_client_CA_list(s->ctx, names);
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return 0;
}
