/* SPDX-License-Identifier: Apache-2.0 */
/*
 * video.c - the master's screen stream: the next picture from the capture
 * (or the test pattern), one diff for every viewer that holds the newest
 * picture, catch-up updates for viewers that fell behind, key frames for
 * new ones, the cursor, and the frame and bandwidth caps. Viewers in step
 * share one zstd stream for the diffs (shared_stream.h); catch-ups and key
 * frames go on each viewer's own.
 */
#include <stdio.h>
#include <string.h>

#include "channels.h"
#include "clock.h"
#include "log.h"
#include "lossy.h"
#include "msg.h"
#include "session.h"
#include "video.h"

/* Skip a screen update while this much is still queued for the relay. */
enum { MASTER_BACKLOG_MAX_BYTES = 2 << 20 };

/* The targets of one encoded update: a list of slots. */
struct video_out {
	struct master *m;
	uint16_t slots[MASTER_SLOTS_MAX];
	unsigned n;
	const struct image *img;        /* the picture being encoded */
	uint32_t frame, base;
	uint16_t part;          /* the next part's number within this frame */
	uint8_t key;
};

/* The viewer is off the shared stream (if it was on it): its own stream
 * goes on from here, afresh. */
static void
leave_shared(struct master *m, struct viewer *v, const char *why)
{
	if (!v->screen.shared)
		return;
	v->screen.shared = false;
	v->screen.own_restart = true;
	log_debug("shared stream: slot %u leaves it (%s); %llu parts so far compressed once "
	    "for several viewers, %llu compressions saved", v->slot, why,
	    (unsigned long long)m->shared.parts_shared, (unsigned long long)m->shared.parts_saved);
}

/*
 * One part of an update to every target viewer: compressed once for
 * those on the shared stream and on each other one's own stream (the
 * first part of a key frame, or of a restart, starts it afresh), then
 * sealed with the session key.
 */
static int
send_part(void *arg, const uint8_t *raw, size_t raw_len, bool last)
{
	struct video_out *vo = arg;
	struct master *m = vo->m;
	struct msg_video mv;
	unsigned i, on = 0;
	bool restart_shared;
	int r;

	memset(&mv, 0, sizeof(mv));
	mv.frame = vo->frame;
	mv.base = vo->base;
	mv.part = vo->part++;
	mv.width = vo->img->w;
	mv.height = vo->img->h;
	mv.raw_len = (uint32_t)raw_len;
	for (i = 0; i < vo->n; i++)
		on += m->v[vo->slots[i]].screen.shared;
	/* Everyone on the shared stream gets every diff from its restart on
	 * (plan_shared): a restart falls on a part 0. */
	restart_shared = on > 0 && m->shared.restart_pending;
	if (restart_shared && mv.part != 0)
		return ERR_INTERNAL;
	if (on > 0 && (r = shared_stream_part(&m->shared, raw, raw_len, on)) != 0)
		return r;
	for (i = 0; i < vo->n; i++) {
		struct viewer *v = &m->v[vo->slots[i]];
		bool restart;

		if (v->screen.shared)
			restart = restart_shared;
		else
			restart = mv.part == 0 && (vo->key || v->screen.own_restart);
		mv.flags = (uint8_t)((last ? MSG_VIDEO_LAST : 0) | vo->key |
		    (m->o.low_bandwidth ? MSG_VIDEO_LOSSY : 0) |
		    (restart && !vo->key ? MSG_VIDEO_RESTART : 0));
		buf_reset(&m->scratch);
		if ((r = msg_video_encode_head(&m->scratch, &mv)) != 0)
			return r;
		if (v->screen.shared) {
			r = buf_put_bytes(&m->scratch, buf_ptr(&m->shared.z),
			    buf_len(&m->shared.z));
		} else {
			if (v->screen.zs == NULL &&
			    (v->screen.zs = zs_enc_new(MASTER_ZSTD_LEVEL)) == NULL)
				return ERR_NOMEM;
			r = zs_enc_part(v->screen.zs, restart, raw, raw_len, &m->scratch);
			v->screen.own_restart = false;
		}
		if (r != 0)
			return r;
		if ((r = sec_seal_fixed(&v->screen.tx, WIRE_F_SESSION, master_viewer_slot(v),
		    buf_ptr(&m->scratch), buf_len(&m->scratch), master_viewer_out(m, v),
		    mono_ms())) != 0)
			return r;
		m->bytes_sent += WIRE_HEADER_LEN + buf_len(&m->scratch) + SEC_TAG_LEN;
		v->screen.frame_bytes += WIRE_HEADER_LEN + buf_len(&m->scratch) + SEC_TAG_LEN;
	}
	return 0;
}

/*
 * JPEG tiles of an update at the quality its slowest target's link takes
 * (one encode serves them all).
 */
static unsigned
choose_quality(struct master *m, const struct video_out *vo)
{
	unsigned q = m->lossy.quality;

	for (unsigned i = 0; i < vo->n; i++)
		if (m->v[vo->slots[i]].screen.quality.now < q)
			q = m->v[vo->slots[i]].screen.quality.now;
	codec_enc_lossy(m->enc, m->lossy.allow, m->lossy.held, q);
	return q;
}

/*
 * The most tile bytes one part may carry so that, compressed, it still
 * fits a record the relay forwards (part_max bytes of zstd).
 */
static size_t
raw_part_max(size_t part_max)
{
	size_t n = part_max;

	while (n > 0 && zs_enc_bound(n) > part_max)
		n -= n > 4096 ? n / 64 : 64;
	return n;
}

/*
 * Low-bandwidth mode: 5-6-5 bits per channel. Runs of nearly equal
 * colours (gradients, anti-aliased text) become equal, which palettes and
 * zstd compress far better; the viewer labels the picture as lossy.
 */
static void
reduce_colours(struct image *img, const uint8_t *hint)
{
	unsigned tiles_x = (img->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;

	for (unsigned y = 0; y < img->h; y++) {
		uint32_t *row = img->px + (size_t)y * img->w;

		for (unsigned tx = 0; tx < tiles_x; tx++) {
			unsigned x0 = tx * MSG_TILE_LEN;
			unsigned x1 = x0 + MSG_TILE_LEN < img->w ? x0 + MSG_TILE_LEN : img->w;

			if (!hint[y / MSG_TILE_LEN * tiles_x + tx])
				continue;
			for (unsigned x = x0; x < x1; x++)
				row[x] &= 0xF8FCF8;
		}
	}
}

/*
 * The next picture into m->cur, and in m->hint the tiles where it may
 * differ from the cur before (and so from prev, which equals it): 1 when
 * there is one, 0 when the screen did not change (and nobody needs a key
 * frame), negative on a capture failure. The capture reads only what X
 * says changed, so cur stays the screen as last grabbed between calls (it
 * is never swapped with prev).
 */
static int
next_picture(struct master *m, bool need_all)
{
	struct codec_move moves[CODEC_MOVES_MAX];
	unsigned n_moves = 0;
	char why[256];
	int r;

	if (!m->screen_dirty && !need_all)
		return 0;
	if ((r = capture_grab(m->cap, &m->cur, m->hint, why, sizeof(why))) != 0) {
		log_error("screen capture failed: %s", why);
		return r;
	}
	m->screen_dirty = false;
	n_moves = capture_moves(m->cap, moves);
	codec_enc_moves(m->enc, moves, n_moves);
	if (m->o.low_bandwidth)
		reduce_colours(&m->cur, m->hint);
	return 1;
}

/* cur has been sent as frame frame_id: prev becomes the same picture,
 * by copying only the tiles that changed when it can. */
static int
keep_picture(struct master *m)
{
	int r;

	if (m->have_prev) {
		image_copy_tiles(&m->prev, &m->cur, m->changed);
		return 0;
	}
	if (m->prev.px == NULL || m->prev.w != m->cur.w || m->prev.h != m->cur.h) {
		image_free(&m->prev);
		if ((r = image_init(&m->prev, m->cur.w, m->cur.h)) != 0)
			return r;
	}
	memcpy(m->prev.px, m->cur.px, (size_t)m->cur.w * m->cur.h * 4);
	m->have_prev = true;
	return 0;
}

/*
 * --max-kbps: a token bucket over everything sent, refilled by the cap
 * and holding at most one second of it. While it is empty frames are
 * skipped, and the next one carries the newest picture: fewer, fresher
 * frames instead of a growing queue.
 */
static bool
budget_allows(struct master *m, uint64_t now_ms)
{
	int64_t per_s = (int64_t)m->o.max_kbps * 1000 / 8;

	if (m->o.max_kbps == 0)
		return true;
	if (m->budget_ms == 0)
		m->budget_bytes = per_s;
	else
		m->budget_bytes += (int64_t)(now_ms - m->budget_ms) * per_s / 1000;
	if (m->budget_bytes > per_s)
		m->budget_bytes = per_s;
	m->budget_ms = now_ms;
	return m->budget_bytes > 0;
}

/* One CURSOR message to one viewer, with the shape when it needs it. */
static int
send_cursor(struct master *m, struct viewer *v)
{
	struct msg_cursor c;
	int r;

	memset(&c, 0, sizeof(c));
	c.x = (int16_t)(m->cursor_x < INT16_MIN ? INT16_MIN :
	    m->cursor_x > INT16_MAX ? INT16_MAX : m->cursor_x);
	c.y = (int16_t)(m->cursor_y < INT16_MIN ? INT16_MIN :
	    m->cursor_y > INT16_MAX ? INT16_MAX : m->cursor_y);
	if (v->screen.need_cursor_shape && m->have_cursor) {
		c.flags = MSG_CURSOR_SHAPE;
		c.w = m->cursor.w;
		c.h = m->cursor.h;
		c.hot_x = m->cursor.hot_x;
		c.hot_y = m->cursor.hot_y;
	}
	buf_reset(&m->scratch);
	if ((r = msg_cursor_encode(&m->scratch, &c, m->cursor.argb)) != 0 ||
	    (r = sec_seal_fixed(&v->screen.tx, WIRE_F_SESSION, master_viewer_slot(v),
	    buf_ptr(&m->scratch), buf_len(&m->scratch), master_viewer_out(m, v),
	    mono_ms())) != 0)
		return r;
	if (c.flags & MSG_CURSOR_SHAPE)
		v->screen.need_cursor_shape = false;
	return 0;
}

int
video_cursor(struct master *m)
{
	bool shape_changed = false;
	unsigned i;
	int r;

	if (!capture_has_pointer(m->cap))
		return 0;
	if ((r = capture_cursor(m->cap, &m->cursor_x, &m->cursor_y, &shape_changed,
	    &m->cursor)) != 0)
		return 0;       /* no cursor information: the picture still works */
	if (shape_changed) {
		m->have_cursor = true;
		for (i = 1; i <= MASTER_SLOTS_MAX; i++)
			m->v[i].screen.need_cursor_shape = true;
	}
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];
		struct video_viewer *vv = &v->screen;

		/* A viewer that holds no picture yet gets the cursor with it. */
		if (v->state != VIEWER_ACTIVE || !vv->tx.ready || vv->xoff || vv->need_keyframe)
			continue;
		if (!vv->need_cursor_shape && vv->put_pointer && vv->put_x == m->cursor_x &&
		    vv->put_y == m->cursor_y)
			continue;       /* it moved the pointer there itself */
		vv->put_pointer = false; /* the host moved it: from now on, tell */
		if ((r = send_cursor(m, v)) != 0)
			return r;
	}
	return 0;
}

/* Can this viewer take a screen update now? */
static bool
video_ready(const struct master *m, const struct viewer *v)
{
	if (v->lan != NULL && lan_queued(v->lan) > LAN_OUT_HIGH_BYTES)
		return false;   /* its own connection is backed up: like XOFF */
	return v->state == VIEWER_ACTIVE && v->screen.tx.ready && !v->screen.xoff &&
	    (!v->screen.credited ||
	    v->screen.in_flight < quality_in_flight(&v->screen.quality, m->o.fps));
}

static void
video_sent(struct master *m, struct viewer *v)
{
	quality_sent(&v->screen.quality, mono_ms(), v->screen.frame_bytes);
	v->screen.frame_bytes = 0;
	v->screen.last_frame = m->frame_id;
	v->screen.in_sync = true;
	v->screen.in_flight++;
}

/*
 * A viewer that missed updates (no credit, or the relay paused it) gets
 * the tiles that changed since its picture, from the newest picture: so a
 * slow viewer gets fewer, fresher frames and never holds the others back.
 */
static int
catch_up(struct master *m, struct viewer *v, size_t n_tiles, size_t raw_max)
{
	struct video_out vo = { .m = m, .img = &m->prev, .n = 1, .base = v->screen.last_frame,
		.frame = m->frame_id };
	size_t tiles;
	int r;

	vo.slots[0] = v->slot;
	leave_shared(m, v, "catching up");
	/* Its lossy tiles that settled go exact with the rest. */
	lossy_settled(&m->lossy, &v->screen, n_tiles, mono_ms(), v->screen.dirty,
	    MASTER_LOSSY_REFRESH_TILES);
	(void)choose_quality(m, &vo);
	if ((r = codec_encode_tiles(m->enc, &m->prev, v->screen.dirty, raw_max, send_part, &vo,
	    &tiles)) != 0)
		return r;
	lossy_sent(&v->screen, codec_enc_sent(m->enc), n_tiles);
	memset(v->screen.dirty, 0, sizeof(v->screen.dirty));
	if (tiles > 0)
		video_sent(m, v);
	else
		v->screen.in_sync = v->screen.last_frame == m->frame_id;
	return 0;
}

bool
video_wants(const struct master *m)
{
	bool ready = false, behind = false;

	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		const struct viewer *v = &m->v[i];

		/* Credit, XON and a drained connection wake the loop anyway. */
		ready |= video_ready(m, v);
		behind |= v->state == VIEWER_ACTIVE &&
		    (v->screen.need_keyframe || !v->screen.in_sync);
	}
	/* The capture says it changed (the test pattern always has), or
	 * someone waits. */
	return ready && (m->screen_dirty || capture_changes_every_frame(m->cap) || behind ||
	    mono_ms() >= m->lossy.next_ms);
}

uint64_t
video_refresh_ms(const struct master *m)
{
	return m->lossy.next_ms;
}

/*
 * Settled lossy tiles of the viewers that will get this update's diff,
 * into m->refresh (cleared first); returns how many.
 */
static size_t
plan_refresh(struct master *m, size_t n_tiles, uint64_t now)
{
	size_t n = 0;

	memset(m->refresh, 0, n_tiles);
	if (m->lossy.next_ms > now)
		return 0;
	for (unsigned i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (video_ready(m, v) && v->screen.in_sync && !v->screen.need_keyframe)
			n += lossy_settled(&m->lossy, &v->screen, n_tiles, now, m->refresh,
			    MASTER_LOSSY_REFRESH_TILES - n);
	}
	return n;
}

/*
 * Who gets this diff on the shared stream: those on it that miss it leave
 * it; those in step but off it join it when it restarts, which it does at
 * most once per MASTER_SHARED_REJOIN_MS.
 */
static void
plan_shared(struct master *m, const struct video_out *diff, uint64_t now)
{
	bool target[MASTER_SLOTS_MAX + 1] = { false };
	unsigned i, off = 0;

	for (i = 0; i < diff->n; i++)
		target[diff->slots[i]] = true;
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		if (!target[i])
			leave_shared(m, &m->v[i], "missed a frame");
		else
			off += !m->v[i].screen.shared;
	}
	if (!shared_stream_rejoin_due(&m->shared, off, now))
		return;
	shared_stream_restart(&m->shared, now);
	for (i = 0; i < diff->n; i++) {
		struct video_viewer *vv = &m->v[diff->slots[i]].screen;

		vv->shared = true;
		vv->own_restart = true;
	}
	log_debug("shared stream: starts afresh for %u viewers (%u joining); %llu parts so far "
	    "compressed once for several viewers, %llu compressions saved", diff->n, off,
	    (unsigned long long)m->shared.parts_shared, (unsigned long long)m->shared.parts_saved);
}

int
video_update(struct master *m)
{
	struct video_out diff = { .m = m, .img = &m->cur },
	    key = { .m = m, .img = &m->prev, .key = MSG_VIDEO_KEY };
	/* Parts fit the relay's body limit (a direct connection has no relay). */
	size_t body_max = m->o.relay != NULL ? m->link.body_max : WIRE_BODY_DEFAULT_BYTES;
	size_t raw_max = raw_part_max(body_max - SEC_TAG_LEN - 64), tiles = 0, n_tiles;
	bool any = false, need_all = false;
	uint64_t sent_before, now;
	struct codec_vp9 vp9;
	unsigned i, quality;
	int r;

	if (link_queued(&m->link) > MASTER_BACKLOG_MAX_BYTES)
		return 0;       /* nobody to send to, or the relay is behind: skip */
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (!video_ready(m, v))
			continue;
		any = true;
		need_all |= v->screen.need_keyframe || !m->have_prev;
	}
	if (!any || !budget_allows(m, mono_ms()))
		return 0;
	sent_before = m->bytes_sent;
	if ((r = next_picture(m, need_all)) < 0)
		return r;
	now = mono_ms();
	if (r > 0 && m->have_prev && (m->cur.w != m->prev.w || m->cur.h != m->prev.h)) {
		log_info("the shared screen is now %ux%u", m->cur.w, m->cur.h);
		m->have_prev = false;
	}
	n_tiles = (size_t)((m->cur.w + MSG_TILE_LEN - 1) / MSG_TILE_LEN) *
	    ((m->cur.h + MSG_TILE_LEN - 1) / MSG_TILE_LEN);
	if (r > 0 && m->have_prev)
		image_changed(&m->cur, &m->prev, m->hint, m->changed);
	else
		memset(m->changed, 0, n_tiles);
	/* A first picture or a new size is not a picture changing: it goes
	 * exact (a viewer joining a still screen gets it exact at once). */
	if (r > 0 && !m->have_prev) {
		lossy_restart(&m->lossy);
		motion_restart(&m->motion);
	} else if (r > 0)
		lossy_changed(&m->lossy, m->changed, n_tiles, now);
	lossy_plan(&m->lossy, n_tiles, now);
	/* Settled lossy tiles ride along, exact (or make an update of their
	 * own on a still screen): cur equals prev there. */
	if (m->have_prev && plan_refresh(m, n_tiles, now) > 0) {
		log_debug("refresh: lossy tiles settled, sent again exact");
		for (size_t k = 0; k < n_tiles; k++)
			m->changed[k] |= m->refresh[k];
		r = 1;
	}
	if (r > 0) {
		/* A new picture in cur: who gets it as a diff, who falls behind. */
		if (m->have_prev) {
			bool changed = false;

			for (size_t k = 0; k < n_tiles && !changed; k++)
				changed = m->changed[k];
			if (!changed)
				goto send_others;       /* the same picture again */
		}
		for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
			struct viewer *v = &m->v[i];

			if (v->state != VIEWER_ACTIVE)
				continue;
			if (!m->have_prev)
				v->screen.need_keyframe = true; /* new size, first picture */
			if (v->screen.need_keyframe)
				continue;
			if (video_ready(m, v) && v->screen.in_sync) {
				diff.slots[diff.n++] = v->slot;
				continue;
			}
			for (size_t k = 0; k < n_tiles; k++)
				v->screen.dirty[k] |= m->changed[k];
			v->screen.in_sync = false;
		}
		plan_shared(m, &diff, now);
		diff.base = m->frame_id;
		diff.frame = m->frame_id + 1;
		quality = choose_quality(m, &diff);
		/* A region that changes every frame rides along as VP9. */
		codec_enc_vp9(m->enc, diff.n > 0 && motion_frame(&m->motion, &m->cur, m->changed,
		    m->refresh, diff.slots, diff.n, quality, raw_max, now, &vp9) > 0 ? &vp9 : NULL);
		if (diff.n > 0 && (r = codec_encode_diff(m->enc, &m->cur, &m->prev, m->changed,
		    raw_max, send_part, &diff, &tiles)) != 0)
			return r;
		if (diff.n > 0)
			motion_sent(&m->motion, &m->cur, m->changed, m->refresh,
			    codec_enc_sent(m->enc), diff.slots, diff.n, now);
		m->frame_id++;
		if ((r = keep_picture(m)) != 0)
			return r;
		for (i = 0; i < diff.n; i++) {
			video_sent(m, &m->v[diff.slots[i]]);
			lossy_sent(&m->v[diff.slots[i]].screen, codec_enc_sent(m->enc), n_tiles);
		}
		m->frames_sent++;
	}
send_others:
	motion_expire(&m->motion, now);
	/* prev is the newest picture now, frame_id its number. */
	for (i = 1; i <= MASTER_SLOTS_MAX; i++) {
		struct viewer *v = &m->v[i];

		if (!video_ready(m, v))
			continue;
		if (v->screen.need_keyframe) {
			leave_shared(m, v, "key frame");
			key.slots[key.n++] = v->slot;
		} else if (!v->screen.in_sync && (r = catch_up(m, v, n_tiles, raw_max)) != 0)
			return r;
	}
	if (key.n > 0 && m->have_prev) {
		key.frame = m->frame_id;
		(void)choose_quality(m, &key);
		if ((r = codec_encode(m->enc, &m->prev, NULL, raw_max, send_part, &key,
		    &tiles)) != 0)
			return r;
		for (i = 0; i < key.n; i++) {
			struct viewer *v = &m->v[key.slots[i]];

			lossy_forget(&v->screen);
			motion_forget(&m->motion, v->slot);
			lossy_sent(&v->screen, codec_enc_sent(m->enc), n_tiles);
			v->screen.need_keyframe = false;
			memset(v->screen.dirty, 0, sizeof(v->screen.dirty));
			video_sent(m, v);
			if (capture_has_pointer(m->cap) && (r = send_cursor(m, v)) != 0)
				return r;
		}
	}
	lossy_review(&m->lossy, m, n_tiles);
	m->budget_bytes -= (int64_t)(m->bytes_sent - sent_before);
	return 0;
}

/* UPDATE_REQ: the viewer showed a frame (one more credit), or asks for a
 * key frame. */
int
video_take_update_req(void *master, void *viewer, const struct msg *msg)
{
	struct viewer *v = viewer;

	(void)master;
	if (msg->u.update_full) {
		v->screen.need_keyframe = true;
		quality_reset(&v->screen.quality);
	} else {
		struct quality *q = &v->screen.quality;

		if (quality_acked(q, mono_ms()))
			log_debug("viewer slot %u: JPEG quality %u (frames %u ms beyond the link's "
			    "%u ms; %u kbit/s delivered)", v->slot, q->now, q->lag_ms, q->base_ms,
			    q->kbps);
		v->screen.credited = true;
		if (v->screen.in_flight > 0)
			v->screen.in_flight--;
	}
	return 0;
}

void
video_viewer_start(struct video_viewer *vv, unsigned quality)
{
	quality_init(&vv->quality, quality);
	vv->shared = false;
	vv->own_restart = false;
	vv->need_keyframe = true;
	vv->need_cursor_shape = true;
	vv->in_flight = 0;
}

void
video_viewer_pause(struct video_viewer *vv, bool on)
{
	/* Paused viewers fall behind and catch up later from their dirty
	 * tiles: the relay drops nothing, so their picture is known. */
	vv->xoff = on;
}

void
video_viewer_pointer(struct video_viewer *vv, int x, int y)
{
	vv->put_pointer = true;
	vv->put_x = x;
	vv->put_y = y;
}

void
video_viewer_free(struct video_viewer *vv)
{
	sec_tx_clear(&vv->tx);
	zs_enc_free(vv->zs);
	vv->zs = NULL;
	vv->shared = false;
	vv->own_restart = false;
}
