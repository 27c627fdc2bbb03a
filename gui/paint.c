/* SPDX-License-Identifier: Apache-2.0 */
/* paint.c - filled and outlined rectangles (paint.h). */
#include "paint.h"

void
gui_fill(SDL_Renderer *ren, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	SDL_RenderFillRect(ren, &r);
}

void
gui_outline(SDL_Renderer *ren, SDL_Rect r, SDL_Color c)
{
	SDL_SetRenderDrawColor(ren, c.r, c.g, c.b, c.a);
	SDL_RenderDrawRect(ren, &r);
}
