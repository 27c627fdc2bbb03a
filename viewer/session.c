/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "channels.h"
#include "clock.h"
#include "event.h"
#include "i18n.h"
#include "log.h"
#include "msg.h"
#include "session.h"

int
vsession_init(struct vsession *s, const char *record_path)
{
	link_init(&s->link);
	sec_policy_default(&s->pol);
	s->handshake_ms = CLIENT_HANDSHAKE_TIMEOUT_MS;
	s->consent_ms = CLIENT_CONSENT_TIMEOUT_MS;
	if ((s->dec = codec_dec_new()) == NULL ||
	    (s->pt = malloc(WIRE_BODY_MAX_BYTES)) == NULL)
		return ERR_NOMEM;
	if (record_path != NULL) {
		if (recording_open(&s->recording, record_path) != 0)
			return ERR_SYSTEM;
		s->recording_on = true;
	}
	return 0;
}

void
vsession_free(struct vsession *s)
{
	xfer_free(s, "the session ended or moved");
	if (s->recording_on)
		recording_close(&s->recording);
	hs_clear(&s->hs);
	sec_tx_clear(&s->tx);
	sec_rx_clear(&s->rx);
	sec_rx_clear(&s->srx);
	link_close(&s->link);
	codec_dec_free(s->dec);
	image_free(&s->img);
	if (s->pt != NULL) {
		sodium_memzero(s->pt, WIRE_BODY_MAX_BYTES);
		free(s->pt);
	}
}

void
vsession_start(struct vsession *s, const char *code, bool force_xchacha, const char *name)
{
	struct hs_bind bind;

	bind.session = s->link.welcome.session;
	bind.session_uid = s->link.welcome.session_uid;
	bind.slot = s->link.welcome.slot;
	hs_viewer_start(&s->hs, &bind, code, sec_suites_offered(force_xchacha), name);
	s->state = VS_HANDSHAKE;
	s->started_ms = mono_ms();
	s->asked = false;
	event("connected session=%05u slot=%u", bind.session, bind.slot);
}

static int
send_hs(struct vsession *s, const struct buf *msg)
{
	return link_send(&s->link, WIRE_DATA, WIRE_F_HANDSHAKE, WIRE_SLOT_MASTER,
	    buf_ptr(msg), buf_len(msg));
}

/* The host's HS_ABORT: what to tell the supporter, and the exit code. */
static void
host_aborted(struct vsession *s, uint8_t reason)
{
	switch (reason) {
	case MSG_ABORT_CONFIRM:
		vsession_finish(s, VIEWER_EXIT_CODE, N_("wrong code (or someone tampered with the "
		    "connection)"));
		break;
	case MSG_ABORT_LOCKED:
		vsession_finish(s, VIEWER_EXIT_CODE, N_("the host's code changed while this viewer "
		    "was proving it (it expired, or wrong codes retired it)"));
		break;
	case MSG_ABORT_BUSY:
		vsession_finish(s, VIEWER_EXIT_NO_SESSION, "%s", msg_abort_str(reason));
		break;
	case MSG_ABORT_TIMEOUT:
		s->timed_out = true;
		vsession_finish(s, VIEWER_EXIT_NETWORK,
		    N_("the host gave up: the handshake took too "
		    "long (messages lost or held on the way)"));
		break;
	case MSG_ABORT_VERSION:
		vsession_finish(s, VIEWER_EXIT_SECURITY, N_("no common protocol version or cipher "
		    "with the host"));
		break;
	case MSG_ABORT_RESUME:
		vsession_finish(s, VIEWER_EXIT_REFUSED, N_("the host no longer keeps a place for "
		    "this viewer (it waited too long, or its session was restarted)"));
		break;
	default:
		vsession_finish(s, VIEWER_EXIT_REFUSED, N_("the host aborted the handshake: %s"),
		    msg_abort_str(reason));
	}
}

static void
on_handshake(struct vsession *s, struct buf *body)
{
	struct buf raw = *body, out;
	struct msg m;
	int r;

	buf_init(&out, 1024);
	if ((r = msg_decode(body, &m)) != 0) {
		if (r == ERR_UNSUPPORTED && s->state == VS_HANDSHAKE &&
		    buf_len(&raw) > 1 && buf_ptr(&raw)[0] == MSG_HS_OFFER)
			vsession_finish(s, VIEWER_EXIT_SECURITY,
			    N_("the host speaks another protocol "
			    "version: update the viewer or the host"));
		goto bad;
	}
	switch (m.type) {
	case MSG_HS_OFFER:
		if ((r = hs_viewer_on_offer(&s->hs, &raw, &m.u.offer, &out)) != 0) {
			if (r == ERR_UNSUPPORTED)
				vsession_finish(s, VIEWER_EXIT_SECURITY,
				    N_("no common protocol version or cipher with the host"));
			goto bad;
		}
		r = send_hs(s, &out);
		break;
	case MSG_HS_REPLY:
		if ((r = hs_viewer_on_reply(&s->hs, &m.u.reply, &out)) != 0) {
			buf_reset(&out);
			/* Tell the host, so it counts the failure now. */
			if (msg_hs_abort_encode(&out, MSG_ABORT_CONFIRM) != 0 ||
			    send_hs(s, &out) != 0 || link_drain(&s->link, 1000) != 0)
				log_debug("the abort may not have reached the host");
			if (r == ERR_AUTH)
				vsession_finish(s, VIEWER_EXIT_CODE,
				    N_("wrong code, or someone tampered "
				    "with the connection"));
			else
				vsession_finish(s, VIEWER_EXIT_SECURITY,
				    N_("the host's reply does not "
				    "match its offer (tampering on the way)"));
			break;
		}
		if ((r = send_hs(s, &out)) != 0)
			break;
		sec_tx_init(&s->tx, s->hs.res.suite, s->hs.res.key_vm, &s->pol, mono_ms());
		sec_rx_init(&s->rx, s->hs.res.suite, s->hs.res.key_mv, &s->pol, mono_ms());
		s->state = VS_WAIT_CONSENT;
		/* The host's name is its text: escaped, it cannot add a field. */
		event("verified host=\"%s\" check=%06u cipher=%s",
		    log_escape_text(s->text_out, sizeof(s->text_out), s->hs.res.peer_name,
		    strlen(s->hs.res.peer_name)),
		    s->hs.res.check, s->hs.res.suite == MSG_SUITE_AES256GCM ?
		    "aes256gcm" : "xchacha20poly1305");
		break;
	case MSG_HS_ABORT:
		/* In clear: anyone on the path could send one. It counts only
		 * until the host has told us (ASKED, under the pairwise key) that
		 * our confirmation was right; after that it is tampering. */
		if (s->state == VS_ACTIVE || s->asked) {
			r = ERR_PROTOCOL;
			break;
		}
		host_aborted(s, m.u.abort_reason);
		r = 0;
		break;
	default:
		r = ERR_PROTOCOL;
	}
bad:
	buf_release(&out);
	if (r != 0)
		vsession_finish(s, VIEWER_EXIT_SECURITY, N_("handshake failed: %s"), err_str(r));
}

void
vsession_tick(struct vsession *s, uint64_t now_ms)
{
	if (s->over || s->state == VS_ACTIVE)
		return;
	s->timed_out = (!s->asked && now_ms >= s->started_ms + s->handshake_ms) ||
	    (s->asked && now_ms >= s->asked_ms + s->consent_ms);
	if (!s->asked && now_ms >= s->started_ms + s->handshake_ms)
		vsession_finish(s, VIEWER_EXIT_NETWORK,
		    N_("the handshake with the host did not finish "
		    "within %u s (messages lost or held on the way)"), s->handshake_ms / 1000);
	else if (s->asked && now_ms >= s->asked_ms + s->consent_ms)
		vsession_finish(s, VIEWER_EXIT_REFUSED, N_("the host did not answer within %u s"),
		    s->consent_ms / 1000);
}

static int
on_key(struct vsession *s, const struct msg_key *k)
{
	uint8_t key[SEC_KEY_LEN], screen_key[SEC_KEY_LEN];
	int r;

	if (k->epoch <= s->epoch)
		return ERR_PROTOCOL;    /* epochs only move forward */
	if ((r = sec_unwrap_key(key, k->sealed, s->hs.res.viewer_pk, s->hs.box_sk)) != 0)
		return r;
	/* The host's screen records to us are under the session key bound
	 * to our handshake, on a counter of their own: every one arrives. */
	sec_screen_key(screen_key, key, s->hs.res.key_screen);
	sec_rx_init(&s->srx, k->suite, screen_key, &s->pol, mono_ms());
	sodium_memzero(key, sizeof(key));
	sodium_memzero(screen_key, sizeof(screen_key));
	s->epoch = k->epoch;
	event("key epoch=%u cipher=%s", k->epoch,
	    k->suite == MSG_SUITE_AES256GCM ? "aes256gcm" : "xchacha20poly1305");
	return 0;
}


/* ---- what the host says on the pairwise stream ---- */

static int
session_take_asked(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;

	(void)peer;
	(void)m;
	if (s->state != VS_WAIT_CONSENT || s->asked)
		return ERR_PROTOCOL;
	s->asked = true;
	s->asked_ms = mono_ms();
	event("waiting for the host to allow this viewer (up to %u s; check code %06u)",
	    s->consent_ms / 1000, s->hs.res.check);
	return 0;
}

static int
session_take_accept(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;
	const struct msg_accept *a = &m->u.accept;

	(void)peer;
	/* The first says we are in; later ones change our rights. */
	event("%s rights=%s%s%s size=%ux%u", s->state == VS_ACTIVE ? "rights" : "allowed",
	    a->rights & MSG_RIGHT_CONTROL ? "control" : "view",
	    a->rights & MSG_RIGHT_CLIPBOARD ? ",clipboard" : "",
	    a->rights & MSG_RIGHT_FILES ? ",files" : "", a->width, a->height);
	s->state = VS_ACTIVE;
	s->rights = a->rights;
	xfer_rights(s);
	if (s->disp != NULL)
		display_set_control(s->disp, (s->rights & MSG_RIGHT_CONTROL) != 0);
	return 0;
}

static int
session_take_key(void *side, void *peer, const struct msg *m)
{
	(void)peer;
	return on_key(side, &m->u.key);
}

static int
session_take_lan_offer(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;

	(void)peer;
	s->direct_addrs = m->u.lan_offer;
	s->direct_offered = true;
	event("lan-offer n=%u first=%s", s->direct_addrs.n, s->direct_addrs.addr[0]);
	return 0;
}

static int
session_take_bye(void *side, void *peer, const struct msg *m)
{
	struct vsession *s = side;
	uint8_t reason = m->u.bye.reason;

	(void)peer;
	switch (reason) {
	case MSG_ABORT_MOVED:
		/* Expected while we switch to the direct connection. */
		s->moved = true;
		break;
	case MSG_ABORT_ENDED:
	case MSG_ABORT_LEAVING:
		vsession_finish(s, VIEWER_EXIT_OK, "%s", msg_abort_str(reason));
		break;
	case MSG_ABORT_TIMEOUT:
		s->timed_out = true;
		vsession_finish(s, VIEWER_EXIT_REFUSED, N_("the host did not answer in time"));
		break;
	case MSG_ABORT_PROTOCOL:
		/* What we sent arrived broken: the path is not to be trusted. */
		vsession_finish(s, VIEWER_EXIT_SECURITY,
		    N_("the host rejected this viewer's stream "
		    "(tampering on the way, or a broken peer)"));
		break;
	default:
		vsession_finish(s, VIEWER_EXIT_REFUSED, "%s", msg_abort_str(reason));
	}
	return 0;
}

/*
 * What the viewer takes from the host inside records, one channel per
 * message type (endpoint/channel.h); a new feature is its handler file and
 * one line here. The screen and the pointer come only under the session
 * key, everything else only under the pairwise one; the host needs no
 * rights.
 */
static const struct channel viewer_channels[] = {
	{ MSG_ASKED, WIRE_F_PAIR, 0, true, session_take_asked },
	{ MSG_ACCEPT, WIRE_F_PAIR, 0, true, session_take_accept },
	{ MSG_KEY, WIRE_F_PAIR, 0, true, session_take_key },
	{ MSG_LAN_OFFER, WIRE_F_PAIR, 0, true, session_take_lan_offer },
	{ MSG_BYE, WIRE_F_PAIR, 0, true, session_take_bye },
	{ MSG_CHAT, WIRE_F_PAIR, 0, true, chat_take },
	{ MSG_CLIPBOARD, WIRE_F_PAIR, 0, true, clipboard_take },
	{ MSG_FILE_OFFER, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_FILE_ENTRY, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_FILE_RESUME, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_FILE_DATA, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_FILE_END, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_FILE_ACK, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_FILE_CANCEL, WIRE_F_PAIR, 0, false, xfer_take },
	{ MSG_VIDEO, WIRE_F_SESSION, 0, true, screen_take_video },
	{ MSG_CURSOR, WIRE_F_SESSION, 0, true, screen_take_cursor },
	/* file drop */
	{ MSG_DROP_LINK, WIRE_F_PAIR, 0, false, drop_take_link },
	{ MSG_DROP_GRANT, WIRE_F_PAIR, 0, false, drop_take_grant },
	{ MSG_DROP_IDENTITY, WIRE_F_PAIR, 0, false, drop_take_host_identity },
};

static void
on_record(struct vsession *s, const struct wire_hdr *h, struct buf *body)
{
	const struct channel *ch;
	uint8_t key_flag = h->flags & WIRE_F_KEY_MASK;
	struct sec_rx *rx = key_flag == WIRE_F_SESSION ? &s->srx : &s->rx;
	struct buf in;
	struct msg m;
	size_t n;
	int r;

	if (s->state == VS_HANDSHAKE || (key_flag != WIRE_F_SESSION && key_flag != WIRE_F_PAIR)) {
		r = ERR_PROTOCOL;
		goto bad;
	}
	if ((r = sec_open(rx, h, body, s->pt, WIRE_BODY_MAX_BYTES, &n, mono_ms())) != 0)
		goto bad;
	if (s->dump != NULL)
		fwrite(s->pt, 1, n, s->dump);
	buf_view(&in, s->pt, n);
	if ((r = msg_decode(&in, &m)) != 0)
		goto bad;
	switch (channel_route(viewer_channels, sizeof(viewer_channels) /
	    sizeof(viewer_channels[0]), &m, key_flag,
	    0, true, &ch)) {
	case CHANNEL_TAKE:
		r = ch->take(s, NULL, &m);
		break;
	case CHANNEL_NOT_GRANTED:       /* the viewer's table grants everything it knows */
	case CHANNEL_REFUSE:
		r = ERR_PROTOCOL;
		break;
	}
	if (r == 0)
		return;
bad:
	vsession_finish(s, VIEWER_EXIT_SECURITY, N_("the stream from the host was rejected: %s "
	    "(tampering, or a broken peer)"), err_str(r));
}

void
vsession_frame(struct vsession *s, const struct wire_hdr *h, struct buf *body)
{
	struct wire_error_body eb;

	if (s->over || s->moved)
		return;         /* moved: what the relay still says no longer matters */
	switch (h->type) {
	case WIRE_DATA:
		if (h->slot != WIRE_SLOT_MASTER) {
			vsession_finish(s, VIEWER_EXIT_SECURITY,
			    N_("DATA from a slot other than the host"));
			return;
		}
		if (h->flags == WIRE_F_HANDSHAKE)
			on_handshake(s, body);
		else
			on_record(s, h, body);
		return;
	case WIRE_ERROR:
		if (wire_error_decode(body, &eb) != 0) {
			vsession_finish(s, VIEWER_EXIT_NETWORK,
			    N_("the relay sent a malformed ERROR"));
			return;
		}
		s->link.error_code = eb.code;   /* as link_open keeps a refusal at the join */
		switch (eb.code) {
		case WIRE_E_KICKED:
			vsession_finish(s, VIEWER_EXIT_REFUSED, N_("removed by the host (%s)"),
			    eb.text);
			break;
		case WIRE_E_ENDED:
			vsession_finish(s, VIEWER_EXIT_OK, N_("the host ended the session (%s)"),
			    eb.text);
			break;
		case WIRE_E_NO_SESSION:
		case WIRE_E_FULL:
		case WIRE_E_RATE:
		case WIRE_E_BUSY:       /* pushed out by a newer join: try again */
			vsession_finish(s, VIEWER_EXIT_NO_SESSION, N_("relay: %s"),
			    wire_error_str(eb.code));
			break;
		case WIRE_E_MASTER_GONE:
		case WIRE_E_SHUTDOWN:
		case WIRE_E_TIMEOUT:
		case WIRE_E_SLOW:
			/* The path broke, not the session: come back if allowed. */
			vsession_lost(s, N_("relay: %s"), wire_error_str(eb.code));
			break;
		default:
			vsession_finish(s, VIEWER_EXIT_NETWORK, N_("relay: %s"),
			    wire_error_str(eb.code));
		}
		return;
	case WIRE_RESTARTING:
		vsession_lost(s, N_("the relay is restarting"));
		return;
	default:
		return;         /* PONG and unknown types */
	}
}

void
vsession_adopt(struct vsession *to, struct vsession *from)
{
	to->disp = from->disp;
	from->disp = NULL;
	to->recording = from->recording;
	to->recording_on = from->recording_on;
	from->recording_on = false;
	to->dump = from->dump;
	from->dump = NULL;
	to->frames = from->frames;
	to->probe = from->probe;
	/* A drop for the host goes on (its upload resumes at the relay by
	 * itself), or still waits for its grant: the link must reach the host
	 * and a headless viewer must hear how it ended. After the copy below
	 * the session lives at from, so a window's path points into from. */
	to->dropping = from->dropping;
	from->dropping = NULL;
	to->drop_started = from->drop_started;
	to->drop_wait_ms = from->drop_wait_ms;
	to->drop_result = from->drop_result;
	to->drop_ask = from->drop_ask;
	to->drop_to_relay = from->drop_to_relay;
	memcpy(to->drop_window_path, from->drop_window_path, sizeof(to->drop_window_path));
	to->drop_path = from->drop_path;
	to->fetch = from->fetch;        /* the window's fetch, which runs on its own */
	from->fetch = NULL;
	vsession_free(from);
	*from = *to;
	memset(to, 0, sizeof(*to));
}
