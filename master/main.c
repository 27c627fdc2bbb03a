/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fernsicht-master: the host side. Connects to a relay, shows the session
 * number and a one-time code, asks the host before anyone may watch, and
 * streams the screen to the viewers it allowed.
 *
 * Exit codes: 0 the host ended the session; 1 usage error; 2 the relay
 * could not be reached and --once was given; 3 a local failure (out of
 * memory, no display, capture).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "clock.h"
#include "config.h"
#include "console.h"
#include "drop.h"
#include "drop_command.h"
#include "drop_offer.h"
#include "env.h"
#include "epoch.h"
#include "event.h"
#include "hostui.h"
#include "i18n.h"
#include "indicator.h"
#include "log.h"
#include "options.h"
#include "session.h"
#include "stop.h"
#include "usage.h"
#include "transfers.h"
#include "video.h"

enum { UI_POLL_MS = 20 };      /* how often the host's window is looked at */



/* What the loop works on: passed down, not kept in file-scope globals. */
struct host {
	struct master m;
	struct hostui *ui;              /* NULL: headless */
	struct indicator *ind;          /* who watches, on top; NULL: headless */
	int stop_fd;                    /* SIGINT/SIGTERM (stop.h); -1: none */
	bool stop;                      /* one arrived: end as the host would */
	struct gui_transfer rows[GUI_TRANSFERS_MAX];    /* the window's transfer list */
	/* session-creation tokens: why the relay will not open a
	 * session, for the window; "" while it would */
	char refused[128];
	bool drop_to_relay;             /* files dragged onto the window go to the relay */
};

/* A stop signal waiting? Remembered once seen. */
static bool
stopping(struct host *h)
{
	if (!h->stop && stop_requested(h->stop_fd))
		h->stop = true;
	return h->stop;
}


enum { POLL_FIXED = 4, POLL_MAX = POLL_FIXED + LINK_POLLFDS_MAX + 1 + LAN_CONNS_MAX };

/* What the host's window shows, from the session's state. */
static void
ui_sync(struct host *h)
{
	const struct master *m = &h->m;
	struct hostui_state st;
	unsigned i;

	memset(&st, 0, sizeof(st));
	st.session = m->session;
	memcpy(st.code, m->code.digits, sizeof(st.code));
	st.failures = m->code.failed_total;
	st.paused = m->code.paused;
	st.drop_offered = m->drop_offered[0] != '\0';
	st.drop_fetching = m->fetch != NULL;
	st.drop_can = drop_can(m);
	st.drop_to_relay = st.drop_can && h->drop_to_relay;
	snprintf(st.status, sizeof(st.status), "%s", m->link.t != NULL ?
	    _("connected to the relay") : h->refused[0] != '\0' ? h->refused : m->has_ticket ?
	    _("reconnecting: the session and its supporters will be back") :
	    _("connecting to the relay..."));
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		const struct viewer *v = &m->v[i];
		struct hostui_viewer *u = &st.v[st.n];

		if (v->state != VIEWER_CONSENT && v->state != VIEWER_ACTIVE)
			continue;
		u->slot = v->slot;
		u->state = v->state == VIEWER_CONSENT ? HOSTUI_WAITING :
		    (v->rights & MSG_RIGHT_CONTROL) ? HOSTUI_CONTROLLING : HOSTUI_VIEWING;
		snprintf(u->name, sizeof(u->name), "%s", v->hs.res.peer_name);
		snprintf(u->addr, sizeof(u->addr), "%s", v->addr);
		u->check = v->hs.res.check;
		u->files = (v->rights & MSG_RIGHT_FILES) != 0;
		st.n++;
	}
	for (i = 0; i < MASTER_SLOTS_MAX && st.n < MASTER_SLOTS_MAX; i++) {
		const struct away_viewer *a = &m->away.a[i];

		if (!a->used)
			continue;
		st.v[st.n].state = HOSTUI_AWAY;
		st.v[st.n].slot = a->slot;      /* where it was */
		st.v[st.n].away = i + 1;        /* which one: another may have had that slot */
		snprintf(st.v[st.n].name, sizeof(st.v[st.n].name), "%s", a->name);
		st.n++;
	}
	hostui_show(h->ui, &st);
	hostui_set_transfers(h->ui, h->rows, master_transfer_rows(&h->m, h->rows,
	    GUI_TRANSFERS_MAX));
	if (h->ind != NULL)
		indicator_show(h->ind, &st);
}

/* The host's next click: in the window, then on the indicator. */
static struct hostui_action
ui_next(struct host *h)
{
	struct hostui_action a = hostui_poll(h->ui);   /* pumps the events of both */

	if (a.kind == HOSTUI_NONE && h->ind != NULL)
		a = indicator_poll(h->ind);
	return a;
}

/* A viewer's chat line, also for the host's window (m->chat_heard). */
static void
ui_chat_heard(void *ctx, const struct viewer *v, const char *text, size_t len)
{
	struct host *h = ctx;

	hostui_chat_add(h->ui, v->hs.res.peer_name, text, len, false);
}

/* The host's chat line from the window: to every allowed viewer. */
static void
ui_chat_send(struct host *h, const char *text, size_t len)
{
	if (chat_send(&h->m, text, len) == 0)
		hostui_chat_note(h->ui, _("Not sent: no viewer is allowed in yet."));
	else
		/* TRANSLATORS: the host's own lines in the chat. */
		hostui_chat_add(h->ui, _("You"), text, len, true);
}

/*
 * A viewer with control moves the same pointer and types on the same
 * keyboard as the host, so its clicks and keys can reach the host's own
 * window. What lets someone in (Allow, and New code, which also ends a
 * pause after wrong codes) is not taken that soon after a viewer's
 * injected press: the host clicks again a moment later.
 */
static bool
remote_may_have_clicked(struct host *h, enum hostui_action_kind kind)
{
	const struct master *m = &h->m;

	if ((kind != HOSTUI_ALLOW_CONTROL && kind != HOSTUI_ALLOW_VIEW &&
	    kind != HOSTUI_NEW_CODE && kind != HOSTUI_FILES_ON) || m->remote_press_ms == 0 ||
	    mono_ms() - m->remote_press_ms >= MASTER_REMOTE_INPUT_GUARD_MS)
		return false;
	event("ignored: a click in the host's window right after a viewer's input "
	    "(%s); the host can click again in a moment",
	    kind == HOSTUI_NEW_CODE ? "new code" : kind == HOSTUI_FILES_ON ? "files" : "allow");
	hostui_chat_note(h->ui, _("A supporter's click or key just came in: click again "
	    "in a moment to allow or to make a new code."));
	return true;
}

/* A file or folder dropped on the host's window goes to the one viewer
 * that may receive files; with several, the host says which on stdin. */
static void
ui_drop(struct host *h, const char *path)
{
	struct master *m = &h->m;
	unsigned slot = 0, n = 0;

	event("drop path=\"%s\"", log_escape_text(m->text_out, sizeof(m->text_out), path,
	    strlen(path)));
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++)
		if (m->v[i].state == VIEWER_ACTIVE && (m->v[i].rights & MSG_RIGHT_FILES)) {
			slot = i;
			n++;
		}
	if (n == 1) {
		xfer_send(m, slot, path);
		return;
	}
	hostui_chat_note(h->ui, n == 0 ? _("Not sent: no supporter may receive files (the files "
	    "right comes with control).") :
	    /* TRANSLATORS: "send SLOT PATH" is a command typed as it is. */
	    _("Not sent: several supporters may receive files; type send SLOT PATH."));
}

/* The host's clicks in the window. */
static int
ui_actions(struct host *h)
{
	const uint8_t all = MSG_RIGHTS_ALL;
	struct master *m = &h->m;
	struct hostui_action a;

	/* Both End buttons may have been clicked: the session ends once. */
	while (!m->end_requested && (a = ui_next(h)).kind != HOSTUI_NONE) {
		int r = 0;

		if (remote_may_have_clicked(h, a.kind))
			continue;
		switch (a.kind) {
		case HOSTUI_ALLOW_CONTROL:
			master_session_consent_slot(m, (uint16_t)a.slot, true, all);
			break;
		case HOSTUI_ALLOW_VIEW:
			master_session_consent_slot(m, (uint16_t)a.slot, true, MSG_RIGHT_VIEW);
			break;
		case HOSTUI_DENY:
			master_session_consent_slot(m, (uint16_t)a.slot, false, 0);
			break;
		case HOSTUI_KICK:
			r = master_session_kick(m, (uint16_t)a.slot);
			break;
		case HOSTUI_KICK_AWAY:
			resume_forget_one(m, a.slot);
			break;
		case HOSTUI_NEW_CODE:
			master_session_new_code(m);
			break;
		case HOSTUI_TAKE_CONTROL:
			r = master_session_take_control(m);
			break;
		case HOSTUI_END:
			r = master_session_end(m);
			break;
		case HOSTUI_CHAT_SEND:
			ui_chat_send(h, a.text, a.text_len);
			break;
		case HOSTUI_CANCEL_TRANSFER:
			master_transfer_cancel(m, a.slot, a.id, a.incoming);
			break;
		case HOSTUI_DROP_FILE:
			if (h->drop_to_relay && drop_can(m))
				drop_start(m, a.text);
			else
				ui_drop(h, a.text);
			break;
		case HOSTUI_DROP_MODE:
			h->drop_to_relay = !h->drop_to_relay;
			event("drop-mode relay=%d", h->drop_to_relay);
			break;
		case HOSTUI_FILES_ON:
		case HOSTUI_FILES_OFF:
			r = master_session_files_right(m, (uint16_t)a.slot,
			    a.kind == HOSTUI_FILES_ON);
			break;
		case HOSTUI_FETCH_DROP:
			if (m->drop_offered[0] != '\0')
				drop_offer_fetch(m, m->drop_offered);
			break;
		case HOSTUI_NONE:
			break;
		}
		if (r != 0)
			return r;
	}
	/* What a drop or a fetch beside the session came to (drop.c, drop_offer.c). */
	if (m->drop_note[0] != '\0') {
		hostui_chat_note(h->ui, m->drop_note);
		m->drop_note[0] = '\0';
	}
	ui_sync(h);
	return 0;
}

/* X events: screen damage, the pointer, the host's clipboard. */
static int
x11_events(struct master *m)
{
	bool screen = false, cursor = false;
	const char *text;
	size_t len;
	int r;

	if (!m->end_requested && (r = capture_poll(m->cap, &screen, &cursor)) != 0) {
		/* Nothing left to share (the X display closed, Mutter ended the
		 * screen cast): end the session instead of reconnecting to the
		 * relay with a screen that is gone. */
		log_error("%s", _("the shared screen went away: ending the session"));
		return master_session_end(m);
	}
	m->screen_dirty |= screen;
	if (cursor)
		m->pointer_moved_ms = mono_ms();
	if (cursor && (r = video_cursor(m)) != 0)
		return r;
	if (m->clip != NULL && clip_poll(m->clip, &text, &len) == 1 &&
	    (r = clipboard_send(m, text, len)) != 0)
		return r;
	return 0;
}

/* Wait before reconnecting, keeping the host's window alive. Non-zero:
 * the host closed the window or ended the session. */
static int
wait_reconnect(struct host *h, unsigned long ms)
{
	uint64_t until = mono_ms() + ms;

	if (h->ui == NULL) {
		struct pollfd p = { .fd = h->stop_fd, .events = POLLIN };

		(void)poll(&p, 1, (int)ms);     /* a stop ends the wait early */
		return 0;
	}
	while (!stopping(h) && mono_ms() < until) {
		struct hostui_action a = ui_next(h);

		if (a.kind == HOSTUI_END)
			return 1;
		ui_sync(h);
		usleep(UI_POLL_MS * 1000);
	}
	return 0;
}

/* Serve one relay connection until it breaks or the host ends the session. */
static int
serve(struct host *host)
{
	struct master *m = &host->m;
	struct lan *lan = m->lan;
	uint64_t frame_ms = 1000 / m->o.fps, next_ping, next_tick;
	char acc[512];
	size_t acc_len = 0;
	bool stdin_eof = false;
	struct pollfd p[POLL_MAX];
	bool relayed = m->o.relay != NULL;
	struct lan_events lev = master_session_lan_events(m);
	struct wire_hdr h;
	struct buf body;
	int r, n, n_lan = 0, n_link = 0, timeout;

	master_session_start(m);
	frame_clock_init(&m->frames, m->o.fps, mono_ms());
	next_ping = mono_ms() + link_ping_ms(&m->link);
	next_tick = mono_ms() + 1000;
	while (!host->stop) {
		uint64_t now = mono_ms(), wake = next_tick;

		if (video_wants(m) && frame_clock_due_ms(&m->frames) < wake)
			wake = frame_clock_due_ms(&m->frames);
		if (video_refresh_ms(m) < wake)
			wake = video_refresh_ms(m);
		/* X reports no pointer motion: look where it is while someone
		 * watches, every frame while it moves, less often while it
		 * rests (each look is a wakeup and a round trip to X). */
		if (capture_has_pointer(m->cap) && epoch_watchers(m) > 0) {
			uint64_t look = now - m->pointer_moved_ms < MASTER_POINTER_REST_MS ?
			    frame_ms : MASTER_POINTER_REST_POLL_MS;

			if (wake > now + look)
				wake = now + look;
		}

		p[0].fd = host->stop_fd;       /* the relay link's fds follow POLL_FIXED */
		p[0].events = POLLIN;
		p[1].fd = stdin_eof ? -1 : STDIN_FILENO;
		p[1].events = POLLIN;
		p[2].fd = capture_fd(m->cap);
		p[2].events = POLLIN;
		p[3].fd = m->clip != NULL ? clip_fd(m->clip) : -1;
		p[3].events = POLLIN;
		/* The window has no fd to wait on: look at it every UI_POLL_MS. */
		if (host->ui != NULL && wake > now + UI_POLL_MS)
			wake = now + UI_POLL_MS;
		/* A file drop's upload or fetch: its end is looked for as often. */
		if ((m->drop != NULL || m->fetch != NULL) && wake > now + UI_POLL_MS)
			wake = now + UI_POLL_MS;
		timeout = wake > now ? (int)(wake - now) : 0;
		/* Events Xlib already read (during our own requests) no longer
		 * make its fd readable: handle them now. */
		if (capture_queued(m->cap) || xfer_wants(m))
			timeout = 0;
		if (relayed)
			n_link = link_pollfds(&m->link, p + POLL_FIXED, LINK_POLLFDS_MAX, &timeout);
		if (relayed && link_has_frame(&m->link))
			timeout = 0;
		if (lan != NULL)
			n_lan = lan_pollfds(lan, p + POLL_FIXED + n_link,
			    POLL_MAX - POLL_FIXED - n_link);
		n = poll(p, (nfds_t)(POLL_FIXED + n_link + n_lan), timeout);
		if (n == -1 && errno != EINTR)
			return ERR_SYSTEM;
		if (n > 0 && p[0].revents != 0 && stopping(host))
			break;          /* only a readable stop fd is worth a read */
		if (lan != NULL)
			lan_service(lan, &lev, p + POLL_FIXED + n_link, n_lan);
		if (relayed && (r = link_service(&m->link)) != 0)
			return r;
		while (relayed && (r = link_next(&m->link, &h, &body)) == 0)
			if ((r = master_session_frame(m, &h, &body)) != 0)
				return r;
		if (relayed && r != ERR_INCOMPLETE) {
			snprintf(m->link.why, sizeof(m->link.why), "bad frame from the relay (%s)",
			    err_str(r));
			return r;
		}
		drop_poll(m);
		if (n > 0 && p[1].revents != 0 &&
		    (r = console_read(m, acc, sizeof(acc), &acc_len, &stdin_eof)) != 0)
			return r;
		/* Xlib may hold events already read from the fd: always look. */
		if ((r = x11_events(m)) != 0)
			return r;
		if (host->ui != NULL && (r = ui_actions(host)) != 0)
			return r;
		now = mono_ms();
		/* The frame clock (frame_clock.h) runs only while there is
		 * something to send. */
		if (frame_clock_due(&m->frames, video_wants(m), now)) {
			if ((r = video_update(m)) != 0)
				return r;
			frame_clock_sent(&m->frames, now);
		}
		if (now >= next_tick) {
			master_session_tick(m, now);
			next_tick = now + 1000;
		}
		if (relayed && now >= next_ping) {
			if ((r = link_send(&m->link, WIRE_PING, 0, 0, NULL, 0)) != 0)
				return r;
			next_ping = now + link_ping_ms(&m->link);
		}
		if (relayed && link_silent(&m->link, now)) {
			/* A path that died in silence: reconnect now (with the
			 * ticket) rather than when TCP gives up. */
			snprintf(m->link.why, sizeof(m->link.why), "no answer from the relay for "
			    "%u s", (unsigned)((now - m->link.ping_sent_ms) / 1000));
			return ERR_TIMEOUT;
		}
		/* File data goes after the screen's frame, and only into a
		 * short queue (its flow class, files.h). */
		xfer_pump(m, now);
		if (lan != NULL)
			lan_flush(lan, &lev);
		if (relayed && (r = link_flush(&m->link)) != 0)
			return r;
		if (m->end_requested) {
			/* Best effort: the relay ends the session either way. */
			if (relayed && link_drain(&m->link, 2000) != 0)
				log_debug("END may not have reached the relay");
			if (lan != NULL) {
				lan_flush(lan, &lev);
				usleep(100 * 1000);     /* let the goodbyes leave */
				lan_flush(lan, &lev);
			}
			return 0;
		}
	}
	return 0;
}

/* The screen, its input and clipboard, the window, the LAN listener. */
static void
open_host(struct host *h, struct setup *su)
{
	struct master *m = &h->m;
	struct capture_opts co = { .display = su->display, .monitor = su->monitor,
		.window = su->window, .width = m->o.width, .height = m->o.height };
	char why[256];

	/* Without a picture there is nothing to share: say why and stop. */
	if ((m->cap = capture_open(su->source, &co, why, sizeof(why))) == NULL)
		log_fatal(3, _("cannot capture the screen: %s"), why);
	m->screen_dirty = true;
	log_info("sharing %s (%s)", strcmp(su->source, "x11") != 0 ? su->source :
	    su->display != NULL ? su->display : getenv("DISPLAY"), capture_method(m->cap));
	/* Input and the clipboard exist where the source has them. */
	if (inject_find(su->source) != NULL &&
	    (m->inj = inject_open(su->source, su->display, why, sizeof(why))) == NULL) {
		log_warn("viewers cannot control this screen: %s", why);
		m->input_off = true;
	}
	if (clip_find(su->source) == NULL)
		snprintf(why, sizeof(why), "the %s source has none yet", su->source);
	else
		m->clip = clip_open(su->source, su->display, why, sizeof(why));
	if (m->clip == NULL)
		log_warn("no clipboard sharing: %s", why);
	if (!su->headless && (h->ui = hostui_open(why, sizeof(why))) == NULL)
		log_fatal(3, _("cannot open the host's window: %s (use --headless)"), why);
	if (h->ui != NULL && (h->ind = indicator_open(why, sizeof(why))) == NULL)
		log_warn("no indicator of who is watching: %s", why);
	/* What the host should know about this desktop's sharing (a
	 * Wayland desktop that gives no clipboard, as the portal of Debian 12
	 * outside sway; a portal that asks every time): said where the host
	 * looks. */
	if (h->ui != NULL && m->inj != NULL && m->clip == NULL && strcmp(su->source, "x11") != 0)
		hostui_chat_note(h->ui, _("The clipboard is not shared: this desktop gives "
		    "Fernsicht no access to it."));
	if (h->ui != NULL && m->input_off)
		hostui_chat_note(h->ui, _("Viewers can only watch: the desktop allows no input "
		    "for this sharing."));
	if (capture_note(m->cap) != NULL) {
		log_info("%s", capture_note(m->cap));
		if (h->ui != NULL)
			hostui_chat_note(h->ui, capture_note(m->cap));
	}
	if (h->ui != NULL) {
		m->chat_heard = ui_chat_heard;
		m->chat_heard_ctx = h;
	}
	if (su->lan_listen != NULL) {
		if ((m->lan = lan_open(su->lan_listen, why, sizeof(why))) == NULL)
			log_fatal(1, _("--lan: %s"), why);
		event("lan=%s", lan_addr(m->lan));
		log_info("viewers may connect directly to %s", lan_addr(m->lan));
	}
}

/*
 * session-creation tokens: the relay opens no session without
 * a valid token. Trying again mends nothing (the token is missing,
 * expired, revoked or wrong): say so, and keep the window with the
 * reason until the host closes it. The exit code.
 */
static int
token_refused(struct host *h)
{
	const char *why = strstr(h->m.link.why, "(session token ");
	char reason[64];

	snprintf(reason, sizeof(reason), "%s", why != NULL ? why + 15 : "?");
	reason[strcspn(reason, ")")] = '\0';
	snprintf(h->refused, sizeof(h->refused), _("This relay needs a session token (%s): "
	    "ask its operator for one"), reason);
	log_error("%s (%s)", h->refused, h->m.link.why);
	log_info("%s", _("the token goes into master.conf: token = ..., or token-file = FILE"));
	event("token-refused reason=%s", reason);
	link_close(&h->m.link);
	while (h->ui != NULL && !stopping(h) && wait_reconnect(h, 1000) == 0)
		;
	return 2;
}

/*
 * Serve the relay, reconnecting with back-off until the host ends the
 * session (or, with --once, the first connection ends). After a lost
 * connection the master asks for its number back with the ticket of its
 * first WELCOME, so the code stays and allowed viewers come back by
 * themselves (resume.h); only when the relays no longer hold the number
 * (ERROR RESUME) does a new session start. The exit code.
 */
static int
run_relayed(struct host *h, bool once)
{
	struct master *m = &h->m;
	unsigned long backoff = CLIENT_RECONNECT_MIN_MS;
	int r;

	while (!stopping(h)) {
		/* Of several relays, the one we were on is tried first again. */
		if (m->link.relay_used[0] != '\0')
			snprintf(m->link.relay_first, sizeof(m->link.relay_first), "%s",
			    m->link.relay_used);
		m->link.resume = m->has_ticket;
		memcpy(m->link.ticket, m->ticket, sizeof(m->link.ticket));
		snprintf(m->link.token, sizeof(m->link.token), "%s",
		    m->o.token != NULL ? m->o.token : "");
		r = link_open(&m->link, m->o.relay, WIRE_ROLE_MASTER,
		    m->link.resume ? m->session : 0, m->o.name, CLIENT_CONNECT_TIMEOUT_MS);
		if (r != 0 && m->link.error_code == WIRE_E_TOKEN)
			return token_refused(h);
		if (r != 0 && m->link.resume && m->link.error_code == WIRE_E_RESUME) {
			log_warn("relay %s no longer holds session %05u: starting a new one",
			    m->link.relay_used[0] != '\0' ? m->link.relay_used : m->o.relay,
			    m->session);
			event("resume-refused session=%05u", m->session);
			m->has_ticket = false;
			link_close(&m->link);
			continue;
		}
		if (r == 0) {
			log_info("connected to relay %s: session %05u%s", m->link.relay_used,
			    m->link.welcome.session, m->link.resume ? " (resumed)" : "");
			r = serve(h);
			master_session_relay_lost(m);
			backoff = m->has_ticket ? CLIENT_RESUME_RETRY_MIN_MS : CLIENT_RECONNECT_MIN_MS;
			if (r == 0 && m->end_requested) {
				log_info("session ended");
				break;
			}
			if (stopping(h))
				break;
		}
		log_warn("relay %s: %s", m->o.relay, m->link.why[0] ? m->link.why : err_str(r));
		link_close(&m->link);
		if (once)
			return 2;
		/* With a session to get back, viewers are waiting: try
		 * sooner and more often than for a fresh one. */
		if (m->has_ticket && backoff > CLIENT_RESUME_RETRY_MAX_MS)
			backoff = CLIENT_RESUME_RETRY_MAX_MS;
		log_info("reconnecting in %lu ms", backoff);
		if (wait_reconnect(h, backoff) != 0)
			break;  /* the host ended the session meanwhile */
		resume_tick(m, mono_ms());
		backoff = backoff * 2 > CLIENT_RECONNECT_MAX_MS ? CLIENT_RECONNECT_MAX_MS : backoff * 2;
	}
	return 0;
}

static void
close_host(struct host *h)
{
	struct master *m = &h->m;

	drop_free(m);
	/* The viewers first: a direct viewer's slot still points into lan. */
	master_session_free(m);
	if (m->lan != NULL)
		lan_close(m->lan);
	if (h->ind != NULL)
		indicator_close(h->ind);
	if (h->ui != NULL)
		hostui_close(h->ui);
	if (m->clip != NULL)
		clip_close(m->clip);
	if (m->inj != NULL)
		inject_close(m->inj);
	capture_close(m->cap);
}

/* --drop PATH or --fetch LINK instead of a session (endpoint/drop_command.h). */
static int
drop_or_fetch(const struct master *m, const struct setup *su)
{
	char identity[512];
	int kind = su->topts.kind;
	struct drop_command d = {
		.relay = m->o.relay, .topts = &su->topts, .role = WIRE_ROLE_MASTER,
		.name = m->o.name, .ask = su->drop_ask, .token = m->o.token,
		.https = !su->have_transport || kind == TRANSPORT_AUTO ? -1 :
		    (kind == TRANSPORT_TLS || kind == TRANSPORT_PROXY) ? 1 : 0,
		.identity_path = env_config_path("drop-identity", identity, sizeof(identity)) ?
		    identity : NULL,
	};

	if (su->drop != NULL)
		return drop_command_put(&d, su->drop) == 0 ? 0 : 2;
	return drop_command_fetch(&d, su->fetch, m->o.inbox) == 0 ? 0 : 2;
}

int
main(int argc, char **argv)
{
	static struct host h;
	static struct setup su = { .source = NULL, .monitor = -1,
		.topts = { .kind = TRANSPORT_AUTO }, .hostname = "host" };
	struct master *m = &h.m;
	int r;

	i18n_init();
	/* First: no library may start a thread before the stop signals are blocked. */
	h.stop_fd = stop_open();
	log_init("fernsicht-master", LOG_INFO);
	m->o.width = 1280;
	m->o.height = 720;
	m->o.handshake_ms = SESSION_HANDSHAKE_TIMEOUT_MS;
	m->o.consent_ms = SESSION_CONSENT_TIMEOUT_MS;
	drop_ask_default(&su.drop_ask);
	if ((r = options_parse(argc, argv, m, &su)) >= 0)
		return r;
	/* Without --source the desktop says which (capture_default). */
	if (su.source == NULL && su.drop == NULL && su.fetch == NULL)
		su.source = capture_default();
	if (su.source == NULL)
		su.source = "x11";      /* --drop and --fetch share no screen */
	if (capture_find(su.source) == NULL)
		log_fatal(3, _("--source wants %s"), capture_names());
	/* Only the desktop portal's dialog lets the host pick a window. */
	if (su.window && strcmp(su.source, "portal") != 0)
		log_fatal(1, "%s", _("--window needs --source portal (the desktop's dialog asks "
		    "which window)"));
	if (m->o.fps == 0)
		m->o.fps = capture_find(su.source)->fps_default;
	if (sodium_init() < 0)
		log_fatal(3, "%s", _("libsodium failed to initialise"));
	if (env_force_xchacha())
		m->o.force_xchacha = true;
	env_transport(&su.topts, su.state_file, sizeof(su.state_file));
	if (m->o.name == NULL) {
		gethostname(su.hostname, sizeof(su.hostname) - 1);
		m->o.name = su.hostname;
	}
	if (su.drop != NULL || su.fetch != NULL)
		return drop_or_fetch(m, &su);
	if (env_config_path("drop-identity", su.drop_identity, sizeof(su.drop_identity)))
		m->o.drop_identity = su.drop_identity;
	m->o.drop_ask = su.drop_ask;
	if (master_session_init(m) != 0)
		log_fatal(3, "%s", _("out of memory"));
	env_sec_policy(&m->pol);
	m->link.opts = &su.topts;
	open_host(&h, &su);
	if (m->o.relay == NULL) {
		/* No relay: a number of our own, shown like a relay's. */
		m->link.welcome.session = SESSION_NUMBER_MIN +
		    randombytes_uniform(SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1);
		if ((r = serve(&h)) != 0)
			log_error("%s", m->link.why[0] ? m->link.why : err_str(r));
		r = r != 0 ? 3 : 0;
	} else {
		r = run_relayed(&h, su.once);
	}
	close_host(&h);
	return r;
}
