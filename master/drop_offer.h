/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_offer.h - a file a viewer dropped for the host, the host's side
 * (drop_offer.c): the viewer uploads with the grant the host passed on
 * (drop_grant.h), sealed for the host's drop identity, and sends the
 * host's own one-time link without #KEY (DROP_LINK). The host gets an
 * event line (drop-offer slot=S link="...") and a chat line; "fetch LINK"
 * on stdin downloads it with the host's identity, in a thread of its own
 * so that the session keeps flowing.
 */
#ifndef MASTER_DROP_OFFER_H
#define MASTER_DROP_OFFER_H

struct master;

/* drop_offer_take, a viewer's DROP_LINK, is in channels.h. */
/* Fetch a drop link (with or without #KEY) into the inbox. */
void drop_offer_fetch(struct master *m, const char *link);
/* Once per turn of the main loop: a finished fetch says how it went. */
void drop_offer_poll(struct master *m);
/* At the end: wait for a running fetch. */
void drop_offer_free(struct master *m);

#endif
