/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "clock.h"
#include "event.h"
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
		if (record_open(&s->rec, record_path) != 0)
			return ERR_SYSTEM;
		s->recording = true;
	}
	return 0;
}

void
vsession_free(struct vsession *s)
{
	if (s->recording)
		record_close(&s->rec);
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

static void __attribute__((format(printf, 3, 4)))
finish(struct vsession *s, int code, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	if (s->over)
		return;
	s->over = true;
	s->exit_code = code;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	event("closed reason=\"%s\"", why);
	if (code != VIEWER_EXIT_OK)
		log_error("%s", why);
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

int
vsession_send(struct vsession *s, const struct buf *msg)
{
	if (s->state == VS_HANDSHAKE)
		return ERR_PROTOCOL;
	return sec_seal(&s->tx, WIRE_F_PAIR, WIRE_SLOT_MASTER, buf_ptr(msg), buf_len(msg),
	    &s->link.out, mono_ms());
}

/* The host's HS_ABORT: what to tell the supporter, and the exit code. */
static void
host_aborted(struct vsession *s, uint8_t reason)
{
	switch (reason) {
	case MSG_ABORT_CONFIRM:
		finish(s, VIEWER_EXIT_CODE, "%s", "wrong code (or someone tampered with the "
		    "connection)");
		break;
	case MSG_ABORT_LOCKED:
		finish(s, VIEWER_EXIT_CODE, "%s", "the host's code changed while this viewer "
		    "was proving it (it expired, or wrong codes retired it)");
		break;
	case MSG_ABORT_BUSY:
		finish(s, VIEWER_EXIT_NO_SESSION, "%s", msg_abort_str(reason));
		break;
	case MSG_ABORT_TIMEOUT:
		finish(s, VIEWER_EXIT_NETWORK, "%s", "the host gave up: the handshake took too "
		    "long (messages lost or held on the way)");
		break;
	case MSG_ABORT_VERSION:
		finish(s, VIEWER_EXIT_SECURITY, "%s", "no common protocol version or cipher "
		    "with the host");
		break;
	default:
		finish(s, VIEWER_EXIT_REFUSED, "the host aborted the handshake: %s",
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
			finish(s, VIEWER_EXIT_SECURITY, "%s", "the host speaks another protocol "
			    "version: update the viewer or the host");
		goto bad;
	}
	switch (m.type) {
	case MSG_HS_OFFER:
		if ((r = hs_viewer_on_offer(&s->hs, &raw, &m.u.offer, &out)) != 0) {
			if (r == ERR_UNSUPPORTED)
				finish(s, VIEWER_EXIT_SECURITY, "%s",
				    "no common protocol version or cipher with the host");
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
				finish(s, VIEWER_EXIT_CODE, "%s", "wrong code, or someone tampered "
				    "with the connection");
			else
				finish(s, VIEWER_EXIT_SECURITY, "%s", "the host's reply does not "
				    "match its offer (tampering on the way)");
			break;
		}
		if ((r = send_hs(s, &out)) != 0)
			break;
		sec_tx_init(&s->tx, s->hs.res.suite, s->hs.res.key_vm, &s->pol, mono_ms());
		sec_rx_init(&s->rx, s->hs.res.suite, s->hs.res.key_mv, true, &s->pol, mono_ms());
		s->state = VS_WAIT_CONSENT;
		event("verified host=\"%s\" check=%06u cipher=%s", s->hs.res.peer_name,
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
		finish(s, VIEWER_EXIT_SECURITY, "handshake failed: %s", err_str(r));
}

void
vsession_tick(struct vsession *s, uint64_t now_ms)
{
	if (s->over || s->state == VS_ACTIVE)
		return;
	if (!s->asked && now_ms - s->started_ms >= s->handshake_ms)
		finish(s, VIEWER_EXIT_NETWORK, "the handshake with the host did not finish "
		    "within %u s (messages lost or held on the way)", s->handshake_ms / 1000);
	else if (s->asked && now_ms - s->asked_ms >= s->consent_ms)
		finish(s, VIEWER_EXIT_REFUSED, "the host did not answer within %u s",
		    s->consent_ms / 1000);
}

static int
on_key(struct vsession *s, const struct msg_key *k)
{
	uint8_t key[SEC_KEY_LEN];
	int r;

	if (k->epoch <= s->epoch)
		return ERR_PROTOCOL;    /* epochs only move forward */
	if ((r = sec_unwrap_key(key, k->sealed, s->hs.res.viewer_pk, s->hs.box_sk)) != 0)
		return r;
	sec_rx_init(&s->srx, k->suite, key, false, &s->pol, mono_ms());
	sodium_memzero(key, sizeof(key));
	s->epoch = k->epoch;
	event("key epoch=%u cipher=%s", k->epoch,
	    k->suite == MSG_SUITE_AES256GCM ? "aes256gcm" : "xchacha20poly1305");
	return 0;
}

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The probe's pixel in the picture: 1 white, 0 black, -1 anything else or
 * off the picture. Near white and near black count too, so that a lossy
 * picture (reduced colours) still tells the two apart. */
static int
probe_pixel(const struct vsession *s)
{
	int x = s->probe.x + PROBE_PIXEL_DX, y = s->probe.y + PROBE_PIXEL_DY;
	uint32_t p;

	if (s->img.px == NULL || x < 0 || y < 0 || x >= s->img.w || y >= s->img.h)
		return -1;
	p = s->img.px[(size_t)y * s->img.w + (size_t)x];
	if ((p & 0xE0E0E0) == 0xE0E0E0)
		return 1;
	return (p & 0xE0E0E0) == 0 ? 0 : -1;
}

/* One sample is over: the next move goes a period (plus jitter, so that
 * the moves do not lock to the host's frame clock) after this one. */
static void
probe_next(struct vsession *s, uint64_t now_ms)
{
	s->probe.pending = false;
	s->probe.left--;
	s->probe.next_ms = s->probe.sent_ms + PROBE_PERIOD_MS +
	    randombytes_uniform(PROBE_JITTER_MS);
	if (s->probe.next_ms < now_ms)
		s->probe.next_ms = now_ms;
}

/* A frame is decoded: does it show the colour the last move asked for? */
static void
probe_frame(struct vsession *s)
{
	uint64_t now;

	if (!s->probe.pending || probe_pixel(s) != s->probe.want)
		return;
	now = mono_us();
	event("latency ms=%.1f", (double)(now - s->probe.sent_us) / 1000.0);
	probe_next(s, now / 1000);
}

void
vsession_probe(struct vsession *s, uint64_t now_ms)
{
	struct msg_input in = { .kind = MSG_INPUT_POINTER };
	struct buf m;
	bool white;

	if (s->probe.left == 0 || s->state != VS_ACTIVE || !(s->rights & MSG_RIGHT_CONTROL) ||
	    s->have_frame == 0)
		return;
	if (s->probe.pending) {
		if (now_ms - s->probe.sent_ms < PROBE_TIMEOUT_MS)
			return;
		event("latency timeout");
		probe_next(s, now_ms);
	}
	if (now_ms < s->probe.next_ms)
		return;
	/* Towards the colour the picture does not show: the probe finds its
	 * step again after a lost sample. */
	white = probe_pixel(s) != 1;
	in.x = (uint16_t)(white ? s->probe.x - PROBE_STEP : s->probe.x + PROBE_STEP);
	in.y = s->probe.y;
	buf_init(&m, 16);
	if (msg_input_encode(&m, &in) != 0 || vsession_send(s, &m) != 0) {
		log_warn("latency probe: cannot send the pointer move");
		s->probe.next_ms = now_ms + PROBE_PERIOD_MS;
	} else {
		s->probe.pending = true;
		s->probe.want = white;
		s->probe.sent_us = mono_us();
		s->probe.sent_ms = now_ms;
	}
	buf_release(&m);
}

int
vsession_probe_wait_ms(const struct vsession *s, uint64_t now_ms)
{
	uint64_t due;

	if (s->probe.left == 0 || s->state != VS_ACTIVE)
		return -1;
	due = s->probe.pending ? s->probe.sent_ms + PROBE_TIMEOUT_MS : s->probe.next_ms;
	return due > now_ms ? (int)(due - now_ms) : 0;
}

static int
on_video(struct vsession *s, const struct msg_video *v)
{
	int r;

	/* Only a key frame says the size (a new size starts with one). */
	if ((v->flags & MSG_VIDEO_KEY) &&
	    (s->img.px == NULL || s->img.w != v->width || s->img.h != v->height)) {
		if (s->in_frame)
			return ERR_PROTOCOL;    /* the size changed within a frame */
		image_free(&s->img);
		if ((r = image_init(&s->img, v->width, v->height)) != 0)
			return r;
	}
	if (s->img.px == NULL)
		return ERR_PROTOCOL;    /* a diff before any key frame */
	if (!s->in_frame) {
		/* A frame applies to the one we have, or to nothing (key frame). */
		if ((v->flags & MSG_VIDEO_KEY) ? v->base != 0 : v->base != s->have_frame ||
		    s->have_frame == 0)
			return ERR_PROTOCOL;
		if (v->part != 0)
			return ERR_PROTOCOL;    /* the frame's first part is missing */
		s->in_frame = true;
		codec_dec_begin(s->dec);
		s->building = v->frame;
		s->building_base = v->base;
		s->building_part = 0;
	} else if (v->frame != s->building || v->base != s->building_base ||
	    v->part != (uint16_t)(s->building_part + 1)) {
		return ERR_PROTOCOL;    /* parts arrive whole and in order, or not at all */
	} else {
		s->building_part = v->part;
	}
	/* A key frame's first part starts the screen stream afresh. */
	if ((r = codec_decode(s->dec, (v->flags & MSG_VIDEO_KEY) && v->part == 0, buf_ptr(&v->z),
	    buf_len(&v->z), v->raw_len, &s->img)) != 0)
		return r;
	if (v->flags & MSG_VIDEO_LAST) {
		s->in_frame = false;
		if ((v->flags & MSG_VIDEO_LOSSY) && !s->lossy)
			event("lossy: the host reduced colours (low-bandwidth mode)");
		s->lossy = (v->flags & MSG_VIDEO_LOSSY) != 0;
		s->have_frame = v->frame;
		s->frames++;
		probe_frame(s);
		if (!s->quiet_frames) {
			event("frame n=%u id=%u%s", s->frames, v->frame,
			    (v->flags & MSG_VIDEO_KEY) ? " key" : "");
		}
		if (s->disp != NULL) {
			unsigned x, y, w, h;

			if (codec_dec_dirty(s->dec, &x, &y, &w, &h) &&
			    display_frame(s->disp, &s->img, x, y, w, h) != 0)
				log_warn("cannot show the frame");
		}
		if (!s->no_credit) {
			/* Shown: the host may send the next one (flow control). */
			struct buf req;

			buf_init(&req, 2);
			if (msg_update_req_encode(&req, 0) != 0 || vsession_send(s, &req) != 0)
				log_warn("cannot grant the host credit for the next frame");
			buf_release(&req);
		}
		if (s->recording && (r = record_frame(&s->rec, &s->img, v->frame)) != 0) {
			finish(s, VIEWER_EXIT_USAGE, "%s", "cannot write the recording");
			return 0;
		}
	}
	return 0;
}

static int
on_cursor(struct vsession *s, const struct msg_cursor *c)
{
	int r;

	if (c->flags & MSG_CURSOR_SHAPE) {
		if ((r = msg_cursor_pixels(c, s->cursor_argb)) != 0)
			return r;
		if (!s->quiet_frames)
			event("cursor shape=%ux%u hot=%u,%u", c->w, c->h, c->hot_x, c->hot_y);
		if (s->disp != NULL && display_cursor_shape(s->disp, c->w, c->h, c->hot_x,
		    c->hot_y, s->cursor_argb) != 0)
			log_warn("cannot show the host's cursor shape");
	}
	s->cursor_x = c->x;
	s->cursor_y = c->y;
	if (s->disp != NULL)
		display_cursor_pos(s->disp, (c->flags & MSG_CURSOR_HIDDEN) ? -10000 : c->x, c->y);
	return 0;
}

static void
on_record(struct vsession *s, const struct wire_hdr *h, struct buf *body)
{
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
	/* The screen and the pointer come only under the session key, everything
	 * else never. */
	if ((m.type == MSG_VIDEO || m.type == MSG_CURSOR) != (key_flag == WIRE_F_SESSION)) {
		r = ERR_PROTOCOL;
		goto bad;
	}
	switch (m.type) {
	case MSG_ASKED:
		if (s->state != VS_WAIT_CONSENT || s->asked) {
			r = ERR_PROTOCOL;
			break;
		}
		s->asked = true;
		s->asked_ms = mono_ms();
		event("waiting for the host to allow this viewer (up to %u s; check code "
		    "%06u)", s->consent_ms / 1000, s->hs.res.check);
		break;
	case MSG_ACCEPT:
		/* The first says we are in; later ones change our rights. */
		event("%s rights=%s%s%s size=%ux%u", s->state == VS_ACTIVE ? "rights" : "allowed",
		    m.u.accept.rights & MSG_RIGHT_CONTROL ? "control" : "view",
		    m.u.accept.rights & MSG_RIGHT_CLIPBOARD ? "," : "",
		    m.u.accept.rights & MSG_RIGHT_CLIPBOARD ? "clipboard" : "",
		    m.u.accept.width, m.u.accept.height);
		s->state = VS_ACTIVE;
		s->rights = m.u.accept.rights;
		if (s->disp != NULL)
			display_set_control(s->disp, (s->rights & MSG_RIGHT_CONTROL) != 0);
		break;
	case MSG_CURSOR:
		r = on_cursor(s, &m.u.cursor);
		break;
	case MSG_KEY:
		r = on_key(s, &m.u.key);
		break;
	case MSG_VIDEO:
		r = on_video(s, &m.u.video);
		break;
	case MSG_CHAT:
		event("chat text=\"%s\"", log_escape_text(s->text_out, sizeof(s->text_out),
		    buf_ptr(&m.u.text), buf_len(&m.u.text)));
		break;
	case MSG_CLIPBOARD:
		/* Shown escaped and cut short: the event line stays one line. */
		event("clipboard bytes=%zu text=\"%s\"", buf_len(&m.u.text),
		    log_escape_text(s->text_out, sizeof(s->text_out), buf_ptr(&m.u.text),
		    buf_len(&m.u.text) < MSG_TEXT_MAX ? buf_len(&m.u.text) : MSG_TEXT_MAX));
		if (s->disp != NULL)
			display_set_clipboard(s->disp, (const char *)buf_ptr(&m.u.text),
			    buf_len(&m.u.text));
		break;
	case MSG_LAN_OFFER:
		s->lan = m.u.lan_offer;
		s->lan_offered = true;
		event("lan-offer n=%u first=%s", s->lan.n, s->lan.addr[0]);
		break;
	case MSG_BYE:
		switch (m.u.bye.reason) {
		case MSG_ABORT_MOVED:
			/* Expected while we switch to the direct connection. */
			s->moved = true;
			break;
		case MSG_ABORT_ENDED:
		case MSG_ABORT_LEAVING:
			finish(s, VIEWER_EXIT_OK, "%s", msg_abort_str(m.u.bye.reason));
			break;
		case MSG_ABORT_TIMEOUT:
			finish(s, VIEWER_EXIT_REFUSED, "%s", "the host did not answer in time");
			break;
		case MSG_ABORT_PROTOCOL:
			/* What we sent arrived broken: the path is not to be trusted. */
			finish(s, VIEWER_EXIT_SECURITY, "the host rejected this viewer's stream "
			    "(tampering on the way, or a broken peer)");
			break;
		default:
			finish(s, VIEWER_EXIT_REFUSED, "%s", msg_abort_str(m.u.bye.reason));
		}
		break;
	default:
		r = ERR_PROTOCOL;
	}
	if (r == 0)
		return;
bad:
	finish(s, VIEWER_EXIT_SECURITY, "the stream from the host was rejected: %s "
	    "(tampering, or a broken peer)", err_str(r));
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
			finish(s, VIEWER_EXIT_SECURITY, "%s", "DATA from a slot other than the host");
			return;
		}
		if (h->flags == WIRE_F_HANDSHAKE)
			on_handshake(s, body);
		else
			on_record(s, h, body);
		return;
	case WIRE_ERROR:
		if (wire_error_decode(body, &eb) != 0) {
			finish(s, VIEWER_EXIT_NETWORK, "%s", "the relay sent a malformed ERROR");
			return;
		}
		switch (eb.code) {
		case WIRE_E_KICKED:
			finish(s, VIEWER_EXIT_REFUSED, "removed by the host (%s)", eb.text);
			break;
		case WIRE_E_ENDED:
			finish(s, VIEWER_EXIT_OK, "the host ended the session (%s)", eb.text);
			break;
		case WIRE_E_NO_SESSION:
		case WIRE_E_FULL:
		case WIRE_E_RATE:
		case WIRE_E_BUSY:       /* pushed out by a newer join: try again */
			finish(s, VIEWER_EXIT_NO_SESSION, "relay: %s", wire_error_str(eb.code));
			break;
		default:
			finish(s, VIEWER_EXIT_NETWORK, "relay: %s", wire_error_str(eb.code));
		}
		return;
	case WIRE_RESTARTING:
		finish(s, VIEWER_EXIT_NETWORK, "%s", "the relay is restarting");
		return;
	default:
		return;         /* PONG and unknown types */
	}
}

void
vsession_upgrade_token(const struct vsession *s, char hex[HS_PRS_MAX + 1])
{
	uint8_t k[SEC_KEY_LEN];

	sec_kdf(k, s->hs.res.key_mv, 1, "FSdirect");
	sodium_bin2hex(hex, HS_PRS_MAX + 1, k, sizeof(k));
	sodium_memzero(k, sizeof(k));
}
