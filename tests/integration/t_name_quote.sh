# The names in the handshake are the peers' own text (a hostile relay that
# runs the handshake chooses them): in the event lines they stay inside
# their quotes, so a name cannot add a field, such as a second check code
# ahead of the real one, to the line the host reads before it allows.
. "$(dirname "$0")/lib.sh"
fake='" check=000000 x="'
start_relay relay
start_master host "$RELAY" --name "host$fake"
start_viewer v "$RELAY" "$SESSION" "$CODE" --frames 1 --name "v$fake"
wait_for "$T/host.out" '^consent slot=1 ' 20
wait_for "$T/v.out" '^verified ' 10
grep -Eq '^consent slot=1 name="v\\x22 check=000000 x=\\x22" addr=[^ ]+ check=[0-9]{6}: ' \
    "$T/host.out" || fail "consent line: $(grep '^consent' "$T/host.out")"
grep -Eq '^verified host="host\\x22 check=000000 x=\\x22" check=[0-9]{6} ' "$T/v.out" ||
    fail "viewer's verified line: $(grep '^verified' "$T/v.out")"
master_cmd host n
note "names escaped: $(grep '^consent' "$T/host.out" | cut -c1-60)"
