/* SPDX-License-Identifier: Apache-2.0 */
/*
 * uitext.c - fonts and a cache of rendered strings for the small SDL2
 * windows (uitext.h). Moved here from master/hostui.c when the viewer's
 * start window needed the same text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <SDL_ttf.h>

#include "log.h"
#include "uitext.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu/"

/*
 * Distinct strings per frame: headings, a few lines per viewer or field,
 * button labels; well under this. A frame that still runs out skips the
 * text it cannot cache.
 */
enum { CACHE_MAX = 128 };

struct entry {
	char *s;                /* NULL: the entry is free */
	enum uitext_font font;
	uint32_t color;
	int wrap;               /* 0: one line */
	struct uitext_str str;
	bool used;              /* by the frame being drawn */
};

struct uitext {
	SDL_Renderer *ren;
	bool ttf_on;
	TTF_Font *font[UITEXT_FONTS];
	struct entry cache[CACHE_MAX];
};

static uint32_t
pack(SDL_Color c)
{
	return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

static void
entry_free(struct entry *e)
{
	if (e->str.tex != NULL)
		SDL_DestroyTexture(e->str.tex);
	free(e->s);
	memset(e, 0, sizeof(*e));
}

const struct uitext_str *
uitext_get(struct uitext *t, enum uitext_font font, SDL_Color c, int wrap, const char *s)
{
	struct entry *spare = NULL;
	SDL_Surface *surf;
	uint32_t key = pack(c);

	if (s[0] == '\0')
		return NULL;    /* SDL2_ttf refuses zero-width text */
	for (unsigned i = 0; i < CACHE_MAX; i++) {
		struct entry *e = &t->cache[i];

		if (e->s == NULL) {
			if (spare == NULL)
				spare = e;
			continue;
		}
		if (e->font == font && e->color == key && e->wrap == wrap &&
		    strcmp(e->s, s) == 0) {
			e->used = true;
			return &e->str;
		}
	}
	if (spare == NULL) {
		log_debug("uitext: text cache full");
		return NULL;
	}
	if (wrap > 0)
		surf = TTF_RenderUTF8_Blended_Wrapped(t->font[font], s, c, (Uint32)wrap);
	else
		surf = TTF_RenderUTF8_Blended(t->font[font], s, c);
	if (surf == NULL) {
		log_debug("uitext: cannot render text: %s", TTF_GetError());
		return NULL;
	}
	spare->str.tex = SDL_CreateTextureFromSurface(t->ren, surf);
	spare->str.w = surf->w;
	spare->str.h = surf->h;
	SDL_FreeSurface(surf);
	spare->s = strdup(s);
	if (spare->str.tex == NULL || spare->s == NULL) {
		log_debug("uitext: cannot keep text: %s", SDL_GetError());
		entry_free(spare);
		return NULL;
	}
	spare->font = font;
	spare->color = key;
	spare->wrap = wrap;
	spare->used = true;
	return &spare->str;
}

void
uitext_sweep(struct uitext *t)
{
	for (unsigned i = 0; i < CACHE_MAX; i++) {
		struct entry *e = &t->cache[i];

		if (e->s != NULL && !e->used)
			entry_free(e);
		e->used = false;
	}
}

int
uitext_width(struct uitext *t, enum uitext_font font, const char *s)
{
	static const SDL_Color black = { 0, 0, 0, 255 };
	const struct uitext_str *u = uitext_get(t, font, black, 0, s);

	return u != NULL ? u->w : 0;
}

int
uitext_draw(struct uitext *t, enum uitext_font font, SDL_Color c, int x, int y, int maxw,
    int wrap, const char *s)
{
	const struct uitext_str *u = uitext_get(t, font, c, wrap, s);
	SDL_Rect src, dst;

	if (u == NULL || maxw <= 0)
		return 0;
	src = (SDL_Rect){ 0, 0, u->w < maxw ? u->w : maxw, u->h };
	dst = (SDL_Rect){ x, y, src.w, src.h };
	SDL_RenderCopy(t->ren, u->tex, &src, &dst);
	return u->h;
}

int
uitext_height(const struct uitext *t, enum uitext_font font)
{
	return TTF_FontHeight(t->font[font]);
}

int
uitext_line(const struct uitext *t, enum uitext_font font)
{
	return TTF_FontLineSkip(t->font[font]);
}

void
uitext_group_digits(char *out, size_t len, const char *digits)
{
	size_t n = strlen(digits), o = 0;

	if (len == 0)
		return;
	for (size_t i = 0; i < n && o + 2 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ' ';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static TTF_Font *
open_font(const char *path, int px)
{
	return path != NULL && path[0] != '\0' ? TTF_OpenFont(path, px) : NULL;
}

struct uitext *
uitext_open(SDL_Renderer *ren, const char *font_path, int text_px, int big_px, char *why,
    size_t why_len)
{
	bool own = font_path != NULL && font_path[0] != '\0';
	const char *regular = own ? font_path : FONT_DIR "DejaVuSans.ttf";
	const char *bold = own ? NULL : FONT_DIR "DejaVuSans-Bold.ttf";
	struct uitext *t = calloc(1, sizeof(*t));

	if (t == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	t->ren = ren;
	if (TTF_Init() != 0) {
		snprintf(why, why_len, "cannot start SDL2_ttf (%s)", TTF_GetError());
		goto fail;
	}
	t->ttf_on = true;
	t->font[UITEXT_TEXT] = open_font(regular, text_px);
	if (t->font[UITEXT_TEXT] == NULL) {
		snprintf(why, why_len, "font not found: %s (%s; set FERNSICHT_FONT to a .ttf file)",
		    regular, TTF_GetError());
		goto fail;
	}
	t->font[UITEXT_BOLD] = open_font(bold, text_px);
	t->font[UITEXT_BIG] = open_font(bold, big_px);
	if (t->font[UITEXT_BOLD] == NULL)
		t->font[UITEXT_BOLD] = open_font(regular, text_px);
	if (t->font[UITEXT_BIG] == NULL)
		t->font[UITEXT_BIG] = open_font(regular, big_px);
	if (t->font[UITEXT_BOLD] == NULL || t->font[UITEXT_BIG] == NULL) {
		snprintf(why, why_len, "font not usable: %s (%s)", regular, TTF_GetError());
		goto fail;
	}
	if (bold == NULL) {
		TTF_SetFontStyle(t->font[UITEXT_BOLD], TTF_STYLE_BOLD);
		TTF_SetFontStyle(t->font[UITEXT_BIG], TTF_STYLE_BOLD);
	}
	return t;
fail:
	uitext_close(t);
	return NULL;
}

void
uitext_close(struct uitext *t)
{
	if (t == NULL)
		return;
	for (unsigned i = 0; i < CACHE_MAX; i++)
		entry_free(&t->cache[i]);
	for (unsigned i = 0; i < UITEXT_FONTS; i++)
		if (t->font[i] != NULL)
			TTF_CloseFont(t->font[i]);
	if (t->ttf_on)
		TTF_Quit();
	free(t);
}
