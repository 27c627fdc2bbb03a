/* SPDX-License-Identifier: Apache-2.0 */
/*
 * limits.h - every size, count and time limit of the protocol, the relay
 * and the clients.
 *
 * A number that bounds untrusted input is defined here and nowhere else.
 * Units are part of the name: _LEN and _BYTES are bytes, _MS milliseconds,
 * _COUNT and _MAX counts.
 */
#ifndef PROTO_LIMITS_H
#define PROTO_LIMITS_H

#include <stdint.h>

enum wire_limits {
	WIRE_HEADER_LEN = 16,                 /* u32 len, u8 type, u8 flags, u16 slot, u64 seq */
	WIRE_BODY_MAX_BYTES = 1 << 20,        /* hard cap for any body, any time */
	WIRE_BODY_DEFAULT_BYTES = 256 << 10,  /* what a relay allows unless configured */
	WIRE_PREAUTH_MAX_BYTES = 1024,        /* any frame before HELLO is accepted */
	WIRE_BODY_MIN_BYTES = 32 << 10,       /* a body limit below this cannot carry a raw tile */
	WIRE_ERROR_TEXT_MAX = 200,            /* ERROR frame text */
	WIRE_ADDR_TEXT_MAX = 64,              /* PEER_JOIN address text */
	WIRE_TICKET_LEN = 32,                 /* a master's resume ticket (WELCOME, HELLO) */
	WIRE_REDIRECT_TEXT_MAX = 255,         /* REDIRECT's "host:port" */
	WIRE_SLOT_MASTER = 0,
	WIRE_SLOT_ALL = 0xFFFF,
};

enum session_limits {
	SESSION_NUMBER_MIN = 10000,           /* five digits */
	SESSION_NUMBER_MAX = 99999,
	SESSION_NUMBER_DIGITS = 5,
	SESSION_VIEWERS_MAX = 16,             /* slots 1..SESSION_VIEWERS_MAX */
	SESSION_CODE_DIGITS = 6,
	/* Failed guesses at one code, then the master makes a new one. An
	 * answered but unconfirmed handshake counts as failed, so this also
	 * bounds the guesses in flight. */
	SESSION_CODE_FAILURES_MAX = 3,
	/* Failed guesses across codes (since the start or the last pause)
	 * before the master offers none until the host asks for a new code
	 * (docs/SECURITY.md: the bound this gives). */
	SESSION_GUESS_BUDGET = 10,
	SESSION_CODE_LIFETIME_MS = 10 * 60 * 1000,
	/* From PEER_JOIN (or a direct connection's HELLO) to a valid key
	 * confirmation: a few round trips, even over long-poll. */
	SESSION_HANDSHAKE_TIMEOUT_MS = 15000,
	/* The host's answer to a consent prompt; then the viewer is told no. */
	SESSION_CONSENT_TIMEOUT_MS = 120000,
	/* The master's own numbering: 1..16 are the relay's slots, 17..32
	 * viewers connected directly over the LAN (lan.c). */
	MASTER_SLOTS_MAX = 2 * SESSION_VIEWERS_MAX,
	/* An allowed viewer whose connection was lost may come back this long
	 * with its rights, without the code or a new question to the host; a
	 * relay restart or a moved session takes seconds, a laptop changing
	 * networks a minute. The relay keeps an away master's number as long. */
	SESSION_RESUME_GRACE_MS = 120 * 1000,
	/* Top-level windows the X capture follows for move hints; more only
	 * cost missed hints (a moved window is then sent as pixels). */
	CAPTURE_WINDOWS_MAX = 256,
	CAPTURE_SWEEP_MS = 200,         /* one tile row re-read whole, at most this often */
	/* Damage rectangles a PipeWire buffer may carry (SPA_META_VideoDamage);
	 * a compositor with more damage says "everything" in one. */
	CAPTURE_DAMAGE_RECTS_MAX = 32,
	/* What a PipeWire stream offers room for: the damage rectangles
	 * (more than CAPTURE_DAMAGE_RECTS_MAX count as "everything") and the
	 * cursor bitmap's side (cropped to CAPTURE_CURSOR_DIM_MAX). The
	 * compositor picks its size inside; outside, it sends no metadata. */
	CAPTURE_DAMAGE_RECTS_OFFER_MAX = 1024,
	CAPTURE_CURSOR_META_DIM_MAX = 1024,
	/* D-Bus replies from the compositor (Mutter's RemoteDesktop and
	 * ScreenCast sessions) are waited for this long at most. */
	CAPTURE_DBUS_TIMEOUT_MS = 5000,
	/* The desktop portal's dialog (share the screen?) waits this long at
	 * most for the host's answer; then the master gives up and says so. */
	CAPTURE_PORTAL_DIALOG_MS = 120 * 1000,
	/* The picture from PipeWire waits this long at most for its first
	 * frame after the screen cast started. */
	CAPTURE_FIRST_FRAME_MS = 5000,
	/* Frames this close together are an animation; once they have
	 * stopped this long, the screen cast is asked for the picture again
	 * (master/capture_screencast.c: mutter may have dropped the last). */
	CAPTURE_BURST_GAP_MS = 50,
	CAPTURE_BURST_SETTLE_MS = 250,
	/* A screen cast the compositor closed (Mutter does when the monitors
	 * change) is started anew this many times in a row at most; a run
	 * of this long without a close ends the row. */
	CAPTURE_RESTARTS_MAX = 3,
	CAPTURE_RESTART_CALM_MS = 10000,
	/* Damage after a quiet spell waits this long for the rest of the
	 * drawing it belongs to before the master grabs. */
	MASTER_DAMAGE_SETTLE_MS = 3,
	/* A frame answering a viewer's input (master/frame_clock.h) goes
	 * before its slot: grabbed this long after the input (the program's
	 * time to draw its answer), for damage that began within the window
	 * after it. */
	MASTER_INPUT_ANSWER_MS = 3,
	MASTER_INPUT_ANSWER_WINDOW_MS = 30,
	/* An allowed viewer whose session key could not be sent (its queue was
	 * full) gets a new epoch this long after the last, not every turn. */
	MASTER_EPOCH_RETRY_MS = 1000,
	/* The pointer is looked for every frame until it has rested this
	 * long, then every MASTER_POINTER_REST_POLL_MS. */
	MASTER_POINTER_REST_MS = 1000,
	MASTER_POINTER_REST_POLL_MS = 100,
	/* A click or key in the host's own window this soon after a viewer's
	 * injected click or key may be that viewer's: it cannot allow anyone
	 * or make a new code (master/main.c, ui_actions). */
	MASTER_REMOTE_INPUT_GUARD_MS = 1500,
	MASTER_ZSTD_LEVEL = 3,  /* per viewer's screen stream (design/screen.md: > 5 rarely pays) */
	/* The shared screen stream (master/shared_stream.h) restarts for
	 * viewers that came back into step at most this often: each restart
	 * costs everyone on it the stream's history. */
	MASTER_SHARED_REJOIN_MS = 1000,
	/* Lossy tiles (master/lossy.h): the JPEG quality a session starts at
	 * (--quality), how long a tile must be still before it is sent again
	 * exact, and at most how many tiles one frame refreshes (a whole
	 * 1920x1080 screen in about five frames, not in one burst). */
	MASTER_QUALITY_DEFAULT = 75,
	MASTER_LOSSY_SETTLE_MS = 1000,
	MASTER_LOSSY_REFRESH_TILES = 120,
	/* A region that changes every frame goes as VP9 (master/motion.h):
	 * a tile is moving once it went lossy in this many updates in a row,
	 * each within MOTION_HOT_MS of the one before; a region needs this
	 * many moving tiles, at least a quarter of its bounding box; it ends
	 * when nothing in it changed for MOTION_END_MS; key frames (a viewer
	 * joining the region, the region growing) at most every
	 * MOTION_KEY_GAP_MS, for a key frame costs several JPEG frames. */
	MOTION_HOT_FRAMES = 4,
	MOTION_HOT_MS = 250,
	MOTION_MIN_TILES = 4,
	MOTION_END_MS = 500,
	MOTION_KEY_GAP_MS = 1000,
	/* The quality a viewer's link can take (master/quality.h): frames
	 * remembered until their credit, the lowest quality, queueing that
	 * steps it down (and how often), idle that lets it creep up (and how
	 * often), and the window of the throughput figure. */
	QUALITY_FRAMES_MAX = 8,
	QUALITY_MIN = 20,
	QUALITY_LAG_HIGH_MS = 100,
	QUALITY_STEP_DOWN_MS = 250,
	QUALITY_LAG_LOW_MS = 30,
	QUALITY_STEP_UP_MS = 1000,
	QUALITY_WINDOW_MS = 1000,
	/* Frames in flight to one viewer (its credits): two, and while its
	 * link is idle (lag below QUALITY_LAG_LOW_MS) as many as cover the
	 * link's round trip at the frame rate, up to the most remembered. */
	QUALITY_IN_FLIGHT_MIN = 2,
	QUALITY_IN_FLIGHT_MAX = 6,
	/* Input on wlroots compositors (master/inject_wlr.c, wl_outputs.c). */
	WLR_HELD_MAX = 32,              /* keys one viewer may hold at once */
	WLR_WHEEL_STEPS_MAX = 20,       /* wheel steps in one event */
	WLR_CLOSE_WAIT_MS = 1000,       /* for the compositor to take our last requests */
	WLR_KEYMAP_WAIT_MS = 1000,      /* for it to take a new keymap */
	WLR_OUT_WAIT_MS = 200,          /* for room in the socket before an event */
	WLR_SYNCS_MAX = 8,              /* unanswered waits before we stop asking */
	WL_OUTPUTS_MAX = 16,            /* outputs followed; more are left out of the layout */
	/* The clipboard on Wayland (master/clip_text.c): a client that copies or
	 * pastes gets this long to send or take the text (the loop waits). */
	CLIP_IO_MS = 500,
	/* Capture on wlroots compositors (master/capture_wlr.c): what a
	 * compositor may ask for in a screen copy's shared-memory buffer. */
	WLR_SHM_STRIDE_MAX = 8192 * 4 + 4096,   /* bytes per row: MSG_DIM_MAX pixels, padding */
	WLR_SHM_BYTES_MAX = 288 << 20,  /* one buffer: MSG_DIM_MAX squared and padding */
	WLR_FIRST_FRAME_WAIT_MS = 3000, /* for the first picture when the capture opens */
	WLR_COPY_FAILS_MAX = 8,         /* copies refused in a row before capture gives up */
};

enum relay_limits {
	RELAY_PORT_DEFAULT = 4663,
	RELAY_READ_BYTES = 64 << 10,          /* one read(2) at most */
	RELAY_OUTBUF_LOW_BYTES = 256 << 10,   /* FLOW XON / resume the sender below this */
	RELAY_OUTBUF_HIGH_BYTES = 1 << 20,    /* FLOW XOFF / pause the sender above this */
	RELAY_OUTBUF_MAX_BYTES = 8 << 20,     /* hard cap: evict the reader */
	RELAY_WRITE_BUDGET_BYTES = 256 << 10, /* per fd per loop turn */
	RELAY_DIRECT_MIN_BYTES = 16 << 10,    /* DATA this big skips the queue when it is empty */
	RELAY_WRITE_STALL_MS = 10000,         /* a reader that takes nothing this long is evicted */
	RELAY_CONNS_PER_IP_MAX = 32,
	RELAY_PREAUTH_PER_IP_MAX = 8,
	RELAY_CONNS_MAX = 30000,              /* 15,000 sessions, fewer if descriptors are short */
	RELAY_HELLO_TIMEOUT_MS = 10000,
	RELAY_IDLE_TIMEOUT_MS = 90000,        /* clients PING every CLIENT_PING_MS */
	RELAY_JOIN_BURST = 10,                /* per-IP token bucket for joins */
	RELAY_JOIN_PER_MIN = 30,
	RELAY_UNKNOWN_JOIN_BURST = 3,         /* joins to a number that is not live */
	RELAY_UNKNOWN_JOIN_PER_MIN = 6,
	/* New sessions per address (--sessions-per-min): every number a
	 * session used cools for RELAY_RETIRE_COOLDOWN_S, so without a rate
	 * one address could open and END sessions until all 90,000 numbers
	 * cool and nobody gets one for a day. 6 a minute burns at most a
	 * tenth of the space a day per address; the burst lets an office
	 * behind one address start its hosts at once. */
	RELAY_SESSION_BURST = 10,
	RELAY_SESSION_PER_MIN = 6,
	/* An IPv6 /48, often one site's whole allocation, holds 65,536 /64s,
	 * each an address of its own: its new sessions are counted together
	 * too, at this many times one address's burst and rate (a /48 then
	 * burns at most about two fifths of the numbers a day). */
	RELAY_SESSION_SITE_FACTOR = 4,
	/* The connect and close lines of one address: this many connections
	 * at once, then this many a minute; the others are counted and said
	 * with the next line (one client reconnecting in a loop wrote 320 KB
	 * of log a second). */
	RELAY_LOG_CONNS_BURST = 20,
	RELAY_LOG_CONNS_PER_MIN = 20,
	/* Viewers of one session the master has not sent a PAIR record yet
	 * (docs/relay.md): they do not count against --max-viewers, and a
	 * join past this many pushes out the oldest of them. */
	RELAY_UNVERIFIED_PER_SESSION_MAX = 4,
	RELAY_TICK_MS = 250,
	RELAY_RETIRE_COOLDOWN_S = 24 * 3600,  /* a retired number stays unused this long */
	RELAY_RETIRED_MAX = 90000,
	RELAY_IP_TABLE_MAX = 65536,           /* tracked client addresses */
	/* The /64s of one IPv6 /48 the table tracks at most: a /48 has 65,536
	 * of them, enough to fill the table and refuse everyone else. */
	RELAY_IP_TABLE_SITE_MAX = 4096,
	/* IPv6 entries (/64s and their /48s) at most: a party with a dozen
	 * /48s could still fill the table; a quarter of it stays for IPv4. */
	RELAY_IP_TABLE_V6_MAX = RELAY_IP_TABLE_MAX / 4 * 3,
	RELAY_CLOSE_LINGER_MS = 1000,         /* a closing conn gets this long to flush its ERROR */
	RELAY_LISTENERS_MAX = 16,             /* --listen given this often at most */
	/* HTTP long-poll tunnels (docs/PROTOCOL.md 5.1) */
	RELAY_HTTP_HEAD_MAX_BYTES = 8 << 10,  /* request line + headers */
	RELAY_HTTP_TX_MAX_BYTES = 256 << 10,  /* one POST /v1/tx body */
	/* A request's body may take longer than the request deadline
	 * (hello-timeout-ms) by a second per this many bytes that came: a
	 * drop part of 256 KiB on a 200 kbit/s line takes 10 s, and only a
	 * body that stops coming is a slowloris. */
	RELAY_HTTP_BODY_MIN_BYTES_PER_S = 4 << 10,
	RELAY_HTTP_RX_MAX_BYTES = 256 << 10,  /* one GET /v1/rx answer, then it ends */
	RELAY_HTTP_RX_MS = 20000,             /* one GET /v1/rx answer at the longest */
	/* The cluster directory in Redis (--cluster, docs/relay.md "Cluster"):
	 * a held number's key lives RELAY_CLUSTER_LEASE_S unless its relay
	 * refreshes it, which it does every RELAY_CLUSTER_REFRESH_MS. */
	RELAY_CLUSTER_LEASE_S = 30,
	RELAY_CLUSTER_REFRESH_MS = 10000,
	/* A number claimed ahead is handed out only while this much of its
	 * lease is left: a claim is never older than the lease it rests on. */
	RELAY_CLUSTER_LEASE_MARGIN_S = 10,
	/* Numbers claimed ahead, so HELLO never waits: RELAY_CLUSTER_POOL
	 * normally; each HELLO that finds none doubles it up to the max, and
	 * every refresh without one halves it again. */
	RELAY_CLUSTER_POOL = 64,
	RELAY_CLUSTER_POOL_MAX = 512,
	RELAY_CLUSTER_CLAIM_CANDIDATES = 16,  /* random numbers one claim tries, in order */
	RELAY_CLUSTER_CLAIMS_PER_TICK = 256,  /* claims sent per RELAY_TICK_MS at most */
	RELAY_CLUSTER_ALIVE_S = 15,           /* a relay's liveness record: lifetime */
	RELAY_CLUSTER_ALIVE_REFRESH_MS = 5000,
	RELAY_CLUSTER_CONNECT_TIMEOUT_MS = 3000,
	/* Replies owed for longer than this: Redis hangs, drop the connection. */
	RELAY_CLUSTER_REPLY_TIMEOUT_MS = 3000,
	RELAY_CLUSTER_BACKOFF_MIN_MS = 250,   /* reconnect back-off: doubles up to the max */
	RELAY_CLUSTER_BACKOFF_MAX_MS = 8000,
	/* After a reconnection, the relays' held numbers go back first: the
	 * pool waits this long before it claims new ones. */
	RELAY_CLUSTER_RECLAIM_GRACE_MS = 1000,
	/* at exit: the retirements' last chance to reach Redis */
	RELAY_CLUSTER_SHUTDOWN_FLUSH_MS = 500,
	RELAY_CLUSTER_NAME_MAX = 255,         /* --advertise NAME[:PORT], as text */
	/* --cluster redis://USER:PASSWORD@HOST (percent-decoded), or the first
	 * line of --cluster-password-file: a Redis 6 ACL user and password. */
	RELAY_CLUSTER_USER_MAX = 128,
	RELAY_CLUSTER_PASSWORD_MAX = 512,
	/* A relay that drains remembers this many others of its cluster to
	 * send masters to (REDIRECT); one is picked at random. */
	RELAY_CLUSTER_PEERS_MAX = 64,
	/* Resume (docs/relay.md "Cluster"). A master whose connection is lost
	 * without END keeps its number "away" this long: its ticket resumes
	 * it, here or on another relay of the cluster, and viewers hear AWAY
	 * meanwhile. Long enough for a laptop to change networks or a relay
	 * to restart; short, because a number held away is one nobody can
	 * use and a ticket that still works. As long as the ends keep their
	 * away viewers: 120 s. */
	RELAY_RESUME_GRACE_MS = SESSION_RESUME_GRACE_MS,
	/* In Redis a ticket's hash outlives its number's lease by the grace,
	 * so that a master whose relay died (no more refreshes) can still
	 * resume elsewhere for the whole grace. */
	RELAY_CLUSTER_TICKET_S = RELAY_RESUME_GRACE_MS / 1000 + RELAY_CLUSTER_LEASE_S,
	/* After a resume no other relay takes the number over for this long:
	 * of two resumes at once on two relays exactly one wins (the loser
	 * hears RESUME; the real master holds one connection at a time). */
	RELAY_RESUME_LOCK_MS = 5000,
	/* SIGUSR1: the relay takes no new sessions and exits once every
	 * number it held moved elsewhere, at the latest after this long
	 * (--drain-deadline). Long enough for its masters to come back on
	 * another relay; a relay that must go at once takes SIGTERM. */
	RELAY_DRAIN_DEADLINE_MS = 60000,
	RELAY_DRAIN_DEADLINE_MAX_S = 24 * 3600,
	/* A draining relay renews its numbers this often (not every
	 * RELAY_CLUSTER_REFRESH_MS), so that it sees soon which moved. */
	RELAY_DRAIN_REFRESH_MS = 1000,
	/* Reload and privilege drop (SIGHUP, user; docs/relay.md "Reloading"):
	 * the parts that take their own settings at a reload (admin keys,
	 * token keys, drop limits, ...), and a system user's name in bytes
	 * (useradd's limit). */
	RELAY_RELOAD_HOOKS_MAX = 16,
	RELAY_USER_NAME_MAX = 32,
};

enum client_limits {
	CLIENT_PING_MS = 20000,
	CLIENT_PING_MIN_MS = 1000,            /* even if a relay asks for a shorter idle time */
	CLIENT_DRAIN_POLL_MS = 5,             /* how often link_drain looks for the peer's ack */
	CLIENT_CONNECT_TIMEOUT_MS = 10000,
	CLIENT_RECONNECT_MIN_MS = 500,
	CLIENT_RECONNECT_MAX_MS = 10000,
	CLIENT_OUTBUF_MAX_BYTES = 16 << 20,
	/* The viewer's side of the two deadlines above: a little longer, so
	 * that the master's reason normally arrives first. */
	CLIENT_HANDSHAKE_TIMEOUT_MS = SESSION_HANDSHAKE_TIMEOUT_MS + 5000,
	CLIENT_CONSENT_TIMEOUT_MS = SESSION_CONSENT_TIMEOUT_MS + 5000,
	LAN_CONNECT_TIMEOUT_MS = 1000,        /* a host on the same LAN answers at once */
	/* A viewer coming back: tries at this pace, doubling, within the grace. */
	CLIENT_RESUME_RETRY_MIN_MS = 250,
	CLIENT_RESUME_RETRY_MAX_MS = 4000,
	CLIENT_RESUME_CONNECT_TIMEOUT_MS = 3000,  /* one attempt; the window waits meanwhile */
	CLIENT_SENDS_MAX = 64,                /* --send given this often at most */
	/* --drop in a session: once allowed with the files right, the host's
	 * upload grant (DROP_GRANT) is awaited this long, then the drop fails */
	CLIENT_DROP_GRANT_WAIT_MS = 10000,
	/* --relay a,b,c (and the settings' relay key): relays at most, each
	 * HOST[:PORT] as text ("[" v6 "]:" port at most) */
	CLIENT_RELAYS_MAX = 8,
	CLIENT_RELAY_TEXT_MAX = 263,
	/* What link_open races at most: the relays' addresses (a name may
	 * have several) on their first tier... */
	CLIENT_RELAY_ADDRS_MAX = 16,
	/* ...each started this long after the one before, or at once when
	 * one failed (the tiers after the first: TRANSPORT_RACE_MS) */
	CLIENT_RELAY_RACE_MS = 150,
	/* a relay's name that the resolver has not answered for by then is
	 * left to the transport to resolve (one address, no race among them) */
	CLIENT_RESOLVE_WAIT_MS = 1000,
};

/*
 * The programs' settings files (proto/settings.c, net/settings.c): key =
 * value lines, read whole. A file or line over these is refused, not cut.
 */
enum config_limits {
	CONFIG_FILE_MAX_BYTES = 64 << 10,
	CONFIG_LINE_MAX_BYTES = 1024,         /* without its newline */
	CONFIG_KEYS_MAX = 64,                 /* keys in one program's table (a bit each) */
};

/*
 * A fernsicht://HOST[:PORT]/NNNNN link (viewer/link_url.c), as a browser or
 * a desktop's URL handler passes it: anything longer is refused, not cut.
 */
enum link_url_limits {
	LINK_URL_MAX_BYTES = 300,
	LINK_URL_HOST_MAX_BYTES = 253,        /* a DNS name; an IPv6 literal is shorter */
};

/*
 * The clients' transports (net/transport*.c). One tx body is bounded by
 * the relay's RELAY_HTTP_TX_MAX_BYTES (PROTOCOL.md 5.1); these only bound
 * our own memory and waiting.
 */
enum transport_limits {
	TRANSPORT_TLS_PORT = 443,             /* tls, proxy, http: an address without port */
	TRANSPORT_RACE_MS = 400,              /* auto: start the next tier after this */
	TRANSPORT_POLLFDS_MAX = 6,            /* what one transport waits on at most */
	/* a line of the remembered tiers and relays: a whole relay list fits */
	TRANSPORT_STATE_LINE_MAX = 3072,
	TRANSPORT_HTTP_TXQ_MAX_BYTES = 1 << 20,  /* queued, not yet acknowledged */
	TRANSPORT_HTTP_RX_BUF_BYTES = 256 << 10, /* received, not yet taken by recv */
	TRANSPORT_HTTP_RX_TIMEOUT_MS = 45000, /* the relay ends one after RELAY_HTTP_RX_MS */
	TRANSPORT_HTTP_RETRY_MS = 200,        /* first retry; grows per failure */
	TRANSPORT_HTTP_RETRIES_MAX = 6,       /* consecutive failures, then give up */
	TRANSPORT_HTTP_CLOSE_TIMEOUT_MS = 1000, /* POST /v1/close is best effort */
};

enum msg_limits {
	MSG_NAME_MAX = 64,                    /* a peer's display name, bytes of UTF-8 */
	MSG_TEXT_MAX = 4096,                  /* one chat line or BYE reason */
	MSG_DROP_TIER_MAX = 16,               /* DROP_GRANT's tier name ("tls", ...) */
	MSG_CLIPBOARD_MAX = 256 << 10,
	MSG_DIM_MAX = 8192,                   /* screen width or height */
	MSG_TILE_LEN = 64,                    /* tiles are 64x64 pixels (edge tiles smaller) */
	MSG_TILES_MAX = (MSG_DIM_MAX / 64) * (MSG_DIM_MAX / 64),
	MSG_PALETTE_MAX = 255,                /* colours of a PALETTE tile (u8 n) */
	MSG_VIDEO_RAW_MAX_BYTES = 8 << 20,    /* decompressed tile stream of one VIDEO part */
	/* Each viewer's screen stream keeps this much history (2^N bytes) on
	 * both sides: more finds older repeats, and costs memory per viewer. */
	ZSTREAM_WINDOW_LOG = 20,
	ZSTREAM_PART_SLACK = 64,              /* frame header and flush bytes over ZSTD_compressBound */
	MSG_KEYCODE_MAX = 0x1FFFFFFF,         /* X keysym range */
	MSG_CURSOR_DIM_MAX = 128,             /* cursor shape width or height */
	MSG_CURSOR_ZSTD_LEVEL = 9,            /* shapes are small and rare: squeeze them */
};

/*
 * File transfer (endpoint/files*.c). File data is a second flow class
 * beside the screen: it goes out only while the queue towards that peer is
 * short, so a screen update never waits behind more than about
 * FILES_QUEUE_LOW_BYTES of file data.
 */
enum files_limits {
	FILES_CHUNK_BYTES = 64 << 10,         /* one FILE_DATA's bytes at most */
	/* Sent but not yet acknowledged, towards one peer: the window follows
	 * the path (endpoint/pace.h) between these, so that what else waits
	 * on the way waits about FILES_QUEUE_DELAY_MS behind file data. */
	FILES_WINDOW_MIN_BYTES = 128 << 10,   /* a slow path: 128 ms at 1 MB/s */
	FILES_WINDOW_MAX_BYTES = 16 << 20,
	FILES_QUEUE_DELAY_MS = 10,
	FILES_ACK_BYTES = 32 << 10,           /* the receiver acknowledges this often
	                                       * (well inside the smallest window) */
	FILES_QUEUE_LOW_BYTES = 128 << 10,    /* file data waits while more is queued */
	FILES_RESUME_MIN_BYTES = 1 << 20,     /* smaller files are sent whole, no RESUME */
	FILES_ENTRIES_MAX = 100000,           /* files and folders in one transfer */
	FILES_PATH_MAX = 1024,                /* a relative path, bytes of UTF-8 */
	FILES_COMPONENT_MAX = 255,            /* one name in it (NAME_MAX) */
	FILES_DEPTH_MAX = 64,                 /* folders deep */
	FILES_TRANSFERS_MAX = 8,              /* running at once, per peer and direction */
	FILES_PROGRESS_MS = 1000,             /* a file-progress line at most this often */
	FILES_QUEUE_MAX = 64,                 /* outgoing transfers waiting for a place */
	FILES_ENDED_KEPT = 64,                /* incoming ids remembered after their end,
	                                       * so that messages crossing a CANCEL are
	                                       * ignored rather than an error */
	FILES_ENDED_ROWS = 16,                /* ended transfers kept for files_list */
	FILES_HASH_STEP_BYTES = 8 << 20,      /* a resumed prefix hashed per pump at most */
	FILES_NAME_TRIES = 1000,              /* "NAME (1)" .. "NAME (999)", then give up */
};

/* The windows (gui/): what they keep and show. */
enum gui_limits {
	GUI_TEXT_CACHE_MAX = 256,             /* distinct strings one frame draws */
	GUI_BUTTONS_MAX = 3 * MASTER_SLOTS_MAX + 8, /* clickable things in one area */
	GUI_CHAT_LINES_MAX = 500,             /* chat history a window keeps; older lines go */
	GUI_TRANSFERS_MAX = 32,               /* transfer rows a window lists */
	GUI_OPENERS_MAX = 8,                  /* "Open folder" programs not yet ended */
};

/* The file drop, client side (proto/blob.c, proto/droplink.c, net/drop_client.c):
 * what a client writes into and reads from a blob the relay keeps for it. */
enum drop_client_limits {
	DROP_BLOB_CHUNK_BYTES = 64 << 10,     /* plaintext per secretstream chunk */
	/* One per participant of a session (both sides' slots, the host) and
	 * the link's. */
	DROP_BLOB_ENVELOPES_MAX = MASTER_SLOTS_MAX + 2,
	DROP_BLOB_META_MAX_BYTES = 8 + 2 + FILES_COMPONENT_MAX, /* size, lv16 name */
	DROP_LINK_MAX_BYTES = 1024,           /* fernsicht://HOST:PORT/drop/TOKEN#KEY */
	DROP_LINK_TOKEN_MAX_BYTES = 512,      /* the relay's link token, base64url */
	DROP_CLIENT_ANSWER_MAX_BYTES = 16 << 10, /* a relay's key=value answer */
	DROP_CLIENT_TIMEOUT_MS = 30000,       /* one request, connect to last byte */
	DROP_CLIENT_RETRIES = 5,              /* a broken part is sent or fetched again */
};

/*
 * The file drop (relay/drop*.c, docs/PROTOCOL.md "File drop"): the relay
 * keeps encrypted blobs it cannot read, uploaded with the grant its
 * WELCOME gave, fetched with one-time links. The operator's limits are
 * keys (drop-max-file, drop-quota-*, drop-max-ttl); their defaults are
 * the DROP_*_DEFAULT macros below.
 */
enum drop_limits {
	WIRE_DROP_GRANT_MAX = 64,             /* WELCOME's grant field, as a client takes it */
	/* u32 number, u64 session uid, u32 generation, u64 expiry, HMAC-SHA-256 */
	DROP_GRANT_LEN = 4 + 8 + 4 + 8 + 32,
	DROP_GRANT_TTL_S = 24 * 3600,         /* a grant uploads this long after WELCOME */
	DROP_ID_BYTES = 16,                   /* 32 hex digits */
	DROP_MAC_BYTES = 32,
	DROP_PUT_BYTES = 32,                  /* the put secret (64 hex digits) */
	DROP_GET_BYTES = 8 + 32,              /* u64 expiry, MAC (80 hex digits) */
	DROP_LINK_BYTES = 16 + 1 + 8 + 32,    /* id, u8 link, u64 expiry, MAC */
	DROP_LINK_TEXT_MAX = 80,              /* its base64url (76 characters) */
	DROP_LINKS_MAX = 16,                  /* links of one drop */
	DROP_DOWNLOADS_MAX = 100,             /* downloads of one link */
	/* one put body or get answer: what one HTTP request body may hold */
	DROP_PART_MAX_BYTES = RELAY_HTTP_TX_MAX_BYTES,
	DROP_CLAIM_TTL_S = 6 * 3600,          /* a claimed download may take this long */
	DROP_TTL_MAX_DEFAULT_S = 7 * 24 * 3600, /* drop-max-ttl */
	DROP_TTL_MAX_S = 365 * 24 * 3600,     /* the highest drop-max-ttl */
	DROP_FILES_MAX = 10000,               /* drops kept at once */
	/* Of those, per session number and per address: the byte quotas alone
	 * let one session fill every place with one-byte drops for a week. */
	DROP_FILES_SESSION_MAX = 500,
	DROP_FILES_ADDRESS_MAX = 1000,
	DROP_SWEEP_MS = 1000,                 /* the expiry sweep, at most this often */
	DROP_UPLOAD_STALE_S = 3600,           /* an upload without progress this long goes */
	DROP_META_MAX_BYTES = 4096,           /* one meta file */
};

/*
 * Session-creation tokens: the relay's token codec and store
 * (relay/token.c, relay/tokens.c), the optional token field of HELLO.
 */
enum token_limits {
	WIRE_TOKEN_MAX = 256,                 /* HELLO's token text, bytes */
	TOKEN_KEY_ID_MAX = 32,                /* a signing key's id: [A-Za-z0-9._-] */
	TOKEN_ID_LEN = 16,                    /* a token's random id, bytes */
	TOKEN_ID_HEX_LEN = 2 * TOKEN_ID_LEN,
	TOKEN_NAME_MAX = 64,                  /* who it was issued to, bytes of UTF-8 */
	TOKEN_MAC_LEN = 32,                   /* HMAC-SHA-256 */
	TOKEN_SECRET_MIN = 32,                /* a signing key's secret, bytes */
	TOKEN_SECRET_MAX = 64,
	TOKEN_KEYS_MAX = 16,                  /* lines of token-key-file */
	TOKEN_KEY_FILE_MAX_BYTES = 8 << 10,   /* token-key-file as a whole */
	TOKENS_ISSUED_MAX = 10000,            /* records in <state-dir>/tokens-issued */
	TOKENS_REVOKED_MAX = 10000,           /* ids in <state-dir>/tokens-revoked */
	TOKENS_FILE_MAX_BYTES = 2 << 20,      /* either of those files */
	TOKEN_TTL_MAX_S = 10 * 366 * 86400,   /* ten years */
	TOKENS_EXPIRED_KEPT_S = 7 * 86400,    /* an expired record stays listed this long */
};

/* The relay's admin listener (relay/admin*.c, docs/relay.md "Admin API
 * and metrics"): signed requests, their replay window, the nonces kept. */
enum admin_limits {
	ADMIN_CONNS_MAX = 64,                 /* admin connections open at once */
	ADMIN_BODY_MAX_BYTES = 4 << 10,       /* a POST body */
	ADMIN_ANSWER_MAX_BYTES = 8 << 20,     /* one answer (the session list) at most */
	ADMIN_REQUEST_MS = 5000,              /* a request complete within this, or closed */
	ADMIN_WINDOW_S = 60,                  /* X-Fernsicht-Time within +-this of ours */
	ADMIN_NONCES_MAX = 65536,             /* nonces remembered within the window */
	ADMIN_NONCE_MIN_BYTES = 16,           /* X-Fernsicht-Nonce: hex of at least this */
	ADMIN_NONCE_MAX_BYTES = 64,
	ADMIN_KEYS_MAX = 32,                  /* lines of admin-keys-file */
	ADMIN_KEY_ID_MAX = 64,                /* a key id, bytes */
	ADMIN_SECRET_MIN_BYTES = 32,          /* a key's secret, decoded from hex */
	ADMIN_SECRET_MAX_BYTES = 128,
};

/* ISO C enum constants are int: 64-bit limits are macros. */
#define SEC_REKEY_AFTER_MESSAGES (UINT64_C(1) << 32)
#define SEC_REKEY_AFTER_MS       (UINT64_C(120) * 1000)
#define SEC_KEY_MAX_AGE_MS       (UINT64_C(180) * 1000)
#define SEC_REKEY_AFTER_BYTES    (UINT64_C(64) << 30)
/* The file drop: the largest plaintext a blob may announce (the relay's
 * drop-max-file is the real bound; this one keeps the sums in range). */
#define DROP_BLOB_SIZE_MAX       (UINT64_C(1) << 48)
/* The file drop's size limits (enum drop_limits) */
#define DROP_MAX_FILE_DEFAULT_BYTES     (UINT64_C(2) << 30)
#define DROP_QUOTA_SESSION_DEFAULT_BYTES (UINT64_C(4) << 30)
#define DROP_QUOTA_ADDRESS_DEFAULT_BYTES (UINT64_C(8) << 30)
#define DROP_QUOTA_TOTAL_DEFAULT_BYTES  (UINT64_C(64) << 30)
#define DROP_SIZE_MAX_BYTES             (UINT64_C(1) << 44)   /* any drop-* size key */
/* free space an upload must leave on the drop-dir's file system */
#define DROP_DISK_MARGIN_BYTES          (UINT64_C(64) << 20)

#endif
