/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cluster_keys.h - what the redis directory back-end (directory_redis*.c)
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
 *   fernsicht:ticket:NNNNN   a session's number: the BLAKE2b-256 of its
 *                            master's ticket, 64 hex digits, EX
 *                            RELAY_CLUSTER_TICKET_S (the lease and the
 *                            resume grace), refreshed with the number and
 *                            deleted at its retirement. Numbers claimed
 *                            ahead have none.
 *   fernsicht:resumed:NNNNN  the relay that resumed the number last, PX
 *                            RELAY_RESUME_LOCK_MS: no other relay takes the
 *                            number over meanwhile
 *   fernsicht:relay:NAME     a relay's liveness record: its value, and
 *                            " draining" after it while it drains; EX
 *                            RELAY_CLUSTER_ALIVE_S, refreshed by it
 *   fernsicht:relays         sorted set of the NAMEs of relays that are up
 *                            and not draining, scored by the unix time their
 *                            liveness record runs out (what a draining relay
 *                            sends masters to)
 *
 * INSTANCE is random per relay process, so a restarted relay with the
 * same name never frees what its former self held. The scripts compare
 * ticket hashes as strings: their timing tells at most a hash, and a hash
 * resumes nothing.
 */
#ifndef RELAY_CLUSTER_KEYS_H
#define RELAY_CLUSTER_KEYS_H

#define CLUSTER_KEY_PREFIX "fernsicht:"
#define CLUSTER_KEY_NUM CLUSTER_KEY_PREFIX "num:%05u"
#define CLUSTER_KEY_RETIRED CLUSTER_KEY_PREFIX "retired:%05u"
#define CLUSTER_KEY_TICKET CLUSTER_KEY_PREFIX "ticket:%05u"
#define CLUSTER_KEY_LOCK CLUSTER_KEY_PREFIX "resumed:%05u"
#define CLUSTER_KEY_RELAY_PREFIX CLUSTER_KEY_PREFIX "relay:"
#define CLUSTER_KEY_RELAY CLUSTER_KEY_RELAY_PREFIX "%s"
#define CLUSTER_KEY_RELAYS CLUSTER_KEY_PREFIX "relays"
/* after a draining relay's value in its liveness record */
#define CLUSTER_DRAINING " draining"

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
 * Keep a held number. KEYS: num, retired [, ticket]; ARGV: value, lease
 * seconds, cool-down seconds [, ticket hash, ticket seconds]. With the
 * ticket (a session's number, not one claimed ahead) its hash is renewed
 * too. 1: ours, renewed; 2: it was gone (Redis lost it), ours again;
 * 0: gone, and retired or held by another relay since (nothing changed);
 * a string: the value of the relay that holds it now (the caller's loss;
 * nothing changed); an array of that string: the relay that holds it now
 * with the same ticket, so the master resumed there (the caller forgets
 * the number).
 */
#define CLUSTER_LUA_HOLD \
	"local v = redis.call('GET', KEYS[1])\n" \
	"if v and v ~= ARGV[1] then\n" \
	"  if KEYS[3] and redis.call('GET', KEYS[3]) == ARGV[4] then\n" \
	"    return {v}\n" \
	"  end\n" \
	"  return v\n" \
	"end\n" \
	"if not v then\n" \
	"  local r = redis.call('GET', KEYS[2])\n" \
	"  if r and r ~= ARGV[1] then\n" \
	"    return 0\n" \
	"  end\n" \
	"end\n" \
	"redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])\n" \
	"if redis.call('TTL', KEYS[2]) < tonumber(ARGV[3]) then\n" \
	"  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[3])\n" \
	"end\n" \
	"if KEYS[3] then\n" \
	"  redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5])\n" \
	"end\n" \
	"if v then\n" \
	"  return 1\n" \
	"end\n" \
	"return 2\n"

/*
 * Give back a number claimed ahead and never handed out: compare-and-
 * delete of both its keys. KEYS: num, retired; ARGV: value. 1: freed,
 * 0: not ours (then nothing changed).
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
 * longer; the cool-down keeps naming the relay that holds the number, if
 * another does), then it is freed if it is ours, its ticket with it.
 * KEYS: num, retired [, ticket]; ARGV: value, cool-down seconds left
 * [, ticket hash]. Returns 1.
 */
#define CLUSTER_LUA_RETIRE \
	"local v = redis.call('GET', KEYS[1])\n" \
	"if redis.call('TTL', KEYS[2]) < tonumber(ARGV[2]) then\n" \
	"  if v and v ~= ARGV[1] and redis.call('EXISTS', KEYS[2]) == 1 then\n" \
	"    redis.call('EXPIRE', KEYS[2], ARGV[2])\n" \
	"  else\n" \
	"    redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])\n" \
	"  end\n" \
	"end\n" \
	"if v == ARGV[1] then\n" \
	"  redis.call('DEL', KEYS[1])\n" \
	"end\n" \
	"if KEYS[3] and (v == ARGV[1] or not v) and\n" \
	"    redis.call('GET', KEYS[3]) == ARGV[3] then\n" \
	"  redis.call('DEL', KEYS[3])\n" \
	"end\n" \
	"return 1\n"

/*
 * Say this relay is up. KEYS: relay, relays; ARGV: value (with
 * CLUSTER_DRAINING after it while draining), seconds, NAME:PORT, now
 * (unix seconds), 1 while draining else 0. The sorted set loses the
 * relays whose records ran out, and gets this one unless it drains.
 * Returns the value it replaced (nil: none), so two relays with one name
 * are seen.
 */
#define CLUSTER_LUA_ALIVE \
	"local v = redis.call('GET', KEYS[1])\n" \
	"redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])\n" \
	"redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])\n" \
	"if ARGV[5] == '1' then\n" \
	"  redis.call('ZREM', KEYS[2], ARGV[3])\n" \
	"else\n" \
	"  redis.call('ZADD', KEYS[2], tonumber(ARGV[4]) + tonumber(ARGV[2]), ARGV[3])\n" \
	"end\n" \
	"return v\n"

/*
 * This relay stops: its liveness record and its place in the sorted set
 * go, if they are still its own. KEYS: relay, relays; ARGV: value,
 * NAME:PORT. Returns 1.
 */
#define CLUSTER_LUA_GONE \
	"local a = redis.call('GET', KEYS[1])\n" \
	"if a == ARGV[1] or a == ARGV[1] .. '" CLUSTER_DRAINING "' then\n" \
	"  redis.call('DEL', KEYS[1])\n" \
	"  redis.call('ZREM', KEYS[2], ARGV[2])\n" \
	"end\n" \
	"return 1\n"

/*
 * Where is a session's number? KEYS: num, ticket; ARGV: the liveness
 * records' key prefix. {0, ''}: no session has it (no ticket: free,
 * retired, or only claimed ahead); {1, value}: the relay with that value
 * holds it and is up (draining or not); {2, value}: its relay is gone or
 * stopped renewing it ('' when its lease ran out), but its ticket still
 * works: the master may resume it anywhere.
 */
#define CLUSTER_LUA_LOOKUP \
	"if redis.call('EXISTS', KEYS[2]) == 0 then\n" \
	"  return {0, ''}\n" \
	"end\n" \
	"local v = redis.call('GET', KEYS[1])\n" \
	"if not v then\n" \
	"  return {2, ''}\n" \
	"end\n" \
	"local name = string.match(v, '^(%S+) ')\n" \
	"local a = name and redis.call('GET', ARGV[1] .. name)\n" \
	"if a and (a == v or a == v .. '" CLUSTER_DRAINING "') then\n" \
	"  return {1, v}\n" \
	"end\n" \
	"return {2, v}\n"

/*
 * A master resumes its number here with its ticket. KEYS: num, retired,
 * ticket, resumed; ARGV: value, ticket hash, lease seconds, cool-down
 * seconds, ticket seconds, lock milliseconds. The ticket decides; then
 * the number becomes this relay's wherever it was (on a relay that is up,
 * draining, dead, or nowhere since its lease ran out), unless another
 * relay resumed it less than the lock ago: of two resumes at once, the
 * first one wins. 0: no such ticket (never, retired, or its grace is
 * over); -3: no ticket, and no other relay used the number since this
 * one (Redis lost its keys: only the caller knows); -1: another ticket;
 * -2: another relay resumed it just now; 1: resumed, it was this relay's
 * already; an array of the former holder's value ('' when none): taken
 * over.
 */
#define CLUSTER_LUA_RESUME \
	"local h = redis.call('GET', KEYS[3])\n" \
	"if not h then\n" \
	"  local r = redis.call('GET', KEYS[2])\n" \
	"  if r and r ~= ARGV[1] then\n" \
	"    return 0\n" \
	"  end\n" \
	"  return -3\n" \
	"end\n" \
	"if h ~= ARGV[2] then\n" \
	"  return -1\n" \
	"end\n" \
	"local v = redis.call('GET', KEYS[1])\n" \
	"if v ~= ARGV[1] then\n" \
	"  local l = redis.call('GET', KEYS[4])\n" \
	"  if l and l ~= ARGV[1] then\n" \
	"    return -2\n" \
	"  end\n" \
	"end\n" \
	"redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[6])\n" \
	"redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])\n" \
	"redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4])\n" \
	"redis.call('SET', KEYS[3], ARGV[2], 'EX', ARGV[5])\n" \
	"if v == ARGV[1] then\n" \
	"  return 1\n" \
	"end\n" \
	"return {v or ''}\n"

#endif
