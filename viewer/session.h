/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session.h - the viewer's side of a session: handshake, keys, screen
 * updates and the input it sends.
 */
#ifndef VIEWER_SESSION_H
#define VIEWER_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "codec.h"
#include "display.h"
#include "drop_client.h"
#include "files.h"
#include "handshake.h"
#include "link.h"
#include "recording.h"
#include "sec.h"

/* Exit codes of fernsicht-viewer, also documented in its --help and man page. */
enum viewer_exit {
	VIEWER_EXIT_OK = 0,             /* done, left, or the host ended the session */
	VIEWER_EXIT_USAGE = 1,
	VIEWER_EXIT_NETWORK = 2,        /* relay unreachable or connection lost */
	VIEWER_EXIT_CODE = 3,           /* wrong code (or tampering during the handshake) */
	VIEWER_EXIT_REFUSED = 4,        /* the host refused or removed us */
	VIEWER_EXIT_SECURITY = 5,       /* a record failed authentication: stream ended */
	VIEWER_EXIT_NO_SESSION = 6,     /* no such session, full, rate-limited, busy */
	VIEWER_EXIT_TRANSFER = 7,       /* headless --send: a file did not arrive */
};

enum vstate {
	VS_HANDSHAKE = 0,
	VS_WAIT_CONSENT,        /* confirmation sent; ASKED says the host is asked */
	VS_ACTIVE,
};

/*
 * --latency-probe X,Y,N (tests/bench/screen.sh, with tests/tools/x11_latency
 * on the host): a window centred at X,Y on the host's screen is white while
 * the pointer is in its left half and black in its right. The probe moves
 * the host's pointer to X - 12 or X + 12 (towards the colour the picture
 * does not show), and times from sending that move to the first decoded
 * frame whose pixel at X - 20, Y + 20 (a corner no pointer shape at X +- 12
 * covers; the pointer is not in the picture anyway) has the new colour.
 */
enum {
	PROBE_STEP = 12,                /* pointer offset from the centre */
	PROBE_PIXEL_DX = -20,           /* the pixel looked at, from the centre */
	PROBE_PIXEL_DY = 20,
	PROBE_PERIOD_MS = 200,          /* one move per period, plus jitter */
	PROBE_JITTER_MS = 50,
	PROBE_TIMEOUT_MS = 2000,
};

struct vprobe {
	uint16_t x, y;                  /* the window's centre */
	uint32_t left;                  /* samples still to take; 0: off or done */
	bool pending;                   /* a move is out, its colour not seen yet */
	int want;                       /* 1 white, 0 black */
	uint64_t sent_us;               /* CLOCK_MONOTONIC when the move went out */
	uint64_t sent_ms, next_ms;
};

struct vsession {
	char text_out[4 * MSG_TEXT_MAX + 1];  /* a peer's chat line, escaped for stdout */
	struct link link;
	struct sec_policy pol;
	struct hs hs;
	enum vstate state;
	struct sec_tx tx;               /* viewer -> master, pairwise */
	struct sec_rx rx;               /* master -> viewer, pairwise */
	struct sec_rx srx;              /* session key: screen */
	uint32_t epoch;
	uint8_t rights;
	struct image img;
	struct codec_dec *dec;
	uint32_t have_frame;            /* last complete frame; 0 = none yet */
	uint32_t building, building_base;
	uint16_t building_part;
	bool in_frame;
	uint32_t frames;                /* complete frames decoded */
	struct recording recording;     /* --record: decoded frames as PPM */
	bool recording_on;
	int exit_code;                  /* set when the session is over */
	bool over;
	bool timed_out;                 /* over because a deadline passed (either side's) */
	char why[256];                  /* the reason vsession_finish gave */
	uint8_t *pt;                    /* plaintext scratch, WIRE_BODY_MAX_BYTES */
	FILE *dump;                     /* test aid: decrypted records (--dump-plaintext) */
	bool quiet_frames;
	struct display *disp;           /* NULL: headless */
	bool lossy;                     /* the last frame had reduced colours */
	unsigned jpeg_tiles;            /* tiles of the picture that are JPEG now */
	bool no_credit;                 /* test aid: never grant the host credit */
	struct msg_lan_offer direct_addrs; /* where the host listens on its LAN */
	bool direct_offered;
	bool moved;                     /* the host moved us to a direct connection */
	unsigned resume_ms;             /* how long to try coming back after a loss; 0: never */
	bool lost;                      /* over, but may come back (vsession_lost) */
	uint64_t lost_ms;               /* when */
	bool trying;                    /* an attempt to come back: its end is not the session's */
	int cursor_x, cursor_y;         /* the host's pointer, as last told */
	uint32_t cursor_argb[MSG_CURSOR_DIM_MAX * MSG_CURSOR_DIM_MAX];
	struct vprobe probe;            /* --latency-probe */
	/* Deadlines: the handshake runs from the start until the host says it
	 * is asking (ASKED); then the host's answer has its own. */
	unsigned handshake_ms, consent_ms;
	uint64_t started_ms, asked_ms;
	bool asked;
	struct files *files;            /* file transfer, with the files right (files.c) */
	struct files_conf files_conf;   /* --inbox and the limits */
	/* file drop (drop.c): our drop identity's public key, told to the host
	 * once allowed */
	bool has_drop_pk, drop_pk_sent;
	uint8_t drop_pk[MSG_PK_LEN];
	char drop_identity[512];        /* its file, for a fetch from the window */
	struct drop_fetch_async *fetch; /* the window's fetch that runs, or NULL */
	/* --drop PATH in the session (drop_send.c): the host's identity and the
	 * relay's grant it passed on, and the upload */
	bool has_host_drop_pk;
	uint8_t host_drop_pk[MSG_PK_LEN];
	bool has_drop_grant;
	char drop_relay[CLIENT_RELAY_TEXT_MAX + 1];
	char drop_tier[MSG_DROP_TIER_MAX + 1];
	uint8_t drop_grant[WIRE_DROP_GRANT_MAX];
	size_t drop_grant_len;
	const char *drop_path;          /* --drop PATH, drop_window_path, or NULL */
	char drop_window_path[1024];    /* a file dragged onto the window for the relay */
	bool drop_to_relay;             /* dragged files go to the relay (the panel's button) */
	struct drop_ask drop_ask;       /* --drop-links (links with #KEY), -downloads, -ttl */
	struct viewer_drop *dropping;   /* the upload that runs, or NULL */
	bool drop_started;
	bool drop_retried;              /* started again once after its grant was renewed */
	uint64_t drop_wait_ms;          /* since when the grant is awaited; 0: not yet */
	int drop_result;                /* once over: 0 done, else failed */
};

int vsession_init(struct vsession *s, const char *record_path) WUR;
void vsession_free(struct vsession *s);
/* Connected: start the handshake bound to the WELCOME we got. */
void vsession_start(struct vsession *s, const char *code, bool force_xchacha, const char *name);
/* One frame from the relay. */
void vsession_frame(struct vsession *s, const struct wire_hdr *h, struct buf *body);
/* The session is over: exit code and reason (a 'closed' event line). */
void vsession_finish(struct vsession *s, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * The connection to the relay (or through it, to the host) was lost: an
 * allowed viewer may come back (resume.h), so s->lost is set and the event
 * line says "lost"; otherwise the same as vsession_finish(NETWORK).
 */
void vsession_lost(struct vsession *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* to takes over from from once it is allowed (the window, the recording,
 * the counts); from is freed. */
void vsession_adopt(struct vsession *to, struct vsession *from);
/*
 * A join that ended before the host allowed us, in words: returns the
 * short reason ("wrong code", "no such session", "session full",
 * "rate-limited", "busy", "refused", "timed out", "network", "security",
 * "ended"), stable for scripts (the start-failed event line), and sets
 * *headline to a sentence for the supporter. s->why has the details.
 */
const char *vsession_outcome(const struct vsession *s, const char **headline);
/* End a handshake or a wait for the host that ran past its deadline. */
void vsession_tick(struct vsession *s, uint64_t now_ms);
/* Send one message on the pairwise stream (only once allowed). */
int vsession_send(struct vsession *s, const struct buf *msg) WUR;
/* --latency-probe: send the next move when due, give up on a late one. */
void vsession_probe(struct vsession *s, uint64_t now_ms);
/* Milliseconds until vsession_probe() has something to do; -1: nothing. */
int vsession_probe_wait_ms(const struct vsession *s, uint64_t now_ms);

/* File transfer (files.c). */
void xfer_rights(struct vsession *s);
void xfer_free(struct vsession *s, const char *why);
void xfer_pump(struct vsession *s, uint64_t now_ms);
bool xfer_wants(const struct vsession *s);
/* Offer a file or folder to the host; non-zero (and a file-failed line)
 * when it cannot go. */
int xfer_send(struct vsession *s, const char *path) WUR;
/* The supporter's chat line from the window: to the host once allowed,
 * and into the window's history (chat.c). */
void chat_send_line(struct vsession *s, const char *text, size_t len);
/*
 * File transfer from the window (transfers.c): send a dropped file or
 * folder to the host (non-zero: it cannot be sent, and the window says
 * why), cancel a transfer, and the rows for the window's list.
 */
int viewer_send_path(struct vsession *s, const char *path);
void viewer_cancel_transfer(struct vsession *s, uint32_t id, bool incoming);
size_t viewer_transfer_rows(struct vsession *s, struct gui_transfer *rows, size_t max);

#endif
