/* SPDX-License-Identifier: Apache-2.0 */
/*
 * console.c - the master's standard input: a consent answer or a command
 * per line (the list is in usage.c), for the headless host and its tests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "drop.h"
#include "drop_offer.h"
#include "event.h"
#include "session.h"
#include "settings.h"

/* The word at *s (cut at the next space, *s moved past it); NULL when
 * nothing is left. The last word of a line may hold spaces: a path. */
static char *
next_word(char **s)
{
	char *w = *s, *sp;

	if (w == NULL || *w == '\0')
		return NULL;
	if ((sp = strchr(w, ' ')) != NULL) {
		*sp = '\0';
		*s = sp + 1;
	} else {
		*s = NULL;
	}
	return w;
}

/* "send SLOT PATH", "cancel SLOT in|out ID", "files SLOT on|off". */
static int
files_command(struct master *m, char *line)
{
	char *verb = next_word(&line), *slot_s = next_word(&line), *rest = line;
	unsigned long slot, id;

	if (slot_s == NULL || rest == NULL || rest[0] == '\0' ||
	    settings_parse_uint(slot_s, 1, MASTER_SLOTS_MAX, &slot) != 0) {
		event("%s: wants a slot (1..%d) and more", verb, MASTER_SLOTS_MAX);
		return 0;
	}
	if (strcmp(verb, "send") == 0) {
		xfer_send(m, slot, rest);
	} else if (strcmp(verb, "files") == 0) {
		if (strcmp(rest, "on") != 0 && strcmp(rest, "off") != 0)
			event("files: wants on or off");
		else
			return master_session_files_right(m, (uint16_t)slot,
			    strcmp(rest, "on") == 0);
	} else {
		char *dir = next_word(&rest), *id_s = rest;

		if (dir == NULL || id_s == NULL || (strcmp(dir, "in") != 0 &&
		    strcmp(dir, "out") != 0) || settings_parse_uint(id_s, 1, UINT32_MAX, &id) != 0)
			event("cancel: wants SLOT in|out ID");
		else
			xfer_cancel(m, slot, (uint32_t)id, strcmp(dir, "in") == 0);
	}
	return 0;
}

/* One stdin line: a consent answer or a command. */
static int
stdin_command(struct master *m, char *line)
{
	unsigned long slot;

	line[strcspn(line, "\r\n")] = '\0';
	if (strcmp(line, "y") == 0 || strcmp(line, "yes") == 0)
		master_session_consent(m, true, MSG_RIGHTS_ALL);
	else if (strcmp(line, "v") == 0)
		master_session_consent(m, true, MSG_RIGHT_VIEW);
	else if (strcmp(line, "n") == 0 || strcmp(line, "no") == 0)
		master_session_consent(m, false, 0);
	else if (strncmp(line, "kick ", 5) == 0 &&
	    settings_parse_uint(line + 5, 1, MASTER_SLOTS_MAX, &slot) == 0)
		return master_session_kick(m, (uint16_t)slot);
	else if (strcmp(line, "end") == 0)
		return master_session_end(m);
	else if (strcmp(line, "take") == 0)
		return master_session_take_control(m);
	else if (strcmp(line, "newcode") == 0)
		master_session_new_code(m);
	else if (strncmp(line, "drop ", 5) == 0 && line[5] != '\0')
		drop_start(m, line + 5);
	else if (strncmp(line, "fetch ", 6) == 0 && line[6] != '\0')
		drop_offer_fetch(m, line + 6);
	else if (strncmp(line, "send ", 5) == 0 || strncmp(line, "cancel ", 7) == 0 ||
	    strncmp(line, "files ", 6) == 0)
		return files_command(m, line);
	else if (line[0] != '\0') {
		event("unknown command '%s' (y, v, n, take, kick SLOT, newcode, send SLOT PATH, "
		    "cancel SLOT in|out ID, files SLOT on|off, drop PATH, fetch LINK, end)", line);
	}
	return 0;
}

/* Read what stdin has; whole lines become commands. */
int
console_read(struct master *m, char *acc, size_t acc_size, size_t *acc_len, bool *eof)
{
	char *nl;
	ssize_t n;
	int r;

	n = read(STDIN_FILENO, acc + *acc_len, acc_size - 1 - *acc_len);
	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN))
			*eof = true;
		return 0;
	}
	*acc_len += (size_t)n;
	acc[*acc_len] = '\0';
	while ((nl = strchr(acc, '\n')) != NULL) {
		*nl = '\0';
		if ((r = stdin_command(m, acc)) != 0)
			return r;
		memmove(acc, nl + 1, *acc_len - (size_t)(nl + 1 - acc) + 1);
		*acc_len -= (size_t)(nl + 1 - acc);
	}
	if (*acc_len == acc_size - 1)
		*acc_len = 0;   /* an over-long line: drop it */
	return 0;
}
