/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "log.h"

static const char *log_prog = "fernsicht";
static enum log_level log_min = LOG_INFO;
static const char *const level_name[] = { "debug", "info", "warn", "error" };
/* log_fatal()'s word for "error", in the reader's language. */
static const char *fatal_word = "error";

void
log_init(const char *prog, enum log_level min)
{
	log_prog = prog;
	log_min = min;
}

void
log_set_fatal_word(const char *word)
{
	fatal_word = word;
}

void
log_set_level(enum log_level min)
{
	log_min = min;
}

enum log_level
log_level_parse(const char *s, bool *ok)
{
	int i;

	*ok = true;
	for (i = 0; i < 4; i++)
		if (strcmp(s, level_name[i]) == 0)
			return (enum log_level)i;
	*ok = false;
	return LOG_INFO;
}

bool
log_enabled(enum log_level lv)
{
	return lv >= log_min;
}

static void
vlog(const char *word, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* one fprintf per line, so lines of several processes do not mix */
	fprintf(stderr, "%s: %s: %s\n", log_prog, word, line);
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(lv))
		return;
	va_start(ap, fmt);
	vlog(level_name[lv], fmt, ap);
	va_end(ap);
}

void
log_fatal(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fatal_word, fmt, ap);
	va_end(ap);
	exit(code);
}

void
log_rl(struct log_rl *rl, enum log_level lv, const char *fmt, ...)
{
	long long now = (long long)mono_ms();
	va_list ap;

	if (!log_enabled(lv))
		return;
	if (now - rl->window_ms >= LOG_RL_MS) {
		if (rl->dropped > 0)
			log_msg(lv, "(%d similar messages suppressed)", rl->dropped);
		rl->window_ms = now;
		rl->count = 0;
		rl->dropped = 0;
	}
	if (rl->count >= LOG_RL_BURST) {
		rl->dropped++;
		return;
	}
	rl->count++;
	va_start(ap, fmt);
	vlog(level_name[lv], fmt, ap);
	va_end(ap);
}

/* Copy p to out, keeping the bytes keep() accepts and writing \xHH for others. */
static const char *
escape(char *out, size_t out_len, const unsigned char *s, size_t n, bool (*keep)(unsigned char))
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (out_len == 0)
		return out;
	for (size_t i = 0; i < n && o + 5 < out_len; i++) {
		if (keep(s[i])) {
			out[o++] = (char)s[i];
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[s[i] >> 4];
			out[o++] = hex[s[i] & 15];
		}
	}
	out[o] = '\0';
	return out;
}

static bool
keep_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7F && c != '\\';
}

/* UTF-8 stays (validated by the caller); what could end the quoted field goes. */
static bool
keep_text(unsigned char c)
{
	return c >= 0x20 && c != 0x7F && c != '\\' && c != '"';
}

const char *
log_escape(char *out, size_t out_len, const void *p, size_t n)
{
	return escape(out, out_len, p, n > LOG_ESCAPE_MAX ? LOG_ESCAPE_MAX : n, keep_ascii);
}

const char *
log_escape_text(char *out, size_t out_len, const void *p, size_t n)
{
	return escape(out, out_len, p, n, keep_text);
}
