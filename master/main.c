/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fernsicht-master: the host side. Connects to a relay, shows the session
 * number and a one-time code, asks the host before anyone may watch, and
 * streams the screen to the viewers it allowed.
 *
 * Exit codes: 0 the host ended the session; 1 usage error; 2 the relay
 * could not be reached and --once was given; 3 a local failure (out of
 * memory, capture).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "clock.h"
#include "log.h"
#include "session.h"

#define MASTER_VERSION "0.1.0"

static volatile sig_atomic_t got_signal;

static void
on_signal(int sig)
{
	got_signal = sig;
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: fernsicht-master --relay HOST[:PORT] --headless [options]\n"
	    "  --relay HOST[:PORT]   relay to use (port %d by default)\n"
	    "  --headless            no window: session line on stdout, consent on stdin\n"
	    "  --source test-pattern what to share (x11 comes with the GUI build)\n"
	    "  --auto-accept         allow every viewer that proves the code (view+control)\n"
	    "  --name NAME           name shown to viewers (default: host name)\n"
	    "  --fps N               screen updates per second (default 10)\n"
	    "  --size WxH            test-pattern size (default 1280x720)\n"
	    "  --force-xchacha       use XChaCha20-Poly1305 even where AES-GCM is available\n"
	    "  --print-input         print the input events viewers send\n"
	    "  --chat TEXT           send TEXT to each viewer once it is allowed\n"
	    "  --once                exit when the relay connection is lost (no reconnect)\n"
	    "  --log-level LEVEL     debug, info, warn or error\n"
	    "  --help, --version\n"
	    "stdin commands (headless): y (allow view+control), v (view only), n (deny),\n"
	    "  kick SLOT, end\n"
	    "stdout: 'session=NNNNN code=NNNNNN' whenever a new code is shown, and one line\n"
	    "  per event (join, verified, consent, allowed, left, code-failed, input, chat)\n",
	    RELAY_PORT_DEFAULT);
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

/* One stdin line: a consent answer or a command. */
static int
stdin_command(struct master *m, char *line)
{
	unsigned long slot;

	line[strcspn(line, "\r\n")] = '\0';
	if (strcmp(line, "y") == 0 || strcmp(line, "yes") == 0)
		master_session_consent(m, true, MSG_RIGHT_VIEW | MSG_RIGHT_CONTROL);
	else if (strcmp(line, "v") == 0)
		master_session_consent(m, true, MSG_RIGHT_VIEW);
	else if (strcmp(line, "n") == 0 || strcmp(line, "no") == 0)
		master_session_consent(m, false, 0);
	else if (strncmp(line, "kick ", 5) == 0 &&
	    parse_uint(line + 5, 1, SESSION_VIEWERS_MAX, &slot) == 0)
		return master_session_kick(m, (uint16_t)slot);
	else if (strcmp(line, "end") == 0)
		return master_session_end(m);
	else if (line[0] != '\0') {
		printf("unknown command '%s' (y, v, n, kick SLOT, end)\n", line);
		fflush(stdout);
	}
	return 0;
}

/* Read what stdin has; whole lines become commands. */
static int
read_stdin(struct master *m, char *acc, size_t acc_size, size_t *acc_len, bool *eof)
{
	char *nl;
	ssize_t n;
	int r;

	n = read(STDIN_FILENO, acc + *acc_len, acc_size - 1 - *acc_len);
	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			*eof = true;
		return 0;
	}
	*acc_len += (size_t)n;
	acc[*acc_len] = '\0';
	while ((nl = strchr(acc, '\n')) != NULL) {
		*nl = '\0';
		if ((r = stdin_command(m, acc)) != 0)
			return r;
		memmove(acc, nl + 1, *acc_len - (size_t)(nl + 1 - acc) + 1);
		*acc_len -= (size_t)(nl + 1 - acc);
	}
	if (*acc_len == acc_size - 1)
		*acc_len = 0;   /* an over-long line: drop it */
	return 0;
}

/* Serve one relay connection until it breaks or the host ends the session. */
static int
serve(struct master *m)
{
	uint64_t frame_ms = 1000 / m->o.fps, next_frame = mono_ms(), next_ping, next_tick;
	char acc[512];
	size_t acc_len = 0;
	bool stdin_eof = false;
	struct pollfd p[2];
	struct wire_hdr h;
	struct buf body;
	int r, n;

	master_session_start(m);
	next_ping = mono_ms() + link_ping_ms(&m->link);
	next_tick = mono_ms() + 1000;
	while (!got_signal) {
		uint64_t now = mono_ms(), wake = next_frame < next_tick ? next_frame : next_tick;

		p[0].fd = m->link.fd;
		p[0].events = POLLIN | (link_want_write(&m->link) ? POLLOUT : 0);
		p[1].fd = stdin_eof ? -1 : STDIN_FILENO;
		p[1].events = POLLIN;
		n = poll(p, 2, wake > now ? (int)(wake - now) : 0);
		if (n == -1 && errno != EINTR)
			return ERR_SYSTEM;
		if (n > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    (r = link_fill(&m->link)) != 0)
			return r;
		while ((r = link_next(&m->link, &h, &body)) == 0)
			if ((r = master_session_frame(m, &h, &body)) != 0)
				return r;
		if (r != ERR_INCOMPLETE) {
			snprintf(m->link.why, sizeof(m->link.why), "bad frame from the relay (%s)",
			    err_str(r));
			return r;
		}
		if (n > 0 && p[1].revents != 0 &&
		    (r = read_stdin(m, acc, sizeof(acc), &acc_len, &stdin_eof)) != 0)
			return r;
		now = mono_ms();
		if (now >= next_frame) {
			if ((r = master_session_video(m)) != 0)
				return r;
			next_frame += frame_ms;
			if (next_frame < now)
				next_frame = now + frame_ms;    /* fell behind: don't burst */
		}
		if (now >= next_tick) {
			master_session_tick(m, now);
			next_tick = now + 1000;
		}
		if (now >= next_ping) {
			if ((r = link_send(&m->link, WIRE_PING, 0, 0, NULL, 0)) != 0)
				return r;
			next_ping = now + link_ping_ms(&m->link);
		}
		if ((r = link_flush(&m->link)) != 0)
			return r;
		if (m->end_requested) {
			/* Best effort: the relay ends the session either way. */
			if (link_drain(&m->link, 2000) != 0)
				log_debug("END may not have reached the relay");
			return 0;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "relay", required_argument, NULL, 'r' },
		{ "headless", no_argument, NULL, 'H' },
		{ "source", required_argument, NULL, 's' },
		{ "auto-accept", no_argument, NULL, 'a' },
		{ "name", required_argument, NULL, 'n' },
		{ "fps", required_argument, NULL, 'f' },
		{ "size", required_argument, NULL, 'S' },
		{ "force-xchacha", no_argument, NULL, 'X' },
		{ "print-input", no_argument, NULL, 'i' },
		{ "chat", required_argument, NULL, 'c' },
		{ "once", no_argument, NULL, 'o' },
		{ "log-level", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static struct master m;
	struct sigaction sa;
	char hostname[MSG_NAME_MAX + 1] = "host";
	unsigned long v, backoff = CLIENT_RECONNECT_MIN_MS;
	bool headless = false, once = false, ok;
	unsigned w, hgt;
	int c, r;

	log_init("fernsicht-master", LOG_INFO);
	m.o.fps = 10;
	m.o.width = 1280;
	m.o.height = 720;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': m.o.relay = optarg; break;
		case 'H': headless = true; break;
		case 's':
			if (strcmp(optarg, "test-pattern") != 0)
				log_fatal(1, "--source %s: this build shares only the test pattern "
				    "(X11 capture comes with the GUI build)", optarg);
			break;
		case 'a': m.o.auto_accept = true; break;
		case 'n': m.o.name = optarg; break;
		case 'f':
			if (parse_uint(optarg, 1, 120, &v) != 0)
				log_fatal(1, "--fps wants 1..120");
			m.o.fps = (unsigned)v;
			break;
		case 'S':
			if (sscanf(optarg, "%ux%u", &w, &hgt) != 2 || w < 64 || hgt < 64 ||
			    w > MSG_DIM_MAX || hgt > MSG_DIM_MAX)
				log_fatal(1, "--size wants WxH, 64..%d each", MSG_DIM_MAX);
			m.o.width = (uint16_t)w;
			m.o.height = (uint16_t)hgt;
			break;
		case 'X': m.o.force_xchacha = true; break;
		case 'i': m.o.print_input = true; break;
		case 'c': m.o.chat = optarg; break;
		case 'o': once = true; break;
		case 'l':
			log_set_level(log_level_parse(optarg, &ok));
			if (!ok)
				log_fatal(1, "--log-level wants debug, info, warn or error");
			break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("fernsicht-master %s\n", MASTER_VERSION); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (optind != argc || m.o.relay == NULL) {
		usage(stderr);
		return 1;
	}
	if (!headless)
		log_fatal(1, "this build has no window yet: use --headless");
	if (sodium_init() < 0)
		log_fatal(3, "libsodium failed to initialise");
	if (m.o.force_xchacha)
		setenv("FERNSICHT_FORCE_XCHACHA", "1", 1);
	if (m.o.name == NULL) {
		gethostname(hostname, sizeof(hostname) - 1);
		m.o.name = hostname;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (master_session_init(&m) != 0)
		log_fatal(3, "out of memory");

	while (!got_signal) {
		r = link_open(&m.link, m.o.relay, WIRE_ROLE_MASTER, 0, m.o.name,
		    CLIENT_CONNECT_TIMEOUT_MS);
		if (r == 0) {
			backoff = CLIENT_RECONNECT_MIN_MS;
			log_info("connected to relay %s: session %05u", m.o.relay,
			    m.link.welcome.session);
			r = serve(&m);
			if (r == 0 && m.end_requested) {
				log_info("session ended");
				break;
			}
			if (got_signal)
				break;
		}
		log_warn("relay %s: %s", m.o.relay, m.link.why[0] ? m.link.why : err_str(r));
		link_close(&m.link);
		if (once) {
			master_session_free(&m);
			return 2;
		}
		log_info("reconnecting in %lu ms", backoff);
		usleep((useconds_t)backoff * 1000);
		backoff = backoff * 2 > CLIENT_RECONNECT_MAX_MS ? CLIENT_RECONNECT_MAX_MS : backoff * 2;
	}
	master_session_free(&m);
	return 0;
}
