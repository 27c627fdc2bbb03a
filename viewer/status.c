/* SPDX-License-Identifier: Apache-2.0 */
/*
 * status.c - the status line's words (status.h). The line is a list of
 * items, not a sentence: each item is translated whole, and the items are
 * set apart by two blanks in every language.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "status.h"

/* Append item to out[0..len) with the two blanks before it. */
static void
item(char *out, size_t len, const char *s)
{
	size_t n = strlen(out);

	if (n + 1 < len)
		snprintf(out + n, len - n, "%s%s", n > 0 ? "  " : "", s);
}

static void
active(const struct vstatus *st, char *full, char *brief, size_t len)
{
	const char *control = st->control ? P_("status line", "control") :
	    P_("status line", "view only");
	char s[64];

	full[0] = brief[0] = '\0';
	if (st->lossy) {
		/* TRANSLATORS: in capitals, as a warning in the status line. */
		item(full, len, _("LOW BANDWIDTH (lossy colours)"));
		/* TRANSLATORS: the same, in a narrow window. */
		item(brief, len, _("LOW BANDWIDTH"));
	}
	if (st->jpeg) {
		/* TRANSLATORS: part of the picture (photos as JPEG, video as
		 * VP9) is lossy for now; it turns exact once it is still. */
		item(full, len, _("photos and video lossy"));
	}
	/* TRANSLATORS: the status line's items: frames per second. */
	snprintf(s, sizeof(s), _("%u fps"), st->fps);
	item(full, len, s);
	item(brief, len, s);
	snprintf(s, sizeof(s), "%.0f kbit/s", st->kbit_s);
	item(full, len, s);
	item(brief, len, s);
	item(full, len, st->aes ? "AES-256-GCM" : "XChaCha20-Poly1305");
	item(full, len, control);
	item(brief, len, control);
	/* TRANSLATORS: the time a message takes to the relay and back. */
	snprintf(s, sizeof(s), _("relay rtt %u ms"), st->rtt_ms);
	item(full, len, s);
	/* TRANSLATORS: the same, in a narrow window. */
	snprintf(s, sizeof(s), _("rtt %u ms"), st->rtt_ms);
	item(brief, len, s);
}

void
vstatus_text(const struct vstatus *st, char *full, char *brief, size_t len)
{
	switch (st->state) {
	case VSTATUS_JOINING:
		snprintf(full, len, "%s", _("joining..."));
		snprintf(brief, len, "%s", full);
		break;
	case VSTATUS_PROVING:
		snprintf(full, len, "%s", _("proving the code..."));
		snprintf(brief, len, "%s", full);
		break;
	case VSTATUS_WAITING:
		/* TRANSLATORS: the host's prompt shows the same six digits: said
		 * on the phone, they prove that the host lets in the right one. */
		snprintf(full, len, _("check code %03u %03u - waiting for the host to allow this "
		    "viewer"), st->check / 1000, st->check % 1000);
		snprintf(brief, len, _("check code %03u %03u"), st->check / 1000, st->check % 1000);
		break;
	case VSTATUS_RECONNECTING:
		snprintf(full, len, _("connection lost - reconnecting (%u s of at most %u s); the "
		    "host keeps this viewer's place"), st->away_s, st->grace_s);
		snprintf(brief, len, _("reconnecting (%u s)"), st->away_s);
		break;
	case VSTATUS_ACTIVE:
	default:
		active(st, full, brief, len);
		break;
	}
}

void
vstatus_draw(struct gui_text *t, SDL_Renderer *ren, struct panel *p, SDL_Rect bar,
    const char *full, const char *brief)
{
	int th = gui_text_height(t, GUI_FONT_MONO), right, room;

	SDL_SetRenderDrawColor(ren, 40, 40, 40, 255);
	SDL_RenderFillRect(ren, &bar);
	right = panel_draw_toggle(p, t, ren, bar);
	room = right - bar.x - 12;
	gui_text_draw(t, GUI_FONT_MONO, (SDL_Color){ 220, 220, 220, 255 }, bar.x + 6,
	    bar.y + (bar.h - th) / 2, room, 0, gui_text_measure(t, GUI_FONT_MONO, full) <= room ?
	    full : brief);
}
