/* SPDX-License-Identifier: Apache-2.0 */
/* direct.c - the viewer's direct connection to the host (direct.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "clock.h"
#include "direct.h"
#include "event.h"
#include "log.h"
const struct transport_opts direct_opts = { .kind = TRANSPORT_DIRECT };


void
direct_try(struct direct *d, struct vsession *s, bool force_xchacha, const char *name)
{
	char token[HS_PRS_MAX + 1], hint[MSG_NAME_MAX + 1];

	d->tried = true;
	snprintf(hint, sizeof(hint), "upgrade:%u", s->link.welcome.slot);
	for (unsigned i = 0; i < s->direct_addrs.n; i++) {
		if (vsession_init(&d->s, NULL) != 0)
			return;
		d->s.pol = s->pol;      /* main()'s, with the environment's overrides */
		d->s.link.opts = &direct_opts;
		if (link_open(&d->s.link, s->direct_addrs.addr[i], WIRE_ROLE_VIEWER,
		    s->link.welcome.session, hint, LAN_CONNECT_TIMEOUT_MS) == 0) {
			snprintf(d->addr, sizeof(d->addr), "%s", s->direct_addrs.addr[i]);
			event("direct: trying %s", d->addr);
			d->s.quiet_frames = s->quiet_frames;
			d->s.files_conf = s->files_conf;
			d->s.no_credit = s->no_credit;
			d->s.handshake_ms = s->handshake_ms;
			/* Once moved, a lost direct connection comes back
			 * through the relay (resume.h), as the relayed one would. */
			d->s.resume_ms = s->resume_ms;
			/* The drop identity, told the host again on the direct
			 * slot: without it the host's drops leave us out. */
			d->s.has_drop_pk = s->has_drop_pk;
			memcpy(d->s.drop_pk, s->drop_pk, sizeof(d->s.drop_pk));
			memcpy(d->s.drop_identity, s->drop_identity, sizeof(d->s.drop_identity));
			/* its end is not the session's: direct_service says it */
			d->s.trying = true;
			hs_direct_prs(&s->hs.res, token);
			vsession_start(&d->s, token, force_xchacha, name);
			sodium_memzero(token, sizeof(token));
			d->active = true;
			return;
		}
		event("direct: %s unreachable (%s): staying on the relay", s->direct_addrs.addr[i],
		    d->s.link.why);
		vsession_free(&d->s);
		memset(&d->s, 0, sizeof(d->s));
	}
}

/* Drive the direct session like any link, without waiting; once the host
 * accepted it, it becomes s. */
void
direct_service(struct direct *d, struct vsession *s)
{
	struct pollfd p[LINK_POLLFDS_MAX];
	struct wire_hdr h;
	struct buf body;
	int n, wait = 0, r;

	n = link_pollfds(&d->s.link, p, LINK_POLLFDS_MAX, &wait);
	if (poll(p, (nfds_t)n, 0) == -1 && errno != EINTR)
		d->s.over = true;
	if (!d->s.over && link_service(&d->s.link) != 0)
		d->s.over = true;
	while (!d->s.over && (r = link_next(&d->s.link, &h, &body)) == 0)
		vsession_frame(&d->s, &h, &body);
	if (!d->s.over && link_flush(&d->s.link) != 0)
		d->s.over = true;
	/* The handshake's deadline holds here too: a direct path that stalls
	 * must not keep a viewer the host already moved waiting for ever. */
	vsession_tick(&d->s, mono_ms());
	if (d->s.over) {
		event("direct: %s failed: staying on the relay", d->addr);
		vsession_free(&d->s);
		memset(&d->s, 0, sizeof(d->s));
		d->active = false;
		return;
	}
	if (d->s.state != VS_ACTIVE)
		return;
	/* Accepted: the window, the recording and the counts move over. */
	d->s.trying = false;
	vsession_adopt(&d->s, s);
	d->active = false;
	event("direct: connected directly to %s; the relay carries nothing more", d->addr);
}

