/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vkeymap.c - the keymap of a virtual keyboard that types any X keysym
 * (used by inject_wlr.c). Pure: no compositor, no files.
 */
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "limits.h"
#include "vkeymap.h"

/* Keysyms there from the start besides printable ASCII. */
static const uint32_t initial_syms[] = {
	0xff0d, 0xff09, 0xff08, 0xff1b, 0xffff, 0xff50, 0xff57, 0xff51, 0xff52,
	0xff53, 0xff54, 0xff55, 0xff56, 0xff63,            /* Return .. Insert */
	0xffe1, 0xffe2, 0xffe3, 0xffe4, 0xffe9, 0xffea,    /* Shift, Control, Alt */
	0xffeb, 0xffec, 0xfe03, 0xffe5,                    /* Super, AltGr, Caps */
	0xffbe, 0xffbf, 0xffc0, 0xffc1, 0xffc2, 0xffc3,    /* F1 .. F12 */
	0xffc4, 0xffc5, 0xffc6, 0xffc7, 0xffc8, 0xffc9,
};

/*
 * Latin-1 graphic characters, the legacy sets and function keys
 * (0x100..0xffff), Unicode characters (0x01000000 + code point, no
 * controls, no surrogates) and vendor keysyms (0x10000000 up).
 */
bool
vkeymap_keysym_valid(uint32_t sym)
{
	if ((sym >= 0x20 && sym <= 0x7e) || (sym >= 0xa0 && sym <= 0xffff))
		return true;
	if (sym >= 0x01000020 && sym <= 0x0110ffff)
		return !(sym >= 0x0100007f && sym <= 0x0100009f) &&
		    !(sym >= 0x0100d800 && sym <= 0x0100dfff);
	return sym >= 0x10000000 && sym <= MSG_KEYCODE_MAX;
}

void
vkeymap_init(struct vkeymap *km)
{
	unsigned i, n = 0;

	memset(km, 0, sizeof(*km));
	for (i = 0; i < sizeof(initial_syms) / sizeof(initial_syms[0]); i++)
		km->sym[n++] = initial_syms[i];
	for (i = 0x20; i <= 0x7e; i++)
		km->sym[n++] = i;
}

int
vkeymap_find(const struct vkeymap *km, uint32_t sym)
{
	for (unsigned i = 0; i < VKEYMAP_ENTRIES; i++)
		if (km->sym[i] == sym)
			return (int)i;
	return -1;
}

int
vkeymap_take(struct vkeymap *km, uint32_t sym, bool (*held)(const void *ctx, unsigned e),
    const void *ctx)
{
	unsigned i, pick = VKEYMAP_ENTRIES;

	BUG_ON(!vkeymap_keysym_valid(sym));
	for (i = 0; i < VKEYMAP_ENTRIES; i++) {
		if (km->sym[i] == 0) {
			pick = i;
			break;
		}
		if (held(ctx, i))
			continue;
		if (pick == VKEYMAP_ENTRIES || km->used[i] < km->used[pick])
			pick = i;
	}
	if (pick == VKEYMAP_ENTRIES)
		return -1;
	km->sym[pick] = sym;
	km->used[pick] = ++km->tick;
	return (int)pick;
}

void
vkeymap_touch(struct vkeymap *km, unsigned e)
{
	BUG_ON(e >= VKEYMAP_ENTRIES);
	km->used[e] = ++km->tick;
}

unsigned
vkeymap_keycode(unsigned e)
{
	return e + VKEYMAP_KEYCODE_FIRST;
}

/*
 * Keycode K is <KK>; a used entry types its keysym on both levels of a
 * two-level type whose second level is Shift's, so that a Shift held is
 * consumed and changes nothing. No actions: the modifier state comes
 * from the virtual keyboard's modifiers requests.
 */
int
vkeymap_text(const struct vkeymap *km, char *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	unsigned i;
	int r;

#define PUT(...) do {                                                       \
		r = snprintf(buf + n, cap - n, __VA_ARGS__);                \
		if (r < 0 || (size_t)r >= cap - n)                          \
			return ERR_NO_SPACE;                                \
		n += (size_t)r;                                             \
	} while (0)
	if (cap == 0)
		return ERR_NO_SPACE;
	PUT("xkb_keymap {\nxkb_keycodes \"fernsicht\" {\n\tminimum = 8;\n\tmaximum = %d;\n",
	    VKEYMAP_KEYCODE_LAST);
	for (i = 0; i < VKEYMAP_ENTRIES; i++)
		PUT("\t<K%u> = %u;\n", vkeymap_keycode(i), vkeymap_keycode(i));
	PUT("};\nxkb_types \"fernsicht\" {\n"
	    "\ttype \"ONE_LEVEL\" { modifiers = none; level_name[Level1] = \"Any\"; };\n"
	    "\ttype \"SAME_SHIFTED\" { modifiers = Shift; map[Shift] = Level2;\n"
	    "\t\tlevel_name[Level1] = \"Base\"; level_name[Level2] = \"Shift\"; };\n"
	    "};\nxkb_compatibility \"fernsicht\" {\n};\nxkb_symbols \"fernsicht\" {\n");
	for (i = 0; i < VKEYMAP_ENTRIES; i++) {
		uint32_t s = km->sym[i];

		if (s == 0)
			continue;
		BUG_ON(!vkeymap_keysym_valid(s));
		PUT("\tkey <K%u> { type = \"SAME_SHIFTED\", symbols[Group1] = [ 0x%x, 0x%x ] };\n",
		    vkeymap_keycode(i), (unsigned)s, (unsigned)s);
	}
	PUT("};\n};\n");
#undef PUT
	*len = n + 1;   /* the compositor reads it as a C string: with its NUL */
	return 0;
}
