/* SPDX-License-Identifier: Apache-2.0 */
/*
 * script.h - scripted input for the headless viewer (tests, demos).
 *
 * One step per line, run in order once the host has allowed the viewer,
 * SCRIPT_GAP_MS apart unless a sleep says otherwise:
 *   key KEYSYM        press and release (hex 0x.. or decimal X keysym)
 *   type TEXT         press and release each printable ASCII character
 *   pointer X Y       move to an absolute position
 *   button N down|up  mouse button 1..9
 *   wheel DX DY       scroll steps (-32768..32767)
 *   chat TEXT | clipboard TEXT
 *   sleep MS
 * Blank lines and lines starting with # are ignored.
 */
#ifndef VIEWER_SCRIPT_H
#define VIEWER_SCRIPT_H

#include <stdbool.h>
#include <stdint.h>

#include "msg.h"

enum { SCRIPT_STEPS_MAX = 4096, SCRIPT_GAP_MS = 20, SCRIPT_LINE_MAX = 1024 };

enum script_kind { STEP_INPUT, STEP_CHAT, STEP_CLIPBOARD, STEP_SLEEP };

struct script_step {
	enum script_kind kind;
	struct msg_input in;
	char *text;
	uint32_t ms;
};

struct script {
	struct script_step *steps;
	unsigned n, next;
	uint64_t due_ms;
	char why[128];
};

struct vsession;

void script_init(struct script *s);
int script_load(struct script *s, const char *path) WUR;
void script_free(struct script *s);
bool script_pending(const struct script *s);
int script_wait_ms(const struct script *s, uint64_t now_ms);
/* Send every step that is due. */
int script_run(struct script *s, struct vsession *vs, uint64_t now_ms) WUR;

#endif
