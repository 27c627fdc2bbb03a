/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "log.h"

static const char *log_prog = "fernsicht";
static enum log_level log_min = LOG_INFO;
static enum log_format log_form = LOG_FORMAT_TEXT;
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

void
log_set_format(enum log_format f)
{
	log_form = f;
}

enum log_format
log_format_parse(const char *s, bool *ok)
{
	*ok = true;
	if (strcmp(s, "text") == 0)
		return LOG_FORMAT_TEXT;
	if (strcmp(s, "json") == 0)
		return LOG_FORMAT_JSON;
	*ok = false;
	return LOG_FORMAT_TEXT;
}

/* The length of the valid UTF-8 character at p[0..n) (shortest form, no
 * surrogates, at most U+10FFFF), or 0 when it is none. */
static size_t
utf8_char_len(const unsigned char *p, size_t n)
{
	size_t need, k;
	uint32_t c = p[0], min;

	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0) {
		need = 1; c &= 0x1F; min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		need = 2; c &= 0x0F; min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		need = 3; c &= 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if (need > n - 1)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (p[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return need + 1;
}

size_t
log_json_escape(char *out, size_t out_len, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	static const char fffd[] = "\xef\xbf\xbd";       /* U+FFFD in UTF-8 */
	const unsigned char *s = p;
	char esc[8];
	const char *add;
	size_t o = 0, i = 0, len, take;

	if (out_len == 0)
		return 0;
	while (i < n) {
		take = 1;
		add = esc;
		switch (s[i]) {
		case '"': add = "\\\""; break;
		case '\\': add = "\\\\"; break;
		case '\n': add = "\\n"; break;
		case '\r': add = "\\r"; break;
		case '\t': add = "\\t"; break;
		default:
			if (s[i] < 0x20 || s[i] == 0x7F) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[s[i] >> 4];
				esc[5] = hex[s[i] & 15];
				esc[6] = '\0';
			} else if ((take = utf8_char_len(s + i, n - i)) == 0) {
				/* not UTF-8 (a cut line, a path): JSON cannot carry the byte */
				take = 1;
				add = fffd;
			} else {
				memcpy(esc, s + i, take);
				esc[take] = '\0';
			}
		}
		len = strlen(add);
		if (len > out_len - 1 - o)
			break;          /* cut between characters, never inside one */
		memcpy(out + o, add, len);
		o += len;
		i += take;
	}
	out[o] = '\0';
	return o;
}

/* msg as one JSON line: {"time":...,"level":...,"prog":...,"msg":...}. */
static void
print_json(const char *level, const char *msg)
{
	char when[96], prog[128], text[6 * 1024 + 1];
	struct timespec ts;
	struct tm tm;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || gmtime_r(&ts.tv_sec, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	snprintf(when, sizeof(when), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000);
	log_json_escape(prog, sizeof(prog), log_prog, strlen(log_prog));
	log_json_escape(text, sizeof(text), msg, strlen(msg));
	fprintf(stderr, "{\"time\":\"%s\",\"level\":\"%s\",\"prog\":\"%s\",\"msg\":\"%s\"}\n",
	    when, level, prog, text);
}

/* word: the level's name (log_fatal: the translated "error"); level: the
 * English one, for the JSON field a machine reads. */
static void
vlog(const char *word, const char *level, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	/* one fprintf per line, so lines of several processes do not mix */
	if (log_form == LOG_FORMAT_JSON)
		print_json(level, line);
	else
		fprintf(stderr, "%s: %s: %s\n", log_prog, word, line);
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	va_list ap;

	if (!log_enabled(lv))
		return;
	va_start(ap, fmt);
	vlog(level_name[lv], level_name[lv], fmt, ap);
	va_end(ap);
}

void
log_fatal(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fatal_word, level_name[LOG_ERROR], fmt, ap);
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
	vlog(level_name[lv], level_name[lv], fmt, ap);
	va_end(ap);
}

/* c at out[o] as it is (keep) or as \xHH; where the next one goes. */
static size_t
put_byte(char *out, size_t o, unsigned char c, bool keep)
{
	static const char hex[] = "0123456789abcdef";

	if (keep) {
		out[o++] = (char)c;
	} else {
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	return o;
}

/* Copy p to out, keeping the bytes keep() accepts and writing \xHH for others. */
static const char *
escape(char *out, size_t out_len, const unsigned char *s, size_t n, bool (*keep)(unsigned char))
{
	size_t o = 0;

	if (out_len == 0)
		return out;
	/* A byte goes in while its four characters and the NUL fit. */
	for (size_t i = 0; i < n && o + 4 < out_len; i++)
		o = put_byte(out, o, s[i], keep(s[i]));
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

/*
 * The length of a UTF-8 sequence at s that is a control a terminal acts on
 * or that reorders what follows it, 0 for anything else. C1 controls
 * (U+0080..U+009F) are a terminal's CSI or OSC as much as ESC is; the
 * bidirectional controls (U+061C, U+200E/F, U+202A..E, U+2066..9) would
 * turn the rest of an event line around on a terminal that follows them
 * (a check code shown backwards). Every byte of either is escaped.
 */
static size_t
control_seq(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F)
		return 2;
	if (n >= 2 && s[0] == 0xD8 && s[1] == 0x9C)
		return 2;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
	    (s[2] == 0x8E || s[2] == 0x8F || (s[2] >= 0xAA && s[2] <= 0xAE)))
		return 3;
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] >= 0xA6 && s[2] <= 0xA9)
		return 3;
	return 0;
}

const char *
log_escape_text(char *out, size_t out_len, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t o = 0, i = 0;

	if (out_len == 0)
		return out;
	/* The same room test as escape(): a byte goes in while its four
	 * characters and the NUL fit. */
	while (i < n && o + 4 < out_len) {
		size_t seq = control_seq(s + i, n - i);

		if (seq > 0 && o + 4 * seq >= out_len)
			break;
		for (size_t j = 0; j < (seq > 0 ? seq : 1u); j++, i++)
			o = put_byte(out, o, s[i], seq == 0 && keep_text(s[i]));
	}
	out[o] = '\0';
	return out;
}
