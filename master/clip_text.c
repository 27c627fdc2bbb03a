/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clip_text.c - text types and pipe transfers for the Wayland clipboard
 * back-ends (clip_text.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clip_text.h"
#include "clock.h"
#include "limits.h"
#include "log.h"

const char *const clip_text_types[CLIP_TEXT_TYPES] = {
	NULL, "STRING", "TEXT", "text/plain", "UTF8_STRING", "text/plain;charset=utf-8",
};

unsigned
clip_text_rank(const char *type)
{
	for (unsigned i = CLIP_TEXT_TYPES - 1; i > 0; i--)
		if (strcmp(type, clip_text_types[i]) == 0)
			return i;
	return 0;
}

/* Milliseconds left until deadline, at least 0. */
static int
left_ms(uint64_t deadline)
{
	uint64_t now = mono_ms();

	return now >= deadline ? 0 : (int)(deadline - now);
}

int
clip_text_read(int fd, char **text, size_t *len)
{
	uint64_t until = mono_ms() + CLIP_IO_MS;
	char *buf;
	size_t n = 0;

	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if ((buf = malloc(MSG_CLIPBOARD_MAX + 1)) == NULL)
		return -1;
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int left = left_ms(until);
		ssize_t r;

		if (left == 0 || poll(&pf, 1, left) <= 0) {
			log_info("clipboard: the copying client did not send its text in time");
			break;
		}
		r = read(fd, buf + n, MSG_CLIPBOARD_MAX + 1 - n);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r == 0) {
			buf[n] = '\0';
			*text = buf;
			*len = n;
			return 0;
		}
		if (r < 0)
			break;
		n += (size_t)r;
		if (n > MSG_CLIPBOARD_MAX) {
			log_info("clipboard: copied text not sent: over %d bytes",
			    MSG_CLIPBOARD_MAX);
			break;
		}
	}
	free(buf);
	return -1;
}

bool
clip_text_write(int fd, const char *text, size_t len, uint64_t until_ms)
{
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (len > 0) {
		struct pollfd pf = { .fd = fd, .events = POLLOUT };
		int left = left_ms(until_ms);
		ssize_t w;

		if (left == 0 || poll(&pf, 1, left) <= 0)
			break;
		if ((w = write(fd, text, len)) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			break;
		}
		text += w;
		len -= (size_t)w;
	}
	if (len > 0)
		log_info("clipboard: a reader did not take the text in time (%zu bytes left)", len);
	return len == 0;
}
