/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wl_input - replay input lines on a wlroots compositor ($WAYLAND_DISPLAY)
 * through master/inject_wlr.c as viewer slot 1, for tests. Lines on stdin:
 *   pointer X Y | button N down|up | wheel DX DY
 *   key KEYSYM_NAME|0xHEX down|up [SCANCODE]
 *   type UTF8TEXT      every character pressed and released as its keysym
 *   release            inject_release(1)
 *   sleep MS
 * Keysym names are Xlib's (XStringToKeysym needs no display). Prints "ok
 * N" after line N; an event inject refuses prints "refused N ERR" and the
 * tool goes on. The exit code is 1 when a line could not be
 * parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/keysym.h>

#include "err.h"
#include "inject.h"

enum { AREA_W = 4096, AREA_H = 4096 };

static struct inject *in;
static int failed;

static void
send(unsigned lineno, struct msg_input *ev)
{
	int r = inject_event(in, 1, ev, 0, 0, AREA_W, AREA_H);

	if (r != 0)
		printf("refused %u %s\n", lineno, err_str(r));
}

static void
key(unsigned lineno, uint32_t sym, int down, unsigned scancode)
{
	struct msg_input ev = { .kind = MSG_INPUT_KEY, .arg = (uint8_t)down,
	    .x = (uint16_t)scancode, .code = sym };

	send(lineno, &ev);
}

/* One UTF-8 character's keysym: Latin-1 as itself, others 0x01000000 + U. */
static const char *
next_keysym(const char *p, uint32_t *sym)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t cp;
	int n, i;

	if (u[0] < 0x80) {
		cp = u[0];
		n = 1;
	} else if ((u[0] & 0xE0) == 0xC0) {
		cp = u[0] & 0x1F;
		n = 2;
	} else if ((u[0] & 0xF0) == 0xE0) {
		cp = u[0] & 0x0F;
		n = 3;
	} else {
		cp = u[0] & 0x07;
		n = 4;
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return NULL;
		cp = cp << 6 | (u[i] & 0x3F);
	}
	if (cp == '\n')
		*sym = XK_Return;
	else if (cp == '\t')
		*sym = XK_Tab;
	else if ((cp >= 0x20 && cp <= 0x7E) || (cp >= 0xA0 && cp <= 0xFF))
		*sym = cp;
	else
		*sym = 0x01000000 + cp;
	return p + n;
}

static int
line(unsigned lineno, char *s)
{
	char a[256], b[64];
	struct msg_input ev = { 0 };
	unsigned sc = 0;
	long x, y;
	int n;

	if (sscanf(s, "pointer %ld %ld", &x, &y) == 2) {
		ev.kind = MSG_INPUT_POINTER;
		ev.x = (uint16_t)x;
		ev.y = (uint16_t)y;
		send(lineno, &ev);
	} else if (sscanf(s, "button %ld %63s", &x, b) == 2) {
		ev.kind = MSG_INPUT_BUTTON;
		ev.arg = (uint8_t)x;
		ev.code = strcmp(b, "down") == 0;
		send(lineno, &ev);
	} else if (sscanf(s, "wheel %ld %ld", &x, &y) == 2) {
		ev.kind = MSG_INPUT_WHEEL;
		ev.x = (uint16_t)(int16_t)x;
		ev.y = (uint16_t)(int16_t)y;
		send(lineno, &ev);
	} else if ((n = sscanf(s, "key %255s %63s %u", a, b, &sc)) >= 2) {
		KeySym k = strncmp(a, "0x", 2) == 0 ? strtoul(a, NULL, 16) : XStringToKeysym(a);

		if (k == NoSymbol && strncmp(a, "0x", 2) != 0)
			return -1;
		key(lineno, (uint32_t)k, strcmp(b, "down") == 0, sc);
	} else if (strncmp(s, "type ", 5) == 0) {
		const char *p = s + 5;
		uint32_t sym;

		while (*p != '\0') {
			if ((p = next_keysym(p, &sym)) == NULL)
				return -1;
			key(lineno, sym, 1, 0);
			key(lineno, sym, 0, 0);
		}
	} else if (strcmp(s, "release") == 0) {
		inject_release(in, 1);
	} else if (sscanf(s, "sleep %ld", &x) == 1) {
		usleep((useconds_t)x * 1000);
	} else {
		return -1;
	}
	return 0;
}

int
main(void)
{
	char buf[4096], why[200];
	unsigned lineno = 0;

	if ((in = inject_open("wlr", NULL, why, sizeof(why))) == NULL) {
		fprintf(stderr, "wl_input: %s\n", why);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(buf, sizeof(buf), stdin) != NULL) {
		lineno++;
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] == '\0' || buf[0] == '#')
			continue;
		if (line(lineno, buf) != 0) {
			fprintf(stderr, "wl_input: line %u: cannot parse: %s\n", lineno, buf);
			failed = 1;
			continue;
		}
		printf("ok %u\n", lineno);
	}
	inject_close(in);
	return failed;
}
