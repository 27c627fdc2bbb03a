/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vkeymap.h - the keymap of a virtual keyboard that types any X keysym,
 * whatever the host's layout: keycodes 9..255, each typing one keysym on
 * both of its shift levels. It starts with the common keysyms; one it
 * lacks takes a free keycode or the least recently used one nobody holds.
 * Its XKB text is written from numbers only (keycodes, and keysyms checked
 * by vkeymap_keysym_valid), never from text a peer sent.
 */
#ifndef MASTER_VKEYMAP_H
#define MASTER_VKEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	VKEYMAP_KEYCODE_FIRST = 9,      /* X clients (Xwayland) see keycodes 8..255 */
	VKEYMAP_KEYCODE_LAST = 255,
	VKEYMAP_ENTRIES = VKEYMAP_KEYCODE_LAST - VKEYMAP_KEYCODE_FIRST + 1,
	VKEYMAP_TEXT_MAX = 32768,       /* a full keymap is about 22 KB */
};

struct vkeymap {
	uint32_t sym[VKEYMAP_ENTRIES];  /* 0: free */
	uint64_t used[VKEYMAP_ENTRIES]; /* tick of the last use */
	uint64_t tick;
};

/* Is sym an X keysym (one a keymap may carry)? */
bool vkeymap_keysym_valid(uint32_t sym);
/* The common keysyms: printable ASCII, editing keys, modifiers, F-keys. */
void vkeymap_init(struct vkeymap *km);
/* The entry that types sym, or -1. */
int vkeymap_find(const struct vkeymap *km, uint32_t sym);
/*
 * Give sym (valid) an entry: a free one, else the least recently used one
 * that held(ctx, entry) says nobody holds; -1 when every entry is held.
 * The keymap changed: its text must go to the compositor again.
 */
int vkeymap_take(struct vkeymap *km, uint32_t sym, bool (*held)(const void *ctx, unsigned e),
    const void *ctx);
/* Entry e was used now (a press). */
void vkeymap_touch(struct vkeymap *km, unsigned e);
/* The XKB keycode of entry e; the evdev code is 8 less. */
unsigned vkeymap_keycode(unsigned e);
/* The keymap as XKB text in buf, NUL-terminated; *len counts the NUL. */
int vkeymap_text(const struct vkeymap *km, char *buf, size_t cap, size_t *len);

#endif
