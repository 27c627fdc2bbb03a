/* SPDX-License-Identifier: Apache-2.0 */
#include "channel.h"
#include "wire.h"

enum channel_verdict
channel_route(const struct channel *table, size_t n, const struct msg *m, uint8_t key,
    uint8_t rights, bool allowed, const struct channel **ch)
{
	const struct channel *c = NULL;

	for (size_t i = 0; i < n && c == NULL; i++)
		if (table[i].type == m->type)
			c = &table[i];
	*ch = c;
	if (c == NULL || c->key != key)
		return CHANNEL_REFUSE;
	if ((!allowed && !c->before_allowed) || (c->right & rights) != c->right)
		return CHANNEL_NOT_GRANTED;
	return CHANNEL_TAKE;
}
