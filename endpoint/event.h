/* SPDX-License-Identifier: Apache-2.0 */
/*
 * event.h - the event lines master and viewer print on stdout: one line
 * per event, flushed at once, the first word naming it, then key=value
 * fields (text values quoted and escaped with log_escape_text). Scripts
 * and the tests read them, so this is a machine format: English, stable,
 * and every line goes through event() (logs go to stderr, log.h).
 *
 * master                                   viewer
 *   session=N code=C      a code is shown    connected session=N slot=S
 *   paused failures=N ...  no code offered   verified host="H" check=C cipher=X
 *   join slot=S addr=A [refused: paused]     waiting for the host ... check code C)
 *   busy slot=S addr=A    4th guess refused  allowed|rights rights=R size=WxH
 *   verified slot=S name="N" check=C cipher=X  key epoch=E cipher=X
 *   consent slot=S name="N" addr=A check=C: allow? ...  frame n=N id=I [key]
 *   allowed|denied|kicked slot=S ...         cursor shape=WxH hot=X,Y
 *   code-failed slot=S addr=A failures=N total=T        lossy: ...
 *   timeout slot=S addr=A stage=handshake|consent       chat text="T"
 *   left slot=S reason="R"                   clipboard bytes=N text="T"
 *   bye slot=S reason="R"                    lan-offer n=N first=A
 *   chat slot=S text="T"                     direct: trying|connected|failed ...
 *   clipboard slot=S bytes=N                 latency ms=M | latency timeout
 *   input slot=S kind=K arg=A x=X y=Y code=C stalling after N frames
 *   control-revoked slot=S rights=R [away]   drop path="P"  (dropped on the window)
 *   files-granted|files-revoked slot=S rights=R
 *   drop path="P"  (dropped on the host's window)
 *   ignored: a click in the host's window right after a viewer's input ...
 *                                            closed reason="R"  (always last)
 *   direct slot=S replaces slot=S addr=A
 *   lan=ADDR:PORT
 *   kick: ... | consent: ... | unknown command ...  (answers to stdin)
 *
 * both, from the file engine (the lines and their fields: files.h)
 *   file-offer file-progress file-item file-skipped file-done file-failed
 * both, the file drop (drop_command.h; master/drop.c, viewer/drop.c)
 *   drop-link link="L"  (--drop, and the host's own after "drop PATH")
 *   drop-failed reason="R" | drop-fetched name="N" bytes=B | fetch-failed reason="R"
 *   master: drop-identity slot=S | drop-started path="P" identities=N | drop-sent slot=S
 *   viewer: drop-offer link="L"  (a link without #KEY, for its identity)
 * The viewer's start window (no SESSION given) adds: start-window
 * relay="R" once it is up (R empty: none configured), start-connect
 * session=N relay="R" for each attempt, and start-failed reason="R" after
 * a failed attempt's own closed line (R: vsession_outcome's words, such as
 * "wrong code"). Each attempt ends with its closed line (closed
 * reason="cancelled" when the supporter gave it up); the last one is
 * last.
 */
#ifndef ENDPOINT_EVENT_H
#define ENDPOINT_EVENT_H

/* Print one event line (fmt without the newline) and flush it. */
void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
