/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pipewire_stream.h - a screen cast's picture from PipeWire, for the
 * capture back-ends of Wayland hosts (capture_mutter.c now, the portal's
 * later): whoever set up the screen cast hands over a node id, and for
 * the portal the PipeWire fd it got; this end knows nothing of either.
 *
 * The stream asks for 32-bit BGRx/BGRA/RGBx/RGBA frames in shared memory
 * (MemFd or MemPtr), or else as DMA-BUF in the linear layout, mapped and
 * read by the processor. A compositor that offers only a tiled DMA-BUF
 * agrees on no format with it. PipeWire delivers frames on its own
 * thread (a pw_thread_loop); each is copied whole, under a mutex, into
 * the stream's picture, with the damage it carried (SPA_META_VideoDamage;
 * none: the whole frame), and the master's loop is woken through an
 * eventfd. A grab takes that picture by swapping buffers with the
 * caller's image, so a frame is copied once. The cursor comes as
 * metadata (SPA_META_Cursor: position and shape), never painted into the
 * picture. A new size arrives as a new format and is followed.
 */
#ifndef MASTER_PIPEWIRE_STREAM_H
#define MASTER_PIPEWIRE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"

struct pipewire_stream;

/*
 * Connect to the PipeWire node and start the stream. pw_fd >= 0 is a
 * connection to PipeWire handed over by a portal (taken over, closed
 * with the stream); -1 connects to the user's PipeWire daemon. NULL with
 * why[] in words a host understands.
 */
struct pipewire_stream *pipewire_stream_open(int pw_fd, uint32_t node, char *why,
    size_t why_len);
void pipewire_stream_close(struct pipewire_stream *s);  /* NULL is fine */
/* The eventfd that becomes readable when a frame, a cursor change or an
 * error arrived. */
int pipewire_stream_fd(const struct pipewire_stream *s);
/*
 * Read the eventfd and say what happened since the last call: *frame when
 * a new picture arrived, *cursor when the pointer moved or changed shape.
 * ERR_CLOSED with why[] when the stream failed or ended.
 */
int pipewire_stream_poll(struct pipewire_stream *s, bool *frame, bool *cursor, char *why,
    size_t why_len) WUR;
/* Whether a first picture has arrived (grab has something to copy). */
bool pipewire_stream_ready(struct pipewire_stream *s);
/* Pause and resume the stream: the producer starts it again, and a
 * compositor that paints only on change (Mutter) sends a whole frame. For
 * a first frame that does not come. */
void pipewire_stream_nudge(struct pipewire_stream *s);
/* The picture's size now; 0x0 before the format is known. */
void pipewire_stream_size(struct pipewire_stream *s, int *w, int *h);
/*
 * Bring img (0x00RRGGBB) up to date with the newest frame: it is
 * re-initialised at a new size. img must be the same image at every call
 * (its pixel buffer is swapped with the stream's, and without a new frame
 * it is left as the grab before left it). hint[] as capture_grab() says: 1 for the
 * tiles the damage since the last grab touched (all of them without
 * damage information or at a new size). ERR_SYSTEM with why[].
 */
int pipewire_stream_grab(struct pipewire_stream *s, struct image *img, uint8_t *hint,
    char *why, size_t why_len) WUR;
/* The pointer's position in the picture and, when *shape_changed, its
 * new shape (cropped to CAPTURE_CURSOR_DIM_MAX). */
void pipewire_stream_cursor(struct pipewire_stream *s, int *x, int *y, bool *shape_changed,
    struct capture_cursor *cur);
/* "PipeWire MemFd BGRx 1280x800+damage+cursor", for the log. */
const char *pipewire_stream_method(struct pipewire_stream *s);

#endif
