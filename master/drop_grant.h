/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_grant.h - the relay's upload right, passed on to the viewers the
 * host allowed (drop_grant.c). The relay gives a grant only to the master
 * (a viewer's WELCOME comes before it proved the code); the host hands it
 * to each viewer it allowed with the files right, in DROP_GRANT over the
 * pairwise stream, with its own DROP_IDENTITY so that a viewer can drop a
 * file for the host. A new grant (the session resumed, maybe on another
 * relay) goes out again. When a viewer that had it leaves, is removed or
 * loses the files right, the master asks the relay for the grant's next
 * generation (GRANT), which refuses the ones before, and passes the new
 * one to the viewers that keep the right.
 */
#ifndef MASTER_DROP_GRANT_H
#define MASTER_DROP_GRANT_H

struct master;
struct viewer;

/* Once per turn of the main loop: send the grant where it is owed, and
 * ask the relay for a new one when one is owed. */
void drop_grant_poll(struct master *m);
/* v no longer holds the grant (it is gone, or lost the files right). */
void drop_grant_forget(struct master *m, struct viewer *v);

#endif
