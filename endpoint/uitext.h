/* SPDX-License-Identifier: Apache-2.0 */
/*
 * uitext.h - text in the clients' small SDL2 windows (the host's window,
 * master/hostui.c, and the viewer's start window, viewer/startwin.c):
 * three fonts found once, and a cache of rendered strings.
 *
 * A string is rendered into a texture on first use and kept while frames
 * show it: each frame marks what it draws, and uitext_sweep() after the
 * frame frees what it did not draw (changed or gone). Nothing here reads
 * the environment; the caller passes the font to use, if not the default.
 */
#ifndef ENDPOINT_UITEXT_H
#define ENDPOINT_UITEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

enum uitext_font {
	UITEXT_TEXT,            /* body text */
	UITEXT_BOLD,            /* the same size, bold */
	UITEXT_BIG,             /* digits in large type, bold */
	UITEXT_FONTS,
};

/* A rendered string, owned by the cache: valid until the next sweep that
 * finds it unused. */
struct uitext_str {
	SDL_Texture *tex;
	int w, h;
};

struct uitext;

/*
 * Start SDL2_ttf and open the fonts for drawing on ren: font_path for all
 * three when not NULL or empty (bold made by SDL2_ttf), else DejaVu Sans
 * and DejaVu Sans Bold; text_px for body text, big_px for large type.
 * NULL with why[] when no font can be opened.
 */
struct uitext *uitext_open(SDL_Renderer *ren, const char *font_path, int text_px, int big_px,
    char *why, size_t why_len);
/* Frees every texture and font and stops SDL2_ttf; NULL is fine. Call it
 * before destroying the renderer. */
void uitext_close(struct uitext *t);

/* s rendered in that font and colour (one line, or wrapped at wrap pixels
 * when wrap > 0); NULL for an empty string or when it cannot be rendered. */
const struct uitext_str *uitext_get(struct uitext *t, enum uitext_font font, SDL_Color c,
    int wrap, const char *s);
/* Draw s at (x, y), cut at maxw pixels; returns the height drawn (0 for
 * nothing). */
int uitext_draw(struct uitext *t, enum uitext_font font, SDL_Color c, int x, int y, int maxw,
    int wrap, const char *s);
/* The width s takes on one line. */
int uitext_width(struct uitext *t, enum uitext_font font, const char *s);
/* TTF_FontHeight and TTF_FontLineSkip of a font. */
int uitext_height(const struct uitext *t, enum uitext_font font);
int uitext_line(const struct uitext *t, enum uitext_font font);
/* After a frame: free the strings it did not draw. */
void uitext_sweep(struct uitext *t);

/* "48213" -> "48 213", "071934" -> "071 934": groups of three from the
 * right, as the host's window shows number and code. */
void uitext_group_digits(char *out, size_t len, const char *digits);

#endif
