/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip_mutter.c - the host's clipboard on GNOME through the clipboard of
 * Mutter's RemoteDesktop session (the one the capture shares, from
 * mutter_session.c), as UTF-8 text like clip_x11.c and clip_wlr.c:
 *   EnableClipboard             Mutter tells us who owns the clipboard;
 *   SelectionOwnerChanged       the host copied: its text types, and
 *                               whether the owner is our own session;
 *   SelectionRead               a pipe with the host's text;
 *   SetSelection                a viewer's text becomes the clipboard;
 *   SelectionTransfer/Write     a host program pastes it: a pipe to write
 *                               the text into, then SelectionWriteDone.
 * The desktop portal has no clipboard in xdg-desktop-portal 1.16, so
 * this is GNOME's only one here (Mutter's interfaces: no dialog).
 *
 * Everything Mutter sends is read with typed getters and bounded (types
 * looked at, transfers waiting); the text moves through clip_text.c
 * within CLIP_IO_MS. SetSelection goes without waiting (one call in
 * flight: a viewer sending text after text never stalls the loop), pastes
 * are answered within one CLIP_IO_MS a round, and a paste beyond those
 * gets an empty answer at once (only SelectionWrite ends a paste in
 * Mutter; unanswered, the pasting program would wait 15 s). A restarted
 * session (Mutter makes a new one when the monitors change) gets the
 * clipboard enabled again, once, and the viewer's text offered again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <systemd/sd-bus.h>

#include "clip.h"
#include "clip_text.h"
#include "clock.h"
#include "err.h"
#include "limits.h"
#include "log.h"
#include "screencast_session.h"

/* The names mutter_session.c calls too. */
#define RD_NAME "org.gnome.Mutter.RemoteDesktop"
#define RD_SESSION RD_NAME ".Session"

enum {
	CLIP_MUTTER_PATH_LEN = 256,     /* the session's path, as long as mutter_session.c's */
	CLIP_MUTTER_TYPES_MAX = 64,     /* MIME types of one owner looked at; the rest ignored */
	CLIP_MUTTER_TRANSFERS_MAX = 8,  /* pastes waiting for our text; more are left unanswered */
};

struct mutter_clip {
	struct clip base;               /* first: clip.c sees only this */
	struct screencast_session *ss;
	sd_bus *bus;
	char path[CLIP_MUTTER_PATH_LEN];        /* the session the clipboard is on */
	bool off;                       /* Mutter refused it on that session */
	sd_bus_slot *owner_slot, *transfer_slot;
	sd_bus_slot *set_slot;          /* SetSelection in flight */
	bool set_answered, set_again;   /* ... answered; to be sent again after it */
	bool set_failing;               /* the last one was refused (said once) */
	unsigned rank;                  /* the host's new copy: its best text type; 0 none */
	bool enabling;                  /* owners announced before EnableClipboard answered */
	uint32_t transfers[CLIP_MUTTER_TRANSFERS_MAX];  /* serials of pastes of our text */
	unsigned ntransfers;
	unsigned emptied;               /* pastes answered empty since the last round */
	char *ours;                     /* the viewer's text we offer, or NULL */
	size_t ours_len;
	char *got;                      /* the host's text last read */
	size_t got_len;
};

/* The mime-types of an owner, as Mutter 43 sends them ("(as)": an array
 * in a structure) or as plain "as": the best text rank among the first
 * CLIP_MUTTER_TYPES_MAX; -1 when the message is malformed. */
static int
read_types(sd_bus_message *m, unsigned *rank)
{
	const char *contents = NULL, *type;
	bool wrapped;
	char kind;
	int r;
	unsigned n = 0;

	if (sd_bus_message_peek_type(m, &kind, &contents) <= 0 || kind != 'v' || contents == NULL)
		return -1;
	wrapped = strcmp(contents, "(as)") == 0;
	if (!wrapped && strcmp(contents, "as") != 0)
		return sd_bus_message_skip(m, "v") < 0 ? -1 : 0;
	if (sd_bus_message_enter_container(m, 'v', contents) <= 0 ||
	    (wrapped && sd_bus_message_enter_container(m, 'r', "as") <= 0) ||
	    sd_bus_message_enter_container(m, 'a', "s") <= 0)
		return -1;
	while ((r = sd_bus_message_read(m, "s", &type)) > 0)
		if (n++ < CLIP_MUTTER_TYPES_MAX && clip_text_rank(type) > *rank)
			*rank = clip_text_rank(type);
	if (r < 0 || sd_bus_message_exit_container(m) < 0 ||
	    (wrapped && sd_bus_message_exit_container(m) < 0) ||
	    sd_bus_message_exit_container(m) < 0)
		return -1;
	return 0;
}

static int
on_owner_changed(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct mutter_clip *c = arg;
	unsigned rank = 0;
	int own = 0, r;
	const char *key;

	(void)ret_error;
	if (sd_bus_message_enter_container(m, 'a', "{sv}") <= 0)
		goto bad;
	while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		if (sd_bus_message_read(m, "s", &key) <= 0)
			goto bad;
		if (strcmp(key, "mime-types") == 0)
			r = read_types(m, &rank);
		else if (strcmp(key, "session-is-owner") == 0)
			r = sd_bus_message_read(m, "v", "b", &own) > 0 ? 0 : -1;
		else
			r = sd_bus_message_skip(m, "v");
		if (r < 0 || sd_bus_message_exit_container(m) < 0)
			goto bad;
	}
	if (r < 0)
		goto bad;
	/* Our own text (the viewer's) coming back, or the clipboard as it
	 * was before we looked: not the host's new copy. */
	if (c->enabling)
		return 0;
	c->rank = own ? 0 : rank;       /* ours is no copy of the host's */
	if (own)
		return 0;
	if (rank == 0)
		log_debug("clipboard: the host copied something that is not text");
	return 0;
bad:
	log_warn("clipboard: GNOME Mutter sent a malformed SelectionOwnerChanged");
	return 0;
}

/* End a paste with nothing: SelectionWrite with no reply expected, so
 * Mutter drops the pipe it made and the pasting program reads an empty
 * text at once. */
static void
release(struct mutter_clip *c, uint32_t serial)
{
	(void)sd_bus_call_method_async(c->bus, NULL, RD_NAME, c->path, RD_SESSION,
	    "SelectionWrite", NULL, NULL, "u", serial);
	c->emptied++;           /* said once a round (serve_transfers) */
}

static int
on_transfer(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct mutter_clip *c = arg;
	const char *type;
	uint32_t serial;

	(void)ret_error;
	if (sd_bus_message_read(m, "su", &type, &serial) <= 0) {
		log_warn("clipboard: GNOME Mutter sent a malformed SelectionTransfer");
		return 0;
	}
	if (c->ntransfers == CLIP_MUTTER_TRANSFERS_MAX) {
		release(c, serial);
		return 0;
	}
	c->transfers[c->ntransfers++] = serial;
	return 0;
}

/* The fd in a reply's "h", duplicated (the reply owns its own): -1 when
 * there is none. */
static int
reply_fd(sd_bus_message *reply)
{
	int fd;

	if (sd_bus_message_read(reply, "h", &fd) <= 0)
		return -1;
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* Call member on the session with one argument of type "s" or "u",
 * waiting at most timeout_ms, and return the pipe it answers with; -1
 * (logged) when it refused. */
static int
call_for_fd(struct mutter_clip *c, uint64_t timeout_ms, const char *member,
    const char *types, ...)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	sd_bus_message *call = NULL, *reply = NULL;
	va_list ap;
	int r, fd = -1;

	r = sd_bus_message_new_method_call(c->bus, &call, RD_NAME, c->path, RD_SESSION, member);
	if (r >= 0) {
		va_start(ap, types);
		r = sd_bus_message_appendv(call, types, ap);
		va_end(ap);
	}
	if (r >= 0)
		r = sd_bus_call(c->bus, call, timeout_ms * 1000, &e, &reply);
	if (r >= 0 && (fd = reply_fd(reply)) < 0)
		log_warn("clipboard: GNOME Mutter answered %s without a pipe", member);
	else if (r < 0)
		log_info("clipboard: GNOME Mutter refused %s: %s", member,
		    e.message != NULL ? e.message : strerror(-r));
	sd_bus_error_free(&e);
	sd_bus_message_unref(reply);
	sd_bus_message_unref(call);
	return fd;
}

/* Answer the pastes that wait: our text into each one's pipe, all of
 * them within one CLIP_IO_MS; those left then, or with no text of ours,
 * get an empty answer. */
static void
serve_transfers(struct mutter_clip *c)
{
	uint64_t until = mono_ms() + CLIP_IO_MS;

	for (unsigned i = 0; i < c->ntransfers; i++) {
		uint32_t serial = c->transfers[i];
		uint64_t now = mono_ms();
		bool whole = false;
		int fd;

		if (c->ours == NULL || now >= until) {
			release(c, serial);
			continue;
		}
		if ((fd = call_for_fd(c, until - now, "SelectionWrite", "u", serial)) >= 0) {
			whole = clip_text_write(fd, c->ours, c->ours_len, until);
			close(fd);
		}
		/* No answer is waited for: the paste has its text or not. */
		(void)sd_bus_call_method_async(c->bus, NULL, RD_NAME, c->path, RD_SESSION,
		    "SelectionWriteDone", NULL, NULL, "ub", serial, (int)whole);
	}
	c->ntransfers = 0;
	if (c->emptied > 0)
		log_info("clipboard: %u pastes answered empty (%d wait at most, %d ms a round)",
		    c->emptied, CLIP_MUTTER_TRANSFERS_MAX, CLIP_IO_MS);
	c->emptied = 0;
}

static int
on_set_reply(sd_bus_message *m, void *arg, sd_bus_error *ret_error)
{
	struct mutter_clip *c = arg;
	const sd_bus_error *e = sd_bus_message_get_error(m);

	(void)ret_error;
	c->set_answered = true;         /* its slot goes in poll, not in here */
	if (e != NULL && !c->set_failing)
		log_warn("clipboard: GNOME Mutter refused the viewer's text: %s",
		    e->message != NULL ? e->message : e->name);
	c->set_failing = e != NULL;
	return 0;
}

/* Offer our text as the clipboard (SetSelection, not waited for; with
 * one in flight, once more after it). */
static void
offer(struct mutter_clip *c)
{
	sd_bus_message *call = NULL;
	int r;

	if (c->set_slot != NULL) {
		c->set_again = true;
		return;
	}
	r = sd_bus_message_new_method_call(c->bus, &call, RD_NAME, c->path, RD_SESSION,
	    "SetSelection");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'a', "{sv}");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'e', "sv");
	if (r >= 0)
		r = sd_bus_message_append(call, "s", "mime-types");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'v', "as");
	if (r >= 0)
		r = sd_bus_message_open_container(call, 'a', "s");
	for (unsigned i = CLIP_TEXT_TYPES - 1; i > 0 && r >= 0; i--)    /* best first */
		r = sd_bus_message_append(call, "s", clip_text_types[i]);
	for (int i = 0; i < 4 && r >= 0; i++)
		r = sd_bus_message_close_container(call);
	if (r >= 0)
		r = sd_bus_call_async(c->bus, &c->set_slot, call, on_set_reply, c,
		    (uint64_t)CLIP_IO_MS * 1000);
	sd_bus_message_unref(call);
	if (r < 0)
		log_warn("clipboard: cannot offer the viewer's text: %s", strerror(-r));
}

/* Enable the clipboard on the session now running (again after a
 * restart): ERR_SYSTEM with why[] when Mutter refuses. */
static int
enable(struct mutter_clip *c, const char *path, char *why, size_t why_len)
{
	sd_bus_error e = SD_BUS_ERROR_NULL;
	int r;

	c->owner_slot = sd_bus_slot_unref(c->owner_slot);
	c->transfer_slot = sd_bus_slot_unref(c->transfer_slot);
	c->set_slot = sd_bus_slot_unref(c->set_slot);   /* for the old session */
	c->set_answered = c->set_again = false;
	c->ntransfers = 0;
	c->rank = 0;
	/* One try a session: a refusal is not asked again every turn.
	 * (mutter_session.c keeps no longer path than ours.) */
	c->off = true;
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (sd_bus_match_signal(c->bus, &c->owner_slot, RD_NAME, c->path, RD_SESSION,
	    "SelectionOwnerChanged", on_owner_changed, c) < 0 ||
	    sd_bus_match_signal(c->bus, &c->transfer_slot, RD_NAME, c->path, RD_SESSION,
	    "SelectionTransfer", on_transfer, c) < 0) {
		snprintf(why, why_len, "out of memory");
		return ERR_SYSTEM;
	}
	/* Mutter names the owner of the moment while it enables: that is
	 * not a copy the host made now. */
	c->enabling = true;
	r = sd_bus_call_method(c->bus, RD_NAME, c->path, RD_SESSION, "EnableClipboard", &e, NULL,
	    "a{sv}", 0);
	while (r >= 0 && sd_bus_process(c->bus, NULL) > 0)
		;
	c->enabling = false;
	if (r < 0) {
		snprintf(why, why_len, "GNOME Mutter refused its clipboard (%s)",
		    e.message != NULL ? e.message : strerror(-r));
		sd_bus_error_free(&e);
		return ERR_SYSTEM;
	}
	c->off = false;
	log_info("clipboard: shared through GNOME Mutter's remote desktop session");
	if (c->ours != NULL)
		offer(c);       /* the viewer's text, on the new session too */
	return 0;
}

static void
mutter_clip_close(struct clip *base)
{
	struct mutter_clip *c = (struct mutter_clip *)base;

	sd_bus_slot_unref(c->owner_slot);
	sd_bus_slot_unref(c->transfer_slot);
	sd_bus_slot_unref(c->set_slot);
	if (c->ss != NULL)
		c->ss->ops->release(c->ss);
	free(c->ours);
	free(c->got);
	free(c);
}

static struct clip *
mutter_clip_open(const char *display, char *why, size_t why_len)
{
	struct mutter_clip *c = calloc(1, sizeof(*c));

	(void)display;
	if (c == NULL) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	/* The capture's session (it acquired first); a tool without a
	 * capture starts one of its own. */
	if ((c->ss = mutter_session_acquire(NULL, why, why_len)) == NULL) {
		free(c);
		return NULL;
	}
	c->bus = mutter_session_bus(c->ss);
	if (enable(c, mutter_session_path(c->ss), why, why_len) != 0) {
		mutter_clip_close(&c->base);
		return NULL;
	}
	return &c->base;
}

static int
mutter_clip_fd(const struct clip *base)
{
	return sd_bus_get_fd(((const struct mutter_clip *)base)->bus);
}

/* What arrived while we waited for Mutter (signals an answer came
 * behind wait in sd-bus's queue, not on the fd): handled now. */
static void
dispatch(struct mutter_clip *c)
{
	while (sd_bus_process(c->bus, NULL) > 0)
		;
}

static int
mutter_clip_poll(struct clip *base, const char **text, size_t *len)
{
	struct mutter_clip *c = (struct mutter_clip *)base;
	const char *path;
	char why[256];
	unsigned rank;
	int fd, r;

	/* The capture handles a session that ended (and restarts it). */
	if (c->ss->ops->process(c->ss, why, sizeof(why)) != 0)
		return 0;
	path = mutter_session_path(c->ss);
	if (path[0] != '\0' && strcmp(path, c->path) != 0 &&
	    enable(c, path, why, sizeof(why)) != 0)
		log_warn("clipboard: %s: sharing is off", why);
	if (c->off || c->path[0] == '\0')
		return 0;
	if (c->set_slot != NULL && c->set_answered) {
		c->set_slot = sd_bus_slot_unref(c->set_slot);
		c->set_answered = false;
		if (c->set_again) {
			c->set_again = false;
			offer(c);
		}
	}
	serve_transfers(c);
	if ((rank = c->rank) == 0)
		return 0;
	c->rank = 0;
	fd = call_for_fd(c, CLIP_IO_MS, "SelectionRead", "s", clip_text_types[rank]);
	if (fd < 0)
		return 0;
	free(c->got);
	c->got = NULL;
	r = clip_text_read(fd, &c->got, &c->got_len);
	close(fd);
	/* Pastes asked for meanwhile are not left for the next wakeup. */
	dispatch(c);
	serve_transfers(c);
	if (r != 0)
		return 0;
	*text = c->got;
	*len = c->got_len;
	return 1;
}

static int
mutter_clip_set(struct clip *base, const char *text, size_t len)
{
	struct mutter_clip *c = (struct mutter_clip *)base;
	char *copy;

	if (c->off || c->path[0] == '\0')
		return ERR_CLOSED;
	if ((copy = malloc(len + 1)) == NULL)
		return ERR_NOMEM;
	memcpy(copy, text, len);
	copy[len] = '\0';
	free(c->ours);
	c->ours = copy;
	c->ours_len = len;
	/* Pastes of the text before are Mutter's to cancel now. */
	c->ntransfers = 0;
	offer(c);
	return 0;
}

const struct clip_ops clip_mutter_ops = {
	.name = "mutter",
	.open = mutter_clip_open,
	.close = mutter_clip_close,
	.fd = mutter_clip_fd,
	.poll = mutter_clip_poll,
	.set = mutter_clip_set,
};
