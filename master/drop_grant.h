/* SPDX-License-Identifier: Apache-2.0 */
/*
 * drop_grant.h - the relay's upload right, passed on to the viewers the
 * host allowed (drop_grant.c). The relay gives a grant only to the master
 * (a viewer's WELCOME comes before it proved the code); the host hands it
 * to each viewer it allowed with the files right, in DROP_GRANT over the
 * pairwise stream, with its own DROP_IDENTITY so that a viewer can drop a
 * file for the host. A new grant (the session resumed, maybe on another
 * relay) goes out again.
 */
#ifndef MASTER_DROP_GRANT_H
#define MASTER_DROP_GRANT_H

struct master;

/* Once per turn of the main loop: send the grant where it is owed. */
void drop_grant_poll(struct master *m);

#endif
