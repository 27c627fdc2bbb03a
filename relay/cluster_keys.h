/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cluster_keys.h - what the redis directory back-end (directory_redis.c)
 * keeps in Redis, and the Lua scripts that change it atomically. Every
 * key is under one prefix (docs/relay.md "Cluster" lists them):
 *
 *   fernsicht:num:NNNNN      held number: "NAME:PORT INSTANCE" of its relay,
 *                            EX RELAY_CLUSTER_LEASE_S, refreshed by it
 *   fernsicht:retired:NNNNN  the number's cool-down: same value, EX
 *                            RELAY_RETIRE_COOLDOWN_S from its last sign of
 *                            use (set at the claim and with every refresh,
 *                            reset in full by the retirement), so that a
 *                            number whose relay died unannounced cools
 *                            down too; while it exists no relay claims it
 *   fernsicht:relay:NAME     a relay's liveness record: its value,
 *                            EX RELAY_CLUSTER_ALIVE_S, refreshed by it
 *
 * INSTANCE is random per relay process, so a restarted relay with the
 * same name never frees what its former self held.
 */
#ifndef RELAY_CLUSTER_KEYS_H
#define RELAY_CLUSTER_KEYS_H

#define CLUSTER_KEY_PREFIX "fernsicht:"
#define CLUSTER_KEY_NUM CLUSTER_KEY_PREFIX "num:%05u"
#define CLUSTER_KEY_RETIRED CLUSTER_KEY_PREFIX "retired:%05u"
#define CLUSTER_KEY_RELAY CLUSTER_KEY_PREFIX "relay:%s"

/*
 * Claim the first free candidate. KEYS: num, retired (one pair per
 * candidate); ARGV: value, lease seconds, cool-down seconds. A candidate
 * is free when neither of its keys exists; claimed, it gets both.
 * Returns the candidate's index from 1, or 0 when all were taken.
 */
#define CLUSTER_LUA_CLAIM \
	"for i = 1, #KEYS, 2 do\n" \
	"  if redis.call('EXISTS', KEYS[i + 1]) == 0 and\n" \
	"      redis.call('SET', KEYS[i], ARGV[1], 'NX', 'EX', ARGV[2]) then\n" \
	"    redis.call('SET', KEYS[i + 1], ARGV[1], 'EX', ARGV[3])\n" \
	"    return (i + 1) / 2\n" \
	"  end\n" \
	"end\n" \
	"return 0\n"

/*
 * Keep a held number. KEYS: num, retired; ARGV: value, lease seconds,
 * cool-down seconds. 1: ours, lease and cool-down renewed; 2: it was gone
 * (Redis lost it), ours again; otherwise the value of the relay that
 * holds it now (the caller's loss; nothing changed).
 */
#define CLUSTER_LUA_HOLD \
	"local v = redis.call('GET', KEYS[1])\n" \
	"if v and v ~= ARGV[1] then\n" \
	"  return v\n" \
	"end\n" \
	"redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])\n" \
	"if redis.call('TTL', KEYS[2]) < tonumber(ARGV[3]) then\n" \
	"  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])\n" \
	"end\n" \
	"if v then\n" \
	"  return 1\n" \
	"end\n" \
	"return 2\n"

/*
 * Give back a number claimed ahead and never handed out: compare-and-
 * delete of both its keys. KEYS: num, retired; ARGV: value. 1: freed,
 * 0: not ours (then nothing changed). Also frees a liveness record
 * (KEYS: relay, a key that does not exist).
 */
#define CLUSTER_LUA_RELEASE \
	"if redis.call('GET', KEYS[1]) ~= ARGV[1] then\n" \
	"  return 0\n" \
	"end\n" \
	"redis.call('DEL', KEYS[1])\n" \
	"if redis.call('GET', KEYS[2]) == ARGV[1] then\n" \
	"  redis.call('DEL', KEYS[2])\n" \
	"end\n" \
	"return 1\n"

/*
 * Retire a number: its cool-down starts in full (unless one already runs
 * longer), then it is freed if it is ours. KEYS: num, retired; ARGV:
 * value, cool-down seconds left. Returns 1.
 */
#define CLUSTER_LUA_RETIRE \
	"if redis.call('TTL', KEYS[2]) < tonumber(ARGV[2]) then\n" \
	"  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])\n" \
	"end\n" \
	"if redis.call('GET', KEYS[1]) == ARGV[1] then\n" \
	"  redis.call('DEL', KEYS[1])\n" \
	"end\n" \
	"return 1\n"

/* Say this relay is up. KEYS: relay; ARGV: value, seconds. Returns the
 * value it replaced (nil: none), so two relays with one name are seen. */
#define CLUSTER_LUA_ALIVE \
	"local v = redis.call('GET', KEYS[1])\n" \
	"redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])\n" \
	"return v\n"

#endif
