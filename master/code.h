/* SPDX-License-Identifier: Apache-2.0 */
/*
 * code.h - the host's one-time code and the guesses against it: plain
 * state, no I/O, so that the rules the security promise rests on are in
 * one small file and tested alone (tests/unit/test_code.c).
 *
 * Every handshake the master answers is a guess: counted as failed when
 * the answer goes out (code_answered), taken back only by a valid key
 * confirmation (code_confirmed), settled as failed however else it ends
 * (code_failed). SESSION_CODE_FAILURES_MAX failures retire a code;
 * SESSION_GUESS_BUDGET failures since the start or the last pause pause
 * the master: no code until the host asks (code_host_new). Answers not
 * yet confirmed count, so no code ever gets more answers than it may
 * fail. docs/SECURITY.md gives the bound this makes.
 */
#ifndef MASTER_CODE_H
#define MASTER_CODE_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

struct code {
	char digits[SESSION_CODE_DIGITS + 1];   /* "" while paused */
	uint64_t born_ms;
	unsigned failures;              /* at this code, answered-but-unconfirmed included */
	unsigned failed_total;          /* since the start or the last pause, across codes */
	bool paused;
};

enum code_verdict {
	CODE_KEEP = 0,
	CODE_RETIRE,                    /* this code had its failures: make a new one */
	CODE_PAUSE,                     /* the budget is spent: no code until the host asks */
};

/* A fresh code (none while paused), born now. */
void code_renew(struct code *c, uint64_t now_ms);
/* The code is going: its failures no longer count against it (the
 * handshakes it ends settle against the budget only). */
void code_forget(struct code *c);
/* May the master answer another handshake with this code? */
bool code_may_answer(const struct code *c);
/* The answer goes out: a failed guess until confirmed. */
void code_answered(struct code *c);
/* A valid key confirmation: the guess was the code. */
void code_confirmed(struct code *c);
/* An answered guess ended without confirmation (already counted): what
 * now? (A pause is entered here, and reported once.) */
enum code_verdict code_failed(struct code *c);
/* The host asks for a new code: ends a pause, and only then resets the
 * count (a relay that breaks attempts until the host presses "New code"
 * to help must not get the count wiped that way). */
void code_host_new(struct code *c);
/* Older than SESSION_CODE_LIFETIME_MS (never while paused: there is none). */
bool code_expired(const struct code *c, uint64_t now_ms);

#endif
