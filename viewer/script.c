/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "session.h"

void
script_init(struct script *s)
{
	memset(s, 0, sizeof(*s));
}

void
script_free(struct script *s)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		free(s->steps[i].text);
	free(s->steps);
	memset(s, 0, sizeof(*s));
}

static int
num(const char *s, long lo, long hi, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 0);
	return errno != 0 || end == s || *end != '\0' || *out < lo || *out > hi ? -1 : 0;
}

static struct script_step *
add(struct script *s, enum script_kind kind)
{
	struct script_step *st;

	if (s->n == SCRIPT_STEPS_MAX)
		return NULL;
	st = &s->steps[s->n++];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	return st;
}

static int
add_key(struct script *s, uint32_t keysym)
{
	struct script_step *st;
	int down;

	for (down = 1; down >= 0; down--) {
		if ((st = add(s, STEP_INPUT)) == NULL)
			return -1;
		st->in.kind = MSG_INPUT_KEY;
		st->in.code = keysym;
		st->in.arg = (uint8_t)down;
	}
	return 0;
}

static int
parse_line(struct script *s, char *line)
{
	char *arg = strchr(line, ' '), *a2;
	struct script_step *st;
	long x, y;

	if (arg != NULL)
		*arg++ = '\0';
	if (strcmp(line, "key") == 0 && arg != NULL && num(arg, 0, MSG_KEYCODE_MAX, &x) == 0)
		return add_key(s, (uint32_t)x);
	if (strcmp(line, "type") == 0 && arg != NULL) {
		for (; *arg != '\0'; arg++)
			if ((unsigned char)*arg < 0x20 || (unsigned char)*arg > 0x7E ||
			    add_key(s, (unsigned char)*arg) != 0)
				return -1;
		return 0;
	}
	if ((strcmp(line, "chat") == 0 || strcmp(line, "clipboard") == 0) && arg != NULL) {
		if ((st = add(s, line[0] == 'c' && line[1] == 'h' ? STEP_CHAT : STEP_CLIPBOARD)) == NULL ||
		    (st->text = strdup(arg)) == NULL)
			return -1;
		return 0;
	}
	if (strcmp(line, "sleep") == 0 && arg != NULL && num(arg, 0, 600000, &x) == 0) {
		if ((st = add(s, STEP_SLEEP)) == NULL)
			return -1;
		st->ms = (uint32_t)x;
		return 0;
	}
	if (arg == NULL || (a2 = strchr(arg, ' ')) == NULL)
		return -1;
	*a2++ = '\0';
	if ((st = add(s, STEP_INPUT)) == NULL)
		return -1;
	if (strcmp(line, "pointer") == 0 && num(arg, 0, 65535, &x) == 0 &&
	    num(a2, 0, 65535, &y) == 0) {
		st->in.kind = MSG_INPUT_POINTER;
		st->in.x = (uint16_t)x;
		st->in.y = (uint16_t)y;
		return 0;
	}
	if (strcmp(line, "button") == 0 && num(arg, 1, 9, &x) == 0 &&
	    (strcmp(a2, "down") == 0 || strcmp(a2, "up") == 0)) {
		st->in.kind = MSG_INPUT_BUTTON;
		st->in.arg = (uint8_t)x;
		st->in.code = strcmp(a2, "down") == 0;
		return 0;
	}
	if (strcmp(line, "wheel") == 0 && num(arg, -32768, 32767, &x) == 0 &&
	    num(a2, -32768, 32767, &y) == 0) {
		st->in.kind = MSG_INPUT_WHEEL;
		st->in.x = (uint16_t)(int16_t)x;
		st->in.y = (uint16_t)(int16_t)y;
		return 0;
	}
	return -1;
}

int
script_load(struct script *s, const char *path)
{
	char line[SCRIPT_LINE_MAX];
	unsigned lineno = 0;
	FILE *f;

	if ((s->steps = calloc(SCRIPT_STEPS_MAX, sizeof(*s->steps))) == NULL) {
		snprintf(s->why, sizeof(s->why), "out of memory");
		return ERR_NOMEM;
	}
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(s->why, sizeof(s->why), "%s", strerror(errno));
		return ERR_SYSTEM;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (parse_line(s, line) != 0) {
			snprintf(s->why, sizeof(s->why), "line %u: not understood (or too many steps)",
			    lineno);
			fclose(f);
			return ERR_FORMAT;
		}
	}
	fclose(f);
	return 0;
}

bool
script_pending(const struct script *s)
{
	return s->next < s->n;
}

int
script_wait_ms(const struct script *s, uint64_t now_ms)
{
	return s->due_ms > now_ms ? (int)(s->due_ms - now_ms) : 0;
}

int
script_run(struct script *s, struct vsession *vs, uint64_t now_ms)
{
	struct script_step *st;
	struct buf m;
	int r = 0;

	buf_init(&m, MSG_CLIPBOARD_MAX + 16);
	while (script_pending(s) && now_ms >= s->due_ms && r == 0) {
		st = &s->steps[s->next++];
		s->due_ms = now_ms + SCRIPT_GAP_MS;
		buf_reset(&m);
		switch (st->kind) {
		case STEP_SLEEP:
			s->due_ms = now_ms + st->ms;
			continue;
		case STEP_INPUT:
			r = msg_input_encode(&m, &st->in);
			break;
		case STEP_CHAT:
			r = msg_chat_encode(&m, st->text, strlen(st->text));
			break;
		case STEP_CLIPBOARD:
			r = msg_clipboard_encode(&m, st->text, strlen(st->text));
			break;
		}
		if (r == 0)
			r = vsession_send(vs, &m);
	}
	buf_release(&m);
	return r;
}
