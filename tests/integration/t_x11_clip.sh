# The X11 CLIPBOARD through master/clip_x11.c (tests/tools/x11_clip): one
# process owns it with UTF-8 text, another sees the owner change and reads
# the text; then a third takes it over and the first reads that in turn.
# Our own clip_set does not come back as the host's text.
. "$(dirname "$0")/lib.sh"
start_xvfb 320x200

"$B/tools/x11_clip" watch 1 >"$T/watch.out" 2>"$T/watch.log" &
watch=$!
pids="$pids $watch"
sleep 0.3 # the watcher selects owner changes before the first one

"$B/tools/x11_clip" serve "Grüße 123" 20 >"$T/serve1.out" 2>"$T/serve1.log" &
serve1=$!
pids="$pids $serve1"
wait_for "$T/watch.out" '^text ' 10
line=$(grep '^text ' "$T/watch.out")
[ "$line" = "text Grüße 123 len=11" ] || fail "watcher read '$line'"
wait_exit "$watch" 5
[ "$rc" = 0 ] || fail "watcher exit $rc"
note "UTF-8 text served by one process, read by another"

# A second owner, with a line break, a tab and a backslash: the first
# owner loses the selection and reads the new text (then exits).
text=$(printf 'zwei\tZeilen \\\nÄÖÜ €')
"$B/tools/x11_clip" serve "$text" 20 >"$T/serve2.out" 2>"$T/serve2.log" &
pids="$pids $!"
wait_for "$T/serve1.out" '^text ' 10
line=$(grep '^text ' "$T/serve1.out")
[ "$line" = 'text zwei\x09Zeilen \x5c\x0aÄÖÜ € len=24' ] || fail "first owner read '$line'"
wait_exit "$serve1" 5
# Its own clip_set was no "host text": the only text line is the new one.
[ "$(count "$T/serve1.out" '^text ')" = 1 ] || fail "own text reported"
note "ownership taken over; the old owner read the new text, not its own"

# How the owner answers a plain Xlib requestor: TARGETS without STRING for
# non-ASCII text, which STRING is refused for; UTF8_STRING and TEXT give
# the bytes.
get() { "$B/tools/x11_clip" get "$1"; }
[ "$(get TARGETS)" = "ATOM TARGETS UTF8_STRING TEXT" ] || fail "TARGETS: $(get TARGETS)"
[ "$(get STRING)" = refused ] || fail "STRING for non-ASCII text: $(get STRING)"
[ "$(get UTF8_STRING)" = 'UTF8_STRING text zwei\x09Zeilen \x5c\x0aÄÖÜ € len=24' ] ||
    fail "UTF8_STRING: $(get UTF8_STRING)"
[ "$(get TEXT)" = "$(get UTF8_STRING)" ] || fail "TEXT: $(get TEXT)"
[ "$(get MULTIPLE)" = refused ] || fail "MULTIPLE: $(get MULTIPLE)"
"$B/tools/x11_clip" serve "plain ASCII" 20 >"$T/serve3.out" 2>"$T/serve3.log" &
pids="$pids $!"
wait_for "$T/serve3.out" '^serving' 10
sleep 0.2
[ "$(get TARGETS)" = "ATOM TARGETS UTF8_STRING TEXT STRING" ] || fail "TARGETS: $(get TARGETS)"
[ "$(get STRING)" = "STRING text plain ASCII len=11" ] || fail "STRING: $(get STRING)"
note "TARGETS, UTF8_STRING, TEXT answered; STRING only for ASCII text"
