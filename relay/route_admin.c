/* SPDX-License-Identifier: Apache-2.0 */
/*
 * route_admin.c - what the admin API asks of the sessions (route.h): a
 * count, a list, ending one, retiring a number. Walks the rooms by
 * number: at most SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1 slots, once
 * per request of an operator.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "directory.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "room.h"
#include "route.h"
#include "route_private.h"

enum { ROOMS = SESSION_NUMBER_MAX - SESSION_NUMBER_MIN + 1 };

void
route_count(const struct route *rt, uint64_t *sessions, uint64_t *viewers)
{
	size_t i;

	*sessions = *viewers = 0;
	for (i = 0; i < ROOMS; i++)
		if (rt->rooms[i] != NULL) {
			(*sessions)++;
			*viewers += rt->rooms[i]->viewers;
		}
}

static void
peer(struct json *j, const struct conn *c)
{
	enum metrics_tier t;

	json_put(j, "{\"peer\":");
	json_str(j, c->peer);
	json_put(j, ",\"tier\":");
	json_str(j, conn_tier(c, &t) ? metrics_tier_str(t) : "none");
}

int
route_sessions_json(const struct route *rt, struct buf *out, int64_t now_s)
{
	struct json j = { .out = out };
	const struct room *rm;
	bool first = true, vfirst;
	unsigned k;
	size_t i;

	json_put(&j, "{\"sessions\":[");
	for (i = 0; i < ROOMS && j.err == 0; i++) {
		if ((rm = rt->rooms[i]) == NULL)
			continue;
		json_put(&j, "%s{\"number\":%u,\"age_s\":%lld,\"viewers\":%u,"
		    "\"bytes_to_master\":%llu,\"bytes_to_viewers\":%llu,\"master\":",
		    first ? "" : ",", rm->number,
		    (long long)(now_s > rm->started_s ? now_s - rm->started_s : 0), rm->viewers,
		    (unsigned long long)rm->bytes_to_master,
		    (unsigned long long)rm->bytes_to_viewers);
		peer(&j, rm->master);
		json_put(&j, "},\"viewer_peers\":[");
		vfirst = true;
		for (k = 1; k <= SESSION_VIEWERS_MAX; k++) {
			if (rm->viewer[k] == NULL)
				continue;
			json_put(&j, "%s", vfirst ? "" : ",");
			peer(&j, rm->viewer[k]);
			json_put(&j, ",\"slot\":%u,\"verified\":%s}", k,
			    rm->verified[k] ? "true" : "false");
			vfirst = false;
		}
		json_put(&j, "]}");
		first = false;
	}
	json_put(&j, "]}\n");
	return j.err;
}

bool
route_end(struct route *rt, uint32_t number)
{
	struct room *rm = rooms_find(rt, number);

	if (rm == NULL || rm->master == NULL)
		return false;
	log_info("end number=%u viewers=%u: by the operator", rm->number, rm->viewers);
	/* what END from the master does: ENDED to everyone, the number retired */
	conn_close(rm->master, WIRE_E_ENDED, "ended by the operator");
	return true;
}

const char *
route_retire(struct route *rt, uint32_t number, int64_t now_s)
{
	if (number < SESSION_NUMBER_MIN || number > SESSION_NUMBER_MAX)
		return NULL;
	if (route_end(rt, number))
		return "live";
	switch (directory_here(rt->dir, number)) {
	case DIRECTORY_AWAY:
		log_info("retire number=%u: held away, by the operator", number);
		directory_retire(rt->dir, number, now_s);
		return "away";
	case DIRECTORY_NOBODY:
		/* a cluster retires only numbers the relay holds (its lease) */
		if (strcmp(directory_name(rt->dir), "local") != 0)
			break;
		log_info("retire number=%u: free, by the operator", number);
		directory_retire(rt->dir, number, now_s);
		return "free";
	case DIRECTORY_HERE:            /* held, but its HELLO waits: not now */
	case DIRECTORY_ELSEWHERE:
	case DIRECTORY_UNKNOWN:
		break;
	}
	return NULL;
}
