/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resume.h - allowed viewers whose connection was lost, and their way back.
 *
 * When the relay connection breaks (relay killed, drained, network cut) or
 * the relay reports one viewer's connection lost, each viewer the host had
 * allowed is kept here for SESSION_RESUME_GRACE_MS: its rights, its name,
 * and two secrets from its handshake (hs_resume_id, hs_resume_prs). A viewer
 * that comes back names its id in its HELLO hint ("resume:ID", which the
 * relay hands on in PEER_JOIN) and runs the usual handshake over the resume
 * PRS instead of the code: only the two ends of the first handshake can
 * compute it, so the relay, which sees the id, cannot come back in its
 * place, and a recorded handshake replayed later meets a fresh OFFER and
 * fails. Success gives the new slot the old rights without asking the host
 * again; everything else about the viewer starts fresh (keys, screen, file
 * transfers, which ended with "connection lost" and resume by their own
 * rules).
 */
#ifndef MASTER_RESUME_H
#define MASTER_RESUME_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "handshake.h"
#include "limits.h"

struct master;
struct viewer;

struct away_viewer {
	bool used;
	char id[HS_RESUME_ID_HEX + 1];
	char prs[HS_PRS_MAX + 1];
	char name[MSG_NAME_MAX + 1];
	uint8_t rights;
	uint16_t slot;                  /* where it was */
	uint64_t since_ms;
};

struct away {
	struct away_viewer a[MASTER_SLOTS_MAX];
};

/* PEER_JOIN's hint of a viewer coming back, and its id; NULL: a new viewer. */
const char *resume_hint_id(const char *hint);
/* The viewer lost its connection: keep it if it was allowed (before free_viewer). */
void resume_keep(struct master *m, const struct viewer *v);
/* The viewer v names id: false when nobody with that id is away, else the
 * secret its handshake runs over (v remembers whom it resumes). */
bool resume_lookup(struct master *m, struct viewer *v, const char *id,
    char prs[HS_PRS_MAX + 1]);
/* Where a viewer comes back to: its rights, its old slot, how long it was
 * away, and the old slot's viewer when that still looked alive. */
struct resume_claim {
	uint8_t rights;
	uint16_t was;
	uint64_t away_ms;
	struct viewer *old;     /* NULL: it was away; else the caller removes it */
};
/* v's resume handshake confirmed: the place it comes back to (its away
 * record goes). False: its grace ended meanwhile (the caller refuses it).
 * This file only keeps the places: session.c lets the viewer in. */
bool resume_claim(struct master *m, struct viewer *v, struct resume_claim *c);
/* Once a second: those past the grace leave for good. */
void resume_tick(struct master *m, uint64_t now_ms);
/* The host removed whoever was in slot and is away: it does not come
 * back (a resume it is running now is refused). How many there were. */
unsigned resume_forget_slot(struct master *m, uint16_t slot);
/* The same for the one away viewer at place away (1 + its index in
 * struct away): the window's Remove names it so, since two viewers away
 * may have had the same slot. */
void resume_forget_one(struct master *m, unsigned away);
/* The session could not be resumed (a new number): nobody comes back,
 * and no direct viewer will come back through the relay. */
void resume_forget_all(struct master *m, const char *why);
unsigned resume_away_count(const struct master *m);

#endif
