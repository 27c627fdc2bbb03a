/* SPDX-License-Identifier: Apache-2.0 */
/*
 * outgoing.h - one transfer we send: OFFER, then per entry ENTRY, and for
 * a file its DATA (from where the receiver's RESUME says, for a big one)
 * and END with the whole file's hash; it is done when the receiver's ACK
 * says so. Each step goes out only when the flow class allows it.
 */
#ifndef ENDPOINT_OUTGOING_H
#define ENDPOINT_OUTGOING_H

#include <stdbool.h>

#include "transfer.h"

/* A transfer of what w lists (taken over, w is left empty), queued. */
struct outgoing *outgoing_new(struct walk *w, uint32_t id);
/* Take the next step if the flow class allows it (*progressed then). */
int outgoing_step(struct files *f, struct outgoing *o, bool *progressed) WUR;
/* Whether outgoing_step would do something now. */
bool outgoing_wants(const struct files *f, const struct outgoing *o);
int outgoing_resume(struct files *f, struct outgoing *o, const struct msg_file *m) WUR;
int outgoing_ack(struct files *f, struct outgoing *o, const struct msg_file *m) WUR;
void outgoing_free(struct outgoing *o);

#endif
