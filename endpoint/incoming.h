/* SPDX-License-Identifier: Apache-2.0 */
/*
 * incoming.h - one transfer we receive, into the inbox only (inbox.h):
 * every name checked (relpath.h) and every count, size and offset held to
 * what the OFFER and the ENTRY announced; each file arrives as NAME.part,
 * is hashed as it arrives and renamed when the sender's hash matches. What
 * breaks a rule cancels the transfer with a reason for people.
 */
#ifndef ENDPOINT_INCOMING_H
#define ENDPOINT_INCOMING_H

#include <stdbool.h>
#include <stddef.h>

#include "transfer.h"

/* A new transfer (m->id is new and above every earlier one): taken into a
 * free place of f->in, or refused with a CANCEL. */
int incoming_offer(struct files *f, const struct msg_file *m) WUR;
int incoming_entry(struct files *f, struct incoming *in, const struct msg_file *m) WUR;
int incoming_data(struct files *f, struct incoming *in, const struct msg_file *m) WUR;
int incoming_end(struct files *f, struct incoming *in, const struct msg_file *m) WUR;
/* Hash a kept .part for FILE_RESUME, at most *budget bytes of it. */
int incoming_step(struct files *f, struct incoming *in, size_t *budget) WUR;
bool incoming_wants(const struct incoming *in);
/* The .part this transfer leaves for a resume ("" when none). */
const char *incoming_kept(const struct incoming *in);
void incoming_free(struct incoming *in);

#endif
