/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resume.h - an allowed viewer coming back after its connection was lost
 * (the relay was killed or drained, the network dropped, the host's own
 * connection broke): it connects to the session number again, as often as
 * it takes within its grace (--resume-grace, SESSION_RESUME_GRACE_MS by
 * default), names itself with the resume id of its last handshake and runs
 * a new handshake over the resume secret instead of the code
 * (hs_resume_prs; the host's side is master/resume.h). The host gives it
 * its rights back without asking again; the new session then replaces the
 * lost one, window and all, and a key frame brings the picture. A viewer
 * that moved to the host's LAN (direct.h) comes back the same way, through
 * the relay, when its direct connection is lost.
 */
#ifndef VIEWER_RESUME_H
#define VIEWER_RESUME_H

#include <stdbool.h>
#include <stdint.h>

#include "session.h"

struct resume {
	struct vsession s;              /* the attempt connected now */
	bool on;                        /* coming back */
	bool active;                    /* s is connected and running its handshake */
	uint32_t session;
	uint64_t since_ms, next_ms;
	unsigned backoff_ms;
	char id[HS_RESUME_ID_HEX + 1];
	char prs[HS_PRS_MAX + 1];
};

enum resume_state {
	RESUME_BACK = 0,                /* s is the new session: go on */
	RESUME_TRYING,                  /* still coming back: call again soon */
	RESUME_GAVE_UP,                 /* s is over; the closed event said why */
};

/* s was lost (s->lost): start coming back. */
void resume_begin(struct resume *r, struct vsession *s);
/* Drive the attempts without waiting long (a connection attempt may take
 * up to CLIENT_RESUME_CONNECT_TIMEOUT_MS). */
enum resume_state resume_service(struct resume *r, struct vsession *s, const char *relay,
    const struct transport_opts *relay_opts, bool force_xchacha, const char *name);

#endif
