/* SPDX-License-Identifier: Apache-2.0 */
/* transfers.c - the list of file transfers (transfers.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "folder.h"
#include "i18n.h"
#include "log.h"
#include "paint.h"
#include "transfers.h"
#include "utf8.h"

enum {
	GAP = 8,                /* between rows */
	BAR_H = 6,
	BAR_GAP = 3,
};

struct gui_transfers {
	struct gui_transfer row[GUI_TRANSFERS_MAX];
	size_t n;
	struct gui_buttons btn;
	struct gui_folder folder;
	char notice[512];       /* what went wrong last with Open folder */
	SDL_Rect area;
	struct gui_button cancelled;
};

struct gui_transfers *
gui_transfers_new(void)
{
	return calloc(1, sizeof(struct gui_transfers));
}

void
gui_transfers_free(struct gui_transfers *x)
{
	struct gui_folder_why why;

	if (x == NULL)
		return;
	/* Openers still running go on without us. */
	while (gui_folder_reap(&x->folder, &why) != 0)
		;
	free(x);
}

bool
gui_transfers_set(struct gui_transfers *x, const struct gui_transfer *rows, size_t n)
{
	if (n > GUI_TRANSFERS_MAX)
		n = GUI_TRANSFERS_MAX;
	if (n == 0) {
		bool had = x->n > 0;

		x->n = 0;
		return had;
	}
	if (n == x->n && memcmp(x->row, rows, n * sizeof(*rows)) == 0)
		return false;
	memcpy(x->row, rows, n * sizeof(*rows));
	x->n = n;
	/* Text that came from a peer may lack its terminator in a careless copy. */
	for (size_t i = 0; i < n; i++) {
		struct gui_transfer *r = &x->row[i];

		r->f.name[sizeof(r->f.name) - 1] = '\0';
		r->f.where[sizeof(r->f.where) - 1] = '\0';
		r->f.why[sizeof(r->f.why) - 1] = '\0';
		r->peer[sizeof(r->peer) - 1] = '\0';
	}
	return true;
}

size_t
gui_transfers_count(const struct gui_transfers *x)
{
	return x->n;
}

const struct gui_buttons *
gui_transfers_buttons(const struct gui_transfers *x)
{
	return &x->btn;
}

static int
button_h(const struct gui_text *t)
{
	return gui_text_height(t, GUI_FONT_TEXT) + 10;
}

/* A running transfer has its progress bar between the two lines. */
static int
row_height(const struct gui_text *t, const struct gui_transfer *r)
{
	return button_h(t) + (r->f.state == FILES_RUNNING ? BAR_GAP + BAR_H + BAR_GAP : BAR_GAP) +
	    gui_text_line(t, GUI_FONT_TEXT) + GAP;
}

/* The notice under the list, wrapped to w; NULL when there is none. */
static const struct gui_label *
notice(const struct gui_transfers *x, struct gui_text *t, int w)
{
	return x->notice[0] != '\0' && w > 0 ? gui_text_get(t, GUI_FONT_TEXT, GUI_DANGER, w,
	    x->notice) : NULL;
}

int
gui_transfers_height(const struct gui_transfers *x, struct gui_text *t, int w)
{
	const struct gui_label *l = notice(x, t, w);
	int h;

	if (x->n == 0 && x->notice[0] == '\0')
		return 0;
	h = gui_text_line(t, GUI_FONT_BOLD) + GAP / 2 + (l != NULL ? l->h + GAP / 2 : 0);
	for (size_t i = 0; i < x->n; i++)
		h += row_height(t, &x->row[i]);
	return h;
}

/* 1234567 -> "1.2 MB" ("1,2 MB" in German) */
static void
amount(char *out, size_t len, uint64_t b)
{
	char num[32];

	if (b < 1000)
		snprintf(out, len, "%" PRIu64 " B", b);
	else if (b < 1000 * 1000)
		snprintf(out, len, "%s kB", i18n_decimal(num, sizeof(num), (double)b / 1e3, 1));
	else if (b < UINT64_C(1000) * 1000 * 1000)
		snprintf(out, len, "%s MB", i18n_decimal(num, sizeof(num), (double)b / 1e6, 1));
	else
		snprintf(out, len, "%s GB", i18n_decimal(num, sizeof(num), (double)b / 1e9, 2));
}

/* 75 -> "1 min 15 s" (the units read the same in German) */
static void
duration(char *out, size_t len, double s)
{
	unsigned long v = s < 0 ? 0 : s > 359999 ? 359999 : (unsigned long)(s + 0.5);

	if (v < 60)
		snprintf(out, len, "%lu s", v);
	else if (v < 3600)
		snprintf(out, len, "%lu min %lu s", v / 60, v % 60);
	else
		snprintf(out, len, "%lu h %lu min", v / 3600, v / 60 % 60);
}

/* A running transfer's line: how far, how fast, how long still; what
 * does not fit into w pixels is left out, the time first, then the speed. */
static void
progress(char *out, size_t len, const struct files_row *f, struct gui_text *t, int w)
{
	char total[32], speed[32], left[32] = "";
	unsigned pct = f->bytes > 0 ? (unsigned)(f->done_bytes * 100 / f->bytes) : 0;

	if (pct > 100)
		pct = 100;
	amount(total, sizeof(total), f->bytes);
	amount(speed, sizeof(speed), (uint64_t)(f->bytes_per_s > 0 ? f->bytes_per_s : 0));
	if (f->bytes_per_s > 0 && f->bytes > f->done_bytes)
		duration(left, sizeof(left), (double)(f->bytes - f->done_bytes) / f->bytes_per_s);
	if (left[0] != '\0') {
		/* TRANSLATORS: a running transfer: "40% of 34.5 MB, 2.1 MB/s, 10 s left". */
		snprintf(out, len, _("%u%% of %s, %s/s, %s left"), pct, total, speed, left);
		if (gui_text_measure(t, GUI_FONT_TEXT, out) <= w)
			return;
	}
	/* TRANSLATORS: a running transfer: "40% of 34.5 MB, 2.1 MB/s". */
	snprintf(out, len, _("%u%% of %s, %s/s"), pct, total, speed);
	if (gui_text_measure(t, GUI_FONT_TEXT, out) <= w)
		return;
	/* TRANSLATORS: a running transfer in a narrow window: "40% of 34.5 MB". */
	snprintf(out, len, _("%u%% of %s"), pct, total);
}

/* The line under the bar: how far and how fast, or how it ended. */
static void
info(char *out, size_t len, const struct files_row *f, struct gui_text *t, int w)
{
	char total[32];

	amount(total, sizeof(total), f->bytes);
	switch (f->state) {
	case FILES_RUNNING:
		progress(out, len, f, t, w);
		break;
	case FILES_DONE:
		if (f->files > 1)
			snprintf(out, len, NG_("Done: %s in %u file", "Done: %s in %u files",
			    f->files), total, (unsigned)f->files);
		else
			snprintf(out, len, _("Done: %s"), total);
		break;
	case FILES_FAILED:
	default:
		snprintf(out, len, "%s", _("Failed: no reason given"));
		break;
	}
}

/* One transfer: arrow, name and peer with its button, the bar, the line
 * under it. */
static void
draw_row(struct gui_transfers *x, struct gui_text *t, SDL_Renderer *ren,
    const struct gui_transfer *r, int x0, int y, int w)
{
	const struct files_row *f = &r->f;
	char name[3 * FILES_COMPONENT_MAX + 16], clean[3 * FILES_COMPONENT_MAX + 1];
	char peer[3 * MSG_NAME_MAX + 16], who[3 * MSG_NAME_MAX + 1];
	char why[3 * sizeof(f->why)], line[sizeof(why) + 256];
	int bh = button_h(t), th = gui_text_height(t, GUI_FONT_TEXT), bx = x0 + w, nw, pw;

	gui_utf8_clean(clean, sizeof(clean), f->name, strlen(f->name));
	gui_utf8_clean(who, sizeof(who), r->peer, strlen(r->peer));
	gui_utf8_clean(why, sizeof(why), f->why, strlen(f->why));
	/* The arrow says the direction before the words do. */
	snprintf(name, sizeof(name), "%s %s", f->incoming ? "\xE2\x86\x93" : "\xE2\x86\x91", clean);
	/* TRANSLATORS: beside a received file: who sent it. */
	snprintf(peer, sizeof(peer), f->incoming ? _("from %s") : _("to %s"), who);
	if (f->state == FILES_RUNNING) {
		bx -= gui_button_width(t, _("Cancel"), bh);
		gui_button(&x->btn, t, ren, bx, y, bh, _("Cancel"), GUI_LOOK_DANGER, f->incoming ?
		    GUI_TRANSFERS_BTN_CANCEL_IN : GUI_TRANSFERS_BTN_CANCEL_OUT, r->slot, f->id);
	} else if (f->state == FILES_DONE && f->incoming) {
		bx -= gui_button_width(t, _("Open folder"), bh);
		gui_button(&x->btn, t, ren, bx, y, bh, _("Open folder"), GUI_LOOK_PLAIN,
		    GUI_TRANSFERS_BTN_OPEN, r->slot, f->id);
	}
	/* The name first; the peer in what is left of the line. */
	nw = gui_text_width(t, GUI_FONT_BOLD, name);
	if (nw > bx - x0 - GAP)
		nw = bx - x0 - GAP;
	pw = bx - GAP - (x0 + nw + GAP);
	gui_text_draw_content(t, GUI_FONT_BOLD, GUI_TEXT, x0, y + (bh - th) / 2, nw, 0, name);
	if (pw >= gui_text_width(t, GUI_FONT_TEXT, peer))
		gui_text_draw_content(t, GUI_FONT_TEXT, GUI_DIM, x0 + nw + GAP, y + (bh - th) / 2,
		    pw, 0, peer);
	y += bh + BAR_GAP;
	if (f->state == FILES_RUNNING) {
		uint64_t part = f->bytes > 0 ? (f->done_bytes > f->bytes ? f->bytes : f->done_bytes) : 0;
		int fill = f->bytes > 0 ? (int)((double)part / (double)f->bytes * w) : 0;

		gui_fill(ren, (SDL_Rect){ x0, y, w, BAR_H }, GUI_BAR_BG);
		gui_fill(ren, (SDL_Rect){ x0, y, fill, BAR_H }, GUI_BAR_FILL);
		y += BAR_H + BAR_GAP;
	}
	if (f->state == FILES_FAILED && why[0] != '\0') {
		/* The reason may be long, and comes from either side: cut. */
		snprintf(line, sizeof(line), _("Failed: %s"), why);
		gui_text_draw_content(t, GUI_FONT_TEXT, GUI_DANGER, x0, y, w, 0, line);
		return;
	}
	info(line, sizeof(line), f, t, w);
	gui_text_draw(t, GUI_FONT_TEXT, f->state == FILES_DONE ? GUI_GOOD : f->state == FILES_FAILED ?
	    GUI_DANGER : GUI_DIM, x0, y, w, 0, line);
}

void
gui_transfers_draw(struct gui_transfers *x, struct gui_text *t, SDL_Renderer *ren, SDL_Rect area)
{
	const struct gui_label *l;
	int y = area.y, line = gui_text_line(t, GUI_FONT_TEXT), bottom;
	size_t i;

	x->area = area;
	gui_buttons_clear(&x->btn);
	if (t == NULL || area.w <= 0 || area.h <= 0)
		return;
	l = notice(x, t, area.w);
	bottom = area.y + area.h - (l != NULL ? l->h + GAP / 2 : 0);
	gui_text_draw(t, GUI_FONT_BOLD, GUI_TEXT, area.x, y, area.w, 0, _("File transfers"));
	y += gui_text_line(t, GUI_FONT_BOLD) + GAP / 2;
	for (i = 0; i < x->n; i++) {
		int rh = row_height(t, &x->row[i]);

		/* Room for this row, and for the "more" line unless it is the last. */
		if (y + rh - GAP > bottom - (i + 1 < x->n ? line : 0))
			break;
		draw_row(x, t, ren, &x->row[i], area.x, y, area.w);
		y += rh;
	}
	if (i < x->n) {
		char more[64];

		/* TRANSLATORS: under the transfer list: rows that do not fit. */
		snprintf(more, sizeof(more), NG_("%zu more", "%zu more", x->n - i), x->n - i);
		gui_text_draw(t, GUI_FONT_TEXT, GUI_DIM, area.x, y, area.w, 0, more);
	}
	if (l != NULL)
		SDL_RenderCopy(ren, l->tex, NULL, &(SDL_Rect){ area.x, bottom + GAP / 2, l->w, l->h });
}

static const struct gui_transfer *
find(const struct gui_transfers *x, unsigned slot, uint32_t id, bool incoming)
{
	for (size_t i = 0; i < x->n; i++)
		if (x->row[i].slot == slot && x->row[i].f.id == id && x->row[i].f.incoming == incoming)
			return &x->row[i];
	return NULL;
}

void
gui_transfers_open(struct gui_transfers *x, const struct gui_transfer *row)
{
	struct gui_folder_why why;

	x->notice[0] = '\0';
	if (gui_folder_open(&x->folder, row->f.where, &why) != 0) {
		snprintf(x->notice, sizeof(x->notice), _("Cannot open the folder: %s"), why.shown);
		log_warn("cannot open the folder of %s: %s", row->f.where, why.log);
	}
}

enum gui_transfers_took
gui_transfers_event(struct gui_transfers *x, const SDL_Event *e)
{
	const struct gui_transfer *r;
	struct gui_button b;
	SDL_Point p;
	bool click;

	if (e->type != SDL_MOUSEBUTTONDOWN && e->type != SDL_MOUSEBUTTONUP)
		return GUI_TRANSFERS_NO;
	if (!gui_buttons_mouse(&x->btn, e, &b, &click)) {
		p = (SDL_Point){ e->button.x, e->button.y };
		return SDL_PointInRect(&p, &x->area) ? GUI_TRANSFERS_TOOK : GUI_TRANSFERS_NO;
	}
	if (!click)
		return GUI_TRANSFERS_TOOK;
	r = find(x, b.arg, b.arg2, b.kind != GUI_TRANSFERS_BTN_CANCEL_OUT);
	if (r == NULL)
		return GUI_TRANSFERS_TOOK;      /* gone since it was drawn */
	if (b.kind == GUI_TRANSFERS_BTN_OPEN) {
		gui_transfers_open(x, r);
		return GUI_TRANSFERS_TOOK;
	}
	x->cancelled = b;
	return GUI_TRANSFERS_CANCEL;
}

void
gui_transfers_cancelled(const struct gui_transfers *x, unsigned *slot, uint32_t *id,
    bool *incoming)
{
	*slot = x->cancelled.arg;
	*id = x->cancelled.arg2;
	*incoming = x->cancelled.kind == GUI_TRANSFERS_BTN_CANCEL_IN;
}

bool
gui_transfers_poll(struct gui_transfers *x)
{
	struct gui_folder_why why;

	if (gui_folder_reap(&x->folder, &why) == 0)
		return false;
	snprintf(x->notice, sizeof(x->notice), _("Cannot open the folder: %s"), why.shown);
	log_warn("%s", why.log);
	return true;
}
