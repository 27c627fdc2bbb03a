/* SPDX-License-Identifier: Apache-2.0 */
/* resume.c - an allowed viewer coming back after a lost connection (resume.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "resume.h"

void
resume_begin(struct resume *r, struct vsession *s)
{
	memset(r, 0, sizeof(*r));
	r->on = true;
	r->session = s->link.welcome.session;
	hs_resume_id(&s->hs.res, r->id);
	hs_resume_prs(&s->hs.res, r->prs);
	r->since_ms = r->next_ms = mono_ms();
	r->backoff_ms = CLIENT_RESUME_RETRY_MIN_MS;
	link_close(&s->link);
	event("reconnecting session=%05u for up to %u s", r->session, s->resume_ms / 1000);
}

static void
attempt_end(struct resume *r)
{
	vsession_free(&r->s);
	memset(&r->s, 0, sizeof(r->s));
	r->active = false;
	r->next_ms = mono_ms() + r->backoff_ms;
	r->backoff_ms = r->backoff_ms * 2 > CLIENT_RESUME_RETRY_MAX_MS ?
	    CLIENT_RESUME_RETRY_MAX_MS : r->backoff_ms * 2;
}

static void
give_up(struct resume *r, struct vsession *s, int code, const char *why)
{
	if (r->active)
		attempt_end(r);
	sodium_memzero(r->prs, sizeof(r->prs));
	r->on = false;
	s->lost = false;
	s->over = false;        /* so that vsession_finish speaks */
	vsession_finish(s, code, "%s", why);
}

/* Connect again, naming ourselves; the handshake then runs over the secret. */
static void
attempt_start(struct resume *r, struct vsession *s, const char *relay,
    const struct transport_opts *relay_opts, bool force_xchacha, const char *name)
{
	char hint[MSG_NAME_MAX + 1];

	if (vsession_init(&r->s, NULL) != 0)
		return;
	r->s.pol = s->pol;
	r->s.link.opts = relay_opts;    /* s may have moved to the direct tier */
	r->s.quiet_frames = s->quiet_frames;
	r->s.files_conf = s->files_conf;
	r->s.no_credit = s->no_credit;
	r->s.resume_ms = s->resume_ms;
	/* The drop identity, told the host again once it takes us back:
	 * without it the host's drops leave us out and its links do not open. */
	r->s.has_drop_pk = s->has_drop_pk;
	memcpy(r->s.drop_pk, s->drop_pk, sizeof(r->s.drop_pk));
	memcpy(r->s.drop_identity, s->drop_identity, sizeof(r->s.drop_identity));
	r->s.trying = true;
	snprintf(hint, sizeof(hint), "resume:%s", r->id);
	if (link_open(&r->s.link, relay, WIRE_ROLE_VIEWER, r->session, hint,
	    CLIENT_RESUME_CONNECT_TIMEOUT_MS) != 0) {
		/* AWAY (the host is reconnecting), NO_SESSION (it has not
		 * yet), unreachable: all worth another try within the grace. */
		log_info("coming back to session %05u: %s", r->session, r->s.link.why);
		attempt_end(r);
		return;
	}
	vsession_start(&r->s, r->prs, force_xchacha, name);
	r->active = true;
}

/* Drive the connected attempt like any link, without waiting. */
static void
attempt_step(struct resume *r)
{
	struct pollfd p[LINK_POLLFDS_MAX];
	struct wire_hdr h;
	struct buf body;
	int n, wait = 0, e;

	n = link_pollfds(&r->s.link, p, LINK_POLLFDS_MAX, &wait);
	if (poll(p, (nfds_t)n, 0) == -1 && errno != EINTR)
		vsession_finish(&r->s, VIEWER_EXIT_NETWORK, "poll failed");
	if (!r->s.over && (e = link_service(&r->s.link)) != 0) {
		while (link_next(&r->s.link, &h, &body) == 0 && !r->s.over)
			vsession_frame(&r->s, &h, &body);
		vsession_finish(&r->s, VIEWER_EXIT_NETWORK, "%s", r->s.link.why);
	}
	while (!r->s.over && r->s.state != VS_ACTIVE && link_next(&r->s.link, &h, &body) == 0)
		vsession_frame(&r->s, &h, &body);
	if (!r->s.over && link_flush(&r->s.link) != 0)
		vsession_finish(&r->s, VIEWER_EXIT_NETWORK, "%s", r->s.link.why);
	vsession_tick(&r->s, mono_ms());
}

enum resume_state
resume_service(struct resume *r, struct vsession *s, const char *relay,
    const struct transport_opts *relay_opts, bool force_xchacha, const char *name)
{
	uint64_t now = mono_ms();
	char why[256];

	if (now >= r->since_ms + s->resume_ms) {
		snprintf(why, sizeof(why), _("the connection was lost and the host did not take "
		    "this viewer back within %u s"), s->resume_ms / 1000);
		give_up(r, s, VIEWER_EXIT_NETWORK, why);
		return RESUME_GAVE_UP;
	}
	if (!r->active) {
		if (now >= r->next_ms)
			attempt_start(r, s, relay, relay_opts, force_xchacha, name);
		return RESUME_TRYING;
	}
	attempt_step(r);
	if (r->s.over) {
		/* The host said no (it no longer keeps our place, or the
		 * secret did not match): no use trying again. Anything
		 * else was the path: try again. */
		if (r->s.exit_code == VIEWER_EXIT_REFUSED || r->s.exit_code == VIEWER_EXIT_SECURITY ||
		    r->s.exit_code == VIEWER_EXIT_CODE) {
			snprintf(why, sizeof(why), "%s", r->s.why);
			give_up(r, s, r->s.exit_code, why);
			return RESUME_GAVE_UP;
		}
		attempt_end(r);
		return RESUME_TRYING;
	}
	if (r->s.state != VS_ACTIVE)
		return RESUME_TRYING;
	r->s.trying = false;
	event("resumed session=%05u slot=%u after %llu ms", r->session, r->s.link.welcome.slot,
	    (unsigned long long)(now - r->since_ms));
	vsession_adopt(&r->s, s);
	sodium_memzero(r->prs, sizeof(r->prs));
	r->on = false;
	return RESUME_BACK;
}
