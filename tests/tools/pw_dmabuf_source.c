/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pw_dmabuf_source - a PipeWire video source that offers its frames as
 * DMA-BUF, for t_pipewire_dmabuf: a stand-in for a compositor that insists
 * on DMA-BUF (a mock, named so). No GPU and no udmabuf here, so the
 * "DMA-BUF" is a memfd handed over as SPA_DATA_DmaBuf: a linear DMA-BUF
 * maps and reads the same way, and the kernel's DMA_BUF_IOCTL_SYNC answers
 * ENOTTY for it.
 *
 *   pw_dmabuf_source MODE W H EXPECT.ppm
 *
 * MODE:
 *   linear   DMA-BUF, linear layout only (modifier 0); a stride with 64
 *            bytes of padding, the picture 4096 bytes into the file
 *            (mapoffset) and 256 bytes into that (the chunk's offset)
 *   both     linear DMA-BUF offered first, shared memory (MemFd) second
 *   tiled    DMA-BUF in a layout only a GPU reads (Intel's X-tiled modifier)
 *   short    linear DMA-BUF whose file is smaller than the buffer claims
 *   nomap    linear DMA-BUF whose descriptor cannot be mapped for reading
 *            (opened write-only)
 *
 * Prints "node N" once the stream has its node, "format dmabuf|shm" when
 * the format is settled, "frame N" for each frame sent (ten a second);
 * EXPECT.ppm gets the picture every frame shows: BGRx with red = x,
 * green = y, blue = x ^ y (each & 255). Runs until killed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <pipewire/pipewire.h>
#include <spa/param/video/format-utils.h>
#include <spa/pod/builder.h>

enum {
	PAD = 64,               /* bytes after each row */
	MAP_OFFSET = 4096,      /* where the buffer starts in its file */
	CHUNK_OFFSET = 256,     /* where the picture starts in the buffer */
	FRAME_MS = 100,
};

#define MODIFIER_LINEAR 0ULL
/* I915_FORMAT_MOD_X_TILED (drm_fourcc.h): vendor Intel (1) << 56 | 1 */
#define MODIFIER_X_TILED ((1ULL << 56) | 1ULL)

static struct {
	const char *mode;
	int w, h;
	const char *expect;
	struct pw_main_loop *loop;
	struct pw_stream *stream;
	struct spa_source *timer;
	bool dmabuf;            /* the settled format has a modifier */
	bool told_node;
	unsigned frames;
} src;

static uint32_t
stride(void)
{
	return (uint32_t)src.w * 4 + PAD;
}

static uint32_t
buffer_size(void)
{
	return CHUNK_OFFSET + stride() * (uint32_t)src.h;
}

static void
paint(uint8_t *p)
{
	for (int y = 0; y < src.h; y++)
		for (int x = 0; x < src.w; x++) {
			uint8_t *q = p + (size_t)y * stride() + (size_t)x * 4;

			q[0] = (uint8_t)(x ^ y);        /* BGRx */
			q[1] = (uint8_t)y;
			q[2] = (uint8_t)x;
			q[3] = 0xFF;
		}
}

static void
write_expect(void)
{
	FILE *f = fopen(src.expect, "wb");

	if (f == NULL) {
		perror(src.expect);
		exit(1);
	}
	fprintf(f, "P6\n%d %d\n255\n", src.w, src.h);
	for (int y = 0; y < src.h; y++)
		for (int x = 0; x < src.w; x++) {
			putc(x & 0xFF, f);
			putc(y & 0xFF, f);
			putc((x ^ y) & 0xFF, f);
		}
	fclose(f);
}

static void
on_state_changed(void *data, enum pw_stream_state old, enum pw_stream_state state,
    const char *error)
{
	(void)data;
	(void)old;
	if (state == PW_STREAM_STATE_ERROR)
		printf("error %s\n", error != NULL ? error : "?");
	if (!src.told_node && pw_stream_get_node_id(src.stream) != SPA_ID_INVALID) {
		printf("node %u\n", pw_stream_get_node_id(src.stream));
		src.told_node = true;
	}
	if (state == PW_STREAM_STATE_STREAMING)
		pw_loop_update_timer(pw_main_loop_get_loop(src.loop), src.timer,
		    &(struct timespec){ 0, 1000000 }, &(struct timespec){ 0, FRAME_MS * 1000000L },
		    false);
}

static void
on_param_changed(void *data, uint32_t id, const struct spa_pod *param)
{
	uint8_t space[512];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(space, sizeof(space));
	struct spa_video_info_raw raw = { 0 };
	const struct spa_pod *params[1];

	(void)data;
	if (id != SPA_PARAM_Format || param == NULL || spa_format_video_raw_parse(param, &raw) < 0)
		return;
	src.dmabuf = (raw.flags & SPA_VIDEO_FLAG_MODIFIER) != 0;
	printf("format %s\n", src.dmabuf ? "dmabuf" : "shm");
	params[0] = spa_pod_builder_add_object(&b, SPA_TYPE_OBJECT_ParamBuffers,
	    SPA_PARAM_Buffers,
	    SPA_PARAM_BUFFERS_buffers, SPA_POD_CHOICE_RANGE_Int(4, 2, 8),
	    SPA_PARAM_BUFFERS_blocks, SPA_POD_Int(1),
	    SPA_PARAM_BUFFERS_size, SPA_POD_Int((int)buffer_size()),
	    SPA_PARAM_BUFFERS_stride, SPA_POD_Int((int)stride()),
	    SPA_PARAM_BUFFERS_dataType, SPA_POD_CHOICE_FLAGS_Int(1 << (src.dmabuf ?
		SPA_DATA_DmaBuf : SPA_DATA_MemFd)));
	pw_stream_update_params(src.stream, params, 1);
}

/* Each buffer a memfd of its own, painted once: every frame is the same
 * picture. */
static void
on_add_buffer(void *data, struct pw_buffer *pb)
{
	struct spa_data *d = &pb->buffer->datas[0];
	uint32_t size = buffer_size();
	bool short_file = strcmp(src.mode, "short") == 0;
	uint64_t file = (src.dmabuf ? MAP_OFFSET : 0) + (uint64_t)size;
	int fd = memfd_create("pw_dmabuf_source", MFD_CLOEXEC);
	uint8_t *p;

	(void)data;
	if (fd < 0 || ftruncate(fd, (off_t)(short_file ? file / 2 : file)) < 0) {
		perror("memfd");
		exit(1);
	}
	p = mmap(NULL, (size_t)(short_file ? file / 2 : file), PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	if (!short_file)
		paint(p + (src.dmabuf ? MAP_OFFSET : 0) + CHUNK_OFFSET);
	munmap(p, (size_t)(short_file ? file / 2 : file));
	if (src.dmabuf && strcmp(src.mode, "nomap") == 0) {
		char path[64];
		int wfd;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if ((wfd = open(path, O_WRONLY | O_CLOEXEC)) < 0) {
			perror(path);
			exit(1);
		}
		close(fd);
		fd = wfd;
	}
	d->type = src.dmabuf ? SPA_DATA_DmaBuf : SPA_DATA_MemFd;
	d->flags = SPA_DATA_FLAG_READABLE;
	d->fd = fd;
	d->mapoffset = src.dmabuf ? MAP_OFFSET : 0;
	d->maxsize = size;
	d->data = NULL;
}

static void
on_remove_buffer(void *data, struct pw_buffer *pb)
{
	(void)data;
	close((int)pb->buffer->datas[0].fd);
}

static void
on_timer(void *data, uint64_t expirations)
{
	struct pw_buffer *pb;
	struct spa_data *d;

	(void)data;
	(void)expirations;
	if ((pb = pw_stream_dequeue_buffer(src.stream)) == NULL)
		return;
	d = &pb->buffer->datas[0];
	d->chunk->offset = CHUNK_OFFSET;
	d->chunk->stride = (int32_t)stride();
	d->chunk->size = buffer_size() - CHUNK_OFFSET;
	d->chunk->flags = 0;
	pw_stream_queue_buffer(src.stream, pb);
	printf("frame %u\n", ++src.frames);
}

static const struct pw_stream_events events = {
	PW_VERSION_STREAM_EVENTS,
	.state_changed = on_state_changed,
	.param_changed = on_param_changed,
	.add_buffer = on_add_buffer,
	.remove_buffer = on_remove_buffer,
};

/* One EnumFormat: BGRx at the fixed size, with a mandatory modifier
 * (DMA-BUF) or without (shared memory). */
static const struct spa_pod *
format(struct spa_pod_builder *b, bool with_modifier, uint64_t modifier)
{
	struct spa_pod_frame f;

	spa_pod_builder_push_object(b, &f, SPA_TYPE_OBJECT_Format, SPA_PARAM_EnumFormat);
	if (with_modifier) {
		spa_pod_builder_prop(b, SPA_FORMAT_VIDEO_modifier, SPA_POD_PROP_FLAG_MANDATORY);
		spa_pod_builder_long(b, (int64_t)modifier);
	}
	spa_pod_builder_add(b,
	    SPA_FORMAT_mediaType, SPA_POD_Id(SPA_MEDIA_TYPE_video),
	    SPA_FORMAT_mediaSubtype, SPA_POD_Id(SPA_MEDIA_SUBTYPE_raw),
	    SPA_FORMAT_VIDEO_format, SPA_POD_Id(SPA_VIDEO_FORMAT_BGRx),
	    SPA_FORMAT_VIDEO_size, SPA_POD_Rectangle(&SPA_RECTANGLE((uint32_t)src.w,
		(uint32_t)src.h)),
	    SPA_FORMAT_VIDEO_framerate, SPA_POD_Fraction(&SPA_FRACTION(0, 1)), 0);
	return spa_pod_builder_pop(b, &f);
}

static void
on_signal(void *data, int sig)
{
	(void)data;
	(void)sig;
	pw_main_loop_quit(src.loop);
}

int
main(int argc, char **argv)
{
	uint8_t space[1024];
	struct spa_pod_builder b = SPA_POD_BUILDER_INIT(space, sizeof(space));
	const struct spa_pod *params[2];
	uint32_t n = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: pw_dmabuf_source linear|both|tiled|short|nomap W H "
		    "EXPECT.ppm\n");
		return 2;
	}
	src.mode = argv[1];
	src.w = atoi(argv[2]);
	src.h = atoi(argv[3]);
	src.expect = argv[4];
	if (src.w < 1 || src.h < 1 || src.w > 4096 || src.h > 4096) {
		fprintf(stderr, "pw_dmabuf_source: a size of 1x1 to 4096x4096\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	write_expect();
	pw_init(&argc, &argv);
	src.loop = pw_main_loop_new(NULL);
	pw_loop_add_signal(pw_main_loop_get_loop(src.loop), SIGINT, on_signal, NULL);
	pw_loop_add_signal(pw_main_loop_get_loop(src.loop), SIGTERM, on_signal, NULL);
	src.timer = pw_loop_add_timer(pw_main_loop_get_loop(src.loop), on_timer, NULL);
	src.stream = pw_stream_new_simple(pw_main_loop_get_loop(src.loop), "pw_dmabuf_source",
	    pw_properties_new(PW_KEY_MEDIA_CLASS, "Video/Source", PW_KEY_MEDIA_TYPE, "Video",
		PW_KEY_MEDIA_CATEGORY, "Capture", PW_KEY_MEDIA_ROLE, "Screen", NULL),
	    &events, NULL);
	if (strcmp(src.mode, "tiled") == 0)
		params[n++] = format(&b, true, MODIFIER_X_TILED);
	else
		params[n++] = format(&b, true, MODIFIER_LINEAR);
	if (strcmp(src.mode, "both") == 0)
		params[n++] = format(&b, false, 0);
	if (pw_stream_connect(src.stream, PW_DIRECTION_OUTPUT, PW_ID_ANY,
	    PW_STREAM_FLAG_DRIVER | PW_STREAM_FLAG_ALLOC_BUFFERS, params, n) < 0) {
		fprintf(stderr, "pw_dmabuf_source: cannot connect the stream\n");
		return 1;
	}
	pw_main_loop_run(src.loop);
	pw_stream_destroy(src.stream);
	pw_main_loop_destroy(src.loop);
	pw_deinit();
	return 0;
}
