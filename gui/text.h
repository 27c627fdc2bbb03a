/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text.h - the windows' fonts and their text (SDL2_ttf): each string is
 * rasterised once into a texture and kept while frames keep drawing it.
 *
 * Fonts: FERNSICHT_FONT, when set, is used for all text (bold made by
 * SDL2_ttf); else DejaVu Sans, DejaVu Sans Bold and DejaVu Sans Mono.
 * Call gui_text_sweep() after each frame: strings it did not draw are
 * freed (they changed or went away). Every function takes a NULL
 * gui_text and then draws nothing, so that a window without fonts still
 * works.
 */
#ifndef GUI_TEXT_H
#define GUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

enum gui_font {
	GUI_FONT_TEXT,
	GUI_FONT_BOLD,
	GUI_FONT_BIG,           /* bold, for the session number and code */
	GUI_FONT_MONO,          /* the viewer's status line */
	GUI_FONTS,
};

/* Pixel sizes; 0: that font is not opened (and draws nothing). */
struct gui_font_px {
	int text, big, mono;
};

/* One string as drawn: its texture and size. */
struct gui_label {
	SDL_Texture *tex;
	int w, h;
};

struct gui_text;

/* NULL with why[] when the text font cannot be opened. */
struct gui_text *gui_text_open(SDL_Renderer *ren, const struct gui_font_px *px, char *why,
    size_t why_len);
void gui_text_close(struct gui_text *t);
/* Draw with ren from now on. A window made only once its text is measured
 * (its size follows the text) opens the fonts with ren NULL, measures,
 * then gives its renderer here, before anything is drawn: the textures
 * belong to the renderer that made them. */
void gui_text_renderer(struct gui_text *t, SDL_Renderer *ren);
/* The label for s, made on first use; NULL for an empty s or on error.
 * wrap > 0: wrapped at that many pixels. */
const struct gui_label *gui_text_get(struct gui_text *t, enum gui_font f, SDL_Color c,
    int wrap, const char *s);
/* Draw the window's own text s at (x, y), cut at maxw pixels; returns the
 * height drawn. A cut is a layout bug (the text does not fit in some
 * language): it is logged once as a warning, "gui: text cut". */
int gui_text_draw(struct gui_text *t, enum gui_font f, SDL_Color c, int x, int y, int maxw,
    int wrap, const char *s);
/* The same for someone's content (names, paths, chat, addresses), which
 * may be cut by design: no warning. */
int gui_text_draw_content(struct gui_text *t, enum gui_font f, SDL_Color c, int x, int y,
    int maxw, int wrap, const char *s);
int gui_text_width(struct gui_text *t, enum gui_font f, const char *s);
/* The same, measured without making a texture (for long text). */
int gui_text_measure(const struct gui_text *t, enum gui_font f, const char *s);
/* The font's height, and the distance from one line to the next. */
int gui_text_height(const struct gui_text *t, enum gui_font f);
int gui_text_line(const struct gui_text *t, enum gui_font f);
/* How many bytes of s (NUL-terminated) fit in maxw pixels, on a
 * character boundary. */
size_t gui_text_fit(struct gui_text *t, enum gui_font f, const char *s, int maxw);
/* After a frame: free what it did not draw. */
void gui_text_sweep(struct gui_text *t);

#endif
