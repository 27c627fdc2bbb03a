# A cluster's Redis that wants a password: requirepass, and an ACL user
# limited to the fernsicht: keys and the commands the relay sends (the
# line docs/relay.md gives, as it is). A relay with the password
# percent-encoded in --cluster, and one with the ACL user in relay.conf's
# cluster and its password in a file (cluster-password-file), both get
# the directory up and hand out session numbers. A wrong password is
# logged once, clearly, and the relay keeps trying without crashing (and
# stops cleanly). A password file everyone may read, or a user without a
# password, stops the relay before it listens. The passwords are in no
# log, no ps line and no Redis key or value.
. "$(dirname "$0")/lib.sh"
command -v redis-cli >/dev/null || fail "redis-cli is not installed (make deps)"
pw='s3cret/p@ss%word'
enc='s3cret%2Fp%40ss%25word'
upw='r3lay-0nly:pw'
export REDISCLI_AUTH="$pw"
acl=$(grep '^user fernsicht-relay on >PASSWORD ' "$top/docs/relay.md" | sed "s/>PASSWORD/>$upw/")
[ -n "$acl" ] || fail "no ACL line in docs/relay.md"
# its words as redis-server's arguments, '~fernsicht:*' unexpanded
set -f
# shellcheck disable=SC2086
start_redis redis "" --requirepass "$pw" --$acl
set +f

# Refused before listening: a password file others may read, a user
# without a password.
printf '%s\n' "$upw" >"$T/redis-password"
chmod 0644 "$T/redis-password"
rc=0; "$B/fernsicht-relay" --config /dev/null --listen 127.0.0.1:0 \
    --cluster "redis://fernsicht-relay@$REDIS" --cluster-password-file "$T/redis-password" \
    >"$T/open.out" 2>"$T/open.log" || rc=$?
[ "$rc" = 1 ] && grep -q 'redis-password: everyone may read it' "$T/open.log" &&
	! grep -q listening "$T/open.out" || fail "a password file all may read: exit $rc"
rc=0; "$B/fernsicht-relay" --config /dev/null --listen 127.0.0.1:0 \
    --cluster "redis://fernsicht-relay@$REDIS" >"$T/nopw.out" 2>"$T/nopw.log" || rc=$?
[ "$rc" = 1 ] && grep -q 'names a user but no password' "$T/nopw.log" ||
	fail "a user without a password: exit $rc"
chmod 0640 "$T/redis-password"

# The right passwords: the default user's in the URL on the command line,
# the ACL user's in a password file named in relay.conf.
start_relay r1 --cluster "redis://:$enc@$REDIS/0" --advertise relay1
R1=$RELAY P1=$RELAY_PID
printf '%s\n' "cluster = redis://fernsicht-relay@$REDIS/0" \
    "cluster-password-file = $T/redis-password" "advertise = relay2" >"$T/r2.conf"
start_relay r2 --config "$T/r2.conf"
R2=$RELAY P2=$RELAY_PID
for i in 1 2; do wait_for "$T/r$i.log" 'cluster directory up' 10; done
grep -q 'connected (database 0, password accepted)' "$T/r2.log" || fail "r2: no AUTH seen"
start_master host1 "$R1"
rcli GET "fernsicht:num:$SESSION" | grep -q '^relay1:' || fail "session $SESSION not relay1's"
start_master host2 "$R2"
rcli GET "fernsicht:num:$SESSION" | grep -q '^relay2:' || fail "session $SESSION not relay2's"
tr '\0' ' ' <"/proc/$P1/cmdline" >"$T/ps1.txt"
grep -q 'redis://\*\{23\}@127' "$T/ps1.txt" || fail "ps shows r1 as: $(cat "$T/ps1.txt")"

# A wrong password: said once, retried with the back-off, never up.
start_relay r3 --cluster "redis://:n0t-the-pa55@$REDIS" --advertise relay3
P3=$RELAY_PID
wait_for "$T/r3.log" 'cluster directory: Redis refused the password \(.*WRONGPASS' 5
_i=0
until [ "$(count "$T/r3.log" 'password refused; retrying')" -ge 2 ]; do
	_i=$((_i + 1)); [ $_i -lt 100 ] || fail "r3 does not retry"; sleep 0.05
done
[ "$(count "$T/r3.log" 'refused the password')" = 1 ] || fail "the refusal logged more than once"
[ "$(count "$T/r3.log" 'cluster directory up')" = 0 ] || fail "r3 up with a wrong password"
kill -TERM "$P3"
wait_exit "$P3" 5
[ "$rc" = 0 ] || fail "r3 exit $rc after SIGTERM"

# The secrets nowhere: logs, ps, Redis's keys and values.
rcli EVAL "local o = {}
for _, k in ipairs(redis.call('KEYS', '*')) do
	o[#o + 1] = k
	local t = redis.call('TYPE', k).ok
	if t == 'string' then o[#o + 1] = redis.call('GET', k)
	elseif t == 'zset' then
		for _, m in ipairs(redis.call('ZRANGE', k, 0, -1)) do o[#o + 1] = m end
	else o[#o + 1] = 'unexpected key type: ' .. k end
end
return o" 0 >"$T/keys.txt"
grep -q '^fernsicht:relay:relay2:' "$T/keys.txt" || fail "no keys seen: $(head -3 "$T/keys.txt")"
grep -q unexpected "$T/keys.txt" && fail "$(grep unexpected "$T/keys.txt")"
printf '%s\n' "$pw" "$enc" "$upw" s3cret r3lay-0nly n0t-the-pa55 >"$T/secrets"
shown=$(grep -lF -f "$T/secrets" "$T"/r?.log "$T"/r?.out "$T"/open.* "$T"/nopw.* \
    "$T/ps1.txt" "$T/keys.txt")
[ -z "$shown" ] || fail "a secret in $shown"
note "right passwords up, a wrong one refused once and retried, no secret shown"
