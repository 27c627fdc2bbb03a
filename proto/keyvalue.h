/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyvalue.h - the lines of a settings file, in memory: bytes in, one
 * "key = value" pair (or one problem) out at a time. No files and no
 * words: net/settings.c reads the files, words the problems for people
 * and keeps a refused file from being half used; each program's config.c
 * holds its key table and checks its values. The line splitting lives
 * here, apart from the file reading, because it is what meets hostile
 * bytes, and tests/fuzz/fuzz_keyvalue.c (fuzzers link proto/ only) runs
 * it on any.
 *
 * The format: one "key = value" per line; blanks (space, tab) around key
 * and value are ignored; '#' as the first non-blank character makes a
 * comment line (a '#' after a value is part of the value); empty lines
 * and CRLF line ends are allowed. Keys are matched exactly (case counts).
 * Refused: a file over CONFIG_FILE_MAX_BYTES, a line over
 * CONFIG_LINE_MAX_BYTES (without its "\n"; a CR before it counts), a
 * control character anywhere (NUL included, tab allowed), a line without
 * '=', nothing before '=', and an empty value for a known key. A key not
 * in the table is reported and skipped; a key given twice in one file is
 * reported (the later one counts) unless it is KEYVALUE_REPEATABLE.
 */
#ifndef PROTO_KEYVALUE_H
#define PROTO_KEYVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

enum keyvalue_key_flags {
	KEYVALUE_REPEATABLE = 1 << 0,   /* each line adds one (the relay's listen) */
	KEYVALUE_SECRET = 1 << 1,       /* never shown in a message (a password) */
	/* Never shown in a message, as SECRET, but not always a secret (the
	 * relay's cluster URL, with or without a password): the program
	 * itself warns about a file others may read when it holds one. */
	KEYVALUE_HIDDEN = 1 << 2,
};

/* One entry of a program's key table: the option's long name. */
struct keyvalue_key {
	const char *name;
	unsigned flags;
};

enum keyvalue_item_kind {
	KEYVALUE_END = 0,       /* no more lines (or a problem came before) */
	KEYVALUE_PAIR,          /* key = value */
	KEYVALUE_UNKNOWN,       /* a key not in the table: reported, skipped */
	KEYVALUE_BAD,           /* the file is refused: see problem */
};

enum keyvalue_problem {
	KEYVALUE_FILE_TOO_BIG,  /* line 0: the file as a whole */
	KEYVALUE_LINE_TOO_LONG,
	KEYVALUE_CONTROL,       /* byte: the first control character */
	KEYVALUE_NO_EQUALS,
	KEYVALUE_NO_KEY,        /* "= value" */
	KEYVALUE_EMPTY_VALUE,   /* key: which one */
};

struct keyvalue_item {
	enum keyvalue_item_kind kind;
	unsigned line;                  /* 1-based */
	unsigned key;                   /* PAIR, EMPTY_VALUE: index into the table */
	bool again;                     /* PAIR: given before in this text, not repeatable */
	const char *name;               /* UNKNOWN: the key as written */
	const char *value;              /* PAIR: blanks trimmed, never empty */
	enum keyvalue_problem problem;  /* BAD */
	unsigned char byte;             /* BAD with KEYVALUE_CONTROL */
};

/* Where the reader is in one text. Its line buffer may hold a password:
 * keyvalue_wipe() it when done. */
struct keyvalue_reader {
	const char *text;
	size_t len, at;
	const struct keyvalue_key *keys;
	unsigned n_keys;
	unsigned line;
	uint64_t seen;                  /* bit k: keys[k] was given */
	bool done;                      /* END or BAD was returned: only END follows */
	char buf[CONFIG_LINE_MAX_BYTES + 1];
};

/* Read text[0..len) against a table of at most CONFIG_KEYS_MAX keys;
 * both are borrowed until the last keyvalue_next(). */
void keyvalue_init(struct keyvalue_reader *l, const struct keyvalue_key *keys,
    unsigned n_keys, const char *text, size_t len);

/*
 * The next item into *it. Its strings point into l and hold until the
 * next call. After a BAD item (the whole text is then refused), only END.
 */
void keyvalue_next(struct keyvalue_reader *l, struct keyvalue_item *it);

void keyvalue_wipe(struct keyvalue_reader *l);

#endif
