/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fernsicht-viewer: the supporter's side. Joins a session by number, proves
 * the host's one-time code, waits for the host's consent, then shows (or in
 * headless mode records) the screen and sends input.
 *
 * Exit codes: see enum viewer_exit in session.h (0 ok, 1 usage, 2 network,
 * 3 wrong code, 4 refused or removed, 5 security failure, 6 no such session).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "bytes.h"
#include "clock.h"
#include "env.h"
#include "event.h"
#include "log.h"
#include "msg.h"
#include "script.h"
#include "session.h"
#include "stop.h"

#define VIEWER_VERSION "0.2.0"

enum {
	WINDOW_POLL_MS = 10,    /* the window has no fd: look at it this often */
	STATUS_EVERY_MS = 1000,
};


static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: fernsicht-viewer --relay HOST[:PORT] SESSION --code CODE [options]\n"
	    "       fernsicht-viewer --direct HOST:PORT [SESSION] --code CODE [options]\n"
	    "  --relay HOST[:PORT]   relay the host uses (port %d by default)\n"
	    TRANSPORT_USAGE
	    "  SESSION               the host's five-digit session number\n"
	    "  --direct HOST:PORT    connect to a host on this network (its --lan address),\n"
	    "                        with no relay: same code, consent and encryption\n"
	    "  --no-lan              stay on the relay even when the host offers a direct\n"
	    "                        connection on its LAN\n"
	    "  --code CODE           the host's six-digit one-time code (asked for if omitted)\n"
	    "  --headless            no window: events on stdout\n"
	    "  --screenshot FILE     save the window as BMP when leaving\n"
	    "window keys: F8 scale to fit / 1:1, F11 fullscreen\n"
	    "  --record PATH         write decoded frames: a directory gets one PPM per frame,\n"
	    "                        a file gets a stream of concatenated PPM images\n"
	    "  --frames N            leave after N complete frames\n"
	    "  --input-script FILE   send scripted input once allowed (see below)\n"
	    "  --chat TEXT           send TEXT to the host once allowed\n"
	    "  --send PATH           send a file or folder to the host once allowed (with\n"
	    "                        the files right; repeatable). Headless without --frames:\n"
	    "                        leave when every one arrived (exit 0) or failed (7)\n"
	    "  --inbox DIR           where files from the host land (default: the XDG\n"
	    "                        download folder's Fernsicht, e.g. ~/Downloads/Fernsicht)\n"
	    "  --file-limit SIZE     refuse one transfer bigger than SIZE (e.g. 4G)\n"
	    "  --files-total-limit SIZE  refuse transfers once the host sent SIZE\n"
	    "  --name NAME           name the host sees (default: user@host)\n"
	    "  --handshake-timeout S give up when the code is not proven within S seconds\n"
	    "                        (default %d)\n"
	    "  --consent-timeout S   give up when the host has not answered within S\n"
	    "                        seconds of being asked (default %d)\n"
	    "  --force-xchacha       use XChaCha20-Poly1305 even where AES-GCM is available\n"
	    "  --stall-after N       test aid: stop reading after N frames (a slow viewer)\n"
	    "  --dump-plaintext FILE test aid: append every decrypted record to FILE\n"
	    "  --quiet-frames        no 'frame' line per frame\n"
	    "  --no-flow-control     test aid: never ask for the next frame (the host then\n"
	    "                        sends at its own pace, and the relay must cope)\n"
	    "  --latency-probe X,Y,N benchmark aid: N times, move the host's pointer into\n"
	    "                        the left or right half of tests/tools/x11_latency's\n"
	    "                        window centred at X,Y and print 'latency ms=T' when a\n"
	    "                        decoded frame shows its new colour ('latency timeout'\n"
	    "                        after 2 s); needs control\n"
	    "  --log-level LEVEL     debug, info, warn or error\n"
	    "  --help, --version\n"
	    "input script lines: key KEYSYM | type TEXT | pointer X Y | button N down|up |\n"
	    "  wheel DX DY | chat TEXT | clipboard TEXT | sleep MS   (# starts a comment)\n"
	    "exit codes: 0 ok, 1 usage, 2 network, 3 wrong code, 4 refused or removed,\n"
	    "  5 security failure (tampering), 6 no such session / full / rate-limited /\n"
	    "  busy (try again), 7 a --send did not arrive\n",
	    RELAY_PORT_DEFAULT, CLIENT_HANDSHAKE_TIMEOUT_MS / 1000,
	    CLIENT_CONSENT_TIMEOUT_MS / 1000);
}

static int
parse_uint(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || *out < lo || *out > hi)
		return -1;
	return 0;
}

/* X,Y,N for --latency-probe. */
static int
parse_probe(const char *arg, struct vprobe *p)
{
	unsigned long v[3];
	const char *a = arg;
	char *end;

	for (int i = 0; i < 3; i++) {
		errno = 0;
		v[i] = strtoul(a, &end, 10);
		if (errno != 0 || end == a || *end != (i < 2 ? ',' : '\0'))
			return -1;
		a = end + 1;
	}
	if (v[0] < PROBE_STEP || v[0] > UINT16_MAX - PROBE_STEP ||
	    v[1] > UINT16_MAX - PROBE_PIXEL_DY || v[2] < 1 || v[2] > UINT32_MAX)
		return -1;
	memset(p, 0, sizeof(*p));
	p->x = (uint16_t)v[0];
	p->y = (uint16_t)v[1];
	p->left = (uint32_t)v[2];
	return 0;
}

static bool
ask_code(char code[SESSION_CODE_DIGITS + 1])
{
	char line[64];

	if (!isatty(STDIN_FILENO))
		return false;
	fprintf(stderr, "one-time code shown by the host: ");
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return hs_code_parse(line, code);
}

/*
 * The direct connection to the host: with --direct the only one; on a
 * relay, when the host offers its LAN addresses (PROTOCOL.md section 6),
 * a second session is set up over the direct tier, with a handshake over
 * a token derived from our pairwise key instead of the code. Once the host
 * accepts it, it replaces the relayed session; if anything fails, the
 * relayed session simply goes on.
 */
static const struct transport_opts direct_opts = { .kind = TRANSPORT_DIRECT };

struct direct {
	struct vsession s;              /* the session being set up over it */
	bool active;                    /* s is connected and in use */
	bool tried;                     /* the host's offer was tried (once) */
	char addr[WIRE_ADDR_TEXT_MAX + 1];
};

static void
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
			vsession_direct_token(s, token);
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
static void
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
	d->s.disp = s->disp;
	s->disp = NULL;
	d->s.recording = s->recording;
	d->s.recording_on = s->recording_on;
	s->recording_on = false;
	d->s.dump = s->dump;
	s->dump = NULL;
	d->s.frames = s->frames;
	d->s.probe = s->probe;
	vsession_free(s);
	*s = d->s;
	memset(&d->s, 0, sizeof(d->s));
	d->active = false;
	event("direct: connected directly to %s; the relay carries nothing more", d->addr);
}

/* The window's events: input to the host (when allowed), the local
 * clipboard, closing. Non-zero: the supporter closed the window. */
static int
window_events(struct vsession *s)
{
	struct display_event ev;
	struct buf m;
	int r = 0;

	buf_init(&m, MSG_CLIPBOARD_MAX + 8);
	while (r == 0 && (ev = display_poll(s->disp, 0)).kind != DISPLAY_NONE) {
		buf_reset(&m);
		switch (ev.kind) {
		case DISPLAY_INPUT:
			if (s->state != VS_ACTIVE || !(s->rights & MSG_RIGHT_CONTROL))
				break;
			if (msg_input_encode(&m, &ev.input) != 0 || vsession_send(s, &m) != 0)
				log_warn("cannot send input");
			break;
		case DISPLAY_CLIPBOARD:
			if (s->state != VS_ACTIVE || !(s->rights & MSG_RIGHT_CLIPBOARD))
				break;
			if (ev.text_len > MSG_CLIPBOARD_MAX || !buf_utf8_valid(
			    (const uint8_t *)ev.text, ev.text_len)) {
				log_info("local clipboard not sent: over %d bytes or not UTF-8",
				    MSG_CLIPBOARD_MAX);
				break;
			}
			if (msg_clipboard_encode(&m, ev.text, ev.text_len) != 0 ||
			    vsession_send(s, &m) != 0)
				log_warn("cannot send the clipboard");
			break;
		case DISPLAY_QUIT:
			if (msg_bye_encode(&m, MSG_ABORT_LEAVING, "closed the window") != 0 ||
			    vsession_send(s, &m) != 0 || link_drain(&s->link, 1000) != 0)
				log_debug("the goodbye may not have reached the host");
			event("closed reason=\"the window was closed\"");
			s->exit_code = VIEWER_EXIT_OK;
			r = 1;
			break;
		case DISPLAY_NONE:
			break;
		}
	}
	buf_release(&m);
	return r;
}

/* The window's status line, once a second: what a supporter asks about. */
static void
status_line(struct vsession *s, uint64_t now, uint64_t *next, uint64_t *bytes,
    uint32_t *frames)
{
	char text[160];
	uint64_t in = s->link.bytes_in;
	double secs = *next == 0 ? 1.0 : (double)(now - *next + STATUS_EVERY_MS) / 1000.0;

	if (s->state == VS_WAIT_CONSENT) {
		/* The host's prompt shows the same six digits: say them on the phone. */
		snprintf(text, sizeof(text), "check code %03u %03u - waiting for the host to "
		    "allow this viewer", s->hs.res.check / 1000, s->hs.res.check % 1000);
	} else if (s->state != VS_ACTIVE) {
		snprintf(text, sizeof(text), "%s", "proving the code...");
	} else {
		snprintf(text, sizeof(text), "%s%u fps  %.0f kbit/s  %s  %s  relay rtt %u ms",
		    s->lossy ? "LOW BANDWIDTH (lossy colours)  " : "",
		    (unsigned)((s->frames - *frames) / secs + 0.5),
		    (double)(in - *bytes) * 8 / 1000 / secs,
		    s->hs.res.suite == MSG_SUITE_AES256GCM ? "AES-256-GCM" : "XChaCha20-Poly1305",
		    (s->rights & MSG_RIGHT_CONTROL) ? "control" : "view only",
		    s->link.rtt_ms);
	}
	display_status(s->disp, text);
	*bytes = in;
	*frames = s->frames;
	*next = now + STATUS_EVERY_MS;
}

/* What the command line says, besides what goes into the session. */
struct vopts {
	const char *relay, *record, *script_path, *chat, *name, *dump, *screenshot;
	char code[SESSION_CODE_DIGITS + 1];
	bool have_code, headless, force_xchacha;
	bool no_relay;                  /* --direct */
	bool no_direct;                 /* --no-lan: never leave the relay */
	unsigned long session, frames, stall_after;
	unsigned long handshake_s, consent_s;   /* 0: the defaults */
	const char *send[CLIENT_SENDS_MAX];     /* --send */
	unsigned n_send;
	char inbox[1024];                       /* the default --inbox */
	struct transport_opts topts;
	char state_file[512], defname[MSG_NAME_MAX + 1];
};

/* The command line into o and s; -1 to go on, else the exit code. */
static int
parse_options(int argc, char **argv, struct vopts *o, struct vsession *s)
{
	static const struct option opts[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "transport", required_argument, NULL, 'T' },
		{ "proxy", required_argument, NULL, 'P' },
		{ "proxy-user", required_argument, NULL, 'U' },
		{ "ca-file", required_argument, NULL, 'F' },
		{ "direct", required_argument, NULL, 'D' },
		{ "no-lan", no_argument, NULL, 'L' },
		{ "code", required_argument, NULL, 'c' },
		{ "headless", no_argument, NULL, 'H' },
		{ "record", required_argument, NULL, 'R' },
		{ "frames", required_argument, NULL, 'f' },
		{ "input-script", required_argument, NULL, 'i' },
		{ "chat", required_argument, NULL, 'C' },
		{ "send", required_argument, NULL, 'Y' },
		{ "inbox", required_argument, NULL, 'I' },
		{ "file-limit", required_argument, NULL, 'Z' },
		{ "files-total-limit", required_argument, NULL, 'z' },
		{ "name", required_argument, NULL, 'n' },
		{ "handshake-timeout", required_argument, NULL, 'W' },
		{ "consent-timeout", required_argument, NULL, 'A' },
		{ "force-xchacha", no_argument, NULL, 'X' },
		{ "stall-after", required_argument, NULL, 's' },
		{ "dump-plaintext", required_argument, NULL, 'd' },
		{ "quiet-frames", no_argument, NULL, 'q' },
		{ "screenshot", required_argument, NULL, 'S' },
		{ "no-flow-control", no_argument, NULL, 'N' },
		{ "latency-probe", required_argument, NULL, 'p' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	bool ok;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': o->relay = optarg; break;
		case 'T':
			if ((o->topts.kind = transport_kind_parse(optarg)) == ERR_FORMAT)
				log_fatal(VIEWER_EXIT_USAGE,
				    "--transport wants auto, tcp, tls, proxy or http");
			break;
		case 'P': o->topts.proxy = optarg; break;
		case 'U': o->topts.proxy_user = optarg; break;
		case 'F': o->topts.ca_file = optarg; break;
		case 'D': o->relay = optarg; o->no_relay = true; break;
		case 'L': o->no_direct = true; break;
		case 'c':
			if (!hs_code_parse(optarg, o->code))
				log_fatal(VIEWER_EXIT_USAGE, "--code wants the six digits the host shows");
			o->have_code = true;
			break;
		case 'H': o->headless = true; break;
		case 'R': o->record = optarg; break;
		case 'f':
			if (parse_uint(optarg, 1, UINT32_MAX, &o->frames) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--frames wants a positive number");
			break;
		case 'i': o->script_path = optarg; break;
		case 'C': o->chat = optarg; break;
		case 'Y':
			if (o->n_send == CLIENT_SENDS_MAX)
				log_fatal(VIEWER_EXIT_USAGE, "--send at most %d times (send a folder)",
				    CLIENT_SENDS_MAX);
			o->send[o->n_send++] = optarg;
			break;
		case 'I': s->files_conf.inbox = optarg; break;
		case 'Z':
			if (bytes_parse(optarg, &s->files_conf.transfer_max_bytes) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--file-limit wants a size such as 4G");
			break;
		case 'z':
			if (bytes_parse(optarg, &s->files_conf.total_max_bytes) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--files-total-limit wants a size such as 4G");
			break;
		case 'n': o->name = optarg; break;
		case 'W':
			if (parse_uint(optarg, 1, 3600, &o->handshake_s) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--handshake-timeout wants 1..3600 seconds");
			break;
		case 'A':
			if (parse_uint(optarg, 1, 3600, &o->consent_s) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--consent-timeout wants 1..3600 seconds");
			break;
		case 'X': o->force_xchacha = true; break;
		case 's':
			if (parse_uint(optarg, 1, UINT32_MAX, &o->stall_after) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--stall-after wants a positive number");
			break;
		case 'd': o->dump = optarg; break;
		case 'q': s->quiet_frames = true; break;
		case 'S': o->screenshot = optarg; break;
		case 'N': s->no_credit = true; break;
		case 'p':
			if (parse_probe(optarg, &s->probe) != 0)
				log_fatal(VIEWER_EXIT_USAGE, "--latency-probe wants X,Y,N: the probe "
				    "window's centre on the host's screen and a sample count");
			break;
		case 'l':
			log_set_level(log_level_parse(optarg, &ok));
			if (!ok)
				log_fatal(VIEWER_EXIT_USAGE, "--log-level wants debug, info, warn or error");
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("fernsicht-viewer %s\n", VIEWER_VERSION); return 0;
		default: usage(stderr); return VIEWER_EXIT_USAGE;
		}
	}
	if (o->relay == NULL || (o->no_relay ? optind < argc - 1 : optind != argc - 1)) {
		usage(stderr);
		return VIEWER_EXIT_USAGE;
	}
	o->session = 0;    /* direct: any session the host runs */
	if (optind < argc &&
	    parse_uint(argv[optind], SESSION_NUMBER_MIN, SESSION_NUMBER_MAX, &o->session) != 0)
		log_fatal(VIEWER_EXIT_USAGE, "SESSION must be the host's five-digit number");
	if (!o->have_code && !ask_code(o->code))
		log_fatal(VIEWER_EXIT_USAGE, "no code: pass --code with the six digits the host shows");
	return -1;
}

/* The session, the script, the window; the environment read once. */
static void
set_up(struct vsession *s, struct vopts *o, struct script *script)
{
	char why[256], host[32] = "?";

	if (sodium_init() < 0)
		log_fatal(VIEWER_EXIT_USAGE, "libsodium failed to initialise");
	if (env_force_xchacha())
		o->force_xchacha = true;
	env_transport(&o->topts, o->state_file, sizeof(o->state_file));
	if (s->files_conf.inbox == NULL) {
		if (env_download_dir(o->inbox, sizeof(o->inbox)) != 0)
			log_fatal(VIEWER_EXIT_USAGE, "no HOME for the default inbox: give --inbox DIR");
		s->files_conf.inbox = o->inbox;
	}
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
	if (vsession_init(s, o->record) != 0)
		log_fatal(VIEWER_EXIT_USAGE, "cannot set up (out of memory or --record %s unusable)",
		    o->record ? o->record : "");
	env_sec_policy(&s->pol);
	if (o->handshake_s != 0)
		s->handshake_ms = (unsigned)o->handshake_s * 1000;
	if (o->consent_s != 0)
		s->consent_ms = (unsigned)o->consent_s * 1000;
	if (o->dump != NULL && (s->dump = fopen(o->dump, "ab")) == NULL)
		log_fatal(VIEWER_EXIT_USAGE, "--dump-plaintext %s: %s", o->dump, strerror(errno));
	if (!o->headless) {
		char title[64];

		snprintf(title, sizeof(title), "Fernsicht - session %05lu", o->session);
		if ((s->disp = display_open(title, why, sizeof(why))) == NULL)
			log_fatal(VIEWER_EXIT_USAGE, "cannot open a window: %s (use --headless)", why);
		display_status(s->disp, "joining...");
	}
	s->link.opts = o->no_relay ? &direct_opts : &o->topts;
}

/* Read what the link has and hand it to the session. Non-zero: the loop
 * ends (the session says why, or the link broke). */
static int
take_frames(struct vsession *s)
{
	struct wire_hdr h;
	struct buf body;
	int r;

	if ((r = link_service(&s->link)) != 0) {
		while (link_next(&s->link, &h, &body) == 0 && !s->over)
			vsession_frame(s, &h, &body);
		if (s->moved)
			return 0;       /* the relay let go of us: the direct side goes on */
		if (!s->over) {
			s->over = true;
			s->exit_code = VIEWER_EXIT_NETWORK;
			event("closed reason=\"%s\"", s->link.why);
			log_error("%s", s->link.why);
		}
		return 1;
	}
	while (!s->over && (r = link_next(&s->link, &h, &body)) == 0)
		vsession_frame(s, &h, &body);
	if (!s->over && r != ERR_INCOMPLETE) {
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
		struct buf m;

		buf_init(&m, MSG_TEXT_MAX + 8);
		if (msg_chat_encode(&m, o->chat, strlen(o->chat)) == 0 && vsession_send(s, &m) != 0)
			log_warn("cannot send the chat line");
		buf_release(&m);
		*chat_sent = true;
	}
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

/* The session until it is over or a stop signal comes (stop_fd, stop.h):
 * frames in, events, the window, pings. */
static void
run(struct vsession *s, const struct vopts *o, struct script *script, int stop_fd)
{
	static struct direct direct;
	uint64_t next_status = 0, status_bytes = 0, next_ping;
	uint32_t status_frames = 0;
	bool chat_sent = false, stalled = false, sends_started = false;
	unsigned sends_refused = 0;
	char why[64];

	next_ping = mono_ms() + link_ping_ms(&s->link);
	while (!s->over && !stop_requested(stop_fd)) {
		struct pollfd p[LINK_POLLFDS_MAX + 1];
		uint64_t now = mono_ms();
		int wait = s->state == VS_ACTIVE && script_pending(script) ?
		    script_wait_ms(script, now) : 1000;
		int probe_wait = vsession_probe_wait_ms(s, now), n;

		if (probe_wait >= 0 && probe_wait < wait)
			wait = probe_wait;
		if (s->disp != NULL && wait > WINDOW_POLL_MS)
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
		if (take_frames(s) != 0)
			break;
		if (s->moved)
			continue;
		now = mono_ms();
		vsession_tick(s, now);
		if (s->over)
			break;
		if (s->disp != NULL) {
			if (window_events(s) != 0)
				break;
			if (now >= next_status)
				status_line(s, now, &next_status, &status_bytes, &status_frames);
		}
		act(s, o, script, &chat_sent, now);
		if (send_files(s, o, &direct, &sends_started, &sends_refused, &s->exit_code)) {
			leave(s, "files sent");
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
		if (link_flush(&s->link) != 0) {
			event("closed reason=\"%s\"", s->link.why);
			s->exit_code = VIEWER_EXIT_NETWORK;
			break;
		}
	}
}

int
main(int argc, char **argv)
{
	static struct vsession s;
	static struct vopts o = { .topts = { .kind = TRANSPORT_AUTO } };
	struct script script;
	int stop_fd, r;

	log_init("fernsicht-viewer", LOG_INFO);
	if ((r = parse_options(argc, argv, &o, &s)) >= 0)
		return r;
	/* After the code prompt (Ctrl-C must still end that), before any
	 * library starts a thread: threads inherit the blocked signals. */
	stop_fd = stop_open();
	set_up(&s, &o, &script);
	if (link_open(&s.link, o.relay, WIRE_ROLE_VIEWER, (uint32_t)o.session, o.name,
	    CLIENT_CONNECT_TIMEOUT_MS) != 0) {
		log_error("%s", s.link.why);
		event("closed reason=\"%s\"", s.link.why);
		r = s.link.error_code == WIRE_E_NO_SESSION || s.link.error_code == WIRE_E_FULL ||
		    s.link.error_code == WIRE_E_RATE || s.link.error_code == WIRE_E_BUSY ?
		    VIEWER_EXIT_NO_SESSION : VIEWER_EXIT_NETWORK;
		vsession_free(&s);
		return r;
	}
	vsession_start(&s, o.code, o.force_xchacha, o.name);
	sodium_memzero(o.code, sizeof(o.code));
	run(&s, &o, &script, stop_fd);
	r = s.exit_code;
	if (s.disp != NULL) {
		if (o.screenshot != NULL && display_screenshot(s.disp, o.screenshot) != 0)
			log_warn("cannot save the screenshot %s", o.screenshot);
		display_close(s.disp);
		s.disp = NULL;
	}
	if (s.dump != NULL)
		fclose(s.dump);
	script_free(&script);
	vsession_free(&s);
	return r;
}
