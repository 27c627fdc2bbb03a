/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostui_demo - the host's window without a session, for tests and docs.
 * It shows the state that stdin describes, one command a line:
 *
 *   session 48213 071934                    session number and code
 *   viewer SLOT STATE NAME ADDR CHECK       add or change a viewer; STATE is
 *                                           WAITING, VIEWING, CONTROLLING or
 *                                           AWAY
 *   drop SLOT                               remove a viewer
 *   clear                                   remove every viewer
 *   status TEXT                             the status line (translated as
 *                                           main.c's are, when it is one of them)
 *   failures N [paused]                     wrong codes so far; "paused": no code
 *   chat WHO TEXT                           a viewer's chat line
 *   mine TEXT                               the host's own line, as once sent
 *   note TEXT                               a line of the window's own (translated
 *                                           as main.c's, when it is one of them)
 *   size W H                                make the window W x H, at least its
 *                                           minimum size ("size 1 1": the smallest)
 *   transfer ... | untransfer ID            fake transfer rows (demo_rows.h)
 *   screenshot FILE                         save the window as BMP
 *
 * and prints "ready" once the window is open, "screenshot FILE" when one
 * was saved and "action KIND slot=N" for each of the host's actions
 * (CHAT_SEND adds text="T", CANCEL_TRANSFER id=I incoming=0|1), until END
 * or the end of stdin. Exit 2 when there is no display or font.
 * HOSTUI_DEBUG=1 makes the window print its buttons on stderr. The
 * language is chosen as the master's (i18n.h); FERNSICHT_LOCALEDIR names
 * the catalogues, which are not beside this tool.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "demo_rows.h"
#include "err.h"
#include "hostui.h"
#include "i18n.h"
#include "log.h"

static const char *const kind_names[] = {
	[HOSTUI_NONE] = "NONE",
	[HOSTUI_ALLOW_CONTROL] = "ALLOW_CONTROL",
	[HOSTUI_ALLOW_VIEW] = "ALLOW_VIEW",
	[HOSTUI_DENY] = "DENY",
	[HOSTUI_KICK] = "KICK",
	[HOSTUI_KICK_AWAY] = "KICK_AWAY",
	[HOSTUI_TAKE_CONTROL] = "TAKE_CONTROL",
	[HOSTUI_END] = "END",
	[HOSTUI_NEW_CODE] = "NEW_CODE",
	[HOSTUI_CHAT_SEND] = "CHAT_SEND",
	[HOSTUI_CANCEL_TRANSFER] = "CANCEL_TRANSFER",
	[HOSTUI_DROP_FILE] = "DROP_FILE",
	[HOSTUI_FILES_ON] = "FILES_ON",
	[HOSTUI_FILES_OFF] = "FILES_OFF",
	[HOSTUI_FETCH_DROP] = "FETCH_DROP",
	[HOSTUI_DROP_MODE] = "DROP_MODE",
};

/* Truncating copy: a demo line may be longer than the field. */
static void
copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static struct hostui_viewer *
find(struct hostui_state *st, unsigned slot)
{
	for (unsigned i = 0; i < st->n; i++)
		if (st->v[i].slot == slot)
			return &st->v[i];
	return NULL;
}

static int
parse_state(const char *s)
{
	if (strcasecmp(s, "WAITING") == 0)
		return HOSTUI_WAITING;
	if (strcasecmp(s, "VIEWING") == 0)
		return HOSTUI_VIEWING;
	if (strcasecmp(s, "CONTROLLING") == 0)
		return HOSTUI_CONTROLLING;
	if (strcasecmp(s, "AWAY") == 0)
		return HOSTUI_AWAY;
	return -1;
}

/* Apply one command line to st, or answer it; 0 or ERR_FORMAT. */
static int
command(struct hostui *ui, struct hostui_state *st, struct demo_rows *rows, char *line)
{
	char a[256], b[256], c[256];
	unsigned slot, check, session;
	struct hostui_viewer *v;
	int state, off = 0;

	if ((state = demo_rows_command(rows, line)) != 0) {
		if (state < 0)
			return ERR_FORMAT;
		hostui_set_transfers(ui, rows->row, rows->n);
	} else if (sscanf(line, "chat %255s %n", a, &off) == 1 && off > 0) {
		hostui_chat_add(ui, a, line + off, strlen(line + off), false);
	} else if (strncmp(line, "mine ", 5) == 0) {
		hostui_chat_add(ui, _("You"), line + 5, strlen(line + 5), true);
	} else if (strncmp(line, "note ", 5) == 0) {
		hostui_chat_note(ui, _(line + 5));
	} else if (sscanf(line, "size %u %u", &slot, &check) == 2) {
		hostui_set_size(ui, (int)slot, (int)check);
	} else if (sscanf(line, "session %u %255s", &session, a) == 2) {
		st->session = session;
		copy(st->code, sizeof(st->code), a);
	} else if (sscanf(line, "viewer %u %255s %255s %255s %u", &slot, a, b, c, &check) == 5) {
		state = parse_state(a);
		if (state < 0 || slot == 0 || slot > SESSION_VIEWERS_MAX)
			return ERR_FORMAT;
		v = find(st, slot);
		if (v == NULL) {
			if (st->n == SESSION_VIEWERS_MAX)
				return ERR_FORMAT;
			v = &st->v[st->n++];
		}
		memset(v, 0, sizeof(*v));
		v->slot = slot;
		v->state = (enum hostui_viewer_state)state;
		v->away = state == HOSTUI_AWAY ? slot : 0;     /* its Remove reports slot=SLOT */
		copy(v->name, sizeof(v->name), b);
		copy(v->addr, sizeof(v->addr), c);
		v->check = check;
	} else if (sscanf(line, "drop %u", &slot) == 1) {
		v = find(st, slot);
		if (v == NULL)
			return ERR_FORMAT;
		memmove(v, v + 1, (size_t)(&st->v[st->n] - (v + 1)) * sizeof(*v));
		st->n--;
		memset(&st->v[st->n], 0, sizeof(st->v[st->n]));
	} else if (strcmp(line, "clear") == 0) {
		st->n = 0;
		memset(st->v, 0, sizeof(st->v));
	} else if (sscanf(line, "failures %u", &check) == 1) {
		st->failures = check;
		st->paused = strstr(line, "paused") != NULL;
	} else if (strncmp(line, "status ", 7) == 0) {
		copy(st->status, sizeof(st->status), _(line + 7));
	} else if (strncmp(line, "screenshot ", 11) == 0) {
		hostui_show(ui, st);
		if (hostui_screenshot(ui, line + 11) != 0)
			return ERR_SYSTEM;
		printf("screenshot %s\n", line + 11);
	} else {
		return ERR_FORMAT;
	}
	hostui_show(ui, st);
	return 0;
}

static void
print_action(const struct hostui_action *a)
{
	char text[4 * MSG_TEXT_MAX + 1];

	switch (a->kind) {
	case HOSTUI_CHAT_SEND:
		printf("action CHAT_SEND slot=%u text=\"%s\"\n", a->slot,
		    log_escape_text(text, sizeof(text), a->text, a->text_len));
		break;
	case HOSTUI_CANCEL_TRANSFER:
		printf("action CANCEL_TRANSFER slot=%u id=%u incoming=%d\n", a->slot,
		    (unsigned)a->id, a->incoming);
		break;
	default:
		printf("action %s slot=%u\n", kind_names[a->kind], a->slot);
		break;
	}
}

int
main(void)
{
	static struct hostui_state st;
	static struct demo_rows rows;
	char why[256], buf[8192];
	size_t len = 0;
	bool eof = false, end = false;
	struct hostui *ui;

	i18n_init();
	if ((ui = hostui_open(why, sizeof(why))) == NULL) {
		fprintf(stderr, "hostui_demo: %s\n", why);
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	while (!eof && !end) {
		struct pollfd p = { .fd = 0, .events = POLLIN };
		struct hostui_action a;
		char *nl;
		ssize_t n;

		/* Short waits: the window also needs hostui_poll to redraw. */
		if (poll(&p, 1, 20) > 0) {
			n = read(0, buf + len, sizeof(buf) - 1 - len);
			if (n < 0 && errno != EINTR && errno != EAGAIN)
				eof = true;
			if (n == 0)
				eof = true;
			if (n > 0)
				len += (size_t)n;
		}
		buf[len] = '\0';
		while ((nl = strchr(buf, '\n')) != NULL) {
			*nl = '\0';
			if (nl > buf && nl[-1] == '\r')
				nl[-1] = '\0';
			if (buf[0] != '\0' && command(ui, &st, &rows, buf) != 0)
				fprintf(stderr, "hostui_demo: cannot do \"%s\"\n", buf);
			len -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, len + 1);
		}
		if (len == sizeof(buf) - 1) {
			fprintf(stderr, "hostui_demo: line too long, dropped\n");
			len = 0;
		}
		while ((a = hostui_poll(ui)).kind != HOSTUI_NONE) {
			print_action(&a);
			if (a.kind == HOSTUI_END)
				end = true;
		}
		fflush(stdout);
	}
	hostui_close(ui);
	return 0;
}
