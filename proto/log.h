/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.h - leveled logging to stderr: "fernsicht-relay: warn: ...", or
 * with log_set_format(LOG_FORMAT_JSON) one JSON object a line for log
 * shippers:
 *   {"time":"2026-12-06T19:28:49.123Z","level":"warn","prog":"fernsicht-relay","msg":"..."}
 * time is UTC with milliseconds; level is always the English word.
 *
 * Peer-triggered messages go through log_rl() (rate-limited per call
 * site). Untrusted bytes are only ever logged through log_escape(), which
 * escapes and truncates them to LOG_ESCAPE_MAX bytes. Payload bytes are
 * never logged at all.
 */
#ifndef PROTO_LOG_H
#define PROTO_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };
enum log_format { LOG_FORMAT_TEXT = 0, LOG_FORMAT_JSON = 1 };

#define LOG_ESCAPE_MAX 64

void log_init(const char *prog, enum log_level min);
void log_set_level(enum log_level min);
enum log_level log_level_parse(const char *s, bool *ok);
bool log_enabled(enum log_level lv);
void log_set_format(enum log_format f);
/* "text" or "json"; *ok false (and LOG_FORMAT_TEXT) for anything else. */
enum log_format log_format_parse(const char *s, bool *ok);
void log_msg(enum log_level lv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print and exit(code): only in main() and set-up code. Its message is a
 * program's last words to a person, so it is translated (i18n.h), and so
 * is its "error" tag, given here by main(); other lines stay English. */
void log_set_fatal_word(const char *word);
void log_fatal(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
/* Rate-limited: at most LOG_RL_BURST lines per LOG_RL_MS for one *slot. */
struct log_rl { long long window_ms; int count; int dropped; };
void log_rl(struct log_rl *rl, enum log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Escape up to LOG_ESCAPE_MAX bytes of p into out (size >= 4*max + 1 shows all). */
const char *log_escape(char *out, size_t out_len, const void *p, size_t n);
/*
 * For showing a peer's text (chat) on one line: keeps UTF-8 (the caller
 * validated it), escapes control characters (C0, C1 and the bidirectional
 * ones), '"' and '\\', so that no peer can forge an event line.
 * out_len >= 4 * n + 1 shows all of it.
 */
const char *log_escape_text(char *out, size_t out_len, const void *p, size_t n);
/*
 * p[0..n) as the inside of a JSON string into out (NUL-terminated, never
 * more than out_len - 1 bytes, cut only between whole escapes or
 * characters): '"', '\\' and control characters escaped, UTF-8 kept, every
 * byte that is not part of valid UTF-8 replaced by U+FFFD. Returns the
 * bytes written. out_len >= 6 * n + 1 holds all of it.
 */
size_t log_json_escape(char *out, size_t out_len, const void *p, size_t n);

#define log_debug(...) do { if (log_enabled(LOG_DEBUG)) log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

enum { LOG_RL_BURST = 10, LOG_RL_MS = 5000 };

#endif
