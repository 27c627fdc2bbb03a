/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text.c - fonts and cached text (text.h).
 *
 * The cache is a small array searched by string: a frame draws a few
 * dozen strings, and a texture per string spares SDL2_ttf's slow
 * rasterising on every redraw. A frame that runs out of entries skips
 * the text it cannot cache.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "err.h"
#include "i18n.h"
#include "limits.h"
#include "log.h"
#include "paint.h"
#include "text.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"

struct entry {
	char *s;                /* NULL: the entry is free */
	enum gui_font font;
	uint32_t color;
	int wrap;               /* 0: one line */
	struct gui_label label;
	bool used;              /* by the frame being drawn */
	bool cut_told;          /* the warning that it was cut is logged */
};

struct gui_text {
	SDL_Renderer *ren;
	bool ttf_on;
	TTF_Font *font[GUI_FONTS];
	struct entry cache[GUI_TEXT_CACHE_MAX];
};

static uint32_t
pack(SDL_Color c)
{
	return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

static void
entry_free(struct entry *e)
{
	if (e->label.tex != NULL)
		SDL_DestroyTexture(e->label.tex);
	free(e->s);
	memset(e, 0, sizeof(*e));
}

static TTF_Font *
open_font(const char *path, int px)
{
	return path != NULL && path[0] != '\0' && px > 0 ? TTF_OpenFont(path, px) : NULL;
}

/* Open every font px asks for; the text font must open, the others fall
 * back to it at their size. */
static int
open_fonts(struct gui_text *t, const struct gui_font_px *px, char *why, size_t why_len)
{
	const char *env = getenv("FERNSICHT_FONT");
	bool own = env != NULL && env[0] != '\0';
	const char *regular = own ? env : FONT_DIR "DejaVuSans.ttf";
	const char *bold = own ? NULL : FONT_DIR "DejaVuSans-Bold.ttf";
	const char *mono = own ? NULL : FONT_DIR "DejaVuSansMono.ttf";
	struct { enum gui_font f; const char *path; int px; bool make_bold; } want[] = {
		{ GUI_FONT_TEXT, regular, px->text, false },
		{ GUI_FONT_BOLD, bold, px->text, true },
		{ GUI_FONT_BIG, bold, px->big, true },
		{ GUI_FONT_MONO, mono, px->mono, false },
	};

	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		TTF_Font **f = &t->font[want[i].f];

		if (want[i].px <= 0)
			continue;
		*f = open_font(want[i].path, want[i].px);
		if (*f == NULL) {
			*f = open_font(regular, want[i].px);
			if (*f != NULL && want[i].make_bold)
				TTF_SetFontStyle(*f, TTF_STYLE_BOLD);
		}
		if (*f == NULL) {
			snprintf(why, why_len, _("font not found: %s (%s; set FERNSICHT_FONT to a "
			    ".ttf file)"), regular, TTF_GetError());
			return ERR_UNSUPPORTED;
		}
	}
	return 0;
}

void
gui_text_renderer(struct gui_text *t, SDL_Renderer *ren)
{
	if (t != NULL)
		t->ren = ren;
}

struct gui_text *
gui_text_open(SDL_Renderer *ren, const struct gui_font_px *px, char *why, size_t why_len)
{
	struct gui_text *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		snprintf(why, why_len, "%s", _("out of memory"));
		return NULL;
	}
	t->ren = ren;
	if (px->text <= 0) {
		snprintf(why, why_len, "no text size");
		goto fail;
	}
	if (TTF_Init() != 0) {
		snprintf(why, why_len, _("cannot start SDL2_ttf (%s)"), TTF_GetError());
		goto fail;
	}
	t->ttf_on = true;
	if (open_fonts(t, px, why, why_len) != 0)
		goto fail;
	return t;
fail:
	gui_text_close(t);
	return NULL;
}

void
gui_text_close(struct gui_text *t)
{
	if (t == NULL)
		return;
	for (unsigned i = 0; i < GUI_TEXT_CACHE_MAX; i++)
		entry_free(&t->cache[i]);
	for (unsigned i = 0; i < GUI_FONTS; i++)
		if (t->font[i] != NULL)
			TTF_CloseFont(t->font[i]);
	if (t->ttf_on)
		TTF_Quit();
	free(t);
}

static struct entry *
entry_get(struct gui_text *t, enum gui_font f, SDL_Color c, int wrap, const char *s)
{
	struct entry *spare = NULL;
	SDL_Surface *surf;
	uint32_t key = pack(c);

	if (t == NULL || t->font[f] == NULL || s[0] == '\0')
		return NULL;    /* SDL2_ttf refuses zero-width text */
	for (unsigned i = 0; i < GUI_TEXT_CACHE_MAX; i++) {
		struct entry *e = &t->cache[i];

		if (e->s == NULL) {
			if (spare == NULL)
				spare = e;
			continue;
		}
		if (e->font == f && e->color == key && e->wrap == wrap && strcmp(e->s, s) == 0) {
			e->used = true;
			return e;
		}
	}
	if (spare == NULL) {
		log_debug("gui: text cache full");
		return NULL;
	}
	if (wrap > 0)
		surf = TTF_RenderUTF8_Blended_Wrapped(t->font[f], s, c, (Uint32)wrap);
	else
		surf = TTF_RenderUTF8_Blended(t->font[f], s, c);
	if (surf == NULL) {
		log_debug("gui: cannot render text: %s", TTF_GetError());
		return NULL;
	}
	spare->label.tex = SDL_CreateTextureFromSurface(t->ren, surf);
	spare->label.w = surf->w;
	spare->label.h = surf->h;
	SDL_FreeSurface(surf);
	spare->s = strdup(s);
	if (spare->label.tex == NULL || spare->s == NULL) {
		log_debug("gui: cannot keep text: %s", SDL_GetError());
		entry_free(spare);
		return NULL;
	}
	spare->font = f;
	spare->color = key;
	spare->wrap = wrap;
	spare->used = true;
	return spare;
}

const struct gui_label *
gui_text_get(struct gui_text *t, enum gui_font f, SDL_Color c, int wrap, const char *s)
{
	struct entry *e = entry_get(t, f, c, wrap, s);

	return e != NULL ? &e->label : NULL;
}

static int
draw(struct gui_text *t, struct entry *e, int x, int y, int maxw)
{
	SDL_Rect src = { 0, 0, e->label.w < maxw ? e->label.w : maxw, e->label.h };
	SDL_Rect dst = { x, y, src.w, src.h };

	SDL_RenderCopy(t->ren, e->label.tex, &src, &dst);
	return e->label.h;
}

int
gui_text_draw(struct gui_text *t, enum gui_font f, SDL_Color c, int x, int y, int maxw, int wrap,
    const char *s)
{
	struct entry *e = entry_get(t, f, c, wrap, s);

	if (e == NULL || maxw <= 0)
		return 0;
	/* Our own words must fit (they grow by a third in German): say so
	 * once, for the tests that look at every window in every language. */
	if (e->label.w > maxw && !e->cut_told) {
		e->cut_told = true;
		log_warn("gui: text cut, %d of %d px shown: \"%s\"", maxw, e->label.w, s);
	}
	return draw(t, e, x, y, maxw);
}

int
gui_text_draw_content(struct gui_text *t, enum gui_font f, SDL_Color c, int x, int y, int maxw,
    int wrap, const char *s)
{
	struct entry *e = entry_get(t, f, c, wrap, s);

	if (e == NULL || maxw <= 0)
		return 0;
	return draw(t, e, x, y, maxw);
}

int
gui_text_width(struct gui_text *t, enum gui_font f, const char *s)
{
	const struct gui_label *l = gui_text_get(t, f, GUI_TEXT, 0, s);

	return l != NULL ? l->w : 0;
}

int
gui_text_measure(const struct gui_text *t, enum gui_font f, const char *s)
{
	int w = 0, h = 0;

	if (t == NULL || t->font[f] == NULL || s[0] == '\0' || TTF_SizeUTF8(t->font[f], s, &w, &h) != 0)
		return 0;
	return w;
}

int
gui_text_height(const struct gui_text *t, enum gui_font f)
{
	return t != NULL && t->font[f] != NULL ? TTF_FontHeight(t->font[f]) : 0;
}

int
gui_text_line(const struct gui_text *t, enum gui_font f)
{
	return t != NULL && t->font[f] != NULL ? TTF_FontLineSkip(t->font[f]) : 0;
}

size_t
gui_text_fit(struct gui_text *t, enum gui_font f, const char *s, int maxw)
{
	int extent = 0, count = 0;
	size_t at = 0;

	if (t == NULL || t->font[f] == NULL || s[0] == '\0' || maxw <= 0)
		return 0;
	if (TTF_MeasureUTF8(t->font[f], s, maxw, &extent, &count) != 0 || count <= 0)
		return 0;
	/* count is in characters: walk that many. */
	for (int i = 0; i < count && s[at] != '\0'; i++) {
		at++;
		while (((unsigned char)s[at] & 0xC0) == 0x80)
			at++;
	}
	return at;
}

void
gui_text_sweep(struct gui_text *t)
{
	if (t == NULL)
		return;
	for (unsigned i = 0; i < GUI_TEXT_CACHE_MAX; i++) {
		struct entry *e = &t->cache[i];

		if (e->s != NULL && !e->used)
			entry_free(e);
		e->used = false;
	}
}
