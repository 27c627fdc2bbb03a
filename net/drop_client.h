/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_client.h - a relay's file drop over HTTP(S) (docs/PROTOCOL.md 5.2):
 * the requests new, put, done (uploading a blob with a WELCOME's grant)
 * and claim, get (downloading one with a link's token). It moves blob
 * bytes only: what they are is proto/blob.h's business, and a link's KEY
 * never reaches this file (a request carries the token alone).
 *
 * Blocking, one request at a time on one libcurl handle (kept alive
 * between requests), with the proxy and CA options of the transports. A
 * request that breaks (connection lost, timeout, a 5xx other than 507) is
 * tried again, DROP_CLIENT_RETRIES times: a put from the offset the relay
 * says it has (its 409 "have="), a get from where the bytes stopped.
 */
#ifndef NET_DROP_CLIENT_H
#define NET_DROP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "limits.h"
#include "transport.h"

enum {
	DROP_CLIENT_ID_HEX = 2 * DROP_ID_BYTES,
	DROP_CLIENT_PUT_HEX = 2 * DROP_PUT_BYTES,
	DROP_CLIENT_GET_HEX = 2 * DROP_GET_BYTES,
};

struct drop_client {
	void *curl;                     /* CURL *, kept alive between requests */
	char base[16 + CLIENT_RELAY_TEXT_MAX]; /* "http(s)://HOST:PORT" */
	char relay[CLIENT_RELAY_TEXT_MAX + 1];  /* "HOST:PORT", the port always written */
	const struct transport_opts *opts; /* proxy, CA; NULL: none given */
	long status;                    /* the last answer's HTTP status, 0: none */
	char why[256];                  /* why the last call failed, for people */
};

/* What a drop is asked for: links of downloads each, kept ttl_s seconds. */
struct drop_ask {
	unsigned links;                 /* 1..DROP_LINKS_MAX */
	unsigned downloads;             /* 1..DROP_DOWNLOADS_MAX */
	uint64_t ttl_s;
};

/* relay is "HOST[:PORT]" (without a port: 443 with https, else RELAY_PORT_DEFAULT). */
int drop_client_init(struct drop_client *c, const char *relay, bool https,
    const struct transport_opts *o) WUR;
void drop_client_close(struct drop_client *c);

/* POST /v1/drop/new: reserve size bytes; the drop's id and put secret (hex). */
int drop_client_new(struct drop_client *c, const uint8_t *grant, size_t grant_len,
    uint64_t size, const struct drop_ask *ask, char id[DROP_CLIENT_ID_HEX + 1],
    char put[DROP_CLIENT_PUT_HEX + 1]) WUR;
/* POST /v1/drop/put: the bytes p[0..n) (n <= DROP_PART_MAX_BYTES) at off. */
int drop_client_put(struct drop_client *c, const char *id, const char *put, uint64_t off,
    const uint8_t *p, size_t n) WUR;
/* POST /v1/drop/done: the links' tokens, *n_links of them (<= max). */
int drop_client_done(struct drop_client *c, const char *id, const char *put,
    char tokens[][DROP_LINK_TOKEN_MAX_BYTES + 1], unsigned max, unsigned *n_links) WUR;
/* POST /v1/drop/claim: spends one download of the link; its id, size, get secret. */
int drop_client_claim(struct drop_client *c, const char *token,
    char id[DROP_CLIENT_ID_HEX + 1], uint64_t *size, char get[DROP_CLIENT_GET_HEX + 1]) WUR;
/* GET /v1/drop/get: append the blob's bytes from off (up to a part) to out. */
int drop_client_get(struct drop_client *c, const char *id, const char *get, uint64_t off,
    struct buf *out) WUR;

#endif
