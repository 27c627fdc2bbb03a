/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_put.h - one file into the relay's file drop: encrypted here into a
 * blob (proto/blob.h) for a link and/or identities, uploaded part by part
 * (net/drop_client.h) with a WELCOME's grant, and answered with links
 * (proto/droplink.h). The relay sees the blob's bytes and size, never the
 * file's name, content or key.
 */
#ifndef ENDPOINT_DROP_PUT_H
#define ENDPOINT_DROP_PUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "blob.h"
#include "drop_client.h"
#include "limits.h"
#include "transport.h"

struct drop_put {
	const char *relay;              /* where the grant came from (link->relay_used) */
	bool https;
	const struct transport_opts *topts;
	const uint8_t *grant;
	size_t grant_len;
	struct drop_ask ask;
	bool for_link;                  /* a link envelope: the links carry #KEY */
	const uint8_t (*identity)[BLOB_KEY_LEN]; /* and these identities' */
	size_t n_identity;
};

struct link;

/*
 * Where the upload goes for a link that reached a relay (call before
 * link_close): into relay[] the relay it used, with the port its tier used
 * written out (so that a fetch finds it again), and https as the tier was
 * TLS; want_https 1 or 0 decides instead, -1 leaves it to the tier.
 * Also copies the grant. False when the relay gave no grant.
 */
bool drop_put_where(struct drop_put *p, const struct link *l, int want_https,
    char relay[CLIENT_RELAY_TEXT_MAX + 1], uint8_t grant[WIRE_DROP_GRANT_MAX]);

/*
 * Upload the file at path. On success links[0..*n_links) hold the links
 * (with the key when p->for_link). On failure why[] says why; the relay
 * drops an upload that is never finished. ERR_AUTH: the relay no longer
 * takes the grant (410: renewed by the host, expired, or its session is
 * over): with the host's next grant it may go.
 */
int drop_put_file(const struct drop_put *p, const char *path,
    char links[][DROP_LINK_MAX_BYTES + 1], unsigned max, unsigned *n_links,
    char *why, size_t why_len) WUR;

#endif
