/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cpace.h - CPace (draft-irtf-cfrg-cpace) on ristretto255 with SHA-512.
 *
 * The viewer is the initiator (A), the master the responder (B). The
 * password-related string PRS is the one-time code; the channel identifier
 * CI and the session id sid are built by handshake.c. Checked against the
 * draft's test vectors (tests/unit/test_cpace.c).
 */
#ifndef PROTO_CPACE_H
#define PROTO_CPACE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define CPACE_POINT_LEN 32
#define CPACE_SCALAR_LEN 32
#define CPACE_ISK_LEN 64
#define CPACE_DSI "CPaceRistretto255"

/* g = ristretto255_from_hash(SHA-512(lv_cat(DSI, PRS, zero pad, CI, sid))). */
int cpace_generator(uint8_t g[CPACE_POINT_LEN], const uint8_t *prs, size_t prs_len,
    const uint8_t *ci, size_t ci_len, const uint8_t *sid, size_t sid_len) WUR;
void cpace_scalar_random(uint8_t y[CPACE_SCALAR_LEN]);
/* Y = y * g. */
int cpace_public(uint8_t Y[CPACE_POINT_LEN], const uint8_t y[CPACE_SCALAR_LEN],
    const uint8_t g[CPACE_POINT_LEN]) WUR;
/* K = y * Y_other; ERR_AUTH if Y_other is not a valid point or K is the identity. */
int cpace_secret(uint8_t K[CPACE_POINT_LEN], const uint8_t y[CPACE_SCALAR_LEN],
    const uint8_t Yother[CPACE_POINT_LEN]) WUR;
/* ISK = SHA-512(lv_cat(DSI "_ISK", sid, K) || lv_cat(Ya, ADa) || lv_cat(Yb, ADb))
 * (initiator-responder ordering of the draft). */
void cpace_isk_ir(uint8_t isk[CPACE_ISK_LEN], const uint8_t *sid, size_t sid_len,
    const uint8_t K[CPACE_POINT_LEN],
    const uint8_t Ya[CPACE_POINT_LEN], const uint8_t *ada, size_t ada_len,
    const uint8_t Yb[CPACE_POINT_LEN], const uint8_t *adb, size_t adb_len);

#endif
