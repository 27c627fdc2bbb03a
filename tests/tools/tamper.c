/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tamper - a TCP proxy for tests that sits between clients and the relay,
 * records what the relay receives, and corrupts one direction of one
 * connection on purpose. It plays the part of a hostile network or relay.
 *
 *   tamper --listen ADDR:PORT --target HOST:PORT [--record FILE]
 *          [--mode MODE --dir up|down --conn K --at N] [--key-file F]
 *
 * Prints "listening=ADDR:PORT" once ready. up = client to relay, down =
 * relay to client; conn K is the K-th accepted connection (1-based, 0 =
 * every one). Modes:
 *   pass          forward unchanged (the default)
 *   flip-byte     flip one bit of stream byte N
 *   drop-bytes    drop stream bytes N..N+3
 *   dup-bytes     send stream bytes N..N+3 twice
 *   frame-flip    flip a body byte of the N-th record (DATA frame that is
 *                 not a handshake message)
 *   frame-seq     change the sequence number of the N-th record
 *   frame-flags   toggle the REKEY flag of the N-th record
 *   frame-drop    drop the N-th record
 *   frame-dup     send the N-th record twice
 *   frame-swap    swap the N-th and (N+1)-th records
 *   swap-key      replace the X25519 key in the viewer's HS_INIT by the
 *                 proxy's own (what a malicious relay would do)
 *   hs-drop       drop the N-th handshake message (DATA flagged HANDSHAKE;
 *                 N = 0: every one): a relay that holds the handshake
 *   forge-screen  a relay working with another viewer the host allowed
 *                 (screen_peer, which writes its keys to --key-file F):
 *                 once F is there, each screen record (DATA under the
 *                 session key) is tried with both of that viewer's keys;
 *                 the first that opens is replaced by a forged CURSOR
 *                 record (a 7x7 shape, hot spot 3,3) under the key that
 *                 opened it. When N records in a row open under neither,
 *                 the N-th is replaced by the forgery under the session
 *                 key. Says which on stderr.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "msg.h"
#include "net.h"
#include "sec.h"
#include "wire.h"

enum { CONNS_MAX = 64, CHUNK = 64 << 10 };

enum mode {
	M_PASS, M_FLIP_BYTE, M_DROP_BYTES, M_DUP_BYTES, M_FRAME_FLIP, M_FRAME_SEQ,
	M_FRAME_FLAGS, M_FRAME_DROP, M_FRAME_DUP, M_FRAME_SWAP, M_SWAP_KEY, M_HS_DROP,
	M_FORGE_SCREEN,
};

static const char *const mode_names[] = {
	"pass", "flip-byte", "drop-bytes", "dup-bytes", "frame-flip", "frame-seq",
	"frame-flags", "frame-drop", "frame-dup", "frame-swap", "swap-key", "hs-drop",
	"forge-screen",
};

struct dir {
	int from, to;
	bool tamper;            /* this direction of this connection is the target */
	uint64_t off;           /* stream bytes seen */
	unsigned records;       /* records seen (frame modes) */
	unsigned handshakes;    /* handshake messages seen (hs-drop) */
	struct buf in;          /* frame modes: bytes not yet forwarded */
	struct buf held;        /* frame-swap: the frame held back */
	bool done;
};

struct pair {
	struct dir up, down;
	bool used;
};

static enum mode mode;
static unsigned at = 1, target_conn;
static bool tamper_up = true;
static FILE *record;
static const char *key_file;

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, 1000);
			continue;
		}
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Byte modes: act on stream offsets. */
static int
forward_bytes(struct dir *d, const uint8_t *p, size_t n)
{
	uint8_t tmp[CHUNK];
	size_t i, o = 0;

	for (i = 0; i < n; i++, d->off++) {
		bool hit = d->off >= at && d->off < (uint64_t)at + 4;

		if (d->off == at)
			fprintf(stderr, "tamper: %s at stream byte %u\n", mode_names[mode], at);
		if (mode == M_FLIP_BYTE && d->off == at)
			tmp[o++] = p[i] ^ 0x10;
		else if (mode == M_DROP_BYTES && hit)
			continue;
		else if (mode == M_DUP_BYTES && hit) {
			tmp[o++] = p[i];
			tmp[o++] = p[i];
		} else
			tmp[o++] = p[i];
		if (o >= sizeof(tmp) - 2) {
			if (write_all(d->to, tmp, o) != 0)
				return -1;
			o = 0;
		}
	}
	return write_all(d->to, tmp, o);
}

/* forge-screen: the other viewer's keys from key_file (false: none yet). */
static bool
load_keys(uint8_t *suite, uint8_t keys[2][SEC_KEY_LEN])
{
	char hex[2][2 * SEC_KEY_LEN + 1];
	unsigned su, ep;
	FILE *f = fopen(key_file, "r");
	bool ok;

	if (f == NULL)
		return false;
	ok = fscanf(f, "%u %u %64s %64s", &su, &ep, hex[0], hex[1]) == 4 &&
	    sodium_hex2bin(keys[0], SEC_KEY_LEN, hex[0], strlen(hex[0]), NULL, NULL, NULL) == 0 &&
	    sodium_hex2bin(keys[1], SEC_KEY_LEN, hex[1], strlen(hex[1]), NULL, NULL, NULL) == 0;
	fclose(f);
	*suite = (uint8_t)su;
	return ok;
}

/*
 * forge-screen on one screen record: 1 when *frame was replaced by the
 * forgery (its length in *flen), 0 to pass it on, -1 on failure.
 */
static int
forge_screen(struct dir *d, const struct wire_hdr *h, const struct buf *body, uint8_t **frame,
    size_t *flen)
{
	static const char *const key_names[2] = { "session key", "screen key" };
	uint8_t keys[2][SEC_KEY_LEN], suite, *pt;
	uint32_t argb[7 * 7];
	struct msg_cursor c = { .x = 77, .y = 77, .flags = MSG_CURSOR_SHAPE, .w = 7, .h = 7,
		.hot_x = 3, .hot_y = 3 };
	struct sec_policy pol;
	struct sec_rx rx;
	struct sec_tx tx;
	struct buf msg, out;
	int use = -1, r = -1;
	size_t n;

	if (d->done || !load_keys(&suite, keys))
		return 0;
	sec_policy_default(&pol);
	if ((pt = malloc(WIRE_BODY_MAX_BYTES)) == NULL)
		return -1;
	for (int i = 0; i < 2 && use < 0; i++) {
		sec_rx_init(&rx, suite, keys[i], &pol, 0);
		rx.seq = h->seq - 1;    /* this stream is not ours: open it where it is */
		if (sec_open(&rx, h, body, pt, WIRE_BODY_MAX_BYTES, &n, 0) == 0)
			use = i;
	}
	free(pt);
	if (use >= 0) {
		fprintf(stderr, "tamper: opened screen record seq %llu of this viewer with "
		    "the other viewer's %s\n", (unsigned long long)h->seq, key_names[use]);
	} else if (++d->records < at) {
		return 0;
	} else {
		fprintf(stderr, "tamper: could not open %u screen records of this viewer with "
		    "the other viewer's keys\n", d->records);
		use = 0;
	}
	for (unsigned i = 0; i < 7 * 7; i++)
		argb[i] = 0xffff00ffu;
	buf_init(&msg, 4096);
	buf_init(&out, 8192);
	sec_tx_init(&tx, suite, keys[use], &pol, 0);
	tx.seq = h->seq - 1;
	if (msg_cursor_encode(&msg, &c, argb) == 0 &&
	    sec_seal_fixed(&tx, h->flags & WIRE_F_KEY_MASK, h->slot, buf_ptr(&msg), buf_len(&msg),
	    &out, 0) == 0 && (*frame = realloc(*frame, buf_len(&out))) != NULL) {
		memcpy(*frame, buf_ptr(&out), buf_len(&out));
		*flen = buf_len(&out);
		fprintf(stderr, "tamper: forged a cursor record (seq %llu) under the %s\n",
		    (unsigned long long)h->seq, key_names[use]);
		d->done = true;
		r = 1;
	}
	sec_tx_clear(&tx);
	sodium_memzero(keys, sizeof(keys));
	buf_release(&msg);
	buf_release(&out);
	return r;
}

/* Frame modes: parse whole frames, act on the at-th record. */
static int
forward_frames(struct dir *d)
{
	struct wire_hdr h;
	struct buf body;
	uint8_t hdr[WIRE_HEADER_LEN];
	int r;

	while ((r = wire_next(&d->in, WIRE_BODY_MAX_BYTES, &h, &body)) == 0) {
		uint8_t *frame;
		size_t flen = WIRE_HEADER_LEN + buf_len(&body);
		bool record_frame = h.type == WIRE_DATA && h.flags != WIRE_F_HANDSHAKE;

		if ((frame = malloc(flen)) == NULL)
			return -1;
		wire_hdr_pack(&h, hdr);
		memcpy(frame, hdr, WIRE_HEADER_LEN);
		memcpy(frame + WIRE_HEADER_LEN, buf_ptr(&body), buf_len(&body));
		if (mode == M_SWAP_KEY && !d->done && h.type == WIRE_DATA &&
		    h.flags == WIRE_F_HANDSHAKE && buf_len(&body) > 3 + MSG_NONCE_LEN + MSG_PK_LEN &&
		    buf_ptr(&body)[0] == MSG_HS_INIT) {
			uint8_t pk[32], sk[32];

			crypto_box_keypair(pk, sk);
			memcpy(frame + WIRE_HEADER_LEN + 3 + MSG_NONCE_LEN, pk, sizeof(pk));
			d->done = true;
			fprintf(stderr, "tamper: swapped the viewer's key in HS_INIT\n");
		}
		if (mode == M_HS_DROP && h.type == WIRE_DATA && h.flags == WIRE_F_HANDSHAKE &&
		    (++d->handshakes == at || at == 0)) {
			fprintf(stderr, "tamper: hs-drop of handshake message %u (type %u)\n",
			    d->handshakes, buf_len(&body) > 0 ? buf_ptr(&body)[0] : 0);
			free(frame);
			continue;
		}
		if (mode == M_FORGE_SCREEN && h.type == WIRE_DATA &&
		    (h.flags & WIRE_F_KEY_MASK) == WIRE_F_SESSION &&
		    forge_screen(d, &h, &body, &frame, &flen) < 0) {
			free(frame);
			return -1;
		}
		if (record_frame && mode >= M_FRAME_FLIP && mode <= M_FRAME_SWAP) {
			d->records++;
			if (d->records == at) {
				fprintf(stderr, "tamper: %s on record %u (seq %llu)\n",
				    mode_names[mode], at, (unsigned long long)h.seq);
				switch (mode) {
				case M_FRAME_FLIP:
					frame[WIRE_HEADER_LEN + buf_len(&body) / 2] ^= 0x01;
					break;
				case M_FRAME_SEQ:
					frame[15] ^= 0x02;
					break;
				case M_FRAME_FLAGS:
					frame[5] ^= WIRE_F_REKEY;
					break;
				case M_FRAME_DROP:
					free(frame);
					continue;
				case M_FRAME_DUP:
					if (write_all(d->to, frame, flen) != 0) {
						free(frame);
						return -1;
					}
					break;
				case M_FRAME_SWAP:
					if (buf_put_bytes(&d->held, frame, flen) != 0) {
						free(frame);
						return -1;
					}
					free(frame);
					continue;
				default:
					break;
				}
			}
		}
		r = write_all(d->to, frame, flen);
		free(frame);
		if (r != 0)
			return -1;
		if (buf_len(&d->held) > 0 && d->records == at + 1) {
			if (write_all(d->to, buf_ptr(&d->held), buf_len(&d->held)) != 0)
				return -1;
			buf_reset(&d->held);
		}
	}
	return r == ERR_INCOMPLETE ? 0 : -1;
}

/* Move what d->from has to d->to. -1 when the connection is over. */
static int
pump(struct dir *d, bool up)
{
	uint8_t chunk[CHUNK];
	ssize_t n;

	n = recv(d->from, chunk, sizeof(chunk), 0);
	if (n <= 0)
		return n < 0 && (errno == EINTR || errno == EAGAIN) ? 0 : -1;
	if (up && record != NULL) {
		fwrite(chunk, 1, (size_t)n, record);
		fflush(record);
	}
	if (!d->tamper || mode == M_PASS)
		return write_all(d->to, chunk, (size_t)n);
	if (mode == M_FLIP_BYTE || mode == M_DROP_BYTES || mode == M_DUP_BYTES)
		return forward_bytes(d, chunk, (size_t)n);
	if (buf_put_bytes(&d->in, chunk, (size_t)n) != 0)
		return -1;
	return forward_frames(d);
}

static void
close_pair(struct pair *p)
{
	close(p->up.from);
	close(p->up.to);
	buf_release(&p->up.in);
	buf_release(&p->down.in);
	buf_release(&p->up.held);
	buf_release(&p->down.held);
	memset(p, 0, sizeof(*p));
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "target", required_argument, NULL, 't' },
		{ "record", required_argument, NULL, 'r' },
		{ "mode", required_argument, NULL, 'm' },
		{ "dir", required_argument, NULL, 'd' },
		{ "conn", required_argument, NULL, 'c' },
		{ "at", required_argument, NULL, 'a' },
		{ "key-file", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	static struct pair pairs[CONNS_MAX];
	const char *listen_addr = "127.0.0.1:0", *target = NULL;
	char bound[128], why[256], host[256];
	struct pollfd pf[1 + 2 * CONNS_MAX];
	unsigned accepted = 0, i, n;
	uint16_t port;
	int lfd, c;

	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen_addr = optarg; break;
		case 't': target = optarg; break;
		case 'r':
			if ((record = fopen(optarg, "ab")) == NULL) {
				perror(optarg);
				return 1;
			}
			break;
		case 'm':
			for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
				if (strcmp(optarg, mode_names[i]) == 0)
					break;
			if (i == sizeof(mode_names) / sizeof(mode_names[0])) {
				fprintf(stderr, "tamper: unknown mode %s\n", optarg);
				return 1;
			}
			mode = (enum mode)i;
			break;
		case 'd': tamper_up = strcmp(optarg, "up") == 0; break;
		case 'c': target_conn = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'a': at = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': key_file = optarg; break;
		default:
			fprintf(stderr, "usage: tamper --listen ADDR:PORT --target HOST:PORT "
			    "[--record FILE] [--mode MODE --dir up|down --conn K --at N] "
			    "[--key-file F]\n");
			return 1;
		}
	}
	if (mode == M_FORGE_SCREEN && key_file == NULL) {
		fprintf(stderr, "tamper: forge-screen needs --key-file\n");
		return 1;
	}
	if (target == NULL || sodium_init() < 0 ||
	    net_split_hostport(target, RELAY_PORT_DEFAULT, host, sizeof(host), &port) != 0) {
		fprintf(stderr, "tamper: --target HOST:PORT is required\n");
		return 1;
	}
	if ((lfd = net_listen(listen_addr, bound, sizeof(bound), why, sizeof(why))) < 0) {
		fprintf(stderr, "tamper: %s\n", why);
		return 1;
	}
	printf("listening=%s\n", bound);
	fflush(stdout);
	for (;;) {
		n = 0;
		pf[n].fd = lfd;
		pf[n++].events = POLLIN;
		for (i = 0; i < CONNS_MAX; i++) {
			pf[1 + 2 * i].fd = pairs[i].used ? pairs[i].up.from : -1;
			pf[1 + 2 * i].events = POLLIN;
			pf[2 + 2 * i].fd = pairs[i].used ? pairs[i].down.from : -1;
			pf[2 + 2 * i].events = POLLIN;
		}
		if (poll(pf, 1 + 2 * CONNS_MAX, -1) < 0 && errno != EINTR)
			return 1;
		if (pf[0].revents & POLLIN) {
			int cfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), sfd;

			for (i = 0; i < CONNS_MAX && pairs[i].used; i++)
				;
			if (cfd >= 0 && i < CONNS_MAX &&
			    (sfd = net_connect(host, port, 5000, why, sizeof(why))) >= 0) {
				struct pair *p = &pairs[i];

				accepted++;
				memset(p, 0, sizeof(*p));
				p->used = true;
				p->up.from = p->down.to = cfd;
				p->up.to = p->down.from = sfd;
				buf_init(&p->up.in, 4 << 20);
				buf_init(&p->down.in, 4 << 20);
				buf_init(&p->up.held, 2 << 20);
				buf_init(&p->down.held, 2 << 20);
				if (target_conn == 0 || target_conn == accepted) {
					p->up.tamper = tamper_up;
					p->down.tamper = !tamper_up;
				}
			} else if (cfd >= 0) {
				close(cfd);
			}
		}
		for (i = 0; i < CONNS_MAX; i++) {
			if (!pairs[i].used)
				continue;
			if ((pf[1 + 2 * i].revents && pump(&pairs[i].up, true) != 0) ||
			    (pf[2 + 2 * i].revents && pump(&pairs[i].down, false) != 0))
				close_pair(&pairs[i]);
		}
	}
}
