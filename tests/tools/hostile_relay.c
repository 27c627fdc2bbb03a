/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostile_relay - a relay written from docs/PROTOCOL.md by someone who wants
 * the host's code. A real master connects to it (--transport tcp); it then
 * plays every viewer itself and runs handshakes with guessed codes, checking
 * each HS_REPLY offline (the viewer's own key confirmation check): what a
 * malicious relay can learn is exactly what this tool counts.
 *
 *   hostile_relay --listen ADDR:PORT --mode MODE [--rounds N] [--code-file F]
 *                 [--linger S]
 *
 * Prints "listening=ADDR:PORT", then one line per attempt and a summary
 * "replies=R learned=L busy=B changed=C paused=P other=O". Modes:
 *   rejoin    N times: PEER_JOIN for slot 1 (the slot it already holds),
 *             answer the OFFER with a guess, read what comes back, and
 *             start over without confirming
 *   parallel  PEER_JOIN for slots 1..N at once, all the OFFERs answered
 *             with guesses at once, the handshakes then held open (never
 *             confirmed) until the master ends them
 *   viewers   not a relay: K viewers of the real relay at --relay HOST:PORT
 *             join --session N, each answers its OFFER with a guess, reads
 *             the answer and then holds the handshake open (PINGs every
 *             few seconds) for --linger S; what a stranger who knows the
 *             session number can do through an honest relay
 * Guesses are random codes; with --code-file the first guess is the code
 * in that file (read when the first OFFER arrives): the positive control
 * that shows a right guess would be recognised. --linger keeps the master
 * connected S seconds after the summary (so that a test can still talk to
 * it).
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "handshake.h"
#include "msg.h"
#include "net.h"
#include "wire.h"

enum { SESSION = 54321, READ_WAIT_MS = 20000, SLOTS = SESSION_VIEWERS_MAX };

static int fd = -1;
static struct buf in;
static uint64_t uid;
static const char *code_file;
static unsigned replies, learned, busy, changed, paused, other;

static void
die(const char *what)
{
	fprintf(stderr, "hostile_relay: %s\n", what);
	exit(1);
}

static void
send_frame(uint8_t type, uint8_t flags, uint16_t slot, const struct buf *body)
{
	struct wire_hdr h = { .type = type, .flags = flags, .slot = slot };
	struct buf out;
	ssize_t w;
	size_t off = 0;

	buf_init(&out, WIRE_HEADER_LEN + WIRE_BODY_DEFAULT_BYTES);
	if (wire_put(&out, &h, body != NULL ? buf_ptr(body) : NULL,
	    body != NULL ? buf_len(body) : 0) != 0)
		die("cannot encode a frame");
	while (off < buf_len(&out)) {
		w = send(fd, buf_ptr(&out) + off, buf_len(&out) - off, MSG_NOSIGNAL);
		if (w <= 0)
			die("the master went away");
		off += (size_t)w;
	}
	buf_release(&out);
}

/* The next frame from the master; 0 when none came within READ_WAIT_MS. */
static int
next_frame(struct wire_hdr *h, struct buf *body)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		size_t got;
		int r = wire_next(&in, WIRE_BODY_MAX_BYTES, h, body);

		if (r == 0) {
			if (h->type == WIRE_PING)
				send_frame(WIRE_PONG, 0, 0, NULL);
			return 1;
		}
		if (r != ERR_INCOMPLETE)
			die("bad frame from the master");
		if (poll(&p, 1, READ_WAIT_MS) <= 0)
			return 0;
		if (buf_read_fd(&in, fd, 64 << 10, &got) != 0 || got == 0)
			die("the master went away");
	}
}

static void
guess(char code[SESSION_CODE_DIGITS + 1], bool first)
{
	FILE *f;

	if (first && code_file != NULL) {
		for (int i = 0; i < 100; i++) {
			if ((f = fopen(code_file, "r")) != NULL) {
				bool ok = fscanf(f, "%6s", code) == 1;

				fclose(f);
				if (ok && hs_code_parse(code, code))
					return;
			}
			usleep(100 * 1000);
		}
		die("no code in --code-file");
	}
	hs_code_new(code);
}

static void
count_abort(unsigned slot, uint8_t reason)
{
	printf("slot %u: abort %s\n", slot, msg_abort_str(reason));
	if (reason == MSG_ABORT_BUSY)
		busy++;
	else if (reason == MSG_ABORT_LOCKED)
		changed++;
	else if (reason == MSG_ABORT_PAUSED)
		paused++;
	else
		other++;
}

struct fake_viewer {
	struct hs hs;
	bool waiting;           /* joined or INIT sent: the master's answer not seen */
	bool open;              /* the master has not ended it (HS_ABORT or KICK) */
};

static struct fake_viewer fv[SLOTS + 1];
static unsigned guesses_made;

/* One handshake frame from the master to one of our viewers. */
static void
on_handshake(uint16_t slot, struct buf *body)
{
	struct fake_viewer *v = &fv[slot];
	struct buf raw = *body, out;
	struct msg m;

	if (msg_decode(body, &m) != 0)
		die("undecodable handshake message");
	buf_init(&out, 1024);
	if (m.type == MSG_HS_OFFER) {
		struct hs_bind b = { SESSION, uid, slot };
		char code[SESSION_CODE_DIGITS + 1];

		guess(code, guesses_made++ == 0);
		hs_viewer_start(&v->hs, &b, code, MSG_SUITES_ALL, "hostile");
		if (hs_viewer_on_offer(&v->hs, &raw, &m.u.offer, &out) != 0)
			die("cannot answer the OFFER");
		send_frame(WIRE_DATA, WIRE_F_HANDSHAKE, slot, &out);
		v->waiting = true;
	} else if (m.type == MSG_HS_REPLY && v->waiting) {
		/* One guess checked offline: the tag verifies only if it was right. */
		replies++;
		v->waiting = false;
		if (hs_viewer_on_reply(&v->hs, &m.u.reply, &out) == 0) {
			learned++;
			printf("slot %u: reply: the guess was right\n", slot);
		} else {
			printf("slot %u: reply: the guess was wrong\n", slot);
		}
	} else if (m.type == MSG_HS_ABORT) {
		v->waiting = false;
		v->open = false;
		count_abort(slot, m.u.abort_reason);
	}
	fflush(stdout);
	buf_release(&out);
}

static void
join(uint16_t slot)
{
	struct buf b;

	buf_init(&b, 64);
	if (wire_addr_encode(&b, "192.0.2.7:40000") != 0)
		die("cannot encode PEER_JOIN");
	send_frame(WIRE_PEER_JOIN, 0, slot, &b);
	buf_release(&b);
}

/* Read until every slot in [1, n] has had its answer (until_ended: until
 * the master ended every handshake), or nothing comes for READ_WAIT_MS. */
static void
settle(unsigned n, bool until_ended)
{
	struct wire_hdr h;
	struct buf body;

	for (;;) {
		unsigned i, left = 0;

		for (i = 1; i <= n; i++)
			left += until_ended ? fv[i].open : fv[i].waiting;
		if (left == 0 || !next_frame(&h, &body))
			return;
		if (h.type == WIRE_DATA && h.flags == WIRE_F_HANDSHAKE && h.slot >= 1 &&
		    h.slot <= n)
			on_handshake(h.slot, &body);
		else if (h.type == WIRE_KICK && h.slot >= 1 && h.slot <= n)
			fv[h.slot].open = false;
	}
}

/* One stranger's viewer: join, guess, hold. Runs in its own process. */
static int
held_viewer(const char *host, uint16_t port, uint32_t session, unsigned k, unsigned linger_s)
{
	struct wire_hello hello = { .version = WIRE_VERSION, .role = WIRE_ROLE_VIEWER,
		.session = session };
	struct wire_welcome w;
	struct wire_hdr h;
	struct buf body, out;
	char why[128];
	uint64_t end;

	snprintf(hello.name, sizeof(hello.name), "stranger%u", k);
	if ((fd = net_connect(host, port, 5000, why, sizeof(why))) < 0)
		die(why);
	buf_init(&in, 4 << 20);
	buf_init(&out, 256);
	if (wire_hello_encode(&out, &hello) != 0)
		die("cannot encode HELLO");
	send_frame(WIRE_HELLO, 0, 0, &out);
	buf_release(&out);
	if (!next_frame(&h, &body) || h.type != WIRE_WELCOME || wire_welcome_decode(&body, &w) != 0)
		die("no WELCOME");
	uid = w.session_uid;
	fv[0].waiting = true;
	/* The OFFER, then the answer to our guess. */
	while (fv[0].waiting && next_frame(&h, &body)) {
		if (h.type == WIRE_DATA && h.flags == WIRE_F_HANDSHAKE) {
			struct buf raw = body;
			struct msg m;

			if (msg_decode(&body, &m) != 0)
				die("undecodable handshake message");
			if (m.type == MSG_HS_OFFER) {
				struct hs_bind b = { w.session, uid, w.slot };
				char code[SESSION_CODE_DIGITS + 1];

				buf_init(&out, 1024);
				hs_code_new(code);
				hs_viewer_start(&fv[0].hs, &b, code, MSG_SUITES_ALL, hello.name);
				if (hs_viewer_on_offer(&fv[0].hs, &raw, &m.u.offer, &out) != 0)
					die("cannot answer the OFFER");
				send_frame(WIRE_DATA, WIRE_F_HANDSHAKE, 0, &out);
				buf_release(&out);
			} else {
				printf("stranger %u: %s\n", k, m.type == MSG_HS_REPLY ? "answered, holding" :
				    m.type == MSG_HS_ABORT ? msg_abort_str(m.u.abort_reason) : "?");
				fflush(stdout);
				fv[0].waiting = false;
			}
		} else if (h.type == WIRE_ERROR) {
			printf("stranger %u: relay error\n", k);
			return 0;
		}
	}
	/* Hold it: PING now and then, never confirm. */
	end = (uint64_t)time(NULL) + linger_s;
	while ((uint64_t)time(NULL) < end) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		size_t got;

		send_frame(WIRE_PING, 0, 0, NULL);
		if (poll(&p, 1, 3000) > 0) {
			if (buf_read_fd(&in, fd, 64 << 10, &got) != 0 || got == 0)
				break;
			buf_reset(&in);
		}
	}
	printf("stranger %u: let go\n", k);
	fflush(stdout);
	hs_clear(&fv[0].hs);
	close(fd);
	return 0;
}

static int
held_viewers(const char *relay, uint32_t session, unsigned n, unsigned linger_s)
{
	char host[64];
	const char *colon;
	unsigned k;

	if (relay == NULL || (colon = strrchr(relay, ':')) == NULL ||
	    (size_t)(colon - relay) >= sizeof(host) || session == 0)
		die("viewers wants --relay HOST:PORT and --session N");
	memcpy(host, relay, (size_t)(colon - relay));
	host[colon - relay] = '\0';
	for (k = 1; k <= n; k++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork failed");
		if (pid == 0)
			exit(held_viewer(host, (uint16_t)atoi(colon + 1), session, k, linger_s));
		usleep(200 * 1000);     /* one after another: the answers come in order */
	}
	while (wait(NULL) > 0)
		;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "mode", required_argument, NULL, 'm' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "code-file", required_argument, NULL, 'c' },
		{ "linger", required_argument, NULL, 'g' },
		{ "relay", required_argument, NULL, 'r' },
		{ "session", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen_addr = "127.0.0.1:0", *mode = "rejoin", *relay_addr = NULL;
	uint32_t session = 0;
	char bound[64], why[128];
	unsigned rounds = 10, linger_s = 0, i;
	struct wire_hdr h;
	struct buf body, out;
	struct wire_hello hello;
	struct wire_welcome w;
	int c, lfd;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen_addr = optarg; break;
		case 'm': mode = optarg; break;
		case 'n': rounds = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'c': code_file = optarg; break;
		case 'g': linger_s = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'r': relay_addr = optarg; break;
		case 's': session = (uint32_t)strtoul(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	if (sodium_init() < 0)
		die("sodium_init failed");
	if (strcmp(mode, "viewers") == 0)
		return held_viewers(relay_addr, session, rounds, linger_s);
	if (strcmp(mode, "parallel") == 0 && (rounds < 1 || rounds > SLOTS))
		die("--rounds for parallel is 1..16 viewers");
	if ((lfd = net_listen(listen_addr, bound, sizeof(bound), why, sizeof(why))) < 0)
		die(why);
	printf("listening=%s\n", bound);
	fflush(stdout);
	{
		struct pollfd p = { .fd = lfd, .events = POLLIN };

		/* The listener may be non-blocking: wait for the master. */
		if (poll(&p, 1, 60000) <= 0 || (fd = accept(lfd, NULL, NULL)) < 0)
			die("no master connected");
	}
	buf_init(&in, 4 << 20);
	if (!next_frame(&h, &body) || h.type != WIRE_HELLO ||
	    wire_hello_decode(&body, &hello) != 0 || hello.role != WIRE_ROLE_MASTER)
		die("no master HELLO");
	randombytes_buf(&uid, sizeof(uid));
	w = (struct wire_welcome){ .session = SESSION, .slot = 0, .session_uid = uid,
		.body_max = WIRE_BODY_DEFAULT_BYTES, .idle_timeout_ms = RELAY_IDLE_TIMEOUT_MS,
		.max_viewers = SLOTS };
	buf_init(&out, 256);
	if (wire_welcome_encode(&out, &w) != 0)
		die("cannot encode WELCOME");
	send_frame(WIRE_WELCOME, 0, 0, &out);
	buf_release(&out);

	if (strcmp(mode, "rejoin") == 0) {
		for (i = 0; i < rounds; i++) {
			/* The same slot again: whatever ran there is abandoned. */
			hs_clear(&fv[1].hs);
			fv[1].waiting = fv[1].open = true;
			join(1);
			settle(1, false);
		}
	} else if (strcmp(mode, "parallel") == 0) {
		/* OFFERs in, INITs out, all at once; then hold until the master
		 * ends every handshake (its deadline). */
		for (i = 1; i <= rounds; i++) {
			fv[i].waiting = fv[i].open = true;
			join((uint16_t)i);
		}
		settle(rounds, false);
		settle(rounds, true);
	} else {
		die("--mode is rejoin or parallel");
	}
	printf("replies=%u learned=%u busy=%u changed=%u paused=%u other=%u\n", replies,
	    learned, busy, changed, paused, other);
	fflush(stdout);
	if (linger_s > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		size_t got;

		/* Swallow what the master says (PINGs are far apart). */
		while (poll(&p, 1, (int)linger_s * 1000) > 0 &&
		    buf_read_fd(&in, fd, 64 << 10, &got) == 0 && got > 0)
			buf_reset(&in);
	}
	for (i = 1; i <= SLOTS; i++)
		hs_clear(&fv[i].hs);
	buf_release(&in);
	close(fd);
	close(lfd);
	return 0;
}
