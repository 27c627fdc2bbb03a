/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fernsicht-viewer: the supporter's side. Joins a session by number, proves
 * the host's one-time code, waits for the host's consent, then shows (or in
 * headless mode records) the screen and sends input.
 *
 * Without a session number it opens the start window (startwin.h), which
 * asks for number and code and says why a join failed; each attempt is a
 * fresh session, cleaned up whole before the next one.
 *
 * Exit codes: see enum viewer_exit in session.h (0 ok, 1 usage, 2 network,
 * 3 wrong code, 4 refused or removed, 5 security failure, 6 no such session).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "alert.h"
#include "bytes.h"
#include "clock.h"
#include "config.h"
#include "options.h"
#include "direct.h"
#include "drop.h"
#include "drop_command.h"
#include "drop_identity.h"
#include "drop_send.h"
#include "resume.h"
#include "env.h"
#include "event.h"
#include "i18n.h"
#include "link_url.h"
#include "log.h"
#include "msg.h"
#include "script.h"
#include "session.h"
#include "startwin.h"
#include "status.h"
#include "stop.h"
#include "usage.h"
#include "window.h"
#include "wire.h"

enum {
	WINDOW_POLL_MS = 10,    /* the window has no fd: look at it this often */
	STATUS_EVERY_MS = 1000,
	STATUS_TEXT_MAX = 200,
};




/* The window's status line, once a second: what a supporter asks about. */
static void
status_line(struct vsession *s, struct startwin *sw, uint64_t now, uint64_t *next,
    uint64_t *bytes, uint32_t *frames)
{
	char text[STATUS_TEXT_MAX], brief[STATUS_TEXT_MAX];
	uint64_t in = s->link.bytes_in;
	double secs = *next == 0 ? 1.0 : (double)(now - *next + STATUS_EVERY_MS) / 1000.0;
	struct vstatus st = {
		.state = s->state == VS_WAIT_CONSENT ? VSTATUS_WAITING : s->state != VS_ACTIVE ?
		    VSTATUS_PROVING : VSTATUS_ACTIVE,
		.check = s->hs.res.check,
		.lossy = s->lossy,
		.jpeg = s->jpeg_tiles > 0,
		.aes = s->hs.res.suite == MSG_SUITE_AES256GCM,
		.control = (s->rights & MSG_RIGHT_CONTROL) != 0,
		.fps = (unsigned)((s->frames - *frames) / secs + 0.5),
		.rtt_ms = s->link.rtt_ms,
		.kbit_s = (double)(in - *bytes) * 8 / 1000 / secs,
	};

	if (s->lost) {
		st.state = VSTATUS_RECONNECTING;
		st.away_s = (unsigned)((now - s->lost_ms) / 1000);
		st.grace_s = s->resume_ms / 1000;
	}
	vstatus_text(&st, text, brief, sizeof(text));
	if (s->disp != NULL)
		display_status(s->disp, text, brief);
	else
		startwin_joining(sw, text);
	*bytes = in;
	*frames = s->frames;
	*next = now + STATUS_EVERY_MS;
}



/* Once: libsodium, the environment, the name, the input script. */
static void
prepare(struct vopts *o, struct script *script)
{
	char host[32] = "?";

	if (sodium_init() < 0)
		log_fatal(VIEWER_EXIT_USAGE, "%s", _("libsodium failed to initialise"));
	if (env_force_xchacha())
		o->force_xchacha = true;
	env_transport(&o->topts, o->state_file, sizeof(o->state_file));
	env_sec_policy(&o->pol);
	if (o->name == NULL) {
		const char *user = getenv("USER");

		gethostname(host, sizeof(host) - 1);
		snprintf(o->defname, sizeof(o->defname), "%.24s@%.31s", user ? user : "viewer",
		    host);
		o->name = o->defname;
	}
	script_init(script);
	if (o->script_path != NULL && script_load(script, o->script_path) != 0)
		log_fatal(VIEWER_EXIT_USAGE, "%s: %s", o->script_path, script->why);
}

/* The session's window; joined in the start window, with what the host
 * already allowed and sent. */
static void
window_open(struct vsession *s, const struct vopts *o)
{
	char title[64], why[256], text[STATUS_TEXT_MAX], brief[STATUS_TEXT_MAX];

	/* TRANSLATORS: the session window's title, with the five-digit session number. */
	snprintf(title, sizeof(title), _("Fernsicht - session %05lu"), o->session);
	if ((s->disp = display_open(title, why, sizeof(why))) == NULL)
		log_fatal(VIEWER_EXIT_USAGE, _("cannot open a window: %s (use --headless)"), why);
	vstatus_text(&(struct vstatus){ .state = VSTATUS_JOINING }, text, brief, sizeof(text));
	display_status(s->disp, text, brief);
	if (s->state != VS_ACTIVE)
		return;
	display_set_control(s->disp, (s->rights & MSG_RIGHT_CONTROL) != 0);
	if (s->have_frame != 0 &&
	    display_frame(s->disp, &s->img, 0, 0, s->img.w, s->img.h) != 0)
		log_debug("the first picture waits for the next frame");
}

/* The session window's turn: its events, and the status line once a
 * second. Non-zero: the supporter closed it. */
static int
window_turn(struct vsession *s, struct startwin *sw, uint64_t now, uint64_t *next,
    uint64_t *bytes, uint32_t *frames)
{
	if (window_events(s) != 0)
		return 1;
	if (now >= *next)
		status_line(s, sw, now, next, bytes, frames);
	return 0;
}

/*
 * One attempt's session, shaped by the command line (shape: the options
 * parse_options put into a session); its window now unless the start
 * window is still up.
 */
static void
session_open(struct vsession *s, const struct vsession *shape, const struct vopts *o,
    bool window)
{
	*s = *shape;
	if (vsession_init(s, o->record) != 0)
		log_fatal(VIEWER_EXIT_USAGE, _("cannot set up (out of memory or --record %s "
		    "unusable)"), o->record ? o->record : "");
	s->pol = o->pol;
	if (o->handshake_s != 0)
		s->handshake_ms = (unsigned)o->handshake_s * 1000;
	if (o->consent_s != 0)
		s->consent_ms = (unsigned)o->consent_s * 1000;
	/* Directly to a host there is no relay to come back through. */
	s->resume_ms = o->no_relay ? 0 : (unsigned)o->resume_s * 1000;
	if (o->dump != NULL && (s->dump = fopen(o->dump, "ab")) == NULL)
		log_fatal(VIEWER_EXIT_USAGE, "--dump-plaintext %s: %s", o->dump, strerror(errno));
	if (window)
		window_open(s, o);
	s->link.opts = o->no_relay ? &direct_opts : &o->topts;
}

/* Everything an attempt held: the window, the link, the keys. */
static void
session_close(struct vsession *s, const struct vopts *o)
{
	drop_fetch_wait(s);             /* a fetch from the window ends first */
	drop_send_wait(s);              /* and a --drop's upload */
	if (s->disp != NULL) {
		if (o->screenshot != NULL && display_screenshot(s->disp, o->screenshot) != 0)
			log_warn("cannot save the screenshot %s", o->screenshot);
		display_close(s->disp);
		s->disp = NULL;
	}
	if (s->dump != NULL)
		fclose(s->dump);
	vsession_free(s);
	sodium_memzero(s, sizeof(*s));
}

/* Read what the link has and hand it to the session. Non-zero: the loop
 * ends (the session says why, or the link broke). A change of state ends
 * the turn early (the rest waits in the link), so that the loop can act on
 * it first: being allowed opens the session window before the first frame. */
static int
take_frames(struct vsession *s)
{
	enum vstate was = s->state;
	struct wire_hdr h;
	struct buf body;
	int r;

	if ((r = link_service(&s->link)) != 0) {
		while (link_next(&s->link, &h, &body) == 0 && !s->over)
			vsession_frame(s, &h, &body);
		if (s->moved)
			return 0;       /* the relay let go of us: the direct side goes on */
		vsession_lost(s, "%s", s->link.why);
		return 1;
	}
	while (!s->over && s->state == was && (r = link_next(&s->link, &h, &body)) == 0)
		vsession_frame(s, &h, &body);
	if (!s->over && r != 0 && r != ERR_INCOMPLETE) {
		s->over = true;
		s->exit_code = VIEWER_EXIT_SECURITY;
		event("closed reason=\"bad frame from the relay (%s)\"", err_str(r));
	}
	return s->over;
}

/* Once allowed: the --chat line, the input script, the latency probe. */
static void
act(struct vsession *s, const struct vopts *o, struct script *script, bool *chat_sent,
    uint64_t now)
{
	int r;

	if (s->state != VS_ACTIVE)
		return;
	if (o->chat != NULL && !*chat_sent) {
		chat_send_line(s, o->chat, strlen(o->chat));
		*chat_sent = true;
	}
	drop_tell_identity(s);
	if ((r = script_run(script, s, now)) != 0)
		log_warn("input script: %s", err_str(r));
	vsession_probe(s, now);
}

/* --frames N reached, or the files sent: a polite goodbye (leaving works
 * without it too). */
static void
leave(struct vsession *s, const char *why)
{
	struct buf m;

	buf_init(&m, 64);
	if (msg_bye_encode(&m, MSG_ABORT_LEAVING, "done") != 0 || vsession_send(s, &m) != 0 ||
	    link_drain(&s->link, 2000) != 0)
		log_debug("the goodbye may not have reached the host");
	buf_release(&m);
	event("closed reason=\"%s\"", why);
}

/*
 * --send: once allowed with the files right, and not while a direct
 * connection is being tried (a move ends the transfers of the relayed
 * session; sent again, they would resume). Returns true when a headless
 * viewer that only came to send is done: *exit_code says how it went.
 */
static bool
send_files(struct vsession *s, const struct vopts *o, const struct direct *d, bool *started,
    unsigned *refused, int *exit_code)
{
	unsigned done, failed;

	if (o->n_send == 0 || s->state != VS_ACTIVE)
		return false;
	if (!*started) {
		if (s->direct_offered && !o->no_direct && (!d->tried || d->active))
			return false;
		*started = true;
		for (unsigned i = 0; i < o->n_send; i++)
			if (xfer_send(s, o->send[i]) != 0)
				(*refused)++;
	}
	if (!o->headless || o->frames > 0 || (s->files != NULL && files_running(s->files) > 0))
		return false;
	done = failed = 0;
	if (s->files != NULL)
		files_sent_outcome(s->files, &done, &failed);
	*exit_code = failed + *refused > 0 ? VIEWER_EXIT_TRANSFER : VIEWER_EXIT_OK;
	return true;
}

/* How run() ended. */
enum run_end {
	RUN_OVER,                       /* the session is over (or broke) */
	RUN_LEFT,                       /* a stop signal, or the supporter closed a window */
	RUN_JOINED,                     /* with the start window: the host allowed us */
	RUN_CANCELLED,                  /* with the start window: the supporter gave up */
};

/* The session until it is over or a stop signal comes (stop_fd, stop.h):
 * frames in, events, the window, pings. With the start window (sw) it
 * returns once the host allowed us, for the session window to take over. */
static enum run_end
run(struct vsession *s, const struct vopts *o, struct script *script, int stop_fd,
    struct startwin *sw)
{
	static struct direct direct;
	static struct resume resume;
	uint64_t next_status = 0, status_bytes = 0, next_ping;
	uint32_t status_frames = 0;
	bool chat_sent = false, stalled = false, sends_started = false;
	unsigned sends_refused = 0;
	char why[64];

	next_ping = mono_ms() + link_ping_ms(&s->link);
	while (!s->over || s->lost) {
		struct pollfd p[LINK_POLLFDS_MAX + 1];
		uint64_t now = mono_ms();
		int wait = s->state == VS_ACTIVE && script_pending(script) ?
		    script_wait_ms(script, now) : 1000;
		int probe_wait = vsession_probe_wait_ms(s, now), n;

		if (stop_requested(stop_fd)) {
			/* Stopped (Ctrl-C, a logout's SIGTERM): this viewer
			 * leaves, it is not lost; the host must not keep its
			 * place and show it as coming back. Moved but not yet
			 * over on the direct side: the goodbye goes there. */
			struct vsession *to = s->moved && direct.active &&
			    direct.s.state != VS_HANDSHAKE ? &direct.s : s;

			if (to->state != VS_HANDSHAKE && !to->over)
				leave(to, "stopped");
			return RUN_LEFT;
		}
		if (s->lost) {
			/* Allowed, then cut off: come back (resume.h), the
			 * window alive meanwhile. */
			if (!resume.on)
				resume_begin(&resume, s);
			switch (resume_service(&resume, s, o->relay, &o->topts, o->force_xchacha,
			    o->name)) {
			case RESUME_GAVE_UP:
				return RUN_OVER;
			case RESUME_BACK:
				next_ping = mono_ms() + link_ping_ms(&s->link);
				continue;
			case RESUME_TRYING:
				break;
			}
			if (s->disp != NULL && window_turn(s, sw, now, &next_status, &status_bytes,
			    &status_frames) != 0)
				return RUN_LEFT;
			p[0].fd = stop_fd;
			p[0].events = POLLIN;
			(void)poll(p, 1, resume.active ? 5 : WINDOW_POLL_MS);
			continue;
		}
		if (probe_wait >= 0 && probe_wait < wait)
			wait = probe_wait;
		if ((s->disp != NULL || sw != NULL) && wait > WINDOW_POLL_MS)
			wait = WINDOW_POLL_MS;
		if (xfer_wants(s))
			wait = 0;
		if (s->direct_offered && !direct.tried && !o->no_direct)
			direct_try(&direct, s, o->force_xchacha, o->name);
		if (s->moved && !direct.active) {
			/* The host moved us, but the direct session failed. */
			event("closed reason=\"the direct connection failed after the move\"");
			s->exit_code = VIEWER_EXIT_NETWORK;
			break;
		}
		if (s->moved) {
			/* The relayed side is over: only the direct one matters. */
			direct_service(&direct, s);
			usleep(WINDOW_POLL_MS * 1000);
			continue;
		}
		if (direct.active) {
			direct_service(&direct, s);
			if (wait > WINDOW_POLL_MS)
				wait = WINDOW_POLL_MS;
		}
		if (stalled) {
			/* A viewer that stopped reading: the relay must evict it. */
			usleep(100 * 1000);
			continue;
		}
		/* s may be the direct session now: ask it what to wait for. */
		n = link_pollfds(&s->link, p, LINK_POLLFDS_MAX, &wait);
		if (link_has_frame(&s->link))
			wait = 0;
		p[n].fd = stop_fd;              /* a stop wakes the wait */
		p[n].events = POLLIN;
		if (poll(p, (nfds_t)n + 1, wait) == -1 && errno != EINTR)
			break;
		if (take_frames(s) != 0) {
			if (s->lost)
				continue;
			break;
		}
		if (sw != NULL && s->state == VS_ACTIVE)
			return RUN_JOINED;
		if (s->moved)
			continue;
		now = mono_ms();
		vsession_tick(s, now);
		if (s->over) {
			if (s->lost)
				continue;
			break;
		}
		if (s->disp != NULL) {
			if (window_turn(s, sw, now, &next_status, &status_bytes,
			    &status_frames) != 0)
				return RUN_LEFT;
		} else if (sw != NULL) {
			switch (startwin_poll(sw, 0, NULL)) {
			case STARTWIN_QUIT:
				event("closed reason=\"the window was closed\"");
				return RUN_LEFT;
			case STARTWIN_CANCEL:
				event("closed reason=\"cancelled\"");
				return RUN_CANCELLED;
			case STARTWIN_CONNECT:
			case STARTWIN_NONE:
				break;
			}
			if (now >= next_status)
				status_line(s, sw, now, &next_status, &status_bytes,
				    &status_frames);
		}
		act(s, o, script, &chat_sent, now);
		if (send_files(s, o, &direct, &sends_started, &sends_refused, &s->exit_code)) {
			leave(s, s->exit_code == VIEWER_EXIT_OK ? "files sent" :
			    "not every file arrived");
			break;
		}
		/* --drop: a headless viewer that only came to drop is done then */
		if (drop_send_turn(s, now) && o->headless && o->frames == 0) {
			s->exit_code = s->drop_result == 0 ? VIEWER_EXIT_OK : VIEWER_EXIT_TRANSFER;
			leave(s, s->drop_result == 0 ? "file dropped" : "the drop failed");
			break;
		}
		xfer_pump(s, now);
		if (o->frames > 0 && s->frames >= o->frames) {
			s->exit_code = VIEWER_EXIT_OK;
			snprintf(why, sizeof(why), "received %lu frames", o->frames);
			leave(s, why);
			break;
		}
		if (o->stall_after > 0 && s->frames >= o->stall_after) {
			event("stalling after %u frames", s->frames);
			stalled = true;
		}
		if (now >= next_ping) {
			if (link_send(&s->link, WIRE_PING, 0, 0, NULL, 0) != 0)
				break;
			next_ping = now + link_ping_ms(&s->link);
		}
		if (link_silent(&s->link, now)) {
			/* A path that died in silence: come back over a new
			 * connection now rather than when TCP gives up. */
			vsession_lost(s, N_("no answer from the other end for %u s"),
			    (unsigned)((now - s->link.ping_sent_ms) / 1000));
			if (s->lost)
				continue;
			break;
		}
		if (link_flush(&s->link) != 0) {
			vsession_lost(s, "%s", s->link.why);
			if (s->lost)
				continue;
			break;
		}
	}
	return RUN_OVER;
}

/* A failed join told in the start window and on stdout. */
static void
tell_failure(struct vsession *s, struct startwin *sw)
{
	const char *headline, *reason = vsession_outcome(s, &headline);
	const char *detail = s->why[0] != '\0' ? s->why : s->link.why;
	char plain[128];

	event("start-failed reason=\"%s\"", reason);
	/* The relay's refusal in its own (English) words says no more than
	 * the headline, which is in the supporter's language. */
	snprintf(plain, sizeof(plain), "relay refused: %s", wire_error_str(s->link.error_code));
	if (s->link.error_code != WIRE_E_NONE && strcmp(detail, plain) == 0)
		detail = "";
	startwin_failed(sw, headline, detail, s->exit_code == VIEWER_EXIT_CODE);
}

/*
 * One attempt at a session: connect, prove the code, run it until it is
 * over. With the start window (*sw) up, the session window opens once the
 * host allowed us and *sw is closed then; a join that fails is told to
 * it. Whatever the attempt held is gone when it returns (link closed, keys
 * wiped, o->code too). *left: the supporter left. Returns the exit code.
 */
static int
attempt(struct vsession *s, const struct vsession *shape, struct vopts *o,
    struct script *script, int stop_fd, struct startwin **sw, bool *left)
{
	enum run_end end = RUN_OVER;
	int r;

	session_open(s, shape, o, *sw == NULL && !o->headless);
	if (*sw != NULL) {
		char status[STARTWIN_RELAY_MAX + 32];

		snprintf(status, sizeof(status), _("connecting to %s..."), o->relay);
		startwin_joining(*sw, status);
	}
	if (link_open(&s->link, o->relay, WIRE_ROLE_VIEWER, (uint32_t)o->session, o->name,
	    CLIENT_CONNECT_TIMEOUT_MS) != 0) {
		vsession_finish(s, s->link.error_code == WIRE_E_NO_SESSION ||
		    s->link.error_code == WIRE_E_FULL || s->link.error_code == WIRE_E_RATE ||
		    s->link.error_code == WIRE_E_BUSY ? VIEWER_EXIT_NO_SESSION :
		    VIEWER_EXIT_NETWORK, "%s", s->link.why);
	} else {
		vsession_start(s, o->code, o->force_xchacha, o->name);
		sodium_memzero(o->code, sizeof(o->code));
		if ((end = run(s, o, script, stop_fd, *sw)) == RUN_JOINED) {
			startwin_close(*sw);
			*sw = NULL;
			window_open(s, o);
			end = run(s, o, script, stop_fd, NULL);
		}
	}
	sodium_memzero(o->code, sizeof(o->code));
	*left = end == RUN_LEFT;
	if (*sw != NULL && end == RUN_CANCELLED)
		startwin_cancelled(*sw);
	else if (*sw != NULL && end == RUN_OVER)
		tell_failure(s, *sw);
	r = s->exit_code;
	session_close(s, o);
	return r;
}

/*
 * No session number: the start window asks, and after a failed join asks
 * again, until a session ran or the supporter leaves. Returns the
 * session's exit code, or the last failed join's.
 */
static int
start_window(struct vsession *s, const struct vsession *shape, struct vopts *o,
    struct script *script, int stop_fd)
{
	struct startwin_opts so = {
		.relay = o->relay, .relay_from = o->relay_from,
		.relay_from_command_line = o->relay_from_command_line,
		.relay_from_link = o->relay_from_link,
		.relay_configured = o->conf.relay[0] != '\0' ? o->conf.relay : NULL,
		.notice = o->config_why[0] != '\0' ? o->config_why : NULL,
		.code = o->have_code ? o->code : NULL, .session = o->session,
	};
	const char *home = getenv("HOME");
	char why[256], esc[4 * STARTWIN_RELAY_MAX + 1], from[VCONFIG_FROM_MAX + 2];
	struct startwin_entry e;
	struct startwin *sw;
	bool left = false;
	int r = VIEWER_EXIT_OK;
	size_t n;

	/* "~/.config/fernsicht/viewer.conf": the path as people write it. */
	if (o->relay_from != NULL && home != NULL && (n = strlen(home)) > 1 &&
	    strncmp(o->relay_from, home, n) == 0 && o->relay_from[n] == '/') {
		snprintf(from, sizeof(from), "~%s", o->relay_from + n);
		so.relay_from = from;
	}

	if ((sw = startwin_open(&so, why, sizeof(why))) == NULL)
		log_fatal(VIEWER_EXIT_USAGE, _("cannot open a window: %s (pass the SESSION number; "
		    "--headless for none)"), why);
	sodium_memzero(o->code, sizeof(o->code));
	if (o->relay != NULL)
		log_escape_text(esc, sizeof(esc), o->relay, strlen(o->relay));
	/* from=link: the relay came from a fernsicht:// link (the window says
	 * so, and names the settings' relay when that is another one). */
	event("start-window relay=\"%s\"%s", o->relay != NULL ? esc : "",
	    o->relay_from_link ? " from=link" : "");
	while (sw != NULL && !left) {
		switch (startwin_poll(sw, WINDOW_POLL_MS * 10, &e)) {
		case STARTWIN_QUIT:
			event("closed reason=\"the window was closed\"");
			left = true;
			break;
		case STARTWIN_CONNECT:
			snprintf(o->relay_typed, sizeof(o->relay_typed), "%s", e.relay);
			o->relay = o->relay_typed;
			o->session = e.session;
			memcpy(o->code, e.code, sizeof(o->code));
			sodium_memzero(&e, sizeof(e));
			log_escape_text(esc, sizeof(esc), o->relay, strlen(o->relay));
			event("start-connect session=%05lu relay=\"%s\"", o->session, esc);
			r = attempt(s, shape, o, script, stop_fd, &sw, &left);
			break;
		case STARTWIN_CANCEL:   /* only while joining, inside attempt() */
		case STARTWIN_NONE:
			break;
		}
		if (stop_requested(stop_fd))
			left = true;
	}
	startwin_close(sw);
	return r;
}

/* The drop identity (made on first use) that each session tells the host:
 * what the host drops during the session is then opened with it. */
static void
drop_identity_use(struct vsession *shape)
{
	struct drop_identity id;
	char path[512], why[512];

	if (!env_config_path("drop-identity", path, sizeof(path)))
		return;
	if (drop_identity_load(path, &id, why, sizeof(why)) != 0) {
		log_warn("no file drop during the session: %s", why);
		return;
	}
	memcpy(shape->drop_pk, id.pk, sizeof(shape->drop_pk));
	shape->has_drop_pk = true;
	snprintf(shape->drop_identity, sizeof(shape->drop_identity), "%s", path);
	drop_identity_clear(&id);
}

/* --fetch LINK instead of a session (endpoint/drop_command.h). */
static int
fetch(const struct vopts *o, const char *inbox)
{
	char identity[512];
	struct drop_command d = {
		.relay = o->relay, .topts = &o->topts, .role = WIRE_ROLE_VIEWER,
		.name = o->name, .ask = o->drop_ask,
		.https = !o->have_transport || o->topts.kind == TRANSPORT_AUTO ? -1 :
		    (o->topts.kind == TRANSPORT_TLS || o->topts.kind == TRANSPORT_PROXY) ? 1 : 0,
		.identity_path = env_config_path("drop-identity", identity, sizeof(identity)) ?
		    identity : NULL,
	};

	return drop_command_fetch(&d, o->fetch, inbox) == 0 ? VIEWER_EXIT_OK :
	    VIEWER_EXIT_TRANSFER;
}

int
main(int argc, char **argv)
{
	static struct vsession s;
	static struct vopts o = { .topts = { .kind = TRANSPORT_AUTO },
		.resume_s = SESSION_RESUME_GRACE_MS / 1000 };
	static struct vsession shape;   /* what the command line puts into each session */
	struct startwin *no_window = NULL;
	struct script script;
	int stop_fd, r;
	bool left;

	i18n_init();
	log_init("fernsicht-viewer", LOG_INFO);
	drop_ask_default(&o.drop_ask);
	if ((r = options_parse(argc, argv, &o, &shape)) >= 0)
		return r;
	if ((r = options_use_config(&o)) >= 0)
		return r;
	/* After the code prompt (Ctrl-C must still end that), before any
	 * library starts a thread: threads inherit the blocked signals. */
	stop_fd = stop_open();
	prepare(&o, &script);
	if (shape.files_conf.inbox == NULL) {
		if (env_download_dir(o.inbox, sizeof(o.inbox)) != 0)
			log_fatal(VIEWER_EXIT_USAGE, "%s",
			    _("no HOME for the default inbox: give --inbox DIR"));
		shape.files_conf.inbox = o.inbox;
	}
	if (o.fetch == NULL)
		drop_identity_use(&shape);
	/* --drop PATH: in the session, once the host allowed it (drop_send.h) */
	shape.drop_path = o.drop;
	shape.drop_ask = o.drop_ask;
	if (o.fetch != NULL)
		r = fetch(&o, shape.files_conf.inbox);
	else if (o.start_window)
		r = start_window(&s, &shape, &o, &script, stop_fd);
	else
		r = attempt(&s, &shape, &o, &script, stop_fd, &no_window, &left);
	script_free(&script);
	return r;
}
