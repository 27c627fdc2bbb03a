/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vkeymap - the virtual keyboard's keymap (master/vkeymap.c): which
 * 32-bit values count as keysyms, taking entries (free first, then the
 * least recently used one nobody holds), and the XKB text: compiled with
 * libxkbcommon as a compositor and its clients do, every keycode types its
 * keysym on both levels, for the start keymap, for keymaps full of random
 * keysyms from every range, and at the ranges' edges.
 */
#include <string.h>

#include <xkbcommon/xkbcommon.h>

#include "test.h"
#include "vkeymap.h"

static char text[VKEYMAP_TEXT_MAX];
static struct xkb_context *ctx;

static uint64_t rng = 0x9e3779b97f4a7c15u;

static uint32_t
next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/* Compile km's text; does every used keycode type its keysym on both levels? */
static int
compiles_to_itself(const struct vkeymap *km)
{
	struct xkb_keymap *x;
	size_t len;
	int ok = 1;

	if (vkeymap_text(km, text, sizeof(text), &len) != 0 || len != strlen(text) + 1)
		return 0;
	if ((x = xkb_keymap_new_from_string(ctx, text, XKB_KEYMAP_FORMAT_TEXT_V1, 0)) == NULL)
		return 0;
	for (unsigned e = 0; e < VKEYMAP_ENTRIES && ok; e++) {
		xkb_keycode_t kc = vkeymap_keycode(e);

		for (unsigned level = 0; level < 2; level++) {
			const xkb_keysym_t *syms;
			int n = xkb_keymap_key_get_syms_by_level(x, kc, 0, level, &syms);

			if (km->sym[e] == 0 ? n != 0 : n != 1 || syms[0] != km->sym[e]) {
				printf("# keycode %u level %u: %d syms, want 0x%x\n", kc, level, n,
				    (unsigned)km->sym[e]);
				ok = 0;
				break;
			}
		}
	}
	xkb_keymap_unref(x);
	return ok;
}

static bool
held_none(const void *c, unsigned e)
{
	(void)c, (void)e;
	return false;
}

/* Entries 0..VKEYMAP_ENTRIES-1 held where the mask says so. */
static bool
held_mask(const void *c, unsigned e)
{
	const bool *held = c;

	return held[e];
}

static void
test_valid(void)
{
	static const uint32_t good[] = { 0x20, 0x41, 0x7e, 0xa0, 0xff, 0x100, 0x20ac, 0xfe52,
		0xff0d, 0xffff, 0x01000020, 0x010000a0, 0x010020ac, 0x0101f600, 0x0110ffff,
		0x10000000, 0x1008ff12, 0x1fffffff };
	static const uint32_t bad[] = { 0, 1, 0x1f, 0x7f, 0x80, 0x9f, 0x10000, 0xffffff,
		0x01000000, 0x0100001f, 0x0100007f, 0x0100009f, 0x0100d800, 0x0100dfff,
		0x01110000, 0x0fffffff, 0x20000000, 0xffffffff };

	for (unsigned i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!CHECK(vkeymap_keysym_valid(good[i])))
			printf("# 0x%x\n", (unsigned)good[i]);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!CHECK(!vkeymap_keysym_valid(bad[i])))
			printf("# 0x%x\n", (unsigned)bad[i]);
}

static void
test_start(void)
{
	struct vkeymap km;

	vkeymap_init(&km);
	CHECK(vkeymap_find(&km, 'a') >= 0);
	CHECK(vkeymap_find(&km, 0xff0d) >= 0);          /* Return */
	CHECK(vkeymap_find(&km, 0xffe1) >= 0);          /* Shift_L */
	CHECK(vkeymap_find(&km, 0x20ac) < 0);           /* EuroSign: added when it comes */
	CHECK(vkeymap_keycode(0) == 9 && vkeymap_keycode(VKEYMAP_ENTRIES - 1) == 255);
	CHECK(compiles_to_itself(&km));
}

static void
test_take(void)
{
	static bool held[VKEYMAP_ENTRIES];
	struct vkeymap km;
	int first, e;
	uint32_t old;
	unsigned n = 0;

	vkeymap_init(&km);
	for (unsigned i = 0; i < VKEYMAP_ENTRIES; i++)
		n += km.sym[i] == 0;
	/* The free entries go first, then the least recently used. */
	first = vkeymap_take(&km, 0x01000400, held_none, NULL);
	CHECK(first >= 0 && km.sym[first] == 0x01000400);
	for (unsigned i = 1; i < n; i++)
		vkeymap_take(&km, 0x01000400 + i, held_none, NULL);
	for (unsigned i = 0; i < VKEYMAP_ENTRIES; i++)
		vkeymap_touch(&km, i);                  /* all used, entry 0 longest ago */
	vkeymap_touch(&km, 0);
	vkeymap_touch(&km, 1);
	old = km.sym[2];
	e = vkeymap_take(&km, 0x20ac, held_none, NULL);
	CHECK(e == 2 && km.sym[2] == 0x20ac && vkeymap_find(&km, old) == -1);
	/* Held entries are never taken. */
	held[3] = held[4] = true;
	e = vkeymap_take(&km, 0x20ad, held_mask, held);
	CHECK(e == 5);
	memset(held, 1, sizeof(held));
	CHECK(vkeymap_take(&km, 0x20ae, held_mask, held) == -1);
	CHECK(vkeymap_find(&km, 0x20ae) == -1);
	CHECK(compiles_to_itself(&km));
}

/* Keymaps full of random keysyms of every range compile to themselves. */
static void
test_random(void)
{
	struct vkeymap km;
	unsigned rounds_ok = 0, tried = 0;

	for (unsigned round = 0; round < 20; round++) {
		vkeymap_init(&km);
		for (unsigned i = 0; i < 400; i++) {
			uint32_t s;

			switch (next_random() % 4) {
			case 0: s = 0x20 + next_random() % 0xffe0; break;
			case 1: s = 0x01000000 + next_random() % 0x110000; break;
			case 2: s = 0x10000000 + next_random() % 0x10000000; break;
			default: s = next_random(); break;     /* mostly not a keysym */
			}
			tried++;
			if (!vkeymap_keysym_valid(s) || vkeymap_find(&km, s) >= 0)
				continue;
			vkeymap_take(&km, s, held_none, NULL);
		}
		rounds_ok += compiles_to_itself(&km);
	}
	CHECK(rounds_ok == 20);
	CHECK(tried == 8000);
}

/* The longest text (every entry a vendor keysym of 8 hex digits) fits. */
static void
test_edges(void)
{
	struct vkeymap km;
	static const uint32_t edge[] = { 0x20, 0x7e, 0xa0, 0xffff, 0x01000020, 0x010000a0,
		0x0100d7ff, 0x0100e000, 0x0110ffff, 0x10000000, 0x1fffffff };
	size_t len;

	memset(&km, 0, sizeof(km));
	for (unsigned i = 0; i < VKEYMAP_ENTRIES; i++)
		km.sym[i] = i < sizeof(edge) / sizeof(edge[0]) ? edge[i] : 0x1fffff00 + i;
	CHECK(compiles_to_itself(&km));
	CHECK(vkeymap_text(&km, text, sizeof(text), &len) == 0 && len < sizeof(text));
	CHECK(vkeymap_text(&km, text, 100, &len) == ERR_NO_SPACE);
	CHECK(vkeymap_text(&km, text, 0, &len) == ERR_NO_SPACE);
	memset(&km, 0, sizeof(km));
	CHECK(compiles_to_itself(&km));                 /* no keysym at all */
}

int
main(void)
{
	if ((ctx = xkb_context_new(XKB_CONTEXT_NO_DEFAULT_INCLUDES |
	    XKB_CONTEXT_NO_ENVIRONMENT_NAMES)) == NULL)
		TEST_BAIL("no xkb context");
	test_valid();
	test_start();
	test_take();
	test_random();
	test_edges();
	xkb_context_unref(ctx);
	return test_done();
}
