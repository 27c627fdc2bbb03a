/* SPDX-License-Identifier: Apache-2.0 */
/*
 * session.h - the master's side of one relay session: the viewers, their
 * handshakes, the host's consent, the session key and its epochs.
 */
#ifndef MASTER_SESSION_H
#define MASTER_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "capture.h"
#include "clip.h"
#include "code.h"
#include "drop_client.h"
#include "codec.h"
#include "files.h"
#include "frame_clock.h"
#include "handshake.h"
#include "inject.h"
#include "lan.h"
#include "lossy.h"
#include "motion.h"
#include "peer.h"
#include "resume.h"
#include "video.h"
#include "link.h"
#include "sec.h"
#include "shared_stream.h"
#include "zstream.h"

enum viewer_state {
	VIEWER_FREE = 0,
	VIEWER_HANDSHAKE,       /* OFFER sent, CPace running */
	VIEWER_CONSENT,         /* authenticated, waiting for the host */
	VIEWER_ACTIVE,          /* allowed: gets the session key and the screen */
};

struct viewer {
	enum viewer_state state;
	uint16_t slot;
	char addr[WIRE_ADDR_TEXT_MAX + 1];
	struct hs hs;
	struct sec_tx tx;               /* master -> viewer, pairwise */
	struct sec_rx rx;               /* viewer -> master, pairwise */
	uint8_t rights;
	struct video_viewer screen;     /* its screen stream: video.c's, nobody else's */
	uint64_t joined_ms;
	uint64_t asked_ms;              /* when the host was asked (VIEWER_CONSENT) */
	/* Its HS_REPLY gave whoever sent the INIT one guess at the code: the
	 * guess counts as failed until a valid key confirmation takes it back,
	 * however the handshake ends (free_viewer settles it). */
	bool counted;
	struct lan_conn *lan;           /* a direct viewer's connection; NULL: via the relay */
	uint64_t lan_uid;               /* its session uid (bound into the handshake) */
	uint16_t upgrade_of;            /* a direct connection replacing this relayed slot */
	char resume_id[HS_RESUME_ID_HEX + 1]; /* an away viewer coming back (resume.h) */
	struct files *files;            /* its file transfers (files right only); files.c */
	struct master *owner;           /* for the transfer engine's callbacks */
	/* file drop (drop.c): its drop identity's public key, once it told it */
	bool has_drop_pk;
	uint8_t drop_pk[MSG_PK_LEN];
	uint32_t drop_grant_gen;        /* the grant it was given (drop_grant.c); 0: none */
};

struct master_opts {
	const char *relay;
	const char *name;
	bool auto_accept;
	bool force_xchacha;
	bool print_input;
	const char *chat;               /* sent to each viewer once it is allowed */
	unsigned handshake_ms;          /* join to key confirmation, at most */
	unsigned consent_ms;            /* the host's answer, at most */
	uint16_t width, height;         /* the test pattern's size */
	unsigned fps;
	unsigned max_kbps;              /* 0: no bandwidth cap */
	bool low_bandwidth;             /* reduce colours (lossy, and labelled so) */
	bool lossless;                  /* --lossless: no JPEG tiles */
	unsigned quality;               /* --quality: the JPEG quality to start at */
	const char *inbox;              /* where files from viewers land */
	uint64_t file_max_bytes;        /* one incoming transfer at most; 0: no limit */
	uint64_t files_total_max_bytes; /* all from one viewer together; 0: no limit */
	/* session-creation tokens: from the settings files only, or NULL */
	const char *token;
	/* file drop (drop.c): the host's identity file, what a drop asks for */
	const char *drop_identity;
	struct drop_ask drop_ask;
};

struct master {
	char text_out[4 * MSG_TEXT_MAX + 1];  /* a peer's chat line, escaped for stdout */
	struct master_opts o;
	struct link link;
	struct sec_policy pol;
	uint32_t session;
	/* What resumes session after the relay connection is lost (its
	 * WELCOME's ticket), and who may come back meanwhile. */
	bool has_ticket;
	uint8_t ticket[WIRE_TICKET_LEN];
	struct away away;
	struct code code;               /* the one-time code and the guesses against it */
	bool renewing;                  /* new_code() is ending the old code's handshakes */
	bool closing;                   /* ended or being freed: guesses settle silently */
	struct viewer v[MASTER_SLOTS_MAX + 1];  /* index = slot; 0 unused */
	uint16_t consent_queue[MASTER_SLOTS_MAX];
	unsigned n_consent;
	uint32_t epoch;                 /* of the session key (epoch.c) */
	uint64_t epoch_ms;              /* when it began */
	bool end_requested;
	uint64_t remote_press_ms;       /* a viewer's last injected click or key (input.c) */
	/* screen */
	/* cur: the screen as last grabbed; prev: the newest picture sent */
	struct image cur, prev;
	uint8_t hint[MSG_TILES_MAX];    /* tiles where cur may differ from prev */
	uint8_t changed[MSG_TILES_MAX]; /* cur against prev, per tile */
	uint8_t refresh[MSG_TILES_MAX]; /* lossy tiles to send again exact (lossy.h) */
	struct lossy lossy;
	struct motion motion;           /* the region sent as VP9 (motion.h) */
	bool have_prev;
	struct capture *cap;            /* where the picture comes from (--source) */
	struct inject *inj;             /* NULL: input is only printed */
	bool input_off;                 /* the source has input, but not this time: no control */
	struct clip *clip;              /* NULL: no clipboard */
	struct lan *lan;                /* NULL: no direct connections */
	bool screen_dirty;              /* the capture says something changed */
	struct capture_cursor cursor;   /* the last shape */
	bool have_cursor;
	int cursor_x, cursor_y;
	uint64_t pointer_moved_ms;      /* when the capture last saw it move */
	struct frame_clock frames;      /* when the next frame goes (main.c, input.c) */
	uint32_t frame_id;
	struct codec_enc *enc;
	struct buf scratch;
	struct shared_stream shared;    /* the screen stream in-step viewers share (video.c) */
	uint64_t frames_sent, bytes_sent;
	int64_t budget_bytes;           /* --max-kbps token bucket; may go negative */
	uint64_t budget_ms;             /* when it was last refilled */
	/* Where a viewer's chat line goes besides its event line (main.c
	 * gives the host's window); NULL: nowhere. */
	void (*chat_heard)(void *ctx, const struct viewer *v, const char *text, size_t len);
	void *chat_heard_ctx;
	struct master_drop *drop;       /* file drop: the one running (drop.c), or NULL */
	/* The relay's upload grant as passed on to viewers (drop_grant.c): a
	 * new one is a new generation; the host's own identity, once loaded. */
	uint8_t drop_grant_seen[WIRE_DROP_GRANT_MAX];
	size_t drop_grant_seen_len;
	uint32_t drop_grant_gen;
	/* A viewer that had the grant is gone or lost the files right: the
	 * relay is asked for the next generation (GRANT), which ends it. */
	bool drop_grant_renew;
	bool has_own_drop_pk, own_drop_pk_failed;
	uint8_t own_drop_pk[MSG_PK_LEN];
	struct drop_fetch_async *fetch; /* a fetch of a viewer's drop (drop_offer.c), or NULL */
	char drop_offered[DROP_LINK_MAX_BYTES + 1]; /* the last link a viewer sent; "": none */
	/* How the last drop or fetch went, for the host's window; "": nothing new */
	char drop_note[DROP_LINK_MAX_BYTES + 1024];
};

int master_session_init(struct master *m) WUR;
void master_session_free(struct master *m);
/* Connected: reset every relayed viewer. A new session shows its number
 * and a code; a resumed one (link.resume) keeps both, and its away viewers. */
void master_session_start(struct master *m);
/* The relay connection broke: its viewers are gone (direct ones stay). */
void master_session_relay_lost(struct master *m);
/* One frame from the relay. Non-zero: the relay connection is unusable. */
int master_session_frame(struct master *m, const struct wire_hdr *h, struct buf *body) WUR;
/* The host's answer for the oldest viewer waiting for consent. */
void master_session_consent(struct master *m, bool allow, uint8_t rights);
/* The host's answer for the viewer in slot (from the window). */
void master_session_consent_slot(struct master *m, uint16_t slot, bool allow, uint8_t rights);
/* Every viewer loses control at once; keys and buttons they hold are released. */
int master_session_take_control(struct master *m) WUR;
/* Say BYE reason (once it was verified) and remove the viewer; the relay
 * drops its connection (KICK). A new session key if it was watching. */
int master_kick(struct master *m, struct viewer *v, uint8_t reason);
/*
 * What a viewer's connection feeds the session, relayed or direct
 * (lan_events.c uses them for direct viewers): its handshake messages and
 * records, its end (code: enum wire_error), and the OFFER that starts its
 * handshake over the code, or over another secret (prs).
 */
void master_on_handshake(struct master *m, struct viewer *v, struct buf *body);
void master_on_record(struct master *m, struct viewer *v, const struct wire_hdr *h,
    struct buf *body);
void master_on_leave(struct master *m, uint16_t slot, uint16_t code);
int master_start_handshake(struct master *m, struct viewer *v, const struct hs_bind *bind) WUR;
int master_start_handshake_prs(struct master *m, struct viewer *v, const struct hs_bind *bind,
    const char *prs) WUR;
/* Forget a viewer: its transfers end, its keys are wiped, its slot is free. */
void master_viewer_free(struct master *m, struct viewer *v);
/* ACCEPT with v's rights and the screen's size. */
int master_send_accept(struct master *m, struct viewer *v) WUR;
/* "view" or "control", then the extra rights: "control,clipboard,files" (static). */
const char *master_rights_str(uint8_t rights);
/* A viewer's name as it names itself, escaped for an event line (log_escape_text). */
const char *master_peer_name(const struct viewer *v, char *out, size_t out_len);
/* The host copied text: give it to the viewers allowed the clipboard (clipboard.c). */
int clipboard_send(struct master *m, const char *text, size_t len) WUR;
/* --chat: greet a viewer that was just allowed (chat.c). */
void chat_greet(struct master *m, struct viewer *v);
/* The host's chat line (from the window) to every allowed viewer; returns
 * how many it was sent to (chat.c). */
unsigned chat_send(struct master *m, const char *text, size_t len);
/*
 * File transfer as the host's window sees it (transfers.c): the rows to
 * list, at most max, with each one's viewer; and the host's Cancel.
 */
struct gui_transfer;            /* gui/transfers.h */
size_t master_transfer_rows(struct master *m, struct gui_transfer *rows, size_t max);
void master_transfer_cancel(struct master *m, unsigned slot, uint32_t id, bool incoming);
/* The host removes viewer slot; from an empty slot, the viewer that was
 * there and is away (master_session_kick_away). */
int master_session_kick(struct master *m, uint16_t slot) WUR;
/* The host removes the viewer that was in slot and is away: it does not
 * come back with its rights. */
void master_session_kick_away(struct master *m, uint16_t slot);
/* The host gives viewer slot the files right, or takes it back. */
int master_session_files_right(struct master *m, uint16_t slot, bool on) WUR;
/* File transfer (files.c): an engine per viewer with the files right. */
void xfer_rights(struct master *m, struct viewer *v);
void xfer_free(struct viewer *v, const char *why);
void xfer_pump(struct master *m, uint64_t now_ms);
bool xfer_wants(const struct master *m);
void xfer_send(struct master *m, unsigned long slot, const char *path);
void xfer_cancel(struct master *m, unsigned long slot, uint32_t id, bool incoming);
int master_session_end(struct master *m) WUR;
/* Rotate codes and keys that are due; end handshakes and consent prompts
 * that ran past their deadlines. */
void master_session_tick(struct master *m, uint64_t now_ms);
/* The host asks for a new code (window button, stdin "newcode"): this also
 * ends a pause after too many wrong codes, and only then resets the count. */
void master_session_new_code(struct master *m);

/* Direct viewers: what lan.c reports goes to the session through these
 * (a welcomed connection becomes a viewer slot, starts its handshake,
 * sends frames, leaves). */
struct lan_events master_session_lan_events(struct master *m);

#endif
