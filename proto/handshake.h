/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handshake.h - the end-to-end handshake between a master and one viewer.
 *
 * Pure state machines: they turn received handshake messages into the
 * next message to send and, at the end, into keys. No I/O, no clock.
 *
 *   master                                   viewer
 *   HS_OFFER  nonce_m, suites, commit(Yb), name  ---->
 *                                     <----  HS_INIT  nonce_v, suites, pk, Ya, name
 *   HS_REPLY  suite, Yb, tag_m       ---->   (checks tag_m: wrong code or
 *                                     <----  HS_CONFIRM tag_v   tampering ends here)
 *   (checks tag_v, asks the host)
 *
 * CPace: PRS = the six code digits; sid = nonce_m;
 * CI = lv("FSHT-CPace-v2") || lv(u32 session) || lv(u64 session uid)
 *      || lv(u16 viewer slot) || lv(SHA-512(HS_OFFER bytes, commit zeroed));
 * commit = BLAKE2b-256("FSHT-commit-v2" || Yb): the master picks Yb before
 * it sees Ya, and the viewer refuses a Yb that does not match, so an
 * active attacker in the middle cannot choose its CPace values after seeing
 * the other side's and steer the check code (derived from ISK) to match.
 * ADa = the HS_INIT bytes with Ya zeroed (so pk, nonce, suites and name are
 * bound); ADb = the two HS_REPLY bytes before Yb (type 0x03, suite).
 * ISK = CPace ISK (initiator-responder ordering).
 * prk = BLAKE2b-256(key = ISK, "fernsicht-v1 prk"); sub-keys by
 * crypto_kdf_derive_from_key(prk, id, "FShs0001") with the HS_KEY_* ids.
 * th = SHA-512(HS_OFFER bytes || HS_INIT bytes || HS_REPLY bytes up to the tag);
 * tag_m = HMAC-SHA-512-256(key 1, "master" || th),
 * tag_v = HMAC-SHA-512-256(key 2, "viewer" || th).
 * The chosen suite is AES-256-GCM when both offers have it, else XChaCha20.
 */
#ifndef PROTO_HANDSHAKE_H
#define PROTO_HANDSHAKE_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "cpace.h"
#include "msg.h"
#include "sec.h"

enum hs_key_id {
	HS_KEY_CONFIRM_MASTER = 1,
	HS_KEY_CONFIRM_VIEWER = 2,
	HS_KEY_VIEWER_TO_MASTER = 3,
	HS_KEY_MASTER_TO_VIEWER = 4,
	HS_KEY_CHECK = 5,
	HS_KEY_DIRECT = 6,
	HS_KEY_SCREEN = 7,
};

enum hs_state {
	HS_IDLE = 0,
	HS_OFFERED,     /* master: offer sent, waiting for INIT */
	HS_INITED,      /* viewer: INIT sent, waiting for REPLY */
	HS_REPLIED,     /* master: REPLY sent, waiting for CONFIRM */
	HS_DONE,        /* keys ready */
	HS_FAILED,
};

/* What binds a handshake to one relay session and slot. */
/* The longest password CPace runs over: a LAN upgrade token in hex. */
#define HS_PRS_MAX 64

struct hs_bind {
	uint32_t session;
	uint64_t session_uid;
	uint16_t slot;
};

/* What a finished handshake yields to both sides. */
struct hs_result {
	uint8_t suite;
	uint8_t key_vm[SEC_KEY_LEN];    /* viewer -> master records */
	uint8_t key_mv[SEC_KEY_LEN];    /* master -> viewer records */
	uint8_t key_direct[SEC_KEY_LEN];
	/* Binds each session key to this pair (sec_screen_key): the other
	 * viewers hold the session key too, but not this. */
	uint8_t key_screen[SEC_KEY_LEN];
	uint32_t check;                 /* 0..999999, shown on both screens */
	uint8_t viewer_pk[MSG_PK_LEN];  /* the authenticated X25519 key */
	char peer_name[MSG_NAME_MAX + 1];
};

struct hs {
	enum hs_state state;
	bool master;
	struct hs_bind bind;
	char code[HS_PRS_MAX + 1];      /* the PRS: the six digits, or a LAN upgrade token */
	size_t code_len;
	uint8_t suites;                 /* what we offer */
	uint8_t peer_suites;
	uint8_t nonce_m[MSG_NONCE_LEN], nonce_v[MSG_NONCE_LEN];
	uint8_t offer_hash[64];
	uint8_t commit[MSG_COMMIT_LEN]; /* viewer: the OFFER's commitment to Yb */
	uint8_t y[CPACE_SCALAR_LEN];
	uint8_t ya[CPACE_POINT_LEN], yb[CPACE_POINT_LEN];
	uint8_t isk[CPACE_ISK_LEN];
	uint8_t offer_raw[2 * MSG_NAME_MAX + 64];
	size_t offer_len;
	uint8_t init_raw[2 * MSG_NAME_MAX + 128];
	size_t init_len;
	uint8_t box_sk[32];             /* viewer: X25519 secret for the key wrap */
	struct hs_result res;
};

/* Master: start a handshake with the viewer in bind->slot; out gets HS_OFFER. */
int hs_master_start(struct hs *h, const struct hs_bind *bind, const char *code,
    uint8_t suites, const char *name, struct buf *out) WUR;
/* Master: the viewer's HS_INIT (raw message bytes); out gets HS_REPLY. */
int hs_master_on_init(struct hs *h, const struct buf *raw, const struct msg_hs_init *m,
    struct buf *out) WUR;
/* Master: the viewer's HS_CONFIRM. ERR_AUTH: wrong code or tampering. */
int hs_master_on_confirm(struct hs *h, const uint8_t tag[MSG_TAG_LEN]) WUR;

/* Viewer: start; nothing is sent until the offer arrives. */
void hs_viewer_start(struct hs *h, const struct hs_bind *bind, const char *code,
    uint8_t suites, const char *name);
/* Viewer: the master's HS_OFFER (raw bytes); out gets HS_INIT. */
int hs_viewer_on_offer(struct hs *h, const struct buf *raw, const struct msg_hs_offer *m,
    struct buf *out) WUR;
/* Viewer: the master's HS_REPLY; out gets HS_CONFIRM. ERR_AUTH: wrong code or
 * tampering; ERR_PROTOCOL: Yb is not the one the OFFER committed to. */
int hs_viewer_on_reply(struct hs *h, const struct msg_hs_reply *m, struct buf *out) WUR;

/*
 * Secrets for coming back without the code, from a finished handshake's
 * result; both ends compute the same and never send the PRS:
 *   direct PRS  hex(KDF(key_mv, 1, "FSdirect"))      a LAN upgrade's handshake
 *   resume id   hex(KDF(key_direct, 1, "FSresume"))[0..16)
 *               a handle the viewer names itself by (the relay sees it)
 *   resume PRS  hex(KDF(key_direct, 2, "FSresume"))  a resumed viewer's handshake
 */
#define HS_RESUME_ID_HEX 16
void hs_direct_prs(const struct hs_result *r, char prs[HS_PRS_MAX + 1]);
void hs_resume_id(const struct hs_result *r, char id[HS_RESUME_ID_HEX + 1]);
void hs_resume_prs(const struct hs_result *r, char prs[HS_PRS_MAX + 1]);

/* Wipe every secret (the result too). */
void hs_clear(struct hs *h);

/* A fresh six-digit code from the CSPRNG. */
void hs_code_new(char code[SESSION_CODE_DIGITS + 1]);
/* True for exactly six ASCII digits (spaces are allowed and dropped into out). */
bool hs_code_parse(const char *s, char out[SESSION_CODE_DIGITS + 1]);

#endif
