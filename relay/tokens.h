/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tokens.h - who may open sessions on a relay in `session-policy = token`
 * (docs/relay.md "Who may open sessions"): the signing keys, the tokens
 * issued, the tokens revoked.
 *
 * token-key-file: lines "KEYID SECRET-HEX" (TOKEN_SECRET_MIN..MAX bytes;
 * '#' starts a comment). The first key signs new tokens; every key
 * verifies, so a key is rotated by putting the new one first and
 * removing the old one once its tokens are no longer wanted. Nobody but
 * the relay may read the file.
 *
 * In the state dir (none: nothing is recorded, nothing can be revoked):
 *   tokens-issued   "ID EXPIRY SCOPE NAME" per token issued (never the
 *                   token itself), for listing and revoking
 *   tokens-revoked  "ID EXPIRY" per token revoked
 * Both are rewritten whole (a new file renamed over the old) under a lock
 * (tokens.lock), so that the offline commands and a running relay do not
 * lose each other's lines; a running relay reads what others wrote at
 * tokens_reload (SIGHUP) or restart.
 */
#ifndef RELAY_TOKENS_H
#define RELAY_TOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "limits.h"

struct tokens;

/* Read key_file and state_dir's lists (state_dir may be NULL). NULL with
 * why[] ("FILE:LINE: ...") when something is wrong. */
struct tokens *tokens_new(const char *key_file, const char *state_dir, char *why,
    size_t why_len);

/*
 * A new token for name (token_name_check), valid for ttl_s from now_s
 * (1..TOKEN_TTL_MAX_S), signed with the first key and recorded in
 * tokens-issued before it is handed out: its text into token_out (more
 * than WIRE_TOKEN_MAX bytes is enough), its id as hex into id_hex_out.
 * ERR_FORMAT for a bad name or ttl, ERR_LIMIT when TOKENS_ISSUED_MAX
 * are listed, ERR_SYSTEM when it cannot be recorded (logged).
 */
int tokens_issue(struct tokens *t, const char *name, uint64_t now_s, uint64_t ttl_s,
    char *token_out, size_t token_len, char id_hex_out[TOKEN_ID_HEX_LEN + 1]) WUR;

/*
 * From now on the token with this id (TOKEN_ID_HEX_LEN lower-case hex)
 * opens no session, here and in tokens-revoked. 0 also when it already
 * was revoked; ERR_FORMAT for a malformed id, ERR_NOT_FOUND when no such
 * token was issued here, ERR_SYSTEM when it cannot be recorded.
 */
int tokens_revoke(struct tokens *t, const char *id_hex) WUR;

/*
 * 0 when token (NULL or "": none) may open a session at now_s. Else
 * ERR_AUTH with why[] saying which: "missing", "expired", "revoked", or
 * "invalid: ..." (malformed, an unknown key, a MAC that does not hold,
 * another scope); why is fit for the master to read.
 */
int tokens_check(const struct tokens *t, const char *token, uint64_t now_s, char *why,
    size_t why_len) WUR;

/*
 * {"tokens":[{"id":"HEX","name":"...","scope":"create","expires":UNIX_S,
 * "expired":BOOL,"revoked":BOOL},...]} appended to out: the tokens
 * issued (those expired more than TOKENS_EXPIRED_KEPT_S ago are gone).
 */
int tokens_list_json(const struct tokens *t, struct buf *out, uint64_t now_s) WUR;

/* Read key_file and the state dir's lists again: all or nothing (on an
 * error t is as it was, why[] says why). tokens_prepare and
 * tokens_commit in one. */
int tokens_reload(struct tokens *t, const char *key_file, char *why, size_t why_len) WUR;

/*
 * The same in two steps, for a reload that checks everything before it
 * changes anything: tokens_prepare reads the files into t's pending
 * lists (t works on with its old ones; 0, or an error with why[] and
 * nothing pending), tokens_commit puts what is pending in use, and
 * tokens_abandon drops it. A second prepare replaces what was pending.
 */
int tokens_prepare(struct tokens *t, const char *key_file, char *why, size_t why_len) WUR;
void tokens_commit(struct tokens *t);
void tokens_abandon(struct tokens *t);

void tokens_free(struct tokens *t);     /* NULL is fine; wipes the secrets */

#endif
