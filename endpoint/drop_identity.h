/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_identity.h - a person's file drop identity: an X25519 key pair kept
 * in ~/.config/fernsicht/drop-identity (mode 0600, made on first use).
 * Blobs dropped for it carry an envelope only its secret key opens
 * (proto/blob.h, kind 2); the public key is what the peers of a session
 * learn.
 *
 * The file: the line "fernsicht-drop-identity 1", then "public HEX" and
 * "secret HEX" (64 hex digits each). A file readable by others, or that
 * does not hold a matching pair, is refused, never replaced.
 */
#ifndef ENDPOINT_DROP_IDENTITY_H
#define ENDPOINT_DROP_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "blob.h"

struct drop_identity {
	uint8_t pk[BLOB_KEY_LEN];
	uint8_t sk[BLOB_KEY_LEN];
};

/* Read the identity at path, or make it there (and its folder, 0700) when
 * there is none. 0, or an error with why[] for people. */
int drop_identity_load(const char *path, struct drop_identity *id, char *why,
    size_t why_len) WUR;
void drop_identity_clear(struct drop_identity *id);

#endif
