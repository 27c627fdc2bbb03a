/* SPDX-License-Identifier: Apache-2.0 */
/*
 * input.c - the INPUT channel: a viewer with control moves the host's
 * pointer and presses its keys (through inject.h), in the coordinates of
 * the picture it holds.
 */
#include "channels.h"
#include "clock.h"
#include "event.h"
#include "log.h"
#include "session.h"

static struct log_rl rl_input;

static void
print_input(const struct viewer *v, const struct msg_input *in)
{
	static const char *const kinds[] = { "?", "pointer", "button", "wheel", "key" };

	event("input slot=%u kind=%s arg=%u x=%u y=%u code=0x%x", v->slot,
	    kinds[in->kind <= MSG_INPUT_KEY ? in->kind : 0], in->arg, in->x, in->y, in->code);
}

int
input_take(void *master, void *viewer, const struct msg *msg)
{
	struct master *m = master;
	struct viewer *v = viewer;
	const struct msg_input *in = &msg->u.input;
	int ox = 0, oy = 0;

	if (m->o.print_input)
		print_input(v, in);
	if (m->inj == NULL)
		return 0;
	capture_origin(m->cap, &ox, &oy);
	if (inject_event(m->inj, v->slot, in, ox, oy, m->prev.w, m->prev.h) != 0) {
		log_rl(&rl_input, LOG_INFO, "viewer %u: input event out of range: ignored",
		    v->slot);
	} else {
		/* Its answer on screen need not wait for the frame's slot. */
		frame_clock_input(&m->frames, mono_ms());
		if (in->kind != MSG_INPUT_KEY)
			video_viewer_pointer(&v->screen, in->x, in->y);
		/* A press may land in the host's own window (ui_actions). */
		if (in->kind == MSG_INPUT_BUTTON || in->kind == MSG_INPUT_KEY)
			m->remote_press_ms = mono_ms();
	}
	return 0;
}
