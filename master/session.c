/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "drop_grant.h"
#include "epoch.h"
#include "peer.h"
#include "clock.h"
#include "event.h"
#include "log.h"
#include "msg.h"
#include "session.h"

static struct log_rl rl_viewer;

const char *
master_peer_name(const struct viewer *v, char *out, size_t out_len)
{
	return log_escape_text(out, out_len, v->hs.res.peer_name,
	    strlen(v->hs.res.peer_name));
}

static void
show_code(struct master *m)
{
	if (m->code.paused)
		event("paused failures=%u: no code until the host asks for a new one",
		    m->code.failed_total);
	else
		event("session=%05u code=%s", m->session, m->code.digits);
}

static void abort_code_handshakes(struct master *m, uint8_t reason);

/*
 * A new code, or none while paused. Handshakes in flight were bound to the
 * old code (the OFFER commits to a value derived from it): they end, and a
 * guess they were answered with stays counted. Ending them may reach the
 * budget and pause (guess_failed calls back in): the outer call then makes
 * no code.
 */
static void
new_code(struct master *m)
{
	if (m->renewing)
		return;
	m->renewing = true;
	code_forget(&m->code);  /* what the ended ones settle is the old code's */
	abort_code_handshakes(m, m->code.paused ? MSG_ABORT_PAUSED : MSG_ABORT_LOCKED);
	m->renewing = false;
	code_renew(&m->code, mono_ms());
	show_code(m);
}

void
master_session_new_code(struct master *m)
{
	code_host_new(&m->code);
	new_code(m);
}

static int
send_hs(struct master *m, uint16_t slot, const struct buf *msg)
{
	struct viewer *v = &m->v[slot];
	struct wire_hdr h = { .type = WIRE_DATA, .flags = WIRE_F_HANDSHAKE,
		.slot = master_viewer_slot(v) };

	if (buf_len(msg) > m->link.body_max && v->lan == NULL)
		return ERR_TOO_LARGE;
	return wire_put(master_viewer_out(m, v), &h, buf_ptr(msg), buf_len(msg));
}

int
master_send_accept(struct master *m, struct viewer *v)
{
	struct msg_accept a;
	int r;

	memset(&a, 0, sizeof(a));
	a.rights = v->rights;
	a.width = m->have_prev ? m->prev.w : m->o.width;
	a.height = m->have_prev ? m->prev.h : m->o.height;
	buf_reset(&m->scratch);
	if ((r = msg_accept_encode(&m->scratch, &a)) != 0)
		return r;
	return master_send_pair(m, v, &m->scratch);
}

const char *
master_rights_str(uint8_t rights)
{
	static char s[32];

	snprintf(s, sizeof(s), "%s%s%s", rights & MSG_RIGHT_CONTROL ? "control" : "view",
	    rights & MSG_RIGHT_CLIPBOARD ? ",clipboard" : "",
	    rights & MSG_RIGHT_FILES ? ",files" : "");
	return s;
}

static void
consent_forget(struct master *m, uint16_t slot)
{
	unsigned i, j;

	for (i = j = 0; i < m->n_consent; i++)
		if (m->consent_queue[i] != slot)
			m->consent_queue[j++] = m->consent_queue[i];
	m->n_consent = j;
}

static void
consent_prompt(struct master *m)
{
	char name[4 * MSG_NAME_MAX + 1];
	struct viewer *v;

	if (m->n_consent == 0)
		return;
	v = &m->v[m->consent_queue[0]];
	/* The name is the peer's text: escaped, it cannot add a field (a
	 * second check code ahead of the real one) to the host's line. */
	event("consent slot=%u name=\"%s\" addr=%s check=%06u: allow? "
	    "[y = view+control+clipboard+files / v = view only / n = deny]",
	    v->slot, master_peer_name(v, name, sizeof(name)), v->addr, v->hs.res.check);
}


static void guess_failed(struct master *m, uint16_t slot, const char *addr);

void
master_viewer_free(struct master *m, struct viewer *v)
{
	char addr[sizeof(v->addr)];
	bool failed = v->counted;
	uint16_t slot = v->slot;

	consent_forget(m, v->slot);
	if (m->inj != NULL && v->slot != 0)
		inject_release(m->inj, v->slot);  /* nothing stays pressed after a viewer */
	if (v->lan != NULL) {
		/* Whatever is queued (a BYE) goes out, then the connection closes. */
		lan_forget(v->lan);
		lan_drop(v->lan, WIRE_E_NONE);
	}
	xfer_free(v, "the viewer left, moved or lost its connection");
	drop_grant_forget(m, v);
	hs_clear(&v->hs);
	sec_tx_clear(&v->tx);
	sec_rx_clear(&v->rx);
	video_viewer_free(&v->screen);
	memcpy(addr, v->addr, sizeof(addr));
	memset(v, 0, sizeof(*v));
	if (failed)
		guess_failed(m, slot, addr);     /* however it ended: left, timed out, reused */
}

int
master_session_init(struct master *m)
{
	link_init(&m->link);
	buf_init(&m->scratch, WIRE_BODY_MAX_BYTES);
	shared_stream_init(&m->shared);
	sec_policy_default(&m->pol);
	if ((m->enc = codec_enc_new()) == NULL)
		return ERR_NOMEM;
	lossy_init(&m->lossy, m->o.lossless, m->o.quality);
	motion_init(&m->motion, m->o.lossless);
	codec_enc_lossy(m->enc, m->lossy.allow, m->lossy.held, m->lossy.quality);
	if (image_init(&m->cur, m->o.width, m->o.height) != 0 ||
	    image_init(&m->prev, m->o.width, m->o.height) != 0)
		return ERR_NOMEM;
	return 0;
}

void
master_session_free(struct master *m)
{
	unsigned i;

	m->closing = true;
	for (i = 1; i <= MASTER_SLOTS_MAX; i++)
		master_viewer_free(m, &m->v[i]);
	link_close(&m->link);
	buf_release(&m->scratch);
	shared_stream_free(&m->shared);
	codec_enc_free(m->enc);
	motion_free(&m->motion);
	image_free(&m->cur);
	image_free(&m->prev);
}

void
master_session_relay_lost(struct master *m)
{
	/* Its viewers are gone now, not at the next connection: what they
	 * were sending or receiving ends (and says so) at once. Those the
	 * host allowed may come back (resume.h). */
	for (unsigned i = 1; i <= SESSION_VIEWERS_MAX; i++) {
		if (m->v[i].state == VIEWER_FREE)
			continue;
		resume_keep(m, &m->v[i]);
		master_viewer_free(m, &m->v[i]);
	}
}

void
master_session_start(struct master *m)
{
	bool resumed = m->link.resume && m->has_ticket && m->link.welcome.session == m->session;
	unsigned i;

	/* A new relay connection: its viewers are gone, direct ones stay. */
	for (i = 1; i <= SESSION_VIEWERS_MAX; i++)
		master_viewer_free(m, &m->v[i]);
	m->drop_grant_renew = false;    /* a new room: the grants before it are void */
	m->have_prev = false;
	m->has_ticket = m->link.welcome.has_ticket;
	memcpy(m->ticket, m->link.welcome.ticket, sizeof(m->ticket));
	if (resumed) {
		/* The same number and code: the supporter who is typing it
		 * goes on, and the viewers that were allowed come back. */
		event("resumed session=%05u away=%u", m->session, resume_away_count(m));
	} else {
		resume_forget_all(m, "the session could not be resumed: it has a new number");
		m->session = m->link.welcome.session;
		new_code(m);
	}
	if (epoch_new(m) != 0)  /* direct viewers watch on under a fresh key */
		log_warn("cannot send a new session key");
}

int
master_kick(struct master *m, struct viewer *v, uint8_t reason)
{
	bool was_active = v->state == VIEWER_ACTIVE;
	uint16_t slot = v->slot;
	int r;

	if (v->state == VIEWER_CONSENT || v->state == VIEWER_ACTIVE) {
		buf_reset(&m->scratch);
		if ((r = msg_bye_encode(&m->scratch, reason, msg_abort_str(reason))) != 0 ||
		    (r = master_send_pair(m, v, &m->scratch)) != 0)
			return r;
	}
	if (v->lan != NULL) {
		master_viewer_free(m, v);      /* closes the direct connection */
		return was_active ? epoch_new(m) : 0;
	}
	master_viewer_free(m, v);
	if ((r = link_send(&m->link, WIRE_KICK, 0, slot, NULL, 0)) != 0)
		return r;
	return was_active ? epoch_new(m) : 0;
}

int
master_session_take_control(struct master *m)
{
	unsigned i;
	int r;

	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state != VIEWER_ACTIVE || !(v->rights & MSG_RIGHT_CONTROL))
			continue;
		v->rights &= (uint8_t)~MSG_RIGHT_CONTROL;
		if (m->inj != NULL)
			inject_release(m->inj, v->slot);
		if ((r = master_send_accept(m, v)) != 0)
			return r;
		event("control-revoked slot=%u rights=%s", v->slot, master_rights_str(v->rights));
	}
	/* Those away come back with the rights kept for them: not control. */
	for (i = 0; i < MASTER_SLOTS_MAX; i++) {
		struct away_viewer *a = &m->away.a[i];

		if (!a->used || !(a->rights & MSG_RIGHT_CONTROL))
			continue;
		a->rights &= (uint8_t)~MSG_RIGHT_CONTROL;
		event("control-revoked slot=%u rights=%s away", a->slot,
		    master_rights_str(a->rights));
	}
	return 0;
}

int
master_session_files_right(struct master *m, uint16_t slot, bool on)
{
	struct viewer *v;
	int r;

	if (slot == 0 || slot > MASTER_SLOTS_MAX || m->v[slot].state != VIEWER_ACTIVE) {
		event("files: no allowed viewer in slot %u", slot);
		return 0;
	}
	v = &m->v[slot];
	if (on == ((v->rights & MSG_RIGHT_FILES) != 0))
		return 0;
	v->rights ^= MSG_RIGHT_FILES;
	/* The cause before its effects (file-failed lines of what ran). */
	event("%s slot=%u rights=%s", on ? "files-granted" : "files-revoked", v->slot,
	    master_rights_str(v->rights));
	if ((r = master_send_accept(m, v)) != 0)
		return r;
	xfer_rights(m, v);
	return 0;
}

int
master_session_kick(struct master *m, uint16_t slot)
{
	if (slot == 0 || slot > MASTER_SLOTS_MAX) {
		event("kick: no viewer in slot %u", slot);
		return 0;
	}
	if (m->v[slot].state == VIEWER_FREE) {
		master_session_kick_away(m, slot);
		return 0;
	}
	event("kicked slot=%u", slot);
	return master_kick(m, &m->v[slot], MSG_ABORT_KICKED);
}

void
master_session_kick_away(struct master *m, uint16_t slot)
{
	if (resume_forget_slot(m, slot) == 0)
		event("kick: no viewer in slot %u", slot);
}

int
master_session_end(struct master *m)
{
	unsigned i;
	int r;

	m->closing = true;
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state == VIEWER_CONSENT || v->state == VIEWER_ACTIVE) {
			buf_reset(&m->scratch);
			if ((r = msg_bye_encode(&m->scratch, MSG_ABORT_ENDED,
			    msg_abort_str(MSG_ABORT_ENDED))) != 0 ||
			    (r = master_send_pair(m, v, &m->scratch)) != 0)
				return r;
		}
		master_viewer_free(m, v);
	}
	m->end_requested = true;
	return link_send(&m->link, WIRE_END, 0, 0, NULL, 0);
}

/* Send HS_ABORT, then remove the viewer (a handshake that cannot go on). */
static void
abort_handshake(struct master *m, struct viewer *v, uint8_t reason)
{
	buf_reset(&m->scratch);
	if (msg_hs_abort_encode(&m->scratch, reason) == 0)
		(void)send_hs(m, v->slot, &m->scratch);
	(void)master_kick(m, v, reason);
}

/* Every handshake over the code that is still running. */
static void
abort_code_handshakes(struct master *m, uint8_t reason)
{
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (v->state == VIEWER_HANDSHAKE && v->upgrade_of == 0 && v->resume_id[0] == '\0')
			abort_handshake(m, v, reason);
	}
}

/* A counted guess ended without confirmation: code.h decides whether the
 * code goes or the master pauses. */
static void
guess_failed(struct master *m, uint16_t slot, const char *addr)
{
	if (m->closing)
		return;         /* the session is over: no new code, no pause */
	event("code-failed slot=%u addr=%s failures=%u total=%u", slot, addr,
	    m->code.failures, m->code.failed_total);
	switch (code_failed(&m->code)) {
	case CODE_PAUSE:
		log_warn("%u wrong codes: someone may be guessing; no new viewers until "
		    "the host asks for a new code", m->code.failed_total);
		new_code(m);
		break;
	case CODE_RETIRE:
		log_warn("%u failed code checks: the code is retired, here is a new one",
		    m->code.failures);
		new_code(m);
		break;
	case CODE_KEEP:
		break;
	}
}

/* Tell a relayed viewer where it could reach us directly. */
static void
offer_lan(struct master *m, struct viewer *v)
{
	struct msg_lan_offer o;

	if (m->lan == NULL || v->lan != NULL || lan_offer(m->lan, &o) != 0)
		return;
	buf_reset(&m->scratch);
	if (msg_lan_offer_encode(&m->scratch, &o) != 0 || master_send_pair(m, v, &m->scratch) != 0)
		log_warn("cannot offer a direct connection to viewer %u", v->slot);
}

void
master_session_consent(struct master *m, bool allow, uint8_t rights)
{
	if (m->n_consent == 0) {
		event("consent: nobody is waiting");
		return;
	}
	master_session_consent_slot(m, m->consent_queue[0], allow, rights);
}

void
master_session_consent_slot(struct master *m, uint16_t slot, bool allow, uint8_t rights)
{
	struct viewer *v;
	int r;

	if (slot == 0 || slot > MASTER_SLOTS_MAX || m->v[slot].state != VIEWER_CONSENT)
		return;         /* it left meanwhile */
	v = &m->v[slot];
	if (!allow) {
		event("denied slot=%u", slot);
		if (master_kick(m, v, MSG_ABORT_DENIED) != 0)
			log_warn("cannot tell viewer %u it was refused", slot);
		consent_prompt(m);
		return;
	}
	consent_forget(m, slot);
	v->state = VIEWER_ACTIVE;
	/* A screen that takes no input this time (the desktop allowed
	 * none) grants no control: the viewer shows "view only". */
	v->rights = m->input_off ? rights & (uint8_t)~MSG_RIGHT_CONTROL : rights;
	video_viewer_start(&v->screen, m->lossy.quality);
	if ((r = master_send_accept(m, v)) != 0 || (r = epoch_new(m)) != 0) {
		log_warn("cannot admit viewer %u: %s", slot, err_str(r));
		return;
	}
	xfer_rights(m, v);
	offer_lan(m, v);
	chat_greet(m, v);
	event("allowed slot=%u rights=%s", slot, master_rights_str(v->rights));
	consent_prompt(m);
}

/*
 * A relayed viewer proved its token on a direct connection: the direct
 * slot takes over its rights (the host said yes already), and the relayed
 * slot goes, which also makes a new session key that only the direct
 * slot gets.
 */
static void
finish_upgrade(struct master *m, struct viewer *v)
{
	struct viewer *old = &m->v[v->upgrade_of];
	char token[HS_PRS_MAX + 1];
	bool same = false;

	/* The slot may have gone to another viewer while the handshake ran:
	 * only the viewer whose token it proved hands over its rights. */
	if (old->state == VIEWER_ACTIVE) {
		hs_direct_prs(&old->hs.res, token);
		same = strlen(token) == v->hs.code_len &&
		    sec_equal(token, v->hs.code, v->hs.code_len);
		sodium_memzero(token, sizeof(token));
	}
	if (!same) {
		(void)master_kick(m, v, MSG_ABORT_PROTOCOL);
		return;
	}
	v->state = VIEWER_ACTIVE;
	v->rights = old->rights;
	video_viewer_start(&v->screen, m->lossy.quality);
	if (master_send_accept(m, v) != 0)
		log_warn("direct viewer %s: cannot accept", v->addr);
	xfer_rights(m, v);
	event("direct slot=%u replaces slot=%u addr=%s", v->slot, old->slot, v->addr);
	old->drop_grant_gen = 0;        /* it moves, it does not go: its grant stays good */
	if (master_kick(m, old, MSG_ABORT_MOVED) != 0)
		log_warn("cannot release the relayed slot %u", old->slot);
}

/*
 * A viewer that came back proved its resume secret: the rights it had, no
 * question to the host; a fresh picture (its screen stream starts anew)
 * and the session key it missed.
 */
static void
finish_resume(struct master *m, struct viewer *v)
{
	char name[4 * MSG_NAME_MAX + 1];
	struct resume_claim c;
	int r;

	if (!resume_claim(m, v, &c)) {
		abort_handshake(m, v, MSG_ABORT_RESUME);
		return;
	}
	v->state = VIEWER_ACTIVE;
	v->rights = c.rights;
	event("resumed slot=%u was=%u name=\"%s\" rights=%s after %llu ms", v->slot, c.was,
	    master_peer_name(v, name, sizeof(name)), master_rights_str(v->rights),
	    (unsigned long long)c.away_ms);
	if (c.old != NULL)
		c.old->drop_grant_gen = 0;      /* the same viewer: no new grant for it */
	if (c.old != NULL && master_kick(m, c.old, MSG_ABORT_MOVED) != 0)
		log_warn("cannot release slot %u, which viewer %u replaces", c.was, v->slot);
	video_viewer_start(&v->screen, m->lossy.quality);
	if ((r = master_send_accept(m, v)) != 0 || (r = epoch_new(m)) != 0) {
		log_warn("cannot readmit viewer %u: %s", v->slot, err_str(r));
		return;
	}
	xfer_rights(m, v);
}

void
master_on_handshake(struct master *m, struct viewer *v, struct buf *body)
{
	struct buf raw = *body;
	struct msg msg;
	int r;

	if ((r = msg_decode(body, &msg)) != 0) {
		if (r == ERR_UNSUPPORTED && v->state == VIEWER_HANDSHAKE) {
			abort_handshake(m, v, MSG_ABORT_VERSION);  /* another version */
			return;
		}
		goto bad;
	}
	switch (msg.type) {
	case MSG_HS_INIT:
		if (v->state != VIEWER_HANDSHAKE || v->hs.state != HS_OFFERED) {
			r = ERR_PROTOCOL;
			goto bad;
		}
		/* Answers still unconfirmed count as failed already, so this
		 * bounds the guesses in flight by what may fail: at most
		 * SESSION_CODE_FAILURES_MAX per code, whoever holds them. */
		if (v->upgrade_of == 0 && v->resume_id[0] == '\0' && !code_may_answer(&m->code)) {
			/* Not answered, so not a guess: the viewer may try again. */
			event("busy slot=%u addr=%s", v->slot, v->addr);
			abort_handshake(m, v, MSG_ABORT_BUSY);
			return;
		}
		buf_reset(&m->scratch);
		if ((r = hs_master_on_init(&v->hs, &raw, &msg.u.init, &m->scratch)) != 0) {
			if (r == ERR_UNSUPPORTED) {
				abort_handshake(m, v, MSG_ABORT_VERSION);
				return;
			}
			goto bad;
		}
		if (v->upgrade_of == 0 && v->resume_id[0] == '\0') {
			/* HS_REPLY lets the sender check one guess offline:
			 * counted now, as failed, until a confirmation. */
			v->counted = true;
			code_answered(&m->code);
		}
		if ((r = send_hs(m, v->slot, &m->scratch)) != 0)
			goto bad;
		return;
	case MSG_HS_CONFIRM:
		if (v->state != VIEWER_HANDSHAKE) {
			r = ERR_PROTOCOL;
			goto bad;
		}
		if ((r = hs_master_on_confirm(&v->hs, msg.u.confirm_tag)) != 0) {
			abort_handshake(m, v, MSG_ABORT_CONFIRM);  /* the guess stays failed */
			return;
		}
		if (v->counted) {
			v->counted = false;
			code_confirmed(&m->code);
		}
		sec_tx_init(&v->tx, v->hs.res.suite, v->hs.res.key_mv, &m->pol, mono_ms());
		sec_rx_init(&v->rx, v->hs.res.suite, v->hs.res.key_vm, &m->pol, mono_ms());
		if (v->upgrade_of != 0) {
			finish_upgrade(m, v);
			return;
		}
		if (v->resume_id[0] != '\0') {
			finish_resume(m, v);
			return;
		}
		v->state = VIEWER_CONSENT;
		v->asked_ms = mono_ms();
		m->consent_queue[m->n_consent++] = v->slot;
		/* Tell the viewer the host is being asked; this first pairwise
		 * record also tells the relay that the viewer proved the code. */
		buf_reset(&m->scratch);
		if (msg_empty_encode(&m->scratch, MSG_ASKED) != 0 ||
		    master_send_pair(m, v, &m->scratch) != 0)
			log_warn("viewer %u: cannot say that the host is being asked", v->slot);
		event("verified slot=%u name=\"%s\" check=%06u cipher=%s", v->slot,
		    master_peer_name(v, m->text_out, sizeof(m->text_out)), v->hs.res.check,
		    v->hs.res.suite == MSG_SUITE_AES256GCM ? "aes256gcm" : "xchacha20poly1305");
		new_code(m);    /* one code, one viewer */
		if (m->o.auto_accept)
			master_session_consent(m, true, MSG_RIGHTS_ALL);
		else if (m->n_consent == 1)
			consent_prompt(m);
		return;
	case MSG_HS_ABORT:
		/* In clear, so anyone on the path can send one: it ends nothing
		 * once the handshake is over. */
		if (v->state != VIEWER_HANDSHAKE) {
			log_rl(&rl_viewer, LOG_INFO, "viewer %u: a clear HS_ABORT after the "
			    "handshake: ignored", v->slot);
			return;
		}
		log_rl(&rl_viewer, LOG_INFO, "viewer %u gave up: %s", v->slot,
		    msg_abort_str(msg.u.abort_reason));
		(void)master_kick(m, v, MSG_ABORT_PROTOCOL);
		return;
	default:
		r = ERR_PROTOCOL;
		goto bad;
	}
bad:
	log_rl(&rl_viewer, LOG_WARN, "viewer %u (%s): bad handshake message (%s): removed",
	    v->slot, v->addr, err_str(r));
	abort_handshake(m, v, MSG_ABORT_PROTOCOL);
}

static int
session_take_bye(void *master, void *viewer, const struct msg *msg)
{
	struct viewer *v = viewer;

	event("bye slot=%u reason=\"%s\"", v->slot, msg_abort_str(msg->u.bye.reason));
	(void)master_kick(master, v, MSG_ABORT_LEAVING);
	return 0;
}

/*
 * What the master takes from a viewer inside records, one channel per
 * message type (endpoint/channel.h); a new feature is its handler file and
 * one line here. Input and the clipboard need their right (so the host's
 * "allow"); chat, the screen's pacing and a goodbye also come while the
 * host is asked.
 */
static const struct channel master_channels[] = {
	{ MSG_INPUT, WIRE_F_PAIR, MSG_RIGHT_CONTROL, false, input_take },
	{ MSG_CLIPBOARD, WIRE_F_PAIR, MSG_RIGHT_CLIPBOARD, false, clipboard_take },
	{ MSG_CHAT, WIRE_F_PAIR, 0, true, chat_take },
	{ MSG_UPDATE_REQ, WIRE_F_PAIR, 0, true, video_take_update_req },
	{ MSG_FILE_OFFER, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_FILE_ENTRY, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_FILE_RESUME, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_FILE_DATA, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_FILE_END, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_FILE_ACK, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_FILE_CANCEL, WIRE_F_PAIR, MSG_RIGHT_FILES, false, xfer_take },
	{ MSG_BYE, WIRE_F_PAIR, 0, true, session_take_bye },
	/* file drop */
	{ MSG_DROP_IDENTITY, WIRE_F_PAIR, 0, false, drop_take_identity },
	{ MSG_DROP_LINK, WIRE_F_PAIR, MSG_RIGHT_FILES, false, drop_offer_take },
};

void
master_on_record(struct master *m, struct viewer *v, const struct wire_hdr *h, struct buf *body)
{
	const struct channel *ch;
	bool allowed;
	uint8_t *pt = NULL;
	struct buf in;
	struct msg msg;
	size_t n;
	int r;

	if (v->state != VIEWER_CONSENT && v->state != VIEWER_ACTIVE) {
		r = ERR_PROTOCOL;
		goto bad;
	}
	if ((pt = malloc(buf_len(body) + 1)) == NULL) {
		r = ERR_NOMEM;
		goto bad;
	}
	if ((r = sec_open(&v->rx, h, body, pt, buf_len(body), &n, mono_ms())) != 0)
		goto bad;
	buf_view(&in, pt, n);
	if ((r = msg_decode(&in, &msg)) != 0)
		goto bad;
	allowed = v->state == VIEWER_ACTIVE;
	switch (channel_route(master_channels, sizeof(master_channels) /
	    sizeof(master_channels[0]), &msg, h->flags &
	    WIRE_F_KEY_MASK, allowed ? v->rights : 0, allowed, &ch)) {
	case CHANNEL_TAKE:
		if ((r = ch->take(m, v, &msg)) != 0)
			goto bad;
		break;
	case CHANNEL_NOT_GRANTED:
		log_rl(&rl_viewer, LOG_INFO, "viewer %u: %s without the right to send it: ignored",
		    v->slot, msg_type_str(msg.type));
		break;
	case CHANNEL_REFUSE:
		r = ERR_PROTOCOL;
		goto bad;
	}
	sodium_memzero(pt, buf_len(body) + 1);
	free(pt);
	return;
bad:
	if (pt != NULL) {
		sodium_memzero(pt, buf_len(body) + 1);
		free(pt);
	}
	log_rl(&rl_viewer, LOG_WARN, "viewer %u (%s): record rejected (%s): removed",
	    v->slot, v->addr, err_str(r));
	(void)master_kick(m, v, MSG_ABORT_PROTOCOL);
}


static int
on_peer_join(struct master *m, uint16_t slot, struct buf *body)
{
	struct viewer *v = &m->v[slot];
	bool was_active = v->state == VIEWER_ACTIVE;
	char hint[MSG_NAME_MAX + 1], prs[HS_PRS_MAX + 1];
	const char *id;
	struct hs_bind bind;
	int r;

	/* A slot the relay hands out again: whoever was there is gone (and
	 * a guess it was answered with stays counted). */
	if (v->state != VIEWER_FREE) {
		master_viewer_free(m, v);
		if (was_active && epoch_new(m) != 0)
			log_warn("cannot send a new session key");
	}
	v->slot = slot;
	if ((r = wire_join_decode(body, v->addr, hint)) != 0)
		return r;
	v->state = VIEWER_HANDSHAKE;
	v->joined_ms = mono_ms();
	bind.session = m->session;
	bind.session_uid = m->link.welcome.session_uid;
	bind.slot = slot;
	if ((id = resume_hint_id(hint)) == NULL)
		return master_start_handshake(m, v, &bind);
	/* A viewer coming back: not the code but the secret of its first
	 * handshake, which the relay cannot know. */
	if (!resume_lookup(m, v, id, prs)) {
		event("join slot=%u addr=%s refused: nobody away with that id", slot, v->addr);
		abort_handshake(m, v, MSG_ABORT_RESUME);
		return 0;
	}
	r = master_start_handshake_prs(m, v, &bind, prs);
	sodium_memzero(prs, sizeof(prs));
	return r;
}

/* The OFFER that starts a viewer's handshake, bound to how it reached us. */
int
master_start_handshake(struct master *m, struct viewer *v, const struct hs_bind *bind)
{
	if (m->code.paused) {
		event("join slot=%u addr=%s refused: paused", v->slot, v->addr);
		abort_handshake(m, v, MSG_ABORT_PAUSED);
		return 0;
	}
	return master_start_handshake_prs(m, v, bind, m->code.digits);
}

int
master_start_handshake_prs(struct master *m, struct viewer *v, const struct hs_bind *bind,
    const char *prs)
{
	uint16_t slot = v->slot;
	int r;

	buf_reset(&m->scratch);
	if ((r = hs_master_start(&v->hs, bind, prs, sec_suites_offered(m->o.force_xchacha),
	    m->o.name, &m->scratch)) != 0)
		return r;
	event("join slot=%u addr=%s", slot, v->addr);
	return send_hs(m, slot, &m->scratch);
}

void
master_on_leave(struct master *m, uint16_t slot, uint16_t code)
{
	struct viewer *v = &m->v[slot];
	bool was_active = v->state == VIEWER_ACTIVE;

	if (v->state == VIEWER_FREE)
		return;         /* we kicked it already */
	event("left slot=%u reason=\"%s\"", slot, wire_error_str(code));
	/* Lost, not gone: its connection broke, went quiet, or could not
	 * keep up, and the viewer may come back by itself. */
	if (code == WIRE_E_CLOSED || code == WIRE_E_TIMEOUT || code == WIRE_E_SLOW)
		resume_keep(m, v);
	master_viewer_free(m, v);
	if (was_active && epoch_new(m) != 0)
		log_warn("cannot send a new session key");
	consent_prompt(m);
}

int
master_session_frame(struct master *m, const struct wire_hdr *h, struct buf *body)
{
	struct wire_error_body eb;
	uint16_t code;
	uint8_t on;
	int r;

	if (h->type != WIRE_DATA && h->type != WIRE_ERROR && h->type != WIRE_PONG &&
	    h->type != WIRE_RESTARTING && h->type != WIRE_GRANT &&
	    (h->slot == 0 || h->slot > SESSION_VIEWERS_MAX))
		return ERR_PROTOCOL;
	switch (h->type) {
	case WIRE_DATA:
		if (h->slot == 0 || h->slot > SESSION_VIEWERS_MAX)
			return ERR_PROTOCOL;
		if (m->v[h->slot].state == VIEWER_FREE)
			return 0;       /* from a viewer we already removed */
		if (h->flags == WIRE_F_HANDSHAKE)
			master_on_handshake(m, &m->v[h->slot], body);
		else if ((h->flags & WIRE_F_KEY_MASK) == WIRE_F_PAIR)
			master_on_record(m, &m->v[h->slot], h, body);
		else
			(void)master_kick(m, &m->v[h->slot], MSG_ABORT_PROTOCOL);
		return 0;
	case WIRE_PEER_JOIN:
		return on_peer_join(m, h->slot, body);
	case WIRE_PEER_LEAVE:
		if ((r = wire_code_decode(body, &code)) != 0)
			return r;
		master_on_leave(m, h->slot, code);
		return 0;
	case WIRE_FLOW:
		if ((r = wire_flow_decode(body, &on)) != 0)
			return r;
		video_viewer_pause(&m->v[h->slot].screen, on == WIRE_FLOW_XOFF);
		return 0;
	case WIRE_ERROR:
		if (wire_error_decode(body, &eb) == 0) {
			snprintf(m->link.why, sizeof(m->link.why), "relay closed the session: %s (%s)",
			    wire_error_str(eb.code), eb.text);
			m->link.error_code = eb.code;
		}
		return ERR_CLOSED;
	case WIRE_RESTARTING:
		snprintf(m->link.why, sizeof(m->link.why), "the relay is restarting");
		return ERR_CLOSED;
	case WIRE_PONG:
		return 0;
	case WIRE_GRANT:        /* the drop's next grant (drop_grant.c passes it on) */
		return wire_grant_decode(body, m->link.drop_grant, &m->link.drop_grant_len);
	default:
		return 0;       /* unknown types are skipped */
	}
}

void
master_session_tick(struct master *m, uint64_t now_ms)
{
	resume_tick(m, now_ms);
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		/* Ages as now_ms >= since + limit: a clock read before the
		 * event must not wrap an unsigned difference. */
		if (v->state == VIEWER_HANDSHAKE && now_ms >= v->joined_ms + m->o.handshake_ms) {
			event("timeout slot=%u addr=%s stage=handshake", v->slot, v->addr);
			abort_handshake(m, v, MSG_ABORT_TIMEOUT);
		} else if (v->state == VIEWER_CONSENT && now_ms >= v->asked_ms + m->o.consent_ms) {
			event("timeout slot=%u addr=%s stage=consent", v->slot, v->addr);
			if (master_kick(m, v, MSG_ABORT_TIMEOUT) != 0)
				log_warn("cannot tell viewer %u the host did not answer", i);
			consent_prompt(m);
		}
	}
	/* A code expires even while someone is proving it (new_code ends
	 * those handshakes): else a held handshake would keep it forever. */
	if (code_expired(&m->code, now_ms)) {
		log_info("the code expired; here is a new one");
		new_code(m);
	}
	if (epoch_due(m, now_ms) && epoch_new(m) != 0)
		log_warn("cannot send a new session key");
}
