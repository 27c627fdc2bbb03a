/* SPDX-License-Identifier: Apache-2.0 */
/*
 * alert.c - the message box of alert.h (SDL's: it needs no SDL_Init).
 */
#include <SDL.h>

#include "alert.h"
#include "log.h"

void
gui_alert(const char *text)
{
	/* The programs handle their own signals. */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	if (SDL_ShowSimpleMessageBox(SDL_MESSAGEBOX_ERROR, "Fernsicht", text, NULL) != 0)
		log_debug("gui: no message box: %s", SDL_GetError());
}
