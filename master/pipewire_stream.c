/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipewire_stream.c - the PipeWire consumer behind Wayland capture
 * (pipewire_stream.h).
 *
 * Two threads touch the stream: PipeWire's loop thread runs on_process()
 * and the format and state callbacks; the master's thread polls, grabs
 * and reads the cursor. What they share (the picture, its damage, the
 * cursor, the error) is behind `lock`; the loop thread holds it only to
 * copy one frame.
 *
 * The picture is double-buffered, so each frame is copied once, by the
 * loop thread: `px` is touched under the lock only, the image of the
 * last grab belongs to the master's thread. A grab that finds a new
 * frame in px swaps the two buffers under the lock, taking the damage
 * since the grab before with it; the loop thread then overwrites the
 * buffer handed back whole with the next frame.
 *
 * Everything a buffer says about itself (its size, stride, offset,
 * chunk, metadata sizes and offsets) comes from another process and is
 * checked against the mapped size before a byte is read
 * (pipewire_meta.c, fuzzed by tests/fuzz/fuzz_pipewire.c).
 *
 * Shared memory is asked for first; a DMA-BUF in the linear layout is
 * the second choice, for a compositor that offers nothing else. Such a
 * buffer is mapped here (PipeWire maps only MemFd), once when it is
 * added, after its size was checked against what the buffer claims, and
 * read by the processor between DMA_BUF_IOCTL_SYNC start and end. On a
 * GPU's memory that read is slower than from shared memory (the mapping
 * is uncached there); a tiled layout would need the GPU itself to read,
 * so it is never asked for.
 */
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/dma-buf.h>

#include <pipewire/pipewire.h>
#include <spa/buffer/meta.h>
#include <spa/utils/result.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>

#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "pipewire_meta.h"
#include "pipewire_stream.h"

/* DRM_FORMAT_MOD_LINEAR (drm_fourcc.h): rows one after the other, as in
 * shared memory; the one DMA-BUF layout the processor can read. */
#define MODIFIER_LINEAR 0ULL

/* A DMA-BUF buffer mapped for reading (pw_buffer's user_data). */
struct dmabuf_map {
	void *base;
	size_t len;
};

struct pipewire_stream {
	struct pw_thread_loop *loop;
	struct pw_context *context;
	struct pw_core *core;
	struct spa_hook core_listener;
	struct pw_stream *stream;
	struct spa_hook stream_listener;
	int wake_fd;                    /* eventfd: the master's loop polls it */

	/* Written by the loop thread only (no lock needed there). */
	uint32_t format;                /* SPA_VIDEO_FORMAT_* of the frames */
	bool dmabuf;                    /* the format has a modifier: DMA-BUF frames */
	int fmt_w, fmt_h;               /* their size, from the format */

	pthread_mutex_t lock;           /* guards everything below */
	uint32_t *px;                   /* w x h, 0x00RRGGBB: the newest frame when fresh */
	int w, h;
	bool have_frame;                /* a frame arrived at this size */
	bool fresh;                     /* px holds a frame no grab has taken yet */
	bool new_frame;                 /* since the last poll */
	bool full;                      /* the next grab reports every tile */
	uint8_t damage[MSG_TILES_MAX];  /* tiles changed since the last grab */
	bool saw_damage_meta;
	struct pipewire_cursor cursor;  /* moved: since the last poll */
	bool failed;
	char error[256];
	char data_type[16];             /* "MemFd", "MemPtr", "DmaBuf" */
	char method[96];
	unsigned sweep;                 /* the tile row reported with the next grab */
};

static void
wake(struct pipewire_stream *s)
{
	uint64_t one = 1;

	/* Full only after 2^64-1 unread wakes: nothing to do then. */
	if (write(s->wake_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_debug("pipewire: eventfd: %s", strerror(errno));
}

/* Record the first failure for the master's thread (with lock held). */
static void
fail_locked(struct pipewire_stream *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
fail_locked(struct pipewire_stream *s, const char *fmt, ...)
{
	va_list ap;

	if (s->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	s->failed = true;
}

/* ---- the loop thread ---- */

static void
on_core_error(void *data, uint32_t id, int seq, int res, const char *message)
{
	struct pipewire_stream *s = data;

	(void)seq;
	if (id != PW_ID_CORE)
		return;
	pthread_mutex_lock(&s->lock);
	fail_locked(s, _("the connection to PipeWire failed: %s (%s)"),
	    message != NULL ? message : "", spa_strerror(res));
	pthread_mutex_unlock(&s->lock);
	wake(s);
}

static const struct pw_core_events core_events = {
	PW_VERSION_CORE_EVENTS,
	.error = on_core_error,
};

static void
on_state_changed(void *data, enum pw_stream_state old, enum pw_stream_state state,
    const char *error)
{
	struct pipewire_stream *s = data;

	(void)old;
	log_debug("pipewire: stream %s", pw_stream_state_as_string(state));
	if (state != PW_STREAM_STATE_ERROR && state != PW_STREAM_STATE_UNCONNECTED)
		return;
	pthread_mutex_lock(&s->lock);
	if (state == PW_STREAM_STATE_ERROR)
		/* A compositor that offers a DMA-BUF layout other than the
		 * linear one, and no shared memory, ends up here: no format in
		 * common. */
		fail_locked(s, _("the screen cast stream failed: %s (frames are read in "
		    "shared memory or as linear DMA-BUF; does the compositor offer neither?)"),
		    error != NULL ? error : "?");
	else
		fail_locked(s, "%s", _("the screen cast stream ended"));
	pthread_mutex_unlock(&s->lock);
	wake(s);
}

/* Buffers, their data types and the metadata asked for, once the
 * format is fixed. */
static void
set_buffer_params(struct pipewire_stream *s)
{
	uint8_t space[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(space, sizeof(space));
	const struct spa_pod *params[4];
	/* Sizes as ranges the compositor's fixed size falls in (Mutter 43
	 * offers room for a 384x384 cursor); larger shapes are cropped. */
	int cursor_meta = (int)(sizeof(struct spa_meta_cursor) + sizeof(struct spa_meta_bitmap) +
	    CAPTURE_CURSOR_DIM_MAX * CAPTURE_CURSOR_DIM_MAX * 4);
	int cursor_meta_max = (int)(sizeof(struct spa_meta_cursor) +
	    sizeof(struct spa_meta_bitmap) + CAPTURE_CURSOR_META_DIM_MAX *
	    CAPTURE_CURSOR_META_DIM_MAX * 4);
	int n = 0;

	params[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamBuffers,
	    SPA_PARAM_Buffers,
	    SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int(4, 2, 16),
	    SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(1),
	    SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int(s->dmabuf ?
		1 << SPA_DATA_DmaBuf : (1 << SPA_DATA_MemFd) | (1 << SPA_DATA_MemPtr)));
	params[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
	    SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Header),
	    SPA_PARAM_META_size, SPA_POD_Int(sizeof(struct spa_meta_header)));
	params[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
	    SPA_PARAM_META_type, SPA_POD_Id(SPA_META_VideoDamage),
	    SPA_PARAM_META_size, SPA_POD_CHOICE_RANGE_Int(
		(int)sizeof(struct spa_meta_region) * CAPTURE_DAMAGE_RECTS_MAX,
		(int)sizeof(struct spa_meta_region) * 1,
		(int)sizeof(struct spa_meta_region) * CAPTURE_DAMAGE_RECTS_OFFER_MAX));
	params[n++] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamMeta, SPA_PARAM_Meta,
	    SPA_PARAM_META_type, SPA_POD_Id(SPA_META_Cursor),
	    SPA_PARAM_META_size, SPA_POD_CHOICE_RANGE_Int(cursor_meta,
		(int)sizeof(struct spa_meta_cursor), cursor_meta_max));
	pw_stream_update_params(s->stream, params, (uint32_t)n);
	log_debug("pipewire: asked for %d buffers with damage and cursor metadata", n);
}

static void
on_param_changed(void *data, uint32_t id, const struct spa_pod *param)
{
	struct pipewire_stream *s = data;
	struct spa_video_info_raw raw;
	uint32_t *px = NULL;

	if (id != SPA_PARAM_Format || param == NULL)
		return;
	memset(&raw, 0, sizeof(raw));
	if (spa_format_video_raw_parse(param, &raw) < 0)
		return;
	if (raw.size.width == 0 || raw.size.height == 0 || raw.size.width > MSG_DIM_MAX ||
	    raw.size.height > MSG_DIM_MAX) {
		pthread_mutex_lock(&s->lock);
		fail_locked(s, _("the screen cast is %ux%u; at most %dx%d is supported"),
		    raw.size.width, raw.size.height, MSG_DIM_MAX, MSG_DIM_MAX);
		pthread_mutex_unlock(&s->lock);
		wake(s);
		return;
	}
	s->dmabuf = (raw.flags & SPA_VIDEO_FLAG_MODIFIER) != 0;
	if (s->dmabuf && raw.modifier != MODIFIER_LINEAR) {
		/* Only the linear one was offered; a producer that picks
		 * another anyway gets no frames read. */
		pthread_mutex_lock(&s->lock);
		fail_locked(s, _("the compositor sends DMA-BUF frames in a layout only a GPU "
		    "can read (modifier 0x%llx); only the linear one can be read"),
		    (unsigned long long)raw.modifier);
		pthread_mutex_unlock(&s->lock);
		wake(s);
		return;
	}
	s->format = raw.format;
	s->fmt_w = (int)raw.size.width;
	s->fmt_h = (int)raw.size.height;
	log_info("pipewire: %dx%d, format %u%s", s->fmt_w, s->fmt_h, raw.format,
	    s->dmabuf ? ", linear DMA-BUF" : "");
	pthread_mutex_lock(&s->lock);
	if (s->w != s->fmt_w || s->h != s->fmt_h) {
		px = calloc((size_t)s->fmt_w * (size_t)s->fmt_h, sizeof(*px));
		if (px == NULL) {
			fail_locked(s, "out of memory for a %dx%d picture", s->fmt_w, s->fmt_h);
		} else {
			free(s->px);
			s->px = px;
			s->w = s->fmt_w;
			s->h = s->fmt_h;
			s->have_frame = false;
			s->fresh = false;
			s->full = true;
		}
	}
	pthread_mutex_unlock(&s->lock);
	set_buffer_params(s);
}

/* A DMA-BUF buffer: map all of it for reading, once. Its real size is
 * asked of the kernel (fstat, or for a DMA-BUF that reports none, lseek
 * to the end), not taken from the buffer's description: reading past the
 * end of a mapping kills the process. */
static void
on_add_buffer(void *data, struct pw_buffer *pb)
{
	struct pipewire_stream *s = data;
	struct spa_data *d;
	struct dmabuf_map *m;
	uint64_t len;
	struct stat st;
	off_t size;
	void *base;
	bool failed;
	int err = 0;

	if (pb->buffer->n_datas < 1 || pb->buffer->datas[0].type != SPA_DATA_DmaBuf)
		return;
	d = &pb->buffer->datas[0];
	len = (uint64_t)d->mapoffset + d->maxsize;
	/* fstat first: lseek would move the file offset the producer shares */
	if (fstat((int)d->fd, &st) == 0 && st.st_size > 0)
		size = st.st_size;
	else if ((size = lseek((int)d->fd, 0, SEEK_END)) < 0)
		err = errno;
	pthread_mutex_lock(&s->lock);
	if (size < 0) {
		fail_locked(s, _("cannot read the compositor's DMA-BUF frames: %s"),
		    strerror(err));
	} else if (d->maxsize == 0) {
		fail_locked(s, "%s", _("the compositor's DMA-BUF buffer is empty"));
	} else if ((uint64_t)size < len) {
		fail_locked(s, _("the compositor's DMA-BUF buffer holds %lld bytes, not the "
		    "%llu it claims"), (long long)size, (unsigned long long)len);
	} else if ((base = mmap(NULL, len, PROT_READ, MAP_SHARED, (int)d->fd, 0)) == MAP_FAILED) {
		fail_locked(s, _("cannot read the compositor's DMA-BUF frames: %s"),
		    strerror(errno));
	} else if ((m = malloc(sizeof(*m))) == NULL) {
		munmap(base, len);
		fail_locked(s, "%s", _("out of memory"));
	} else {
		m->base = base;
		m->len = len;
		pb->user_data = m;
	}
	failed = s->failed;
	pthread_mutex_unlock(&s->lock);
	if (failed)
		wake(s);
}

static void
on_remove_buffer(void *data, struct pw_buffer *pb)
{
	struct dmabuf_map *m = pb->user_data;

	(void)data;
	if (m == NULL)
		return;
	munmap(m->base, m->len);
	free(m);
	pb->user_data = NULL;
}

/* Tell the kernel the processor starts (DMA_BUF_SYNC_START) or ends
 * reading a DMA-BUF, so that caches and the GPU's writes agree. A file
 * that is not a DMA-BUF (ENOTTY: ordinary memory handed over as one) has
 * nothing to agree on. */
static bool
dmabuf_sync(int fd, uint64_t flags)
{
	struct dma_buf_sync sync = { .flags = flags | DMA_BUF_SYNC_READ };
	int r;

	do
		r = ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync);
	while (r < 0 && (errno == EINTR || errno == EAGAIN));
	return r == 0 || errno == ENOTTY;
}

/* Copy the picture of one buffer; false when it holds none that can be
 * read (a cursor-only buffer, a corrupted one, a short one). */
static bool
copy_frame(struct pipewire_stream *s, struct pw_buffer *pb)
{
	struct spa_buffer *b = pb->buffer;
	struct spa_data *d = &b->datas[0];
	struct dmabuf_map *m = pb->user_data;
	struct spa_meta_header *hd;
	const uint8_t *base;
	uint64_t stride, offset;
	bool dmabuf;

	if (b->n_datas < 1 || d->chunk == NULL || s->px == NULL)
		return false;
	dmabuf = d->type == SPA_DATA_DmaBuf;
	if (!dmabuf && d->type != SPA_DATA_MemFd && d->type != SPA_DATA_MemPtr) {
		fail_locked(s, _("the compositor sends frames in memory of type %u, which "
		    "cannot be read"), d->type);
		return false;
	}
	base = dmabuf ? (m != NULL ? (const uint8_t *)m->base + d->mapoffset : NULL) : d->data;
	if (base == NULL)
		return false;
	hd = spa_buffer_find_meta_data(b, SPA_META_Header, sizeof(*hd));
	if (hd != NULL && (hd->flags & SPA_META_HEADER_FLAG_CORRUPTED))
		return false;
	if ((d->chunk->flags & SPA_CHUNK_FLAG_CORRUPTED) || d->chunk->size == 0)
		return false;
	/* The frame's size is the format's; the chunk must hold all of it. */
	if (s->fmt_w != s->w || s->fmt_h != s->h)
		return false;
	if (!pipewire_frame_place(d->chunk, d->maxsize, s->w, s->h, &offset, &stride)) {
		static struct log_rl rl;
		log_rl(&rl, LOG_WARN, "pipewire: a short frame (stride %d, offset %u, size %u, "
		    "max %u) for %dx%d: skipped", d->chunk->stride, d->chunk->offset,
		    d->chunk->size, d->maxsize, s->w, s->h);
		return false;
	}
	snprintf(s->data_type, sizeof(s->data_type), "%s",
	    dmabuf ? "DmaBuf" : d->type == SPA_DATA_MemFd ? "MemFd" : "MemPtr");
	if (dmabuf && !dmabuf_sync((int)d->fd, DMA_BUF_SYNC_START)) {
		static struct log_rl rl;
		log_rl(&rl, LOG_WARN, "pipewire: a DMA-BUF frame cannot be read now (%s): "
		    "skipped", strerror(errno));
		return false;
	}
	pipewire_frame_convert(base + offset, stride, s->format, s->w, s->h, s->px);
	if (dmabuf && !dmabuf_sync((int)d->fd, DMA_BUF_SYNC_END))
		log_debug("pipewire: DMA-BUF sync end: %s", strerror(errno));
	return true;
}

static void
on_process(void *data)
{
	struct pipewire_stream *s = data;
	struct pw_buffer *pb, *newest = NULL;
	bool changed = false, damaged = true;

	/* Copy only the newest buffer that holds a picture (older ones are
	 * given back unread: a copy costs most where it is read from graphics
	 * memory); the damage of the older ones counts too (each buffer is a
	 * whole picture, its damage is against the one before), and a buffer
	 * without a picture (Mutter sends the cursor alone) is not newer. */
	pthread_mutex_lock(&s->lock);
	while ((pb = pw_stream_dequeue_buffer(s->stream)) != NULL) {
		bool picture = pb->buffer->n_datas > 0 && pb->buffer->datas[0].chunk != NULL &&
		    pb->buffer->datas[0].chunk->size > 0;

		if (picture && !pipewire_meta_damage(pb->buffer, s->w, s->h, s->damage,
		    &s->saw_damage_meta))
			damaged = false;
		pipewire_meta_cursor(pb->buffer, &s->cursor);
		if (!picture) {
			pw_stream_queue_buffer(s->stream, pb);
			continue;
		}
		if (newest != NULL)
			pw_stream_queue_buffer(s->stream, newest);
		newest = pb;
	}
	if (newest != NULL) {
		if (copy_frame(s, newest))
			changed = true;
		pw_stream_queue_buffer(s->stream, newest);
	}
	if (changed) {
		if (!damaged || !s->have_frame)
			s->full = true;
		s->have_frame = true;
		s->fresh = true;
		s->new_frame = true;
	}
	changed = changed || s->cursor.moved || s->cursor.shape_new || s->failed;
	pthread_mutex_unlock(&s->lock);
	if (changed)
		wake(s);
}

static const struct pw_stream_events stream_events = {
	PW_VERSION_STREAM_EVENTS,
	.state_changed = on_state_changed,
	.param_changed = on_param_changed,
	.process = on_process,
	.add_buffer = on_add_buffer,
	.remove_buffer = on_remove_buffer,
};

/* ---- the master's thread ---- */

/* The formats asked for: 32-bit, any size up to MSG_DIM_MAX; with
 * `linear`, as DMA-BUF in the linear layout (a mandatory modifier),
 * without, in shared memory (no modifier). */
static const struct spa_pod *
format_param(struct spa_pod_builder *b, bool linear)
{
	struct spa_pod_frame f;

	spa_pod_builder_push_object(b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
	if (linear) {
		spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
		spa_pod_builder_long(b, (int64_t)MODIFIER_LINEAR);
	}
	spa_pod_builder_add(b,
	    SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video),
	    SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw),
	    SPA_FORMAT_VIDEO_format, SPA_POD_CHOICE_ENUM_Id(5, SPA_VIDEO_FORMAT_BGRx,
		SPA_VIDEO_FORMAT_BGRx, SPA_VIDEO_FORMAT_BGRA, SPA_VIDEO_FORMAT_RGBx,
		SPA_VIDEO_FORMAT_RGBA),
	    SPA_FORMAT_VIDEO_size, SPA_POD_CHOICE_RANGE_Rectangle(
		&SPA_RECTANGLE(1280, 720), &SPA_RECTANGLE(1, 1),
		&SPA_RECTANGLE(MSG_DIM_MAX, MSG_DIM_MAX)),
	    SPA_FORMAT_VIDEO_framerate, SPA_POD_CHOICE_RANGE_Fraction(
		&SPA_FRACTION(30, 1), &SPA_FRACTION(0, 1), &SPA_FRACTION(240, 1)), 0);
	return spa_pod_builder_pop(b, &f);
}

struct pipewire_stream *
pipewire_stream_open(int pw_fd, uint32_t node, char *why, size_t why_len)
{
	struct pipewire_stream *s;
	uint8_t space[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(space, sizeof(space));
	const struct spa_pod *params[2];
	int r;

	pw_init(NULL, NULL);
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		if (pw_fd >= 0)
			close(pw_fd);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->cursor.x = s->cursor.y = -1;
	s->wake_fd = -1;
	if ((s->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (s->loop = pw_thread_loop_new("fernsicht-pw", NULL)) == NULL ||
	    (s->context = pw_context_new(pw_thread_loop_get_loop(s->loop), NULL, 0)) == NULL) {
		snprintf(why, why_len, "cannot set up PipeWire: %s", strerror(errno));
		if (pw_fd >= 0)
			close(pw_fd);
		pipewire_stream_close(s);
		return NULL;
	}
	if (pw_thread_loop_start(s->loop) < 0) {
		snprintf(why, why_len, "cannot start PipeWire's thread: %s", strerror(errno));
		if (pw_fd >= 0)
			close(pw_fd);
		pipewire_stream_close(s);
		return NULL;
	}
	pw_thread_loop_lock(s->loop);
	s->core = pw_fd >= 0 ? pw_context_connect_fd(s->context, pw_fd, NULL, 0) :
	    pw_context_connect(s->context, NULL, 0);
	if (s->core == NULL) {
		snprintf(why, why_len, _("cannot connect to PipeWire: %s (is pipewire running "
		    "in this session?)"), strerror(errno));
		pw_thread_loop_unlock(s->loop);
		pipewire_stream_close(s);
		return NULL;
	}
	pw_core_add_listener(s->core, &s->core_listener, &core_events, s);
	s->stream = pw_stream_new(s->core, "fernsicht-master", pw_properties_new(
	    PW_KEY_MEDIA_TYPE, "Video", PW_KEY_MEDIA_CATEGORY, "Capture",
	    PW_KEY_MEDIA_ROLE, "Screen", NULL));
	if (s->stream == NULL) {
		snprintf(why, why_len, "cannot make a PipeWire stream: %s", strerror(errno));
		pw_thread_loop_unlock(s->loop);
		pipewire_stream_close(s);
		return NULL;
	}
	pw_stream_add_listener(s->stream, &s->stream_listener, &stream_events, s);
	/* Shared memory first: where the compositor offers it, it does the
	 * GPU's read itself, better than the processor reading graphics memory
	 * through an uncached mapping. */
	params[0] = format_param(&b, false);
	params[1] = format_param(&b, true);
	r = pw_stream_connect(s->stream, PW_DIRECTION_INPUT, node,
	    PW_STREAM_FLAG_AUTOCONNECT | PW_STREAM_FLAG_MAP_BUFFERS, params, 2);
	pw_thread_loop_unlock(s->loop);
	if (r < 0) {
		snprintf(why, why_len, _("cannot connect to the screen cast's PipeWire node %u: "
		    "%s"), node, spa_strerror(r));
		pipewire_stream_close(s);
		return NULL;
	}
	return s;
}

void
pipewire_stream_close(struct pipewire_stream *s)
{
	if (s == NULL)
		return;
	if (s->loop != NULL)
		pw_thread_loop_stop(s->loop);
	if (s->stream != NULL)
		pw_stream_destroy(s->stream);
	if (s->core != NULL)
		pw_core_disconnect(s->core);
	if (s->context != NULL)
		pw_context_destroy(s->context);
	if (s->loop != NULL)
		pw_thread_loop_destroy(s->loop);
	if (s->wake_fd >= 0)
		close(s->wake_fd);
	pthread_mutex_destroy(&s->lock);
	free(s->px);
	free(s);
}

int
pipewire_stream_fd(const struct pipewire_stream *s)
{
	return s->wake_fd;
}

int
pipewire_stream_poll(struct pipewire_stream *s, bool *frame, bool *cursor, char *why,
    size_t why_len)
{
	uint64_t n;
	int r = 0;

	if (read(s->wake_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_debug("pipewire: eventfd: %s", strerror(errno));
	pthread_mutex_lock(&s->lock);
	*frame = s->new_frame;
	*cursor = s->cursor.moved || s->cursor.shape_new;
	s->new_frame = false;
	if (s->failed) {
		snprintf(why, why_len, "%s", s->error);
		r = ERR_CLOSED;
	}
	pthread_mutex_unlock(&s->lock);
	return r;
}

bool
pipewire_stream_ready(struct pipewire_stream *s)
{
	bool ready;

	pthread_mutex_lock(&s->lock);
	ready = s->have_frame;
	pthread_mutex_unlock(&s->lock);
	return ready;
}

void
pipewire_stream_nudge(struct pipewire_stream *s)
{
	pw_thread_loop_lock(s->loop);
	pw_stream_set_active(s->stream, false);
	pw_stream_set_active(s->stream, true);
	pw_thread_loop_unlock(s->loop);
}

void
pipewire_stream_size(struct pipewire_stream *s, int *w, int *h)
{
	pthread_mutex_lock(&s->lock);
	*w = s->w;
	*h = s->h;
	pthread_mutex_unlock(&s->lock);
}

int
pipewire_stream_grab(struct pipewire_stream *s, struct image *img, uint8_t *hint, char *why,
    size_t why_len)
{
	int tiles_x, tiles_y;

	pthread_mutex_lock(&s->lock);
	if (s->failed) {
		snprintf(why, why_len, "%s", s->error);
		pthread_mutex_unlock(&s->lock);
		return ERR_CLOSED;
	}
	/* Before the first frame the picture is black (a compositor that
	 * sends frames only on change sends none while the screen is
	 * still); the first frame then counts as damage everywhere. */
	if (s->px == NULL) {
		snprintf(why, why_len, "%s", _("no picture from the screen cast yet"));
		pthread_mutex_unlock(&s->lock);
		return ERR_SYSTEM;
	}
	if (img->px == NULL || img->w != s->w || img->h != s->h) {
		image_free(img);
		if (image_init(img, (uint16_t)s->w, (uint16_t)s->h) != 0) {
			snprintf(why, why_len, "no memory for a %dx%d picture", s->w, s->h);
			pthread_mutex_unlock(&s->lock);
			return ERR_SYSTEM;
		}
		s->full = true;
	}
	tiles_x = (s->w + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	tiles_y = (s->h + MSG_TILE_LEN - 1) / MSG_TILE_LEN;
	if (s->full) {
		memset(hint, 1, (size_t)tiles_x * tiles_y);
	} else {
		memcpy(hint, s->damage, (size_t)tiles_x * tiles_y);
		/* Damage is a hint: one more tile row in turn is compared whole
		 * with every grab, as the X11 capture does. */
		s->sweep = s->sweep >= (unsigned)tiles_y ? 0 : s->sweep;
		memset(hint + (size_t)s->sweep++ * tiles_x, 1, (size_t)tiles_x);
	}
	if (s->fresh) {
		/* img gets the frame, px the picture img held: the loop thread
		 * overwrites all of it with the next frame. */
		uint32_t *px = img->px;

		img->px = s->px;
		s->px = px;
		s->fresh = false;
	} else if (!s->have_frame) {
		memset(img->px, 0, (size_t)s->w * s->h * sizeof(*img->px));
	}
	/* else img holds the newest frame already (from the grab before). */
	memset(s->damage, 0, sizeof(s->damage));
	s->full = false;
	pthread_mutex_unlock(&s->lock);
	return 0;
}

void
pipewire_stream_cursor(struct pipewire_stream *s, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur)
{
	pthread_mutex_lock(&s->lock);
	*x = s->cursor.x;
	*y = s->cursor.y;
	s->cursor.moved = false;
	*shape_changed = s->cursor.shape_new;
	if (s->cursor.shape_new) {
		const struct capture_cursor *shape = &s->cursor.shape;

		cur->w = shape->w;
		cur->h = shape->h;
		cur->hot_x = shape->hot_x;
		cur->hot_y = shape->hot_y;
		memcpy(cur->argb, shape->argb, (size_t)shape->w * shape->h * 4);
		s->cursor.shape_new = false;
	}
	pthread_mutex_unlock(&s->lock);
}

const char *
pipewire_stream_method(struct pipewire_stream *s)
{
	pthread_mutex_lock(&s->lock);
	snprintf(s->method, sizeof(s->method), "PipeWire %s %dx%d%s%s",
	    s->data_type[0] != '\0' ? s->data_type : "shm", s->w, s->h,
	    s->saw_damage_meta ? "+damage" : "", s->cursor.saw ? "+cursor" : "");
	pthread_mutex_unlock(&s->lock);
	return s->method;
}
