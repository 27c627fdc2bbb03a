/* SPDX-License-Identifier: Apache-2.0 */
/*
 * portal_token.h - the desktop portal's restore token, kept between runs
 * in the user's settings folder (portal-restore-token, 0600): offered at
 * the next start, it lets the portal share again without asking, until
 * the host revokes the permission in the desktop. A token is good once:
 * each start hands back the one for next time. A window's sharing
 * (--window) keeps its own (portal-restore-token-window): a monitor's
 * token must not answer a request for a window, nor the other way.
 */
#ifndef MASTER_PORTAL_TOKEN_H
#define MASTER_PORTAL_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

enum { PORTAL_TOKEN_LEN = 128 };        /* restore tokens (UUIDs in practice) */

/* The kept token into token[len], or "" when there is none or it does
 * not look like one the portal made. */
void portal_token_load(bool window, char *token, size_t len);
/* Keep token (written aside, then renamed: a crash leaves the old one or
 * the new one, never half); "" forgets it. Failures are logged only:
 * the portal then asks again next time. */
void portal_token_save(bool window, const char *token);

#endif
