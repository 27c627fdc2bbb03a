/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls.h - the relay's side of TLS (tier T1, and https long-poll): one
 * server context made from --tls-cert/--tls-key, and per connection a
 * non-blocking OpenSSL session on the connection's socket.
 *
 * TLS only hides metadata and authenticates the relay; what the ends say
 * to each other is protected end to end whatever carries it.
 *
 * OpenSSL may need the socket the other way round from the call: a read
 * that must write first (a handshake reply, a key update) or a write that
 * must read first. tls_read/tls_write then return ERR_AGAIN and set
 * read_wants_write / write_wants_read, and the loop watches for that.
 */
#ifndef RELAY_TLS_H
#define RELAY_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct tls_server;

struct tls {
	void *ssl;                      /* SSL *, kept out of the other headers */
	bool read_wants_write;          /* the last tls_read waits for the socket to be writable */
	bool write_wants_read;          /* the last tls_write waits for it to be readable */
};

/* Load a PEM certificate (chain allowed) and its key. ERR_FORMAT with why[] set. */
int tls_server_new(const char *cert_file, const char *key_file, struct tls_server **out,
    char *why, size_t why_len) WUR;
void tls_server_free(struct tls_server *s);
/* admin listener (mTLS): every client must show a certificate that ca_file
 * (PEM, one or more) signed, or its handshake fails. ERR_FORMAT with why[]. */
int tls_server_require_client(struct tls_server *s, const char *ca_file, char *why,
    size_t why_len) WUR;

/* A server session on non-blocking fd; the handshake runs inside tls_read. */
struct tls *tls_new(struct tls_server *s, int fd);
void tls_free(struct tls *t);
/*
 * Decrypt into p[0..n). ERR_AGAIN: nothing now. ERR_CLOSED: the peer closed
 * (with or without close_notify). ERR_AUTH: the handshake or a record
 * failed; tls_why() says why.
 */
int tls_read(struct tls *t, void *p, size_t n, size_t *got) WUR;
/* Encrypt and send p[0..n); *sent may be less. ERR_AGAIN, ERR_CLOSED, ERR_AUTH. */
int tls_write(struct tls *t, const void *p, size_t n, size_t *sent) WUR;
/* Decrypted bytes wait inside OpenSSL, which epoll cannot see. */
bool tls_pending(const struct tls *t);
bool tls_ready(const struct tls *t);    /* the handshake is done */
/* Send close_notify, once, if the socket takes it now. */
void tls_shutdown(struct tls *t);
/* The last failure, for the log (OpenSSL's reason text: never payload). */
const char *tls_why(void);

#endif
