# Without --source the master takes the desktop session's kind: X11, or on
# Wayland GNOME (mutter), a wlroots compositor (wlr) or any other desktop
# (KDE...: the desktop portal). A desktop without the portal stops it
# with a clear reason (exit 3) instead of sharing an X display that shows
# only the Xwayland windows.
. "$(dirname "$0")/lib.sh"
run() {
	env -u DISPLAY -u WAYLAND_DISPLAY -u XDG_SESSION_TYPE -u XDG_CURRENT_DESKTOP -u SWAYSOCK \
	    "$@" "$B/fernsicht-master" --headless --lan 127.0.0.1:0 >"$T/out" 2>"$T/err"
	rc=$?
}
# A session bus of its own that starts nothing (no service folders): no
# portal on it.
start_quiet_bus
BUS=$QUIET_BUS
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=KDE DBUS_SESSION_BUS_ADDRESS="$BUS"
[ "$rc" = 3 ] || fail "KDE on Wayland: exit $rc: $(cat "$T/err")"
grep -q 'cannot capture the screen: no desktop portal answers on this session bus' "$T/err" ||
    fail "KDE on Wayland: no reason: $(cat "$T/err")"
run WAYLAND_DISPLAY=wayland-9 XDG_CURRENT_DESKTOP= DBUS_SESSION_BUS_ADDRESS="$BUS"
[ "$rc" = 3 ] && grep -q 'no desktop portal answers' "$T/err" ||
    fail "an unknown Wayland desktop: exit $rc: $(cat "$T/err")"
# The portal is there (started by the bus, as on a desktop) but has no
# back-end for this desktop (none for KDE here): it has no ScreenCast.
dbus-daemon --session --nofork --nopidfile --address="unix:path=$T/bus2" --print-address=3 \
    3>"$T/bus2.addr" >"$T/dbus2.log" 2>&1 &
pids="$pids $!"
wait_for "$T/bus2.addr" '^unix:' 10
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=KDE XDG_RUNTIME_DIR="$T" \
    DBUS_SESSION_BUS_ADDRESS="$(head -1 "$T/bus2.addr")"
[ "$rc" = 3 ] && grep -q 'the desktop portal cannot share the screen here (ScreenCast)' \
    "$T/err" || fail "a portal without ScreenCast: exit $rc: $(cat "$T/err")"
note "another Wayland desktop picks the portal; none there: exit 3 with the reason"
# X11 (the session type wins over a stray WAYLAND_DISPLAY): the X source
# is tried, and says the display is missing.
run XDG_SESSION_TYPE=x11 WAYLAND_DISPLAY=wayland-9 DISPLAY=:97
[ "$rc" = 3 ] && grep -q 'cannot capture the screen: .*:97' "$T/err" ||
    fail "X11 session: exit $rc: $(cat "$T/err")"
note "an X11 session picks x11"
# --window is the portal's alone: on GNOME (mutter) it is a usage error.
rc=0
env -u DISPLAY -u WAYLAND_DISPLAY -u SWAYSOCK XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=GNOME \
    DBUS_SESSION_BUS_ADDRESS="$BUS" "$B/fernsicht-master" --headless --lan 127.0.0.1:0 \
    --window >"$T/out" 2>"$T/err" || rc=$?
[ "$rc" = 1 ] && grep -q -- '--window needs --source portal' "$T/err" ||
    fail "--window with mutter: exit $rc: $(cat "$T/err")"
# GNOME on Wayland picks Mutter's interfaces; sway and other wlroots
# compositors the wlr source (here without a compositor: they say so).
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=ubuntu:GNOME DBUS_SESSION_BUS_ADDRESS=unix:path=$T/none
[ "$rc" = 3 ] && grep -q 'no D-Bus session bus' "$T/err" ||
    fail "GNOME on Wayland: exit $rc: $(cat "$T/err")"
run XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=sway WAYLAND_DISPLAY=none-here
[ "$rc" = 3 ] && grep -q 'cannot connect to the Wayland display none-here' "$T/err" ||
    fail "sway: exit $rc: $(cat "$T/err")"
note "GNOME picks mutter, sway picks wlr: $(tail -1 "$T/err")"
exit 0
